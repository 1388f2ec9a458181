/*
 * test_signals.c - Amoeba's signals (module/signals.h, exception.h):
 * exceptions caught by the faulting thread with its registers in a
 * thread_ustate, sys_sigret resuming from changed registers, sig_raise
 * reaching every thread of the process that catches it (and no other),
 * a raised exception passing sig_block, a getreq ending with
 * RPC_ABORTED, and SIG_TRANS: a signalled client in trans makes the
 * server thread serving it catch SIG_TRANS, and the trans still gets the
 * server's reply.  Run as `init=test_signals`.
 */
#include <errno.h>
#include <setjmp.h>
#include <unistd.h>
#include <string.h>

#include "amoeba.h"
#include "stderr.h"
#include "thread.h"
#include "module/rnd.h"
#include "module/rpc.h"
#include "module/signals.h"
#include "module/syscall.h"
#include "check.h"

static jmp_buf env;
static volatile signum got_sig;
static volatile unsigned long got_trap, got_err;

static void
on_fault(signum sig, thread_ustate *us, void *extra)
{
	got_sig = sig;
	got_trap = us->if_trap;
	got_err = us->if_errcode;
	*(volatile int *)extra = 1;
	longjmp(env, 1);
}

static void
check_exceptions(void)
{
	volatile int zero = 0, caught = 0, r = 0;

	sig_catch(EXC_DIV, on_fault, (void *)&caught);
	if (setjmp(env) == 0)
		r = 10 / zero;
	CHECK(caught && got_sig == EXC_DIV && got_trap == 0 && r == 0,
	      "division by zero caught as EXC_DIV (trap 0)");
	caught = 0;
	sig_catch(EXC_MEM, on_fault, (void *)&caught);
	if (setjmp(env) == 0)
		*(volatile int *)0x90000010 = 1;
	CHECK(caught && got_sig == EXC_MEM && got_err == 0x90000010,
	      "write to unmapped memory caught as EXC_MEM with its address");
	caught = 0;
	sig_catch(EXC_ACC, on_fault, (void *)&caught);
	if (setjmp(env) == 0)
		*(volatile int *)0x00100000 = 1;	/* the kernel's memory */
	CHECK(caught && got_sig == EXC_ACC && got_trap == 14,
	      "write to kernel memory caught as EXC_ACC");
	sig_catch(EXC_DIV, NULL, NULL);
	sig_catch(EXC_MEM, NULL, NULL);
	sig_catch(EXC_ACC, NULL, NULL);
	CHECK(strcmp(exc_name(EXC_DIV), "division by zero") == 0, "exc_name");
}

static void
on_raise(signum sig, thread_ustate *us, void *extra)
{
	(void)extra;
	got_sig = sig;
	us->if_eax = 1234;		/* the interrupted call's result */
}

static void
check_sigret(void)
{
	signum s = sig_uniq();
	long r;

	sig_catch(s, on_raise, NULL);
	r = sys_newsys(SYS_SIGRAISE, s, 0, 0, 0);
	CHECK(got_sig == s && r == 1234,
	      "sig_raise: the catcher runs, sys_sigret loads its registers");
	got_sig = 0;
	sig_block();
	r = sys_newsys(SYS_SIGRAISE, s, 0, 0, 0);
	CHECK(got_sig == 0 && r == 0, "sig_block holds the signal back");
	sig_unblock();
	threadswitch();		/* a system call: delivery on its way out */
	CHECK(got_sig == s, "sig_unblock lets it through");
	sig_catch(s, NULL, NULL);
	CHECK(sig_uniq() != s, "sig_uniq gives fresh numbers");
}

/* ---- a thread blocked in getreq, a server and a signalled client ---- */

static port svc_get;
static volatile int getreq_result, getreq_done, caught_in_getreq;
static volatile int serving, sigtrans_seen, trans_status = -99, trans_done;

static void
flag_catcher(signum sig, thread_ustate *us, void *extra)
{
	(void)sig;
	(void)us;
	*(volatile int *)extra = 1;
}

static void
getreq_thread(char *param, int psize)
{
	header h;
	port p;

	(void)param;
	(void)psize;
	sig_catch(*(signum *)param, flag_catcher, (void *)&caught_in_getreq);
	uniqport(&p);
	memset(&h, 0, sizeof(h));
	h.h_port = p;
	getreq_result = ERR_CONVERT(getreq(&h, NILBUF, 0));
	getreq_done = 1;
	thread_exit();
}

