/*
 * grp_call.c - the calls that go through the order (grp_send,
 * grp_receive, grp_leave), the resending of a member's request until
 * the sequencer accepts it, delivery to a waiting grp_receive, and the
 * order's timers (SYNC, tentative messages, RETRANS, silent STATE).
 *
 * Entry points: grp_send_start/finish, grp_receive_start/finish,
 * grp_leave_start/finish; grp_request_send, grp_deliver_check,
 * grp_order_tick for the other group files.  Caller holds the network
 * lock.
 */
#include <string.h>
#include "grp/grp_impl.h"
#include "flip/flip_port.h"

/* ---- requests ------------------------------------------------------------ */

/*
 * The resend timer: a Jacobson estimate of the time from request to
 * accept (average + 4 deviations), within 4 x RETRANSTIME .. t_reply;
 * t_reply (REPLYTIMEOUT) until there is a measurement.
 */
static uint32_t
grp_rto(struct grp_group *g)
{
	int32_t rto = g->srtt / 8 + g->rttvar;

	if (g->srtt == 0 || rto > (int32_t)g->t_reply)
		return g->t_reply;
	return rto < 4 * GRP_RETRANSTIME ? 4 * GRP_RETRANSTIME : rto;
}

/* The request was accepted: a sample, unless it was sent twice. */
void
grp_rtt_sample(struct grp_group *g)
{
	int32_t m = (int32_t)(flip_port_now_ms() - g->reqfirst);

	if (g->reqresent || g->reqsent == 0)
		return;
	if (m < 1)		/* under the clock's 1 ms: srtt 0 is "none" */
		m = 1;
	if (g->srtt == 0) {
		g->srtt = m * 8;
		g->rttvar = m * 2;
		return;
	}
	m -= g->srtt / 8;
	g->srtt += m;
	g->rttvar += (m < 0 ? -m : m) - g->rttvar / 4;
}

/*
 * grp_request_send - (re)send the request of the operation in progress:
 * ordered at once by a sequencer, else point-to-point to it (PB) or
 * multicast to g_addr_all (BB).  The last retries use FLIP_INVAL.
 */
void
grp_request_send(struct grp_group *g)
{
	uint32_t now = flip_port_now_ms();
	struct grp_bchdr b;

	g->reqtimer = now + grp_rto(g);
	g->reqresent = g->reqsent != 0;
	g->reqsent = now;
	if (grp_is_seq(g) && g->state == GRP_S_NORMAL) {
		g->reqtimer = now + GRP_RETRANSTIME;
		grp_seq_request(g, g->reqtype, g->messid, g->req, g->reqlen);
		return;
	}
	grp_bc_fill(g, &b, g->reqtype, 0, g->messid, g->myid);
	g->silent = 0;
	if (g->reqbb)		/* our own registration counts too */
		grp_mcast(g, &g->allpub, g->total, &b, g->req, g->reqlen);
	else
		grp_send_to(g, &g->mem[g->seqid].addr, &b, g->req, g->reqlen,
			    g->reqtries <= GRP_FIRSTLOCATE ? FLIP_INVAL : 0);
}

/*
 * A LEAVE that the sequencer no longer answers: it left or exited (the
 * members of a group that ends all leave at once, and the sequencer's
 * process may be gone before our LEAVE's accept reached us).  We are out
 * all the same: the leave is done, what we accepted is still delivered,
 * then the group is freed (grp_tick).  A group that goes on sees us
 * silent and resets without us.
 */
static void
grp_leave_unanswered(struct grp_group *g)
{
	g->state = GRP_S_LEFT;
	g->leftseq = g->nextseqno - 1;
	grp_op_done(g, STD_OK);
}

/*
 * The resend timer of the operation in progress ran out.  Only silence
 * counts as a failed try: a sequencer that talks (SYNC while its history
 * is full) is flow-controlling us, not dead.
 */
static void
grp_request_tick(struct grp_group *g, uint32_t now)
{
	if (g->op == NULL || g->req == NULL || !grp_after(now, g->reqtimer))
		return;
	if (grp_after(g->heardseq, g->reqsent + 1))
		g->reqtries = g->retrial;
	else if (!grp_is_seq(g) && g->reqtries-- == 0) {
		if (g->reqtype == GRP_T_LEAVEREQ)
			grp_leave_unanswered(g);
		else
			grp_abort(g);
		return;
	}
	grp_request_send(g);
}

