/*
 * test_posix.c - POSIX files over Bullet and SOAP (libamoeba/user/
 * posix_*.c) in a native program, run by tests/servers/t_cmds.py on a
 * node whose disk was made by boot/mkfsimg.sh (small: a 4 MiB file does
 * not fit):
 *
 *   test_posix start   start the Bullet and SOAP servers (fs_start.h)
 *                      and leave them running, enter the Bullet
 *                      super-capability as /tmp/bsuper (for the
 *                      commands' tests); prints "# serving"
 *   test_posix check   the tests below, against the running servers
 *   test_posix         both: start, check, stop the servers
 *
 * Checks stdio (fopen, fprintf, fgets, fread, fwrite, fseek), open/
 * read/write/lseek/close, stat/fstat, mkdir/rmdir, unlink, rename,
 * opendir/readdir, chdir/getcwd, access, every errno case the layer
 * promises, and atomic replacement: a reader of the old file keeps the
 * old contents, and new readers see them until the writer closes; and
 * std_copy of a file by its Bullet server.
 * Everything happens under /tmp/px.  ok/not ok lines, then "N passed,
 * N failed".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <amoeba.h>
#include <capset.h>
#include <sp_dir.h>
#include <stderr.h>
#include <module/kdir.h>
#include <module/name.h>
#include <module/prv.h>
#include <module/stdcmd.h>
#include <server/soap/soap.h>

#include "check.h"
#include "fs_start.h"

#define D	"/tmp/px"
#define OLDTEXT	"the old contents\n"
#define NEWTEXT	"the new contents, longer\n"

/* errno after a call that must fail: "call == -1 && errno == e". */
#define FAILS(call, e)	((call) == -1 && errno == (e))

/* The whole contents of path (at most n - 1 bytes), NUL-terminated. */
static int
slurp(const char *path, char *buf, int n)
{
	int fd = open(path, O_RDONLY), got;

	if (fd < 0)
		return -1;
	got = (int)read(fd, buf, (size_t)n - 1);
	close(fd);
	if (got >= 0)
		buf[got] = 0;
	return got;
}

static int
spit(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int n;

	if (fd < 0)
		return -1;
	n = (int)write(fd, text, strlen(text));
	return close(fd) == 0 && n == (int)strlen(text) ? 0 : -1;
}

/* fopen, fprintf, fgets, fread, fwrite, fseek, ftell. */
static void
t_stdio(void)
{
	char line[64], big[100];
	FILE *f;
	int i, ok;

	CHECK(mkdir(D, 0755) == 0, "mkdir " D);
	f = fopen(D "/log", "w");
	CHECK(f != NULL, "fopen(w) of a new file");
	for (i = 0; f && i < 3; i++)
		fprintf(f, "line %d\n", i);
	CHECK(f && fclose(f) == 0, "fprintf, fclose");
	f = fopen(D "/log", "r");
	ok = f != NULL;
	for (i = 0; ok && i < 3; i++) {
		snprintf(big, sizeof(big), "line %d\n", i);
		ok = fgets(line, sizeof(line), f) && strcmp(line, big) == 0;
	}
	CHECK(ok && fgets(line, sizeof(line), f) == NULL && feof(f),
	      "fgets reads the lines back, then end of file");
	CHECK(f && fseek(f, 5, SEEK_SET) == 0 && ftell(f) == 5 &&
	      fread(big, 1, 2, f) == 2 && memcmp(big, "0\n", 2) == 0,
	      "fseek, ftell, fread");
	if (f)
		fclose(f);
	f = fopen(D "/log", "a");
	CHECK(f && fwrite("more\n", 1, 5, f) == 5 && fclose(f) == 0 &&
	      slurp(D "/log", big, sizeof(big)) == 26 &&
	      strcmp(big + 21, "more\n") == 0, "fopen(a) appends");
}

