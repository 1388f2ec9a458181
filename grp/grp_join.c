/*
 * grp_join.c - creating a group and joining one (spec 4.4, two phases):
 * the joiner broadcasts a group LOCATE with a growing hop count, the
 * sequencer answers HEREIS with the parameters and a reserved member
 * slot; the joiner then sends JOINREQ like a normal request, and the
 * sequencer orders it as JOIN carrying the whole group state.  With
 * nobody answering, the join ends with BC_NOEXIST once the LOCATEs have
 * reached max hops and the locate time (LTIME, grp_set variable 5) has
 * passed: about 3 s, where Amoeba's 10 doubling retries took minutes.
 *
 * JOIN state (after bchdr + header(32)): the new member's address(8);
 * per slot: address(8), rpc address(8), state u32, expect u32, messid
 * u32; then the "all" private address(8), total u16, seqid u16,
 * nextseqno u32, incarnation u16, resilience u16, large u32.
 *
 * Entry points: grp_create, grp_join_start/finish; grp_locate_input,
 * grp_hereis_input, grp_joinreq_input, grp_joiner_input,
 * grp_join_accepted, grp_member_at_end, grp_join_tick for the other group
 * files.  Caller holds the network lock.
 */
#include <string.h>
#include "grp/grp_impl.h"
#include "flip/flip_port.h"
#include "flip/flip_wire.h"

#define GRP_SLOT_SIZE	28
#define GRP_JOIN_FIXED	(GRP_HDR_SIZE + 8 + 8 + 2 + 2 + 4 + 2 + 2 + 4)
#define GRP_LOC_TRIES	10	/* LOCATEs at max hops before BC_NOEXIST */

static void grp_hereis_send(struct grp_group *g, int idx,
			    const flip_adr_t *to);

static uint32_t
grp_join_size(uint32_t maxgroup)
{
	return GRP_JOIN_FIXED + maxgroup * GRP_SLOT_SIZE;
}

/* Does owner already use port p in another group? */
static int
grp_port_used(struct grp_node *gn, void *owner, const port *p)
{
	int i;

	for (i = 0; i < GRP_NGROUP; i++)
		if (gn->groups[i] && gn->groups[i]->owner == owner &&
		    memcmp(&gn->groups[i]->port, p, sizeof(*p)) == 0)
			return 1;
	return 0;
}

static int
grp_port_null(const port *p)
{
	static const port null;

	return p == NULL || memcmp(p, &null, sizeof(null)) == 0;
}

/* Sequence-number state of a member whose history starts at s. */
static void
grp_order_init(struct grp_group *g, uint32_t s)
{
	g->expect = g->nextseqno = g->nexthist = g->held = s;
	g->minhist = g->stable = g->seqacc = g->known = s;
	g->heardseq = g->alivenext = g->syncnext = flip_port_now_ms();
}

int32_t
grp_create(struct grp_node *gn, void *owner, const port *p,
	   uint32_t resilience, uint32_t maxgroup, uint32_t lognbuf,
	   uint32_t logmaxmess, const flip_adr_t *rpcaddr)
{
	struct grp_group *g;

	if (grp_port_null(p))
		return BC_BADPORT;
	if (grp_port_used(gn, owner, p))
		return STD_EXISTS;
	if (maxgroup <= 1 || maxgroup > GRP_MAXGROUP ||
	    lognbuf < GRP_MINNBUF || lognbuf > GRP_MAXLOGBUF ||
	    logmaxmess < GRP_MINLOGMSG || logmaxmess > GRP_MAXLOGMSG ||
	    resilience >= GRP_MAXRESILIENCE)
		return STD_ARGBAD;
	if ((g = grp_alloc(gn, owner, p)) == NULL)
		return BC_TOOMANY;
	g->maxgroup = maxgroup;
	g->lognbuf = lognbuf;
	g->logmaxmess = logmaxmess;
	g->resilience = resilience;
	g->large = GRP_BCLARGE;
	if (grp_alloc_buffers(g) != STD_OK) {
		grp_free(g);
		return STD_NOMEM;
	}
	flip_adr_random(&g->gprv);
	flip_adr_random(&g->allprv);
	if (rpcaddr)
		g->rpcaddr = *rpcaddr;
	g->total = 1;
	g->mem[0].state = GRP_M_MEMBER;
	g->mem[0].addr = g->mepub;
	g->mem[0].rpcaddr = g->rpcaddr;
	grp_order_init(g, 1);
	if (grp_roles(g) < 0) {
		grp_free(g);
		return BC_TOOMANY;
	}
	g->state = GRP_S_NORMAL;
	return g->gid;
}

