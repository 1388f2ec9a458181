/*
 * vampsd - the VAM in process-server mode: a Linux PC that starts OCaml
 * bytecode programs by PS_EXEC, as a node starts native ones.
 *
 *   vampsd -n NODE [-r RUNTIME]
 *
 * Serves, on the network of $VX_NET (libamunix), NODE's kernel directory
 * (SP_LOOKUP of "proc", so run_host, `ax -m NODE` and aps find it) and a
 * process server: PS_SEG_CREATE, PS_SEG_WRITE and STD_DESTROY of the
 * segments exec_file builds the initial stack in, PS_EXEC, STD_INFO.
 * exec_file (libamoeba/user/exec.c) starts bytecode as the descriptor of
 * its interpreter with VAMPROG, the bytecode file, in the capability
 * environment; vampsd reads argv, envp and that environment from the
 * stack segment, fetches the file into a folder of its own and runs it
 * with RUNTIME (default: ocamlrun-amunix beside vampsd) as a Linux
 * process with the program's argv and environment (plus $VX_NET).  Its
 * standard output and error, merged, go to the caller's STDOUT
 * capability (TTQ_WRITE; the caller's terminal server), its standard
 * input is empty (/dev/null), and its end goes to the owner as a PS_CHECKPOINT (exit
 * status, or 128 + signal as a fault) as a node's process server sends
 * it.  A descriptor without VAMPROG (a native i386 program) is refused
 * with EXEC_NATIVE and a line on stderr.
 *
 * Concurrency: Amoeba threads (libamunix: one runs at a time, switching
 * at Amoeba calls); the Linux reads and waitpid run between amunix_leave
 * and amunix_enter, touching nothing shared.  The segment and process
 * tables are changed only by Amoeba threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <amoeba.h>
#include <amunix.h>
#include <cmdreg.h>
#include <stdcom.h>
#include <stderr.h>
#include <thread.h>
#include <amoeba/pd.h>
#include <module/buffers.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <server/bullet/bullet.h>
#include <server/process/proc.h>
#include <server/soap/soap.h>
#include <server/tty/tty.h>

#define PSD_NSEG	16		/* stack segments at once */
#define PSD_NPROC	16		/* programs at once */
#define PSD_SEGMAX	(16 << 20)	/* largest segment */
#define PSD_NARG	256		/* argv and envp entries at most */
#define PSD_BUF		(PSVR_BUFSZ + 64)
#define PSD_PROCOBJ	100		/* process objects: 100 + slot */
#define PSD_CHUNK	4096		/* bytes a TTQ_WRITE */

extern char **environ;

struct seg {
	int used;
	port check;
	uint8_t *buf;
	uint32_t len;
};

struct proc {
	int used;
	port check;
	pid_t pid;
	int out;			/* the program's stdout and stderr */
	capability tty;			/* the caller's STDOUT */
	capability owner;		/* null port: none */
	struct pd_info pd;		/* for the checkpoint */
	char dir[64];			/* its folder (the bytecode) */
};

static port ps_get, ps_put, host_check, kdir_get;
static struct seg segs[PSD_NSEG];
static struct proc procs[PSD_NPROC];
static const char *runtime;

/* The process-server capability for object obj with check. */
static void
make_cap(capability *cap, int obj, port *check)
{
	cap->cap_port = ps_put;
	prv_encode(&cap->cap_priv, (objnum)obj, PRV_ALL_RIGHTS, check);
}

/* The kernel directory: "proc" only. */
static void
kdir_server(char *arg, int size)
{
	char name[64], rep[128], *p;
	capability ps;
	header h;
	int32 n;

	(void)arg;
	(void)size;
	make_cap(&ps, 0, &host_check);
	for (;;) {
		h.h_port = kdir_get;
		n = getreq(&h, name, sizeof(name) - 1);
		if (ERR_STATUS(n))
			continue;
		name[n] = 0;
		p = rep;
		if (h.h_command == SP_LOOKUP && strcmp(name, "proc") == 0) {
			p = buf_put_string(p, rep + sizeof(rep), "");
			p = buf_put_int16(p, rep + sizeof(rep), 1);
			p = buf_put_int16(p, rep + sizeof(rep), 1);
			p = buf_put_cap(p, rep + sizeof(rep), &ps);
			p = buf_put_int16(p, rep + sizeof(rep), 0);
			h.h_status = STD_OK;
		} else
			h.h_status = h.h_command == SP_LOOKUP ? STD_NOTFOUND
				     : STD_COMBAD;
		putrep(&h, rep, (bufsize)(p - rep));
	}
}

