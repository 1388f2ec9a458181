/*
 * bench_thread.c - micro-benchmarks of one process's threads (spec 12,
 * src/test/performance/syscall thrdsw and sys_null):
 *
 *   bench: sys_null T us         one SYS_NULL system call
 *   bench: thread_switch T us    threadswitch between two threads of a
 *                                process (each switch: one yield)
 *   bench: sema_pingpong T us    a semaphore handed to a sleeping thread
 *                                and back, per hand-over
 *
 * thread_switch runs with preemption between threads enabled: without
 * it the kernel does not hand the processor to the sibling on a yield
 * (see test_prio "np").  Each result is checked (the threads really
 * alternated, per SYS_STATS and their counters; see below).  Run as
 * `init=bench_thread [iterations]`; exit status 0 when every check held.
 */
#include <stdio.h>
#include <stdlib.h>

#include <amoeba.h>
#include <semaphore.h>
#include <thread.h>
#include <module/syscall.h>

static long iters = 20000;
static volatile long ctr[2];
static volatile long irregular;		/* turns the other thread missed */
static semaphore done, ping, pong;

static unsigned long long
now_us(void)
{
	unsigned long long t;

	sys_micro(&t);
	return t;
}

static void
yielder(char *param, int psize)
{
	int me = (int)(long)param;
	long i, seen = -1;

	(void)psize;
	for (i = 0; i < iters; i++) {
		ctr[me]++;
		threadswitch();
		/* the other one ran in between (unless it has finished) */
		if (ctr[1 - me] < iters && ctr[1 - me] == seen)
			irregular++;
		seen = ctr[1 - me];
	}
	sema_up(&done);
}

static void
ponger(char *param, int psize)
{
	long i;

	(void)param;
	(void)psize;
	for (i = 0; i < iters; i++) {
		sema_down(&ping);
		sema_up(&pong);
	}
	sema_up(&done);
}

int
main(int argc, char **argv)
{
	unsigned long long t0, t1;
	struct vx_stats s0, s1;
	long i;
	int bad = 0;

	if (argc > 1)
		iters = atol(argv[1]);
	if (iters < 10)
		iters = 10;

	t0 = now_us();
	for (i = 0; i < iters; i++)
		sys_null();
	t1 = now_us();
	printf("bench: sys_null %.3f us\n", (double)(t1 - t0) / iters);

	thread_en_preempt(1);
	sema_init(&done, 0);
	thread_set_prio(VX_PRIO_HIGH);	/* start both, then wait */
	thread_newthread(yielder, 16384, (char *)0L, 0);
	thread_newthread(yielder, 16384, (char *)1L, 0);
	sys_stats(&s0);
	t0 = now_us();
	sema_down(&done);
	sema_down(&done);
	t1 = now_us();
	sys_stats(&s1);
	/*
	 * A thread preempted on its way back to user mode (a kernel
	 * thread woke) goes to the tail of its queue, so the sibling may
	 * get two turns in a row now and then; allow 1% of those.
	 */
	printf("# %u context switches for %ld yields, %ld irregular turns\n",
	       s1.switches - s0.switches, 2 * iters, irregular);
	if (irregular > iters / 50 ||
	    s1.switches - s0.switches < (unsigned)(2 * iters)) {
		printf("bench_thread: the threads did not alternate\n");
		bad = 1;
	}
	printf("bench: thread_switch %.3f us\n",
	       (double)(t1 - t0) / (double)(2 * iters));

	thread_set_prio(VX_PRIO_NORM);
	sema_init(&ping, 0);
	sema_init(&pong, 0);
	thread_newthread(ponger, 16384, NULL, 0);
	t0 = now_us();
	for (i = 0; i < iters; i++) {
		sema_up(&ping);
		sema_down(&pong);
	}
	t1 = now_us();
	sema_down(&done);
	printf("bench: sema_pingpong %.3f us\n",
	       (double)(t1 - t0) / (double)(2 * iters));
	return bad;
}