static void
server_thread(char *param, int psize)
{
	unsigned long t0;
	header h;

	(void)param;
	(void)psize;
	sig_catch(SIG_TRANS, flag_catcher, (void *)&sigtrans_seen);
	memset(&h, 0, sizeof(h));
	h.h_port = svc_get;
	if (ERR_STATUS(getreq(&h, NILBUF, 0)))
		thread_exit();
	serving = 1;
	t0 = sys_milli();
	while (!sigtrans_seen && sys_milli() - t0 < 5000)
		threadswitch();
	h.h_status = sigtrans_seen ? 77 : 11;
	putrep(&h, NILBUF, 0);
	thread_exit();
}

static volatile int client_caught;

static void
client_thread(char *param, int psize)
{
	header h;

	(void)psize;
	sig_catch(*(signum *)param, flag_catcher, (void *)&client_caught);
	memset(&h, 0, sizeof(h));
	priv2pub(&svc_get, &h.h_port);
	if (!ERR_STATUS(trans(&h, NILBUF, 0, &h, NILBUF, 0)))
		trans_status = h.h_status;
	trans_done = 1;
	thread_exit();
}

/* Let the other threads run until cond or about ms milliseconds. */
static int
wait_for(volatile int *cond, unsigned long ms)
{
	unsigned long t0 = sys_milli();

	while (!*cond && sys_milli() - t0 < ms)
		threadswitch();
	return *cond;
}

static void
check_getreq_abort(void)
{
	static signum s;
	unsigned long t0 = sys_milli();

	s = sig_uniq();
	CHECK(thread_newthread(getreq_thread, 16384, (char *)&s, sizeof(s)),
	      "a thread waits in getreq");
	while (sys_milli() - t0 < 100)
		threadswitch();		/* it is in the kernel now */
	sig_raise(s);
	CHECK(wait_for(&getreq_done, 3000) && getreq_result == RPC_ABORTED,
	      "sig_raise: getreq ends with RPC_ABORTED");
	CHECK(caught_in_getreq, "... and that thread's catcher ran");
}

static void
check_sigtrans(void)
{
	static signum s;

	s = sig_uniq();
	uniqport(&svc_get);
	CHECK(thread_newthread(server_thread, 16384, NULL, 0) &&
	      thread_newthread(client_thread, 16384, (char *)&s, sizeof(s)),
	      "a server thread and a client thread");
	CHECK(wait_for(&serving, 3000), "the server is serving the request");
	sig_raise(s);			/* the client is in trans */
	CHECK(wait_for(&trans_done, 8000) && trans_status == 77,
	      "signalled client: the server caught SIG_TRANS and replied");
	CHECK(sigtrans_seen, "SIG_TRANS reached the serving thread");
}

static signum pause_sig;
static volatile int pause_caught;

static void
raiser(char *param, int psize)
{
	(void)param;
	(void)psize;
	sys_sleep(50);
	sig_raise(pause_sig);
	thread_exit();
}

static void
check_pause(void)
{
	unsigned long t0 = sys_milli();
	int r;

	pause_sig = sig_uniq();
	sig_catch(pause_sig, flag_catcher, (void *)&pause_caught);
	CHECK(thread_newthread(raiser, 16384, NULL, 0), "a thread to signal us");
	r = pause();
	CHECK(r == -1 && errno == EINTR && pause_caught &&
	      sys_milli() - t0 < 5000, "pause() returns when a signal came");
	sig_catch(pause_sig, NULL, NULL);
}

static volatile int sleeper_done;
static volatile unsigned long sleeper_ms;

/* Sleeps 400 ms with no catcher: a raised signal must not cut it short. */
static void
sleeper(char *param, int psize)
{
	unsigned long t0 = sys_milli();

	(void)param;
	(void)psize;
	sys_sleep(400);
	sleeper_ms = sys_milli() - t0;
	sleeper_done = 1;
	thread_exit();
}

static void
check_unaffected(void)
{
	static volatile int caught;
	signum s = sig_uniq();

	CHECK(s >= 0x10000 && s < 0x7FFFFFFF, "sig_uniq: in [2^16, 2^31)");
	CHECK(thread_newthread(sleeper, 16384, NULL, 0), "a sleeping thread");
	threadswitch();		/* it is asleep now */
	sig_raise(s);
	CHECK(wait_for(&sleeper_done, 3000) && sleeper_ms >= 390,
	      "a thread with no catcher is unaffected (its sleep is whole)");
	sig_catch((signum)-1, flag_catcher, (void *)&caught);
	sig_block();
	sig_raise((signum)-1);
	CHECK(caught, "a raised exception is caught even under sig_block");
	sig_unblock();
	sig_catch((signum)-1, NULL, NULL);
	CHECK(sys_newsys(SYS_SIGRAISE, 0, 0, 0, 0) == STD_ARGBAD,
	      "sig_raise(0): STD_ARGBAD");
}

int
main(void)
{
	check_exceptions();
	check_sigret();
	check_getreq_abort();
	check_sigtrans();
	check_pause();
	check_unaffected();
	return TEST_DONE();
}
