/*
 * grp_core.c - group objects (node, group, FLIP interface and endpoints,
 * buffers), sending through FLIP, the FLIP upcalls with reassembly of
 * fragmented messages, dispatch of packets by type and state, the tick,
 * and the calls that complete at once (grp_info, grp_set,
 * grp_forward_addr, grp_destroy).
 *
 * Entry points: grp_node_init/fini, grp_info, grp_set, grp_forward_addr,
 * grp_destroy, grp_destroy_owner, grp_tick, grp_flip_receive,
 * grp_flip_notdeliver.  Caller holds the network lock.
 */
#include <string.h>
#include "grp/grp_impl.h"
#include "flip/flip_port.h"
#include "flip/flip_wire.h"

/* ---- objects ------------------------------------------------------------- */

errstat
grp_node_init(struct grp_node *gn, struct flip_switch *sw)
{
	memset(gn, 0, sizeof(*gn));
	gn->sw = sw;
	return STD_OK;
}

void
grp_node_fini(struct grp_node *gn)
{
	int i;

	for (i = 0; i < GRP_NGROUP; i++)
		if (gn->groups[i])
			grp_free(gn->groups[i]);
}

void
grp_complete(struct grp_call *c, int32_t result)
{
	if (c == NULL)
		return;
	c->result = result;
	c->op = 0;
	c->done = 1;
	flip_port_wakeup(c);
}

/* The join/send/leave in progress ends with result. */
void
grp_op_done(struct grp_group *g, int32_t result)
{
	struct grp_call *c = g->op;

	flip_port_free(g->req);
	g->req = NULL;
	g->op = NULL;
	g->opwait = 0;
	grp_complete(c, result);
}

/* A new group object in slot gid with its FLIP interface and address. */
struct grp_group *
grp_alloc(struct grp_node *gn, void *owner, const port *p)
{
	static const flip_adr_t null;
	struct grp_group *g;
	int i;

	for (i = 0; i < GRP_NGROUP && gn->groups[i]; i++)
		;
	if (i == GRP_NGROUP || (g = flip_port_alloc(sizeof(*g))) == NULL)
		return NULL;
	memset(g, 0, sizeof(*g));
	g->node = gn;
	g->owner = owner;
	g->gid = i;
	g->port = *p;
	g->t_sync = GRP_SYNCTIMEOUT;
	g->t_reply = GRP_REPLYTIMEOUT;
	g->t_alive = GRP_ALIVETIMEOUT;
	g->t_reset = GRP_RESETTIMEOUT;
	g->t_locate = GRP_LTIME;
	g->retrial = GRP_BCRETRIAL;
	g->ep_g = g->ep_all = -1;
	g->ifno = flip_init(gn->sw, g, grp_flip_receive, grp_flip_notdeliver);
	flip_adr_random(&g->meprv);
	if (g->ifno < 0 ||
	    (g->ep_me = flip_register(gn->sw, g->ifno, &g->meprv)) < 0 ||
	    (g->ep_null = flip_register(gn->sw, g->ifno, &null)) < 0) {
		if (g->ifno >= 0)
			flip_end(gn->sw, g->ifno);
		flip_port_free(g);
		return NULL;
	}
	g->mepub = *flip_ep_pub(gn->sw, g->ep_me);
	gn->groups[i] = g;
	return g;
}

/* History, member table and BB buffers, once the parameters are known. */
errstat
grp_alloc_buffers(struct grp_group *g)
{
	g->nbuf = 1u << g->lognbuf;
	g->maxmess = 1u << g->logmaxmess;
	g->hist = flip_port_alloc(g->nbuf * sizeof(*g->hist));
	g->mem = flip_port_alloc(g->maxgroup * sizeof(*g->mem));
	g->bb = flip_port_alloc(g->maxgroup * sizeof(*g->bb));
	if (!g->hist || !g->mem || !g->bb)
		return STD_NOMEM;
	memset(g->hist, 0, g->nbuf * sizeof(*g->hist));
	memset(g->mem, 0, g->maxgroup * sizeof(*g->mem));
	memset(g->bb, 0, g->maxgroup * sizeof(*g->bb));
	return STD_OK;
}

