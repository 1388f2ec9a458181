/*
 * proc.h - user processes.
 *
 * A process is an address space (its own page directory, the kernel
 * mapped supervisor-only in every one), the segments mapped into it, and
 * its threads.  Processes are started from process descriptors (PDs) by
 * the process server and end by exit, by a fault or by being killed; all
 * their segments and threads are freed then.
 * Entry points here: creating and mapping (proc_create, proc_map,
 * proc_unmap), starting from a process descriptor (proc_exec, exec.c),
 * threads (proc_new_thread), the end (proc_kill, proc_wait, proc_detach,
 * proc_abort) and the hooks of the layers above (proc_on_gone).
 * Concurrency: the process table and each process's thread list are
 * protected by disabling interrupts; fields marked (owner) are touched
 * only by the process's own threads or before it starts.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amoeba.h>
#include <amoeba/pd.h>	/* struct cap_env */

#define NPROC 64
#define PROC_MAXTHREAD 32
#define PROC_MAXMAP 80	/* text, data, bss, stack, heap, 64 thread stacks, ... */
#define PROC_NAME 32

struct thread;
struct segment;

/* A segment mapped into a process. */
struct mapping {
	struct segment *seg; /* NULL if the slot is free */
	uint32_t va;         /* start address */
	uint32_t len;        /* mapped length (page multiple) */
	bool writable;       /* mapped read-write */
	uint32_t type;       /* sd_type bits from the PD */
};

enum proc_state { PS_FREE = 0, PS_LIVE, PS_DYING, PS_ZOMBIE };

/* How a process ended (for the owner and `vx: init exited`). */
enum { PROC_EXITED = 0, PROC_FAULTED = 1, PROC_KILLED = 2 };
struct proc_exit {
	int how;          /* PROC_EXITED, PROC_FAULTED, PROC_KILLED */
	int status;       /* exit status */
	int trapno;       /* fault: trap number */
	uint32_t eip;     /* fault: instruction address */
	uint32_t addr;    /* fault: address (page fault) or error code */
};

struct proc {
	int pid;                        /* slot number */
	enum proc_state state;          /* irq-off */
	char name[PROC_NAME];           /* program name */
	uint32_t *pgdir;                /* page directory (physical = virtual) */
	int prio;                       /* PRIO_HIGH/NORM/LOW */
	bool preempt_threads;           /* threads may preempt each other */
	struct thread *cpu_holder;      /* non-preemptive: the thread owning the CPU */
	int slice_left;                 /* ms left in the time slice */
	struct thread *threads;         /* list through thread->pnext */
	int nthreads;                   /* live threads */
	struct mapping map[PROC_MAXMAP]; /* mapped segments */
	uint32_t heap_va;               /* sbrk segment start (0 = none) */
	struct proc_exit exit;          /* why it ended */
	capability self;                /* its capability at the process server */
	capability owner;               /* gets the exit checkpoint */
	port check;                     /* check field secret */
	void (*on_exit)(struct proc *p, void *arg); /* exit notification */
	void *on_exit_arg;
	struct thread *waiter;          /* thread waiting in proc_wait */
	uint32_t rpc_addr[2];           /* FLIP process address (rpc layer) */
	void *rpc;                      /* per-process RPC state */
	bool stun;                      /* being stunned (irq-off) */
	int nstopped;                   /* threads frozen by it (irq-off) */
	/* Device grants (kernel/svr/devsvr.c; the TSS copy is irq-off). */
	uint8_t *iomap;                 /* 8 KiB I/O bitmap, NULL = no port */
	uint16_t io_lo, io_hi;          /* its byte range that may be open */
	uint32_t dev_base, dev_va;      /* device mappings use [dev_base, dev_va) */
};


/* proc_init: hook processes into the thread and segment layers. */
void proc_init(void);
struct proc *proc_current(void);
struct proc *proc_by_pid(int pid);
int proc_count(void);