/* Word at user address va of seg s (based at base); 0 when outside. */
static uint32_t
word_at(struct seg *s, uint32_t base, uint32_t va)
{
	uint32_t w;

	if (va < base || va - base > s->len - 4)
		return 0;
	memcpy(&w, s->buf + (va - base), 4);
	return w;
}

/* The NUL-terminated string at va, or NULL when outside. */
static char *
str_at(struct seg *s, uint32_t base, uint32_t va)
{
	if (va < base || va - base >= s->len)
		return NULL;
	if (memchr(s->buf + (va - base), 0, s->len - (va - base)) == NULL)
		return NULL;
	return (char *)s->buf + (va - base);
}

/* A NULL-ended vector of strings at va into v (at most PSD_NARG). */
static int
strv_at(struct seg *s, uint32_t base, uint32_t va, char **v)
{
	int n = 0;
	uint32_t a;

	while (n < PSD_NARG && (a = word_at(s, base, va + 4 * (uint32_t)n)))
		if ((v[n++] = str_at(s, base, a)) == NULL)
			return -1;
	v[n] = NULL;
	return n;
}

/* The capability named name in the capv at va, into *cap; 0 or -1. */
static int
cap_at(struct seg *s, uint32_t base, uint32_t va, const char *name,
       capability *cap)
{
	uint32_t nm, cp;
	char *str;

	for (; (nm = word_at(s, base, va)) != 0; va += 8) {
		cp = word_at(s, base, va + 4);
		str = str_at(s, base, nm);
		if (str != NULL && strcmp(str, name) == 0 &&
		    cp >= base && cp - base <= s->len - CAPSIZE) {
			memcpy(cap, s->buf + (cp - base), CAPSIZE);
			return 0;
		}
	}
	return -1;
}

/* Copy the bytecode file prog into path; STD_OK or the error. */
static errstat
fetch(capability *prog, const char *path)
{
	static char buf[30000];
	b_fsize size, off, got;
	errstat err;
	FILE *f;

	if ((err = b_size(prog, &size)) != STD_OK)
		return err;
	if ((f = fopen(path, "wb")) == NULL)
		return STD_SYSERR;
	for (off = 0; off < size; off += got) {
		err = b_read(prog, off, buf, sizeof(buf), &got);
		if (err != STD_OK || got <= 0 ||
		    fwrite(buf, 1, (size_t)got, f) != (size_t)got) {
			fclose(f);
			return err != STD_OK ? err : STD_SYSERR;
		}
	}
	return fclose(f) == 0 ? STD_OK : STD_SYSERR;
}

/* Write n bytes to the tty capability (TTQ_WRITE), best effort. */
static void
tty_write(capability *tty, char *buf, int n)
{
	header h;

	while (n > 0) {
		int k = n > PSD_CHUNK ? PSD_CHUNK : n;

		h.h_port = tty->cap_port;
		h.h_priv = tty->cap_priv;
		h.h_command = TTQ_WRITE;
		h.h_size = (bufsize)k;
		if (ERR_STATUS(trans(&h, buf, (bufsize)k, &h, NILBUF, 0)))
			return;
		buf += k;
		n -= k;
	}
}

/* One program's end: its output to the caller, then the checkpoint to
 * its owner, then the slot and its folder are freed. */
static void
watcher(char *arg, int size)
{
	struct proc *p = (struct proc *)arg;
	uint8_t pdbuf[PSVR_BUFSZ];	/* each watcher its own: trans yields */
	char buf[PSD_CHUNK], path[PATH_MAX];
	int n, status = 0, pdlen;
	header h;

	(void)size;
	for (;;) {
		amunix_leave();
		n = (int)read(p->out, buf, sizeof(buf));
		amunix_enter();
		if (n <= 0)
			break;
		tty_write(&p->tty, buf, n);
	}
	amunix_leave();
	close(p->out);
	waitpid(p->pid, &status, 0);
	amunix_enter();
	memset(&h, 0, sizeof(h));
	h.h_command = PS_CHECKPOINT;
	if (WIFEXITED(status)) {
		h.h_extra = 0;
		h.h_offset = WEXITSTATUS(status);
	} else {
		h.h_extra = 2;		/* a fault: the signal number */
		h.h_offset = WTERMSIG(status);
	}
	if (!NULLPORT(&p->owner.cap_port)) {
		make_cap(&p->pd.self, PSD_PROCOBJ + (int)(p - procs), &p->check);
		pdlen = pd_put(&p->pd, pdbuf, sizeof(pdbuf));
		h.h_port = p->owner.cap_port;
		h.h_priv = p->owner.cap_priv;
		h.h_size = (bufsize)(pdlen > 0 ? pdlen : 0);
		trans(&h, (bufptr)pdbuf, pdlen > 0 ? (bufsize)pdlen : 0, &h,
		      NILBUF, 0);
	}
	snprintf(path, sizeof(path), "%s/prog.byte", p->dir);
	unlink(path);
	rmdir(p->dir);
	p->used = 0;
}

