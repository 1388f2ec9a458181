/*
 * thread.c - threads, sleep/wakeup and the priority scheduler (the model
 * is described in thread.h).
 *
 * Entry points: thread_init, thread_create_kernel, thread_create_irq,
 * thread_exit, thread_join, thread_yield, thread_sleep, thread_wakeup,
 * sched_tick, thread_return_to_user.
 */
#include <stddef.h>
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "kernel/thread.h"

#define NTHREAD 256

#define NBUCKET 64

struct sched_stats sched_stats;

static struct thread threads[NTHREAD];
struct thread *thread_cur;
static struct thread *rq_head[SCHED_LEVELS], *rq_tail[SCHED_LEVELS];
static uint32_t rq_mask;	/* bit l: rq_head[l] is not empty */
_Static_assert(SCHED_LEVELS <= 32, "rq_mask has a bit per level");
static struct thread *sleep_hash[NBUCKET];  /* by wchan, via rq_next */
static struct thread *timed[NTHREAD];        /* sleepers with a deadline */
static int ntimed;
static volatile bool need_resched;
static struct thread *reap_pending;          /* dead detached, to free */
static void (*exit_hooks[THREAD_NEXITHOOK])(struct thread *t);
static int nexit_hooks;

static unsigned
bucket(const void *ev)
{
	uint32_t x = (uint32_t)ev;

	return (x ^ (x >> 6) ^ (x >> 12)) % NBUCKET;
}

int
thread_level(const struct thread *t)
{
	if (t->irq_thread)
		return 0;
	if (t->proc == NULL)
		return 1 + t->prio;
	return 4 + 3 * t->proc->prio + t->prio;
}

/* Queue t at the tail of level l (its thread_level). */
static void
rq_push_at(struct thread *t, int l)
{
	t->rq_next = NULL;
	if (rq_tail[l])
		rq_tail[l]->rq_next = t;
	else
		rq_head[l] = t;
	rq_tail[l] = t;
	rq_mask |= 1u << l;
}

static void
rq_push(struct thread *t)
{
	rq_push_at(t, thread_level(t));
}

/* A preempted thread goes back first in line at its level. */
static void
rq_push_head(struct thread *t)
{
	int l = thread_level(t);

	t->rq_next = rq_head[l];
	rq_head[l] = t;
	if (rq_tail[l] == NULL)
		rq_tail[l] = t;
	rq_mask |= 1u << l;
}

/* Caller: interrupts off.  Puts t on its run queue. */
void
thread_make_runnable(struct thread *t)
{
	int l = thread_level(t);

	t->state = TS_RUNNABLE;
	rq_push_at(t, l);
	if (thread_cur && l < thread_level(thread_cur))
		need_resched = true;
}

/* May t run now?  Not if another thread of its non-preemptive process holds the CPU. */
static bool
may_run(const struct thread *t)
{
	const struct proc *p = t->proc;

	return p == NULL || p->preempt_threads || p->cpu_holder == NULL ||
	       p->cpu_holder == t;
}

/* The first thread that may run, from the highest non-empty level. */
static struct thread *
rq_take(void)
{
	for (uint32_t m = rq_mask; m != 0; m &= m - 1) {
		int l = __builtin_ctz(m);
		struct thread *prev = NULL;

		for (struct thread *t = rq_head[l]; t; prev = t, t = t->rq_next) {
			if (!may_run(t))
				continue;
			if (prev)
				prev->rq_next = t->rq_next;
			else
				rq_head[l] = t->rq_next;
			if (rq_tail[l] == t)
				rq_tail[l] = prev;
			if (rq_head[l] == NULL)
				rq_mask &= ~(1u << l);
			t->rq_next = NULL;
			return t;
		}
	}
	return NULL;
}

static void
reap(void)
{
	struct thread *t = reap_pending;

	if (t && t != thread_cur) {
		reap_pending = NULL;
		kfree(t->kstack);
		t->kstack = NULL;
		t->state = TS_FREE;
	}
}

/*
 * schedule: pick the next thread and switch to it.  Caller: interrupts
 * off, thread_cur already queued (if runnable) or sleeping/dead.
 */
static void
schedule(void)
{
	struct thread *prev = thread_cur, *next;

	need_resched = false;
	while ((next = rq_take()) == NULL) {
		arch_idle(); /* interrupts on while waiting */
		(void)arch_irq_save();
	}
	next->state = TS_RUNNING;
	if (next->proc)
		next->proc->cpu_holder = next;
	if (next == prev)
		return;
	sched_stats.switches++;
	thread_cur = next;
	arch_thread_switched(prev, next);
	arch_switch(&prev->kesp, next->kesp);
	/* back in prev, on its stack */
	reap();
}

