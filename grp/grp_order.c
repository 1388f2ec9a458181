/*
 * grp_order.c - the total order (spec 4.4): the sequencer assigns
 * sequence numbers to requests (PB: BCASTREQ point-to-point, BB:
 * BCASTREQ multicast to g_addr_all and a short accept), keeps the
 * history and its flow control, waits for r acknowledgements before
 * accepting when the resilience degree r > 0, sends SYNC; members store
 * messages (tentative or accepted), accept them in order, ask for
 * RETRANS on gaps, report STATE; and the calls grp_send, grp_receive and
 * grp_leave.
 *
 * Seqnos start at 1 (0 means "none").  History slot of seqno s is
 * s mod nbuf; [minhist, nextseqno) is accepted, [nextseqno, held) is
 * held but tentative.  b_expect carries a member's nextseqno towards the
 * sequencer and the sequencer's stable point (every member holds all
 * below it) towards the members; both trim their history below
 * min(stable, expect).
 *
 * Entry points: grp_send_start/finish, grp_receive_start/finish,
 * grp_leave_start/finish; for the other group files grp_hist_*,
 * grp_seq_input, grp_mem_input, grp_retrans_input, grp_bb_input,
 * grp_deliver_check, grp_mem_advance, grp_gap_check, grp_trim,
 * grp_order_tick, grp_request_send, grp_stable_update.  Caller holds
 * the network lock.
 */
#include <string.h>
#include "grp/grp_impl.h"
#include "flip/flip_port.h"
#include "flip/flip_wire.h"


/* ---- history ------------------------------------------------------------- */

void
grp_hist_put(struct grp_group *g, uint32_t s, int type, int cpu,
	     uint32_t messid, const uint8_t *msg, uint32_t len)
{
	struct grp_hist *h = grp_slot(g, s);
	uint8_t *copy = flip_port_alloc(len ? len : 1);

	if (copy == NULL)
		return;
	flip_port_free(h->msg);
	memcpy(copy, msg, len);
	h->msg = copy;
	h->len = len;
	h->used = 1;
	h->seqno = s;
	h->type = type;
	h->cpu = cpu;
	h->messid = messid;
	h->bb = 0;
}

static void
grp_hist_clear(struct grp_hist *h)
{
	flip_port_free(h->msg);
	memset(h, 0, sizeof(*h));
}

/* Forget every held message from seqno s on (recovery). */
void
grp_hist_drop_from(struct grp_group *g, uint32_t s)
{
	uint32_t i;

	for (i = 0; i < g->nbuf; i++)
		if (g->hist[i].used && grp_after(g->hist[i].seqno, s))
			grp_hist_clear(&g->hist[i]);
	if (grp_after(g->held, s))
		g->held = s;
}

/* The request type a tentative message travels under. */
static int
grp_tent_type(int type)
{
	if (type == GRP_T_JOIN)
		return GRP_T_JOINREQ;
	if (type == GRP_T_LEAVE)
		return GRP_T_LEAVEREQ;
	return GRP_T_BCASTREQ;
}

/*
 * grp_hist_send - send history entry s (accepted if below our
 * nextseqno, else tentative), with its data if full, to one member or,
 * to == NULL, multicast to g_addr.
 */
void
grp_hist_send(struct grp_group *g, uint32_t s, const flip_adr_t *to,
	      int full)
{
	struct grp_hist *h = grp_slot(g, s);
	struct grp_bchdr b;
	int type;

	if (!grp_have(g, s))
		return;
	type = grp_after(s, g->nextseqno) ? grp_tent_type(h->type) : h->type;
	grp_bc_fill(g, &b, type, s, h->messid, h->cpu);
	if (to)
		grp_send_to(g, to, &b, h->msg, full ? h->len : 0, 0);
	else
		grp_mcast(g, &g->gpub, grp_others(g), &b, h->msg,
			  full ? h->len : 0);
}