/* ---- joiner -------------------------------------------------------------- */

/* Broadcast a group LOCATE with hop count g->lochop. */
static void
grp_locate_send(struct grp_group *g)
{
	uint8_t w[GRP_LOCATE_SIZE];
	struct grp_bchdr b;

	memset(&b, 0, sizeof(b));
	b.b_type = GRP_T_LOCATE;
	w[0] = w[1] = w[2] = 0;
	w[3] = GRP_PROTO_AMGROUP;
	grp_bc_encode(&b, w + 4);
	memcpy(w + 4 + GRP_BCHDR_SIZE, g->req, GRP_HDR_SIZE);
	memcpy(w + 4 + GRP_BCHDR_SIZE + GRP_HDR_SIZE, g->rpcaddr.a_abytes, 8);
	memcpy(w + GRP_LOCATE_SIZE - 8, g->mepub.a_abytes, 8);
	flip_broadcast(g->node->sw, g->ifno, w, sizeof(w), g->ep_me,
		       g->lochop);
}

errstat
grp_join_start(struct grp_node *gn, void *owner, struct grp_call *c,
	       const header *hdr, const flip_adr_t *rpcaddr)
{
	struct grp_group *g;
	errstat e = STD_OK;

	memset(c, 0, sizeof(*c));
	c->op = GRP_OP_JOIN;
	if (hdr == NULL || grp_port_null(&hdr->h_port))
		e = BC_BADPORT;
	else if (grp_port_used(gn, owner, &hdr->h_port))
		e = STD_EXISTS;
	else if ((g = grp_alloc(gn, owner, &hdr->h_port)) == NULL)
		e = BC_TOOMANY;
	else if ((g->req = flip_port_alloc(GRP_HDR_SIZE)) == NULL) {
		grp_free(g);
		e = STD_NOMEM;
	}
	if (e != STD_OK) {
		grp_complete(c, e);
		return e;
	}
	grp_hdr_encode(hdr, g->req);
	g->reqlen = GRP_HDR_SIZE;
	g->reqtype = GRP_T_JOINREQ;
	if (rpcaddr)
		g->rpcaddr = *rpcaddr;
	g->op = c;
	c->gid = g->gid;
	g->state = GRP_S_LOCATING;
	g->locinterval = GRP_LOCTIMEOUT;
	g->locstart = flip_port_now_ms();
	g->locnext = g->locstart + g->locinterval;
	grp_locate_send(g);
	return STD_OK;
}

int32_t
grp_join_finish(struct grp_call *c)
{
	return c->result;
}

/* The join failed: tell the caller and drop the half-made group. */
static void
grp_join_fail(struct grp_group *g, errstat e)
{
	grp_op_done(g, e);
	grp_free(g);
}

