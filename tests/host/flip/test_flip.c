/*
 * test_flip.c - FLIP on the simulated Ethernet: header byte orders,
 * locate/hereis, hop rules, fragmentation, NOTHERE, routing-table aging,
 * a two-NIC router, and credit flow control with queueing.
 */
#include <stdlib.h>
#include <string.h>
#include "flip/flip.h"
#include "flip/flip_wire.h"
#include "flip/flip_impl.h"
#include "flip/flip_port.h"
#include "tests/host/sim/sim.h"
#include "check.h"

struct node {
	struct flip_switch *sw;
	struct sim_nic nic[2];
	int ifno, ep, bep;
	flip_adr_t prv, pub;
	uint8_t *rx;			/* reassembly of the last message */
	uint32_t rxtotal, rxgot, rxfrags, rxmaxfrag, nmsgs;
	int nbounce, bounceflags;
};

static uint8_t rxlog[256];	/* first byte of dst of each fragment */
static int nrxlog;

static void
node_receive(void *ident, const uint8_t *data, const flip_adr_t *dst,
	     const flip_adr_t *src, uint32_t messid, uint32_t offset,
	     uint32_t length, uint32_t total, int flags)
{
	struct node *n = ident;

	(void)src, (void)messid, (void)flags;
	if (nrxlog < (int)sizeof(rxlog))
		rxlog[nrxlog++] = dst->a_abytes[0];
	if (offset == 0) {
		free(n->rx);
		n->rx = calloc(1, total + 1);
		n->rxtotal = total;
		n->rxgot = n->rxfrags = n->rxmaxfrag = 0;
	}
	if (n->rx == NULL || total != n->rxtotal || offset + length > total)
		return;
	memcpy(n->rx + offset, data, length);
	n->rxgot += length;
	n->rxfrags++;
	if (length > n->rxmaxfrag)
		n->rxmaxfrag = length;
	if (n->rxgot == total)
		n->nmsgs++;
}

static void
node_notdeliver(void *ident, const uint8_t *data, const flip_adr_t *dst,
		uint32_t messid, uint32_t offset, uint32_t length,
		uint32_t total, int flags)
{
	struct node *n = ident;

	(void)data, (void)dst, (void)messid, (void)offset, (void)length;
	(void)total;
	n->nbounce++;
	n->bounceflags = flags;
}

static struct node *
node_new(struct sim_seg *seg, uint8_t id)
{
	static const flip_adr_t null;
	struct node *n = calloc(1, sizeof(*n));
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0, id };

	n->sw = calloc(1, sizeof(*n->sw));
	flip_sw_init(n->sw, 0);
	sim_register_switch(n->sw);
	if (seg)
		sim_nic_attach(&n->nic[0], seg, n->sw, mac, 1);
	n->ifno = flip_init(n->sw, n, node_receive, node_notdeliver);
	flip_adr_random(&n->prv);
	n->ep = flip_register(n->sw, n->ifno, &n->prv);
	n->pub = *flip_ep_pub(n->sw, n->ep);
	n->bep = flip_register(n->sw, n->ifno, &null);
	return n;
}

static void
node_free(struct node *n)
{
	sim_nic_detach(&n->nic[0]);
	sim_nic_detach(&n->nic[1]);
	flip_sw_fini(n->sw);
	free(n->sw);
	free(n->rx);
	free(n);
}

static int
got_msgs(void *arg)
{
	struct node *n = arg;

	return n->nmsgs > 0;
}

