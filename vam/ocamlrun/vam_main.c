/*
 * vam_main.c - main of VX's ocamlrun: OCaml's bytecode interpreter as
 * the interpreter of bytecode files started like native programs.
 *
 * `ocamlrun FILE args` works as OCaml's own main does.  When exec_file
 * (libamoeba/user/exec.c) finds that a program is OCaml bytecode, it
 * starts this ocamlrun with the program's own argv (argv[0] the name it
 * was started by) and its capability environment plus VAMPROG, the
 * bytecode file.  main then runs `ocamlrun argv[0] argv[1] ...` and the
 * runtime's open of the file that argv[0] names (the name as the
 * runtime resolves it, caml_search_exe_in_path) is answered from VAMPROG
 * (the whole file read into memory), so the file need not be reachable
 * by that name: the boot server may call a program "afs" while its file
 * is /home/afs.byte, and ax on another node passes a name of its own
 * PATH.  Sys.argv is the program's argv, as for a native program.
 *
 * The answering is done under the runtime: the link wraps open, read,
 * lseek and close (-Wl,--wrap, vam/module.mk); a descriptor VAM_FD is
 * the file in memory, every other call goes to libamoeba's own.  The
 * runtime opens its bytecode file from its one thread before any ML
 * code runs; no lock is needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <amoeba.h>
#include <stderr.h>
#include <server/bullet/bullet.h>
#define CAML_INTERNALS
#include <caml/mlvalues.h>
#include <caml/callback.h>
#include <caml/osdeps.h>
#include <caml/startup.h>
#include <caml/sys.h>

#define VAM_PROGCAP	"VAMPROG"	/* set by exec_file */
#define VAM_FD		1000		/* the bytecode file in memory */
#define VAM_CHUNK	(64 * 1024)	/* b_read size */

int __real_open(const char *path, int flags, ...);
ssize_t __real_read(int fd, void *buf, size_t len);
off_t __real_lseek(int fd, off_t off, int whence);
int __real_close(int fd);

static capability vam_prog;		/* the bytecode file (VAMPROG) */
static char *vam_name;			/* the name the runtime opens */
static char *vam_buf;			/* its contents while VAM_FD is open */
static size_t vam_len;			/* bytes in vam_buf */
static off_t vam_pos;			/* VAM_FD's offset */

/* Read the whole of vam_prog into vam_buf; 0 or an errno. */
static int
vam_load(void)
{
	b_fsize size, got;
	errstat err;

	if ((err = b_size(&vam_prog, &size)) != STD_OK || size < 0)
		return EIO;
	if ((vam_buf = malloc((size_t)size + 1)) == NULL)
		return ENOMEM;
	for (vam_len = 0; vam_len < (size_t)size; vam_len += (size_t)got) {
		b_fsize want = (b_fsize)(size - vam_len);

		if (want > VAM_CHUNK)
			want = VAM_CHUNK;
		err = b_read(&vam_prog, (b_fsize)vam_len, vam_buf + vam_len,
			     want, &got);
		if (err != STD_OK || got <= 0) {
			free(vam_buf);
			vam_buf = NULL;
			return EIO;
		}
	}
	vam_pos = 0;
	return 0;
}

int
__wrap_open(const char *path, int flags, ...)
{
	va_list ap;
	int mode, e;

	va_start(ap, flags);
	mode = (flags & O_CREAT) ? va_arg(ap, int) : 0;
	va_end(ap);
	if (vam_name == NULL || path == NULL || strcmp(path, vam_name) != 0)
		return __real_open(path, flags, mode);
	if ((flags & O_ACCMODE) != O_RDONLY || vam_buf != NULL) {
		errno = (flags & O_ACCMODE) != O_RDONLY ? EACCES : EMFILE;
		return -1;
	}
	if ((e = vam_load()) != 0) {
		errno = e;
		return -1;
	}
	return VAM_FD;
}

ssize_t
__wrap_read(int fd, void *buf, size_t len)
{
	size_t n;

	if (fd != VAM_FD || vam_buf == NULL)
		return __real_read(fd, buf, len);
	n = vam_pos >= (off_t)vam_len ? 0 : vam_len - (size_t)vam_pos;
	if (n > len)
		n = len;
	memcpy(buf, vam_buf + vam_pos, n);
	vam_pos += (off_t)n;
	return (ssize_t)n;
}

off_t
__wrap_lseek(int fd, off_t off, int whence)
{
	off_t base;

	if (fd != VAM_FD || vam_buf == NULL)
		return __real_lseek(fd, off, whence);
	base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? vam_pos
	       : (off_t)vam_len;
	if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) ||
	    base + off < 0) {
		errno = EINVAL;
		return -1;
	}
	vam_pos = base + off;
	return vam_pos;
}

int
__wrap_close(int fd)
{
	if (fd != VAM_FD || vam_buf == NULL)
		return __real_close(fd);
	free(vam_buf);
	vam_buf = NULL;
	return 0;
}

int
main(int argc, char **argv)
{
	capability *prog = getcap(VAM_PROGCAP);
	char **args;

	if (prog == NULL || argc < 1) {
		caml_main(argv);		/* ocamlrun FILE args */
		caml_do_exit(0);
	}
	if ((args = malloc(sizeof(*args) * (size_t)(argc + 2))) == NULL) {
		fprintf(stderr, "ocamlrun: out of memory\n");
		return 2;
	}
	args[0] = "ocamlrun";
	memcpy(args + 1, argv, sizeof(*args) * (size_t)(argc + 1));
	vam_prog = *prog;
	vam_name = caml_search_exe_in_path(argv[0]);
	caml_main(args);
	caml_do_exit(0);
	return 0;
}
