/*
 * flip_net.c - FLIP over Ethernet (spec 2.2): attaching networks, frame
 * input (fc_hdr, trimming, header swap), frame output (padding,
 * fragmentation into 1458-byte pieces) and credit flow control for
 * multi-fragment UNIDATA, per (network, location).
 *
 * Entry points: flip_net_attach(), flip_net_detach(), flip_net_input(),
 * and for the other FLIP files flip_net_output(), flip_fc_tick(),
 * flip_fc_fini().  Caller holds the network lock.
 */
#include <string.h>
#include "flip/flip_impl.h"
#include "flip/flip_port.h"

static const uint8_t flip_bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static int
flip_ncredit(int nrcv)
{
	if (nrcv >= 8)
		return 8;
	return nrcv / 4 >= 1 ? nrcv / 4 : 1;
}

static int
flip_threshold(int ncredit)
{
	return ncredit <= 2 ? 1 : ncredit - 2;
}

/*
 * The window we grant a sender: NCREDIT is what every sender assumes at
 * first (spec 2.2), but a receiver with many buffers grants the rest of
 * a quarter of its ring as extra FC_CREDITs on a location's first
 * controlled fragment (senders just add credits up, so this stays
 * compatible).  A bigger window keeps fragments flowing while credits
 * travel back; the credits return every quarter window.
 */
static int
flip_window(int nrcv)
{
	int w = nrcv / 4;

	if (w > FLIP_WINDOW_MAX)
		w = FLIP_WINDOW_MAX;
	return w > flip_ncredit(nrcv) ? w : flip_ncredit(nrcv);
}

static int
flip_release_threshold(const struct flip_net *n)
{
	return n->window > n->ncredit ? n->window / 4 :
	       flip_threshold(n->ncredit);
}

int
flip_net_attach(struct flip_switch *sw, const struct flip_netops *ops,
		void *drv, const uint8_t mac[6], int weight, int trusted,
		int nrcv)
{
	struct flip_net *n;
	int i;

	for (i = 1; i < FLIP_NNET; i++)
		if (sw->net[i].ops == NULL)
			break;
	if (i == FLIP_NNET || ops == NULL || ops->send == NULL)
		return FLIP_FAIL;
	n = &sw->net[i];
	memset(n, 0, sizeof(*n));
	n->ops = ops;
	n->drv = drv;
	memcpy(n->myloc.l_bytes, mac, 6);
	n->weight = weight;
	n->trusted = trusted != 0;
	n->ncredit = flip_ncredit(nrcv);
	n->window = flip_window(nrcv);
	n->mtu = FLIP_ETH_DATA;
	return i;
}

_Static_assert(FLIP_NFLOC <= 256, "floc_hint is a byte");

/* The flow-control record of (ntw, loc); created if create is set. */
static struct flip_floc *
flip_floc_get(struct flip_switch *sw, int ntw, const flip_loc_t *loc,
	      int create)
{
	struct flip_floc *f = &sw->floc[sw->floc_hint], *fr = NULL;
	int i;

	/* every frame in or out asks, mostly for the peer asked last */
	if (f->used && f->ntw == ntw && flip_loc_eq(&f->loc, loc))
		return f;
	for (i = 0; i < FLIP_NFLOC; i++) {
		f = &sw->floc[i];
		if (f->used && f->ntw == ntw &&
		    flip_loc_eq(&f->loc, loc)) {
			sw->floc_hint = (uint8_t)i;
			return f;
		}
		if (!f->used && fr == NULL)
			fr = f;
	}
	if (!create || fr == NULL)
		return NULL;
	memset(fr, 0, sizeof(*fr));
	fr->used = 1;
	fr->ntw = ntw;
	fr->loc = *loc;
	fr->mycredit = sw->net[ntw].ncredit;
	fr->last = flip_port_now_ms();
	return fr;
}

static void
flip_floc_free(struct flip_floc *f)
{
	flip_q_freeall(&f->q, &f->qtail);
	f->used = 0;
}

void
flip_net_detach(struct flip_switch *sw, int ntw)
{
	int i;

	if (ntw <= 0 || ntw >= FLIP_NNET || sw->net[ntw].ops == NULL)
		return;
	for (i = 0; i < FLIP_NFLOC; i++)
		if (sw->floc[i].used && sw->floc[i].ntw == ntw)
			flip_floc_free(&sw->floc[i]);
	flip_rt_remove_net(sw, ntw);
	memset(&sw->net[ntw], 0, sizeof(sw->net[ntw]));
}