void
grp_join_tick(struct grp_group *g, uint32_t now)
{
	if (g->state == GRP_S_JOINING) {
		if (!grp_after(now, g->reqtimer))
			return;
		if (g->reqtries-- == 0)
			grp_join_fail(g, BC_NOEXIST);
		else
			grp_request_send(g);
		return;
	}
	if (!grp_after(now, g->locnext))
		return;
	if (g->lochop < g->node->sw->max_hops) {
		g->lochop++;
	} else if (++g->loctries > GRP_LOC_TRIES ||
		   grp_after(now, g->locstart + g->t_locate)) {
		grp_join_fail(g, BC_NOEXIST);	/* nobody answered in time */
		return;
	} else {
		g->locinterval *= 2;
	}
	g->locnext = now + g->locinterval;
	grp_locate_send(g);
}

/* Parameters of a HEREIS that this implementation can run with. */
static int
grp_hereis_ok(const struct grp_hereis *h)
{
	return h->maxgroup > 1 && h->maxgroup <= GRP_MAXGROUP &&
	       h->lognbuf >= GRP_MINNBUF && h->lognbuf <= GRP_MAXLOGBUF &&
	       h->logmaxmess >= GRP_MINLOGMSG &&
	       h->logmaxmess <= GRP_MAXLOGMSG &&
	       h->resilience < GRP_MAXRESILIENCE &&
	       h->newidx < h->maxgroup && h->seqidx < h->maxgroup &&
	       h->newidx != h->seqidx;
}

/* HEREIS: take the parameters and the slot, then send JOINREQ. */
void
grp_hereis_input(struct grp_group *g, struct grp_pkt *p)
{
	struct grp_hereis h;

	if (p->len < GRP_HEREIS_SIZE)
		return;
	grp_hereis_decode(p->data, &h, p->big);
	if (!grp_hereis_ok(&h))
		return;
	g->maxgroup = h.maxgroup;
	g->lognbuf = h.lognbuf;
	g->logmaxmess = h.logmaxmess;
	g->resilience = h.resilience;
	g->large = h.large;
	if (grp_alloc_buffers(g) != STD_OK) {
		grp_join_fail(g, STD_NOMEM);
		return;
	}
	g->myid = h.newidx;
	g->seqid = h.seqidx;
	g->incarnation = p->b.b_incarnation;
	g->mem[g->seqid].state = GRP_M_MEMBER;
	g->mem[g->seqid].addr = *p->src;
	g->gprv = h.gaddr;
	g->allprv = h.alladdr;
	g->state = GRP_S_JOINING;
	g->reqtries = g->retrial;
	g->messid = 1;
	grp_request_send(g);
}

/* Read slot i of a JOIN state at w (after the header and new address). */
static void
grp_slot_decode(struct grp_group *g, const uint8_t *w, int i, int big)
{
	struct grp_mem *m = &g->mem[i];
	uint32_t st = flip_get32(w + 16, big);

	memset(m, 0, sizeof(*m));
	m->state = st == GRP_M_MEMBER ? GRP_M_MEMBER : GRP_M_FREE;
	memcpy(m->addr.a_abytes, w, 8);
	memcpy(m->rpcaddr.a_abytes, w + 8, 8);
	m->expect = m->held = flip_get32(w + 20, big);
	m->messid = flip_get32(w + 24, big);
	m->heard = flip_port_now_ms();
}

/* JOIN for us: adopt the group state; the join is done. */
void
grp_joiner_input(struct grp_group *g, struct grp_pkt *p)
{
	const uint8_t *w = p->data + GRP_HDR_SIZE + 8, *t;
	uint32_t i, s = p->b.b_seqno;

	if (p->b.b_type != GRP_T_JOIN || p->b.b_cpu != g->myid ||
	    s == 0 || p->len < grp_join_size(g->maxgroup) ||
	    !flip_adr_eq(p->src, &g->mem[g->seqid].addr))
		return;
	for (i = 0; i < g->maxgroup; i++)
		grp_slot_decode(g, w + i * GRP_SLOT_SIZE, i, p->big);
	t = w + g->maxgroup * GRP_SLOT_SIZE + 8;
	g->total = flip_get16(t, p->big);
	if (flip_get16(t + 2, p->big) != g->seqid ||
	    g->mem[g->myid].state != GRP_M_MEMBER)
		return;
	g->incarnation = flip_get16(t + 8, p->big);
	g->mem[g->myid].addr = g->mepub;
	g->mem[g->seqid].addr = *p->src;
	/*
	 * Only now the group addresses: the sequencer multicasts to as
	 * many endpoints as it has members, and a joiner registered before
	 * its JOIN would stand in for a member that FLIP did not locate.
	 */
	if (grp_roles(g) < 0) {
		grp_join_fail(g, BC_TOOMANY);
		return;
	}
	grp_order_init(g, s + 1);
	g->messid = p->b.b_messid;
	g->state = GRP_S_NORMAL;
	grp_op_done(g, g->gid);
}

