/*
 * test_grp.c - Amoeba group communication over simulated FLIP nodes:
 * the bchdr in both byte orders, joining 3-5 members, total order of
 * concurrent senders, the PB and BB methods, 10 % frame loss, history
 * flow control, resilience r = 1 and 2 across crashes, a sequencer
 * crash and grp_reset, leaving (the sequencer too, and the last
 * member), and bad input.  The oracle: every surviving member's log of
 * delivered messages is the same sequence with no message twice, and
 * every message delivered anywhere before a crash is still in it.
 */
#include <stdio.h>
#include "check.h"
#include "grp_harness.h"

static struct sim_seg seg;

/* ---- oracle ----------------------------------------------------------------- */

/* The data messages of a log (joins, leaves and resets left out). */
static int
data_of(const struct gh_node *n, uint64_t *out)
{
	int i, k = 0;

	for (i = 0; i < n->nlog; i++)
		if ((n->log[i] >> 32) == GH_DATA)
			out[k++] = n->log[i];
	return k;
}

/* No entry twice in a log. */
static int
no_dups(const uint64_t *a, int n)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (a[i] == a[j])
				return 0;
	return 1;
}

/* Every live member's data log equals node ref's, without duplicates. */
static int
same_order(int ref, int expect)
{
	static uint64_t a[GH_MAXLOG], b[GH_MAXLOG];
	int na = data_of(gh_nodes[ref], a), nb, i;

	if ((expect >= 0 && na != expect) || !no_dups(a, na))
		return 0;
	for (i = 0; i < gh_n; i++) {
		if (gh_nodes[i]->dead || gh_nodes[i]->gid < 0)
			continue;
		nb = data_of(gh_nodes[i], b);
		if (nb != na || memcmp(a, b, na * sizeof(a[0])) != 0 ||
		    gh_nodes[i]->badbody)
			return 0;
	}
	return 1;
}

/* Messages of each sender in the order it sent them. */
static int
fifo_per_sender(int ref)
{
	static uint64_t a[GH_MAXLOG];
	int n = data_of(gh_nodes[ref], a), i;
	int32_t last[GH_MAX];

	for (i = 0; i < GH_MAX; i++)
		last[i] = -1;
	for (i = 0; i < n; i++) {
		uint32_t off = (uint32_t)a[i], id = off >> 20;

		if (id >= GH_MAX || (int32_t)(off & 0xfffff) <= last[id])
			return 0;
		last[id] = off & 0xfffff;
	}
	return 1;
}

/* Is x in log a[0..n)? */
static int
__attribute__((unused)) in_log(const uint64_t *a, int n, uint64_t x)
{
	int i;

	for (i = 0; i < n; i++)
		if (a[i] == x)
			return 1;
	return 0;
}

/* Everything `from` delivered is in ref's log, in the same order. */
static int
__attribute__((unused)) log_contains(int ref, const uint64_t *from, int nfrom)
{
	static uint64_t a[GH_MAXLOG];
	int n = data_of(gh_nodes[ref], a), i, j = 0;

	for (i = 0; i < nfrom; i++) {
		while (j < n && a[j] != from[i])
			j++;
		if (j == n)
			return 0;
	}
	return 1;
}

/* ---- conditions ------------------------------------------------------------- */

static int
all_joined(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < gh_n; i++)
		if (gh_nodes[i]->joining)
			return 0;
	return 1;
}

static int
all_sent(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < gh_n; i++)
		if (!gh_nodes[i]->dead && gh_nodes[i]->gid >= 0 &&
		    (gh_nodes[i]->tosend > 0 || gh_nodes[i]->sending))
			return 0;
	return 1;
}

/* Every live member delivered *arg data messages. */
static int
all_delivered(void *arg)
{
	static uint64_t a[GH_MAXLOG];
	int i, want = *(int *)arg;

	for (i = 0; i < gh_n; i++)
		if (!gh_nodes[i]->dead && gh_nodes[i]->gid >= 0 &&
		    data_of(gh_nodes[i], a) < want)
			return 0;
	return 1;
}

static int
__attribute__((unused)) all_aborted(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < gh_n; i++)
		if (!gh_nodes[i]->dead && gh_nodes[i]->gid >= 0 &&
		    !gh_nodes[i]->aborted)
			return 0;
	return 1;
}