static void
test_header(void)
{
	struct flip_hdr h, d;
	uint8_t w[40], be[40];

	memset(&h, 0, sizeof(h));
	h.fh_version = 1;
	h.fh_type = FL_T_UNIDATA;
	h.fh_flags = FL_F_SECURITY;
	h.fh_act_hop = 3;
	h.fh_max_hop = 25;
	memset(h.fh_dstaddr.a_abytes, 0xAA, 8);
	memset(h.fh_srcaddr.a_abytes, 0x55, 8);
	h.fh_messid = 0x01020304;
	h.fh_length = 1458;
	h.fh_offset = 2916;
	h.fh_total = 100000;
	flip_hdr_encode(&h, w);
	CHECK(w[2] == FL_F_SECURITY && w[4] == 3 && w[5] == 0 &&
	      w[24] == 0x04 && w[27] == 0x01, "header encodes little-endian");
	CHECK(flip_hdr_decode(w, &d) == 0 && memcmp(&d, &h, 40) == 0,
	      "little-endian header round trip");
	memcpy(be, w, 40);
	be[2] |= FL_F_BIGENDIAN;
	be[4] = 0; be[5] = 3; be[6] = 0; be[7] = 25;
	be[24] = 1; be[25] = 2; be[26] = 3; be[27] = 4;
	be[28] = 0; be[29] = 0; be[30] = 0x05; be[31] = 0xB2;
	be[32] = 0; be[33] = 0; be[34] = 0x0B; be[35] = 0x64;
	be[36] = 0; be[37] = 0x01; be[38] = 0x86; be[39] = 0xA0;
	CHECK(flip_hdr_decode(be, &d) == 0 && memcmp(&d, &h, 40) == 0,
	      "big-endian header is swapped and its flag cleared");
	w[0] = 2;
	CHECK(flip_hdr_decode(w, &d) < 0, "wrong version rejected");
}

static void
test_locate_frag(void)
{
	struct sim_seg seg;
	struct node *a, *b;
	uint8_t *big = malloc(100000);
	uint32_t t0, i;
	int ok;

	sim_reset();
	sim_seg_init(&seg);
	a = node_new(&seg, 1);
	b = node_new(&seg, 2);
	t0 = flip_port_now_ms();
	CHECK(flip_unicast(a->sw, a->ifno, "hi", 3, 0, &b->pub, a->ep, 0) ==
	      FLIP_TIMEOUT, "unknown route with ltime 0 -> FLIP_TIMEOUT");
	CHECK(flip_unicast(a->sw, a->ifno, "hello", 6, 0, &b->pub, a->ep,
			   1000) == FLIP_OK, "unicast to unknown address queued");
	ok = sim_run(1000, 10, got_msgs, b);
	CHECK(ok && strcmp((char *)b->rx, "hello") == 0,
	      "locate + HEREIS, then the message arrives");
	CHECK(a->sw->st.locates_sent == 3,
	      "third locate (hop 3) reaches the LAN");
	CHECK(flip_port_now_ms() - t0 >= 200 && flip_port_now_ms() - t0 < 300,
	      "locate took about 200 ms");
	CHECK(flip_rt_best(b->sw, &a->pub, 25, -1, 0, NULL) >= 0,
	      "B learned a route to A from the LOCATE");
	{
		int r = flip_rt_best(a->sw, &b->pub, 25, -1, 0, NULL);

		CHECK(r >= 0 && a->sw->rt[r].hop == 3 && a->sw->rt[r].ntw == 1,
		      "A's route to B: network 1, hop 3");
	}

	for (i = 0; i < 100000; i++)
		big[i] = (uint8_t)(i * 7 + i / 256);
	b->nmsgs = 0;
	flip_unicast(a->sw, a->ifno, big, 100000, 0, &b->pub, a->ep, 1000);
	ok = sim_run(5000, 10, got_msgs, b);
	CHECK(ok && b->rxtotal == 100000 && memcmp(b->rx, big, 100000) == 0,
	      "100000-byte message fragmented and reassembled");
	CHECK(b->rxfrags == (100000 + 1457) / 1458 && b->rxmaxfrag == 1458,
	      "69 fragments of at most 1458 bytes");
	CHECK(a->sw->st.fc_queued > 0, "multi-fragment send was credit-queued");
	CHECK(b->nic[0].maxq <= 8 + 1,
	      "never more than NCREDIT=8 data frames in flight (+ REQCREDIT)");

	/* Local delivery: A to itself, no frame on the wire. */
	{
		uint32_t sent = seg.sent;

		a->nmsgs = 0;
		flip_unicast(a->sw, a->ifno, "self", 5, 0, &a->pub, a->ep, 100);
		CHECK(a->nmsgs == 1 && strcmp((char *)a->rx, "self") == 0 &&
		      seg.sent == sent, "local delivery without the network");
	}

	/* NOTHERE: B's endpoint goes away; A's route is stale. */
	flip_unregister(b->sw, b->ifno, b->ep);
	flip_unicast(a->sw, a->ifno, "stale", 6, 0, &b->pub, a->ep, 1000);
	sim_flush();
	CHECK(a->nbounce == 1 && (a->bounceflags & FLIP_NOTHERE),
	      "stale route -> NOTHERE -> notdeliver upcall");
	CHECK(flip_rt_best(a->sw, &b->pub, 25, -1, 0, NULL) < 0,
	      "NOTHERE removed the stale route");
	CHECK(b->sw->st.nothere == 1, "B bounced it");

	/* Locate of a vanished address gives up after its budget. */
	a->nbounce = 0;
	flip_unicast(a->sw, a->ifno, "gone", 5, 0, &b->pub, a->ep, 500);
	sim_run(1000, 10, NULL, NULL);
	CHECK(a->nbounce == 1 && a->bounceflags == 0,
	      "locate timeout -> notdeliver with flags 0");
	node_free(a);
	node_free(b);
	free(big);
	sim_reset();
}