/*
 * grp_roles - register the group addresses this member's role needs
 * (spec 4.3: g_addr at every member but the sequencer, g_addr_all at
 * all).  Returns 0, or -1 if FLIP is out of endpoints.
 */
int
grp_roles(struct grp_group *g)
{
	struct flip_switch *sw = g->node->sw;

	if (g->ep_all < 0 &&
	    (g->ep_all = flip_register(sw, g->ifno, &g->allprv)) < 0)
		return -1;
	if (grp_is_seq(g) && g->ep_g >= 0) {
		flip_unregister(sw, g->ifno, g->ep_g);
		g->ep_g = -1;
	} else if (!grp_is_seq(g) && g->ep_g < 0) {
		g->ep_g = flip_register(sw, g->ifno, &g->gprv);
		if (g->ep_g < 0)
			return -1;
	}
	flip_oneway(&g->gprv, &g->gpub);
	flip_oneway(&g->allprv, &g->allpub);
	return 0;
}

void
grp_free(struct grp_group *g)
{
	uint32_t i;
	int k;

	grp_complete(g->op, BC_ABORT);
	grp_complete(g->recv, BC_ABORT);
	grp_complete(g->reset, BC_ABORT);
	for (i = 0; g->hist && i < g->nbuf; i++)
		flip_port_free(g->hist[i].msg);
	for (i = 0; g->bb && i < g->maxgroup; i++)
		flip_port_free(g->bb[i].msg);
	for (k = 0; k < GRP_NREASM; k++)
		flip_port_free(g->ra[k].buf);
	flip_port_free(g->req);
	flip_port_free(g->hist);
	flip_port_free(g->mem);
	flip_port_free(g->bb);
	flip_end(g->node->sw, g->ifno);
	g->node->groups[g->gid] = NULL;
	flip_port_free(g);
}

/* The group gid if owner may use it, else NULL. */
struct grp_group *
grp_lookup(struct grp_node *gn, void *owner, int32_t gid)
{
	struct grp_group *g;

	if (gid < 0 || gid >= GRP_NGROUP)
		return NULL;
	g = gn->groups[gid];
	if (g == NULL || g->owner != owner)
		return NULL;
	return g;
}

/* Members other than me. */
int
grp_others(struct grp_group *g)
{
	return g->total > 0 ? g->total - 1 : 0;
}

/* The member index whose address is src, or -1. */
int
grp_src_member(struct grp_group *g, const flip_adr_t *src)
{
	int i;

	for (i = 0; g->mem && i < g->maxgroup; i++)
		if (g->mem[i].state != GRP_M_FREE &&
		    flip_adr_eq(&g->mem[i].addr, src))
			return i;
	return -1;
}

/* ---- sending ------------------------------------------------------------- */

void
grp_bc_fill(struct grp_group *g, struct grp_bchdr *b, int type,
	    uint32_t seqno, uint32_t messid, int cpu)
{
	memset(b, 0, sizeof(*b));
	b->b_type = type;
	b->b_cpu = cpu;
	b->b_incarnation = g->incarnation;
	b->b_seqno = seqno;
	b->b_messid = messid;
	/* Members ack what they accepted; the sequencer tells what is stable. */
	b->b_expect = grp_is_seq(g) ? g->stable : g->nextseqno;
}

/* bchdr + payload in one buffer (NULL when out of memory). */
static uint8_t *
grp_pkt_build(const struct grp_bchdr *b, const uint8_t *pay, uint32_t plen)
{
	uint8_t *w = flip_port_alloc(GRP_BCHDR_SIZE + plen);

	if (w == NULL)
		return NULL;
	grp_bc_encode(b, w);
	if (plen)
		memcpy(w + GRP_BCHDR_SIZE, pay, plen);
	return w;
}

void
grp_send_to(struct grp_group *g, const flip_adr_t *to,
	    const struct grp_bchdr *b, const uint8_t *pay, uint32_t plen,
	    int fflags)
{
	uint8_t *w = grp_pkt_build(b, pay, plen);

	if (w == NULL)
		return;
	flip_unicast(g->node->sw, g->ifno, w, GRP_BCHDR_SIZE + plen, fflags,
		     to, g->ep_me, (int32_t)g->t_locate);
	flip_port_free(w);
}

