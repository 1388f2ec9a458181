/*
 * libc_glue.c - the system layer under newlib.
 *
 * newlib for this target calls write, read, sbrk, fstat, ... without a
 * leading underscore (MISSING_SYSCALL_NAMES) but _exit with one.  File
 * descriptors 0-2 are the terminals named STDIN, STDOUT and STDERR in the
 * capability environment, reached by RPC to their tty server (wherever it
 * runs); a process started without them uses the local console through
 * SYS_CONSOLE_READ/WRITE.  The other descriptors are files over Bullet
 * and SOAP (posix_file.c; open, stat, unlink, ... in posix_*.c): read,
 * write, close, fstat and lseek pass them there.  The heap grows with
 * SYS_BRK; time comes from SYS_GETTIME and SYS_MICRO.  errno is set
 * through <errno.h>, which is per thread (see thread.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <string.h>
#include <amoeba.h>
#include <module/header.h>
#include <caplist.h>
#include <stderr.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <server/tty/tty.h>
#include <module/syscall.h>
#include "posix_impl.h"
#include "user_impl.h"

#define TTY_CHUNK 8192	/* bytes per TTQ_WRITE */

static int std_is_tty(int fd);

static char *glue_brk;			/* current break; 0 until first sbrk */

void
vx_glue_setup(void)
{
	/*
	 * newlib built without fcntl makes stdout line-buffered whatever it
	 * is; a program writing into a pipe or a file of the shell would
	 * then send one RPC a line.  Like a UNIX libc, buffer fully what is
	 * not a terminal.
	 */
	if (!std_is_tty(1))
		setvbuf(stdout, NULL, _IOFBF, TTY_CHUNK);
}

/* errno for an errstat the kernel returned. */
static int
glue_errno(long err)
{
	switch (err) {
	case STD_ARGBAD:
	case RPC_BADADDRESS:
		return EFAULT;
	case STD_NOMEM:
	case STD_NOSPACE:
		return ENOMEM;
	case STD_INTR:
		return EINTR;
	case STD_COMBAD:
		return ENOSYS;
	default:
		return EIO;
	}
}

static int
glue_fail(int e)
{
	errno = e;
	return -1;
}

static int
glue_is_console(int fd)
{
	return fd >= 0 && fd <= 2;
}


static const char *const std_names[3] = { "STDIN", "STDOUT", "STDERR" };

/* One TTQ_READ or TTQ_WRITE on the terminal behind fd's capability. */
static long
tty_io(capability *cap, command cmd, void *buf, size_t len)
{
	header h;
	int32 n;

	hdr_init(&h, cap, cmd);
	if (cmd == TTQ_WRITE) {
		n = rpc_trans(&h, buf, (f_size_t)len, &h, NULL, 0);
		if (n >= 0)
			n = (int32)len;
	} else {
		h.h_size = (bufsize)len;
		n = rpc_trans(&h, NULL, 0, &h, buf, (f_size_t)len);
	}
	if (n >= 0 && ERR_STATUS(h.h_status))
		n = ERR_CONVERT(h.h_status);
	return n;
}

/* One transfer on fd 0-2: its tty capability, else the console call. */
static long
std_io(int fd, command cmd, void *buf, size_t len)
{
	capability *cap = getcap(std_names[fd]);

	if (len > TTY_CHUNK)
		len = TTY_CHUNK;
	if (cap)
		return tty_io(cap, cmd, buf, len);
	if (cmd == TTQ_WRITE)
		return sys_console_write(buf, (long)len);
	return sys_console_read(buf, (long)len, 0);
}