/* Every live member's group has *arg members. */
static int
all_know(void *arg)
{
	int i;

	for (i = 0; i < gh_n; i++)
		if (!gh_nodes[i]->dead && gh_group(gh_nodes[i]) &&
		    gh_group(gh_nodes[i])->total != *(int *)arg)
			return 0;
	return 1;
}

/* ---- scenarios ---------------------------------------------------------------- */

/* A group of n members on a fresh segment: node 0 creates, the rest join. */
static int
group_of(int n, const char *name, int r, int lognbuf, int logmaxmess)
{
	int i, ok;

	sim_reset();
	sim_seg_init(&seg);
	for (i = 0; i < n; i++)
		gh_node_new(&seg);
	if (gh_create(gh_nodes[0], name, r, 8, lognbuf, logmaxmess) < 0)
		return 0;
	for (i = 1; i < n; i++) {
		gh_join(gh_nodes[i], name);
		if (!gh_wait(gh_joined, gh_nodes[i], 20000))
			return 0;
	}
	ok = all_joined(NULL);
	for (i = 0; i < n; i++)
		ok &= gh_nodes[i]->gid >= 0;
	return ok;
}

static void
set_timers(int sync, int reply, int alive)
{
	int i;

	for (i = 0; i < gh_n; i++)
		gh_timers(gh_nodes[i], sync, reply, alive);
}

static void
send_all(int nmsg, uint32_t size)
{
	int i;

	for (i = 0; i < gh_n; i++) {
		gh_nodes[i]->tosend += nmsg;
		gh_nodes[i]->size = size;
	}
}

static void
test_wire(void)
{
	struct grp_bchdr b, d;
	struct grp_hereis h, hd;
	uint8_t w[GRP_HEREIS_SIZE], be[GRP_BCHDR_SIZE] = {
		GRP_T_BCAST, GRP_F_BIGENDIAN, 0, 0, 0x01, 0x02, 0x00, 0x07,
		0x10, 0x20, 0x30, 0x40, 0, 0, 0, 9, 0xaa, 0xbb, 0xcc, 0xdd };

	memset(&b, 0, sizeof(b));
	b.b_type = GRP_T_BCASTREQ;
	b.b_cpu = 3;
	b.b_incarnation = 0x1234;
	b.b_seqno = 0x01020304;
	b.b_messid = 77;
	b.b_expect = 0xdeadbeef;
	grp_bc_encode(&b, w);
	CHECK(w[0] == GRP_T_BCASTREQ && w[1] == 0 && w[4] == 3 && w[5] == 0 &&
	      w[6] == 0x34 && w[8] == 0x04 && w[11] == 0x01 && w[16] == 0xef,
	      "bchdr: 20 bytes little-endian, F_BIGENDIAN clear");
	CHECK(grp_bc_decode(w, &d) == 0 && memcmp(&b, &d, sizeof(b)) == 0,
	      "bchdr round trip");
	CHECK(grp_bc_decode(be, &d) == 1 && d.b_type == GRP_T_BCAST &&
	      d.b_cpu == 0x0102 && d.b_incarnation == 7 &&
	      d.b_seqno == 0x10203040 && d.b_messid == 9 &&
	      d.b_expect == 0xaabbccdd,
	      "bchdr from a big-endian sender is swapped");
	memset(&h, 0, sizeof(h));
	h.maxgroup = 8;
	h.lognbuf = 7;
	h.logmaxmess = 17;
	h.resilience = 2;
	h.large = GRP_BCLARGE;
	h.newidx = 5;
	h.seqidx = 1;
	h.gaddr.a_abytes[0] = 0x42;
	h.alladdr.a_abytes[6] = 0x43;
	grp_hereis_encode(&h, w);
	grp_hereis_decode(w, &hd, 0);
	CHECK(memcmp(&h, &hd, sizeof(h)) == 0 && w[0] == 8 && w[8] == 0x10 &&
	      w[9] == 0x27, "HEREIS payload: 32 bytes, round trip");
	CHECK(GRP_LOCATE_SIZE == 72, "group LOCATE is 4 + 20 + 32 + 8 + 8");
}

