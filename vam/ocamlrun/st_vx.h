/*
 * st_vx.h - the operating-system layer of OCaml's systhreads over Amoeba
 * threads on VX.
 *
 * OCaml's otherlibs/systhreads/st_stubs.c (Thread, Mutex, Condition and
 * the runtime's master lock) includes "st_posix.h" for everything it
 * needs from the system; scripts/build-ocaml.sh compiles a copy of
 * st_stubs.c beside this file under that name.  Here: threads are
 * libamoeba's thread_newthread (kernel threads, so a thread blocked in
 * rpc_getreq does not stop the others), thread-local data is
 * thread_alloc, mutexes are libamoeba's mutex (module/mutex.h), and the
 * condition variables, events and the master lock are built of a mutex
 * and a queue of waiters each sleeping on its own semaphore.  The tick
 * thread asks the running thread to yield every 50 ms, as on POSIX, by
 * recording SIGVTALRM (no real signal is sent).  VX has no fork, so
 * st_atfork does nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amoeba.h>
#include <semaphore.h>
#include <thread.h>
#include <module/mutex.h>

typedef int st_retcode;

#define SIGPREEMPTION	SIGVTALRM
#define ST_STACK	(256 * 1024)	/* C stack of an ML thread */

static int
st_initialize(void)
{
	return 0;
}

/* ---- threads --------------------------------------------------------- */

/* A started thread: its function, argument, and (when someone will join
 * it) a semaphore raised when it ends. */
struct st_vx_thread {
	void *(*fn)(void *);
	void *arg;
	int joinable;
	semaphore done;
};
typedef struct st_vx_thread *st_thread_id;

#define ST_THREAD_FUNCTION void *

static void
st_vx_start(char *param, int psize)
{
	struct st_vx_thread *t = (struct st_vx_thread *)param;

	(void)psize;
	t->fn(t->arg);
	if (t->joinable)
		sema_up(&t->done);
	else
		free(t);
	thread_exit();
}

static int
st_thread_create(st_thread_id *res, void *(*fn)(void *), void *arg)
{
	struct st_vx_thread *t = malloc(sizeof(*t));

	if (t == NULL)
		return ENOMEM;
	t->fn = fn;
	t->arg = arg;
	t->joinable = res != NULL;
	sema_init(&t->done, 0);
	/* thread_newthread keeps the pointer param, not a copy */
	if (!thread_newthread(st_vx_start, ST_STACK, (char *)t, sizeof(*t))) {
		free(t);
		return EAGAIN;
	}
	if (res != NULL)
		*res = t;
	return 0;
}

Caml_inline void
st_thread_cleanup(void)
{
}

CAMLnoreturn_start
static void st_thread_exit(void)
CAMLnoreturn_end;

static void
st_thread_exit(void)
{
	thread_exit();
}

static void
st_thread_join(st_thread_id t)
{
	sema_down(&t->done);
	free(t);
}

Caml_inline void
st_thread_set_id(intnat id)
{
	(void)id;
}

/* ---- thread-local data: one pointer per key -------------------------- */

typedef int st_tlskey;

static int
st_tls_newkey(st_tlskey *res)
{
	*res = 0;
	return thread_alloc(res, sizeof(void *)) == NULL ? ENOMEM : 0;
}

Caml_inline void *
st_tls_get(st_tlskey k)
{
	void **slot = (void **)thread_alloc(&k, sizeof(void *));

	return slot != NULL ? *slot : NULL;
}

Caml_inline void
st_tls_set(st_tlskey k, void *v)
{
	void **slot = (void **)thread_alloc(&k, sizeof(void *));

	if (slot != NULL)
		*slot = v;
}

/* ---- waiting: a queue of sleepers, each on its own semaphore --------- */

struct st_vx_waiter {
	semaphore s;
	struct st_vx_waiter *next;
};

/* Condition variable: the waiters in arrival order, under lock. */
struct st_vx_cond {
	mutex lock;
	struct st_vx_waiter *head, *tail;
};

static void
st_vx_cond_init(struct st_vx_cond *c)
{
	mu_init(&c->lock);
	c->head = c->tail = NULL;
}

/* Wake the first waiter (all when all is set). */
static void
st_vx_cond_wake(struct st_vx_cond *c, int all)
{
	struct st_vx_waiter *w;

	mu_lock(&c->lock);
	do {
		w = c->head;
		if (w == NULL)
			break;
		c->head = w->next;
		if (c->head == NULL)
			c->tail = NULL;
		sema_up(&w->s);
	} while (all);
	mu_unlock(&c->lock);
}

/* Release m, sleep until woken, take m again.  The waiter is queued
 * before m is released, so no wake-up between the two is lost. */
static void
st_vx_cond_wait(struct st_vx_cond *c, mutex *m)
{
	struct st_vx_waiter w;

	sema_init(&w.s, 0);
	w.next = NULL;
	mu_lock(&c->lock);
	if (c->tail != NULL)
		c->tail->next = &w;
	else
		c->head = &w;
	c->tail = &w;
	mu_unlock(&c->lock);
	mu_unlock(m);
	sema_down(&w.s);
	mu_lock(m);
}

/* ---- the master lock ------------------------------------------------- */

typedef struct {
	mutex lock;			/* protects busy and waiters */
	int busy;			/* 1 while a thread runs ML */
	volatile int waiters;		/* threads waiting for it */
	struct st_vx_cond is_free;
} st_masterlock;

static void
st_masterlock_init(st_masterlock *m)
{
	mu_init(&m->lock);
	st_vx_cond_init(&m->is_free);
	m->busy = 1;
	m->waiters = 0;
}

