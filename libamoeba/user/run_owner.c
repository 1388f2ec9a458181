/*
 * run_owner.c - owners of processes (module/run.h): a thread of the
 * caller serves PS_CHECKPOINT on a port of the owner's own and keeps the
 * ends it is told of until run_wait, run_poll or run_any collects them.
 *
 * A waiter sleeps on the owner's semaphore at most RUN_POLL_MS at a
 * time; between sleeps it asks the process's server (std_info) whether
 * the process still exists, so a node that died (no checkpoint will
 * come) ends the wait with an error instead of a hang.  A process that
 * is gone without a checkpoint is given RUN_GRACE_MS for one in flight
 * (RUN_DOWN_MS when its node does not answer at all: a node that died
 * sends nothing more).  The check runs under timeout(RUN_ALIVE_LOC),
 * which also makes RPC give a silent node up after that long (instead
 * of about 3 s), and a silent node is asked twice before it counts as
 * dead (one stall of a loaded node is not its death): a waiter learns
 * of a dead node within about 2.5 s.
 *
 * A process that moved to another node (migrate, migrate_self) has a
 * new capability: the mover tells the owner with PS_SWAPPROC (spec 8.6,
 * body: old and new capability) before the old copy ends, and a waiter
 * for the old one goes on waiting for the new one.
 *
 * Concurrency: the table and the waiter count are protected by o->mu;
 * the server thread is the only writer of new ends.
 */
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <semaphore.h>
#include <stderr.h>
#include <thread.h>
#include <amoeba/pd.h>
#include <module/mutex.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/run.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/process/proc.h>

#define RUN_MAXENDS	64	/* ends kept until collected */
#define RUN_POLL_MS	300	/* how often a waiter checks the process */
#define RUN_GRACE_MS	2000	/* a checkpoint in flight after it is gone */
#define RUN_DOWN_MS	250	/* the same when its node does not answer */
#define RUN_ALIVE_LOC	1000	/* ms to locate the process's server, and its
				 * silence before it counts as gone */
#define RUN_STACK	(16 * 1024)

struct run_end {
	int used;			/* slot holds an uncollected end */
	capability proc;		/* the process (pd_self) */
	int how, status;
};

struct run_swap {
	int used;
	capability from, to;		/* old and new process capability */
};

struct run_owner {
	port get;			/* the owner's get-port */
	port check;			/* check field secret of its capability */
	capability cap;			/* its capability (for exec_file) */
	mutex mu;			/* protects what follows */
	semaphore sem;			/* upped once per waiter on a new end */
	int nwaiters;
	unsigned long seq;		/* ends and moves recorded so far */
	struct run_end ends[RUN_MAXENDS];
	struct run_swap swaps[RUN_MAXENDS];	/* moves, oldest replaced */
	int nextswap;			/* slot the next move goes to */
	uint8_t buf[PSVR_BUFSZ];	/* the server thread's request buffer */
};

static int
same_proc(const capability *a, const capability *b)
{
	return memcmp(&a->cap_port, &b->cap_port, sizeof(port)) == 0 &&
	       prv_number(&a->cap_priv) == prv_number(&b->cap_priv);
}

/* Record one checkpoint (h, its PD in o->buf[0..n)). */
static void
record(struct run_owner *o, const header *h, int32 n)
{
	struct pd_info pd;
	int i, free_slot = -1, wake;

	if (n <= 0 || pd_get(o->buf, (size_t)n, &pd) < 0)
		return;
	mu_lock(&o->mu);
	for (i = 0; i < RUN_MAXENDS && free_slot < 0; i++)
		if (!o->ends[i].used)
			free_slot = i;
	if (free_slot >= 0) {
		struct run_end *e = &o->ends[free_slot];

		e->used = 1;
		e->proc = pd.self;
		e->how = h->h_extra == 1 ? RUN_KILLED
			 : h->h_extra == 2 ? RUN_FAULTED : RUN_EXITED;
		e->status = h->h_offset;
	}
	o->seq++;
	wake = o->nwaiters;
	mu_unlock(&o->mu);
	if (wake > 0)
		sema_mup(&o->sem, wake);
}

