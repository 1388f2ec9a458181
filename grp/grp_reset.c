/*
 * grp_reset.c - failure detection and recovery (spec 4.4).
 *
 * Liveness: members probe a silent sequencer, the sequencer probes
 * silent members (ALIVEREQ -> ALIVE); after BCRETRIAL unanswered probes
 * (or a lost sequencer, or DEAD) the group enters recovery: every
 * pending call ends with BC_ABORT and grp_reset must be called.
 *
 * Recovery: the grp_reset caller becomes coordinator with a new
 * incarnation and sends REFORMREQ (b_seqno = the end of what it holds
 * contiguously, tentative messages included).  Members answer VOTE with
 * theirs; of two coordinators the one holding more wins, on a tie the
 * lower index.  After a RESETTIMEOUT round (or when all voted) the
 * coordinator takes the largest held end T among the voters, fetches
 * what it misses below T by RETRANS from the best voter, and puts
 * RESULT at seqno T: everything below T is accepted, everything from T
 * on is dropped everywhere.  Since the old sequencer accepted a message
 * only when r other members held it (and held it contiguously: ACKs are
 * cumulative), any message delivered anywhere is below T if at most r
 * members crashed; nothing is delivered twice because acceptance is by
 * seqno.  RESULT (header(32), maxgroup x state u32, group and "all"
 * private addresses, total u16, seqid u16, incarnation u16) is resent
 * point-to-point until each member answers RESULTACK; when a member
 * accepts RESULT in order the new membership takes effect there.
 *
 * Entry points: grp_reset_start/finish; grp_abort, grp_alive_tick,
 * grp_reset_input, grp_reset_tick, grp_fetch_input, grp_result_accepted
 * for the other group files.  Caller holds the network lock.
 */
#include <string.h>
#include "grp/grp_impl.h"
#include "flip/flip_port.h"
#include "flip/flip_wire.h"

#define GRP_RESULT_SIZE(n) (GRP_HDR_SIZE + 4u * (n) + 8 + 8 + 2 + 2 + 2)

/* ---- failure ------------------------------------------------------------- */

void
grp_abort(struct grp_group *g)
{
	if (g->state != GRP_S_NORMAL)
		return;
	g->state = GRP_S_RECOVER;
	g->rphase = GRP_R_NONE;
	g->node->st.resets++;
	if (g->op) {
		g->aborted = 1;
		grp_op_done(g, BC_ABORT);
	}
	if (g->recv) {
		g->aborted = 1;
		grp_complete(g->recv, BC_ABORT);
		g->recv = NULL;
	}
}

/* Probe member m; 1 if it has been silent for too many probes. */
static int
grp_probe(struct grp_group *g, int m, uint32_t now)
{
	struct grp_mem *mm = &g->mem[m];

	if (!grp_after(now, mm->heard + g->t_alive))
		return 0;
	if (mm->probes >= g->retrial)
		return 1;
	mm->probes++;
	g->node->st.alivereqs++;
	grp_send_ctl(g, &mm->addr, GRP_T_ALIVEREQ, 0, GRP_ALIVE_P2P);
	return 0;
}

void
grp_alive_tick(struct grp_group *g, uint32_t now)
{
	int i;

	if (!grp_after(now, g->alivenext))
		return;
	g->alivenext = now + g->t_reply;
	if (!grp_is_seq(g)) {
		g->mem[g->seqid].heard = g->heardseq;
		if (grp_probe(g, g->seqid, now))
			grp_abort(g);
		return;
	}
	for (i = 0; i < g->maxgroup; i++) {
		struct grp_mem *m = &g->mem[i];

		if (m->state == GRP_M_RESERVED &&
		    grp_after(now, m->heard + GRP_BCRETRIAL * g->t_reply))
			m->state = GRP_M_FREE;	/* the joiner gave up */
		if (i != g->myid && m->state == GRP_M_MEMBER &&
		    grp_probe(g, i, now)) {
			grp_abort(g);
			return;
		}
	}
}

/* ---- coordinator --------------------------------------------------------- */

static void
grp_reformreq_send(struct grp_group *g)
{
	struct grp_bchdr b;
	int i;

	grp_bc_fill(g, &b, GRP_T_REFORMREQ, g->held, 0, g->myid);
	b.b_incarnation = g->newinc;
	b.b_expect = g->nextseqno;
	for (i = 0; i < g->maxgroup; i++)
		if (i != g->myid && g->mem[i].state == GRP_M_MEMBER &&
		    !g->mem[i].voted)
			grp_send_to(g, &g->mem[i].addr, &b, NULL, 0, 0);
}

