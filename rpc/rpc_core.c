/*
 * rpc_core.c - RPC objects (node, process, call), message buffers,
 * sending through FLIP, dispatch of FLIP upcalls to the client and
 * server halves, and the periodic tick.
 *
 * Entry points: rpc_node_init/fini, rpc_proc_init/fini,
 * rpc_call_init/fini, rpc_abort, rpc_timeout, rpc_tick,
 * rpc_flip_receive, rpc_flip_notdeliver.  Caller holds the network lock.
 */
#include <string.h>
#include "rpc/rpc_impl.h"
#include "flip/flip_port.h"
#include "flip/flip_wire.h"

/* ---- messages ------------------------------------------------------------ */

static struct rpc_msg *rpc_bigcache[RPC_NBIGCACHE];
static struct rpc_msg *rpc_smallcache[RPC_NSMALLCACHE];	/* a stack */
static int rpc_nsmall;			/* buffers in rpc_smallcache */

/*
 * A message of len bytes.  Small ones are RPC_SMALLMSG buffers taken
 * from (and given back to) a stack of free ones: a null transaction
 * needs two, and kmalloc plus kfree of each cost more than the rest of
 * the local fast path's bookkeeping.
 */
struct rpc_msg *
rpc_msg_new(uint32_t len)
{
	struct rpc_msg *m = NULL;
	uint32_t cap = len <= RPC_SMALLMSG ? RPC_SMALLMSG : len;
	int i;

	if (cap == RPC_SMALLMSG && rpc_nsmall > 0)
		m = rpc_smallcache[--rpc_nsmall];
	for (i = 0; len >= RPC_BIGMSG && i < RPC_NBIGCACHE; i++) {
		if (rpc_bigcache[i] && rpc_bigcache[i]->cap >= len) {
			m = rpc_bigcache[i];
			rpc_bigcache[i] = NULL;
			break;
		}
	}
	if (m == NULL) {
		m = flip_port_alloc(sizeof(*m) + cap);
		if (m == NULL)
			return NULL;
		m->cap = cap;
	}
	m->len = len;
	m->got = 0;
	return m;
}

void
rpc_msg_free(struct rpc_msg **m)
{
	struct rpc_msg *o = *m;
	int i;

	if (o == NULL)
		return;
	*m = NULL;
	if (o->cap == RPC_SMALLMSG && rpc_nsmall < RPC_NSMALLCACHE) {
		rpc_smallcache[rpc_nsmall++] = o;
		return;
	}
	for (i = 0; o->cap >= RPC_BIGMSG && i < RPC_NBIGCACHE; i++) {
		if (rpc_bigcache[i] == NULL) {
			rpc_bigcache[i] = o;
			return;
		}
	}
	flip_port_free(o);
}

/* rpc_msg_flush - give the cached buffers back. */
static void
rpc_msg_flush(void)
{
	int i;

	while (rpc_nsmall > 0)
		flip_port_free(rpc_smallcache[--rpc_nsmall]);
	for (i = 0; i < RPC_NBIGCACHE; i++) {
		flip_port_free(rpc_bigcache[i]);
		rpc_bigcache[i] = NULL;
	}
}

/* Rewrite a received big-endian Amoeba header in our order. */
void
rpc_msg_normalise(struct rpc_msg *m, int big)
{
	header h;

	if (!big)
		return;
	rpc_hdr_decode(m->data + RPC_OFF_HDR, &h, 1);
	rpc_hdr_encode(&h, m->data + RPC_OFF_HDR);
}

void
rpc_complete(struct rpc_call *c, int32_t result)
{
	c->result = result;
	c->done = 1;
	flip_port_wakeup(c);
}

/* ---- sending ------------------------------------------------------------- */

