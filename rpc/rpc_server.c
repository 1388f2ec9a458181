/*
 * rpc_server.c - the server side of Amoeba RPC (spec 3.7, 3.8): getreq
 * and putrep as state machines IDLE -> GETREQ -> (RECEIVING) -> SERVING
 * -> PUTREP -> IDLE, answering RPC locates, applying the at-most-once
 * rules to REQUEST/RECEIVED, answering ENQUIRE, and retransmitting
 * replies until the client ACKs.
 *
 * Entry points: rpc_getreq_start/_finish(), rpc_putrep_start/_finish();
 * for the other RPC files rpc_sv_*().  Caller holds the network lock.
 */
#include <string.h>
#include "rpc/rpc_impl.h"
#include "flip/flip_port.h"

/*
 * Replies are sent FLIP_BORROW: FLIP may still point into s->rep.  Drop
 * the reply, after making FLIP forget what it holds of it.
 */
static void
rpc_sv_drop_reply(struct rpc_call *c)
{
	struct rpc_server *s = &c->sv;

	if (s->repsent)
		flip_cancel(c->proc->node->sw, &s->client, s->repmessid);
	s->repsent = 0;
	rpc_msg_free(&s->rep);
}

/*
 * The server half of c is idle again: the routes to its client may go
 * (they were pinned while a remote client's request was served).
 */
void
rpc_sv_set_idle(struct rpc_call *c)
{
	struct rpc_server *s = &c->sv;

	if (s->pinned) {
		flip_rt_unpin(c->proc->node->sw, &s->client);
		s->pinned = 0;
	}
	s->state = RPC_SV_IDLE;
}

void
rpc_sv_reset(struct rpc_call *c)
{
	struct rpc_server *s = &c->sv;

	if (s->state == RPC_SV_SERVING || s->state == RPC_SV_PUTREP) {
		if (s->local && s->local->cl.local == c) {
			s->local->cl.local = NULL;
			rpc_msg_free(&s->local->cl.req);
			s->local->cl.state = RPC_CL_DONE;
			rpc_complete(s->local, RPC_FAILURE);
		} else if (!s->local) {
			rpc_send_ctl(c->proc, &s->client, RPC_T_FAIL, 0, s->tid,
				     s->clidx, c->idx, NULL, 0);
		}
	}
	rpc_msg_free(&s->req);
	rpc_sv_drop_reply(c);
	rpc_sv_set_idle(c);
	memset(s, 0, sizeof(*s));
}

errstat
rpc_getreq_start(struct rpc_call *c, const header *h)
{
	struct rpc_server *s = &c->sv;

	c->done = 0;
	if (s->state != RPC_SV_IDLE)
		return RPC_FAILURE;	/* getreq while serving */
	if (NULLPORT(&h->h_port)) {
		rpc_complete(c, RPC_BADPORT);
		return RPC_BADPORT;
	}
	rpc_msg_free(&s->req);
	if (!c->lindexed || !rpc_port_eq(&s->getport, &h->h_port) ||
	    NULLPORT(&s->putport)) {	/* else: the last getreq's port */
		s->getport = h->h_port;
		rpc_f(c->proc->node, &s->getport, &s->putport);
		rpc_listen_index(c);
	}
	s->state = RPC_SV_GETREQ;
	rpc_cl_offer(c);
	return STD_OK;
}

int32_t
rpc_getreq_finish(struct rpc_call *c, header *h, void *buf, uint32_t n)
{
	struct rpc_server *s = &c->sv;
	uint32_t body;
	int32_t r;

	if (!c->done)
		return RPC_FAILURE;
	if (c->result < 0 || s->req == NULL)
		return c->result < 0 ? c->result : RPC_FAILURE;
	rpc_hdr_decode(s->req->data + RPC_OFF_HDR, h, 0);
	body = s->req->len - RPC_MSGHDRS;
	r = body < n ? body : n;
	if (r)
		memcpy(buf, s->req->data + RPC_OFF_BODY, r);
	rpc_msg_free(&s->req);
	return r;
}

