/*
 * flip_switch.c - the FLIP packet switch (spec 2.4): what happens to a
 * LOCATE, HEREIS, UNIDATA, MULTIDATA, NOTHERE or UNTRUSTED packet that
 * arrives from network ntw (0 = the local interface) and location loc.
 *
 * Entry points: flip_sw_init(), flip_sw_fini(), flip_tick() and, for the
 * other FLIP files, flip_sw_packet().  Caller holds the network lock.
 */
#include <string.h>
#include "flip/flip_impl.h"
#include "flip/flip_port.h"

void
flip_sw_init(struct flip_switch *sw, int max_hops)
{
	uint32_t now = flip_port_now_ms();

	memset(sw, 0, sizeof(*sw));
	flip_rt_init(sw);
	sw->max_hops = max_hops > 0 ? max_hops : FLIP_MAX_HOPS;
	sw->last_rtsweep = sw->last_bcsweep = now;
	sw->last_fcsweep = sw->last_locsweep = now;
	flip_port_random(&sw->messid, sizeof(sw->messid));
}

void
flip_sw_fini(struct flip_switch *sw)
{
	flip_iface_fini(sw);
	flip_fc_fini(sw);
}

void
flip_tick(struct flip_switch *sw)
{
	uint32_t now = flip_port_now_ms();
	int n;

	if (flip_after(now, sw->last_bcsweep + 1000)) {
		sw->last_bcsweep = now;
		for (n = 0; n < FLIP_NNET; n++)
			sw->net[n].nbcast = 0;
	}
	if (flip_after(now, sw->last_rtsweep + FLIP_RT_SWEEP)) {
		sw->last_rtsweep = now;
		flip_rt_sweep(sw);
	}
	flip_ploc_tick(sw);
	flip_fc_tick(sw);
}

/* Loop cache: 1 if (src, messid, offset) was seen; records it otherwise. */
static int
flip_loop_dup(struct flip_switch *sw, const struct flip_hdr *h)
{
	const uint8_t *s = h->fh_srcaddr.a_abytes;
	uint32_t lo = flip_get32(s, 0), hi = flip_get32(s + 4, 0);
	struct flip_loopent *e;

	e = &sw->loop[(lo + hi + h->fh_messid + h->fh_offset) &
		      (FLIP_NLOOP - 1)];
	if (e->used && e->messid == h->fh_messid &&
	    e->offset == h->fh_offset && flip_adr_eq(&e->src, &h->fh_srcaddr))
		return 1;
	e->used = 1;
	e->src = h->fh_srcaddr;
	e->messid = h->fh_messid;
	e->offset = h->fh_offset;
	return 0;
}

/* Send h on network ntw to loc (NULL = broadcast), adding the weight. */
static void
flip_send_net(struct flip_switch *sw, int ntw, const flip_loc_t *loc,
	      struct flip_hdr *h, const uint8_t *data)
{
	struct flip_hdr c = *h;

	c.fh_act_hop += sw->net[ntw].weight;
	if (c.fh_act_hop > c.fh_max_hop) {
		sw->st.dropped_hop++;
		return;
	}
	if (!sw->net[ntw].trusted)
		c.fh_flags |= FL_F_UNSAFE;
	flip_net_output(sw, ntw, loc, &c, data);
}

/* Send along routing record idx (local delivery or a network). */
static void
flip_send_route(struct flip_switch *sw, int idx, struct flip_hdr *h,
		const uint8_t *data)
{
	struct flip_route *r = &sw->rt[idx];
	int up = (h->fh_flags & FL_F_UNSAFE) ? FLIP_UNTRUSTED : 0;

	if (r->local) {
		if (h->fh_type == FL_T_NOTHERE || h->fh_type == FL_T_UNTRUSTED)
			flip_local_deliver(sw, h, data, FLIP_Q_NOTDELIVER,
					   h->fh_type == FL_T_NOTHERE ?
					   FLIP_NOTHERE : FLIP_UNTRUSTED, -1);
		else
			flip_local_deliver(sw, h, data, FLIP_Q_RECEIVE, up, -1);
		return;
	}
	flip_send_net(sw, r->ntw, &r->loc, h, data);
}

/* pkt_reverse: send back to (ntw, loc), subtracting the weight. */
static void
flip_reverse(struct flip_switch *sw, int ntw, const flip_loc_t *loc,
	     struct flip_hdr *h, const uint8_t *data)
{
	struct flip_hdr c = *h;
	int up;

