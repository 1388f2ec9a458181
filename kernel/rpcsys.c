/*
 * rpcsys.c - blocking RPC over the event-driven rpc/ core: the system
 * calls trans, getreq, putrep and timeout for user threads, and ktrans,
 * kgetreq, kputrep for kernel threads; plus the FLIP switch, the RPC node
 * and the timer thread that drives both (see knet.h).
 *
 * Each process gets a struct rpc_proc (its FLIP address) on its first
 * RPC; kernel threads share one.  Each thread gets a struct rpc_call.
 * A call starts, the thread sleeps on the call object until the protocol
 * marks it done (flip_port_wakeup), then finishes it - copies to and from
 * user memory happen in the caller's context, after checking the range.
 */
#include <string.h>

#include "arch.h"
#include "klib.h"
#include "knet.h"
#include "mem.h"
#include "proc.h"
#include "syscall.h"
#include "thread.h"
#include "uaccess.h"
#include <stderr.h>

#define TICK_MS 10

struct flip_switch knet_sw;
struct rpc_node knet_rpc;
static struct rpc_proc kernel_rpcproc;

static void
knet_ticker(void *arg)
{
	(void)arg;
	for (;;) {
		thread_msleep(TICK_MS);
		flip_tick(&knet_sw);
		rpc_tick(&knet_rpc);
	}
}