static struct thread *
thread_alloc_slot(const char *name, int prio)
{
	uint32_t f = arch_irq_save();
	struct thread *t = NULL;

	for (int i = 0; i < NTHREAD; i++) {
		if (threads[i].state == TS_FREE && threads[i].kstack == NULL) {
			t = &threads[i];
			memset(t, 0, offsetof(struct thread, fpu_state));
			t->tid = i;
			t->state = TS_EMBRYO;
			break;
		}
	}
	arch_irq_restore(f);
	if (t == NULL)
		return NULL;
	t->kstack = kmalloc(KSTACK_SIZE);
	if (t->kstack == NULL) {
		t->state = TS_FREE;
		return NULL;
	}
	strncpy(t->name, name, THREAD_NAME - 1);
	t->prio = prio < PRIO_HIGH || prio > PRIO_LOW ? PRIO_NORM : prio;
	t->fpu_used = false;
	return t;
}

/* thread_boot: first C code of every new thread (from arch_thread_start). */
void
thread_boot(void)
{
	struct thread *t = thread_cur;

	reap();
	arch_irq_enable();
	t->entry(t->arg);
	thread_exit(0);
}

static struct thread *
start_thread(const char *name, void (*fn)(void *), void *arg, int prio,
	     bool irq)
{
	struct thread *t = thread_alloc_slot(name, prio);
	uint32_t f;

	if (t == NULL)
		return NULL;
	t->entry = fn;
	t->arg = arg;
	t->irq_thread = irq;
	arch_thread_init(t);
	f = arch_irq_save();
	sched_stats.nthreads++;
	thread_make_runnable(t);
	arch_irq_restore(f);
	return t;
}

struct thread *
thread_create_kernel(const char *name, void (*fn)(void *), void *arg,
		     int prio)
{
	return start_thread(name, fn, arg, prio, false);
}

struct thread *
thread_create_irq(const char *name, void (*fn)(void *), void *arg)
{
	return start_thread(name, fn, arg, PRIO_HIGH, true);
}

/* thread_create_user: a thread of process p; the caller starts it. */
struct thread *
thread_create_user(struct proc *p, const char *name, void (*fn)(void *),
		   void *arg, int prio)
{
	struct thread *t = thread_alloc_slot(name, prio);

	if (t == NULL)
		return NULL;
	t->entry = fn;
	t->arg = arg;
	t->proc = p;
	arch_thread_init(t);
	return t;
}

void
thread_start(struct thread *t)
{
	uint32_t f = arch_irq_save();

	sched_stats.nthreads++;
	thread_make_runnable(t);
	arch_irq_restore(f);
}

void
thread_init(void)
{
	struct thread *t = &threads[0];

	memset(t, 0, sizeof(*t));
	strcpy(t->name, "boot");
	t->state = TS_RUNNING;
	t->prio = PRIO_NORM;
	t->kstack = (uint8_t *)1; /* the boot stack, never freed */
	thread_cur = t;
	sched_stats.nthreads = 1;
}

void
thread_on_exit(void (*fn)(struct thread *t))
{
	if (nexit_hooks == THREAD_NEXITHOOK)
		panic("too many thread exit hooks");
	exit_hooks[nexit_hooks++] = fn;
}

void
thread_exit(int code)
{
	struct thread *t = thread_cur;

	(void)arch_irq_save();
	t->exit_code = code;
	t->state = TS_DEAD;
	sched_stats.nthreads--;
	fpu_forget(t);
	if (t->proc && t->proc->cpu_holder == t)
		t->proc->cpu_holder = NULL;
	for (int i = nexit_hooks; i-- > 0;)
		exit_hooks[i](t);
	if (t->detached) {
		reap(); /* at most one pending at a time */
		reap_pending = t;
	} else if (t->joiner) {
		thread_wakeup(t);
	}
	schedule();
	panic("dead thread %s scheduled", t->name);
}

int
thread_join(struct thread *t)
{
	uint32_t f = arch_irq_save();
	int code;

	t->joiner = thread_cur;
	while (t->state != TS_DEAD)
		thread_sleep(t, 0);
	code = t->exit_code;
	kfree(t->kstack);
	t->kstack = NULL;
	t->state = TS_FREE;
	arch_irq_restore(f);
	return code;
}

void
thread_detach(struct thread *t)
{
	uint32_t f = arch_irq_save();

	t->detached = true;
	if (t->state == TS_DEAD) {
		kfree(t->kstack);
		t->kstack = NULL;
		t->state = TS_FREE;
	}
	arch_irq_restore(f);
}