	if (ntw == 0) {
		up = h->fh_type == FL_T_NOTHERE ? FLIP_NOTHERE : FLIP_UNTRUSTED;
		if (h->fh_type == FL_T_HEREIS)
			flip_ploc_check(sw, &h->fh_dstaddr);
		else
			flip_local_deliver(sw, h, data, FLIP_Q_NOTDELIVER, up,
					   -1);
		return;
	}
	c.fh_act_hop = c.fh_act_hop >= sw->net[ntw].weight ?
		       c.fh_act_hop - sw->net[ntw].weight : 0;
	flip_net_output(sw, ntw, loc, &c, data);
}

/* Broadcast a copy on every network but skip within the hop budget. */
static void
flip_rebroadcast(struct flip_switch *sw, struct flip_hdr *h,
		 const uint8_t *data, int skip)
{
	int n, budget = h->fh_max_hop - h->fh_act_hop;

	for (n = 1; n < FLIP_NNET; n++) {
		if (n == skip || sw->net[n].ops == NULL ||
		    sw->net[n].weight > budget)
			continue;
		if ((h->fh_flags & FL_F_SECURITY) && !sw->net[n].trusted)
			continue;
		flip_send_net(sw, n, NULL, h, data);
	}
}

/* Turn the LOCATE into a HEREIS carrying (count, tcount) and send back. */
static void
flip_answer_locate(struct flip_switch *sw, struct flip_hdr *h, int ntw,
		   const flip_loc_t *loc, int hop, int count, int tcount)
{
	uint8_t cnt[4];

	h->fh_type = FL_T_HEREIS;
	h->fh_max_hop = hop + h->fh_act_hop;
	h->fh_length = h->fh_total = 4;
	h->fh_offset = 0;
	flip_put16(cnt, count);
	flip_put16(cnt + 2, tcount);
	flip_reverse(sw, ntw, loc, h, cnt);
}

static void
flip_do_locate(struct flip_switch *sw, struct flip_hdr *h, int ntw,
	       const flip_loc_t *loc)
{
	int secure = h->fh_flags & FL_F_SECURITY, count, tcount, maxhop;
	int unsafe = h->fh_flags & FL_F_UNSAFE;

	if (flip_adr_null(&h->fh_srcaddr) || flip_adr_null(&h->fh_dstaddr) ||
	    flip_loop_dup(sw, h)) {
		sw->st.dropped_loop++;
		return;
	}
	if (ntw == 0) {
		flip_rebroadcast(sw, h, NULL, 0);
		return;
	}
	if (++sw->net[ntw].nbcast > FLIP_BC_LIMIT) {
		sw->st.dropped_rate++;
		return;
	}
	flip_rt_install(sw, &h->fh_srcaddr, ntw, loc, h->fh_act_hop, 1,
			unsafe ? 0 : 1, 0);
	if (flip_rt_is_local(sw, &h->fh_dstaddr)) {
		flip_answer_locate(sw, h, ntw, loc, 0, 1, 1);
		return;
	}
	if (h->fh_act_hop == h->fh_max_hop) {
		flip_rt_totals(sw, &h->fh_dstaddr, ntw, secure, &count,
			       &tcount, &maxhop);
		if (count > 0)
			flip_answer_locate(sw, h, ntw, loc, maxhop, count,
					   tcount);
		return;
	}
	flip_rt_remove_except(sw, &h->fh_dstaddr, ntw);
	flip_rebroadcast(sw, h, NULL, ntw);
}

static void
flip_do_hereis(struct flip_switch *sw, struct flip_hdr *h,
	       const uint8_t *data, int big, int ntw, const flip_loc_t *loc)
{
	int count, tcount, maxhop, r, unsafe;
	uint8_t cnt[4];

	if (flip_adr_null(&h->fh_srcaddr) || flip_adr_null(&h->fh_dstaddr) ||
	    h->fh_length != 4 || h->fh_max_hop < h->fh_act_hop)
		return;
	count = flip_get16(data, big);
	tcount = flip_get16(data + 2, big);
	if (count == 0 || count < tcount)
		return;
	if (ntw != 0)
		flip_rt_install(sw, &h->fh_dstaddr, ntw, loc,
				h->fh_max_hop - h->fh_act_hop, count,
				(h->fh_flags & FL_F_UNSAFE) ? 0 : tcount, 0);
	if (flip_rt_is_local(sw, &h->fh_srcaddr)) {
		flip_ploc_check(sw, &h->fh_dstaddr);
		return;
	}
	r = flip_rt_best(sw, &h->fh_srcaddr, h->fh_act_hop, ntw, 0, &unsafe);
	if (r < 0)
		return;
	flip_rt_totals(sw, &h->fh_dstaddr, sw->rt[r].ntw, 0, &count, &tcount,
		       &maxhop);
	if (count == 0)
		return;
	flip_put16(cnt, count);
	flip_put16(cnt + 2, tcount);
	flip_reverse(sw, sw->rt[r].ntw, &sw->rt[r].loc, h, cnt);
}

