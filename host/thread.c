/*
 * thread.c - Amoeba threads on POSIX threads (thread.h, module/mutex.h,
 * semaphore.h) with Amoeba's non-preemptive semantics: an Amoeba thread
 * runs only while it holds amu_big, the process's one "CPU", and gives
 * it up only where it blocks (amunix_impl.h).  So code between two
 * blocking calls runs alone, as it does on Amoeba, and mutexes and
 * semaphores are plain counters under amu_big.
 *
 * Waiting: a thread that must wait for a mutex, a semaphore or a time
 * sleeps on one of AMU_NCV condition variables bound to amu_big, chosen
 * by the object's address; amu_notify wakes them all to re-check.
 *
 * Entry points: thread_newthread, thread_exit, thread_param,
 * thread_alloc, thread_self, thread_get_max_priority,
 * thread_set_priority, thread_enable_preemption, mu_*, sema_*, amunix_leave, amunix_enter; amu_self,
 * amu_big_lock, amu_big_unlock, amu_wait, amu_notify, amu_deadline for
 * libamunix.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amunix.h>
#include <thread.h>
#include <module/mutex.h>
#include <semaphore.h>

#include "host/amunix_impl.h"

#define AMU_MINSTACK	(256 * 1024)	/* room for the sanitizers too */
#define AMU_SIGSLICE	20		/* ms: see amu_wait */

pthread_mutex_t amu_big = PTHREAD_MUTEX_INITIALIZER;
__thread struct amu_thread *amu_cur;
static int next_index;			/* under amu_big */
static int next_module = 1;		/* thread_alloc ids, under amu_big */

/* A broken locking rule: say which and stop (every build). */
static void
amu_bug(const char *what)
{
	fprintf(stderr, "amunix: %s\n", what);
	abort();
}

void
amu_big_lock(struct amu_thread *t)
{
	if (t->holds_big)
		amu_bug("an Amoeba thread entered twice (amunix_enter?)");
	pthread_mutex_lock(&amu_big);
	t->holds_big = 1;
}

void
amu_big_unlock(struct amu_thread *t)
{
	if (!t->holds_big)
		amu_bug("an Amoeba thread left twice (amunix_leave?)");
	t->holds_big = 0;
	pthread_mutex_unlock(&amu_big);
}

struct amu_thread *
amu_self(void)
{
	struct amu_thread *t = amu_cur;

	if (t != NULL)
		return t;
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		fprintf(stderr, "amunix: out of memory\n");
		abort();
	}
	amu_cur = t;
	amu_big_lock(t);
	t->index = next_index++;
	amu_thread_add(t);
	return t;
}

void
amu_deadline(struct timespec *ts, int32_t ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* a < b on CLOCK_MONOTONIC */
static int
ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/*
 * A thread that catches signals waits in slices of AMU_SIGSLICE ms: a
 * SIG_TRANS posted by the network side (which cannot take amu_big)
 * gets its catcher run within one slice.
 */
int
amu_wait(const void *obj, const struct timespec *deadline)
{
	struct amu_thread *t = amu_cur;
	const struct timespec *until = deadline;
	struct timespec slice;
	int r;

	if (t == NULL || !t->holds_big)
		amu_bug("waiting outside an Amoeba thread (after amunix_leave?)");
	if (__atomic_load_n(&t->sigflag, __ATOMIC_ACQUIRE) && !t->sigblock) {
		amu_sig_deliver(t);
		return 0;
	}
	amu_idle();
	if (t->ncatch > 0) {		/* only its own thread changes it */
		amu_deadline(&slice, AMU_SIGSLICE);
		if (until == NULL || ts_before(&slice, until))
			until = &slice;
	}
	t->holds_big = 0;
	if (until)
		r = pthread_cond_timedwait(amu_cv(amu_big_cv, obj), &amu_big, until);
	else
		r = pthread_cond_wait(amu_cv(amu_big_cv, obj), &amu_big);
	t->holds_big = 1;
	if (r == ETIMEDOUT && until == &slice)
		r = 0;			/* a slice, not the deadline */
	amu_sig_check(t);
	return r == ETIMEDOUT ? -1 : 0;
}

void
amu_notify(const void *obj)
{
	pthread_cond_broadcast(amu_cv(amu_big_cv, obj));
}

void
amunix_leave(void)
{
	struct amu_thread *t = amu_self();

	amu_idle();
	amu_big_unlock(t);
}

void
amunix_enter(void)
{
	amu_big_lock(amu_self());
}

/* ---- threads ------------------------------------------------------------ */

static void *
thread_start(void *arg)
{
	struct amu_thread *t = arg;

	amu_cur = t;
	amu_thread_add(t);
	amu_big_lock(t);		/* runs when the creator blocks */
	t->func(t->param, t->psize);
	thread_exit();
}

int
thread_newthread(void (*func)(char *, int), int stacksize, char *param,
		 int psize)
{
	struct amu_thread *self = amu_self(), *t;
	pthread_attr_t a;
	pthread_t tid;
	int r;

	(void)self;
	if (func == NULL || stacksize < 0)
		return 0;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return 0;
	t->func = func;
	t->param = param;
	t->psize = psize;
	t->index = next_index++;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&a, stacksize < AMU_MINSTACK ? AMU_MINSTACK
				  : (size_t)stacksize + AMU_MINSTACK);
	r = pthread_create(&tid, &a, thread_start, t);
	pthread_attr_destroy(&a);
	if (r != 0) {
		free(t);
		errno = r;
		return 0;
	}
	return 1;
}