/* Put one frame (fc_hdr + optional FLIP packet) on the wire. */
static void
flip_xmit(struct flip_switch *sw, int ntw, const uint8_t *mac, int fctype,
	  int fccnt, const struct flip_hdr *h, const uint8_t *data,
	  uint32_t len)
{
	struct flip_net *n = &sw->net[ntw];
	uint8_t *f = sw->frame;
	size_t flen = FLIP_ETH_HDR + FLIP_FC_SIZE;

	memcpy(f, mac, 6);
	memcpy(f + 6, n->myloc.l_bytes, 6);
	f[12] = FLIP_ETHERTYPE >> 8;
	f[13] = FLIP_ETHERTYPE & 0xFF;
	f[14] = fctype;
	f[15] = fccnt;
	if (h) {
		flip_hdr_encode(h, f + flen);
		flen += FLIP_HDR_SIZE;
		if (len && n->ops->send2 && flen + len >= FLIP_ETH_MIN) {
			sw->st.tx_frames++;	/* gather: no payload copy */
			n->ops->send2(n->drv, f, flen, data, len,
				      n->burst && n->ops->flush);
			return;
		}
		if (len)
			memcpy(f + flen, data, len);
		flen += len;
	}
	if (flen < FLIP_ETH_MIN) {
		memset(f + flen, 0, FLIP_ETH_MIN - flen);
		flen = FLIP_ETH_MIN;
	}
	sw->st.tx_frames++;
	n->ops->send(n->drv, f, flen);
}

/* The hardware multicast location of FLIP address a: 55:55:a2:a3:a4:a5. */
void
flip_mc_loc(const flip_adr_t *a, flip_loc_t *loc)
{
	memset(loc, 0, sizeof(*loc));
	loc->l_bytes[0] = loc->l_bytes[1] = 0x55;
	memcpy(loc->l_bytes + 2, a->a_abytes + 2, 4);
}

/* An FC_MCREQ/MCACK/MCNAK frame: fc_hdr then body. */
static void
flip_xmit_mc(struct flip_switch *sw, int ntw, const uint8_t *mac, int type,
	     const flip_loc_t *mloc, const flip_adr_t *a)
{
	struct flip_net *n = &sw->net[ntw];
	uint8_t *f = sw->frame;
	size_t len = FLIP_ETH_HDR + FLIP_FC_SIZE;

	memcpy(f, mac, 6);
	memcpy(f + 6, n->myloc.l_bytes, 6);
	f[12] = FLIP_ETHERTYPE >> 8;
	f[13] = FLIP_ETHERTYPE & 0xFF;
	f[14] = type;
	f[15] = 0;
	if (mloc) {
		memcpy(f + len, mloc->l_bytes, 8);
		len += 8;
	}
	memcpy(f + len, a->a_abytes, 8);
	len += 8;
	memset(f + len, 0, FLIP_ETH_MIN - len);
	sw->st.tx_frames++;
	n->ops->send(n->drv, f, FLIP_ETH_MIN);
}

/*
 * Ask location loc on network ntw to listen to a's multicast MAC, and
 * listen to it ourselves (spec 2.2).
 */
void
flip_mc_request(struct flip_switch *sw, int ntw, const flip_loc_t *loc,
		const flip_adr_t *a)
{
	struct flip_net *n = &sw->net[ntw];
	flip_loc_t m;

	flip_mc_loc(a, &m);
	if (n->ops->mcast)
		n->ops->mcast(n->drv, m.l_bytes);
	flip_xmit_mc(sw, ntw, loc->l_bytes, FC_MCREQ, &m, a);
}