static void
st_masterlock_acquire(st_masterlock *m)
{
	mu_lock(&m->lock);
	while (m->busy) {
		m->waiters++;
		st_vx_cond_wait(&m->is_free, &m->lock);
		m->waiters--;
	}
	m->busy = 1;
	mu_unlock(&m->lock);
}

static void
st_masterlock_release(st_masterlock *m)
{
	mu_lock(&m->lock);
	m->busy = 0;
	mu_unlock(&m->lock);
	st_vx_cond_wake(&m->is_free, 0);
}

Caml_inline int
st_masterlock_waiters(st_masterlock *m)
{
	return m->waiters;
}

/* Hand the lock to a waiting thread and wait for it back.  The waiter
 * queue is FIFO, so the thread woken is one that waited before us. */
Caml_inline void
st_thread_yield(st_masterlock *m)
{
	mu_lock(&m->lock);
	if (m->waiters == 0) {
		mu_unlock(&m->lock);
		return;
	}
	m->busy = 0;
	st_vx_cond_wake(&m->is_free, 0);
	m->waiters++;
	do
		st_vx_cond_wait(&m->is_free, &m->lock);
	while (m->busy);
	m->busy = 1;
	m->waiters--;
	mu_unlock(&m->lock);
}

/* ---- ML mutexes: error-checking, as systhreads expects --------------- */

struct st_vx_mutex {
	mutex mu;
	volatile int owner;		/* thread_self() + 1 of the holder */
};
typedef struct st_vx_mutex *st_mutex;

#define MUTEX_DEADLOCK			EDEADLK
#define MUTEX_PREVIOUSLY_UNLOCKED	0
#define MUTEX_ALREADY_LOCKED		EBUSY
#define MUTEX_NOT_OWNED			EPERM

static int
st_mutex_create(st_mutex *res)
{
	st_mutex m = caml_stat_alloc_noexc(sizeof(*m));

	if (m == NULL)
		return ENOMEM;
	mu_init(&m->mu);
	m->owner = 0;
	*res = m;
	return 0;
}

static int
st_mutex_destroy(st_mutex m)
{
	caml_stat_free(m);
	return 0;
}

Caml_inline int
st_mutex_lock(st_mutex m)
{
	if (m->owner == thread_self() + 1)
		return MUTEX_DEADLOCK;
	mu_lock(&m->mu);
	m->owner = thread_self() + 1;
	return 0;
}

Caml_inline int
st_mutex_trylock(st_mutex m)
{
	if (mu_trylock(&m->mu, 0) != 0)
		return MUTEX_ALREADY_LOCKED;
	m->owner = thread_self() + 1;
	return MUTEX_PREVIOUSLY_UNLOCKED;
}

Caml_inline int
st_mutex_unlock(st_mutex m)
{
	if (m->owner != thread_self() + 1)
		return MUTEX_NOT_OWNED;
	m->owner = 0;
	mu_unlock(&m->mu);
	return 0;
}

/* ---- ML condition variables ------------------------------------------ */

typedef struct st_vx_cond *st_condvar;

static int
st_condvar_create(st_condvar *res)
{
	st_condvar c = caml_stat_alloc_noexc(sizeof(*c));

	if (c == NULL)
		return ENOMEM;
	st_vx_cond_init(c);
	*res = c;
	return 0;
}

static int
st_condvar_destroy(st_condvar c)
{
	caml_stat_free(c);
	return 0;
}

Caml_inline int
st_condvar_signal(st_condvar c)
{
	st_vx_cond_wake(c, 0);
	return 0;
}

Caml_inline int
st_condvar_broadcast(st_condvar c)
{
	st_vx_cond_wake(c, 1);
	return 0;
}

Caml_inline int
st_condvar_wait(st_condvar c, st_mutex m)
{
	int self = thread_self() + 1;

	if (m->owner != self)
		return MUTEX_NOT_OWNED;
	m->owner = 0;
	st_vx_cond_wait(c, &m->mu);
	m->owner = self;
	return 0;
}

/* ---- events (a thread's termination, for Thread.join) ---------------- */

typedef struct st_event_struct {
	mutex lock;
	int status;			/* 1 once triggered */
	struct st_vx_cond triggered;
} *st_event;

static int
st_event_create(st_event *res)
{
	st_event e = caml_stat_alloc_noexc(sizeof(*e));

	if (e == NULL)
		return ENOMEM;
	mu_init(&e->lock);
	st_vx_cond_init(&e->triggered);
	e->status = 0;
	*res = e;
	return 0;
}

static int
st_event_destroy(st_event e)
{
	caml_stat_free(e);
	return 0;
}

static int
st_event_trigger(st_event e)
{
	mu_lock(&e->lock);
	e->status = 1;
	mu_unlock(&e->lock);
	st_vx_cond_wake(&e->triggered, 1);
	return 0;
}

static int
st_event_wait(st_event e)
{
	mu_lock(&e->lock);
	while (e->status == 0)
		st_vx_cond_wait(&e->triggered, &e->lock);
	mu_unlock(&e->lock);
	return 0;
}

/* ---- errors, the tick thread, fork ----------------------------------- */

static void
st_check_error(int retcode, char *msg)
{
	char buf[128];

	if (retcode == 0)
		return;
	if (retcode == ENOMEM)
		caml_raise_out_of_memory();
	snprintf(buf, sizeof(buf), "%s: %s", msg, strerror(retcode));
	caml_raise_sys_error(caml_copy_string(buf));
}

static volatile int caml_tick_thread_stop = 0;

static void *
caml_thread_tick(void *arg)
{
	(void)arg;
	while (!caml_tick_thread_stop) {
		usleep(Thread_timeout * 1000);
		caml_record_signal(SIGPREEMPTION);
	}
	return NULL;
}

static int
st_atfork(void (*fn)(void))
{
	(void)fn;
	return 0;
}