/* Drop accepted messages that every member holds and ours has taken. */
void
grp_trim(struct grp_group *g)
{
	uint32_t lim = grp_after(g->stable, g->expect) ? g->expect : g->stable;

	while (grp_after(lim, g->minhist + 1)) {
		if (grp_have(g, g->minhist))
			grp_hist_clear(grp_slot(g, g->minhist));
		g->minhist++;
	}
}

/* ---- sequencer ----------------------------------------------------------- */

void
grp_stable_update(struct grp_group *g)
{
	uint32_t st = g->nextseqno;
	int i;

	for (i = 0; i < g->maxgroup; i++) {
		struct grp_mem *m = &g->mem[i];

		if (i == g->myid || m->state != GRP_M_MEMBER)
			continue;
		if (grp_after(st, m->expect + 1))
			st = m->expect;
	}
	if (grp_after(st, g->stable))
		g->stable = st;
}

/* History full: nhist - maxgroup - 2 entries in use (spec 4.4). */
static int
grp_hist_full(struct grp_group *g)
{
	uint32_t lim = g->nbuf > g->maxgroup + 3u ? g->nbuf - g->maxgroup - 2 :
		       g->nbuf / 2;

	return g->nexthist - g->minhist >= lim;
}

/* Members other than the sequencer holding s (their held end is past s). */
static int
grp_acks(struct grp_group *g, uint32_t s)
{
	int i, n = 0;

	for (i = 0; i < g->maxgroup; i++)
		if (i != g->myid && g->mem[i].state == GRP_M_MEMBER &&
		    grp_after(g->mem[i].held, s + 1))
			n++;
	return n;
}

static int
grp_need_acks(struct grp_group *g)
{
	return g->resilience < grp_others(g) ? g->resilience : grp_others(g);
}

/* Accept what the resilience degree allows, in order. */
static void
grp_seq_advance(struct grp_group *g)
{
	struct grp_hist *h;
	uint32_t s;

	while (g->state == GRP_S_NORMAL && g->nextseqno != g->nexthist) {
		s = g->nextseqno;
		h = grp_slot(g, s);
		if (grp_acks(g, s) < grp_need_acks(g))
			break;
		g->nextseqno++;
		g->mem[g->myid].held = g->held = g->nexthist;
		grp_hist_send(g, s, NULL, h->type != GRP_T_BCAST ||
			      (g->resilience == 0 && !h->bb));
		if (h->type == GRP_T_JOIN)	/* not counted in g_addr yet */
			grp_hist_send(g, s, &g->mem[h->cpu].addr, 1);
		grp_accepted(g, h);
	}
	grp_deliver_check(g);
	if (g->state != GRP_S_NORMAL)
		return;
	grp_stable_update(g);
	grp_trim(g);
	grp_deliver_check(g);
}

/* Our own LEAVE is the last seqno we gave: nothing may follow it. */
static int
grp_seq_closed(struct grp_group *g)
{
	uint32_t s = g->nexthist - 1;

	return grp_have(g, s) && grp_slot(g, s)->type == GRP_T_LEAVE &&
	       grp_slot(g, s)->cpu == g->myid;
}

/*
 * grp_seq_order - give the next seqno to message (type, cpu, messid).
 * Returns 0, or -1 if the history is full or we are leaving (the
 * sender retries, with our successor in the second case).
 */
int
grp_seq_order(struct grp_group *g, int type, int cpu, uint32_t messid,
	      const uint8_t *msg, uint32_t len, int bb)
{
	uint32_t s = g->nexthist;

	if (grp_seq_closed(g))
		return -1;
	if (grp_hist_full(g)) {
		g->node->st.full++;
		if (grp_after(flip_port_now_ms(), g->fullsync + 2 *
			      GRP_RETRANSTIME)) {
			g->fullsync = flip_port_now_ms();
			g->syncnext = g->fullsync;
		}
		return -1;
	}
	grp_hist_put(g, s, type, cpu, messid, msg, len);
	if (!grp_have(g, s))
		return -1;
	grp_slot(g, s)->bb = bb;
	g->nexthist = g->held = s + 1;
	g->lastorder = flip_port_now_ms();
	g->tailsync = 0;
	g->mem[cpu].messid = messid;
	g->node->st.ordered++;
	if (grp_need_acks(g) > 0) {
		g->node->st.tentative++;
		grp_hist_send(g, s, NULL, type != GRP_T_BCAST || !bb);
		g->tentnext = flip_port_now_ms() + 4 * GRP_RETRANSTIME;
	}
	grp_seq_advance(g);
	return 0;
}