/* ---- sequencer ----------------------------------------------------------- */

/* A group LOCATE (null destination): reserve a slot, answer HEREIS. */
void
grp_locate_input(struct grp_group *g, const uint8_t *data, uint32_t len,
		 const flip_adr_t *src)
{
	const uint8_t *a = data + 4 + GRP_BCHDR_SIZE + GRP_HDR_SIZE;
	flip_adr_t addr;
	struct grp_bchdr b;
	int i;

	if (g->state != GRP_S_NORMAL || !grp_is_seq(g) ||
	    len < GRP_LOCATE_SIZE || flip_get32(data, 1) != GRP_PROTO_AMGROUP)
		return;
	grp_bc_decode(data + 4, &b);
	if (b.b_type != GRP_T_LOCATE ||
	    memcmp(data + 4 + GRP_BCHDR_SIZE, &g->port, PORTSIZE) != 0)
		return;
	memcpy(addr.a_abytes, a + 8, 8);
	if (!flip_adr_eq(&addr, src) || flip_adr_null(&addr))
		return;
	i = grp_src_member(g, &addr);
	if (i >= 0 && g->mem[i].state == GRP_M_MEMBER)
		return;
	for (i = i >= 0 ? i : 0; i < g->maxgroup; i++)
		if (g->mem[i].state == GRP_M_FREE ||
		    flip_adr_eq(&g->mem[i].addr, &addr))
			break;
	if (i == g->maxgroup)
		return;
	if (g->mem[i].state == GRP_M_FREE) {
		memset(&g->mem[i], 0, sizeof(g->mem[i]));
		g->mem[i].state = GRP_M_RESERVED;
		g->mem[i].addr = addr;
		memcpy(g->mem[i].rpcaddr.a_abytes, a, 8);
	}
	g->mem[i].heard = flip_port_now_ms();
	grp_hereis_send(g, i, src);
}

static void
grp_hereis_send(struct grp_group *g, int idx, const flip_adr_t *to)
{
	uint8_t w[GRP_HEREIS_SIZE];
	struct grp_hereis h;
	struct grp_bchdr b;

	h.maxgroup = g->maxgroup;
	h.lognbuf = g->lognbuf;
	h.logmaxmess = g->logmaxmess;
	h.resilience = g->resilience;
	h.large = g->large;
	h.newidx = idx;
	h.seqidx = g->seqid;
	h.gaddr = g->gprv;
	h.alladdr = g->allprv;
	grp_hereis_encode(&h, w);
	grp_bc_fill(g, &b, GRP_T_HEREIS, 0, 0, g->myid);
	grp_send_to(g, to, &b, w, sizeof(w), 0);
}

/*
 * Is slot i a member once everything ordered so far is accepted?  With
 * resilience r > 0 the JOINs and LEAVEs in [nextseqno, nexthist) are
 * still tentative; a joiner ordered after them never sees them, so its
 * JOIN state must count them already.
 */
