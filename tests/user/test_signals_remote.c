/*
 * test_signals_remote.c - signals to a process on another node through
 * its process server (pro_signal, PS_SIGNAL); run by
 * tests/user/t_signals_remote.py on two nodes.
 *
 *   test_signals_remote target
 *	catches SIG_A in its main thread and SIG_B in the main thread and
 *	in a worker blocked in getreq; prints "pid N ready", then a line
 *	for each signal that arrives, then "all caught" and waits for
 *	SIG_C, which it does not catch (the process is then stunned with
 *	SIG_C as detail: without an owner it ends with status SIG_C).
 *   test_signals_remote send NODE PID
 *	finds process PID on NODE (pro_list) and checks pro_signal's
 *	answers: bad signals, a capability without the kill right, a
 *	damaged capability; then sends SIG_A.  ok/not ok lines, exit 0 if
 *	all passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "amoeba.h"
#include "stderr.h"
#include "thread.h"
#include "module/prv.h"
#include "module/proc.h"
#include "module/rnd.h"
#include "module/rpc.h"
#include "module/run.h"
#include "module/signals.h"
#include "module/syscall.h"
#include "check.h"

#define SIG_A	76	/* caught by the main thread */
#define SIG_B	77	/* caught by the main thread and the worker */
#define SIG_C	78	/* caught by nobody */
#define NAME	"test_signals_remote"

static volatile int main_a, main_b, worker_b, worker_ready, worker_done;
static volatile int worker_status;

static void
flag_catcher(signum sig, thread_ustate *us, void *extra)
{
	(void)sig;
	(void)us;
	*(volatile int *)extra = 1;
}

/* Waits in getreq on a private port until a signal ends it. */
static void
worker(char *param, int psize)
{
	header h;

	(void)param;
	(void)psize;
	sig_catch(SIG_B, flag_catcher, (void *)&worker_b);
	memset(&h, 0, sizeof(h));
	uniqport(&h.h_port);
	worker_ready = 1;
	worker_status = ERR_CONVERT(getreq(&h, NILBUF, 0));
	worker_done = 1;
	thread_exit();
}

/* Wait (pause) until the main thread caught sig into *flag. */
static void
wait_caught(volatile int *flag)
{
	/*
	 * Blocked, a signal that comes before pause still ends it (the
	 * catcher runs at sig_unblock), so none is missed.
	 */
	for (;;) {
		sig_block();
		if (!*flag)
			(void)pause();
		sig_unblock();
		if (*flag)
			return;
	}
}

static int
target(void)
{
	unsigned long t0;

	sig_catch(SIG_A, flag_catcher, (void *)&main_a);
	sig_catch(SIG_B, flag_catcher, (void *)&main_b);
	if (!thread_newthread(worker, 16384, NULL, 0)) {
		printf(NAME ": no worker thread\n");
		return 1;
	}
	while (!worker_ready)
		threadswitch();	/* until it is about to wait in getreq */
	printf(NAME ": pid %d ready\n", (int)getpid());
	fflush(stdout);
	wait_caught(&main_a);
	printf(NAME ": main thread caught %d, worker %s\n", SIG_A,
	       worker_done ? "woken" : "still in getreq");
	fflush(stdout);
	wait_caught(&main_b);
	printf(NAME ": main thread caught %d\n", SIG_B);
	t0 = sys_milli();
	while (!worker_done && sys_milli() - t0 < 5000)
		threadswitch();
	printf(NAME ": worker's getreq ended with %s, caught %d: %s\n",
	       !worker_done ? "nothing" : worker_status == RPC_ABORTED ?
	       "RPC_ABORTED" : err_why(worker_status), SIG_B,
	       worker_b ? "yes" : "no");
	printf(NAME ": all caught, waiting for %d\n", SIG_C);
	fflush(stdout);
	for (;;)
		(void)pause();
}

/* The capability of process pid on node (pro_list); STD_OK or why not. */
static errstat
find_proc(const char *node, int pid, capability *cap)
{
	static struct ps_info ps[64];
	capability host;
	errstat err = run_host(node, &host);
	int n;

	if (err != STD_OK)
		return err;
	n = pro_list(&host, ps, 64);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		if (ps[i].pi_pid == pid && strcmp(ps[i].pi_name, NAME) == 0) {
			*cap = ps[i].pi_cap;
			return STD_OK;
		}
	return STD_NOTFOUND;
}

static int
send(const char *node, int pid)
{
	capability cap, weak, bad;

	if (!CHECK(find_proc(node, pid, &cap) == STD_OK,
		   "pro_list finds the target on its node"))
		return TEST_DONE();
	CHECK(pro_signal(&cap, 0) == STD_ARGBAD, "signal 0: STD_ARGBAD");
	CHECK(pro_signal(&cap, EXC_DIV) == STD_ARGBAD,
	      "an exception number: STD_ARGBAD");
	CHECK(pro_signal(NULL, SIG_A) == STD_ARGBAD,
	      "no capability: STD_ARGBAD");
	weak = cap;
	CHECK(prv_encode(&weak.cap_priv, prv_number(&cap.cap_priv), PSR_READ,
			 &cap.cap_priv.prv_random) == 0 &&
	      pro_signal(&weak, SIG_A) == STD_DENIED,
	      "a capability without PSR_KILL: STD_DENIED");
	bad = cap;
	bad.cap_priv.prv_random._portbytes[0] ^= 0x55;
	CHECK(pro_signal(&bad, SIG_A) == STD_CAPBAD,
	      "a damaged capability: STD_CAPBAD");
	CHECK(pro_signal(&cap, SIG_A) == STD_OK, "pro_signal(SIG_A): STD_OK");
	return TEST_DONE();
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "target") == 0)
		return target();
	if (argc == 4 && strcmp(argv[1], "send") == 0)
		return send(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: " NAME " target | send node pid\n");
	return 2;
}