/* A request seen before: tell its sender where it went, if still known. */
void
grp_seq_dup(struct grp_group *g, struct grp_pkt *p)
{
	uint32_t s;

	g->node->st.dup_dropped++;
	for (s = g->minhist; s != g->nexthist; s++) {
		struct grp_hist *h = grp_slot(g, s);

		if (grp_have(g, s) && h->cpu == p->b.b_cpu &&
		    h->messid == p->b.b_messid) {
			grp_hist_send(g, s, p->src, 1);
			return;
		}
	}
}

/*
 * The LEAVE payload: the leaver's header (our order), the next
 * sequencer.  That is a member still in the group once everything
 * ordered so far is accepted: one whose own LEAVE is ordered but still
 * tentative (r > 0) would leave before it could take over.
 */
static void
grp_seq_leave(struct grp_group *g, const uint8_t *hdr, int cpu,
	      uint32_t messid)
{
	uint8_t w[GRP_HDR_SIZE + 2];
	int i, next = g->seqid;

	memcpy(w, hdr, GRP_HDR_SIZE);
	for (i = 0; cpu == g->seqid && i < g->maxgroup; i++)
		if (i != cpu && grp_member_at_end(g, i)) {
			next = i;
			break;
		}
	flip_put16(w + GRP_HDR_SIZE, (uint16_t)next);
	grp_seq_order(g, GRP_T_LEAVE, cpu, messid, w, sizeof(w), 0);
}

/* The sequencer's own request (grp_request_send). */
void
grp_seq_request(struct grp_group *g, int type, uint32_t messid,
		const uint8_t *msg, uint32_t len)
{
	if (!grp_after(messid, g->mem[g->myid].messid + 1))
		return;				/* already ordered */
	if (type == GRP_T_LEAVEREQ)
		grp_seq_leave(g, msg, g->myid, messid);
	else
		grp_seq_order(g, GRP_T_BCAST, g->myid, messid, msg, len, 0);
}

/* Copy a message payload with its header in our byte order. */
uint8_t *
grp_norm(struct grp_pkt *p)
{
	uint8_t *w = flip_port_alloc(p->len ? p->len : 1);
	header h;

	if (w == NULL)
		return NULL;
	memcpy(w, p->data, p->len);
	if (p->big && p->len >= GRP_HDR_SIZE) {
		grp_hdr_decode(p->data, &h, 1);
		grp_hdr_encode(&h, w);
	}
	return w;
}

/* A LEAVEREQ from member cpu. */
static void
grp_seq_leave_pkt(struct grp_group *g, struct grp_pkt *p, int cpu)
{
	uint8_t *w = grp_norm(p);

	if (w == NULL)
		return;
	grp_seq_leave(g, w, cpu, p->b.b_messid);
	flip_port_free(w);
}

/* A BCASTREQ (PB or BB) from member cpu. */
static void
grp_seq_bcast(struct grp_group *g, struct grp_pkt *p, int bb)
{
	uint8_t *w;

	if (p->len < GRP_HDR_SIZE || p->len - GRP_HDR_SIZE > g->maxmess)
		return;
	w = grp_norm(p);
	if (w == NULL)
		return;
	grp_seq_order(g, GRP_T_BCAST, p->b.b_cpu, p->b.b_messid, w, p->len,
		      bb);
	flip_port_free(w);
}