/* Raw frame from a fake station into sw. */
static void
inject(struct node *n, int type, int act, int max, const flip_adr_t *dst,
       const flip_adr_t *src, const void *data, uint32_t len)
{
	uint8_t f[1514];
	struct flip_hdr h;
	size_t flen = 16 + 40 + len;

	memset(f, 0, sizeof(f));
	memcpy(f, n->nic[0].mac, 6);
	f[6] = 0x02; f[11] = 0x99;
	f[12] = 0x81; f[13] = 0x46;
	memset(&h, 0, sizeof(h));
	h.fh_version = 1;
	h.fh_type = type;
	h.fh_act_hop = act;
	h.fh_max_hop = max;
	h.fh_dstaddr = *dst;
	h.fh_srcaddr = *src;
	h.fh_messid = (uint32_t)sim_rand64();
	h.fh_length = h.fh_total = len;
	flip_hdr_encode(&h, f + 16);
	memcpy(f + 56, data, len);
	flip_net_input(n->sw, n->nic[0].ntw, f, flen < 60 ? 60 : flen);
}

/* Rewrite the little-endian FLIP header of frame f as big-endian. */
static void
make_big(uint8_t *f)
{
	uint8_t *h = f + 16, t;
	int i, j;
	static const int off[] = { 4, 6 }, off4[] = { 24, 28, 32, 36 };

	h[2] |= FL_F_BIGENDIAN;
	for (i = 0; i < 2; i++) {
		t = h[off[i]];
		h[off[i]] = h[off[i] + 1];
		h[off[i] + 1] = t;
	}
	for (i = 0; i < 4; i++)
		for (j = 0; j < 2; j++) {
			t = h[off4[i] + j];
			h[off4[i] + j] = h[off4[i] + 3 - j];
			h[off4[i] + 3 - j] = t;
		}
}