static void
grp_coord_start(struct grp_group *g)
{
	int i;

	g->newinc = (grp_after(g->newinc, g->incarnation) ? g->newinc :
		     g->incarnation) + 1;
	g->coord = g->myid;
	g->rphase = GRP_R_VOTING;
	for (i = 0; i < g->maxgroup; i++)
		g->mem[i].voted = 0;
	g->mem[g->myid].voted = 1;
	g->mem[g->myid].vote = g->held;
	g->mem[g->myid].expect = g->nextseqno;
	g->rtimer = flip_port_now_ms() + g->t_reset;
	grp_reformreq_send(g);
}

static void
grp_reset_done(struct grp_group *g, int32_t result)
{
	struct grp_call *c = g->reset;

	g->reset = NULL;
	if (c)
		grp_complete(c, result);
}

/* Voters (me included) and the best of them. */
static int
grp_voters(struct grp_group *g, uint32_t *target)
{
	int i, n = 0;

	*target = g->held;
	g->best = g->myid;
	for (i = 0; i < g->maxgroup; i++) {
		struct grp_mem *m = &g->mem[i];

		if (m->state != GRP_M_MEMBER || !m->voted)
			continue;
		n++;
		if (grp_after(m->vote, *target + 1)) {
			*target = m->vote;
			g->best = i;
		}
	}
	return n;
}

/* The RESULT message: new membership = the voters. */
static uint32_t
grp_result_build(struct grp_group *g, uint8_t *w, int n)
{
	uint8_t *p = w + GRP_HDR_SIZE;
	int i;

	memcpy(w, g->rhdr, GRP_HDR_SIZE);
	for (i = 0; i < g->maxgroup; i++, p += 4)
		flip_put32(p, g->mem[i].state == GRP_M_MEMBER &&
			   g->mem[i].voted ? GRP_M_MEMBER : GRP_M_FREE);
	memcpy(p, g->gprv.a_abytes, 8);
	memcpy(p + 8, g->allprv.a_abytes, 8);
	flip_put16(p + 16, n);
	flip_put16(p + 18, g->myid);
	flip_put16(p + 20, g->newinc);
	return GRP_RESULT_SIZE(g->maxgroup);
}

/* We hold everything below the target: become the new sequencer. */
static void
grp_coord_result(struct grp_group *g)
{
	uint32_t t = g->target, len;
	uint8_t *w = flip_port_alloc(GRP_RESULT_SIZE(g->maxgroup));
	int n = grp_voters(g, &len);

	if (w == NULL)
		return;
	len = grp_result_build(g, w, n);
	grp_hist_drop_from(g, t);
	g->seqid = g->myid;
	g->incarnation = g->newinc;
	g->nexthist = t;
	g->state = GRP_S_NORMAL;
	g->rphase = GRP_R_RESULT;
	g->rtries = GRP_BCNEEDRESPONSE;
	grp_hist_put(g, t, GRP_T_RESULT, g->myid, ++g->messid, w, len);
	flip_port_free(w);
	g->nexthist = g->held = t + 1;
	while (g->state == GRP_S_NORMAL && g->nextseqno != g->nexthist) {
		g->nextseqno++;
		grp_accepted(g, grp_slot(g, g->nextseqno - 1));
	}
	grp_roles(g);
	grp_stable_update(g);
	g->rtimer = flip_port_now_ms();
	grp_reset_tick(g, g->rtimer);
	grp_deliver_check(g);
}

/* Voting is over: enough members?  Then fetch, then RESULT. */
static void
grp_coord_decide(struct grp_group *g)
{
	uint32_t nmem = g->reset ? g->reset->nmem : 0;
	int n = grp_voters(g, &g->target);

	if ((uint32_t)n < nmem) {
		g->rphase = GRP_R_NONE;
		grp_reset_done(g, BC_FAIL);
		return;
	}
	g->rphase = GRP_R_FETCH;
	g->rtries = GRP_BCRETRIAL;
	g->rtimer = flip_port_now_ms() + g->t_reset;
	g->rtnext = flip_port_now_ms();
	if (g->held == g->target)
		grp_coord_result(g);
	else
		grp_reset_tick(g, flip_port_now_ms());
}

/* ---- members ------------------------------------------------------------- */

/* Is (held, cpu) a better coordinator than our current one? */
static int
grp_better(struct grp_group *g, uint32_t held, int cpu)
{
	uint32_t mine = g->rphase == GRP_R_VOTED ? g->coordheld : g->held;
	int me = g->rphase == GRP_R_VOTED ? g->coord : g->myid;

	if (held != mine)
		return grp_after(held, mine + 1);
	return cpu < me;
}

