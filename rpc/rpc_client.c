/*
 * rpc_client.c - the client side of Amoeba RPC (spec 3.6): trans as a
 * state machine IDLE -> LOCATE -> PUTREQ -> GETREP -> DONE, with RPC
 * locates, retransmission, RECEIVED/ENQUIRE probing, reply reassembly,
 * and the local fast path (a server thread on this node gets the
 * message handed over without touching FLIP).
 *
 * Entry points: rpc_trans_start(), rpc_trans_finish(); for the other
 * RPC files rpc_cl_*() and rpc_local_handoff().  Caller holds the lock.
 */
#include <string.h>
#include "rpc/rpc_impl.h"
#include "flip/flip_port.h"
#include "flip/flip_wire.h"

/*
 * Requests are sent FLIP_BORROW: FLIP may still point into cl->req.
 * Forget what it holds of the last one before the buffer goes or the
 * server changes.
 */
static void
rpc_cl_unsend(struct rpc_call *c)
{
	struct rpc_client *cl = &c->cl;

	if (cl->flags & RPC_F_SENT)
		flip_cancel(c->proc->node->sw, &cl->srv, cl->reqmessid);
	cl->flags &= ~RPC_F_SENT;
}

/* Free the client half's buffers and unlink a local server. */
void
rpc_cl_reset(struct rpc_call *c)
{
	struct rpc_client *cl = &c->cl;

	rpc_cl_unsend(c);
	if (cl->local && cl->local->sv.local == c) {
		cl->local->sv.local = NULL;	/* its putrep will fail */
		memset(&cl->local->sv.client, 0, sizeof(flip_adr_t));
	}
	rpc_msg_free(&cl->req);
	rpc_msg_free(&cl->rep);
	memset(cl, 0, sizeof(*cl));
}

static void
rpc_cl_finish(struct rpc_call *c, int32_t result)
{
	if (result < 0)
		rpc_msg_free(&c->cl.rep);
	rpc_cl_unsend(c);
	rpc_msg_free(&c->cl.req);
	c->cl.state = RPC_CL_DONE;
	rpc_complete(c, result);
}

/* Broadcast an RPC LOCATE for the call's port with its hop count. */
static void
rpc_cl_send_locate(struct rpc_call *c, uint32_t now)
{
	struct rpc_node *rn = c->proc->node;
	struct rpc_amphdr a;
	uint8_t w[RPC_LOCATE_SIZE];

	memset(&a, 0, sizeof(a));
	a.ah_port = c->cl.port;
	a.ah_type = RPC_T_LOCATE;
	a.ah_tid = now;
	a.ah_from = c->idx;
	w[0] = w[1] = w[2] = 0;
	w[3] = RPC_PROTO_AMRPC;
	rpc_amp_encode(&a, w + 4);
	rn->st.locates++;
	flip_broadcast(rn->sw, rn->ifno, w, sizeof(w), c->proc->ep, c->cl.hop);
}

/*
 * Start an RPC locate.  Amoeba's first round has hop count 1, which on
 * Ethernet (weight 3) never leaves the node; local servers are found
 * without a locate here, so the first round goes one network out.
 */
static void
rpc_cl_locate(struct rpc_call *c, uint32_t now)
{
	int max = c->proc->node->sw->max_hops;

	rpc_cl_unsend(c);
	c->cl.state = RPC_CL_LOCATE;
	c->proc->node->locating = 1;
	c->cl.t0 = now;
	c->cl.hop = FLIP_ETH_WEIGHT < max ? FLIP_ETH_WEIGHT : max;
	c->cl.interval = RPC_LOCTIMEOUT;
	c->cl.spent = 0;
	c->cl.timer = now + c->cl.interval;
	rpc_cl_send_locate(c, now);
}

/*
 * The retransmission timeout: twice the round trip plus two ticks for a
 * one-fragment request; round trip + SERVETIMEOUT for a longer one,
 * which the server only ACKs once it has reassembled it.
 */
static uint32_t
rpc_cl_rto(const struct rpc_client *cl)
{
	uint32_t t;

	if (cl->req && cl->req->len > RPC_ONEFRAG)
		t = cl->rtt + RPC_SERVETIMEOUT;
	else
		t = 2 * cl->rtt + RPC_RTOSLACK;
	return t < RPC_MINRTO ? RPC_MINRTO : t > RPC_MAXRTO ? RPC_MAXRTO : t;
}