/* Local client: hand the reply over and finish both sides. */
static void
rpc_sv_local_reply(struct rpc_call *c, struct rpc_msg *m)
{
	struct rpc_call *cl = c->sv.local;

	cl->cl.rep = m;
	cl->cl.local = NULL;
	cl->cl.state = RPC_CL_DONE;
	c->sv.local = NULL;
	rpc_sv_set_idle(c);
	rpc_complete(cl, m->len - RPC_MSGHDRS);
	c->result = STD_OK;	/* c's thread is the caller: no wakeup */
	c->done = 1;
}

/*
 * REPLYTIMEOUT: 16 x the client's round trip, within 11 .. 30000 ms; at
 * least SERVETIMEOUT for a multi-fragment reply, which the client must
 * reassemble before it can ACK.
 */
static uint32_t
rpc_sv_reply_timeout(const struct rpc_server *s)
{
	uint32_t t = 16 * s->base;

	if (s->rep && s->rep->len > RPC_ONEFRAG && t < RPC_SERVETIMEOUT)
		t = RPC_SERVETIMEOUT;
	return t < 11 ? 11 : t > RPC_MAXSERVERREPLY ? RPC_MAXSERVERREPLY : t;
}

static void
rpc_sv_send_reply(struct rpc_call *c, uint32_t now)
{
	struct rpc_server *s = &c->sv;
	struct rpc_amphdr a;

	memset(&a, 0, sizeof(a));
	a.ah_type = RPC_T_REPLY;
	a.ah_tid = s->tid;
	a.ah_dest = s->clidx;
	a.ah_from = c->idx;
	s->wait = rpc_sv_reply_timeout(s);
	s->timer = now + s->wait;
	if (s->repsent)			/* leftovers of the previous try */
		flip_cancel(c->proc->node->sw, &s->client, s->repmessid);
	rpc_send_msg(c->proc, &s->client, s->rep, &a,
		     FLIP_SECURITY | FLIP_BORROW, c->loctimeout);
	s->repmessid = flip_last_messid(c->proc->node->sw,
					c->proc->node->ifno);
	s->repsent = 1;
}

errstat
rpc_putrep_start(struct rpc_call *c, const header *h, const void *buf,
		 uint32_t n)
{
	struct rpc_server *s = &c->sv;
	struct rpc_msg *m;

	c->done = 0;
	if (s->state != RPC_SV_SERVING)
		return RPC_FAILURE;	/* putrep while not serving */
	if (n > RPC_MAXDATA)
		return STD_OVERFLOW;	/* still serving: may try again */
	if (n && buf == NULL)
		return RPC_BADADDRESS;
	m = rpc_msg_new(RPC_MSGHDRS + n);
	if (m == NULL) {
		rpc_sv_reset(c);
		rpc_complete(c, RPC_TRYAGAIN);
		return RPC_TRYAGAIN;
	}
	rpc_hdr_encode(h, m->data + RPC_OFF_HDR);
	if (n)
		memcpy(m->data + RPC_OFF_BODY, buf, n);
	if (s->local) {
		rpc_sv_local_reply(c, m);
		return STD_OK;
	}
	if (flip_adr_null(&s->client)) {	/* local client went away */
		rpc_msg_free(&m);
		rpc_sv_set_idle(c);
		rpc_complete(c, RPC_FAILURE);
		return STD_OK;
	}
	s->rep = m;
	s->repsent = 0;
	s->heard = flip_port_now_ms();
	s->state = RPC_SV_PUTREP;
	s->retrial = RPC_MAX_RETRIAL;
	rpc_sv_send_reply(c, flip_port_now_ms());
	return STD_OK;
}

errstat
rpc_putrep_finish(struct rpc_call *c)
{
	return c->done ? c->result : RPC_FAILURE;
}

/* ---- incoming ------------------------------------------------------------- */

void
rpc_sv_locate(struct rpc_node *rn, const flip_adr_t *src,
	      const struct rpc_amphdr *a)
{
	struct rpc_call *c = rpc_find_listener(rn, &a->ah_port, NULL);
	struct rpc_amphdr h;
	uint8_t w[RPC_AMPHDR_SIZE];

	if (c == NULL)
		return;
	memset(&h, 0, sizeof(h));
	h.ah_port = a->ah_port;
	h.ah_type = RPC_T_HEREIS;
	h.ah_tid = a->ah_tid;
	h.ah_dest = a->ah_from;
	h.ah_from = c->idx;
	rpc_amp_encode(&h, w);
	flip_unicast(rn->sw, rn->ifno, w, sizeof(w), 0, src, c->proc->ep,
		     RPC_DEF_LOCATE);
}