/* A big-endian sender's UNIDATA and HEREIS go through the switch. */
static void
test_bigendian(struct node *b)
{
	uint8_t f[128];
	struct flip_hdr h;
	flip_adr_t src, x;
	int r;

	flip_adr_random(&src);
	memset(f, 0, sizeof(f));
	memcpy(f, b->nic[0].mac, 6);
	f[6] = 0x02; f[11] = 0x77; f[12] = 0x81; f[13] = 0x46;
	memset(&h, 0, sizeof(h));
	h.fh_version = 1;
	h.fh_type = FL_T_UNIDATA;
	h.fh_act_hop = 3;
	h.fh_max_hop = 25;
	h.fh_dstaddr = b->pub;
	h.fh_srcaddr = src;
	h.fh_messid = 0x01020304;
	h.fh_length = h.fh_total = 6;
	flip_hdr_encode(&h, f + 16);
	memcpy(f + 56, "bigE!", 6);
	make_big(f);
	b->nmsgs = 0;
	flip_net_input(b->sw, b->nic[0].ntw, f, 62);
	CHECK(b->nmsgs == 1 && b->rxtotal == 6 && strcmp((char *)b->rx,
	      "bigE!") == 0, "big-endian sender's UNIDATA delivered");
	flip_adr_random(&x);
	h.fh_type = FL_T_HEREIS;
	h.fh_dstaddr = x;
	h.fh_act_hop = 0;
	h.fh_max_hop = 3;
	h.fh_length = h.fh_total = 4;
	flip_hdr_encode(&h, f + 16);
	f[56] = 0; f[57] = 2; f[58] = 0; f[59] = 1;	/* counts 2, 1 BE */
	make_big(f);
	flip_net_input(b->sw, b->nic[0].ntw, f, 60);
	r = flip_rt_find(b->sw, &x, b->nic[0].ntw, NULL);
	CHECK(r >= 0 && b->sw->rt[r].count == 2 && b->sw->rt[r].tcount == 1 &&
	      b->sw->rt[r].hop == 3, "big-endian HEREIS counts swapped");
}

static void
test_hops(void)
{
	struct sim_seg seg;
	struct node *b;
	flip_adr_t src;
	uint32_t drops;

	sim_reset();
	sim_seg_init(&seg);
	b = node_new(&seg, 2);
	flip_adr_random(&src);
	inject(b, FL_T_UNIDATA, 3, 25, &b->pub, &src, "ok", 3);
	CHECK(b->nmsgs == 1, "UNIDATA act 3 <= max 25 delivered");
	drops = b->sw->st.dropped_hop;
	inject(b, FL_T_UNIDATA, 26, 25, &b->pub, &src, "no", 3);
	CHECK(b->nmsgs == 1 && b->sw->st.dropped_hop == drops + 1,
	      "act_hop > max_hop dropped");
	inject(b, FL_T_UNIDATA, 3, 26, &b->pub, &src, "no", 3);
	CHECK(b->nmsgs == 1 && b->sw->st.dropped_hop == drops + 2,
	      "non-LOCATE with max_hop > max_hops dropped");
	inject(b, FL_T_LOCATE, 3, 26, &b->pub, &src, "", 0);
	CHECK(b->sw->st.dropped_hop == drops + 2 && sim_pending() == 0 &&
	      seg.sent == 1, "invalidating LOCATE (max 26) accepted, HEREIS sent");
	sim_flush();
	test_bigendian(b);
	node_free(b);
	sim_reset();
}

static void
test_aging(void)
{
	struct node *a;
	flip_adr_t x;
	flip_loc_t loc;
	int i, left = 0;

	sim_reset();
	a = node_new(NULL, 1);
	memset(&loc, 0, sizeof(loc));
	for (i = 0; i < 500; i++) {
		flip_adr_random(&x);
		loc.l_bytes[5] = i;
		flip_rt_install(a->sw, &x, 1, &loc, 3, 1, 1, 0);
	}
	sim_run(FLIP_RT_SWEEP + 10, 10, NULL, NULL);
	CHECK(a->sw->st.routes_aged == 0,
	      "first sweep: routes installed since the last one all stay");
	sim_run(FLIP_RT_SWEEP, 10, NULL, NULL);
	for (i = 0; i < FLIP_NROUTE; i++)
		left += a->sw->rt[i].used;
	CHECK(a->sw->st.routes_aged >= 400 && left < 100,
	      "next sweep drops idle remote routes when 3/4 full");
	CHECK(flip_rt_is_local(a->sw, &a->pub), "local route never aged");
	node_free(a);
	sim_reset();
}

