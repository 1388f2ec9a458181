/*
 * test_prio.c - thread priorities and preemption inside one process,
 * after Amoeba's src/test/kernel/priority tests (spec 12, 10.3):
 *
 *   t1  threads of different priorities blocked on one mutex get it in
 *       priority order (the lower one blocked first);
 *   t2  10 CPU-bound threads at one priority with preemption enabled
 *       all make progress: when the first finishes its work every other
 *       has done a fair share (>= 1/4) of its own;
 *   t3  with preemption enabled no lower-priority thread runs while a
 *       higher one is runnable (three CPU-bound threads finish strictly
 *       high, normal, low, and none advances during a higher one's run);
 *       a high thread woken by a low one runs at once;
 *   np  without preemption (the default) a CPU-bound thread keeps the
 *       processor through many time slices; the other thread runs only
 *       when it yields or blocks.
 *
 * Every ordering is made by priorities and blocking, never by sleeping;
 * the only clock use is sizing the CPU-bound loops (each spans many
 * 20 ms time slices).  Run as `init=test_prio`; ok/not ok lines, exit
 * status 0 = all passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <semaphore.h>
#include <thread.h>
#include <module/mutex.h>
#include <module/syscall.h>

#include "check.h"

#define STACK		16384
#define NWORK		10

static unsigned long loops_per_ms;	/* calibrated spin speed */

/* Spin n iterations, counting in *ctr (volatile: seen by others). */
static void
spin(unsigned long n, volatile unsigned long *ctr)
{
	volatile unsigned long x = 1;
	unsigned long i;

	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		(*ctr)++;
	}
}

/* Loops per ms: the best of three 50 ms runs (a busy host only slows). */
static void
calibrate(void)
{
	volatile unsigned long c = 0;
	unsigned long t0, n = 1000, ms, best = 0;
	int k;

	for (k = 0; k < 3; k++) {
		for (;;) {
			t0 = sys_milli();
			spin(n, &c);
			ms = sys_milli() - t0;
			if (ms >= 50)
				break;
			n *= 2;
		}
		if (n / ms > best)
			best = n / ms;
	}
	loops_per_ms = best ? best : 1;
	printf("# %lu loops per ms\n", loops_per_ms);
}

/* ---- t1: mutex waiters wake in priority order ---------------------- */

static mutex t1_mu;
static int t1_order[4], t1_n;
static semaphore t1_done;

static void
t1_waiter(char *param, int psize)
{
	long prio = (long)param;

	(void)psize;
	thread_set_prio(prio);
	mu_lock(&t1_mu);
	t1_order[t1_n++] = (int)prio;
	mu_unlock(&t1_mu);
	sema_up(&t1_done);
}

/*
 * main runs at PRIO_LOW, so each new (higher) waiter runs until it
 * blocks in mu_lock before thread_newthread returns to main.
 */
static void
t1_run(long first, long second, const char *what)
{
	char name[120];

	t1_n = 0;
	mu_init(&t1_mu);
	sema_init(&t1_done, 0);
	mu_lock(&t1_mu);
	thread_newthread(t1_waiter, STACK, (char *)first, 0);
	thread_newthread(t1_waiter, STACK, (char *)second, 0);
	CHECK(t1_n == 0, "t1: both waiters blocked on the mutex");
	mu_unlock(&t1_mu);
	sema_down(&t1_done);
	sema_down(&t1_done);
	snprintf(name, sizeof(name), "t1: %s: high priority first (got %d %d)",
		 what, t1_order[0], t1_order[1]);
	if (first == VX_PRIO_HIGH)
		CHECK(t1_n == 2 && t1_order[0] == VX_PRIO_HIGH &&
		      t1_order[1] == VX_PRIO_NORM, name);
	else	/* FIFO wakeup in the kernel gets this wrong */
		CHECK(t1_n == 2 && t1_order[0] == VX_PRIO_HIGH &&
			  t1_order[1] == VX_PRIO_NORM, name);
}

static void
t1(void)
{
	t1_run(VX_PRIO_HIGH, VX_PRIO_NORM, "high blocked first");
	t1_run(VX_PRIO_NORM, VX_PRIO_HIGH, "normal blocked first");
}

/* ---- t2: fairness among equal CPU-bound threads ---------------------- */