/* Piggy-backed or explicit acknowledgement from member m. */
static void
grp_seq_ack(struct grp_group *g, int m, struct grp_pkt *p)
{
	struct grp_mem *mm = &g->mem[m];
	uint32_t e = p->b.b_expect;

	if (grp_after(e, mm->expect + 1) && grp_after(g->nextseqno, e))
		mm->expect = e;
	if (p->b.b_type == GRP_T_ACK || p->b.b_type == GRP_T_STATE) {
		e = p->b.b_seqno;
		if (grp_after(e, mm->held + 1) && grp_after(g->nexthist, e))
			mm->held = e;
		g->node->st.acks++;
	}
}

void
grp_seq_input(struct grp_group *g, struct grp_pkt *p)
{
	int m = grp_src_member(g, p->src), t = p->b.b_type;

	if (t == GRP_T_JOINREQ) {
		grp_joinreq_input(g, p);
		return;
	}
	/* Our own requests never come by the network: such is forged. */
	if (m < 0 || m != p->b.b_cpu || m == g->myid ||
	    g->mem[m].state != GRP_M_MEMBER)
		return;
	grp_seq_ack(g, m, p);
	if ((t == GRP_T_BCASTREQ || t == GRP_T_LEAVEREQ) && p->b.b_seqno == 0) {
		if (!grp_after(p->b.b_messid, g->mem[m].messid + 1))
			grp_seq_dup(g, p);
		else if (t == GRP_T_LEAVEREQ && p->len >= GRP_HDR_SIZE)
			grp_seq_leave_pkt(g, p, m);
		else
			grp_seq_bcast(g, p, p->toall);
		return;
	}
	grp_seq_advance(g);
}

/* ---- members ------------------------------------------------------------- */

/* The accepted type of a request type (tentative message). */
static int
grp_acc_type(int type)
{
	if (type == GRP_T_JOINREQ)
		return GRP_T_JOIN;
	if (type == GRP_T_LEAVEREQ)
		return GRP_T_LEAVE;
	if (type == GRP_T_BCASTREQ)
		return GRP_T_BCAST;
	return type;
}

/* Acknowledge what we hold (resilience) or report our state. */
static void
grp_mem_report(struct grp_group *g, int type)
{
	g->silent = 0;
	grp_send_ctl(g, &g->mem[g->seqid].addr, type, g->held, 0);
}

/* Take the BB data buffered for (cpu, messid), if we have it. */
static uint8_t *
grp_bb_take(struct grp_group *g, int cpu, uint32_t messid, uint32_t *len)
{
	struct grp_bb *b = &g->bb[cpu];
	uint8_t *m = b->msg;

	if (m == NULL || b->messid != messid)
		return NULL;
	*len = b->len;
	b->msg = NULL;
	return m;
}

/* Put message s into the history from packet p; 1 if stored. */
int
grp_store(struct grp_group *g, struct grp_pkt *p, int type)
{
	uint32_t s = p->b.b_seqno, len = p->len;
	uint8_t *m;

	if (grp_have(g, s) || grp_after(g->held, s + 1) ||
	    !grp_after(g->minhist + g->nbuf, s + 1))
		return 0;
	if (len > 0) {
		if (len < GRP_HDR_SIZE ||
		    (type == GRP_T_BCAST && len - GRP_HDR_SIZE > g->maxmess))
			return 0;
		m = grp_norm(p);
	} else {
		m = grp_bb_take(g, p->b.b_cpu, p->b.b_messid, &len);
	}
	if (m == NULL)
		return 0;
	grp_hist_put(g, s, type, p->b.b_cpu, p->b.b_messid, m, len);
	flip_port_free(m);
	while (grp_have(g, g->held))
		g->held++;
	if (type == GRP_T_LEAVE && p->b.b_cpu == g->seqid)
		g->heirseq = s;
	return 1;
}

/*
 * The successor named by the sequencer's LEAVE that we hold but have
 * not accepted yet, or -1.  While we catch up to that LEAVE the old
 * sequencer may be gone: the successor, which accepted everything
 * before it, answers our RETRANS and counts as the sequencer heard.
 */
