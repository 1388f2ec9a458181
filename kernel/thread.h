/*
 * thread.h - kernel and user threads, sleep/wakeup and the scheduler.
 *
 * Model: one CPU; the kernel is non-preemptive.  A thread runs until it
 * blocks (thread_sleep), yields or exits.  Interrupt handlers only wake
 * threads and set need_resched; the switch happens at the next scheduling
 * point: when the running kernel thread blocks or yields, or when a trap
 * returns to user mode.  User threads are therefore preempted (at the end
 * of their process's time slice, or when a higher-priority thread wakes),
 * kernel code never is.
 *
 * Priorities: interrupt threads first, then kernel threads, then user
 * threads; within kernel and user threads HIGH, NORM and LOW, where for a
 * user thread its process's priority counts first and its own second:
 *
 *   level 0            interrupt threads
 *   levels 1..3        kernel threads HIGH, NORM, LOW
 *   levels 4..12       user threads: 4 + 3 * proc_prio + thread_prio
 *
 * Threads of one process do not preempt each other unless the process
 * asked for it (proc->preempt_threads): when such a process loses the CPU
 * at a time slice, the thread that was running is the one that resumes.
 *
 * Concurrency: all scheduler state is protected by disabling interrupts.
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>
#include <stdint.h>

enum prio { PRIO_HIGH = 0, PRIO_NORM = 1, PRIO_LOW = 2 };

enum thread_state {
	TS_FREE = 0,  /* slot unused */
	TS_RUNNABLE,  /* on a run queue */
	TS_RUNNING,   /* the current thread */
	TS_SLEEPING,  /* waiting for an event (or a timeout) */
	TS_DEAD,      /* exited; waiting to be reaped */
	TS_EMBRYO,    /* created, not yet started */
};

#define SCHED_LEVELS 13
#define KSTACK_SIZE 8192
#define THREAD_NAME 16
#define TIMESLICE_MS 20

struct proc;

struct thread {
	uint32_t kesp;             /* saved kernel stack pointer (owner) */
	uint8_t *kstack;           /* base of the kernel stack */
	char name[THREAD_NAME];    /* for ps and panics */
	int tid;                   /* global thread number */
	enum thread_state state;   /* irq-off */
	int prio;                  /* thread priority, PRIO_* */
	bool irq_thread;           /* runs above all others */
	struct proc *proc;         /* NULL for kernel threads */
	struct thread *rq_next;    /* run queue / sleep hash link (irq-off) */
	const void *wchan;         /* event slept on, NULL if none */
	uint32_t wake_at;          /* timed sleep deadline (ms), 0 if none */
	int wake_reason;           /* 0 woken, -1 timed out */
	void (*entry)(void *);     /* body of a kernel thread */
	void *arg;                 /* its argument */
	struct thread *joiner;     /* thread waiting in thread_join */
	bool detached;             /* reaped without a join */
	bool killed;               /* exit at the next return to user mode */
	int exit_code;             /* for thread_join */
	/* user threads */
	uint32_t user_local;       /* sys_getlocal value (thread_alloc base) */
	uint32_t user_eip;         /* first user instruction */
	uint32_t user_esp;         /* first user stack pointer */
	int pslot;                 /* index in the process's thread table */
	struct thread *pnext;      /* next thread of the same process */
	bool fpu_used;             /* has FPU state worth keeping */
	uint8_t fpu_state[512] __attribute__((aligned(16))); /* fxsave area */
	void *rpc;                 /* per-thread RPC state (rpc layer) */
	/* signals (Amoeba's exceptions and process signals) */
	uint32_t sigvec;           /* user address of its sig_vector array */
	uint32_t nsigvec;          /* entries there (owner) */
	int32_t sigpending;        /* raised, not yet delivered; 0 = none */
	bool sigsleep;             /* sleeping where a signal may wake it */
	bool sigkick;              /* a signal came while it was not so asleep */
	bool sigblocked;           /* sig_block: delivery held back (owner) */
	/* stun and migration (proc.c, spec 8.6) */
	bool stopped;              /* frozen by a stun; ustate is valid */
	uint32_t ustate[20];       /* its fault frame when frozen (PD order) */
	uint32_t *immig;           /* immigrant: the frame to start from */
};

/* thread_init: the boot flow becomes thread 0 ("boot"), kernel NORM. */
void thread_init(void);
/* thread_create_kernel: a new runnable kernel thread, or NULL. */
struct thread *thread_create_kernel(const char *name, void (*fn)(void *),
				    void *arg, int prio);