void
knet_init(void)
{
	flip_sw_init(&knet_sw, 0);
	if (rpc_node_init(&knet_rpc, &knet_sw) != STD_OK ||
	    rpc_proc_init(&knet_rpc, &kernel_rpcproc) != STD_OK)
		panic("cannot start the RPC layer");
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

/* The calling thread's call object, made on first use; NULL if none. */
static struct rpc_call *
my_call(void)
{
	struct thread *t = thread_current();
	struct rpc_proc *rp;
	struct rpc_call *c;

	if (t->rpc)
		return t->rpc;
	if (t->proc) {
		if (t->proc->rpc == NULL) {
			rp = kzalloc(sizeof(*rp));
			if (rp == NULL || rpc_proc_init(&knet_rpc, rp) != STD_OK) {
				kfree(rp);
				return NULL;
			}
			t->proc->rpc = rp;
		}
		rp = t->proc->rpc;
	} else {
		rp = &kernel_rpcproc;
	}
	c = kzalloc(sizeof(*c));
	if (c == NULL || rpc_call_init(rp, c) != STD_OK) {
		kfree(c);
		return NULL;
	}
	t->rpc = c;
	return c;
}

void
knet_thread_gone(struct thread *t)
{
	if (t->rpc) {
		rpc_call_fini(t->rpc);
		kfree(t->rpc);
		t->rpc = NULL;
	}
}

void
knet_proc_gone(struct proc *p)
{
	if (p->rpc) {
		rpc_proc_fini(p->rpc);
		kfree(p->rpc);
		p->rpc = NULL;
	}
}

/*
 * Wait for c->done.  A thread being killed abandons the call (the
 * protocol FAILs a client it was serving) and gets RPC_ABORTED; the call
 * object is gone then.
 */
static errstat
wait_done(struct rpc_call *c)
{
	uint32_t f = arch_irq_save();
	errstat r = STD_OK;

	while (!c->done) {
		if (thread_sleep(c, 0) == THREAD_INTERRUPTED) {
			r = RPC_ABORTED;
			break;
		}
	}
	arch_irq_restore(f);
	if (r != STD_OK)
		knet_thread_gone(thread_current());
	return r;
}

/*
 * Is the user buffer still writable after the sleep?  Another thread of
 * the process may have unmapped it meanwhile; then nothing is copied.
 */
static bool
still_ok(bool user, const void *buf, uint32_t n)
{
	return !user || n == 0 || user_ok((uint32_t)buf, n, true);
}

static int32_t
do_trans(const header *req, const void *rbuf, uint32_t rn, header *rep,
	 void *pbuf, uint32_t pn, bool user)
{
	struct rpc_call *c = my_call();
	errstat e;
	int32_t r;

	if (c == NULL)
		return RPC_TRYAGAIN;
	e = rpc_trans_start(c, req, rbuf, rn);
	if (e == STD_OK && wait_done(c) != STD_OK)
		return RPC_ABORTED;
	if (!still_ok(user, pbuf, pn)) {
		rpc_trans_finish(c, rep, NULL, 0);
		return RPC_BADADDRESS;
	}
	r = rpc_trans_finish(c, rep, pbuf, pn);
	return e != STD_OK && r >= 0 ? e : r;
}

static errstat do_putrep(const header *h, const void *buf, uint32_t n);

/*
 * A request arrived for a buffer that is gone: the caller gets
 * RPC_BADADDRESS and is not serving, so the client gets a failure reply
 * rather than waiting for ever.
 */
static void
refuse_request(void)
{
	header h;

	memset(&h, 0, sizeof(h));
	h.h_status = (command)RPC_FAILURE;
	(void)do_putrep(&h, NULL, 0);
}

static int32_t
do_getreq(header *h, void *buf, uint32_t n, bool user)
{
	struct rpc_call *c = my_call();
	errstat e;

	if (c == NULL)
		return RPC_TRYAGAIN;
	e = rpc_getreq_start(c, h);
	if (e == STD_OK && wait_done(c) != STD_OK)
		return RPC_ABORTED;
	if (e != STD_OK && !c->done)
		return e;
	if (!still_ok(user, buf, n)) {
		if (rpc_getreq_finish(c, h, NULL, 0) >= 0)
			refuse_request();
		return RPC_BADADDRESS;
	}
	return rpc_getreq_finish(c, h, buf, n);
}

static errstat
do_putrep(const header *h, const void *buf, uint32_t n)
{
	struct rpc_call *c = my_call();
	errstat e;

	if (c == NULL)
		return RPC_TRYAGAIN;
	e = rpc_putrep_start(c, h, buf, n);
	if (e == STD_OK && wait_done(c) != STD_OK)
		return RPC_ABORTED;
	if (e != STD_OK && !c->done)
		return e;
	return rpc_putrep_finish(c);
}

int32_t
ktrans(const header *req, const void *rbuf, uint32_t rn, header *rep,
       void *pbuf, uint32_t pn)
{
	return do_trans(req, rbuf, rn, rep, pbuf, pn, false);
}

int32_t
kgetreq(header *h, void *buf, uint32_t n)
{
	return do_getreq(h, buf, n, false);
}

errstat
kputrep(const header *h, const void *buf, uint32_t n)
{
	return do_putrep(h, buf, n);
}

interval
ktimeout(interval ms)
{
	struct rpc_call *c = my_call();

	return c ? rpc_timeout(c, ms) : 0;
}

/* Size limits: the old calls take bufsize counts up to 30000. */
static bool
size_ok(uint32_t n, bool big)
{
	return big ? n <= RPC_MAXDATA : n <= MAX_OLD_BUFSIZE;
}

int32_t
sys_trans(uint32_t hdr1, uint32_t buf1, uint32_t cnt1, uint32_t hdr2,
	  uint32_t buf2, uint32_t cnt2, bool big)
{
	header req, rep;
	int32_t r;

	if (!size_ok(cnt1, big) || !size_ok(cnt2, big))
		return STD_OVERFLOW;
	if (copyin(&req, hdr1, sizeof(req)) != STD_OK ||
	    !user_ok(hdr2, sizeof(rep), true) ||
	    (cnt1 && !user_ok(buf1, cnt1, false)) ||
	    (cnt2 && !user_ok(buf2, cnt2, true)))
		return RPC_BADADDRESS;
	r = do_trans(&req, (const void *)buf1, cnt1, &rep, (void *)buf2, cnt2,
		     true);
	if (r >= 0 && copyout(hdr2, &rep, sizeof(rep)) != STD_OK)
		return RPC_BADADDRESS;
	return r;
}

int32_t
sys_getreq(uint32_t hdr, uint32_t buf, uint32_t cnt, bool big)
{
	header h;
	int32_t r;

	if (!size_ok(cnt, big))
		return STD_OVERFLOW;
	/* writable implies readable: one walk checks the header both ways */
	if (!user_ok(hdr, sizeof(h), true) ||
	    (cnt && !user_ok(buf, cnt, true)))
		return RPC_BADADDRESS;
	memcpy(&h, (const void *)hdr, sizeof(h));
	r = do_getreq(&h, (void *)buf, cnt, true);
	if (r >= 0 && copyout(hdr, &h, sizeof(h)) != STD_OK) {
		refuse_request(); /* the header went away meanwhile */
		return RPC_BADADDRESS;
	}
	return r;
}

int32_t
sys_putrep(uint32_t hdr, uint32_t buf, uint32_t cnt, bool big)
{
	header h;

	if (!size_ok(cnt, big))
		return STD_OVERFLOW;
	if (copyin(&h, hdr, sizeof(h)) != STD_OK ||
	    (cnt && !user_ok(buf, cnt, false)))
		return RPC_BADADDRESS;
	return do_putrep(&h, (const void *)buf, cnt);
}

int32_t
sys_timeout(int32_t ms)
{
	return ktimeout(ms);
}