/* The thread of p serving (or replying to) src/from/tid, if any. */
static struct rpc_call *
rpc_sv_serving(struct rpc_proc *p, const flip_adr_t *src, int from,
	       uint32_t tid, int receiving)
{
	int i;

	for (i = 0; i < RPC_NTHREAD; i++) {
		struct rpc_call *c = p->threads[i];
		int st = c ? c->sv.state : RPC_SV_IDLE;

		if ((st == RPC_SV_SERVING || st == RPC_SV_PUTREP ||
		     (receiving && st == RPC_SV_RECEIVING)) &&
		    c->sv.local == NULL && c->sv.tid == tid &&
		    c->sv.clidx == from && flip_adr_eq(&c->sv.client, src))
			return c;
	}
	return NULL;
}

/*
 * A client thread only starts a new transaction after its previous one
 * ended, so a REQUEST with a new tid from the thread we are replying to
 * acknowledges our reply (the client's ACK was lost).
 */
static void
rpc_sv_implicit_ack(struct rpc_proc *p, const flip_adr_t *src, int from,
		    uint32_t tid)
{
	int i;

	for (i = 0; i < RPC_NTHREAD; i++) {
		struct rpc_call *c = p->threads[i];

		if (c && c->sv.state == RPC_SV_PUTREP && c->sv.local == NULL &&
		    c->sv.clidx == from && (int32_t)(tid - c->sv.tid) > 0 &&
		    flip_adr_eq(&c->sv.client, src)) {
			rpc_sv_drop_reply(c);
			rpc_sv_set_idle(c);
			rpc_complete(c, STD_OK);
		}
	}
}

/* The whole request is in: record it, update the kid table, wake. */
static void
rpc_sv_accepted(struct rpc_call *c, int multi)
{
	struct rpc_server *s = &c->sv;
	struct rpc_node *rn = c->proc->node;

	rpc_kid_update(rn, s->kid, s->tid);
	s->state = RPC_SV_SERVING;
	if (!s->local && !s->pinned) {	/* the reply must find the client */
		flip_rt_pin(rn->sw, &s->client);
		s->pinned = 1;
	}
	rn->st.requests_accepted++;
	if (multi)
		rpc_send_ctl(c->proc, &s->client, RPC_T_ACK, 0, s->tid,
			     s->clidx, c->idx, NULL, 0);
	rpc_complete(c, s->req->len - RPC_MSGHDRS);
}

/* Start receiving a request into thread c (first fragment). */
static void
rpc_sv_take(struct rpc_call *c, const flip_adr_t *src,
	    const struct rpc_amphdr *a, const uint8_t *data, uint32_t length,
	    uint32_t messid, uint32_t total, int big)
{
	struct rpc_server *s = &c->sv;

	rpc_msg_free(&s->req);
	s->req = rpc_msg_new(total);
	if (s->req == NULL) {
		s->state = RPC_SV_GETREQ;
		return;
	}
	memcpy(s->req->data, data, length);
	s->req->got = length;
	s->client = *src;
	s->clidx = a->ah_from;
	s->tid = a->ah_tid;
	memcpy(s->kid, a->ah_kid, 8);
	s->base = a->ah_dest == 0 || a->ah_dest > RPC_MAXSERVERREPLY ?
		  RPC_MAXSERVERREPLY : a->ah_dest;
	s->messid = messid;
	s->local = NULL;
	if (big) {
		s->req->data[RPC_OFF_AMP + 15] |= RPC_FL_BIGENDIAN;
		if (length == total)
			rpc_msg_normalise(s->req, 1);
	}
	if (length == total) {
		rpc_sv_accepted(c, 0);
		return;
	}
	s->state = RPC_SV_RECEIVING;
	s->timer = flip_port_now_ms() + RPC_MAXREASSEMBLE;
}