/* A full table: the least recently installed record makes room; pinned
 * addresses and local records never go. */
static void
test_route_lru(void)
{
	struct node *a;
	flip_adr_t first, pinned, x;
	flip_loc_t loc;
	int i, nroutes = 0;

	sim_reset();
	a = node_new(NULL, 1);
	memset(&loc, 0, sizeof(loc));
	flip_adr_random(&pinned);
	flip_rt_install(a->sw, &pinned, 1, &loc, 3, 1, 1, 0);
	flip_rt_pin(a->sw, &pinned);
	flip_adr_random(&first);
	sim_advance(1);
	flip_rt_install(a->sw, &first, 1, &loc, 3, 1, 1, 0);
	for (i = 0; i < 3 * FLIP_NROUTE; i++) {	/* a flood of new sources */
		sim_advance(1);
		flip_adr_random(&x);
		loc.l_bytes[5] = (uint8_t)i;
		flip_rt_install(a->sw, &x, 1, &loc, 3, 1, 1, 0);
	}
	for (i = 0; i < FLIP_NROUTE; i++)
		nroutes += a->sw->rt[i].used;
	CHECK(nroutes == FLIP_NROUTE && flip_rt_first(a->sw, &x) >= 0,
	      "full table keeps taking new sources");
	CHECK(flip_rt_first(a->sw, &first) < 0,
	      "the least recently installed record made room");
	CHECK(flip_rt_first(a->sw, &pinned) >= 0 &&
	      flip_rt_is_local(a->sw, &a->pub),
	      "a pinned address and the local record stay");
	flip_rt_unpin(a->sw, &pinned);
	for (i = 0; i < FLIP_NROUTE; i++) {
		sim_advance(1);
		flip_adr_random(&x);
		flip_rt_install(a->sw, &x, 1, &loc, 3, 1, 1, 0);
	}
	CHECK(flip_rt_first(a->sw, &pinned) < 0, "unpinned, it may go");
	node_free(a);
	sim_reset();
}

static void
test_router(void)
{
	struct sim_seg s1, s2;
	struct node *a, *r, *b;
	uint8_t mac[6] = { 0x02, 0, 0, 0, 1, 0x10 };
	int ok;

	sim_reset();
	sim_seg_init(&s1);
	sim_seg_init(&s2);
	a = node_new(&s1, 1);
	r = node_new(&s1, 3);
	b = node_new(&s2, 2);
	CHECK(sim_nic_attach(&r->nic[1], &s2, r->sw, mac, 1) == 2,
	      "router has a second network");
	flip_unicast(a->sw, a->ifno, "via R", 6, FLIP_SECURITY, &b->pub,
		     a->ep, 2000);
	ok = sim_run(2000, 10, got_msgs, b);
	CHECK(ok && strcmp((char *)b->rx, "via R") == 0,
	      "two-NIC node routes between segments");
	{
		int i = flip_rt_best(a->sw, &b->pub, 25, -1, 0, NULL);

		CHECK(i >= 0 && a->sw->rt[i].hop == 6,
		      "route over the router costs hop 6");
	}
	a->nmsgs = 0;
	flip_unicast(b->sw, b->ifno, "back", 5, 0, &a->pub, b->ep, 2000);
	ok = sim_run(2000, 10, got_msgs, a);
	CHECK(ok && strcmp((char *)a->rx, "back") == 0, "and back");
	node_free(a);
	node_free(r);
	node_free(b);
	sim_reset();
}

static int drop_credits;

static int
credit_tap(struct sim_seg *seg, struct sim_nic *from, const uint8_t *f,
	   size_t len)
{
	(void)seg, (void)from, (void)len;
	if (drop_credits > 0 &&
	    (f[14] == FC_CREDIT || f[14] == FC_ABSCREDIT)) {
		drop_credits--;
		return 0;
	}
	return 1;
}