int
grp_heir(struct grp_group *g)
{
	struct grp_hist *h = grp_slot(g, g->heirseq);
	uint32_t next;

	if (g->hist == NULL || g->heirseq == 0 || !grp_have(g, g->heirseq) ||
	    grp_after(g->nextseqno, g->heirseq + 1) ||
	    h->type != GRP_T_LEAVE || h->cpu != g->seqid ||
	    h->len < GRP_HDR_SIZE + 2)
		return -1;
	next = flip_get16(h->msg + GRP_HDR_SIZE, 0);
	if (next >= g->maxgroup || next == g->seqid ||
	    g->mem[next].state != GRP_M_MEMBER)
		return -1;
	return (int)next;
}

/* Accept held messages in order, up to what the sequencer accepted. */
void
grp_mem_advance(struct grp_group *g)
{
	while (g->state == GRP_S_NORMAL && !grp_is_seq(g) &&
	       g->nextseqno != g->seqacc && grp_have(g, g->nextseqno)) {
		g->nextseqno++;
		g->silent++;
		grp_accepted(g, grp_slot(g, g->nextseqno - 1));
	}
}

/* Ask the sequencer for the first message we miss (one at a time). */
void
grp_gap_check(struct grp_group *g)
{
	uint32_t now = flip_port_now_ms();
	int heir;

	if (g->state != GRP_S_NORMAL || grp_is_seq(g) ||
	    !grp_after(g->known, g->held + 1) || !grp_after(now, g->rtnext))
		return;
	g->rtnext = now + GRP_RETRANSTIME;
	g->node->st.retrans_req++;
	grp_send_ctl(g, &g->mem[g->seqid].addr, GRP_T_RETRANS, g->held, 0);
	if ((heir = grp_heir(g)) >= 0)
		grp_send_ctl(g, &g->mem[heir].addr, GRP_T_RETRANS, g->held, 0);
}

/*
 * After anything a member stored or learnt: accept, deliver, ask.  If
 * the store filled the gap we asked about (stored), ask for the next
 * one at once.
 */
static void
grp_mem_progress(struct grp_group *g, int stored)
{
	grp_mem_advance(g);
	grp_deliver_check(g);
	if (g->state != GRP_S_NORMAL)
		return;
	grp_trim(g);
	if (stored)
		g->rtnext = flip_port_now_ms();
	grp_gap_check(g);
	if (g->silent >= (g->nbuf >> (1 + (g->myid & 1))))
		grp_mem_report(g, GRP_T_STATE);
}

/*
 * Can the sequencer have sent seqno s?  It assigns at most nbuf beyond
 * its history start, which is not past what we reported as accepted;
 * a lying seqno must not make us wait for messages that never come.
 */
static int
grp_seq_sane(struct grp_group *g, uint32_t s)
{
	return grp_after(g->nextseqno + g->nbuf, s + 1) &&
	       grp_after(s + g->nbuf, g->minhist);
}

/* A message (tentative or accepted, long or short) from the sequencer. */
static void
grp_mem_data(struct grp_group *g, struct grp_pkt *p)
{
	int t = p->b.b_type, acc = t == GRP_T_BCAST || t == GRP_T_JOIN ||
				   t == GRP_T_LEAVE || t == GRP_T_RESULT;
	uint32_t s = p->b.b_seqno, end = s + 1, held;
	int stored;

	if (s == 0 || !grp_seq_sane(g, s)) {
		g->node->st.bad++;
		return;
	}
	if (grp_after(p->b.b_expect, g->stable + 1) &&
	    grp_after(g->known, p->b.b_expect))
		g->stable = p->b.b_expect;
	if (acc && grp_after(end, g->seqacc + 1))
		g->seqacc = end;
	if (grp_after(end, g->known + 1))
		g->known = end;
	held = g->held;
	stored = grp_store(g, p, grp_acc_type(t));
	if (!stored)
		g->node->st.dup_dropped++;
	if (!acc && g->resilience > 0)
		grp_mem_report(g, GRP_T_ACK);
	grp_mem_progress(g, g->held != held);
}