/* Record one PS_SWAPPROC (old and new capability in o->buf[0..n)). */
static errstat
record_swap(struct run_owner *o, int32 n)
{
	struct run_swap *w;

	if (n < (int32)(2 * sizeof(capability)))
		return STD_ARGBAD;
	mu_lock(&o->mu);
	w = &o->swaps[o->nextswap];
	o->nextswap = (o->nextswap + 1) % RUN_MAXENDS;
	memcpy(&w->from, o->buf, sizeof(capability));
	memcpy(&w->to, o->buf + sizeof(capability), sizeof(capability));
	w->used = 1;
	o->seq++;
	mu_unlock(&o->mu);
	return STD_OK;
}

/* If *proc moved (PS_SWAPPROC), its newest capability into *proc; 1 if
 * so.  Moves are kept (the caller of run_poll keeps the old one). */
static int
follow(struct run_owner *o, capability *proc)
{
	int moved = 0, hops = 0;

	mu_lock(&o->mu);
	for (int i = 0; i < RUN_MAXENDS && hops < RUN_MAXENDS; i++) {
		struct run_swap *w = &o->swaps[i];

		if (w->used && same_proc(&w->from, proc)) {
			*proc = w->to;
			moved = 1;
			hops++;
			i = -1;		/* it may have moved again */
		}
	}
	mu_unlock(&o->mu);
	return moved;
}

/* The owner's server thread: PS_CHECKPOINT and PS_SWAPPROC. */
static void
owner_thread(char *param, int psize)
{
	struct run_owner *o = (struct run_owner *)param;
	rights_bits r;
	header h;
	int32 n;

	(void)psize;
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = o->get;
		n = rpc_getreq(&h, (bufptr)o->buf, sizeof(o->buf));
		if (n < 0) {
			sys_sleep(100);	/* the port is gone: do not spin */
			continue;
		}
		if (prv_decode(&h.h_priv, &r, &o->check) < 0)
			h.h_status = STD_CAPBAD;
		else if (h.h_command == PS_SWAPPROC)
			h.h_status = record_swap(o, n);
		else if (h.h_command != PS_CHECKPOINT)
			h.h_status = STD_COMBAD;
		else {
			record(o, &h, n);
			h.h_status = STD_OK;
		}
		h.h_size = 0;
		rpc_putrep(&h, NILBUF, 0);
	}
}

errstat
run_owner_new(struct run_owner **op, capability *cap)
{
	struct run_owner *o;

	if (op == NULL || cap == NULL)
		return STD_ARGBAD;
	o = calloc(1, sizeof(*o));
	if (o == NULL)
		return STD_NOMEM;
	uniqport(&o->get);
	uniqport(&o->check);
	mu_init(&o->mu);
	sema_init(&o->sem, 0);
	priv2pub(&o->get, &cap->cap_port);
	prv_encode(&cap->cap_priv, 0, PRV_ALL_RIGHTS, &o->check);
	o->cap = *cap;
	if (thread_newthread(owner_thread, RUN_STACK, (char *)o,
			     (int)sizeof(*o)) == 0) {
		free(o);
		return STD_NOSPACE;
	}
	*op = o;
	return STD_OK;
}

void
run_owner_cap(struct run_owner *o, capability *cap)
{
	*cap = o->cap;
}

/* Collect the end of proc (any end when proc is NULL); STD_OK if found. */
static errstat
collect(struct run_owner *o, const capability *proc, capability *which,
	int *how, int *status)
{
	errstat err = STD_NOMOREDATA;

	mu_lock(&o->mu);
	for (int i = 0; i < RUN_MAXENDS; i++) {
		struct run_end *e = &o->ends[i];

		if (!e->used || (proc != NULL && !same_proc(&e->proc, proc)))
			continue;
		e->used = 0;
		if (which != NULL)
			*which = e->proc;
		if (how != NULL)
			*how = e->how;
		if (status != NULL)
			*status = e->status;
		err = STD_OK;
		break;
	}
	mu_unlock(&o->mu);
	return err;
}

/* What o has recorded so far (for nap). */
static unsigned long
seen(struct run_owner *o)
{
	unsigned long seq;

	mu_lock(&o->mu);
	seq = o->seq;
	mu_unlock(&o->mu);
	return seq;
}