/* A short packet (bchdr only) to one member. */
void
grp_send_ctl(struct grp_group *g, const flip_adr_t *to, int type,
	     uint32_t seqno, uint32_t messid)
{
	struct grp_bchdr b;

	grp_bc_fill(g, &b, type, seqno, messid, g->myid);
	grp_send_to(g, to, &b, NULL, 0, 0);
}

/*
 * A multicast to a group address that n endpoints registered (FLIP
 * locates until it knows n); after a membership change (g->relocate)
 * FLIP forgets its routes to the address and locates afresh.
 */
void
grp_mcast(struct grp_group *g, const flip_adr_t *to, int n,
	  const struct grp_bchdr *b, const uint8_t *pay, uint32_t plen)
{
	int bit = to == &g->gpub ? GRP_RELOC_G :
		  to == &g->allpub ? GRP_RELOC_ALL : 0;
	uint8_t *w;

	if (n <= 0)
		return;
	w = grp_pkt_build(b, pay, plen);
	if (w == NULL)
		return;
	flip_multicast(g->node->sw, g->ifno, w, GRP_BCHDR_SIZE + plen,
		       (g->relocate & bit) ? FLIP_INVAL : 0, to, g->ep_me, n,
		       (int32_t)g->t_locate);
	g->relocate &= ~bit;
	flip_port_free(w);
}

/* ---- receiving ----------------------------------------------------------- */

static void
grp_heard(struct grp_group *g, const flip_adr_t *src)
{
	int m = grp_src_member(g, src);

	if (m < 0)
		return;
	g->mem[m].heard = flip_port_now_ms();
	g->mem[m].probes = 0;
	if (m == g->seqid || m == grp_heir(g))
		g->heardseq = g->mem[m].heard;
}

/* Packets every member answers, whatever its role. */
static int
grp_common_input(struct grp_group *g, struct grp_pkt *p)
{
	int m = grp_src_member(g, p->src);

	switch (p->b.b_type) {
	case GRP_T_REFORMREQ: case GRP_T_VOTE:
	case GRP_T_RESULT: case GRP_T_RESULTACK:
		grp_reset_input(g, p);
		return 1;
	case GRP_T_ALIVEREQ:
		if (m >= 0 && p->len == 0)
			grp_send_ctl(g, p->src, GRP_T_ALIVE, g->nextseqno, 0);
		return 1;
	case GRP_T_ALIVE:
		return 1;
	case GRP_T_DEAD:
		if (m >= 0 && m == p->b.b_cpu && m != g->myid &&
		    g->state == GRP_S_NORMAL)
			grp_abort(g);
		return 1;
	case GRP_T_RETRANS:
		if (m >= 0)
			grp_retrans_input(g, p);
		return 1;
	}
	return 0;
}

/* One complete group packet from src. */
static void
grp_input(struct grp_group *g, const flip_adr_t *src, const uint8_t *data,
	  uint32_t len, int toall)
{
	struct grp_pkt p;

	if (len < GRP_BCHDR_SIZE)
		goto bad;
	p.big = grp_bc_decode(data, &p.b);
	p.src = src;
	p.data = data + GRP_BCHDR_SIZE;
	p.len = len - GRP_BCHDR_SIZE;
	p.toall = toall;
	if (p.b.b_type > GRP_T_MAX || p.b.b_type == GRP_T_LOCATE ||
	    p.b.b_reserved != 0)
		goto bad;
	if (g->state == GRP_S_LOCATING) {
		if (p.b.b_type == GRP_T_HEREIS)
			grp_hereis_input(g, &p);
		return;
	}
	if (p.b.b_cpu >= g->maxgroup)
		goto bad;
	if (g->state == GRP_S_JOINING) {
		grp_joiner_input(g, &p);
		return;
	}
	grp_heard(g, src);
	if (grp_common_input(g, &p))
		return;
	if (g->state == GRP_S_RECOVER) {
		grp_fetch_input(g, &p);
		return;
	}
	if (p.b.b_incarnation != g->incarnation)
		return;
	if (g->state == GRP_S_LEFT || !grp_is_seq(g))
		grp_mem_input(g, &p);
	else
		grp_seq_input(g, &p);
	return;
bad:
	g->node->st.bad++;
}