/* Bounce an undeliverable UNIDATA as NOTHERE or UNTRUSTED. */
static void
flip_bounce(struct flip_switch *sw, struct flip_hdr *h, const uint8_t *data,
	    int ntw, const flip_loc_t *loc, int unsafe)
{
	if (flip_adr_null(&h->fh_srcaddr))
		return;
	sw->st.nothere++;
	h->fh_type = unsafe ? FL_T_UNTRUSTED : FL_T_NOTHERE;
	if (unsafe)
		h->fh_flags |= FL_F_UNREACHABLE;
	flip_reverse(sw, ntw, loc, h, data);
}

static void
flip_do_unidata(struct flip_switch *sw, struct flip_hdr *h,
		const uint8_t *data, int ntw, const flip_loc_t *loc)
{
	int secure = h->fh_flags & FL_F_SECURITY, unsafe, r;

	if (flip_adr_null(&h->fh_dstaddr))
		return;
	if (ntw != 0 && !flip_adr_null(&h->fh_srcaddr) &&
	    !flip_rt_is_local(sw, &h->fh_srcaddr))
		flip_rt_install(sw, &h->fh_srcaddr, ntw, loc, h->fh_act_hop, 1,
				(h->fh_flags & FL_F_UNSAFE) ? 0 : 1, 0);
	r = flip_rt_best(sw, &h->fh_dstaddr, h->fh_max_hop - h->fh_act_hop,
			 -1, secure, &unsafe);
	if (r >= 0 && ntw != 0 && sw->rt[r].ntw == ntw &&
	    flip_loc_eq(&sw->rt[r].loc, loc))
		r = -1;			/* never straight back */
	if (r >= 0)
		flip_send_route(sw, r, h, data);
	else
		flip_bounce(sw, h, data, ntw, loc, unsafe);
}

/* Deliver a null-destination MULTIDATA here and pass it on. */
static void
flip_do_broadcast(struct flip_switch *sw, struct flip_hdr *h,
		  const uint8_t *data, int ntw, const flip_loc_t *loc)
{
	int up = (h->fh_flags & FL_F_UNSAFE) ? FLIP_UNTRUSTED : 0;

	if (flip_loop_dup(sw, h)) {
		sw->st.dropped_loop++;
		return;
	}
	if (ntw != 0)
		sw->net[ntw].nbcast++;	/* counted; only LOCATEs are limited */
	if (ntw != 0 && h->fh_offset == 0 && !flip_adr_null(&h->fh_srcaddr) &&
	    !flip_rt_is_local(sw, &h->fh_srcaddr)) {
		flip_rt_remove_except(sw, &h->fh_srcaddr, -1);
		flip_rt_install(sw, &h->fh_srcaddr, ntw, loc, h->fh_act_hop, 1,
				up ? 0 : 1, 0);
	}
	if (ntw != 0)
		flip_local_deliver(sw, h, data, FLIP_Q_RECEIVE, up, -1);
	flip_rebroadcast(sw, h, data, ntw);
}

/*
 * MULTIDATA to group address dst on network n: one frame to the group's
 * multicast MAC if every location there listens to it, else a copy per
 * location; locations never asked get an FC_MCREQ.
 */
static void
flip_mc_net(struct flip_switch *sw, int n, struct flip_hdr *h,
	    const uint8_t *data)
{
	int i, total = 0, acked = 0, budget = h->fh_max_hop - h->fh_act_hop;
	flip_loc_t m;

	for (i = flip_rt_first(sw, &h->fh_dstaddr); i >= 0;
	     i = flip_rt_next(sw, i)) {
		struct flip_route *r = &sw->rt[i];

		if (r->local || r->ntw != n || r->hop > budget)
			continue;
		total++;
		acked += r->mcast == FLIP_MC_ACK;
		if (r->mcast == FLIP_MC_UNKNOWN && sw->net[n].ops->mcast) {
			r->mcast = FLIP_MC_ASKED;
			flip_mc_request(sw, n, &r->loc, &h->fh_dstaddr);
		}
	}
	if (total == 0)
		return;
	if (acked == total) {
		flip_mc_loc(&h->fh_dstaddr, &m);
		flip_send_net(sw, n, &m, h, data);
		return;
	}
	for (i = flip_rt_first(sw, &h->fh_dstaddr); i >= 0;
	     i = flip_rt_next(sw, i)) {
		struct flip_route *r = &sw->rt[i];

		if (!r->local && r->ntw == n && r->hop <= budget)
			flip_send_net(sw, n, &r->loc, h, data);
	}
}

