/*
 * vam_tclient.c - C clients of the threaded ML server (vam/test/
 * vam_threads.ml), for tests/vam/t_vam_threads.py, and the AFS
 * benchmark (tests/vam/bench_afs.py).
 *
 *   vam_tclient NAME
 *   vam_tclient afsbench
 *
 * NAME is the server's get-port (its first 6 characters).  One client
 * thread sends a slow request (the server sleeps 3000 ms on it); three
 * more client threads meanwhile send fast requests until one is answered
 * with h_size >= 1, i.e. by another server thread while the slow request
 * is being slept on, and note whether the slow reply had come back by
 * then (it must not have).  Then a quit request ends the server.
 *
 * afsbench starts AFS on this node (`ocamlrun /home/afs.byte -P
 * vx:afs:bench`, vam/afs), finds it on the public port of that name as
 * bullet_default_cap finds Bullet, and the node's C Bullet server by
 * bullet_default_cap; on each (told apart by STD_STATUS) it writes a
 * 1 MiB file, checks it, and times 20 reads of it (cached):
 *     bench: afs_read_1m R MB/s
 *     bench: bullet_read_1m_same R MB/s
 * and the ratio afs/bullet in percent as a comment.
 *
 * Prints ok/not ok lines and "N passed, N failed"; exit status 0 when all
 * passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amoeba.h>
#include <semaphore.h>
#include <stderr.h>
#include <stdcom.h>
#include <thread.h>
#include <module/mutex.h>
#include <module/prv.h>
#include <module/rpc.h>
#include <module/run.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/bullet/bs_find.h>
#include <server/bullet/bullet.h>

#define NFAST		3
#define SLOW_MS		3000
#define FAST_TRIES	400		/* a try every 20 ms: 8 s at most */

static port put;
static volatile int slow_done;		/* the slow reply is back */
static int32 slow_result;
static semaphore finished;
static int passed, failed;
static mutex out_mu;

struct fast {
	int seen;			/* answered while one slept */
	int slow_was_done;		/* slow reply back at that time */
	int tries;
	int32 err;
};
static struct fast fasts[NFAST];

static void
check(const char *what, int ok)
{
	mu_lock(&out_mu);
	if (ok)
		passed++;
	else
		failed++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", passed + failed, what);
	mu_unlock(&out_mu);
}

static int32
send(int cmd, int32 offset, header *h)
{
	char dummy;

	memset(h, 0, sizeof(*h));
	h->h_port = put;
	h->h_command = (uint16)cmd;
	h->h_offset = offset;
	return rpc_trans(h, NULL, 0, h, &dummy, 0);
}

static void
slow_thread(char *param, int psize)
{
	header h;

	(void)param;
	(void)psize;
	slow_result = send(1, SLOW_MS, &h);
	slow_done = 1;
	sema_up(&finished);
	thread_exit();
}

static void
fast_thread(char *param, int psize)
{
	struct fast *f = (struct fast *)param;
	header h;
	int32 r;

	(void)psize;
	for (f->tries = 1; f->tries <= FAST_TRIES; f->tries++) {
		r = send(2, 0, &h);
		if (r < 0) {
			f->err = r;
			break;
		}
		if (h.h_size >= 1) {
			f->slow_was_done = slow_done;
			f->seen = 1;
			break;
		}
		usleep(20 * 1000);
	}
	sema_up(&finished);
	thread_exit();
}

/* ---- afsbench ----------------------------------------------------------- */

#define MIB		(1024 * 1024)
#define READS		20
#define AFS_NAME	"vx:afs:bench"
#define FIND_MS		120000

/* The server answering STD_INFO on the public port of name (FNV-1a-64
 * of the name, its low 6 bytes little-endian): its capability. */
static errstat
find_public(const char *name, capability *cap)
{
	unsigned long long h = 0xCBF29CE484222325ull;
	char info[32];
	port get;
	header hd;
	int32 r;
	int i;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 0x100000001B3ull;
	for (i = 0; i < PORTSIZE; i++)
		get._portbytes[i] = (uint8)(h >> (8 * i));
	memset(&hd, 0, sizeof(hd));
	priv2pub(&get, &hd.h_port);
	hd.h_command = STD_INFO;
	hd.h_size = sizeof(info);
	r = rpc_trans(&hd, NULL, 0, &hd, info, sizeof(info));
	if (r < 0)
		return r;
	if (ERR_STATUS(hd.h_status))
		return ERR_CONVERT(hd.h_status);
	cap->cap_port = hd.h_port;
	cap->cap_priv = hd.h_priv;
	return STD_OK;
}

static unsigned long long
micros(void)
{
	unsigned long long us = 0;

	sys_micro(&us);
	return us;
}

/* Is cap's server AFS (its STD_STATUS begins with "afs")? */
static int
is_afs(capability *cap)
{
	char st[200];
	int n = 0;

	if (std_status(cap, st, sizeof(st) - 1, &n) != STD_OK)
		return -1;
	st[n > 0 ? n : 0] = '\0';
	return strncmp(st, "afs", 3) == 0;
}