/* The wait after probe number cl->probes: the RTO doubled per probe. */
static uint32_t
rpc_cl_probe_wait(const struct rpc_client *cl)
{
	uint32_t t = rpc_cl_rto(cl) << (cl->probes < 8 ? cl->probes : 8);

	return t > RPC_PROBEMAX ? RPC_PROBEMAX : t;
}

/* The server answered: it is alive. */
static void
rpc_cl_heard(struct rpc_client *cl, uint32_t now)
{
	cl->heard = now;
	cl->probes = 0;
}

/* (Re)send the request; fflags may add FLIP_INVAL. */
static void
rpc_cl_send_request(struct rpc_call *c, uint32_t now, int fflags)
{
	struct rpc_client *cl = &c->cl;
	struct rpc_amphdr a;
	int32_t ltime = c->loctimeout;
	int r;

	memset(&a, 0, sizeof(a));
	memcpy(a.ah_kid, c->proc->node->kid, 8);
	a.ah_port = cl->port;
	a.ah_type = RPC_T_REQUEST;
	a.ah_flags = (cl->flags & RPC_F_RETRANS) ? RPC_FL_RETRANS : 0;
	a.ah_tid = cl->tid;
	a.ah_dest = cl->rtt;
	a.ah_from = c->idx;
	if (a.ah_flags)
		c->proc->node->st.retrans++;
	cl->state = RPC_CL_PUTREQ;
	cl->timer = now + rpc_cl_rto(cl);
	cl->heard = cl->sent = now;
	rpc_cl_unsend(c);		/* leftovers of the previous try */
	if ((fflags & FLIP_INVAL) && ltime > RPC_ADDRLOCATE)
		ltime = RPC_ADDRLOCATE;	/* relocating the address: briefly */
	r = rpc_send_msg(c->proc, &cl->srv, cl->req, &a,
			 FLIP_SECURITY | FLIP_BORROW | fflags, ltime);
	cl->reqmessid = flip_last_messid(c->proc->node->sw,
					 c->proc->node->ifno);
	cl->flags |= RPC_F_SENT;
	if (a.ah_flags == 0 && !(fflags & FLIP_INVAL))
		cl->flags |= RPC_F_RTT;
	else
		cl->flags &= ~RPC_F_RTT;
	if (r != FLIP_OK) {
		cl->flags |= RPC_F_UNREACH;
		cl->timer = now + RPC_LOCTIMEOUT;
	} else if (cl->inflight < 255) {
		cl->inflight++;
	}
}

/* Port known (cache): go send; else locate. */
static void
rpc_cl_route(struct rpc_call *c, uint32_t now)
{
	struct rpc_node *rn = c->proc->node;
	struct rpc_call *sv = rpc_find_listener(rn, &c->cl.port, NULL);
	struct rpc_pcache *e;

	if (sv) {
		rpc_local_handoff(c, sv);
		return;
	}
	e = rpc_pc_lookup(rn, &c->cl.port);
	if (e == NULL) {
		rpc_cl_locate(c, now);
		return;
	}
	c->cl.srv = e->addr;
	c->cl.srvidx = e->idx;
	c->cl.rtt = e->rtt;
	rpc_cl_send_request(c, now, 0);
}

errstat
rpc_trans_start(struct rpc_call *c, const header *req, const void *buf,
		uint32_t n)
{
	struct rpc_client *cl = &c->cl;
	struct rpc_msg *m;

	c->done = 0;
	if (cl->state != RPC_CL_IDLE && cl->state != RPC_CL_DONE)
		return RPC_FAILURE;		/* programming error */
	if (cl->state != RPC_CL_IDLE)	/* IDLE: all zero (reset or new) */
		rpc_cl_reset(c);
	cl->state = RPC_CL_DONE;
	if (NULLPORT(&req->h_port)) {
		rpc_complete(c, RPC_BADPORT);
		return RPC_BADPORT;
	}
	if (n > RPC_MAXDATA || (n && buf == NULL)) {
		rpc_complete(c, n > RPC_MAXDATA ? STD_OVERFLOW : RPC_BADADDRESS);
		return c->result;
	}
	m = rpc_msg_new(RPC_MSGHDRS + n);
	if (m == NULL) {
		rpc_complete(c, RPC_TRYAGAIN);
		return RPC_TRYAGAIN;
	}
	rpc_hdr_encode(req, m->data + RPC_OFF_HDR);
	if (n)
		memcpy(m->data + RPC_OFF_BODY, buf, n);
	cl->req = m;
	cl->port = req->h_port;
	cl->tid = ++c->proc->node->tid;
	cl->retrial = RPC_MAX_RETRIAL;
	rpc_cl_route(c, flip_port_now_ms());
	return STD_OK;
}