/* open/read/write/lseek/fstat and O_* flags. */
static void
t_fd(void)
{
	char buf[64];
	struct stat st;
	int fd;

	fd = open(D "/f", O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 3 && write(fd, "hello world", 11) == 11 &&
	      lseek(fd, 6, SEEK_SET) == 6 && write(fd, "WORLD", 5) == 5 &&
	      lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, 64) == 11 &&
	      memcmp(buf, "hello WORLD", 11) == 0,
	      "O_RDWR|O_CREAT|O_EXCL: write, lseek, read back");
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 11,
	      "fstat of an open file");
	CHECK(lseek(fd, 2, SEEK_END) == 13 && write(fd, "!", 1) == 1 &&
	      close(fd) == 0 && slurp(D "/f", buf, sizeof(buf)) == 14 &&
	      memcmp(buf, "hello WORLD\0\0!", 14) == 0,
	      "a write past the end leaves zeros; close commits");
	CHECK(stat(D "/f", &st) == 0 && S_ISREG(st.st_mode) &&
	      st.st_size == 14, "stat of a file");
	CHECK(stat(D, &st) == 0 && S_ISDIR(st.st_mode), "stat of a directory");
	fd = open(D "/f", O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && lseek(fd, 0, SEEK_SET) == 0 &&
	      write(fd, "+", 1) == 1 && close(fd) == 0 &&
	      slurp(D "/f", buf, sizeof(buf)) == 15 && buf[14] == '+',
	      "O_APPEND writes at the end");
	fd = open(D "/f", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && close(fd) == 0 && stat(D "/f", &st) == 0 &&
	      st.st_size == 0, "O_TRUNC empties the file");
	CHECK(access(D "/f", R_OK | W_OK) == 0 && access(D, W_OK) == 0,
	      "access R_OK|W_OK");
}

/* A file of many Bullet transactions (100 KiB) written and read back
 * through stdio. */
static void
t_large(void)
{
	size_t n = 100 * 1024, i;
	unsigned char *a = malloc(n), *b = malloc(n);
	struct stat st;
	FILE *f;
	int ok;

	for (i = 0; a != NULL && i < n; i++)
		a[i] = (unsigned char)(i * 7 + i / 251);
	f = a && b ? fopen(D "/large", "w") : NULL;
	ok = f != NULL && fwrite(a, 1, n, f) == n && fclose(f) == 0;
	CHECK(ok && stat(D "/large", &st) == 0 && st.st_size == (off_t)n,
	      "a 100 KiB file written with fwrite");
	f = ok ? fopen(D "/large", "r") : NULL;
	CHECK(f != NULL && fread(b, 1, n, f) == n && fgetc(f) == EOF &&
	      memcmp(a, b, n) == 0, "read back whole with fread");
	if (f != NULL)
		fclose(f);
	CHECK(unlink(D "/large") == 0, "unlink the large file");
	free(a);
	free(b);
}

/* mkdir, readdir, rename, unlink, rmdir. */
static void
t_names(void)
{
	struct dirent *e;
	DIR *d;
	char buf[64];
	int seen = 0;

	CHECK(mkdir(D "/sub", 0755) == 0 && spit(D "/sub/a", "A") == 0 &&
	      spit(D "/sub/b", "B") == 0, "mkdir, two files in it");
	d = opendir(D "/sub");
	while (d && (e = readdir(d)) != NULL)
		seen |= strcmp(e->d_name, "a") == 0 ? 1 :
			strcmp(e->d_name, "b") == 0 ? 2 : 4;
	CHECK(d && seen == 3 && closedir(d) == 0, "opendir/readdir/closedir");
	CHECK(rename(D "/sub/a", D "/sub/c") == 0 &&
	      slurp(D "/sub/c", buf, sizeof(buf)) == 1 && buf[0] == 'A' &&
	      FAILS(open(D "/sub/a", O_RDONLY), ENOENT), "rename to a new name");
	CHECK(rename(D "/sub/c", D "/sub/b") == 0 &&
	      slurp(D "/sub/b", buf, sizeof(buf)) == 1 && buf[0] == 'A' &&
	      FAILS(access(D "/sub/c", F_OK), ENOENT),
	      "rename over an existing file replaces it");
	CHECK(rename(D "/sub/b", D "/moved") == 0 &&
	      slurp(D "/moved", buf, sizeof(buf)) == 1,
	      "rename into another directory");
	CHECK(unlink(D "/moved") == 0 && FAILS(stat(D "/moved", &(struct stat){0}),
						 ENOENT), "unlink");
	CHECK(rmdir(D "/sub") == 0 && FAILS(opendir(D "/sub") ? 0 : -1, ENOENT),
	      "rmdir of an empty directory");
}