/* SYNC: the sequencer's accepted end and stable point; answer STATE. */
static void
grp_mem_sync(struct grp_group *g, struct grp_pkt *p)
{
	uint32_t end = p->b.b_seqno;

	if (!grp_seq_sane(g, end) || !grp_seq_sane(g, p->b.b_messid)) {
		g->node->st.bad++;
		return;
	}
	if (grp_after(end, g->seqacc + 1))
		g->seqacc = end;
	if (grp_after(end, g->known + 1))
		g->known = end;
	if (grp_after(p->b.b_messid, g->known + 1) &&
	    grp_after(p->b.b_messid, end))
		g->known = p->b.b_messid;	/* tentative end */
	if (grp_after(p->b.b_expect, g->stable + 1) &&
	    grp_after(end, p->b.b_expect))
		g->stable = p->b.b_expect;
	g->node->st.states++;
	grp_mem_report(g, GRP_T_STATE);
	grp_mem_progress(g, 0);
}

/* BB: a member multicast its message to g_addr_all; keep it for the accept. */
void
grp_bb_input(struct grp_group *g, struct grp_pkt *p)
{
	int cpu = p->b.b_cpu;
	struct grp_bb *b = &g->bb[cpu];
	uint8_t *m;

	if (grp_src_member(g, p->src) != cpu || cpu == g->myid ||
	    p->len < GRP_HDR_SIZE ||
	    p->len - GRP_HDR_SIZE > g->maxmess || b->messid == p->b.b_messid)
		return;
	m = grp_norm(p);
	if (m == NULL)
		return;
	flip_port_free(b->msg);
	b->msg = m;
	b->len = p->len;
	b->messid = p->b.b_messid;
	g->node->st.bb++;
	grp_mem_progress(g, 0);
}

/* The sequencer's LEAVE, sent again by the successor it names? */
static int
grp_succ_leave(struct grp_group *g, struct grp_pkt *p)
{
	uint32_t next;

	if (p->b.b_type != GRP_T_LEAVE || p->b.b_cpu != g->seqid ||
	    p->len < GRP_HDR_SIZE + 2)
		return 0;
	next = flip_get16(p->data + GRP_HDR_SIZE, p->big);
	return next < g->maxgroup && next != g->seqid &&
	       g->mem[next].state == GRP_M_MEMBER &&
	       flip_adr_eq(p->src, &g->mem[next].addr);
}

/* A message of the old order, up to its LEAVE, resent by the heir? */
static int
grp_heir_retrans(struct grp_group *g, struct grp_pkt *p)
{
	int heir = grp_heir(g);

	return heir >= 0 && flip_adr_eq(p->src, &g->mem[heir].addr) &&
	       p->b.b_type != GRP_T_SYNC &&
	       grp_after(g->heirseq, p->b.b_seqno);
}

void
grp_mem_input(struct grp_group *g, struct grp_pkt *p)
{
	int t = p->b.b_type;
	int fromseq = flip_adr_eq(p->src, &g->mem[g->seqid].addr);

	if (g->state == GRP_S_LEFT) {
		if (t == GRP_T_ACK && g->op &&
		    p->b.b_messid == GRP_ACK_TAKEOVER &&
		    grp_src_member(g, p->src) == g->succ &&
		    grp_after(p->b.b_seqno, g->leftseq + 1))
			grp_op_done(g, STD_OK);	/* the successor has it all */
		return;
	}
	if (t == GRP_T_BCASTREQ && p->b.b_seqno == 0 && p->toall) {
		grp_bb_input(g, p);
		return;
	}
	if (!fromseq && !grp_succ_leave(g, p) && !grp_heir_retrans(g, p))
		return;
	if (t == GRP_T_SYNC)
		grp_mem_sync(g, p);
	else if (t == GRP_T_BCAST || t == GRP_T_JOIN || t == GRP_T_LEAVE ||
		 t == GRP_T_RESULT ||
		 ((t == GRP_T_BCASTREQ || t == GRP_T_JOINREQ ||
		   t == GRP_T_LEAVEREQ) && p->b.b_seqno != 0))
		grp_mem_data(g, p);
}