static void
grp_reformreq_input(struct grp_group *g, struct grp_pkt *p, int m)
{
	uint16_t inc = p->b.b_incarnation;
	struct grp_bchdr b;

	if (!grp_after(inc, g->incarnation + 1))
		return;
	if (g->state == GRP_S_NORMAL)
		grp_abort(g);
	if (g->rphase != GRP_R_NONE && (grp_after(g->newinc, inc + 1) ||
	    (inc == g->newinc && !grp_better(g, p->b.b_seqno, m))))
		return;
	g->rphase = GRP_R_VOTED;
	g->coord = m;
	g->coordheld = p->b.b_seqno;
	g->newinc = inc;
	g->rtimer = flip_port_now_ms() + 3 * g->t_reset;
	grp_bc_fill(g, &b, GRP_T_VOTE, g->held, 0, g->myid);
	b.b_incarnation = inc;
	grp_send_to(g, p->src, &b, NULL, 0, 0);
}

static void
grp_vote_input(struct grp_group *g, struct grp_pkt *p, int m)
{
	int i;

	if (g->rphase != GRP_R_VOTING || p->b.b_incarnation != g->newinc)
		return;
	g->mem[m].voted = 1;
	g->mem[m].vote = p->b.b_seqno;
	g->mem[m].expect = p->b.b_expect;
	g->mem[m].held = p->b.b_seqno;
	for (i = 0; i < g->maxgroup; i++)
		if (g->mem[i].state == GRP_M_MEMBER && !g->mem[i].voted)
			return;
	grp_coord_decide(g);
}

/* RESULT from our coordinator: switch to the new incarnation. */
static void
grp_result_input(struct grp_group *g, struct grp_pkt *p, int m)
{
	const uint8_t *st = p->data + GRP_HDR_SIZE + 4 * g->myid;
	uint32_t t = p->b.b_seqno;

	if (p->len < GRP_RESULT_SIZE(g->maxgroup) || t == 0 ||
	    flip_get32(st, p->big) != GRP_M_MEMBER)
		return;
	if (p->b.b_incarnation == g->incarnation && g->state == GRP_S_NORMAL &&
	    g->seqid == m) {
		grp_send_ctl(g, p->src, GRP_T_RESULTACK, t, 0);
		return;				/* a resend */
	}
	/*
	 * A new incarnation keeps what is below t, which is at least every
	 * voter's accepted end; a RESULT below ours is not for us (forged).
	 */
	if (!grp_after(p->b.b_incarnation, g->incarnation + 1) ||
	    grp_after(g->nextseqno, t + 1))
		return;
	grp_abort(g);
	grp_hist_drop_from(g, t);
	g->known = t;
	g->seqid = m;
	g->incarnation = p->b.b_incarnation;
	g->rphase = GRP_R_NONE;
	g->state = GRP_S_NORMAL;
	g->heardseq = flip_port_now_ms();
	grp_roles(g);
	grp_send_ctl(g, p->src, GRP_T_RESULTACK, t, 0);
	grp_mem_input(g, p);
}

void
grp_reset_input(struct grp_group *g, struct grp_pkt *p)
{
	int m = grp_src_member(g, p->src);

	if (m < 0 || m != p->b.b_cpu || m == g->myid ||
	    g->mem[m].state != GRP_M_MEMBER || g->state == GRP_S_LEFT)
		return;
	switch (p->b.b_type) {
	case GRP_T_REFORMREQ:
		grp_reformreq_input(g, p, m);
		break;
	case GRP_T_VOTE:
		grp_vote_input(g, p, m);
		break;
	case GRP_T_RESULT:
		grp_result_input(g, p, m);
		break;
	case GRP_T_RESULTACK:
		if (g->rphase == GRP_R_RESULT &&
		    p->b.b_incarnation == g->incarnation)
			g->mem[m].voted = 2;
		break;
	}
}

