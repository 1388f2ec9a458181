/*
 * test_amoeba_api.c - the declarations and conventions Amoeba 5.3 gives
 * every program, as an Amoeba programmer relies on them (issue: source
 * compatibility): amoeba.h alone declares trans/getreq/putrep/timeout/
 * priv2pub/getcap and defines NILPORT, NILBUF, SIZEOFTABLE, mutex and
 * event; thread.h has Amoeba's priority calls (0 lowest, max highest,
 * old value through a pointer), thread_enable_preemption and
 * threadswitch, exitthread; amcc defines AMOEBA and i80386 and finds server headers
 * as "random/random.h".  Built with -Werror, so a missing declaration
 * fails the build.  Run as `init=test_amoeba_api`.
 */
#include <string.h>

#include "amoeba.h"
#include "stderr.h"
#include "thread.h"
#include "random/random.h"
#include "module/syscall.h"
#include "check.h"

#if !defined(AMOEBA) || !defined(i80386)
#error "amcc must define AMOEBA and i80386"
#endif

static mutex mu;			/* amoeba.h's mutex: a long, 0 free */
static event ev = NILBUF;
static const int table[] = { 1, 2, 3, 4, 5 };

static void
check_amoeba_h(void)
{
	capability *stdout_cap = getcap("STDOUT");
	header h;
	port g, p;
	bufsize n;

	CHECK(SIZEOFTABLE(table) == 5, "SIZEOFTABLE counts a table");
	CHECK(NILPORT == (port *)0 && ev == (bufptr)0, "NILPORT, NILBUF");
	CHECK(sizeof(mutex) == sizeof(long) && mu == 0, "mutex is a long");
	memset(&g, 7, sizeof(g));
	priv2pub(&g, &p);
	CHECK(!PORTCMP(&g, &p) && !NULLPORT(&p), "priv2pub from amoeba.h");
	CHECK(stdout_cap != NULL, "getcap(\"STDOUT\") from amoeba.h");
	CHECK(timeout(2000) >= 0, "timeout from amoeba.h");
	/* a trans to a port nobody serves: RPC_NOTFOUND, declared via amoeba.h */
	memset(&h, 0, sizeof(h));
	memset(&h.h_port, 0x5A, sizeof(h.h_port));
	timeout(300);
	n = trans(&h, NILBUF, 0, &h, NILBUF, 0);
	CHECK(ERR_CONVERT(n) == RPC_NOTFOUND, "trans to nobody: RPC_NOTFOUND");
}

static void
check_priorities(void)
{
	long max = -1, old = -1, again = -1;

	thread_get_max_priority(&max);
	CHECK(max == 2, "thread_get_max_priority: three levels, 0 .. 2");
	thread_set_priority(max, &old);
	CHECK(old == 1, "a thread starts in the middle (NORM = 1)");
	thread_set_priority(0, &old);
	CHECK(old == max, "thread_set_priority returns the old one via *old");
	CHECK(thread_set_prio(VX_PRIO_NORM) == VX_PRIO_LOW,
	      "Amoeba's 0 is VX's LOW");
	thread_set_priority(max + 5, &again);
	thread_set_priority(1, &again);
	CHECK(again == max, "a priority above the maximum is clamped");
	thread_set_priority(-3, &again);
	thread_set_priority(1, &again);
	CHECK(again == 0, "a negative priority is clamped to 0");
	thread_enable_preemption();
	CHECK(thread_en_preempt(0) == 1, "thread_enable_preemption turns it on");
	threadswitch();
	CHECK(1, "threadswitch declared by thread.h");
}

static volatile long ended_done;
static volatile int ended_step;

static void
exiting_thread(char *param, int psize)
{
	(void)param;
	(void)psize;
	ended_step = 1;
	exitthread((long *)&ended_done);
	ended_step = 2;		/* never reached */
}

static void
check_exitthread(void)
{
	unsigned long t0 = sys_milli();

	CHECK(thread_newthread(exiting_thread, 8192, NULL, 0),
	      "a thread that calls exitthread(&done)");
	while (!ended_done && sys_milli() - t0 < 3000)
		threadswitch();
	CHECK(ended_done == 1 && ended_step == 1,
	      "exitthread: the thread ended there and the kernel set *done");
}

int
main(void)
{
	check_amoeba_h();
	check_priorities();
	check_exitthread();
	CHECK(strcmp(RANDOM_SVR_NAME, "random") == 0,
	      "\"random/random.h\" found as Amoeba's -I h/server gives it");
	return TEST_DONE();
}