/* Sleep until something is recorded after seq (as seen() gave it before
 * the caller looked) or ms pass; 1 if woken by one.  An end recorded
 * between the look and the sleep is not slept through. */
static int
nap(struct run_owner *o, unsigned long seq, interval ms)
{
	int woke;

	mu_lock(&o->mu);
	if (o->seq != seq) {
		mu_unlock(&o->mu);
		return 1;
	}
	o->nwaiters++;
	mu_unlock(&o->mu);
	woke = sema_trydown(&o->sem, ms) == 0;
	mu_lock(&o->mu);
	o->nwaiters--;
	mu_unlock(&o->mu);
	return woke;
}

/* Does the process still exist?  STD_OK, or why not (a silent node
 * asked twice). */
static errstat
alive(const capability *proc)
{
	capability c = *proc;
	char info[64];
	interval old = timeout(RUN_ALIVE_LOC);
	errstat err = RPC_FAILURE;

	for (int tries = 0; tries < 2 && (err == RPC_FAILURE ||
					  err == RPC_NOTFOUND); tries++)
		err = std_info(&c, info, sizeof(info), NULL);
	timeout(old);
	if (err == STD_OK || err == STD_OVERFLOW)
		return STD_OK;
	return err == STD_CAPBAD ? STD_NOTFOUND : err;
}

/* A process found gone: wait a little for a checkpoint in flight. */
static errstat
gone(struct run_owner *o, const capability *proc, int *how, int *status,
     errstat why)
{
	unsigned long t0 = sys_milli();
	unsigned long grace = why == STD_NOTFOUND ? RUN_GRACE_MS : RUN_DOWN_MS;

	while (sys_milli() - t0 < grace) {
		unsigned long seq = seen(o);

		if (collect(o, proc, NULL, how, status) == STD_OK)
			return STD_OK;
		nap(o, seq, (interval)(grace / 4));
	}
	if (collect(o, proc, NULL, how, status) == STD_OK)
		return STD_OK;
	return why == STD_NOTFOUND ? STD_NOTFOUND : RPC_FAILURE;
}

errstat
run_wait(struct run_owner *o, const capability *proc, int *how, int *status,
	 interval ms)
{
	unsigned long t0 = sys_milli(), spent;
	capability cur;
	errstat err;

	if (o == NULL || proc == NULL)
		return STD_ARGBAD;
	cur = *proc;
	for (;;) {
		unsigned long seq = seen(o);

		follow(o, &cur);
		if (collect(o, &cur, NULL, how, status) == STD_OK)
			return STD_OK;
		spent = sys_milli() - t0;
		if (ms >= 0 && spent >= (unsigned long)ms)
			return STD_NOMOREDATA;
		if (nap(o, seq, ms >= 0 && (unsigned long)ms - spent < RUN_POLL_MS ?
			   (interval)((unsigned long)ms - spent) : RUN_POLL_MS))
			continue;
		if ((err = alive(&cur)) != STD_OK && !follow(o, &cur))
			return gone(o, &cur, how, status, err);
	}
}

errstat
run_poll(struct run_owner *o, const capability *proc, int *how, int *status)
{
	errstat err;

	capability cur;

	if (o == NULL || proc == NULL)
		return STD_ARGBAD;
	cur = *proc;
	follow(o, &cur);
	if (collect(o, &cur, NULL, how, status) == STD_OK)
		return STD_OK;
	if ((err = alive(&cur)) != STD_OK && !follow(o, &cur))
		return gone(o, &cur, how, status, err);
	return STD_NOMOREDATA;
}

errstat
run_any(struct run_owner *o, capability *proc, int *how, int *status,
	interval ms)
{
	unsigned long t0 = sys_milli(), spent;

	if (o == NULL)
		return STD_ARGBAD;
	for (;;) {
		unsigned long seq = seen(o);

		if (collect(o, NULL, proc, how, status) == STD_OK)
			return STD_OK;
		spent = sys_milli() - t0;
		if (ms >= 0 && spent >= (unsigned long)ms)
			return STD_NOMOREDATA;
		nap(o, seq, ms >= 0 && (unsigned long)ms - spent < RUN_POLL_MS ?
		       (interval)((unsigned long)ms - spent) : RUN_POLL_MS);
	}
}