/* FETCH: a message the coordinator asked a voter for. */
void
grp_fetch_input(struct grp_group *g, struct grp_pkt *p)
{
	int t = p->b.b_type;

	if (g->rphase != GRP_R_FETCH || p->b.b_seqno != g->held ||
	    (t != GRP_T_BCAST && t != GRP_T_JOIN && t != GRP_T_LEAVE &&
	     t != GRP_T_RESULT && t != GRP_T_BCASTREQ &&
	     t != GRP_T_JOINREQ && t != GRP_T_LEAVEREQ) || p->len == 0)
		return;
	if (t == GRP_T_BCASTREQ)
		t = GRP_T_BCAST;
	else if (t == GRP_T_JOINREQ)
		t = GRP_T_JOIN;
	else if (t == GRP_T_LEAVEREQ)
		t = GRP_T_LEAVE;
	if (!grp_store(g, p, t))
		return;
	g->rtimer = flip_port_now_ms() + g->t_reset;
	if (g->held == g->target)
		grp_coord_result(g);
	else
		grp_reset_tick(g, flip_port_now_ms());
}

/* RESULT entered the order here: the new membership takes effect. */
void
grp_result_accepted(struct grp_group *g, struct grp_hist *h)
{
	const uint8_t *p = h->msg + GRP_HDR_SIZE;
	int i;

	if (h->len < GRP_RESULT_SIZE(g->maxgroup))
		return;
	g->total = 0;
	for (i = 0; i < g->maxgroup; i++, p += 4) {
		struct grp_mem *m = &g->mem[i];

		if (flip_get32(p, 0) == GRP_M_MEMBER) {
			m->state = GRP_M_MEMBER;
			m->heard = flip_port_now_ms();
			m->probes = 0;
			g->total++;
		} else {
			m->state = GRP_M_FREE;
			flip_port_free(g->bb[i].msg);
			g->bb[i].msg = NULL;
		}
	}
	g->aborted = 0;
	grp_reset_done(g, g->total);
}

/* ---- the call and the timers --------------------------------------------- */

errstat
grp_reset_start(struct grp_node *gn, void *owner, int32_t gid,
		struct grp_call *c, const header *hdr, uint32_t nmem)
{
	struct grp_group *g = grp_lookup(gn, owner, gid);

	memset(c, 0, sizeof(*c));
	c->op = GRP_OP_RESET;
	c->nmem = nmem;
	c->gid = gid;
	if (g == NULL || hdr == NULL || g->hist == NULL)
		grp_complete(c, STD_ARGBAD);
	else if (g->state == GRP_S_NORMAL && g->aborted && g->rphase !=
		 GRP_R_RESULT) {
		g->aborted = 0;
		grp_complete(c, g->total);	/* someone reset it already */
	} else if (g->state != GRP_S_RECOVER)
		grp_complete(c, BC_ILLRESET);
	else if (g->reset)
		grp_complete(c, STD_NOTNOW);
	if (c->done)
		return c->result < 0 ? c->result : STD_OK;
	g->reset = c;
	grp_hdr_encode(hdr, g->rhdr);
	if (g->rphase == GRP_R_NONE)
		grp_coord_start(g);
	return STD_OK;
}

int32_t
grp_reset_finish(struct grp_call *c)
{
	return c->result;
}

/* New sequencer: RESULT again to the members that did not ack it. */
static void
grp_result_tick(struct grp_group *g, uint32_t now)
{
	int i;

	if (!grp_after(now, g->rtimer))
		return;
	g->rtimer = now + g->t_reset / 4;
	if (g->rtries-- == 0) {
		g->rphase = GRP_R_NONE;
		return;
	}
	for (i = 0; i < g->maxgroup; i++)
		if (i != g->myid && g->mem[i].state == GRP_M_MEMBER &&
		    g->mem[i].voted != 2)
			grp_hist_send(g, g->target, &g->mem[i].addr, 1);
}

/* Coordinator resends; everyone's round timers. */
void
grp_reset_tick(struct grp_group *g, uint32_t now)
{
	switch (g->rphase) {
	case GRP_R_VOTING:
		if (grp_after(now, g->rtimer))
			grp_coord_decide(g);
		else if (grp_after(now, g->rtnext)) {
			g->rtnext = now + g->t_reset / 4;
			grp_reformreq_send(g);
		}
		break;
	case GRP_R_FETCH:
		if (grp_after(now, g->rtimer) && g->rtries-- == 0) {
			g->rphase = GRP_R_NONE;
			grp_reset_done(g, BC_FAIL);
		} else if (grp_after(now, g->rtnext)) {
			g->rtnext = now + GRP_RETRANSTIME;
			grp_send_ctl(g, &g->mem[g->best].addr, GRP_T_RETRANS,
				     g->held, 0);
		}
		break;
	case GRP_R_RESULT:
		grp_result_tick(g, now);
		break;
	case GRP_R_VOTED:
		if (grp_after(now, g->rtimer)) {
			g->rphase = GRP_R_NONE;
			grp_reset_done(g, BC_FAIL);
		}
		break;
	}
}
