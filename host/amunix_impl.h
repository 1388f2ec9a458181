/*
 * amunix_impl.h - libamunix's private interfaces: the two locks, the
 * per-thread record, the stack (switch, RPC node, ticker) and the
 * network links.
 *
 * Concurrency model.  Two pthread mutexes, always taken in this order:
 *   amu_big - the "CPU" of the process: an Amoeba thread (main, or one
 *             made by thread_newthread) runs only while it holds amu_big,
 *             and gives it up only where it blocks (trans, getreq,
 *             putrep, mu_lock, sema_down, thread_exit), so the threads
 *             of a process are non-preemptive, as on Amoeba;
 *   amu_net - the network lock of flip/flip_port.h: every flip_* and
 *             rpc_* call is made with it held, by Amoeba threads (also
 *             while one of them reads the links for the others, wait.c)
 *             and by the 10 ms ticker (which never takes amu_big).
 * Nothing takes amu_big while holding amu_net: flip_port_sleep lets go
 * of amu_net before it takes amu_big back.
 */
#ifndef HOST_AMUNIX_IMPL_H
#define HOST_AMUNIX_IMPL_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "flip/flip.h"
#include "rpc/rpc.h"
#include "grp/grp.h"

extern pthread_mutex_t amu_big;
extern pthread_mutex_t amu_net;

/*
 * amu_cv - one of AMU_NCV condition variables of table tab, hashed by
 * the object slept on: amu_big_cv for Amoeba threads waiting under
 * amu_big (mutexes, semaphores, thread ends), on CLOCK_MONOTONIC.
 * (Sleepers in the stack wait on their own variable: wait.c.)
 */
#define AMU_NCV 64
extern pthread_cond_t amu_big_cv[AMU_NCV];
pthread_cond_t *amu_cv(pthread_cond_t *tab, const void *obj);

#define AMU_NCATCH	16		/* signals a thread catches */
#define AMU_NPEND	16		/* signals pending for a thread */

struct amu_catch {			/* sig_catch: one catcher */
	long sig;			/* the signal (a signum) */
	void (*fn)(long, void *, void *);	/* catcher(sig, us, extra) */
	void *extra;
};

struct amu_thread {			/* one Amoeba thread; TLS amu_cur */
	int index;			/* thread_self(): main is 0 */
	int holds_big;			/* owns amu_big now (own use only) */
	void (*func)(char *, int);	/* thread_newthread's function */
	char *param;			/* ... and its argument */
	int psize;
	struct rpc_call *call;		/* RPC call object (set under amu_net) */
	char **glocal;			/* thread_alloc blocks, by module id */
	int nglocal;
	/* signals (signal.c); under amu_net unless said */
	struct amu_thread *next;	/* amu_threads list */
	struct amu_catch catches[AMU_NCATCH];
	int ncatch;
	long pend[AMU_NPEND];		/* raised, catcher not run yet */
	int npend;
	int sigflag;			/* npend > 0 (atomic: read anywhere) */
	int sigkick;			/* next flip_port_sleep returns 1 */
	void *asleep;			/* its record while in flip_port_sleep */
	int sigblock;			/* sig_block depth (own use only) */
};

extern struct amu_thread *amu_threads;	/* every Amoeba thread, amu_net */

extern __thread struct amu_thread *amu_cur;

/* amu_self - the calling thread's record; registers it (and takes
 * amu_big) on its first Amoeba call.  Never NULL (aborts on ENOMEM). */
struct amu_thread *amu_self(void);
/* amu_big_lock / amu_big_unlock - take / give up the CPU. */
void amu_big_lock(struct amu_thread *t);
void amu_big_unlock(struct amu_thread *t);
/*
 * amu_wait - caller holds amu_big: give it up until amu_notify(obj) or
 * the absolute CLOCK_MONOTONIC deadline (NULL: none); amu_big is held
 * again on return.  0 if notified (or spuriously woken), -1 at the
 * deadline.  amu_notify wakes every waiter on obj (caller holds amu_big).
 */
int amu_wait(const void *obj, const struct timespec *deadline);
void amu_notify(const void *obj);
/* amu_deadline - now + ms on CLOCK_MONOTONIC. */
void amu_deadline(struct timespec *ts, int32_t ms);

