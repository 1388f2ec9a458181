/*
 * proc.h - user processes.
 *
 * A process is an address space (its own page directory, the kernel
 * mapped supervisor-only in every one), the segments mapped into it, and
 * its threads.  Processes are started from process descriptors (PDs) by
 * the process server and end by exit, by a fault or by being killed; all
 * their segments and threads are freed then.
 * Concurrency: the process table and each process's thread list are
 * protected by disabling interrupts; fields marked (owner) are touched
 * only by the process's own threads or before it starts.
 */
#ifndef KERNEL_INCLUDE_PROC_H
#define KERNEL_INCLUDE_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include <amoeba.h>

#define NPROC 64
#define PROC_MAXTHREAD 32
#define PROC_MAXMAP 16
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
struct proc_exit {
	int how;          /* 0 exit, 1 fault, 2 killed */
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
};

struct proc *proc_current(void);
struct proc *proc_by_pid(int pid);
/* proc_kill: end p as if it had called exit with how/status. */
void proc_kill(struct proc *p, int how, int status);

#endif /* KERNEL_INCLUDE_PROC_H */