static void
test_credit(void)
{
	struct sim_seg seg;
	struct node *a, *b;
	uint8_t *big = malloc(50000);
	int ok;

	sim_reset();
	sim_seg_init(&seg);
	seg.tap = credit_tap;
	a = node_new(&seg, 1);
	b = node_new(&seg, 2);
	memset(big, 0x5A, 50000);
	drop_credits = 1000;
	flip_unicast(a->sw, a->ifno, big, 50000, 0, &b->pub, a->ep, 1000);
	sim_run(1000, 10, NULL, NULL);
	CHECK(b->nmsgs == 0 && b->rxfrags == 8,
	      "without credits only NCREDIT fragments leave");
	drop_credits = 0;
	ok = sim_run(10000, 10, got_msgs, b);
	CHECK(ok && a->sw->st.fc_reqcredit >= 1,
	      "sender asks with REQCREDIT and resumes on ABSCREDIT");
	CHECK(b->rxtotal == 50000 && b->rx[49999] == 0x5A, "message complete");
	node_free(a);
	node_free(b);
	free(big);
	sim_reset();
}

/* An Amoeba 5.3-like receiver that returns credits only when asked. */
static int
askonly_tap(struct sim_seg *seg, struct sim_nic *from, const uint8_t *f,
	    size_t len)
{
	(void)seg, (void)from, (void)len;
	return f[14] != FC_CREDIT;
}

/*
 * 1 MiB to a peer that grants credits only when asked: the sender asks
 * as soon as its credits run out, so the time is bounded by the frames
 * (in the simulation: no time at all), not by CREDITTIMER per window.
 */
static void
test_credit_askonly(void)
{
	struct sim_seg seg;
	struct node *a, *b;
	uint8_t *big = malloc(1 << 20);
	uint32_t t0;
	int ok;

	sim_reset();
	sim_seg_init(&seg);
	seg.tap = askonly_tap;
	sim_nrcv = 20;				/* NCREDIT = 20 / 4 = 5 */
	a = node_new(&seg, 1);
	b = node_new(&seg, 2);
	sim_nrcv = 0;
	memset(big, 0xA5, 1 << 20);
	t0 = flip_port_now_ms();
	flip_unicast(a->sw, a->ifno, big, 1 << 20, 0, &b->pub, a->ep, 1000);
	ok = sim_run(FLIP_CREDITTIMER * 10, 10, got_msgs, b);
	CHECK(ok && b->rxtotal == (1 << 20) && b->rx[(1 << 20) - 1] == 0xA5 &&
	      flip_port_now_ms() - t0 < FLIP_CREDITTIMER,
	      "credits granted only when asked: 1 MiB without a timer wait "
	      "(the time is the first locate's)");
	CHECK(a->sw->st.fc_reqcredit >= (1 << 20) / 1458 / FLIP_WINDOW_MAX,
	      "... a REQCREDIT whenever the credits ran out");
	node_free(a);
	node_free(b);
	free(big);
	sim_reset();
}

static int
release_tap(struct sim_seg *seg, struct sim_nic *from, const uint8_t *f,
	    size_t len)
{
	(void)seg, (void)from, (void)len;
	return !((f[14] == FC_CREDIT && f[15] < FLIP_WINDOW_MAX - 8) ||
		 f[14] == FC_ABSCREDIT);
}

/*
 * A receiver with 256 buffers grants a 64-fragment window: every sender
 * starts with NCREDIT (8), the first fragment brings the other 56 as one
 * FC_CREDIT; with the later (release) credits and the answers to the
 * sender's credit requests lost, 8 + 57 get through.
 */