static void grp_reasm_drop(struct grp_reasm *r);

/*
 * Find or start the reassembly of (src, messid); NULL if not possible.
 * With every slot taken, the oldest (most likely missing its last
 * fragment) makes room.
 */
static struct grp_reasm *
grp_reasm_get(struct grp_group *g, const flip_adr_t *src, uint32_t messid,
	      uint32_t offset, uint32_t total)
{
	struct grp_reasm *r, *fr = NULL;
	int i;

	for (i = 0; i < GRP_NREASM; i++) {
		r = &g->ra[i];
		if (r->buf && r->messid == messid && flip_adr_eq(&r->src, src))
			return r->total == total ? r : NULL;
		if (fr == NULL || (fr->buf && (r->buf == NULL ||
					       grp_after(fr->since, r->since))))
			fr = r;
	}
	if (offset != 0)
		return NULL;
	grp_reasm_drop(fr);
	fr->buf = flip_port_alloc(total);
	if (fr->buf == NULL)
		return NULL;
	fr->src = *src;
	fr->messid = messid;
	fr->total = total;
	fr->got = 0;
	fr->since = flip_port_now_ms();
	return fr;
}

static void
grp_reasm_drop(struct grp_reasm *r)
{
	flip_port_free(r->buf);
	r->buf = NULL;
}

/* Largest packet a group may receive: a message or the JOIN state. */
static uint32_t
grp_maxpkt(struct grp_group *g)
{
	uint32_t st = GRP_HDR_SIZE + 8 + 28u * GRP_MAXGROUP + 32;
	uint32_t m = g->maxmess ? g->maxmess : (1u << GRP_MINLOGMSG);

	return GRP_BCHDR_SIZE + GRP_HDR_SIZE + (m > st ? m : st);
}

void
grp_flip_receive(void *ident, const uint8_t *data, const flip_adr_t *dst,
		 const flip_adr_t *src, uint32_t messid, uint32_t offset,
		 uint32_t length, uint32_t total, int flags)
{
	struct grp_group *g = ident;
	struct grp_reasm *r;
	int toall = flip_adr_eq(dst, &g->allpub);

	(void)flags;
	if (flip_adr_null(dst)) {
		if (offset == 0 && length == total)
			grp_locate_input(g, data, length, src);
		return;
	}
	if (offset == 0 && length == total) {
		grp_input(g, src, data, length, toall);
		return;
	}
	if (total > grp_maxpkt(g) || offset > total || length > total - offset)
		return;
	r = grp_reasm_get(g, src, messid, offset, total);
	if (r == NULL)
		return;
	if (offset != r->got) {			/* lost fragment: give up */
		grp_reasm_drop(r);
		return;
	}
	memcpy(r->buf + offset, data, length);
	r->got += length;
	if (r->got == r->total) {
		uint8_t *b = r->buf;

		r->buf = NULL;
		grp_input(g, src, b, total, toall);
		flip_port_free(b);
	}
}

void
grp_flip_notdeliver(void *ident, const uint8_t *data, const flip_adr_t *dst,
		    uint32_t messid, uint32_t offset, uint32_t length,
		    uint32_t total, int flags)
{
	/* Bounces and failed locates: the timers resend what matters. */
	(void)ident, (void)data, (void)dst, (void)messid, (void)offset;
	(void)length, (void)total, (void)flags;
}

/* ---- tick ---------------------------------------------------------------- */

static void
grp_reasm_tick(struct grp_group *g, uint32_t now)
{
	int i;

	for (i = 0; i < GRP_NREASM; i++)
		if (g->ra[i].buf && grp_after(now, g->ra[i].since +
					      GRP_REASMTIME))
			grp_reasm_drop(&g->ra[i]);
}