int
write(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;
	long n;

	if (!glue_is_console(fd))
		return px_write(fd, buf, len);
	while (done < len) {
		n = std_io(fd, TTQ_WRITE, (void *)(p + done), len - done);
		if (n < 0) {
			if (done > 0)
				break;
			return glue_fail(glue_errno(n));
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (int)done;
}

int
read(int fd, void *buf, size_t len)
{
	long n;

	if (!glue_is_console(fd))
		return px_read(fd, buf, len);
	if (len == 0)
		return 0;
	n = std_io(fd, TTQ_READ, buf, len);
	if (n < 0)
		return glue_fail(glue_errno(n));
	return (int)n;
}

void *
sbrk(ptrdiff_t incr)
{
	unsigned long want;
	long r;
	char *old;

	if (glue_brk == NULL) {
		r = sys_brk(0);
		if (r == 0 || VX_IS_ERR(r)) {
			errno = ENOMEM;
			return (void *)-1;
		}
		glue_brk = (char *)r;
	}
	old = glue_brk;
	if (incr == 0)
		return old;
	want = (unsigned long)old + (unsigned long)incr;
	if ((incr > 0 && want < (unsigned long)old) ||
	    (incr < 0 && want > (unsigned long)old)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	r = sys_brk(want);		/* the kernel may round up */
	if (VX_IS_ERR(r) || (unsigned long)r < want) {
		errno = ENOMEM;
		return (void *)-1;
	}
	glue_brk = (char *)want;
	return old;
}

void
_exit(int status)
{
	exitprocess(status);
}

int
close(int fd)
{
	return glue_is_console(fd) ? 0 : px_close(fd);
}

/*
 * Is descriptor fd (0-2) a terminal?  Its object says so by the first
 * character of its std_info, Amoeba's type mark: '+' for a terminal; a
 * stream of the shell ('|') or anything else that answers is not.  No
 * capability (the console call) or no answer counts as a terminal.
 * Asked once per descriptor: newlib's stdio asks fstat when it sets up
 * a stream's buffer, and only a terminal is line-buffered, so a program
 * writing into a pipe sends full buffers instead of one RPC a line.
 */
static int
std_is_tty(int fd)
{
	static signed char known[3] = { -1, -1, -1 };
	capability *cap;
	char info[64];
	int len;

	if (known[fd] < 0) {
		cap = getcap(std_names[fd]);
		known[fd] = cap == NULL ||
			    std_info(cap, info, sizeof(info), &len) != STD_OK ||
			    len < 1 || info[0] == '+';
	}
	return known[fd];
}

int
fstat(int fd, struct stat *st)
{
	if (!glue_is_console(fd))
		return px_fstat(fd, st);
	*st = (struct stat){ .st_mode = (std_is_tty(fd) ? S_IFCHR : S_IFIFO) |
			     0620, .st_blksize = 1024 };
	return 0;
}

int
isatty(int fd)
{
	struct stat st;

	if (glue_is_console(fd)) {
		if (std_is_tty(fd))
			return 1;
		errno = ENOTTY;
		return 0;
	}
	if (px_fstat(fd, &st) == 0)
		errno = ENOTTY;
	return 0;
}

off_t
lseek(int fd, off_t off, int whence)
{
	if (glue_is_console(fd))
		return glue_fail(ESPIPE);
	return px_lseek(fd, off, whence);
}

int
link(const char *old, const char *new)
{
	(void)old;
	(void)new;
	return glue_fail(ENOSYS);
}

pid_t
fork(void)
{
	return glue_fail(ENOSYS);
}

int
execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	return glue_fail(ENOSYS);
}

pid_t
wait(int *status)
{
	(void)status;
	return glue_fail(ENOSYS);
}

int
kill(pid_t pid, int sig)
{
	(void)pid;
	(void)sig;
	return glue_fail(ENOSYS);
}

pid_t
getpid(void)
{
	long r = sys_getpid();

	return r < 0 ? 1 : (pid_t)r;
}

int
gettimeofday(struct timeval *tv, void *tz)
{
	struct vx_time t;
	long r;

	(void)tz;
	r = sys_gettime(&t);
	if (r < 0)
		return glue_fail(glue_errno(r));
	if (tv != NULL) {
		tv->tv_sec = (time_t)t.sec;
		tv->tv_usec = t.usec;
	}
	return 0;
}

clock_t
times(struct tms *tms)
{
	unsigned long long us = 0;
	clock_t ticks;

	if (sys_micro(&us) < 0)
		return (clock_t)glue_fail(EIO);
	ticks = (clock_t)(us / (1000000ULL / CLOCKS_PER_SEC));
	if (tms != NULL) {
		tms->tms_utime = ticks;
		tms->tms_stime = 0;
		tms->tms_cutime = 0;
		tms->tms_cstime = 0;
	}
	return ticks;
}