/* chdir, getcwd and relative paths. */
static void
t_cwd(void)
{
	char buf[128], small[4];

	CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0 &&
	      getenv("_WORK") && strcmp(getenv("_WORK"), "/") == 0,
	      "getcwd at start: /, and $_WORK (Amoeba's) too");
	CHECK(chdir(D) == 0 && getcwd(buf, sizeof(buf)) &&
	      strcmp(buf, D) == 0 && strcmp(getenv("_WORK"), D) == 0,
	      "chdir " D ", getcwd, $_WORK");
	CHECK(spit("rel", "R") == 0 && slurp(D "/rel", buf, sizeof(buf)) == 1,
	      "a relative path is relative to the working directory");
	CHECK(mkdir("d2", 0755) == 0 && chdir("d2") == 0 &&
	      getcwd(buf, sizeof(buf)) && strcmp(buf, D "/d2") == 0 &&
	      slurp("../rel", buf, sizeof(buf)) == 1,
	      "relative chdir and ..");
	CHECK(getcwd(small, sizeof(small)) == NULL && errno == ERANGE,
	      "getcwd into a short buffer: ERANGE");
	CHECK(chdir("/") == 0 && rmdir(D "/d2") == 0 && unlink(D "/rel") == 0,
	      "chdir /, clean up");
}