static void
test_window(void)
{
	struct sim_seg seg;
	struct node *a, *b;
	uint8_t *big = malloc(200000);
	int ok;

	sim_reset();
	sim_seg_init(&seg);
	seg.tap = release_tap;
	a = node_new(&seg, 1);
	sim_nrcv = 256;
	b = node_new(&seg, 2);
	sim_nrcv = 0;
	memset(big, 0x5B, 200000);
	flip_unicast(a->sw, a->ifno, big, 200000, 0, &b->pub, a->ep, 1000);
	sim_run(1000, 10, NULL, NULL);
	CHECK(b->nmsgs == 0 && b->rxfrags == 8 + 57,
	      "receiver with 256 buffers grants a 64-fragment window");
	seg.tap = NULL;
	ok = sim_run(20000, 10, got_msgs, b);
	CHECK(ok && b->rxtotal == 200000 && b->rx[199999] == 0x5B,
	      "... and the message completes once credits flow again");
	node_free(a);
	node_free(b);
	free(big);
	sim_reset();
}

static void
test_untrusted(void)
{
	struct sim_seg seg;
	struct node *a, *b;
	uint8_t m1[6] = { 2, 0, 0, 0, 0, 1 }, m2[6] = { 2, 0, 0, 0, 0, 2 };
	int ok;

	sim_reset();
	sim_seg_init(&seg);
	a = node_new(NULL, 1);
	b = node_new(NULL, 2);
	sim_nic_attach(&a->nic[0], &seg, a->sw, m1, 0);
	sim_nic_attach(&b->nic[0], &seg, b->sw, m2, 0);
	flip_unicast(a->sw, a->ifno, "open", 5, 0, &b->pub, a->ep, 1000);
	ok = sim_run(1000, 10, got_msgs, b);
	CHECK(ok && strcmp((char *)b->rx, "open") == 0,
	      "without FLIP_SECURITY an untrusted network is used");
	flip_unicast(a->sw, a->ifno, "secret", 7, FLIP_SECURITY, &b->pub,
		     a->ep, 1000);
	b->nmsgs = 0;
	sim_run(3000, 10, NULL, NULL);
	CHECK(b->nmsgs == 0 && a->nbounce == 1 &&
	      (a->bounceflags & FLIP_UNTRUSTED),
	      "FLIP_SECURITY over an untrusted network -> FLIP_UNTRUSTED");
	node_free(a);
	node_free(b);
	sim_reset();
}

static void
test_multicast(void)
{
	struct sim_seg seg;
	struct node *a, *b, *c;
	flip_adr_t g, gpub;
	int ok;

	sim_reset();
	sim_seg_init(&seg);
	a = node_new(&seg, 1);
	b = node_new(&seg, 2);
	c = node_new(&seg, 3);
	flip_adr_random(&g);
	flip_oneway(&g, &gpub);
	flip_register(b->sw, b->ifno, &g);
	flip_register(c->sw, c->ifno, &g);
	CHECK(flip_multicast(a->sw, a->ifno, "group", 6, 0, &gpub, a->ep, 2,
			     0) == FLIP_TIMEOUT,
	      "multicast to an unknown group with ltime 0 -> FLIP_TIMEOUT");
	flip_multicast(a->sw, a->ifno, "group", 6, 0, &gpub, a->ep, 2, 2000);
	ok = sim_run(2000, 10, got_msgs, c);
	sim_flush();
	CHECK(ok && b->nmsgs == 1 && c->nmsgs == 1 &&
	      strcmp((char *)b->rx, "group") == 0,
	      "multicast waits for 2 members, then reaches both");
	node_free(a);
	node_free(b);
	node_free(c);
	sim_reset();
}

static int mc_frames, uc_frames;

static int
mc_tap(struct sim_seg *seg, struct sim_nic *from, const uint8_t *f,
       size_t len)
{
	(void)seg, (void)len;
	if (from->mac[5] == 1 && f[14] == FC_DATA && f[17] == FL_T_MULTIDATA)
		(f[0] == 0x55 ? mc_frames++ : uc_frames++);
	return 1;
}

/* Hardware multicast: MCREQ/MCACK, then one frame to 55:55:...; a NIC
 * that cannot listen (MCNAK) gets per-location copies again. */
