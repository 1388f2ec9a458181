/*
 * knet.c - the kernel's network stack (see knet.h): the FLIP switch, the
 * RPC node and the timer thread that drives both; each thread's RPC call
 * object and each process's FLIP address, made on first use and released
 * by the thread and process exit hooks; blocking RPC for kernel threads.
 *
 * Entry points: knet_init, knet_attach, knet_input, knet_call,
 * knet_end_call, ktrans, kgetreq, kputrep, ktimeout.
 */
#include "kernel/klib.h"
#include "kernel/mem.h"
#include "kernel/net/knet.h"
#include "kernel/syscall.h"
#include <amoeba/syscall.h>
#include "rpc/rpc_block.h"
#include "kernel/proc.h"
#include "kernel/thread.h"
#include <stderr.h>

#define TICK_MS 10	/* the protocols' timer period (SWEEPINTERVAL) */

struct flip_switch knet_sw;
struct rpc_node knet_rpc;
struct grp_node knet_grp;
static struct rpc_proc kernel_rpcproc;	/* shared by all kernel threads */

static void
knet_ticker(void *arg)
{
	(void)arg;
	for (;;) {
		thread_msleep(TICK_MS);
		flip_tick(&knet_sw);
		rpc_tick(&knet_rpc);
		grp_tick(&knet_grp);
	}
}

/* The thread ended (thread_on_exit): abandon its call object. */
static void
knet_thread_gone(struct thread *t)
{
	if (t->rpc) {
		rpc_call_fini(t->rpc);
		kfree(t->rpc);
		t->rpc = NULL;
	}
}

/* The process ended (proc_on_gone): its groups and FLIP address go. */
static void
knet_proc_gone(struct proc *p)
{
	grp_destroy_owner(&knet_grp, p);
	if (p->rpc) {
		rpc_proc_fini(p->rpc);
		kfree(p->rpc);
		p->rpc = NULL;
	}
}

/* Has t's call object a request it has not yet answered (proc.h)? */
static bool
knet_serving(struct thread *t)
{
	struct rpc_call *c = t->rpc;

	return c != NULL && (c->sv.state == RPC_SV_RECEIVING ||
			     c->sv.state == RPC_SV_SERVING ||
			     c->sv.state == RPC_SV_PUTREP);
}

void
knet_init(void)
{
	flip_sw_init(&knet_sw, 0);
	if (rpc_node_init(&knet_rpc, &knet_sw) != STD_OK ||
	    rpc_proc_init(&knet_rpc, &kernel_rpcproc) != STD_OK ||
	    grp_node_init(&knet_grp, &knet_sw) != STD_OK)
		panic("cannot start the RPC and group layers");
	thread_on_exit(knet_thread_gone);
	proc_on_gone(knet_proc_gone);
	proc_set_busy(knet_serving);
	syscall_register(SYS_GRP_CREATE, SYS_GRP_FORWARD, sys_grp);
	thread_create_kernel("knet", knet_ticker, NULL, PRIO_HIGH);
}

int
knet_attach(const struct flip_netops *ops, void *drv, const uint8_t mac[6],
	    int nrcv)
{
	return flip_net_attach(&knet_sw, ops, drv, mac, FLIP_ETH_WEIGHT, 1,
			       nrcv);
}

void
knet_input(int ntw, const uint8_t *frame, uint32_t len)
{
	flip_net_input(&knet_sw, ntw, frame, len);
}

/* The process's FLIP address, made on its first RPC; NULL if no memory. */
static struct rpc_proc *
my_rpcproc(struct thread *t)
{
	struct rpc_proc *rp;

	if (t->proc == NULL)
		return &kernel_rpcproc;
	if (t->proc->rpc == NULL) {
		rp = kzalloc(sizeof(*rp));
		if (rp == NULL || rpc_proc_init(&knet_rpc, rp) != STD_OK) {
			kfree(rp);
			return NULL;
		}
		t->proc->rpc = rp;
	}
	return t->proc->rpc;
}

struct rpc_call *
knet_call(void)
{
	struct thread *t = thread_current();
	struct rpc_proc *rp;
	struct rpc_call *c;

	if (t->rpc)
		return t->rpc;
	rp = my_rpcproc(t);
	if (rp == NULL)
		return NULL;
	c = kzalloc(sizeof(*c));
	if (c == NULL || rpc_call_init(rp, c) != STD_OK) {
		kfree(c);
		return NULL;
	}
	t->rpc = c;
	return c;
}

const flip_adr_t *
knet_rpcaddr(void)
{
	struct rpc_proc *rp = my_rpcproc(thread_current());

	return rp ? &rp->pub : NULL;
}

void *
knet_owner(void)
{
	struct thread *t = thread_current();

	return t->proc ? (void *)t->proc : (void *)&kernel_rpcproc;
}

int
knet_serves(const port *pub)
{
	struct rpc_proc *p;

	for (p = knet_rpc.procs; p != NULL; p = p->next)
		for (int i = 0; i < RPC_NTHREAD; i++) {
			struct rpc_call *c = p->threads[i];

			if (c != NULL && c->sv.state != RPC_SV_IDLE &&
			    PORTCMP(&c->sv.putport, pub))
				return 1;
		}
	return 0;
}

void
knet_end_call(void)
{
	knet_thread_gone(thread_current());
}

/* The thread's call object: inline when it exists (every trap asks). */
static inline struct rpc_call *
my_call(void)
{
	struct rpc_call *c = thread_current()->rpc;

	return c != NULL ? c : knet_call();
}

/* An interrupted call is abandoned (the protocol FAILs a served client). */
static int32_t
ended(int32_t r)
{
	if (r == RPC_ABORTED)
		knet_end_call();
	return r;
}

int32_t
ktrans(const header *req, const void *rbuf, uint32_t rn, header *rep,
       void *pbuf, uint32_t pn)
{
	struct rpc_call *c = my_call();

	return c ? ended(rpc_trans_wait(c, req, rbuf, rn, rep, pbuf, pn))
		 : RPC_TRYAGAIN;
}

int32_t
kgetreq(header *h, void *buf, uint32_t n)
{
	struct rpc_call *c = my_call();

	return c ? ended(rpc_getreq_wait(c, h, buf, n)) : RPC_TRYAGAIN;
}

errstat
kputrep(const header *h, const void *buf, uint32_t n)
{
	struct rpc_call *c = my_call();

	return c ? ended(rpc_putrep_wait(c, h, buf, n)) : RPC_TRYAGAIN;
}

interval
ktimeout(interval ms)
{
	struct rpc_call *c = knet_call();

	return c ? rpc_timeout(c, ms) : 0;
}