/* thread_create_irq: a kernel thread at interrupt-thread level. */
struct thread *thread_create_irq(const char *name, void (*fn)(void *),
				 void *arg);
/* thread_create_user: a thread of process p, started by thread_start. */
struct thread *thread_create_user(struct proc *p, const char *name,
				  void (*fn)(void *), void *arg, int prio);
void thread_start(struct thread *t);
extern struct thread *thread_cur;	/* the running thread (thread.c) */

/* thread_current: the running thread; inline, it is on every path. */
static inline struct thread *
thread_current(void)
{
	return thread_cur;
}
/* thread_exit: end the calling thread. */
void thread_exit(int code) __attribute__((noreturn));
/* thread_join: wait for t to exit and free it; returns its exit code. */
int thread_join(struct thread *t);
void thread_detach(struct thread *t);
/* thread_yield: let equal or higher levels run; back on the queue tail. */
void thread_yield(void);
/* thread_preempt_point: yield if due; false if the thread is being killed. */
bool thread_preempt_point(void);

/*
 * thread_sleep: block until thread_wakeup(ev) (returns 0) or until ms
 * milliseconds pass (returns -1; ms = 0 means no timeout).  Caller must
 * have interrupts disabled, so that the test of the condition and the
 * sleep are one step; they are disabled again on return.
 */
int thread_sleep(const void *ev, uint32_t ms);
#define THREAD_INTERRUPTED (-2) /* thread_sleep: the thread is being killed */
#define THREAD_SIGNALLED (-3)   /* thread_sleep_sig: a signal arrived */
/*
 * thread_sleep_sig: thread_sleep that thread_signal may also end early
 * (THREAD_SIGNALLED); for blocking calls that know how to abort.
 */
int thread_sleep_sig(const void *ev, uint32_t ms);
/*
 * thread_signal: raise sig in user thread t (delivered to its catcher at
 * its next return to user mode; dropped if it has none) and wake it if
 * it sleeps in thread_sleep_sig.  Irq context is not allowed.
 */
void thread_signal(struct thread *t, int32_t sig);
/* thread_kill: make t exit at its next return to user mode; wakes it. */
void thread_kill(struct thread *t);
/* thread_wakeup: make every thread sleeping on ev runnable. */
void thread_wakeup(const void *ev);
/* thread_wakeup_range: wake every sleeper on an event in [lo, hi). */
void thread_wakeup_range(uint32_t lo, uint32_t hi);
/* thread_wakeup_one: wake at most one (the oldest) sleeper on ev. */
bool thread_wakeup_one(const void *ev);
/* thread_msleep: sleep for ms milliseconds. */
void thread_msleep(uint32_t ms);

/* Scheduler hooks for the arch layer. */
void sched_tick(void);             /* every clock tick, irq context */
void thread_return_to_user(void);  /* before a trap returns to ring 3 */
void thread_user_fault(int trapno, uint32_t eip, uint32_t addr)
	__attribute__((noreturn));
int thread_level(const struct thread *t);
/* thread_relevel: p's priority changed; requeue its runnable threads. */
void thread_relevel(struct proc *p);
void thread_make_runnable(struct thread *t); /* caller: irq off */

/* Counters (for the sys server and tests). */
struct sched_stats {
	uint32_t switches;      /* context switches */
	uint32_t preemptions;   /* user threads preempted */
	uint32_t nthreads;      /* threads alive */
};
extern struct sched_stats sched_stats;

/*
 * thread_on_exit: fn(t) runs whenever a thread t ends, in the dying
 * thread with interrupts off.  Hooks registered later run first: the
 * layers above the core (processes, then the network) register after
 * it, so the highest lets go of a thread first.
 */
#define THREAD_NEXITHOOK 4
void thread_on_exit(void (*fn)(struct thread *t));

/* thread_foreach: call fn for each live thread (irq off inside). */
void thread_foreach(void (*fn)(struct thread *t, void *arg), void *arg);

/* Arch-side context operations (kernel/arch/i386). */
void arch_switch(uint32_t *old_esp, uint32_t new_esp);
void arch_thread_init(struct thread *t);
void arch_thread_switched(struct thread *prev, struct thread *next);
void fpu_forget(struct thread *t);

/* Kernel-mutex: a sleeping lock for kernel threads. */
struct kmutex {
	struct thread *owner;   /* irq-off */
};
/* kmutex_lock: uninterruptible; kmutex_lock_intr: 0, or THREAD_INTERRUPTED. */
void kmutex_lock(struct kmutex *m);
int kmutex_lock_intr(struct kmutex *m);
void kmutex_unlock(struct kmutex *m);

#endif /* KERNEL_THREAD_H */