static void
test_hwmcast(void)
{
	struct sim_seg seg;
	struct node *a, *b, *c;
	flip_adr_t g, gpub;

	sim_reset();
	sim_seg_init(&seg);
	seg.tap = mc_tap;
	a = node_new(&seg, 1);
	b = node_new(&seg, 2);
	c = node_new(&seg, 3);
	flip_adr_random(&g);
	flip_oneway(&g, &gpub);
	flip_register(b->sw, b->ifno, &g);
	flip_register(c->sw, c->ifno, &g);
	flip_multicast(a->sw, a->ifno, "one", 4, 0, &gpub, a->ep, 2, 2000);
	sim_run(2000, 10, got_msgs, c);
	sim_flush();
	CHECK(b->nmsgs == 1 && c->nmsgs == 1 && uc_frames == 2,
	      "first multicast: a copy per location, plus MCREQs");
	mc_frames = uc_frames = 0;
	flip_multicast(a->sw, a->ifno, "two", 4, 0, &gpub, a->ep, 2, 2000);
	sim_flush();
	CHECK(b->nmsgs == 2 && c->nmsgs == 2 && mc_frames == 1 &&
	      uc_frames == 0 && strcmp((char *)c->rx, "two") == 0,
	      "after MCACKs: one frame to the group's multicast MAC");
	node_free(c);
	c = node_new(&seg, 4);
	c->nic[0].nomcast = 1;
	flip_register(c->sw, c->ifno, &g);
	flip_multicast(a->sw, a->ifno, "3", 2, FLIP_INVAL, &gpub, a->ep, 2,
		       2000);
	sim_run(2000, 10, got_msgs, c);
	mc_frames = uc_frames = 0;
	flip_multicast(a->sw, a->ifno, "4", 2, 0, &gpub, a->ep, 2, 2000);
	sim_flush();
	CHECK(c->nmsgs == 2 && mc_frames == 0 && uc_frames == 2,
	      "a member that cannot listen (MCNAK) -> per-location copies");
	node_free(a);
	node_free(b);
	node_free(c);
	sim_reset();
}

static void
test_fair(void)
{
	struct sim_seg seg;
	struct node *a, *b;
	flip_adr_t p2, pub2;
	uint8_t *big = calloc(1, 20000);
	int i, alternations = 0;

	sim_reset();
	sim_seg_init(&seg);
	a = node_new(&seg, 1);
	b = node_new(&seg, 2);
	flip_adr_random(&p2);
	flip_register(b->sw, b->ifno, &p2);
	flip_oneway(&p2, &pub2);
	flip_unicast(a->sw, a->ifno, "x", 2, 0, &b->pub, a->ep, 1000);
	flip_unicast(a->sw, a->ifno, "y", 2, 0, &pub2, a->ep, 1000);
	sim_run(1000, 10, NULL, NULL);
	nrxlog = 0;
	flip_unicast(a->sw, a->ifno, big, 20000, 0, &b->pub, a->ep, 1000);
	flip_unicast(a->sw, a->ifno, big, 20000, 0, &pub2, a->ep, 1000);
	sim_run(3000, 10, NULL, NULL);
	/* 8 fragments of the first leave at once (credits); then the two
	 * addresses alternate until the first message is done. */
	for (i = 9; i < 20; i++)
		alternations += rxlog[i] != rxlog[i - 1];
	CHECK(nrxlog == 2 * 14 && alternations == 11,
	      "credit queue serves two destination addresses round-robin");
	node_free(a);
	node_free(b);
	free(big);
	sim_reset();
}

int
main(void)
{
	sim_seed(12345);
	test_header();
	test_locate_frag();
	test_hops();
	test_aging();
	test_route_lru();
	test_router();
	test_credit();
	test_credit_askonly();
	test_window();
	test_untrusted();
	test_multicast();
	test_hwmcast();
	test_fair();
	CHECK(sim_allocs() == 0, "no leaked packet memory");
	return TEST_DONE();
}