void
thread_yield(void)
{
	uint32_t f = arch_irq_save();

	if (thread_cur->proc && thread_cur->proc->cpu_holder == thread_cur)
		thread_cur->proc->cpu_holder = NULL; /* siblings may run now */
	thread_cur->state = TS_RUNNABLE;
	rq_push(thread_cur);
	schedule();
	arch_irq_restore(f);
}

static void
timed_remove(struct thread *t)
{
	for (int i = 0; i < ntimed; i++) {
		if (timed[i] == t) {
			timed[i] = timed[--ntimed];
			return;
		}
	}
}

static void
hash_remove(struct thread *t)
{
	struct thread **pp = &sleep_hash[bucket(t->wchan)];

	for (; *pp; pp = &(*pp)->rq_next) {
		if (*pp == t) {
			*pp = t->rq_next;
			return;
		}
	}
}

/* Caller: interrupts off.  Wake t from its sleep with reason r. */
static void
wake(struct thread *t, int r)
{
	if (t->wchan)
		hash_remove(t);
	if (t->wake_at)
		timed_remove(t);
	t->wchan = NULL;
	t->wake_at = 0;
	t->wake_reason = r;
	thread_make_runnable(t);
}

/*
 * Sleep on ev for at most ms (0 = no limit).  An interruptible sleep of a
 * thread being killed returns at once; an uninterruptible one (a kernel
 * mutex, which must not spin) really sleeps and may return
 * THREAD_INTERRUPTED once, when thread_kill wakes it.
 */
static int
sleep_on(const void *ev, uint32_t ms, bool intr)
{
	struct thread *t = thread_cur;

	KASSERT(!arch_irqs_enabled());
	if (intr && t->killed)
		return THREAD_INTERRUPTED;
	t->wchan = ev;
	t->wake_reason = 0;
	if (ev) {
		unsigned b = bucket(ev);

		t->rq_next = sleep_hash[b];
		sleep_hash[b] = t;
	}
	if (ms) {
		t->wake_at = arch_milli() + ms;
		if (t->wake_at == 0)
			t->wake_at = 1;
		timed[ntimed++] = t;
	}
	if (t->proc && t->proc->cpu_holder == t)
		t->proc->cpu_holder = NULL;
	t->state = TS_SLEEPING;
	schedule();
	return t->wake_reason;
}

int
thread_sleep(const void *ev, uint32_t ms)
{
	return sleep_on(ev, ms, true);
}

int
thread_sleep_sig(const void *ev, uint32_t ms)
{
	struct thread *t = thread_cur;
	int r;

	if (t->sigkick) {		/* raised while it was not sleeping */
		t->sigkick = false;
		return THREAD_SIGNALLED;
	}
	t->sigsleep = true;
	r = sleep_on(ev, ms, true);
	t->sigsleep = false;
	return r;
}

void
thread_signal(struct thread *t, int32_t sig)
{
	uint32_t f = arch_irq_save();

	t->sigpending = sig;
	if (t->state == TS_SLEEPING && t->sigsleep && t != thread_cur)
		wake(t, THREAD_SIGNALLED);
	else
		t->sigkick = true;	/* its next thread_sleep_sig ends at once */
	arch_irq_restore(f);
}

void
thread_wakeup(const void *ev)
{
	uint32_t f = arch_irq_save();
	struct thread **pp = &sleep_hash[bucket(ev)];

	while (*pp) {
		struct thread *t = *pp;

		if (t->wchan == ev)
			wake(t, 0); /* unlinks t from this chain */
		else
			pp = &t->rq_next;
	}
	arch_irq_restore(f);
}

bool
thread_wakeup_one(const void *ev)
{
	uint32_t f = arch_irq_save();
	struct thread *found = NULL;

	/* the highest priority; among equals the oldest (chains are newest first) */
	for (struct thread *t = sleep_hash[bucket(ev)]; t; t = t->rq_next)
		if (t->wchan == ev &&
		    (found == NULL || thread_level(t) <= thread_level(found)))
			found = t;
	if (found)
		wake(found, 0);
	arch_irq_restore(f);
	return found != NULL;
}

void
thread_kill(struct thread *t)
{
	uint32_t f = arch_irq_save();

	t->killed = true;
	if (t->state == TS_SLEEPING && t != thread_cur)
		wake(t, THREAD_INTERRUPTED);
	arch_irq_restore(f);
}

/* thread_wakeup_range: wake every sleeper whose event lies in [lo, hi). */
void
thread_wakeup_range(uint32_t lo, uint32_t hi)
{
	uint32_t f = arch_irq_save();

	for (int b = 0; b < NBUCKET; b++) {
		struct thread **pp = &sleep_hash[b];

		while (*pp) {
			struct thread *t = *pp;
			uint32_t ev = (uint32_t)t->wchan;

			if (ev >= lo && ev < hi)
				wake(t, 0); /* unlinks t */
			else
				pp = &t->rq_next;
		}
	}
	arch_irq_restore(f);
}