int32_t
rpc_trans_finish(struct rpc_call *c, header *rep, void *buf, uint32_t n)
{
	struct rpc_client *cl = &c->cl;
	int32_t r = c->result;
	uint32_t body;

	if (!c->done)
		return RPC_FAILURE;
	if (r >= 0 && cl->rep) {
		rpc_hdr_decode(cl->rep->data + RPC_OFF_HDR, rep, 0);
		body = cl->rep->len - RPC_MSGHDRS;
		r = body < n ? body : n;
		if (r)
			memcpy(buf, cl->rep->data + RPC_OFF_BODY, r);
	} else if (r >= 0) {
		r = RPC_FAILURE;
	}
	rpc_cl_reset(c);
	return r;
}

/* ---- local fast path ------------------------------------------------------ */

/* Hand client cl's request straight to local server thread sv. */
void
rpc_local_handoff(struct rpc_call *cl, struct rpc_call *sv)
{
	struct rpc_server *s = &sv->sv;

	s->req = cl->cl.req;
	cl->cl.req = NULL;
	s->local = cl;
	s->client = cl->proc->pub;
	s->clidx = cl->idx;
	s->tid = cl->cl.tid;
	__builtin_memcpy(s->kid, cl->proc->node->kid, 8);	/* inline */
	s->state = RPC_SV_SERVING;
	cl->cl.local = sv;
	cl->cl.state = RPC_CL_GETREP;
	cl->proc->node->st.local_trans++;
	rpc_complete(sv, s->req->len - RPC_MSGHDRS);
}

/*
 * A getreq started: give it a local client waiting in LOCATE, if any.
 * The node's locating hint skips the search while no client can be in
 * LOCATE; a search that finds none clears it.
 */
void
rpc_cl_offer(struct rpc_call *sv)
{
	struct rpc_node *rn = sv->proc->node;
	struct rpc_proc *p;
	int i, seen = 0;

	if (!rn->locating)
		return;
	for (p = rn->procs; p; p = p->next) {
		for (i = 0; i < RPC_NTHREAD; i++) {
			struct rpc_call *c = p->threads[i];

			if (c == NULL || c->cl.state != RPC_CL_LOCATE)
				continue;
			if (PORTCMP(&c->cl.port, &sv->sv.putport)) {
				rpc_local_handoff(c, sv);
				return;
			}
			seen = 1;
		}
	}
	if (!seen)
		rn->locating = 0;
}

/* ---- packets from the server ---------------------------------------------- */

static void
rpc_cl_hereis(struct rpc_proc *p, struct rpc_call *c, const flip_adr_t *src,
	      const struct rpc_amphdr *a)
{
	uint32_t now = flip_port_now_ms();
	int i;

	if (c->cl.state != RPC_CL_LOCATE || !PORTCMP(&c->cl.port, &a->ah_port))
		return;
	if ((int32_t)(a->ah_tid - c->cl.t0) < 0)
		return;			/* answers an older locate round */
	rpc_pc_install(p->node, &a->ah_port, src, a->ah_from,
		       (int32_t)(now - a->ah_tid));
	for (i = 0; i < RPC_NTHREAD; i++) {
		struct rpc_call *w = p->threads[i];

		if (w && w->cl.state == RPC_CL_LOCATE &&
		    PORTCMP(&w->cl.port, &a->ah_port))
			rpc_cl_route(w, now);
	}
}

/*
 * A transaction that needed no retry times the round trip: the port
 * cache's estimate follows a faster trip at once, a slower one by 1/8.
 */