/* A 24-byte control packet (ACK, NAK, ENQUIRE, ALIVE, RECEIVED, FAIL). */
void
rpc_send_ctl(struct rpc_proc *p, const flip_adr_t *to, int type, int flags,
	     uint32_t tid, int dest, int from, const uint8_t *kid,
	     int fflags)
{
	struct rpc_amphdr a;
	uint8_t w[RPC_AMPHDR_SIZE];
	struct rpc_node *rn = p->node;

	memset(&a, 0, sizeof(a));
	if (kid)
		memcpy(a.ah_kid, kid, 8);
	a.ah_type = type;
	a.ah_flags = flags;
	a.ah_tid = tid;
	a.ah_dest = dest;
	a.ah_from = from;
	rpc_amp_encode(&a, w);
	if (type == RPC_T_ACK)
		rn->st.acks++;
	else if (type == RPC_T_NAK)
		rn->st.naks++;
	else if (type == RPC_T_FAIL)
		rn->st.fails++;
	flip_unicast(rn->sw, rn->ifno, w, sizeof(w), fflags, to, p->ep,
		     RPC_DEF_LOCATE);
}

/* Send a whole REQUEST/REPLY message with amphdr a. */
int
rpc_send_msg(struct rpc_proc *p, const flip_adr_t *to, struct rpc_msg *m,
	     const struct rpc_amphdr *a, int fflags, int32_t ltime)
{
	struct rpc_node *rn = p->node;

	rpc_amp_encode(a, m->data + RPC_OFF_AMP);
	return flip_unicast(rn->sw, rn->ifno, m->data, m->len, fflags, to,
			    p->ep, ltime);
}

/*
 * The listener index: every call object sits in the bucket of the
 * put-port of its last getreq, so a LOCATE or a REQUEST looks at the
 * calls of one bucket instead of every thread of every process (flat in
 * the number of ports a node serves).  Membership changes only at
 * getreq and at the call's end; whether a call listens now is its state,
 * checked at lookup, so the state machine needs no bookkeeping.
 */
static unsigned
rpc_listen_hash(const port *pt)
{
	uint32_t w;
	uint16_t x;

	/* the 6 bytes as two words, mixed by Fibonacci hashing: no loop */
	__builtin_memcpy(&w, pt->_portbytes, 4);
	__builtin_memcpy(&x, pt->_portbytes + 4, 2);
	w = (w ^ ((uint32_t)x << 7)) * 0x9E3779B1u;
	return (w >> 24) & (RPC_NLISTEN - 1);
}

static void
rpc_listen_unlink(struct rpc_call *c)
{
	struct rpc_call **pp;

	if (!c->lindexed)
		return;
	for (pp = &c->proc->node->listen[c->lbucket]; *pp; pp = &(*pp)->lnext)
		if (*pp == c) {
			*pp = c->lnext;
			break;
		}
	c->lnext = NULL;
	c->lindexed = 0;
}

void
rpc_listen_index(struct rpc_call *c)
{
	unsigned b = rpc_listen_hash(&c->sv.putport);
	struct rpc_call **pp;

	if (c->lindexed && c->lbucket == b)
		return;
	rpc_listen_unlink(c);
	for (pp = &c->proc->node->listen[b]; *pp; pp = &(*pp)->lnext)
		;			/* at the tail: oldest listener first */
	*pp = c;
	c->lbucket = (uint8_t)b;
	c->lindexed = 1;
}

/* A thread of rn (of process only, if given) in getreq on put-port pt. */
struct rpc_call *
rpc_find_listener(struct rpc_node *rn, const port *pt, struct rpc_proc *only)
{
	struct rpc_call *c;

	for (c = rn->listen[rpc_listen_hash(pt)]; c; c = c->lnext)
		if (c->sv.state == RPC_SV_GETREQ && (!only || c->proc == only) &&
		    rpc_port_eq(&c->sv.putport, pt))
			return c;
	return NULL;
}

/* ---- objects ------------------------------------------------------------- */