void
thread_msleep(uint32_t ms)
{
	uint32_t f = arch_irq_save();

	thread_sleep(NULL, ms ? ms : 1);
	arch_irq_restore(f);
}

/* Clock interrupt: time out sleepers, run down the user time slice. */
void
sched_tick(void)
{
	uint32_t now = arch_milli();
	struct thread *t = thread_cur;

	for (int i = 0; i < ntimed;) {
		struct thread *s = timed[i];

		if ((int32_t)(now - s->wake_at) >= 0)
			wake(s, -1); /* moves the last entry into slot i */
		else
			i++;
	}
	if (t && t->proc && t->state == TS_RUNNING) {
		t->proc->slice_left -= 1000 / ARCH_HZ;
		if (t->proc->slice_left <= 0)
			need_resched = true;
	}
}

/* Killed, and not just interrupted by a stun (proc.c)? */
static bool
must_exit(const struct thread *t)
{
	return t->killed && !(t->proc && t->proc->stun &&
			      t->proc->state == PS_LIVE);
}

/* A trap is about to return to user mode: preempt or end the thread. */
void
thread_return_to_user(void)
{
	struct thread *t = thread_cur;

	if (must_exit(t))
		thread_exit(-1);
	if (!need_resched)
		return;
	uint32_t f = arch_irq_save();
	t->state = TS_RUNNABLE;
	sched_stats.preemptions++;
	if (t->proc->slice_left <= 0) { /* slice over: to the back */
		t->proc->slice_left = TIMESLICE_MS;
		rq_push(t);
	} else {                        /* a higher level woke: keep its turn */
		rq_push_head(t);
	}
	schedule();
	arch_irq_restore(f);
	if (must_exit(t))
		thread_exit(-1);
}

/*
 * thread_preempt_point: inside a long system call (the kernel is not
 * preemptive), give up the CPU if the clock or a higher level asks for
 * it.  False if the thread is being killed: the call should end.
 */
bool
thread_preempt_point(void)
{
	struct thread *t = thread_cur;

	if (need_resched && !t->killed) {
		if (t->proc && t->proc->slice_left <= 0)
			t->proc->slice_left = TIMESLICE_MS;
		thread_yield();
	}
	return !t->killed;
}

/* thread_relevel: p's priority changed; move its queued threads. */
void
thread_relevel(struct proc *p)
{
	uint32_t f = arch_irq_save();
	struct thread *moved = NULL, *t;

	for (int l = 0; l < SCHED_LEVELS; l++) {
		struct thread **pp = &rq_head[l];

		rq_tail[l] = NULL;
		while ((t = *pp) != NULL) {
			if (t->proc == p) {
				*pp = t->rq_next;
				t->rq_next = moved;
				moved = t;
			} else {
				rq_tail[l] = t;
				pp = &t->rq_next;
			}
		}
		if (rq_head[l] == NULL)
			rq_mask &= ~(1u << l);
	}
	while ((t = moved) != NULL) {
		moved = t->rq_next;
		thread_make_runnable(t);
	}
	arch_irq_restore(f);
}

void
thread_foreach(void (*fn)(struct thread *t, void *arg), void *arg)
{
	for (int i = 0; i < NTHREAD; i++) {
		uint32_t f = arch_irq_save();
		struct thread *t = &threads[i];
		bool live = t->state != TS_FREE && t->state != TS_DEAD &&
			    t->state != TS_EMBRYO;

		arch_irq_restore(f);
		if (live)
			fn(t, arg);
	}
}

/* Uninterruptible: a killed thread waits its turn (it must not spin). */
void
kmutex_lock(struct kmutex *m)
{
	uint32_t f = arch_irq_save();

	while (m->owner)
		sleep_on(m, 0, false);
	m->owner = thread_cur;
	arch_irq_restore(f);
}

/* As kmutex_lock, but a thread being killed gives up: THREAD_INTERRUPTED. */
int
kmutex_lock_intr(struct kmutex *m)
{
	uint32_t f = arch_irq_save();
	int r = 0;

	while (m->owner && r == 0)
		if (thread_sleep(m, 0) == THREAD_INTERRUPTED)
			r = THREAD_INTERRUPTED;
	if (r == 0)
		m->owner = thread_cur;
	arch_irq_restore(f);
	return r;
}

void
kmutex_unlock(struct kmutex *m)
{
	uint32_t f = arch_irq_save();

	KASSERT(m->owner == thread_cur);
	m->owner = NULL;
	thread_wakeup_one(m);
	arch_irq_restore(f);
}