void
grp_tick(struct grp_node *gn)
{
	uint32_t now = flip_port_now_ms();
	struct grp_group *g;
	int i;

	for (i = 0; i < GRP_NGROUP; i++) {
		if ((g = gn->groups[i]) == NULL)
			continue;
		grp_reasm_tick(g, now);
		switch (g->state) {
		case GRP_S_LOCATING: case GRP_S_JOINING:
			grp_join_tick(g, now);
			break;
		case GRP_S_NORMAL:
			grp_order_tick(g, now);
			if (gn->groups[i] == g)
				grp_alive_tick(g, now);
			break;
		case GRP_S_RECOVER:
			grp_reset_tick(g, now);
			break;
		case GRP_S_LEFT:
			grp_order_tick(g, now);
			if (g->op == NULL &&
			    grp_after(g->expect, g->leftseq + 1)) {
				grp_complete(g->recv, STD_ARGBAD);
				g->recv = NULL;
				grp_free(g);	/* its LEAVE was read: gone */
				continue;
			}
			break;
		}
		if (gn->groups[i] == g && g->state == GRP_S_NORMAL &&
		    g->rphase != GRP_R_NONE)
			grp_reset_tick(g, now);
	}
}

/* ---- calls that complete at once ----------------------------------------- */

errstat
grp_info(struct grp_node *gn, void *owner, int32_t gid, port *p,
	 struct grp_state *st, uint32_t *memlist, uint32_t size)
{
	struct grp_group *g = grp_lookup(gn, owner, gid);
	uint32_t i, n = 0;

	if (g == NULL || g->mem == NULL)
		return STD_ARGBAD;
	if (p)
		*p = g->port;
	if (st) {
		st->st_expect = g->expect;
		st->st_nextseqno = g->nextseqno;
		st->st_unstable = g->stable;
		st->st_total = g->total;
		st->st_myid = g->myid;
		st->st_seqid = g->seqid;
	}
	for (i = 0; memlist && i < g->maxgroup && n < size; i++)
		if (g->mem[i].state == GRP_M_MEMBER)
			memlist[n++] = i;
	return g->state == GRP_S_RECOVER ? BC_ABORT : STD_OK;
}

errstat
grp_set(struct grp_node *gn, void *owner, int32_t gid, const port *p,
	interval sync, interval reply, interval alive, uint32_t large)
{
	struct grp_group *g = grp_lookup(gn, owner, gid);

	if (g == NULL || (p && memcmp(p, &g->port, sizeof(*p)) != 0))
		return STD_ARGBAD;
	if (sync < 0 || reply < 0 || alive < 0)
		return STD_ARGBAD;
	if (sync)
		g->t_sync = sync;
	if (reply)
		g->t_reply = reply;
	if (alive)
		g->t_alive = alive;
	g->syncnext = g->alivenext = flip_port_now_ms();	/* new values now */
	if (large)
		g->large = large;
	return STD_OK;
}

errstat
grp_forward_addr(struct grp_node *gn, void *owner, int32_t gid,
		 const port *p, uint32_t memid, flip_adr_t *addr)
{
	struct grp_group *g = grp_lookup(gn, owner, gid);

	if (g == NULL || g->mem == NULL ||
	    (p && memcmp(p, &g->port, sizeof(*p)) != 0))
		return STD_ARGBAD;
	if (memid >= g->maxgroup || g->mem[memid].state != GRP_M_MEMBER)
		return STD_ARGBAD;
	*addr = g->mem[memid].rpcaddr;
	return STD_OK;
}

void
grp_destroy(struct grp_node *gn, int32_t gid)
{
	struct grp_group *g;
	struct grp_bchdr b;
	int i;

	if (gid < 0 || gid >= GRP_NGROUP || (g = gn->groups[gid]) == NULL)
		return;
	/*
	 * DEAD to each member point to point (Amoeba multicasts it): the
	 * group free below would drop a multicast still waiting for a
	 * locate, and member routes are known.
	 */
	for (i = 0; g->state == GRP_S_NORMAL && i < g->maxgroup; i++) {
		if (i == g->myid || g->mem[i].state != GRP_M_MEMBER)
			continue;
		grp_bc_fill(g, &b, GRP_T_DEAD, 0, 0, g->myid);
		grp_send_to(g, &g->mem[i].addr, &b, NULL, 0, 0);
	}
	grp_free(g);
}

void
grp_destroy_owner(struct grp_node *gn, void *owner)
{
	int i;

	for (i = 0; i < GRP_NGROUP; i++)
		if (gn->groups[i] && gn->groups[i]->owner == owner)
			grp_destroy(gn, i);
}