/* A 2000-byte path and a 300-byte name fail with ENAMETOOLONG. */
static int
long_names(void)
{
	static char path[2100];
	int ok;

	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	ok = FAILS(open(path, O_RDONLY), ENAMETOOLONG);
	snprintf(path, sizeof(path), D "/%0300d", 7);
	return ok && FAILS(open(path, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
}

/* ENOENT, EEXIST, EISDIR, ENOTDIR, ENOTEMPTY. */
static void
t_errors_names(void)
{
	struct stat st;

	CHECK(FAILS(open(D "/none", O_RDONLY), ENOENT) &&
	      FAILS(stat(D "/none", &st), ENOENT) &&
	      FAILS(unlink(D "/none"), ENOENT) &&
	      FAILS(open("/nodir/x", O_WRONLY | O_CREAT, 0644), ENOENT) &&
	      FAILS(chdir(D "/none"), ENOENT) && FAILS(rmdir(D "/none"), ENOENT)
	      && FAILS(rename(D "/none", D "/x"), ENOENT) &&
	      FAILS(open("", O_RDONLY), ENOENT), "ENOENT");
	CHECK(spit(D "/file", "F") == 0 && mkdir(D "/dir", 0755) == 0 &&
	      spit(D "/dir/in", "I") == 0, "a file, a directory with a file");
	CHECK(FAILS(mkdir(D "/dir", 0755), EEXIST) &&
	      FAILS(mkdir(D "/file", 0755), EEXIST) &&
	      FAILS(open(D "/file", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST),
	      "EEXIST");
	CHECK(FAILS(open(D "/dir", O_RDONLY), EISDIR) &&
	      FAILS(open(D "/dir", O_WRONLY), EISDIR) &&
	      FAILS(unlink(D "/dir"), EISDIR) &&
	      FAILS(rename(D "/file", D "/dir"), EISDIR), "EISDIR");
	CHECK(FAILS(open(D "/file/x", O_RDONLY), ENOTDIR) &&
	      FAILS(open(D "/file/x", O_WRONLY | O_CREAT, 0644), ENOTDIR) &&
	      FAILS(mkdir(D "/file/d", 0755), ENOTDIR) &&
	      FAILS(rmdir(D "/file"), ENOTDIR) && FAILS(chdir(D "/file"), ENOTDIR)
	      && opendir(D "/file") == NULL && errno == ENOTDIR, "ENOTDIR");
	CHECK(long_names(), "ENAMETOOLONG: a path or a name too long");
	CHECK(FAILS(rmdir(D "/dir"), ENOTEMPTY) &&
	      access(D "/dir/in", F_OK) == 0, "ENOTEMPTY; nothing lost");
}

/* EBADF, EINVAL, EMFILE. */
static void
t_errors_fds(void)
{
	int fds[40], n, fd, i, ok;
	char c;

	fd = open(D "/file", O_RDONLY);
	CHECK(FAILS(read(99, &c, 1), EBADF) && FAILS(write(fd, "x", 1), EBADF)
	      && close(fd) == 0 && FAILS(close(fd), EBADF) &&
	      FAILS(read(fd, &c, 1), EBADF) && FAILS(lseek(fd, 0, SEEK_SET),
						     EBADF), "EBADF");
	fd = open(D "/file", O_WRONLY);
	CHECK(FAILS(read(fd, &c, 1), EBADF) && close(fd) == 0,
	      "EBADF: read of a write-only descriptor");
	fd = open(D "/file", O_RDONLY);
	CHECK(FAILS(open(D "/file", O_ACCMODE), EINVAL) &&
	      FAILS(lseek(fd, 0, 7), EINVAL) &&
	      FAILS(lseek(fd, -5, SEEK_SET), EINVAL) && close(fd) == 0, "EINVAL");
	for (n = 0; n < 40; n++)
		if ((fds[n] = open(D "/file", O_RDONLY)) < 0)
			break;
	ok = n >= 16 && n < 40 && errno == EMFILE;
	for (i = 0; i < n; i++)
		close(fds[i]);
	CHECK(ok, "EMFILE after the last free descriptor");
	fd = open(D "/file", O_RDONLY);
	CHECK(fd >= 0 && close(fd) == 0, "descriptors are free again");
}

/* EACCES: a directory entry whose column masks lack the rights. */
static void
t_errors_access(void)
{
	rights_bits ro[3] = { 0x02, 0x02, 0x02 }, wo[3] = { 0x04, 0x04, 0x04 };
	char buf[8];

	CHECK(mkdir(D "/ro", 0755) == 0 && spit(D "/ro/f", "x") == 0 &&
	      spit(D "/wo", "y") == 0 &&
	      sp_chmod(SP_DEFAULT, D "/ro", 3, ro) == STD_OK &&
	      sp_chmod(SP_DEFAULT, D "/wo", 3, wo) == STD_OK,
	      "a directory and a file with restricted masks (sp_chmod)");
	CHECK(FAILS(open(D "/ro/g", O_WRONLY | O_CREAT, 0644), EACCES) &&
	      FAILS(open(D "/ro/f", O_WRONLY), EACCES) &&
	      FAILS(mkdir(D "/ro/d", 0755), EACCES) &&
	      FAILS(unlink(D "/ro/f"), EACCES) &&
	      FAILS(access(D "/ro/f", W_OK), EACCES) &&
	      slurp(D "/ro/f", buf, sizeof(buf)) == 1,
	      "EACCES: no modify right in the directory; reading still works");
	CHECK(FAILS(open(D "/wo", O_RDONLY), EACCES) &&
	      FAILS(access(D "/wo", R_OK), EACCES), "EACCES: no read right");
}

/* ENOSPC: a file larger than the disk; the old contents stay. */
static void
t_errors_space(void)
{
	size_t n = 4u << 20;
	char *big = malloc(n), buf[64];
	int fd;

	CHECK(big != NULL && spit(D "/big", OLDTEXT) == 0,
	      "a file to overwrite with too much");
	if (big == NULL)
		return;
	memset(big, 'z', n);
	fd = open(D "/big", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && write(fd, big, n) == (int)n &&
	      FAILS(close(fd), ENOSPC), "ENOSPC at close for 4 MiB");
	free(big);
	CHECK(slurp(D "/big", buf, sizeof(buf)) == (int)strlen(OLDTEXT) &&
	      strcmp(buf, OLDTEXT) == 0, "the old contents are intact");
	CHECK(spit(D "/after", "ok") == 0 && unlink(D "/after") == 0,
	      "the disk still takes files after ENOSPC");
}

/* A reader sees the old or the new file, never a mix. */
static void
t_atomic(void)
{
	char buf[64];
	int r1, r2, w;

	CHECK(spit(D "/at", OLDTEXT) == 0, "the old file");
	r1 = open(D "/at", O_RDONLY);
	w = open(D "/at", O_WRONLY | O_TRUNC);
	CHECK(r1 >= 0 && w >= 0 && write(w, NEWTEXT, 10) == 10,
	      "a reader and a writer open; half the new text written");
	CHECK(slurp(D "/at", buf, sizeof(buf)) > 0 && strcmp(buf, OLDTEXT) == 0,
	      "a new reader still sees the old contents");
	r2 = open(D "/at", O_RDONLY);
	CHECK(write(w, NEWTEXT + 10, strlen(NEWTEXT) - 10) > 0 &&
	      close(w) == 0, "the writer finishes and closes");
	CHECK(read(r1, buf, sizeof(buf)) == (int)strlen(OLDTEXT) &&
	      memcmp(buf, OLDTEXT, strlen(OLDTEXT)) == 0 &&
	      read(r2, buf, sizeof(buf)) == (int)strlen(OLDTEXT),
	      "readers opened before the close keep the old contents");
	CHECK(slurp(D "/at", buf, sizeof(buf)) > 0 && strcmp(buf, NEWTEXT) == 0,
	      "a reader after the close sees the new contents");
	close(r1);
	close(r2);
}

/* std_copy (module/stdcmd.h): the Bullet server copies a file. */
static void
t_stdcopy(void)
{
	capability super, file, copy, proc;
	b_fsize got = 0;
	char buf[64];

	/* the server on this node, else the one `test_posix start` entered */
	CHECK(spit(D "/at", OLDTEXT) == 0 &&
	      name_lookup(D "/at", &file) == STD_OK &&
	      (bullet_local_supercap(NULL, &super) == STD_OK ||
	       name_lookup("/tmp/bsuper", &super) == STD_OK),
	      "std_copy: a file and the Bullet server");
	CHECK(std_copy(&super, &file, &copy) == STD_OK &&
	      prv_number(&copy.cap_priv) != prv_number(&file.cap_priv) &&
	      b_read(&copy, 0, buf, sizeof(buf), &got) == STD_OK &&
	      got == (b_fsize)strlen(OLDTEXT) &&
	      memcmp(buf, OLDTEXT, strlen(OLDTEXT)) == 0,
	      "std_copy: a new file with the same bytes");
	CHECK(std_destroy(&copy) == STD_OK, "std_copy: the copy destroyed");
	CHECK(std_copy(NULL, &file, &copy) == STD_ARGBAD &&
	      std_copy(&super, NULL, &copy) == STD_ARGBAD,
	      "std_copy: no capability: STD_ARGBAD");
	CHECK(kdir_lookup(NULL, "proc", &proc) == STD_OK &&
	      std_copy(&super, &proc, &copy) != STD_OK,
	      "std_copy of an object that is not a file fails");
}

/* Remove everything under D, so that another node can run again. */
static void
t_cleanup(void)
{
	static const char *const files[] = {
		D "/log", D "/f", D "/file", D "/dir/in", D "/ro/f", D "/wo",
		D "/big", D "/at", NULL
	};
	rights_bits all[3] = { 0xFF, 0x02, 0x04 };
	int i, ok = sp_chmod(SP_DEFAULT, D "/ro", 3, all) == STD_OK;

	for (i = 0; files[i] != NULL; i++)
		ok = unlink(files[i]) == 0 && ok;
	CHECK(ok && rmdir(D "/dir") == 0 && rmdir(D "/ro") == 0 &&
	      rmdir(D) == 0, "clean up: " D " removed");
}

static void
t_all(void)
{
	t_stdio();
	t_fd();
	t_large();
	t_names();
	t_cwd();
	t_errors_names();
	t_errors_fds();
	t_errors_access();
	t_errors_space();
	t_atomic();
	t_stdcopy();
	t_cleanup();
}

int
main(int argc, char **argv)
{
	static capability procs[2];
	const char *mode = argc > 1 ? argv[1] : "";
	int started = 1;

	if (strcmp(mode, "check") != 0) {
		started = fs_start(procs);
		CHECK(started, "Bullet and SOAP servers started from the disk");
	}
	if (strcmp(mode, "start") == 0) {
		capability super;

		errstat err = bullet_local_supercap(NULL, &super);

		if (err == STD_OK)
			err = name_append("/tmp/bsuper", &super);
		CHECK(err == STD_OK || err == STD_EXISTS,
		      "the Bullet super-capability entered as /tmp/bsuper");
		printf("# serving\n");
		return started ? 0 : 1;
	}
	if (started)
		t_all();
	if (strcmp(mode, "check") != 0 && !NULLPORT(&procs[0].cap_port)) {
		std_destroy(&procs[1]);
		std_destroy(&procs[0]);
	}
	return TEST_DONE();
}