/* BB: keep our own message for the sequencer's short accept. */
static void
grp_bb_own(struct grp_group *g)
{
	struct grp_bb *b = &g->bb[g->myid];

	flip_port_free(b->msg);
	b->msg = flip_port_alloc(g->reqlen);
	if (b->msg == NULL)
		return;
	memcpy(b->msg, g->req, g->reqlen);
	b->len = g->reqlen;
	b->messid = g->messid;
}

/* Start an operation whose request is hdr + n bytes of buf. */
static errstat
grp_request_start(struct grp_group *g, struct grp_call *c, int type,
		  const header *hdr, const void *buf, uint32_t n, int bb)
{
	g->req = flip_port_alloc(GRP_HDR_SIZE + n);
	if (g->req == NULL)
		return STD_NOMEM;
	grp_hdr_encode(hdr, g->req);
	if (n)
		memcpy(g->req + GRP_HDR_SIZE, buf, n);
	g->reqlen = GRP_HDR_SIZE + n;
	g->reqtype = type;
	g->reqbb = bb && !grp_is_seq(g);
	g->reqtries = g->retrial;
	g->reqsent = 0;
	g->reqfirst = flip_port_now_ms();
	g->messid++;
	g->op = c;
	if (g->reqbb)		/* our own copy for the short accept */
		grp_bb_own(g);
	grp_request_send(g);
	return STD_OK;
}

/* Checks shared by send and leave; sets c up.  STD_OK or an error. */
static errstat
grp_op_check(struct grp_group *g, struct grp_call *c, int op)
{
	memset(c, 0, sizeof(*c));
	c->op = op;
	if (g == NULL || g->state == GRP_S_LEFT)
		return STD_ARGBAD;
	c->gid = g->gid;
	if (g->state == GRP_S_RECOVER) {
		g->aborted = 1;
		return BC_ABORT;
	}
	if (g->state != GRP_S_NORMAL || g->op)
		return STD_NOTNOW;
	return STD_OK;
}

errstat
grp_send_start(struct grp_node *gn, void *owner, int32_t gid,
	       struct grp_call *c, const header *hdr, const void *buf,
	       uint32_t n)
{
	struct grp_group *g = grp_lookup(gn, owner, gid);
	errstat e = grp_op_check(g, c, GRP_OP_SEND);

	if (e == STD_OK && n > g->maxmess)
		e = BC_TOOBIG;
	if (e == STD_OK && (hdr == NULL || (n && buf == NULL)))
		e = STD_ARGBAD;
	if (e == STD_OK)
		e = grp_request_start(g, c, GRP_T_BCASTREQ, hdr, buf, n,
				      n + GRP_HDR_SIZE >= g->large);
	if (e != STD_OK)
		grp_complete(c, e);
	return e;
}

errstat
grp_send_finish(struct grp_call *c)
{
	return c->result;
}

errstat
grp_leave_start(struct grp_node *gn, void *owner, int32_t gid,
		struct grp_call *c, const header *hdr)
{
	struct grp_group *g = grp_lookup(gn, owner, gid);
	errstat e = grp_op_check(g, c, GRP_OP_LEAVE);

	if (e == STD_OK && hdr == NULL)
		e = STD_ARGBAD;
	if (e == STD_OK)
		e = grp_request_start(g, c, GRP_T_LEAVEREQ, hdr, NULL, 0, 0);
	if (e != STD_OK)
		grp_complete(c, e);
	return e;
}

errstat
grp_leave_finish(struct grp_call *c)
{
	return c->result;
}

/* ---- receive ------------------------------------------------------------- */

/* Hand message expect to the waiting grp_receive, if it is there. */
void
grp_deliver_check(struct grp_group *g)
{
	struct grp_call *c = g->recv;
	struct grp_hist *h;
	uint32_t n;

	if (c == NULL || g->expect == g->nextseqno || !grp_have(g, g->expect))
		return;
	h = grp_slot(g, g->expect);
	n = h->type == GRP_T_BCAST ? h->len - GRP_HDR_SIZE : 0;
	c->data = flip_port_alloc(n ? n : 1);
	if (c->data == NULL)
		return;
	grp_hdr_decode(h->msg, &c->hdr, 0);
	memcpy(c->data, h->msg + GRP_HDR_SIZE, n);
	c->len = n;
	g->expect++;
	c->more = g->expect != g->nextseqno;
	g->recv = NULL;
	g->node->st.delivered++;
	grp_complete(c, (int32_t)n);
	grp_trim(g);
}