static void
flip_do_multidata(struct flip_switch *sw, struct flip_hdr *h,
		  const uint8_t *data, int ntw, const flip_loc_t *loc)
{
	int n, up = (h->fh_flags & FL_F_UNSAFE) ? FLIP_UNTRUSTED : 0;

	if (flip_adr_null(&h->fh_dstaddr)) {
		flip_do_broadcast(sw, h, data, ntw, loc);
		return;
	}
	if (ntw != 0 && h->fh_offset == 0 && !flip_adr_null(&h->fh_srcaddr) &&
	    !flip_rt_is_local(sw, &h->fh_srcaddr))
		flip_rt_install(sw, &h->fh_srcaddr, ntw, loc, h->fh_act_hop, 1,
				up ? 0 : 1, 0);
	if (ntw != 0 && flip_rt_is_local(sw, &h->fh_dstaddr))
		flip_local_deliver(sw, h, data, FLIP_Q_RECEIVE, up, -1);
	for (n = 1; n < FLIP_NNET; n++)		/* flip_multicast did ours */
		if (n != ntw && sw->net[n].ops != NULL)
			flip_mc_net(sw, n, h, data);
}

/* NOTHERE / UNTRUSTED coming back: fix the table, retry or pass back. */
static void
flip_do_bounced(struct flip_switch *sw, struct flip_hdr *h,
		const uint8_t *data, int ntw, const flip_loc_t *loc)
{
	int r, secure = h->fh_flags & FL_F_SECURITY, unsafe;

	r = ntw ? flip_rt_find(sw, &h->fh_dstaddr, ntw, loc) : -1;
	if (r >= 0 && h->fh_type == FL_T_NOTHERE)
		flip_rt_remove(sw, r);
	else if (r >= 0)
		sw->rt[r].trusted = 0;
	r = flip_rt_best(sw, &h->fh_dstaddr, sw->max_hops, ntw, secure,
			 &unsafe);
	if (r >= 0) {
		h->fh_type = FL_T_UNIDATA;
		h->fh_flags &= ~FL_F_UNREACHABLE;
		flip_send_route(sw, r, h, data);
		return;
	}
	if (flip_rt_is_local(sw, &h->fh_srcaddr)) {
		flip_reverse(sw, 0, NULL, h, data);
		return;
	}
	r = flip_rt_best(sw, &h->fh_srcaddr, sw->max_hops, ntw, 1, &unsafe);
	if (r >= 0)
		flip_reverse(sw, sw->rt[r].ntw, &sw->rt[r].loc, h, data);
}

/*
 * flip_sw_packet - switch one packet that arrived from network ntw (0 =
 * sent by a local endpoint) and location loc.  h is in host order; data
 * holds h->fh_length bytes; big says the sender was big-endian (its
 * HEREIS counts are too).
 */
void
flip_sw_packet(struct flip_switch *sw, struct flip_hdr *h,
	       const uint8_t *data, int big, int ntw, const flip_loc_t *loc)
{
	if (h->fh_act_hop > h->fh_max_hop ||
	    (h->fh_type != FL_T_LOCATE && h->fh_max_hop > sw->max_hops)) {
		sw->st.dropped_hop++;
		return;
	}
	switch (h->fh_type) {
	case FL_T_LOCATE:
		flip_do_locate(sw, h, ntw, loc);
		break;
	case FL_T_HEREIS:
		flip_do_hereis(sw, h, data, big, ntw, loc);
		break;
	case FL_T_UNIDATA:
		flip_do_unidata(sw, h, data, ntw, loc);
		break;
	case FL_T_MULTIDATA:
		flip_do_multidata(sw, h, data, ntw, loc);
		break;
	case FL_T_NOTHERE:
	case FL_T_UNTRUSTED:
		flip_do_bounced(sw, h, data, ntw, loc);
		break;
	default:
		sw->st.rx_bad++;
		break;
	}
}
