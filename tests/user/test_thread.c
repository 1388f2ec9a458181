/*
 * test_thread.c - Amoeba threads, mutexes and semaphores in a VX process:
 * two threads counting under a mutex (with and without preemption),
 * floating point in both (the FPU state must follow each thread), per
 * thread errno and thread_alloc blocks, mu_trylock and sema_trydown
 * timeouts, malloc from several threads, and many short-lived threads
 * (their stacks are reclaimed); finally main ends with thread_exit and
 * the last thread reports.
 *
 * Run as `init=test_thread`; ok/not ok lines, exit status 0 = all passed.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <semaphore.h>
#include <module/mutex.h>
#include <module/syscall.h>

#include "check.h"

#define COUNT		20000
#define STACK		(32 * 1024)
#define WAIT_MS		20000

static mutex count_mu;
static volatile long counter;
static semaphore done;

struct worker {
	int id;				/* 1 or 2 */
	int param_ok;			/* thread_param gave this block */
	int errno_ok;			/* errno stayed per thread */
	int glocal_ok;			/* thread_alloc stayed per thread */
	int malloc_ok;			/* malloc'd blocks kept contents */
	double fp;			/* floating-point result */
};

static struct worker w[2];
static double fp_expect[2];

/* A floating-point loop whose result depends on every step. */
static double
fp_work(int id)
{
	double x = 0.5 + id;
	int i;

	for (i = 1; i <= 20000; i++) {
		x = x + sqrt((double)i) / (x + 1.0);
		if ((i & 1023) == 0)
			threadswitch();
	}
	return x;
}

static int glocal_id;

static void
worker_malloc(struct worker *me)
{
	char *p[32];
	int i, k;

	for (k = 0; k < 50; k++) {
		for (i = 0; i < 32; i++) {
			p[i] = malloc((size_t)(i * 37 + me->id));
			if (p[i])
				memset(p[i], me->id, (size_t)(i * 37 + me->id));
		}
		for (i = 0; i < 32; i++) {
			if (p[i] == NULL || p[i][i * 37 + me->id - 1] != me->id)
				me->malloc_ok = 0;
			free(p[i]);
		}
	}
}

static void
worker(char *param, int psize)
{
	struct worker *me = (struct worker *)param;
	int *g, i;

	me->param_ok = psize == (int)sizeof(*me) &&
		       thread_param(NULL) == param;
	g = (int *)thread_alloc(&glocal_id, sizeof(int));
	if (g)
		*g = me->id * 1000;
	errno = 100 + me->id;
	for (i = 0; i < COUNT; i++) {
		mu_lock(&count_mu);
		counter++;
		if ((i & 255) == 0)
			threadswitch();	/* the other thread must wait */
		mu_unlock(&count_mu);
	}
	me->fp = fp_work(me->id);
	me->malloc_ok = 1;
	worker_malloc(me);
	me->errno_ok = errno == 100 + me->id;
	me->glocal_ok = g && *g == me->id * 1000 &&
			(int *)thread_alloc(&glocal_id, sizeof(int)) == g;
	printf("# worker %d done\n", me->id);
	sema_up(&done);
}

static int
run_workers(void)
{
	int i, got = 0;

	counter = 0;
	mu_init(&count_mu);
	sema_init(&done, 0);
	for (i = 0; i < 2; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].id = i + 1;
		if (!thread_newthread(worker, STACK, (char *)&w[i],
				      sizeof(w[i])))
			return -1;
	}
	for (i = 0; i < 2; i++)
		got += sema_trydown(&done, WAIT_MS) == 0;
	return got;
}

static void
test_workers(const char *mode)
{
	char what[80];
	int got, i;

	errno = 7;
	got = run_workers();
	snprintf(what, sizeof(what), "%s: two threads finished", mode);
	CHECK(got == 2, what);
	if (got != 2)
		return;
	snprintf(what, sizeof(what), "%s: mutex counter %ld", mode, counter);
	CHECK(counter == 2 * COUNT, what);
	for (i = 0; i < 2; i++) {
		snprintf(what, sizeof(what), "%s: thread %d floating point",
			 mode, i + 1);
		CHECK(w[i].fp == fp_expect[i], what);
	}
	snprintf(what, sizeof(what), "%s: thread_param", mode);
	CHECK(w[0].param_ok && w[1].param_ok, what);
	snprintf(what, sizeof(what), "%s: errno per thread", mode);
	CHECK(w[0].errno_ok && w[1].errno_ok && errno == 7, what);
	snprintf(what, sizeof(what), "%s: thread_alloc per thread", mode);
	CHECK(w[0].glocal_ok && w[1].glocal_ok, what);
	snprintf(what, sizeof(what), "%s: malloc from both threads", mode);
	CHECK(w[0].malloc_ok && w[1].malloc_ok, what);
}

static mutex held;
static volatile int try_result = 99;
static volatile unsigned long try_ms;

static void
try_worker(char *param, int psize)
{
	unsigned long t0 = sys_milli();

	(void)param;
	(void)psize;
	try_result = mu_trylock(&held, 100);
	try_ms = sys_milli() - t0;
	sema_up(&done);
	thread_exit();
}

static void
test_timeouts(void)
{
	semaphore empty;
	unsigned long t0;

	mu_init(&held);
	mu_lock(&held);
	CHECK(mu_trylock(&held, 0) == -1, "mu_trylock(0) on a held mutex");
	sema_init(&done, 0);
	CHECK(thread_newthread(try_worker, STACK, NULL, 0), "start try_worker");
	CHECK(sema_trydown(&done, WAIT_MS) == 0 && try_result == -1 &&
	      try_ms >= 90, "mu_trylock(100) times out after 100 ms");
	mu_unlock(&held);
	CHECK(mu_trylock(&held, 100) == 0, "mu_trylock on a free mutex");
	mu_unlock(&held);
	sema_init(&empty, 0);
	t0 = sys_milli();
	CHECK(sema_trydown(&empty, 50) == -1 && sys_milli() - t0 >= 45,
	      "sema_trydown(50) times out");
	sema_up(&empty);
	CHECK(sema_level(&empty) == 1 && sema_trydown(&empty, 0) == 0,
	      "sema_up then sema_trydown");
}

static void
short_worker(char *param, int psize)
{
	(void)psize;
	__atomic_fetch_add((volatile int *)param, 1, __ATOMIC_SEQ_CST);
	sema_up(&done);
}

static void
test_many(void)
{
	static volatile int ran;
	int i, ok = 1;

	sema_init(&done, 0);
	for (i = 0; i < 200 && ok; i++) {
		ok = thread_newthread(short_worker, 8192, (char *)&ran, 0);
		ok = ok && sema_trydown(&done, WAIT_MS) == 0;
	}
	CHECK(ok && ran == 200, "200 short-lived threads, one after another");
}

/* Runs after main's thread_exit: the process must still be alive. */
static void
finisher(char *param, int psize)
{
	(void)param;
	(void)psize;
	sys_sleep(50);
	CHECK(1, "main's thread_exit leaves the other threads running");
	exit(TEST_DONE());
}

int
main(void)
{
	fp_expect[0] = fp_work(1);
	fp_expect[1] = fp_work(2);
	test_workers("cooperative");
	CHECK(thread_en_preempt(1) == 0, "enable preemption between threads");
	test_workers("preemptive");
	test_timeouts();
	test_many();
	if (!thread_newthread(finisher, STACK, NULL, 0)) {
		CHECK(0, "start the finisher thread");
		return TEST_DONE();
	}
	thread_exit();
}