/* Write, check and time READS reads of a 1 MiB file on server; MB/s or
 * a negative value on failure. */
static double
read_bench(capability *server, const char *what)
{
	static char out[MIB], in[MIB];
	capability f;
	b_fsize n = 0;
	unsigned long long t;
	char line[120];
	int i, ok;

	for (i = 0; i < MIB; i++)
		out[i] = (char)(i * 7 + (i >> 9));
	ok = b_create(server, out, MIB, BS_COMMIT, &f) == STD_OK;
	snprintf(line, sizeof(line), "%s: a 1 MiB file written", what);
	check(line, ok);
	if (!ok)
		return -1;
	ok = b_read(&f, 0, in, MIB, &n) == STD_OK && n == MIB &&
	     memcmp(in, out, MIB) == 0;
	snprintf(line, sizeof(line), "%s: read back intact", what);
	check(line, ok);
	t = micros();
	for (i = 0; i < READS && ok; i++)
		ok = b_read(&f, 0, in, MIB, &n) == STD_OK && n == MIB;
	t = micros() - t;
	snprintf(line, sizeof(line), "%s: %d reads of the cached file", what,
		 READS);
	check(line, ok);
	std_destroy(&f);
	return ok && t > 0 ? READS * (double)MIB / (double)t : -1;
}

static int
afsbench(void)
{
	static char *args[] = { "ocamlrun", "/home/afs.byte", "-P", AFS_NAME,
				NULL };
	extern char **environ;
	char where[RUN_NODEMAX];
	struct run_owner *o;
	capability host, ocap, proc, afs, bullet;
	unsigned long t0;
	errstat err;
	double a = -1, b = -1;

	err = run_pickhost(where, sizeof(where), &host);
	if (err == STD_OK)
		err = run_owner_new(&o, &ocap);
	if (err == STD_OK)
		err = run_prog("ocamlrun", &host, o, args, environ, run_capv(),
			       &proc);
	check("AFS started (ocamlrun /home/afs.byte)", err == STD_OK);
	if (err != STD_OK) {
		printf("# %s\n", err_why(err));
		goto done;
	}
	timeout(2000);
	t0 = sys_milli();
	while ((err = find_public(AFS_NAME, &afs)) != STD_OK &&
	       sys_milli() - t0 < FIND_MS)
		usleep(100 * 1000);
	check("AFS answers on its public port", err == STD_OK &&
	      is_afs(&afs) == 1);
	err = bullet_default_cap(&bullet);
	check("the node's Bullet server answers bullet_default_cap",
	      err == STD_OK && is_afs(&bullet) == 0);
	if (failed == 0) {
		a = read_bench(&afs, "AFS");
		b = read_bench(&bullet, "Bullet");
	}
	if (a > 0)
		printf("bench: afs_read_1m %.3f MB/s\n", a);
	if (b > 0)
		printf("bench: bullet_read_1m_same %.3f MB/s\n", b);
	if (a > 0 && b > 0)
		printf("# AFS reads at %.0f %% of Bullet's rate\n",
		       100.0 * a / b);
	std_destroy(&proc);
done:
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	char name[PORTSIZE];
	header h;
	int32 r;
	int i;
	char what[100];

	if (argc != 2) {
		fprintf(stderr, "usage: vam_tclient NAME | vam_tclient "
			"afsbench\n");
		return 2;
	}
	mu_init(&out_mu);
	if (strcmp(argv[1], "afsbench") == 0)
		return afsbench();
	memset(name, 0, sizeof(name));
	memcpy(name, argv[1], strlen(argv[1]) < PORTSIZE ? strlen(argv[1])
	       : PORTSIZE);
	memcpy(&put, name, PORTSIZE);
	priv2pub(&put, &put);
	mu_init(&out_mu);
	sema_init(&finished, 0);
	timeout(20000);
	/* the first transaction locates the server */
	r = send(2, 0, &h);
	check("the server answers a fast request", r == 0);
	if (r != 0) {
		printf("# trans: %s\n", err_why(r));
		printf("%d passed, %d failed\n", passed, failed);
		return 1;
	}
	if (!thread_newthread(slow_thread, 16384, NULL, 0)) {
		fprintf(stderr, "vam_tclient: no thread\n");
		return 1;
	}
	for (i = 0; i < NFAST; i++)
		if (!thread_newthread(fast_thread, 16384, (char *)&fasts[i],
				      sizeof(fasts[i]))) {
			fprintf(stderr, "vam_tclient: no thread\n");
			return 1;
		}
	for (i = 0; i < NFAST + 1; i++)
		sema_down(&finished);
	check("the slow request is answered", slow_result == 0);
	for (i = 0; i < NFAST; i++) {
		snprintf(what, sizeof(what), "client %d: a fast request answered"
			 " while the slow one slept (try %d%s%s)", i + 1,
			 fasts[i].tries, fasts[i].err ? ", " : "",
			 fasts[i].err ? err_why(fasts[i].err) : "");
		check(what, fasts[i].seen && !fasts[i].slow_was_done);
	}
	r = send(3, 0, &h);
	check("the quit request is answered", r == 0);
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