/* FC_MCREQ/MCACK/MCNAK from loc: listen, or note the peer's answer. */
static void
flip_mc_input(struct flip_switch *sw, int ntw, const flip_loc_t *loc,
	      int type, const uint8_t *body, size_t len)
{
	struct flip_net *n = &sw->net[ntw];
	flip_loc_t want;
	flip_adr_t a;
	int r, ok;

	if (len < (type == FC_MCREQ ? 16u : 8u))
		return;
	memcpy(a.a_abytes, body + (type == FC_MCREQ ? 8 : 0), 8);
	if (type == FC_MCREQ) {
		flip_mc_loc(&a, &want);
		ok = memcmp(want.l_bytes, body, 8) == 0 && n->ops->mcast &&
		     n->ops->mcast(n->drv, want.l_bytes) == 0;
		flip_xmit_mc(sw, ntw, loc->l_bytes, ok ? FC_MCACK : FC_MCNAK,
			     NULL, &a);
		return;
	}
	r = flip_rt_find(sw, &a, ntw, loc);
	if (r >= 0)
		sw->rt[r].mcast = type == FC_MCACK ? FLIP_MC_ACK : FLIP_MC_NAK;
}

/* Send one fragment as FC_DATA, piggy-backing owed credits. */
static void
flip_xmit_data(struct flip_switch *sw, int ntw, const flip_loc_t *loc,
	       const struct flip_hdr *h, const uint8_t *data)
{
	struct flip_floc *f = loc ? flip_floc_get(sw, ntw, loc, 0) : NULL;
	int cnt = 0;

	if (f && f->released > 0) {
		cnt = f->released > 255 ? 255 : f->released;
		f->released -= cnt;
	}
	flip_xmit(sw, ntw, loc ? loc->l_bytes : flip_bcast_mac, FC_DATA, cnt,
		  h, data, h->fh_length);
}

/* Is *m the oldest queued message for its destination address? */
static int
flip_fc_head(const struct flip_floc *f, const struct flip_qmsg *m)
{
	const struct flip_qmsg *o;

	for (o = f->q; o != m; o = o->next)
		if (flip_adr_eq(&o->h.fh_dstaddr, &m->h.fh_dstaddr))
			return 0;
	return 1;
}

/*
 * Round-robin over destination addresses, FIFO per address: the first
 * per-address head whose address differs from the one served last, or
 * else the queue head.  Returns the link pointing at it.
 */
static struct flip_qmsg **
flip_fc_pick(struct flip_floc *f)
{
	struct flip_qmsg **pp;

	for (pp = &f->q; *pp; pp = &(*pp)->next)
		if (!flip_adr_eq(&(*pp)->h.fh_dstaddr, &f->lastdst) &&
		    flip_fc_head(f, *pp))
			return pp;
	return &f->q;
}

/* Send one fragment of the picked message; unlink it when finished. */
static void
flip_fc_send_one(struct flip_switch *sw, struct flip_floc *f)
{
	struct flip_qmsg **pp = flip_fc_pick(f), *m = *pp, *p;
	uint32_t mtu = sw->net[f->ntw].mtu;
	struct flip_hdr h = m->h;

	h.fh_offset = m->off;
	h.fh_length = m->end - m->off < mtu ? m->end - m->off : mtu;
	f->mycredit--;
	f->sincereq++;
	f->lastdst = m->h.fh_dstaddr;
	flip_xmit_data(sw, f->ntw, &f->loc, &h,
		       (m->ext ? m->ext : m->data) + (m->off - m->base));
	m->off += h.fh_length;
	if (m->off < m->end)
		return;
	*pp = m->next;
	if (f->qtail == m)
		for (f->qtail = f->q, p = f->q; p; p = p->next)
			f->qtail = p;
	flip_port_free(m);
}

/* Ask f's peer for credits (it answers with FC_ABSCREDIT). */
static void
flip_fc_ask(struct flip_switch *sw, struct flip_floc *f)
{
	f->reqout = 1;
	f->sincereq = 0;
	sw->st.fc_reqcredit++;
	flip_xmit(sw, f->ntw, f->loc.l_bytes, FC_REQCREDIT, 0, NULL, NULL, 0);
}

/*
 * Send as many queued fragments to f as its credits allow, as one burst:
 * the driver may tell the chip about them all at once.  When the credits
 * run out with fragments still queued, ask for more at once (REQCREDIT):
 * a peer that returns credits late or only when asked (some Amoeba 5.3
 * stacks grant 5 and wait) then costs a round trip, not CREDITTIMER.
 * The timer (flip_fc_tick) only repeats an unanswered request.
 */