static void
test_join(void)
{
	struct grp_state st;
	uint32_t ids[8];
	int i, ok = 1, ids_ok = 1, five = 5;
	uint32_t seen = 0;

	CHECK(group_of(5, "grpjn5", 0, 6, 12), "5 members: 1 creates, 4 join");
	CHECK(gh_wait(all_know, &five, 5000), "every member learns of all 5");
	for (i = 0; i < 5; i++) {
		ok &= grp_info(&gh_nodes[i]->gn, gh_nodes[i], gh_nodes[i]->gid,
			       NULL, &st, ids, 8) == STD_OK && st.st_total == 5 &&
		      st.st_seqid == 0;
		ids_ok &= !(seen & (1u << st.st_myid));
		seen |= 1u << st.st_myid;
	}
	CHECK(ok, "grp_info: every member sees 5 members, sequencer 0");
	CHECK(ids_ok && seen == 0x1f, "member ids 0..4, all different");
	CHECK(gh_nodes[0]->nlog == 4 && gh_nodes[1]->nlog == 3 &&
	      gh_nodes[4]->nlog == 0 &&
	      gh_nodes[0]->log[0] == ((uint64_t)GH_JOIN << 32 | 1u << 20),
	      "the JOIN header is delivered to the members already there");
	gh_free_all();
	CHECK(group_of(3, "grpjn3", 1, 5, 10), "3 members (r = 1)");
	gh_free_all();
}

static void
test_order(void)
{
	int want = 4 * 60;

	CHECK(group_of(4, "grpord", 0, 7, 12), "4 members for the order test");
	send_all(60, 100);
	CHECK(gh_wait(all_delivered, &want, 60000) && all_sent(NULL),
	      "4 concurrent senders x 60: all delivered everywhere");
	CHECK(same_order(0, want),
	      "same sequence on every member, each message once, bodies intact");
	CHECK(fifo_per_sender(0), "each sender's messages in its send order");
	CHECK(gh_nodes[0]->gn.st.ordered >= (uint32_t)want &&
	      gh_nodes[1]->gn.st.bb == 0, "small messages go PB");
	gh_free_all();
}

static void
test_bb(void)
{
	int want = 3 * 12, i;

	CHECK(group_of(3, "grpbb", 0, 6, 15), "3 members, 32 KiB messages");
	for (i = 0; i < 3; i++) {
		gh_nodes[i]->tosend = 12;
		gh_nodes[i]->size = i == 0 ? 500 : 20000;
	}
	CHECK(gh_wait(all_delivered, &want, 60000),
	      "PB (500 B) and BB (20000 B) senders: all delivered");
	CHECK(same_order(0, want), "BB/PB mix: same order, bodies intact");
	printf("# BB requests buffered: %u %u %u\n", gh_nodes[0]->gn.st.bb,
	       gh_nodes[1]->gn.st.bb, gh_nodes[2]->gn.st.bb);
	CHECK(gh_nodes[1]->gn.st.bb >= 10 && gh_nodes[2]->gn.st.bb >= 10,
	      "large messages went BB (multicast to g_addr_all, short accept)");
	gh_free_all();
}

static void
test_loss(void)
{
	int want = 4 * 40, i;
	uint32_t rq = 0;

	CHECK(group_of(4, "grplos", 0, 7, 14), "4 members for the loss test");
	set_timers(300, 500, 5000);
	seg.loss_permille = 100;
	send_all(40, 1000);
	CHECK(gh_wait(all_delivered, &want, 300000),
	      "10 % frame loss: every message delivered everywhere");
	for (i = 0; i < 4; i++)
		rq += gh_nodes[i]->gn.st.retrans_req;
	CHECK(same_order(0, want) && fifo_per_sender(0),
	      "10 % loss: same order, no duplicates");
	CHECK(seg.lost > 0 && rq > 0, "frames were lost and RETRANS asked");
	seg.loss_permille = 0;
	gh_free_all();
}

int
main(void)
{
	sim_seed(7);
	test_wire();
	test_join();
	test_order();
	test_bb();
	test_loss();
	CHECK(sim_allocs() == 0, "no leaked protocol memory");
	return TEST_DONE();
}