void
rpc_sv_request(struct rpc_proc *p, const flip_adr_t *src,
	       const struct rpc_amphdr *a, const uint8_t *data,
	       uint32_t length, uint32_t messid, uint32_t total, int big)
{
	struct rpc_node *rn = p->node;
	int retrans = a->ah_flags & RPC_FL_RETRANS, known, exec;
	struct rpc_call *c;

	if (total < RPC_MSGHDRS || length < RPC_MSGHDRS ||
	    total - RPC_MSGHDRS > RPC_MAXDATA || NULLPORT(&a->ah_port))
		return;
	c = rpc_sv_serving(p, src, a->ah_from, a->ah_tid, 0);
	if (c) {
		if (retrans)
			rpc_send_ctl(p, src, RPC_T_ACK, 0, a->ah_tid,
				     a->ah_from, c->idx, NULL, 0);
		return;
	}
	rpc_sv_implicit_ack(p, src, a->ah_from, a->ah_tid);
	c = rpc_sv_serving(p, src, a->ah_from, a->ah_tid, 1);
	if (c) {			/* restart a stalled reassembly */
		rpc_sv_take(c, src, a, data, length, messid, total, big);
		return;
	}
	known = rpc_kid_known(rn, a->ah_kid);
	exec = rpc_kid_executable(rn, a->ah_kid, a->ah_tid);
	if (known && !exec) {
		rn->st.dup_dropped++;
		if (retrans)
			rpc_send_ctl(p, src, RPC_T_FAIL, 0, a->ah_tid,
				     a->ah_from, 0, NULL, 0);
		return;
	}
	c = rpc_find_listener(rn, &a->ah_port, p);
	if (c == NULL) {
		rpc_send_ctl(p, src, RPC_T_NAK, 0, a->ah_tid, a->ah_from, 0,
			     NULL, 0);
		return;
	}
	rpc_sv_take(c, src, a, data, length, messid, total, big);
}

int
rpc_sv_frag(struct rpc_proc *p, const flip_adr_t *src, const uint8_t *data,
	    uint32_t messid, uint32_t offset, uint32_t length)
{
	int i;

	for (i = 0; i < RPC_NTHREAD; i++) {
		struct rpc_call *c = p->threads[i];
		struct rpc_msg *m;

		if (!c || c->sv.state != RPC_SV_RECEIVING ||
		    c->sv.messid != messid || !flip_adr_eq(&c->sv.client, src))
			continue;
		m = c->sv.req;
		if (offset != m->got || length > m->len - m->got) {
			c->sv.timer = flip_port_now_ms();  /* abort */
			return 1;
		}
		memcpy(m->data + offset, data, length);
		m->got += length;
		if (m->got == m->len) {
			rpc_msg_normalise(m, (m->data[15] & RPC_FL_BIGENDIAN) != 0);
			m->data[15] &= ~RPC_FL_BIGENDIAN;
			rpc_sv_accepted(c, 1);
		}
		return 1;
	}
	return 0;
}

/*
 * The client asks about a request we are still reassembling: a fragment
 * was lost.  Listen again at once, so that the client's relocate and
 * retransmission (after our NAK) find this thread.
 */
static void
rpc_sv_abort_receiving(struct rpc_proc *p, const flip_adr_t *src, int from,
		       uint32_t tid)
{
	struct rpc_call *c = rpc_sv_serving(p, src, from, tid, 1);

	if (c && c->sv.state == RPC_SV_RECEIVING) {
		rpc_msg_free(&c->sv.req);
		c->sv.state = RPC_SV_GETREQ;
	}
}

/*
 * The client asks whether we got its request while we are replying: it
 * has not got the reply (lost), so send it again now rather than after
 * our own reply timer.  Not while FLIP still holds some of it.
 */
static int
rpc_sv_reply_lost(struct rpc_call *c)
{
	struct rpc_server *s = &c->sv;

	if (s->state != RPC_SV_PUTREP || (s->repsent &&
	    flip_msg_pending(c->proc->node->sw, &s->client, s->repmessid)))
		return 0;
	rpc_sv_send_reply(c, flip_port_now_ms());
	return 1;
}