static void
flip_fc_pump(struct flip_switch *sw, struct flip_floc *f)
{
	struct flip_net *n = &sw->net[f->ntw];
	int sent = 0;

	n->burst = 1;
	for (; f->q != NULL && f->mycredit > 0; sent++)
		flip_fc_send_one(sw, f);
	n->burst = 0;
	if (sent && n->ops->flush)
		n->ops->flush(n->drv);
	f->last = flip_port_now_ms();
	if (f->q == NULL || f->mycredit > 0) {
		f->trials = 0;
		f->waitsince = 0;
	} else if (!f->reqout || f->waitsince == 0) {	/* ran out just now */
		f->trials = 0;
		f->waitsince = f->last | 1;
		flip_fc_ask(sw, f);
	}
}

static uint32_t
flip_fc_qlen(const struct flip_floc *f)
{
	const struct flip_qmsg *m;
	uint32_t n = 0;

	for (m = f->q; m; m = m->next)
		n++;
	return n;
}

/* A credit-controlled send: queue the whole range, then pump. */
static void
flip_fc_send(struct flip_switch *sw, struct flip_floc *f,
	     const struct flip_hdr *h, const uint8_t *data)
{
	struct flip_qmsg *m;
	uint32_t q;

	if (sw->borrow)			/* the sender keeps data for us */
		m = flip_q_ref(h, data, h->fh_offset,
			       h->fh_offset + h->fh_length);
	else
		m = flip_q_new(h, data, h->fh_offset,
			       h->fh_offset + h->fh_length);
	if (m == NULL)
		return;			/* dropped: RPC retransmits */
	flip_q_append(&f->q, &f->qtail, m);
	flip_fc_pump(sw, f);
	if (f->q) {
		sw->st.fc_queued++;
		q = flip_fc_qlen(f);
		if (q > sw->st.fc_maxq)
			sw->st.fc_maxq = q;
	}
}

/*
 * flip_net_output - send FLIP packet h (+ data) on network ntw to loc
 * (NULL = broadcast), cut into MTU-sized fragments; multi-fragment
 * UNIDATA goes through the credit scheme.
 */
void
flip_net_output(struct flip_switch *sw, int ntw, const flip_loc_t *loc,
		const struct flip_hdr *h, const uint8_t *data)
{
	struct flip_net *n = &sw->net[ntw];
	struct flip_floc *f = NULL;
	struct flip_hdr c = *h;
	uint32_t done, len;
	int burst;

	if (n->ops == NULL)
		return;
	if (loc && h->fh_type == FL_T_UNIDATA && h->fh_total > n->mtu)
		f = flip_floc_get(sw, ntw, loc, 1);
	if (f) {
		flip_fc_send(sw, f, h, data);
		return;
	}
	/* Fragments of one packet (a multicast) go as one burst too. */
	burst = !n->burst && n->ops->flush && h->fh_length > n->mtu;
	n->burst |= burst;
	for (done = 0; done < h->fh_length || done == 0; done += len) {
		len = h->fh_length - done < n->mtu ? h->fh_length - done :
		      n->mtu;
		c.fh_offset = h->fh_offset + done;
		c.fh_length = len;
		flip_xmit_data(sw, ntw, loc, &c, data ? data + done : NULL);
		if (len == 0)
			break;
	}
	if (burst) {
		n->burst = 0;
		n->ops->flush(n->drv);
	}
}

/* Receiver side: one more controlled fragment released; maybe credit. */
static void
flip_fc_released(struct flip_switch *sw, int ntw, const flip_loc_t *loc)
{
	struct flip_floc *f = flip_floc_get(sw, ntw, loc, 1);

	if (f == NULL)
		return;
	f->released++;
	f->last = flip_port_now_ms();
	if (!f->granted) {
		f->granted = 1;
		f->released += sw->net[ntw].window - sw->net[ntw].ncredit;
	}
	if (f->released >= flip_release_threshold(&sw->net[ntw])) {
		flip_xmit(sw, ntw, loc->l_bytes, FC_CREDIT, f->released, NULL,
			  NULL, 0);
		f->released = 0;
	}
}