static void
rpc_cl_rtt_sample(struct rpc_call *c)
{
	struct rpc_client *cl = &c->cl;
	struct rpc_pcache *e;
	uint32_t t = flip_port_now_ms() - cl->sent, r;

	if (!(cl->flags & RPC_F_RTT) || cl->local)
		return;
	e = rpc_pc_lookup(c->proc->node, &cl->port);
	if (e == NULL || !flip_adr_eq(&e->addr, &cl->srv))
		return;
	r = t < e->rtt ? t : (7u * e->rtt + t) / 8;
	e->rtt = r < 1 ? 1 : r > RPC_MAXRTO ? RPC_MAXRTO : r;
}

/* Reply complete: ACK it and finish the trans. */
static void
rpc_cl_reply_done(struct rpc_call *c)
{
	rpc_send_ctl(c->proc, &c->cl.srv, RPC_T_ACK, 0, c->cl.tid,
		     c->cl.srvidx, c->idx, NULL, FLIP_SECURITY);
	rpc_cl_rtt_sample(c);
	rpc_cl_finish(c, c->cl.rep->len - RPC_MSGHDRS);
}

static void
rpc_cl_reply(struct rpc_call *c, const struct rpc_amphdr *a,
	     const uint8_t *data, uint32_t length, uint32_t messid,
	     uint32_t total, int big)
{
	struct rpc_client *cl = &c->cl;

	if (total < RPC_MSGHDRS || length < RPC_MSGHDRS ||
	    total - RPC_MSGHDRS > RPC_MAXDATA)
		return;
	rpc_msg_free(&cl->rep);
	cl->rep = rpc_msg_new(total);
	if (cl->rep == NULL)
		return;
	memcpy(cl->rep->data, data, length);
	cl->rep->got = length;
	cl->srvidx = a->ah_from;
	cl->repmessid = messid;
	if (length == total) {
		rpc_msg_normalise(cl->rep, big);
		rpc_cl_reply_done(c);
		return;
	}
	cl->state = RPC_CL_GETREP;
	cl->reptimer = flip_port_now_ms() + RPC_MAXREASSEMBLE;
	cl->timer = flip_port_now_ms() + RPC_ENQUIRE;
	rpc_cl_heard(cl, flip_port_now_ms());
	cl->repbig = big != 0;
}

int
rpc_cl_frag(struct rpc_proc *p, const flip_adr_t *src, const uint8_t *data,
	    uint32_t messid, uint32_t offset, uint32_t length)
{
	int i;

	for (i = 0; i < RPC_NTHREAD; i++) {
		struct rpc_call *c = p->threads[i];
		struct rpc_msg *m;

		if (!c || c->cl.state != RPC_CL_GETREP || !c->cl.rep ||
		    c->cl.repmessid != messid || !flip_adr_eq(&c->cl.srv, src))
			continue;
		m = c->cl.rep;
		if (offset != m->got || length > m->len - m->got) {
			rpc_msg_free(&c->cl.rep);	/* out of order */
			return 1;
		}
		memcpy(m->data + offset, data, length);
		m->got += length;
		c->cl.heard = flip_port_now_ms();
		if (m->got == m->len) {
			rpc_msg_normalise(m, c->cl.repbig);
			rpc_cl_reply_done(c);
		}
		return 1;
	}
	return 0;
}

/*
 * Is c waiting for the reply of transaction tid from src?  While it
 * relocates (after a NAK) any server may answer for that tid.
 */
static int
rpc_cl_waiting(struct rpc_call *c, const flip_adr_t *src, uint32_t tid)
{
	if (c->cl.local != NULL || c->cl.tid != tid)
		return 0;
	if (c->cl.state == RPC_CL_LOCATE)
		return 1;
	return (c->cl.state == RPC_CL_PUTREQ || c->cl.state == RPC_CL_GETREP) &&
	       flip_adr_eq(&c->cl.srv, src);
}

/*
 * FORWARD: the server passed our request on to another group member at
 * FLIP address to.  Cache the new server and resend with a new tid.
 */