errstat
grp_receive_start(struct grp_node *gn, void *owner, int32_t gid,
		  struct grp_call *c)
{
	struct grp_group *g = grp_lookup(gn, owner, gid);

	memset(c, 0, sizeof(*c));
	c->op = GRP_OP_RECV;
	if (g == NULL || g->recv || g->hist == NULL ||
	    (g->state == GRP_S_LEFT && grp_after(g->expect, g->leftseq + 1))) {
		grp_complete(c, g && g->recv ? STD_NOTNOW : STD_ARGBAD);
		return c->result;
	}
	c->gid = gid;
	g->recv = c;
	grp_deliver_check(g);
	if (!c->done && g->state == GRP_S_RECOVER) {
		g->recv = NULL;
		g->aborted = 1;
		grp_complete(c, BC_ABORT);
	}
	return c->done && c->result < 0 ? c->result : STD_OK;
}

int32_t
grp_receive_finish(struct grp_call *c, header *hdr, void *buf, uint32_t n,
		   int *more)
{
	int32_t r = c->result;

	if (r >= 0) {
		if (hdr)
			*hdr = c->hdr;
		if ((uint32_t)r > n)
			r = (int32_t)n;
		if (r > 0 && buf)
			memcpy(buf, c->data, (uint32_t)r);
		if (more)
			*more = c->more;
	}
	flip_port_free(c->data);
	c->data = NULL;
	return r;
}

/* ---- timers -------------------------------------------------------------- */

/*
 * Sequencer: SYNC when members lag or the history is full, and once
 * soon after the traffic stops: a member that lost the last messages
 * has no later one to show it the gap.
 */
static void
grp_sync_tick(struct grp_group *g, uint32_t now)
{
	struct grp_bchdr b;

	if (!g->tailsync &&
	    grp_after(now, g->lastorder + 4 * GRP_RETRANSTIME)) {
		g->tailsync = 1;
		g->syncnext = now;
	}
	if (!grp_after(now, g->syncnext))
		return;
	g->syncnext = now + g->t_sync;
	if (g->stable == g->nextseqno && g->nexthist == g->nextseqno)
		return;
	g->node->st.syncs++;
	grp_bc_fill(g, &b, GRP_T_SYNC, g->nextseqno, g->nexthist, g->myid);
	grp_mcast(g, &g->gpub, grp_others(g), &b, NULL, 0);
	/* Members still short of our predecessor's LEAVE take it from us. */
	if (g->takeover && !grp_after(g->stable, g->takeover + 1))
		grp_hist_send(g, g->takeover, NULL, 1);
	else
		g->takeover = 0;
}

/* Sequencer: tentative messages short of acks are multicast again. */
static void
grp_tent_tick(struct grp_group *g, uint32_t now)
{
	uint32_t s;

	if (g->nexthist == g->nextseqno || !grp_after(now, g->tentnext))
		return;
	g->tentnext = now + 4 * GRP_RETRANSTIME;
	for (s = g->nextseqno; s != g->nexthist; s++) {
		struct grp_hist *h = grp_slot(g, s);

		grp_hist_send(g, s, NULL, h->type != GRP_T_BCAST || !h->bb);
	}
}

void
grp_order_tick(struct grp_group *g, uint32_t now)
{
	if (g->state == GRP_S_LEFT) {
		if (g->op && grp_after(now, g->reqtimer)) {
			g->reqtimer = now + g->t_reply;
			if (g->reqtries-- == 0)
				grp_op_done(g, STD_OK);
			else
				grp_hist_send(g, g->leftseq, NULL, 1);
		}
		return;
	}
	grp_request_tick(g, now);
	if (g->state != GRP_S_NORMAL)
		return;
	if (grp_is_seq(g)) {
		grp_sync_tick(g, now);
		grp_tent_tick(g, now);
	} else {
		grp_gap_check(g);
	}
}