/* Start the Linux process of p: runtime FILE argv[1..], env + $VX_NET. */
static errstat
spawn(struct proc *p, char **argv, char **envp, const char *file)
{
	static char *args[PSD_NARG + 3], *env[PSD_NARG + 2], net[512];
	const char *vxnet = getenv("VX_NET");
	int fds[2], n = 0, e = 0;

	args[n++] = (char *)runtime;
	args[n++] = (char *)file;
	for (int i = 1; argv[0] != NULL && argv[i] != NULL; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	for (int i = 0; envp[i] != NULL; i++)
		if (strncmp(envp[i], "VX_NET=", 7) != 0)
			env[e++] = envp[i];
	snprintf(net, sizeof(net), "VX_NET=%s", vxnet ? vxnet : "");
	env[e++] = net;
	env[e] = NULL;
	if (pipe(fds) < 0)
		return STD_NOMEM;
	p->pid = fork();
	if (p->pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		execve(runtime, args, env);
		_exit(127);
	}
	close(fds[1]);
	if (p->pid < 0) {
		close(fds[0]);
		return STD_NOMEM;
	}
	p->out = fds[0];
	return STD_OK;
}

/* PS_EXEC of the descriptor in buf[0, n); *cap the process. */
static errstat
do_exec(uint8_t *buf, int n, capability *cap)
{
	static char *argv[PSD_NARG + 1], *envp[PSD_NARG + 1];
	static struct pd_info pd;
	char file[PATH_MAX];
	struct pd_segment *sd = NULL;
	capability prog;
	struct proc *p = NULL;
	struct seg *s;
	uint32_t sp, base;
	errstat err;
	int obj;

	if (pd_get(buf, (size_t)n, &pd) <= 0 || pd.nthread < 1)
		return STD_ARGBAD;
	for (int i = 0; i < pd.nseg; i++)
		if (PORTCMP(&pd.seg[i].sd_cap.cap_port, &ps_put))
			sd = &pd.seg[i];
	obj = sd != NULL ? prv_number(&sd->sd_cap.cap_priv) : 0;
	if (obj < 1 || obj > PSD_NSEG || !segs[obj - 1].used)
		return STD_ARGBAD;		/* no stack made here */
	s = &segs[obj - 1];
	base = sd->sd_addr;
	sp = pd.thread[0].sp;
	if (strv_at(s, base, word_at(s, base, sp + 4), argv) < 1 ||
	    strv_at(s, base, word_at(s, base, sp + 8), envp) < 0)
		return STD_ARGBAD;
	if (cap_at(s, base, word_at(s, base, sp + 12), "VAMPROG", &prog) < 0) {
		fprintf(stderr, "vampsd: %s: a native program refused (this "
			"host runs OCaml bytecode only)\n", argv[0]);
		return EXEC_NATIVE;
	}
	for (int i = 0; i < PSD_NPROC && p == NULL; i++)
		if (!procs[i].used)
			p = &procs[i];
	if (p == NULL)
		return STD_NOSPACE;
	if (cap_at(s, base, word_at(s, base, sp + 12), "STDOUT", &p->tty) < 0)
		memset(&p->tty, 0, sizeof(p->tty));
	snprintf(p->dir, sizeof(p->dir), "/tmp/vampsd.XXXXXX");
	if (mkdtemp(p->dir) == NULL)
		return STD_SYSERR;
	snprintf(file, sizeof(file), "%s/prog.byte", p->dir);
	if ((err = fetch(&prog, file)) == STD_OK)
		err = spawn(p, argv, envp, file);
	if (err != STD_OK) {
		unlink(file);
		rmdir(p->dir);
		return err;
	}
	p->used = 1;
	p->owner = pd.owner;
	p->pd = pd;
	uniqport(&p->check);
	make_cap(cap, PSD_PROCOBJ + (int)(p - procs), &p->check);
	free(s->buf);				/* MAP_AND_DESTROY */
	s->used = 0;
	if (!thread_newthread(watcher, 64 * 1024, (char *)p, sizeof(*p)))
		fprintf(stderr, "vampsd: no thread to watch %s\n", argv[0]);
	return STD_OK;
}

/* The object h's capability names: 0 host, 1.. segments, 100.. procs;
 * -1 when it does not validate. */
static int
object(header *h)
{
	int obj = prv_number(&h->h_priv);
	port *check = NULL;
	rights_bits rights;

	if (obj == 0)
		check = &host_check;
	else if (obj <= PSD_NSEG && segs[obj - 1].used)
		check = &segs[obj - 1].check;
	else if (obj >= PSD_PROCOBJ && obj < PSD_PROCOBJ + PSD_NPROC &&
		 procs[obj - PSD_PROCOBJ].used)
		check = &procs[obj - PSD_PROCOBJ].check;
	if (check == NULL || prv_decode(&h->h_priv, &rights, check) < 0)
		return -1;
	return obj;
}

/* PS_SEG_CREATE of len bytes; the segment's capability in h. */
static errstat
seg_create(header *h)
{
	uint32_t len = (uint32_t)h->h_offset;

	if (h->h_offset <= 0 || len > PSD_SEGMAX)
		return STD_ARGBAD;
	for (int i = 0; i < PSD_NSEG; i++)
		if (!segs[i].used) {
			if ((segs[i].buf = calloc(1, len)) == NULL)
				return STD_NOMEM;
			segs[i].used = 1;
			segs[i].len = len;
			uniqport(&segs[i].check);
			capability c;

			make_cap(&c, i + 1, &segs[i].check);
			h->h_port = c.cap_port;
			h->h_priv = c.cap_priv;
			return STD_OK;
		}
	return STD_NOSPACE;
}

static errstat
serve(header *h, uint8_t *buf, int n, char *rep, int *replen)
{
	int obj = object(h);
	struct seg *s;

	*replen = 0;
	if (obj < 0)
		return STD_CAPBAD;
	s = obj >= 1 && obj <= PSD_NSEG ? &segs[obj - 1] : NULL;
	switch (h->h_command) {
	case PS_SEG_CREATE:
		return obj == 0 ? seg_create(h) : STD_COMBAD;
	case PS_SEG_WRITE:
		if (s == NULL)
			return STD_COMBAD;
		if (h->h_offset < 0 || (uint32_t)h->h_offset > s->len ||
		    (uint32_t)n > s->len - (uint32_t)h->h_offset)
			return STD_ARGBAD;
		memcpy(s->buf + h->h_offset, buf, (size_t)n);
		return STD_OK;
	case PS_EXEC: {
		capability c;
		errstat err;

		if (obj != 0)
			return STD_COMBAD;
		if ((err = do_exec(buf, n, &c)) == STD_OK) {
			h->h_port = c.cap_port;
			h->h_priv = c.cap_priv;
		}
		return err;
	}
	case STD_DESTROY:
		if (s == NULL)
			return STD_COMBAD;
		free(s->buf);
		s->used = 0;
		return STD_OK;
	case STD_INFO:
		*replen = snprintf(rep, 64, obj == 0 ? "vam process server" :
				   s != NULL ? "segment" : "running bytecode");
		return STD_OK;
	default:
		return STD_COMBAD;
	}
}

static void
ps_server(char *arg, int size)
{
	static uint8_t buf[PSD_BUF];
	char rep[64];
	header h;
	int32 n;
	int replen;

	(void)arg;
	(void)size;
	for (;;) {
		h.h_port = ps_get;
		n = getreq(&h, (bufptr)buf, sizeof(buf));
		if (ERR_STATUS(n))
			continue;
		h.h_status = serve(&h, buf, n, rep, &replen);
		h.h_size = (bufsize)replen;
		putrep(&h, rep, (bufsize)replen);
	}
}

int
main(int argc, char **argv)
{
	static char rt[PATH_MAX];
	const char *node = NULL;
	int c;

	while ((c = getopt(argc, argv, "n:r:")) != -1)
		if (c == 'n')
			node = optarg;
		else if (c == 'r')
			runtime = optarg;
		else
			node = NULL, optind = argc + 1;
	if (node == NULL || node[0] == 0 || optind != argc) {
		fprintf(stderr, "usage: vampsd -n NODE [-r RUNTIME]\n");
		return 2;
	}
	if (runtime == NULL) {
		const char *slash = strrchr(argv[0], '/');

		snprintf(rt, sizeof(rt), "%.*socamlrun-amunix",
			 slash ? (int)(slash - argv[0] + 1) : 0, argv[0]);
		runtime = rt;
	}
	if (access(runtime, X_OK) != 0) {
		fprintf(stderr, "vampsd: %s: %s\n", runtime, strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	uniqport(&ps_get);
	priv2pub(&ps_get, &ps_put);
	uniqport(&host_check);
	kdir_getport(node, &kdir_get);
	if (!thread_newthread(kdir_server, 64 * 1024, NULL, 0))
		return 1;
	printf("vampsd: process server of %s (bytecode by %s)\n", node,
	       runtime);
	fflush(stdout);
	ps_server(NULL, 0);
	return 0;
}