static void
rpc_cl_forward(struct rpc_call *c, const uint8_t *to)
{
	struct rpc_client *cl = &c->cl;
	flip_adr_t a;

	memcpy(a.a_abytes, to, 8);
	if (flip_adr_null(&a))
		return;
	rpc_cl_unsend(c);
	rpc_pc_install(c->proc->node, &cl->port, &a, 0, cl->rtt);
	cl->srv = a;
	cl->srvidx = 0;
	cl->tid = ++c->proc->node->tid;
	cl->retrial = RPC_MAX_RETRIAL;
	cl->flags = 0;
	cl->inflight = 0;
	rpc_cl_heard(cl, flip_port_now_ms());
	rpc_msg_free(&cl->rep);
	rpc_cl_send_request(c, flip_port_now_ms(), 0);
}

/* ACK, NAK, ALIVE or FAIL for the transaction c is waiting for. */
static void
rpc_cl_answer(struct rpc_proc *p, struct rpc_call *c,
	      const struct rpc_amphdr *a, uint32_t now)
{
	struct rpc_client *cl = &c->cl;
	int probed = cl->probes > 0;

	rpc_cl_heard(cl, now);
	switch (a->ah_type) {
	case RPC_T_ACK:
		cl->flags &= ~(RPC_F_NACKED | RPC_F_NAKRESENT);
		if (cl->state == RPC_CL_PUTREQ) {
			cl->state = RPC_CL_GETREP;
			cl->timer = now + RPC_ENQUIRE;
			cl->retrial = RPC_MAX_RETRIAL;
		}
		break;
	case RPC_T_NAK:
		/* Not received: retransmit it there (FL_RETRANS) - at
		 * once if this answers our RECEIVED (the request was
		 * lost), else after an RTO (a thread may be back in getreq
		 * by then).  NAKed again - no listener there: relocate,
		 * which waits (within the locate budget) for a listener. */
		if (cl->state != RPC_CL_PUTREQ)
			break;
		cl->inflight = 0;
		if (--cl->retrial < 0) {
			rpc_cl_finish(c, RPC_NOTFOUND);
		} else if (!(cl->flags & RPC_F_NAKRESENT)) {
			cl->flags |= RPC_F_NACKED | RPC_F_RETRANS;
			cl->timer = now + (probed ? 0 : rpc_cl_rto(cl));
		} else {
			cl->flags &= ~RPC_F_NAKRESENT;
			rpc_pc_remove(p->node, &cl->port);
			rpc_cl_locate(c, now);
		}
		break;
	case RPC_T_ALIVE:
		cl->flags &= ~(RPC_F_NACKED | RPC_F_NAKRESENT);
		cl->state = RPC_CL_GETREP;
		cl->retrial = RPC_MAX_RETRIAL;
		cl->timer = now + RPC_ENQUIRE;
		p->node->st.alives++;
		break;
	case RPC_T_FAIL:
		rpc_cl_finish(c, RPC_FAILURE);
		break;
	}
}

/*
 * A packet for thread a->ah_dest's client half.  Returns 0 for an
 * ACK/NAK that is not about its transaction (it may be for its server
 * half), else 1.
 */
int
rpc_cl_input(struct rpc_proc *p, const flip_adr_t *src,
	     const struct rpc_amphdr *a, const uint8_t *data, uint32_t length,
	     uint32_t messid, uint32_t total, int big)
{
	struct rpc_call *c = p->threads[a->ah_dest];
	int waiting = rpc_cl_waiting(c, src, a->ah_tid);

	switch (a->ah_type) {
	case RPC_T_HEREIS:
		rpc_cl_hereis(p, c, src, a);
		return 1;
	case RPC_T_REPLY:
		if (waiting && c->cl.state == RPC_CL_LOCATE) {
			c->cl.srv = *src;	/* the answer we relocate for */
			c->cl.state = RPC_CL_GETREP;
		}
		if (waiting)
			rpc_cl_reply(c, a, data, length, messid, total, big);
		else			/* old or duplicate reply */
			rpc_send_ctl(p, src, RPC_T_ACK, 0, a->ah_tid,
				     a->ah_from, a->ah_dest, NULL, 0);
		return 1;
	case RPC_T_RECEIVED:
		rpc_send_ctl(p, src, waiting ? RPC_T_NAK : RPC_T_ACK, 0,
			     a->ah_tid, a->ah_from, a->ah_dest, NULL, 0);
		return 1;
	case RPC_T_FORWARD:
		rpc_send_ctl(p, src, RPC_T_ACK, 0, a->ah_tid, a->ah_from,
			     a->ah_dest, NULL, FLIP_SECURITY);
		if (waiting && c->cl.state != RPC_CL_LOCATE &&
		    length >= RPC_AMPHDR_SIZE + 8)
			rpc_cl_forward(c, data + RPC_AMPHDR_SIZE);
		return 1;
	}
	if (!waiting || c->cl.state == RPC_CL_LOCATE)
		return 0;
	rpc_cl_answer(p, c, a, flip_port_now_ms());
	return 1;
}