/*
 * proc_exec: start a process from an Amoeba executable image (a marshalled
 * PD followed by the contents its segments point at with null
 * capabilities).  argv/envp are NULL-terminated; caps has ncaps entries;
 * prio is the process priority (PRIO_HIGH, PRIO_NORM or PRIO_LOW).
 * Returns the running process, or NULL with *err set.
 */
struct proc *proc_exec(const uint8_t *image, size_t len, const char *name,
		       const char *const *argv, const char *const *envp,
		       const struct cap_env *caps, int ncaps, int prio,
		       errstat *err);

struct proc *proc_create(const char *name, int prio);
/* proc_va_used: does [va, va+len) overlap a segment mapped in p? */
bool proc_va_used(const struct proc *p, uint32_t va, uint32_t len);
int proc_map(struct proc *p, struct segment *s, uint32_t va, bool writable,
	     uint32_t type);
errstat proc_unmap(struct proc *p, int idx);
/* proc_seg_can_grow: may s reach newlen in every process that maps it? */
bool proc_seg_can_grow(const struct segment *s, uint32_t newlen);
struct thread *proc_new_thread(struct proc *p, uint32_t eip, uint32_t esp,
			       uint32_t local);

/*
 * proc_set_fetcher: fn reads n bytes at off of an object on another
 * server (a segment on another node, a file) into dst, for PDs whose
 * segments name one; the process server registers it.  Without one,
 * such a PD fails with STD_NOTFOUND.  dfn std_destroys such an object
 * (MAP_AND_DESTROY).
 */
typedef errstat (*proc_fetch_fn)(const capability *cap, uint32_t off,
				 void *dst, uint32_t n);
typedef errstat (*proc_destroy_fn)(const capability *cap);
void proc_set_fetcher(proc_fetch_fn fn, proc_destroy_fn dfn);

/* proc_kill: end p as if it had called exit with how/status. */
void proc_kill(struct proc *p, int how, int status);
void proc_wait(struct proc *p, struct proc_exit *ex);
void proc_detach(struct proc *p);
/* proc_abort: tear down a process that never started a thread. */
void proc_abort(struct proc *p);

/*
 * Stun (spec 8.6).  proc_stun asks every thread of p to stop at a
 * resumable point: on its way back to user mode, or, blocked in a
 * system call, interrupted and set back to restart that call (the arch
 * layer rewinds the trap frame).  proc_stun_wait waits at most ms for
 * all of them; then every thread's t->ustate (and fpu_state) is its
 * state.  proc_resume lets them go on; proc_kill ends them.
 * proc_stop_point: the arch layer's call for the current thread with
 * its frame u (20 words, PD order); returns when the stun is over.
 */
errstat proc_stun(struct proc *p);
bool proc_stun_wait(struct proc *p, uint32_t ms);
void proc_resume(struct proc *p);
void proc_stop_point(const uint32_t *u);
/*
 * getinfo (SYS_GETINFO, spec 8.6): the PD of p in checkpoint form, made
 * by the function the process server registers (proc_set_getinfo); its
 * size, or a negative errstat (STD_SYSERR without one).  The caller's own
 * thread state is recorded first (the arch layer, at the system call);
 * other threads that are not stopped show their last recorded state.
 */
typedef int (*proc_getinfo_fn)(struct proc *p, uint8_t *buf, size_t len);
void proc_set_getinfo(proc_getinfo_fn fn);
int proc_getinfo(struct proc *p, uint8_t *buf, size_t len);
/*
 * proc_new_thread_frame: an immigrating thread that starts with the PD
 * fault frame u, kernel state k (timeout, sigvec, svlen, signal, local)
 * and, if fpu is not NULL, that fxsave image.
 */
struct thread *proc_new_thread_frame(struct proc *p, const uint32_t *u,
				     const uint32_t *k, const uint8_t *fpu);

/*
 * proc_on_gone: fn(p) runs when process p is torn down (its last thread
 * ended), with its segments still mapped, interrupts off; later hooks
 * run first.
 */
#define PROC_NGONEHOOK 8
void proc_on_gone(void (*fn)(struct proc *p));

#endif /* KERNEL_PROC_H */