errstat
rpc_node_init(struct rpc_node *rn, struct flip_switch *sw)
{
	static const flip_adr_t null;
	uint32_t now = flip_port_now_ms();

	memset(rn, 0, sizeof(*rn));
	rn->sw = sw;
	flip_port_random(rn->kid, sizeof(rn->kid));
	flip_port_random(&rn->tid, sizeof(rn->tid));
	rn->tid &= 0x3FFFFFFF;
	rn->ifno = flip_init(sw, rn, rpc_flip_receive, rpc_flip_notdeliver);
	if (rn->ifno < 0)
		return RPC_TRYAGAIN;
	rn->bep = flip_register(sw, rn->ifno, &null);
	if (rn->bep < 0) {
		flip_end(sw, rn->ifno);
		return RPC_TRYAGAIN;
	}
	rn->last_pcsweep = rn->last_kidsweep = now;
	return STD_OK;
}

void
rpc_node_fini(struct rpc_node *rn)
{
	while (rn->procs)
		rpc_proc_fini(rn->procs);
	flip_end(rn->sw, rn->ifno);
	rpc_msg_flush();
}

errstat
rpc_proc_init(struct rpc_node *rn, struct rpc_proc *p)
{
	memset(p, 0, sizeof(*p));
	p->node = rn;
	flip_adr_random(&p->prv);
	p->ep = flip_register(rn->sw, rn->ifno, &p->prv);
	if (p->ep < 0)
		return RPC_TRYAGAIN;
	p->pub = *flip_ep_pub(rn->sw, p->ep);
	p->next = rn->procs;
	rn->procs = p;
	return STD_OK;
}

void
rpc_proc_fini(struct rpc_proc *p)
{
	struct rpc_proc **pp;
	int i;

	for (i = 0; i < RPC_NTHREAD; i++)
		if (p->threads[i])
			rpc_call_fini(p->threads[i]);
	flip_unregister(p->node->sw, p->node->ifno, p->ep);
	for (pp = &p->node->procs; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
}

errstat
rpc_call_init(struct rpc_proc *p, struct rpc_call *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < RPC_NTHREAD; i++)
		if (p->threads[i] == NULL)
			break;
	if (i == RPC_NTHREAD)
		return RPC_TRYAGAIN;
	p->threads[i] = c;
	c->proc = p;
	c->idx = i;
	c->loctimeout = RPC_DEF_LOCATE;
	return STD_OK;
}

void
rpc_call_fini(struct rpc_call *c)
{
	rpc_cl_reset(c);
	rpc_sv_reset(c);
	rpc_listen_unlink(c);
	c->proc->threads[c->idx] = NULL;
}

interval
rpc_timeout(struct rpc_call *c, interval ms)
{
	interval old = c->loctimeout;

	c->loctimeout = ms;
	return old;
}

void
rpc_abort(struct rpc_call *c)
{
	if (c->cl.state == RPC_CL_LOCATE) {
		rpc_cl_reset(c);
		c->cl.state = RPC_CL_DONE;
		rpc_complete(c, RPC_ABORTED);
	} else if (c->cl.state == RPC_CL_GETREP && c->cl.local) {
		c->cl.local->sv.sigtrans = 1;	/* local server: SIG_TRANS */
		flip_port_sigtrans(c->cl.local);
		flip_port_wakeup(c->cl.local);
	} else if (c->cl.state == RPC_CL_GETREP) {
		rpc_send_ctl(c->proc, &c->cl.srv, RPC_T_ENQUIRE,
			     RPC_FL_SIGTRANS, c->cl.tid, c->cl.srvidx, c->idx,
			     NULL, FLIP_SECURITY);
	} else if (c->sv.state == RPC_SV_GETREQ) {
		rpc_sv_set_idle(c);
		rpc_complete(c, RPC_ABORTED);
	}
}