static volatile unsigned long t2_ctr[NWORK];
static volatile int t2_first = -1;
static unsigned long t2_snap[NWORK];
static unsigned long t2_work;
static semaphore t2_done;

static void
t2_worker(char *param, int psize)
{
	int me = (int)(long)param, i;
	unsigned long done = 0;

	(void)psize;
	while (done < t2_work && t2_first < 0) {
		spin(1000, &t2_ctr[me]);
		done += 1000;
	}
	if (t2_first < 0 && done >= t2_work) {
		t2_first = me;
		for (i = 0; i < NWORK; i++)
			t2_snap[i] = t2_ctr[i];
	}
	sema_up(&t2_done);
}

static void
t2(void)
{
	struct vx_stats s0, s1;
	unsigned long min = ~0ul;
	char name[120];
	int i, started;

	/* one worker's work is ~10 slices: ~100 slices in all */
	t2_work = loops_per_ms * 200;
	sema_init(&t2_done, 0);
	thread_set_prio(VX_PRIO_HIGH);	/* we wait above them */
	sys_stats(&s0);
	for (i = 0, started = 0; i < NWORK; i++)
		started += thread_newthread(t2_worker, STACK, (char *)(long)i,
					    0) != 0;
	CHECK(started == NWORK, "t2: start 10 CPU-bound workers");
	for (i = 0; i < NWORK; i++)
		sema_down(&t2_done);
	sys_stats(&s1);
	for (i = 0; i < NWORK; i++) {
		printf("# t2 worker %d: %lu when the first finished\n", i,
		       t2_snap[i]);
		if (t2_snap[i] < min)
			min = t2_snap[i];
	}
	/*
	 * Round robin gives each about the same share; 1/4 leaves room
	 * for a busy host (QEMU's clock runs on while it is descheduled).
	 */
	snprintf(name, sizeof(name),
		 "t2: every worker did >= 1/4 of its work when the first "
		 "finished (min %lu of %lu)", min, t2_work);
	CHECK(t2_first >= 0 && min >= t2_work / 4, name);
	printf("# t2: %u preemptions\n", s1.preemptions - s0.preemptions);
	CHECK(s1.preemptions - s0.preemptions >= NWORK,
	      "t2: the workers were preempted by the time slice");
}

/* ---- t3: strict priority with preemption ----------------------------- */

static volatile unsigned long t3_ctr[3];
static volatile int t3_finish[3], t3_nfinish;
static int t3_bad[3];
static semaphore t3_ready, t3_go, t3_done;
static unsigned long t3_work;

static void
t3_worker(char *param, int psize)
{
	int prio = (int)(long)param, o;
	unsigned long before[3], done = 0;

	(void)psize;
	thread_set_prio(prio);
	sema_up(&t3_ready);
	sema_down(&t3_go);
	for (o = 0; o < 3; o++)
		before[o] = t3_ctr[o];
	while (done < t3_work) {
		spin(1000, &t3_ctr[prio]);
		done += 1000;
		for (o = prio + 1; o < 3; o++)	/* lower ones stand still */
			if (t3_ctr[o] != before[o])
				t3_bad[prio] = 1;
	}
	t3_finish[t3_nfinish++] = prio;
	sema_up(&t3_done);
}

static volatile int t3_woken;
static semaphore t3_wake;

static void
t3_sleeper(char *param, int psize)
{
	(void)param;
	(void)psize;
	thread_set_prio(VX_PRIO_HIGH);
	sema_down(&t3_wake);
	t3_woken = 1;
	sema_up(&t3_done);
}