/*
 * End the calling thread: its call object and thread_alloc blocks go.
 * The process ends when its last thread has ended (main included), as
 * with pthread_exit.
 */
int
thread_exit(void)
{
	struct amu_thread *t = amu_self();

	amu_call_end(t);
	amu_thread_del(t);
	amu_idle();
	for (int i = 0; i < t->nglocal; i++)
		free(t->glocal[i]);
	free(t->glocal);
	amu_cur = NULL;
	amu_big_unlock(t);
	free(t);
	pthread_exit(NULL);
}

char *
thread_param(int *psize)
{
	struct amu_thread *t = amu_self();

	if (psize != NULL)
		*psize = t->psize;
	return t->param;
}

int
thread_self(void)
{
	return amu_self()->index;
}

char *
thread_alloc(int *id, int size)
{
	struct amu_thread *t = amu_self();
	char **n;

	if (id == NULL || size < 0)
		return NULL;
	if (*id == 0)
		*id = next_module++;
	if (*id < 0)
		return NULL;
	if (*id > t->nglocal) {
		n = realloc(t->glocal, (size_t)*id * sizeof(*n));
		if (n == NULL)
			return NULL;
		memset(n + t->nglocal, 0,
		       (size_t)(*id - t->nglocal) * sizeof(*n));
		t->glocal = n;
		t->nglocal = *id;
	}
	if (t->glocal[*id - 1] == NULL)
		t->glocal[*id - 1] = calloc(1, size ? (size_t)size : 1);
	return t->glocal[*id - 1];
}

/* One priority, and no preemption between the threads of a process. */
void
thread_get_max_priority(long *max)
{
	if (max != NULL)
		*max = 0;
}

void
thread_set_priority(long newprio, long *old)
{
	(void)newprio;
	if (old != NULL)
		*old = 0;
}

void
thread_enable_preemption(void)
{
}

/* ---- mutexes and semaphores: counters under amu_big ----------------------- */

void
mu_init(mutex *mu)
{
	*mu = 0;
}

/* Wait until ok(obj) or ms ms (ms < 0: forever); 0 when ok, else -1. */
static int
wait_until(int (*ok)(void *), void *obj, interval ms)
{
	struct timespec dl;

	amu_self();
	if (ms >= 0)
		amu_deadline(&dl, ms);
	while (!ok(obj))
		if (ms == 0 || amu_wait(obj, ms > 0 ? &dl : NULL) != 0)
			return ok(obj) ? 0 : -1;
	return 0;
}

static int
mu_free(void *obj)
{
	return *(mutex *)obj == 0;
}

void
mu_lock(mutex *mu)
{
	(void)mu_trylock(mu, -1);
}

int
mu_trylock(mutex *mu, interval ms)
{
	if (wait_until(mu_free, mu, ms) != 0)
		return -1;
	*mu = 1;
	return 0;
}

void
mu_unlock(mutex *mu)
{
	amu_self();
	*mu = 0;
	amu_notify(mu);
}

void
sema_init(semaphore *s, int level)
{
	s->s_level = level;
	s->s_waiters = 0;
}

int
sema_level(semaphore *s)
{
	return s->s_level;
}

static int
sema_positive(void *obj)
{
	return ((semaphore *)obj)->s_level > 0;
}

int
sema_trydown(semaphore *s, interval ms)
{
	int r;

	amu_self();
	s->s_waiters++;
	r = wait_until(sema_positive, s, ms);
	s->s_waiters--;
	if (r == 0)
		s->s_level--;
	return r;
}

void
sema_down(semaphore *s)
{
	(void)sema_trydown(s, -1);
}

void
sema_mup(semaphore *s, int n)
{
	amu_self();
	s->s_level += n;
	amu_notify(s);
}

void
sema_up(semaphore *s)
{
	sema_mup(s, 1);
}

void
sema_mdown(semaphore *s, int n)
{
	for (int i = 0; i < n; i++)
		sema_down(s);
}