void
rpc_tick(struct rpc_node *rn)
{
	uint32_t now = flip_port_now_ms();
	struct rpc_proc *p;
	int i;

	for (p = rn->procs; p; p = p->next) {
		for (i = 0; i < RPC_NTHREAD; i++) {
			if (p->threads[i] == NULL)
				continue;
			rpc_cl_tick(p->threads[i], now);
			if (p->threads[i])
				rpc_sv_tick(p->threads[i], now);
		}
	}
	if (rpc_after(now, rn->last_pcsweep + RPC_PC_SWEEP)) {
		rn->last_pcsweep = now;
		rpc_pc_sweep(rn);
	}
	if (rpc_after(now, rn->last_kidsweep + RPC_KID_SWEEP)) {
		rn->last_kidsweep = now;
		rpc_kid_sweep(rn);
	}
}

/* ---- FLIP upcalls --------------------------------------------------------- */

static struct rpc_proc *
rpc_proc_by_addr(struct rpc_node *rn, const flip_adr_t *a)
{
	struct rpc_proc *p;

	for (p = rn->procs; p; p = p->next)
		if (flip_adr_eq(&p->pub, a))
			return p;
	return NULL;
}

/* A null-destination packet: only RPC LOCATEs are of interest. */
static void
rpc_broadcast_in(struct rpc_node *rn, const uint8_t *data, uint32_t offset,
		 uint32_t length, const flip_adr_t *src)
{
	struct rpc_amphdr a;

	if (offset != 0 || length < RPC_LOCATE_SIZE ||
	    flip_get32(data, 1) != RPC_PROTO_AMRPC)
		return;
	rpc_amp_decode(data + 4, &a);
	if (a.ah_type == RPC_T_LOCATE && !NULLPORT(&a.ah_port))
		rpc_sv_locate(rn, src, &a);
}

void
rpc_flip_receive(void *ident, const uint8_t *data, const flip_adr_t *dst,
		 const flip_adr_t *src, uint32_t messid, uint32_t offset,
		 uint32_t length, uint32_t total, int flags)
{
	struct rpc_node *rn = ident;
	struct rpc_amphdr a;
	struct rpc_proc *p;
	int big;

	(void)flags;
	if (flip_adr_null(dst)) {
		rpc_broadcast_in(rn, data, offset, length, src);
		return;
	}
	p = rpc_proc_by_addr(rn, dst);
	if (p == NULL || flip_adr_null(src) || length > total)
		return;
	if (offset != 0) {
		if (!rpc_sv_frag(p, src, data, messid, offset, length))
			rpc_cl_frag(p, src, data, messid, offset, length);
		return;
	}
	if (length < RPC_AMPHDR_SIZE)
		return;
	big = rpc_amp_decode(data, &a);
	switch (a.ah_type) {
	case RPC_T_REQUEST:
		rpc_sv_request(p, src, &a, data, length, messid, total, big);
		return;
	case RPC_T_ENQUIRE:
		rpc_sv_input(p, src, &a);
		return;
	case RPC_T_RECEIVED:
		if (a.ah_flags & RPC_FL_REQUEST) {
			rpc_sv_input(p, src, &a);
			return;
		}
		break;
	}
	if (a.ah_dest >= RPC_NTHREAD || p->threads[a.ah_dest] == NULL)
		return;
	if (!rpc_cl_input(p, src, &a, data, length, messid, total, big) &&
	    (a.ah_type == RPC_T_ACK || a.ah_type == RPC_T_NAK))
		rpc_sv_input(p, src, &a);
}

void
rpc_flip_notdeliver(void *ident, const uint8_t *data, const flip_adr_t *dst,
		    uint32_t messid, uint32_t offset, uint32_t length,
		    uint32_t total, int flags)
{
	struct rpc_amphdr a;

	(void)dst, (void)messid, (void)total;
	if (offset != 0 || length < RPC_AMPHDR_SIZE)
		return;
	rpc_amp_decode(data, &a);
	if (a.ah_type == RPC_T_REQUEST)
		rpc_cl_notdeliver(ident, &a, flags);
	else if (a.ah_type == RPC_T_REPLY)
		rpc_sv_notdeliver(ident, &a);
}