/* ---- signals (signal.c) -------------------------------------------------- */
/* amu_thread_add / amu_thread_del - into / out of amu_threads (takes
 * amu_net). */
void amu_thread_add(struct amu_thread *t);
void amu_thread_del(struct amu_thread *t);
/* amu_sig_deliver - caller holds amu_big, not amu_net: run the catchers
 * of t's pending signals (unless blocked).  amu_sig_check: if any. */
void amu_sig_deliver(struct amu_thread *t);
static inline void
amu_sig_check(struct amu_thread *t)
{
	if (t != NULL && __atomic_load_n(&t->sigflag, __ATOMIC_ACQUIRE))
		amu_sig_deliver(t);
}
/* amu_sig_wake - amu_net held: t was signalled; if it sleeps in the
 * stack its sleep ends with 1 (wait.c). */
void amu_sig_wake(struct amu_thread *t);

/* ---- the stack (stack.c) ------------------------------------------------ */
extern struct flip_switch amu_sw;
extern struct rpc_node amu_rpc;
extern struct rpc_proc amu_proc;	/* the process's FLIP address */
extern struct grp_node amu_grp;		/* the group layer (grp.c) */

/* amu_stack - start the stack once (and the links of $VX_NET); 0 or -1. */
int amu_stack(void);
/* amu_call - the calling thread's call object (NULL: none free). */
struct rpc_call *amu_call(struct amu_thread *t);
/* amu_call_end - thread exit: abandon the call object. */
void amu_call_end(struct amu_thread *t);

/* ---- links (net_vde.c, net_tap.c, net_unix.c; stack.c) ------------------ */
struct amu_link {			/* one Ethernet attachment */
	const char *kind;		/* "vde", "tap" or "unix" */
	int fd;				/* pollable descriptor for receive */
	void *conn;			/* VDECONN for vde */
	uint8_t mac[6];			/* our random local MAC */
	int ntw;			/* FLIP network number */
	int dead;			/* receive failed: not read any more */
	uint32_t rx_frames, tx_frames, tx_errors;	/* counters */
	/* send one frame; must not block long; errors counted, frame lost */
	int (*send)(struct amu_link *l, const uint8_t *f, size_t len);
	/* receive one frame (fd is readable: must not block); bytes or -1 */
	long (*recv)(struct amu_link *l, uint8_t *f, size_t cap);
	/* optional: the next frame if one waits, else -1 with EAGAIN */
	long (*recv_more)(struct amu_link *l, uint8_t *f, size_t cap);
	/* close the link (only if it could not be attached) */
	void (*close)(struct amu_link *l);
};

/* amu_vde_open / amu_tap_open / amu_unix_open - fill l; 0, or -1 with
 * a message. */
int amu_vde_open(struct amu_link *l, const char *sock);
int amu_tap_open(struct amu_link *l, const char *ifname);
int amu_unix_open(struct amu_link *l, const char *dir);
/* amu_link_start - attach l to FLIP (caller holds amu_net). */
int amu_link_start(struct amu_link *l);
/* amu_link_input - a frame read from l: ours? then to FLIP (amu_net). */
void amu_link_input(struct amu_link *l, const uint8_t *f, long n);

#define AMU_NLINK (FLIP_NNET - 1)
extern struct amu_link amu_links[AMU_NLINK];	/* under amu_net */
extern int amu_nlinks;

/* ---- who reads the links (wait.c) ---------------------------------------- */
/* amu_wait_init - once, at stack start; 0 or -1. */
int amu_wait_init(void);
/* amu_drain - the ticker (amu_net held): read the links if nobody does. */
void amu_drain(void);
/* amu_reader_vacant - amu_net held, the caller is about to block outside
 * the stack: have a sleeper read the links if nobody does. */
void amu_reader_vacant(void);
/* amu_idle - the same, taking amu_net (caller holds amu_big or nothing). */
void amu_idle(void);
/* amu_links_changed - amu_net held: a link was added (poll it too). */
void amu_links_changed(void);

#endif /* HOST_AMUNIX_IMPL_H */