/* FLIP could not deliver our REQUEST (no route, or locate failed). */
void
rpc_cl_notdeliver(struct rpc_node *rn, const struct rpc_amphdr *a, int flags)
{
	struct rpc_proc *p;
	struct rpc_call *c;

	for (p = rn->procs; p; p = p->next) {
		if (a->ah_from >= RPC_NTHREAD)
			return;
		c = p->threads[a->ah_from];
		if (c && c->cl.state == RPC_CL_PUTREQ && c->cl.tid == a->ah_tid) {
			c->cl.flags |= RPC_F_UNREACH;
			if (c->cl.inflight > 0)	/* that copy never arrived */
				c->cl.inflight--;
			if (flags & FLIP_UNTRUSTED)
				c->cl.flags |= RPC_F_UNSAFE;
			c->cl.timer = flip_port_now_ms() + RPC_LOCTIMEOUT;
			return;
		}
	}
}

/* ---- timers -------------------------------------------------------------- */

static void
rpc_cl_locate_tick(struct rpc_call *c, uint32_t now)
{
	struct rpc_client *cl = &c->cl;
	int max = c->proc->node->sw->max_hops;

	cl->spent += cl->interval;
	if ((int32_t)cl->spent >= c->loctimeout) {
		rpc_cl_finish(c, RPC_NOTFOUND);
		return;
	}
	if (cl->hop < max)
		cl->hop = 2 * cl->hop + 1 < max ? 2 * cl->hop + 1 : max;
	else
		cl->interval *= 2;
	cl->timer = now + cl->interval;
	rpc_cl_send_locate(c, now);
}

/*
 * Is the REQUEST still (partly) inside FLIP - waiting for a locate or for
 * credits?  Then the timers start when it has left.  FLIP bounds both
 * waits itself: a locate by its budget (then the request bounces), the
 * credit wait by FLIP_MAXTRIAL credit requests (then it is dropped).
 */
static int
rpc_cl_leaving(struct rpc_call *c, uint32_t now)
{
	struct rpc_client *cl = &c->cl;

	if (!(cl->flags & RPC_F_SENT) || (cl->flags & RPC_F_UNREACH) ||
	    !flip_msg_pending(c->proc->node->sw, &cl->srv, cl->reqmessid))
		return 0;
	cl->heard = now;
	cl->timer = now + rpc_cl_rto(cl);
	return 1;
}

/*
 * The server is silent (or gone).  If no copy of the request can have
 * reached it, another server may take it: drop the port-cache entry and
 * locate again.  Otherwise the request may have been executed there, so
 * at-most-once allows only RPC_FAILURE (the cache entry is dropped so
 * that the next trans relocates).
 */
static void
rpc_cl_dead(struct rpc_call *c, uint32_t now)
{
	struct rpc_client *cl = &c->cl;

	rpc_pc_remove(c->proc->node, &cl->port);
	if (cl->inflight == 0 && --cl->retrial >= 0) {
		rpc_cl_heard(cl, now);
		rpc_cl_locate(c, now);
	} else if (cl->flags & RPC_F_UNSAFE) {
		rpc_cl_finish(c, RPC_UNSAFE);
	} else if (cl->inflight == 0) {
		rpc_cl_finish(c, RPC_NOTFOUND);
	} else {
		rpc_cl_finish(c, RPC_FAILURE);
	}
}

/*
 * Has the server been silent long enough to count as dead?  After
 * RPC_DEADTIME, or after the call's locate budget when the caller set
 * a shorter one (timeout(): a caller asking whether a node is still
 * there wants the answer soon).
 */
static int
rpc_cl_silent(const struct rpc_call *c, uint32_t now)
{
	const struct rpc_client *cl = &c->cl;
	uint32_t dead = c->loctimeout > 0 && c->loctimeout < RPC_DEADTIME ?
			(uint32_t)c->loctimeout : RPC_DEADTIME;

	return cl->probes >= RPC_DEADPROBES && rpc_after(now, cl->heard + dead);
}

