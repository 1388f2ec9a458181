/*
 * flip_impl.h - private interfaces between the FLIP source files:
 * flip_route.c (routing table), flip_switch.c (switch rules),
 * flip_net.c (Ethernet framing, fragmentation, credit flow control) and
 * flip_iface.c (endpoints, locates, local delivery).
 *
 * Same concurrency rule as flip.h: the caller holds the network lock.
 */
#ifndef FLIP_FLIP_IMPL_H
#define FLIP_FLIP_IMPL_H

#include "flip/flip.h"
#include "flip/flip_wire.h"

/* A queued message or fragment range (locate, credit or local queue). */
struct flip_qmsg {
	struct flip_qmsg *next;
	struct flip_hdr h;	/* header template */
	uint32_t base;		/* message offset of data[0] */
	uint32_t off;		/* next offset to send */
	uint32_t end;		/* end offset */
	int8_t ifno;		/* local queue: target interface */
	uint8_t kind;		/* local queue: FLIP_Q_RECEIVE/NOTDELIVER */
	uint16_t upflags;	/* local queue: upcall flags */
	const uint8_t *ext;	/* borrowed data (FLIP_BORROW), else NULL */
	uint8_t data[];		/* end - base bytes (unless borrowed) */
};

#define FLIP_Q_RECEIVE		1
#define FLIP_Q_NOTDELIVER	2

/* Modular time comparison: a is at or after b. */
static inline int
flip_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

struct flip_qmsg *flip_q_new(const struct flip_hdr *h, const uint8_t *data,
			     uint32_t base, uint32_t end);
struct flip_qmsg *flip_q_ref(const struct flip_hdr *h, const uint8_t *data,
			     uint32_t base, uint32_t end);
void flip_q_freeall(struct flip_qmsg **head, struct flip_qmsg **tail);
void flip_q_append(struct flip_qmsg **head, struct flip_qmsg **tail,
		   struct flip_qmsg *m);

/* ---- flip_route.c ------------------------------------------------------- */
void flip_rt_init(struct flip_switch *sw);
int flip_rt_find(struct flip_switch *sw, const flip_adr_t *a, int ntw,
		 const flip_loc_t *loc);
int flip_rt_install(struct flip_switch *sw, const flip_adr_t *a, int ntw,
		    const flip_loc_t *loc, int hop, int count, int tcount,
		    int local);
void flip_rt_remove(struct flip_switch *sw, int idx);
void flip_rt_remove_except(struct flip_switch *sw, const flip_adr_t *a,
			   int keep_ntw);
void flip_rt_remove_net(struct flip_switch *sw, int ntw);
int flip_rt_best(struct flip_switch *sw, const flip_adr_t *a, int budget,
		 int exclude_ntw, int secure, int *unsafe);
int flip_rt_is_local(struct flip_switch *sw, const flip_adr_t *a);
int flip_rt_first(struct flip_switch *sw, const flip_adr_t *a);
int flip_rt_next(struct flip_switch *sw, int idx);
void flip_rt_totals(struct flip_switch *sw, const flip_adr_t *a,
		    int exclude_ntw, int secure, int *count, int *tcount,
		    int *maxhop);
void flip_rt_sweep(struct flip_switch *sw);

/* ---- flip_switch.c ------------------------------------------------------ */
void flip_sw_packet(struct flip_switch *sw, struct flip_hdr *h,
		    const uint8_t *data, int big, int ntw,
		    const flip_loc_t *loc);

/* ---- flip_net.c --------------------------------------------------------- */
void flip_net_output(struct flip_switch *sw, int ntw, const flip_loc_t *loc,
		     const struct flip_hdr *h, const uint8_t *data);
void flip_fc_tick(struct flip_switch *sw);
void flip_mc_loc(const flip_adr_t *a, flip_loc_t *loc);
void flip_mc_request(struct flip_switch *sw, int ntw, const flip_loc_t *loc,
		     const flip_adr_t *a);
void flip_fc_fini(struct flip_switch *sw);

/* ---- flip_iface.c ------------------------------------------------------- */
void flip_local_deliver(struct flip_switch *sw, const struct flip_hdr *h,
			const uint8_t *data, int kind, int upflags,
			int skip_ifno);
void flip_ploc_check(struct flip_switch *sw, const flip_adr_t *dst);
void flip_ploc_tick(struct flip_switch *sw);
void flip_iface_fini(struct flip_switch *sw);

#endif /* FLIP_FLIP_IMPL_H */
