/*
 * vam_tclient.c - C clients of the threaded ML server (vam/test/
 * vam_threads.ml), for tests/vam/t_vam_threads.py.
 *
 *   vam_tclient NAME
 *
 * NAME is the server's get-port (its first 6 characters).  One client
 * thread sends a slow request (the server sleeps 3000 ms on it); three
 * more client threads meanwhile send fast requests until one is answered
 * with h_size >= 1, i.e. by another server thread while the slow request
 * is being slept on, and note whether the slow reply had come back by
 * then (it must not have).  Then a quit request ends the server.  Prints
 * ok/not ok lines and "N passed, N failed"; exit status 0 when all
 * passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amoeba.h>
#include <semaphore.h>
#include <stderr.h>
#include <thread.h>
#include <module/mutex.h>
#include <module/prv.h>
#include <module/rpc.h>

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

int
main(int argc, char **argv)
{
	char name[PORTSIZE];
	header h;
	int32 r;
	int i;
	char what[100];

	if (argc != 2) {
		fprintf(stderr, "usage: vam_tclient NAME\n");
		return 2;
	}
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