/* RETRANS(s): whoever holds message s sends it back in full. */
void
grp_retrans_input(struct grp_group *g, struct grp_pkt *p)
{
	if (g->hist == NULL || !grp_have(g, p->b.b_seqno))
		return;
	g->node->st.retrans_sent++;
	if (grp_is_seq(g) && g->state == GRP_S_NORMAL)
		grp_seq_ack(g, grp_src_member(g, p->src), p);
	grp_hist_send(g, p->b.b_seqno, p->src, 1);
}

/* ---- acceptance (both roles) --------------------------------------------- */

/* The sequencer left: the LEAVE names its successor. */
static void
grp_new_seq(struct grp_group *g, int next, uint32_t s)
{
	int old = g->seqid, i;

	g->seqid = next;
	g->heardseq = flip_port_now_ms();
	if (next != g->myid) {
		grp_roles(g);
		return;
	}
	g->nexthist = g->held = g->nextseqno;
	for (i = 0; i < g->maxgroup; i++)
		g->mem[i].expect = g->mem[i].held = g->stable;
	grp_roles(g);
	g->syncnext = flip_port_now_ms();
	grp_send_ctl(g, &g->mem[old].addr, GRP_T_ACK, s + 1, GRP_ACK_TAKEOVER);
	g->takeover = s;
	grp_hist_send(g, s, NULL, 1);	/* for those who lost the LEAVE */
}

/* A LEAVE was accepted: member h->cpu is gone. */
static void
grp_leave_accepted(struct grp_group *g, struct grp_hist *h)
{
	int cpu = h->cpu, wasseq = cpu == g->seqid, next = g->seqid;

	if (h->len >= GRP_HDR_SIZE + 2)
		next = flip_get16(h->msg + GRP_HDR_SIZE, 0);
	if (g->mem[cpu].state == GRP_M_MEMBER && g->total > 0)
		g->total--;
	g->mem[cpu].state = GRP_M_FREE;
	if (cpu == g->myid) {
		g->state = GRP_S_LEFT;
		g->leftseq = h->seqno;
		g->opwait = wasseq && g->total > 0;
		g->succ = next;
		return;
	}
	if (!wasseq)
		return;
	/*
	 * The LEAVE ends the old sequencer's order: whatever we hold that
	 * it numbered after it (tentative, or forged) is void, and the new
	 * sequencer numbers from here.
	 */
	grp_hist_drop_from(g, h->seqno + 1);
	g->seqacc = g->known = h->seqno + 1;
	if (grp_after(g->stable, h->seqno + 2))
		g->stable = h->seqno + 1;
	if (next < g->maxgroup && g->mem[next].state == GRP_M_MEMBER)
		grp_new_seq(g, next, h->seqno);
}

/* grp_accepted - message h entered the order: membership, own ops. */
void
grp_accepted(struct grp_group *g, struct grp_hist *h)
{
	g->node->st.accepted++;
	if (h->type == GRP_T_JOIN)	/* one more member to reach */
		g->relocate = GRP_RELOC_G | GRP_RELOC_ALL;
	if (h->type == GRP_T_JOIN)
		grp_join_accepted(g, h);
	else if (h->type == GRP_T_LEAVE)
		grp_leave_accepted(g, h);
	else if (h->type == GRP_T_RESULT)
		grp_result_accepted(g, h);
	if (h->cpu == g->myid && g->op && h->messid == g->messid &&
	    !g->opwait) {
		if (!grp_is_seq(g))
			grp_rtt_sample(g);
		grp_op_done(g, STD_OK);
	}
}
