/*
 * grp_impl.h - private interfaces between the group source files:
 * grp_core.c (objects, sending, FLIP upcalls, reassembly, dispatch,
 * tick, info/set/forward), grp_order.c (sequencer, history, members'
 * acceptance, send/receive/leave), grp_join.c (LOCATE/HEREIS/JOIN) and
 * grp_reset.c (liveness and recovery).  Caller holds the network lock.
 */
#ifndef GRP_GRP_IMPL_H
#define GRP_GRP_IMPL_H

#include "grp/grp.h"
#include "grp/grp_wire.h"

static inline int
grp_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

static inline struct grp_hist *
grp_slot(struct grp_group *g, uint32_t s)
{
	return &g->hist[s & (g->nbuf - 1)];
}

/* Slot s holds message s. */
static inline int
grp_have(struct grp_group *g, uint32_t s)
{
	struct grp_hist *h = grp_slot(g, s);

	return h->used && h->seqno == s;
}

static inline int
grp_is_seq(const struct grp_group *g)
{
	return g->myid == g->seqid;
}

/* A received packet, decoded. */
struct grp_pkt {
	struct grp_bchdr b;		/* host-order bchdr */
	int big;			/* sender was big-endian */
	const flip_adr_t *src;		/* FLIP source (public) */
	const uint8_t *data;		/* after the bchdr */
	uint32_t len;			/* ... bytes */
	int toall;			/* sent to g_addr_all (BB method) */
};

/* ---- grp_core.c ---------------------------------------------------------- */
void grp_complete(struct grp_call *c, int32_t result);
void grp_op_done(struct grp_group *g, int32_t result);
void grp_bc_fill(struct grp_group *g, struct grp_bchdr *b, int type,
		 uint32_t seqno, uint32_t messid, int cpu);
void grp_send_to(struct grp_group *g, const flip_adr_t *to,
		 const struct grp_bchdr *b, const uint8_t *pay, uint32_t plen,
		 int fflags);
void grp_send_ctl(struct grp_group *g, const flip_adr_t *to, int type,
		  uint32_t seqno, uint32_t messid);
void grp_mcast(struct grp_group *g, const flip_adr_t *to, int n,
	       const struct grp_bchdr *b, const uint8_t *pay, uint32_t plen);
int grp_src_member(struct grp_group *g, const flip_adr_t *src);
int grp_roles(struct grp_group *g);
int grp_others(struct grp_group *g);
struct grp_group *grp_lookup(struct grp_node *gn, void *owner, int32_t gid);
void grp_free(struct grp_group *g);
struct grp_group *grp_alloc(struct grp_node *gn, void *owner,
			    const port *p);
errstat grp_alloc_buffers(struct grp_group *g);

/* ---- grp_order.c --------------------------------------------------------- */
void grp_hist_put(struct grp_group *g, uint32_t s, int type, int cpu,
		  uint32_t messid, const uint8_t *msg, uint32_t len);
void grp_hist_drop_from(struct grp_group *g, uint32_t s);
void grp_hist_send(struct grp_group *g, uint32_t s, const flip_adr_t *to,
		   int full);
void grp_seq_input(struct grp_group *g, struct grp_pkt *p);
void grp_seq_dup(struct grp_group *g, struct grp_pkt *p);
int grp_seq_order(struct grp_group *g, int type, int cpu, uint32_t messid,
		  const uint8_t *msg, uint32_t len, int bb);
uint8_t *grp_norm(struct grp_pkt *p);
void grp_seq_request(struct grp_group *g, int type, uint32_t messid,
		     const uint8_t *msg, uint32_t len);
int grp_store(struct grp_group *g, struct grp_pkt *p, int type);
void grp_accepted(struct grp_group *g, struct grp_hist *h);
void grp_mem_input(struct grp_group *g, struct grp_pkt *p);
void grp_retrans_input(struct grp_group *g, struct grp_pkt *p);
void grp_bb_input(struct grp_group *g, struct grp_pkt *p);
void grp_deliver_check(struct grp_group *g);
void grp_mem_advance(struct grp_group *g);
void grp_gap_check(struct grp_group *g);
void grp_trim(struct grp_group *g);
void grp_order_tick(struct grp_group *g, uint32_t now);
void grp_request_send(struct grp_group *g);
void grp_rtt_sample(struct grp_group *g);
void grp_stable_update(struct grp_group *g);
int grp_heir(struct grp_group *g);

/* ---- grp_join.c ---------------------------------------------------------- */
void grp_locate_input(struct grp_group *g, const uint8_t *data, uint32_t len,
		      const flip_adr_t *src);
void grp_joinreq_input(struct grp_group *g, struct grp_pkt *p);
void grp_hereis_input(struct grp_group *g, struct grp_pkt *p);
void grp_join_accepted(struct grp_group *g, struct grp_hist *h);
void grp_joiner_input(struct grp_group *g, struct grp_pkt *p);
void grp_join_tick(struct grp_group *g, uint32_t now);
int grp_member_at_end(struct grp_group *g, uint32_t i);

/* ---- grp_reset.c --------------------------------------------------------- */
void grp_abort(struct grp_group *g);
void grp_alive_tick(struct grp_group *g, uint32_t now);
void grp_reset_input(struct grp_group *g, struct grp_pkt *p);
void grp_reset_tick(struct grp_group *g, uint32_t now);
void grp_fetch_input(struct grp_group *g, struct grp_pkt *p);
void grp_result_accepted(struct grp_group *g, struct grp_hist *h);

#endif /* GRP_GRP_IMPL_H */