/*
 * FLIP bounced the REQUEST (no route; the address's locate failed).  If
 * no copy can have arrived, relocate the address once (a process may
 * have moved), then the port; else probe like a silent server.
 */
static void
rpc_cl_bounced(struct rpc_call *c, uint32_t now)
{
	struct rpc_client *cl = &c->cl;

	cl->flags &= ~RPC_F_UNREACH;
	if (cl->inflight > 0 || --cl->retrial < 0) {
		if (cl->retrial < 0)
			rpc_cl_dead(c, now);
		else
			cl->timer = now;	/* probe at once */
		return;
	}
	if (!(cl->flags & RPC_F_INVAL)) {
		cl->flags |= RPC_F_INVAL;
		rpc_cl_send_request(c, now, FLIP_INVAL);
		return;
	}
	if (cl->flags & RPC_F_UNSAFE) {		/* only untrusted paths */
		rpc_cl_finish(c, RPC_UNSAFE);
		return;
	}
	rpc_pc_remove(c->proc->node, &cl->port);
	cl->flags &= ~RPC_F_INVAL;
	rpc_cl_locate(c, now);
}

/* No progress in PUTREQ: retry, probe, or give up. */
static void
rpc_cl_putreq_tick(struct rpc_call *c, uint32_t now)
{
	struct rpc_client *cl = &c->cl;

	if (rpc_cl_leaving(c, now))
		return;
	if (cl->flags & RPC_F_NACKED) {
		cl->flags = (cl->flags & ~RPC_F_NACKED) | RPC_F_NAKRESENT;
		rpc_cl_send_request(c, now, 0);
		return;
	}
	if (cl->flags & RPC_F_UNREACH) {
		rpc_cl_bounced(c, now);
		return;
	}
	if (rpc_cl_silent(c, now)) {
		rpc_cl_dead(c, now);
		return;
	}
	/* Probe: did the server get it?  From the second probe on, FLIP
	 * also relocates the server's address (it may have moved). */
	cl->flags = (cl->flags | RPC_F_RETRANS) & ~RPC_F_RTT;
	cl->timer = now + rpc_cl_probe_wait(cl);
	cl->probes++;
	rpc_send_ctl(c->proc, &cl->srv, RPC_T_RECEIVED, RPC_FL_REQUEST,
		     cl->tid, cl->srvidx, c->idx, c->proc->node->kid,
		     FLIP_SECURITY | (cl->probes >= 2 ? FLIP_INVAL : 0));
}

/* Waiting for the reply: ENQUIRE every RPC_ENQUIRE; silence = dead. */
static void
rpc_cl_getrep_tick(struct rpc_call *c, uint32_t now)
{
	struct rpc_client *cl = &c->cl;

	if (rpc_cl_silent(c, now)) {
		cl->inflight = 1;		/* it was ACKed: executed? */
		rpc_cl_dead(c, now);
		return;
	}
	c->proc->node->st.enquiries++;
	cl->flags &= ~RPC_F_RTT;
	cl->timer = now + (cl->probes ? rpc_cl_probe_wait(cl) : RPC_ENQUIRE);
	cl->probes++;
	rpc_send_ctl(c->proc, &cl->srv, RPC_T_ENQUIRE, 0, cl->tid, cl->srvidx,
		     c->idx, NULL, FLIP_SECURITY |
		     (cl->probes >= 2 ? FLIP_INVAL : 0));
}

void
rpc_cl_tick(struct rpc_call *c, uint32_t now)
{
	struct rpc_client *cl = &c->cl;

	if (cl->state == RPC_CL_GETREP && cl->rep &&
	    rpc_after(now, cl->reptimer))
		rpc_msg_free(&cl->rep);		/* reassembly timed out */
	if (cl->local || !rpc_after(now, cl->timer))
		return;
	switch (cl->state) {
	case RPC_CL_LOCATE:
		rpc_cl_locate_tick(c, now);
		break;
	case RPC_CL_PUTREQ:
		rpc_cl_putreq_tick(c, now);
		break;
	case RPC_CL_GETREP:
		rpc_cl_getrep_tick(c, now);
		break;
	}
}