/* ENQUIRE, RECEIVED(FL_REQUEST), and ACK/NAK of our reply. */
void
rpc_sv_input(struct rpc_proc *p, const flip_adr_t *src,
	     const struct rpc_amphdr *a)
{
	struct rpc_node *rn = p->node;
	struct rpc_call *c = rpc_sv_serving(p, src, a->ah_from, a->ah_tid, 0);
	int type;

	if (c)
		c->sv.heard = flip_port_now_ms();
	switch (a->ah_type) {
	case RPC_T_ENQUIRE:
		if (c && (a->ah_flags & RPC_FL_SIGTRANS) && !c->sv.sigtrans) {
			c->sv.sigtrans = 1;
			flip_port_sigtrans(c);
			flip_port_wakeup(c);
		}
		rn->st.enquiries++;
		rpc_send_ctl(p, src, c ? RPC_T_ALIVE : RPC_T_FAIL, 0,
			     a->ah_tid, a->ah_from, c ? c->idx : 0, NULL, 0);
		return;
	case RPC_T_RECEIVED:
		rpc_sv_abort_receiving(p, src, a->ah_from, a->ah_tid);
		if (c && rpc_sv_reply_lost(c))
			return;
		if (c)
			type = RPC_T_ACK;
		else if (!rpc_kid_known(rn, a->ah_kid) ||
			 rpc_kid_executable(rn, a->ah_kid, a->ah_tid))
			type = RPC_T_NAK;
		else
			type = RPC_T_FAIL;
		rpc_send_ctl(p, src, type, 0, a->ah_tid, a->ah_from,
			     c ? c->idx : 0, NULL, 0);
		return;
	}
	if (c == NULL || c->sv.state != RPC_SV_PUTREP)
		return;
	if (a->ah_type == RPC_T_ACK) {
		rpc_sv_drop_reply(c);
		rpc_sv_set_idle(c);
		rpc_complete(c, STD_OK);
	} else if (a->ah_type == RPC_T_NAK) {
		rpc_sv_send_reply(c, flip_port_now_ms());
	}
}

/* FLIP could not deliver our REPLY (the client is gone): abandon it. */
void
rpc_sv_notdeliver(struct rpc_node *rn, const struct rpc_amphdr *a)
{
	struct rpc_proc *p;
	struct rpc_call *c;

	if (a->ah_from >= RPC_NTHREAD)
		return;
	for (p = rn->procs; p; p = p->next) {
		c = p->threads[a->ah_from];
		if (c && c->sv.state == RPC_SV_PUTREP && c->sv.tid == a->ah_tid &&
		    c->sv.clidx == a->ah_dest) {
			rpc_sv_drop_reply(c);
			rpc_sv_set_idle(c);
			rpc_complete(c, RPC_FAILURE);
			return;
		}
	}
}

/* The reply has not left FLIP yet (credits): wait; FLIP bounds that. */
static int
rpc_sv_leaving(struct rpc_call *c, uint32_t now)
{
	struct rpc_server *s = &c->sv;

	if (!s->repsent ||
	    !flip_msg_pending(c->proc->node->sw, &s->client, s->repmessid))
		return 0;
	s->heard = now;
	s->timer = now + s->wait;
	return 1;
}

/*
 * No ACK for the reply: ask the client (RECEIVED), backing off to
 * RPC_PROBEMAX; give up after RPC_MAX_RETRIAL probes and RPC_DEADTIME
 * of silence.
 */
static void
rpc_sv_putrep_tick(struct rpc_call *c, uint32_t now)
{
	struct rpc_server *s = &c->sv;

	if (rpc_sv_leaving(c, now))
		return;
	if (--s->retrial < 0 && rpc_after(now, s->heard + RPC_DEADTIME)) {
		rpc_sv_drop_reply(c);
		rpc_sv_set_idle(c);
		rpc_complete(c, RPC_FAILURE);
		return;
	}
	if (s->retrial < 0)
		s->retrial = 0;
	s->wait = 2 * s->wait > RPC_PROBEMAX ? RPC_PROBEMAX : 2 * s->wait;
	s->timer = now + s->wait;
	rpc_send_ctl(c->proc, &s->client, RPC_T_RECEIVED, RPC_FL_REPLY,
		     s->tid, s->clidx, c->idx, NULL, FLIP_SECURITY);
}

void
rpc_sv_tick(struct rpc_call *c, uint32_t now)
{
	struct rpc_server *s = &c->sv;

	if (!rpc_after(now, s->timer))
		return;
	if (s->state == RPC_SV_RECEIVING) {
		rpc_msg_free(&s->req);	/* reassembly failed: listen again */
		s->state = RPC_SV_GETREQ;
		rpc_cl_offer(c);
	} else if (s->state == RPC_SV_PUTREP) {
		rpc_sv_putrep_tick(c, now);
	}
}