int
grp_member_at_end(struct grp_group *g, uint32_t i)
{
	int in = g->mem[i].state == GRP_M_MEMBER;
	struct grp_hist *h;
	uint32_t s;

	for (s = g->nextseqno; s != g->nexthist; s++) {
		h = grp_slot(g, s);
		if (!grp_have(g, s) || h->cpu != i)
			continue;
		if (h->type == GRP_T_JOIN)
			in = 1;
		else if (h->type == GRP_T_LEAVE)
			in = 0;
	}
	return in;
}

/* The JOIN message for the joiner in slot idx (see the file head). */
static uint32_t
grp_join_build(struct grp_group *g, uint8_t *w, const uint8_t *hdr, int idx,
	       uint32_t s)
{
	uint8_t *p = w + GRP_HDR_SIZE + 8;
	uint32_t i, total = 0;

	memcpy(w, hdr, GRP_HDR_SIZE);
	memcpy(w + GRP_HDR_SIZE, g->mem[idx].addr.a_abytes, 8);
	for (i = 0; i < g->maxgroup; i++, p += GRP_SLOT_SIZE) {
		struct grp_mem *m = &g->mem[i];
		int in = (int)i == idx || grp_member_at_end(g, i);

		total += in;
		memcpy(p, m->addr.a_abytes, 8);
		memcpy(p + 8, m->rpcaddr.a_abytes, 8);
		flip_put32(p + 16, in ? GRP_M_MEMBER : GRP_M_FREE);
		flip_put32(p + 20, (int)i == idx ? s + 1 : m->expect);
		flip_put32(p + 24, m->messid);
	}
	memcpy(p, g->allprv.a_abytes, 8);
	flip_put16(p + 8, (uint16_t)total);
	flip_put16(p + 10, g->seqid);
	flip_put32(p + 12, s + 1);
	flip_put16(p + 16, g->incarnation);
	flip_put16(p + 18, g->resilience);
	flip_put32(p + 20, g->large);
	return grp_join_size(g->maxgroup);
}

/* JOINREQ from the joiner holding reserved slot b_cpu: order its JOIN. */
void
grp_joinreq_input(struct grp_group *g, struct grp_pkt *p)
{
	int idx = p->b.b_cpu;
	struct grp_mem *m = &g->mem[idx];
	uint8_t *w, *hdr;
	uint32_t n;

	if (p->b.b_seqno != 0 || p->len < GRP_HDR_SIZE ||
	    !flip_adr_eq(&m->addr, p->src))
		return;
	if (m->state == GRP_M_MEMBER || (m->state == GRP_M_RESERVED &&
	    !grp_after(p->b.b_messid, m->messid + 1))) {
		grp_seq_dup(g, p);
		return;
	}
	if (m->state != GRP_M_RESERVED)
		return;
	w = flip_port_alloc(grp_join_size(g->maxgroup));
	hdr = grp_norm(p);
	if (w && hdr) {
		n = grp_join_build(g, w, hdr, idx, g->nexthist);
		grp_seq_order(g, GRP_T_JOIN, idx, p->b.b_messid, w, n, 0);
	}
	flip_port_free(w);
	flip_port_free(hdr);
}

/* A JOIN entered the order at an existing member: add the newcomer. */
void
grp_join_accepted(struct grp_group *g, struct grp_hist *h)
{
	struct grp_mem *m = &g->mem[h->cpu];
	const uint8_t *slot;

	if (h->cpu == g->myid || h->len < grp_join_size(g->maxgroup))
		return;
	slot = h->msg + GRP_HDR_SIZE + 8 + h->cpu * GRP_SLOT_SIZE;
	if (m->state != GRP_M_MEMBER)
		g->total++;
	m->state = GRP_M_MEMBER;
	memcpy(m->addr.a_abytes, h->msg + GRP_HDR_SIZE, 8);
	memcpy(m->rpcaddr.a_abytes, slot + 8, 8);
	/* Held back until the newcomer reports: it may still need the JOIN. */
	m->expect = m->held = h->seqno;
	m->messid = h->messid;
	m->heard = flip_port_now_ms();
	m->probes = 0;
}