static void
t3(void)
{
	int i;

	t3_work = loops_per_ms * 200;
	sema_init(&t3_ready, 0);
	sema_init(&t3_go, 0);
	sema_init(&t3_done, 0);
	thread_set_prio(VX_PRIO_HIGH);
	for (i = 2; i >= 0; i--) {	/* low first: worst case for FIFO */
		thread_newthread(t3_worker, STACK, (char *)(long)i, 0);
		sema_down(&t3_ready);
	}
	sema_mup(&t3_go, 3);
	for (i = 0; i < 3; i++)
		sema_down(&t3_done);
	CHECK(t3_nfinish == 3 && t3_finish[0] == VX_PRIO_HIGH &&
	      t3_finish[1] == VX_PRIO_NORM && t3_finish[2] == VX_PRIO_LOW,
	      "t3: CPU-bound threads finish high, normal, low");
	CHECK(!t3_bad[VX_PRIO_HIGH],
	      "t3: normal and low did not run during the high thread's work");
	CHECK(!t3_bad[VX_PRIO_NORM],
	      "t3: low did not run during the normal thread's work");

	/* a high thread woken by a low one preempts it at once */
	sema_init(&t3_wake, 0);
	t3_woken = 0;
	thread_newthread(t3_sleeper, STACK, NULL, 0);
	thread_set_prio(VX_PRIO_LOW);	/* sleeper runs, blocks */
	CHECK(t3_woken == 0, "t3: the high thread is asleep");
	sema_up(&t3_wake);
	CHECK(t3_woken == 1, "t3: waking a high thread runs it at once");
	sema_down(&t3_done);
	thread_set_prio(VX_PRIO_NORM);
}

/* ---- np: no preemption between threads by default -------------------- */

static volatile unsigned long np_ctr[2];
static volatile int np_yield_saw;
static int np_ran_early;
static semaphore np_done;
static unsigned long np_work;

static void
np_worker(char *param, int psize)
{
	int me = (int)(long)param, other = 1 - me;
	unsigned long done = 0, seen;

	(void)psize;
	seen = np_ctr[other];
	while (done < np_work) {
		spin(1000, &np_ctr[me]);
		done += 1000;
		if (np_ctr[other] != seen)
			np_ran_early = 1;
	}
	if (me == 0) {
		threadswitch();	/* now the other one runs to its end */
		np_yield_saw = np_ctr[other] >= np_work;
	}
	sema_up(&np_done);
}

static void
np(void)
{
	struct vx_stats s0, s1;
	int i;

	np_work = loops_per_ms * 200;
	sema_init(&np_done, 0);
	sys_stats(&s0);
	for (i = 0; i < 2; i++)
		thread_newthread(np_worker, STACK, (char *)(long)i, 0);
	sema_down(&np_done);
	sema_down(&np_done);
	sys_stats(&s1);
	CHECK(!np_ran_early,
	      "np: a CPU-bound thread is not preempted by its sibling");
	CHECK(np_yield_saw,
		  "np: threadswitch lets the sibling run (to its end)");
	printf("# np: %u time slices ran out\n",
	       s1.preemptions - s0.preemptions);
}

/* ---- limits: threads per process ------------------------------------ */

static semaphore lim_hold, lim_done;

static void
lim_thread(char *param, int psize)
{
	(void)param;
	(void)psize;
	sema_down(&lim_hold);
	sema_up(&lim_done);
}

static void
limits(void)
{
	char name[100];
	int n, k;

	sema_init(&lim_hold, 0);
	sema_init(&lim_done, 0);
	for (n = 0; n < 64; n++)
		if (!thread_newthread(lim_thread, 8192, NULL, 0))
			break;
	snprintf(name, sizeof(name),
		 "the thread table is full after %d more threads", n);
	CHECK(n >= 16 && n < 64, name);
	sema_mup(&lim_hold, n);
	for (k = 0; k < n; k++)
		sema_down(&lim_done);
	sema_up(&lim_hold);
	for (k = 0; k < 100; k++)	/* until the ended ones are gone */
		if (thread_newthread(lim_thread, 8192, NULL, 0))
			break;
		else
			threadswitch();
	CHECK(k < 100, "a new thread starts once they have ended");
	sema_down(&lim_done);
}

int
main(void)
{
	calibrate();
	CHECK(thread_en_preempt(0) == 0, "preemption is off by default");
	np();
	CHECK(thread_en_preempt(1) == 0, "enable preemption");
	CHECK(thread_set_prio(VX_PRIO_LOW) == VX_PRIO_NORM,
	      "threads start at normal priority");
	t1();
	thread_set_prio(VX_PRIO_NORM);
	t2();
	thread_set_prio(VX_PRIO_NORM);
	t3();
	limits();
	CHECK(thread_set_prio(7) < 0, "a bad priority is refused");
	CHECK(thread_get_max_prio() == VX_PRIO_HIGH, "thread_get_max_prio");
	return TEST_DONE();
}