static void
flip_fc_input(struct flip_switch *sw, int ntw, const flip_loc_t *loc,
	      int type, int cnt)
{
	struct flip_floc *f = flip_floc_get(sw, ntw, loc, 1);

	if (f == NULL)
		return;
	f->last = flip_port_now_ms();
	switch (type) {
	case FC_DATA:
	case FC_CREDIT:
		f->mycredit += cnt;
		break;
	case FC_ABSCREDIT:
		/*
		 * The peer counted what reached it before our REQCREDIT;
		 * fragments sent since (on credits that crossed it) are not
		 * in that count.
		 */
		f->mycredit = cnt > f->sincereq ? cnt - f->sincereq : 0;
		f->reqout = 0;
		break;
	case FC_REQCREDIT:
		f->released = 0;
		flip_xmit(sw, ntw, loc->l_bytes, FC_ABSCREDIT,
			  f->granted ? sw->net[ntw].window :
			  sw->net[ntw].ncredit, NULL, NULL, 0);
		return;
	default:
		return;		/* experimental FAST_* types: unused */
	}
	if (f->mycredit > 255)
		f->mycredit = 255;
	flip_fc_pump(sw, f);
}

/* Parse and switch one FC_DATA packet; returns 1 if credit-controlled. */
static int
flip_data_input(struct flip_switch *sw, int ntw, const flip_loc_t *loc,
		const uint8_t *p, size_t len)
{
	struct flip_hdr h;
	int big;

	if (len < FLIP_HDR_SIZE)
		return 0;
	big = p[2] & FL_F_BIGENDIAN;
	if (flip_hdr_decode(p, &h) < 0 ||
	    h.fh_length > len - FLIP_HDR_SIZE ||
	    h.fh_offset > h.fh_total ||
	    h.fh_length > h.fh_total - h.fh_offset) {
		sw->st.rx_bad++;
		return 0;
	}
	if (!sw->net[ntw].trusted)
		h.fh_flags |= FL_F_UNSAFE;
	flip_sw_packet(sw, &h, p + FLIP_HDR_SIZE, big, ntw, loc);
	return p[1] == FL_T_UNIDATA && h.fh_total > sw->net[ntw].mtu;
}

void
flip_net_input(struct flip_switch *sw, int ntw, const uint8_t *frame,
	       size_t len)
{
	flip_loc_t loc;
	int fctype, cnt;

	if (ntw <= 0 || ntw >= FLIP_NNET || sw->net[ntw].ops == NULL)
		return;
	sw->st.rx_frames++;
	if (len < FLIP_ETH_HDR + FLIP_FC_SIZE ||
	    frame[12] != (FLIP_ETHERTYPE >> 8) ||
	    frame[13] != (FLIP_ETHERTYPE & 0xFF) || (frame[6] & 1)) {
		sw->st.rx_bad++;
		return;
	}
	memset(&loc, 0, sizeof(loc));
	memcpy(loc.l_bytes, frame + 6, 6);
	fctype = frame[14];
	cnt = frame[15];
	if (fctype >= FC_MCREQ && fctype <= FC_MCNAK) {
		flip_mc_input(sw, ntw, &loc, fctype, frame + 16, len - 16);
		return;
	}
	if (fctype != FC_DATA) {
		flip_fc_input(sw, ntw, &loc, fctype, cnt);
		return;
	}
	if (cnt)
		flip_fc_input(sw, ntw, &loc, FC_DATA, cnt);
	if (flip_data_input(sw, ntw, &loc, frame + 16, len - 16))
		flip_fc_released(sw, ntw, &loc);
}

/* Credit timer: ask for credits, give up on dead locations, forget idle. */
void
flip_fc_tick(struct flip_switch *sw)
{
	uint32_t now = flip_port_now_ms();
	struct flip_floc *f;
	int i;

	for (i = 0; i < FLIP_NFLOC; i++) {
		f = &sw->floc[i];
		if (!f->used || sw->net[f->ntw].ops == NULL)
			continue;
		if (f->q && f->waitsince &&
		    flip_after(now, f->waitsince + FLIP_CREDITTIMER)) {
			if (++f->trials > FLIP_MAXTRIAL) {
				flip_floc_free(f);
				continue;
			}
			f->waitsince = now | 1;
			flip_fc_ask(sw, f);
		}
		if (f->q == NULL && f->released == 0 &&
		    flip_after(now, f->last + FLIP_FC_IDLE))
			f->used = 0;
	}
}

void
flip_fc_fini(struct flip_switch *sw)
{
	int i;

	for (i = 0; i < FLIP_NFLOC; i++)
		if (sw->floc[i].used)
			flip_floc_free(&sw->floc[i]);
}
