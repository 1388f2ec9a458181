/*
 * fuzz_grp.c - group packets straight into a member's FLIP receive
 * upcall: bchdrs of every type with lying sequence numbers, message
 * ids, member indices and incarnations, truncated payloads, fragments
 * with lying offsets and totals, group LOCATEs and HEREIS payloads.
 *
 * The world: a 3-member group (A sequencer, B and C members) on one
 * simulated Ethernet, kept across inputs.  After every input the
 * invariants of each member's order state must hold; every
 * FUZZ_CHECK_EVERY inputs the group must still deliver a message from
 * A at every member.  A forged packet may legitimately split the group
 * (DEAD, LEAVE, REFORMREQ from a member's address) or make a member
 * hold a seqno A has not given yet (fz_forged): then the world is built
 * anew and counted.
 *
 * Input: byte 0 selects: bits 0-1 destination (null, g_addr,
 * g_addr_all, B's member address), bits 2-3 source (A, C, a stranger,
 * B), bit 4 aim at A instead of B, bit 5 a fragment (offset and total
 * from bytes 5..12), bit 6 patch b_cpu/b_incarnation/b_seqno to
 * plausible values, bit 7 notdeliver upcall; bytes 1..4 FLIP messid;
 * the rest is the packet.
 *
 * Reproducing a failure: with FUZZ_GRP_TRACE=FILE in the environment the
 * inputs since the world was last built are written to FILE before a
 * failure aborts; FUZZ_GRP_REPLAY=FILE runs such a trace on a world
 * built the same way, then the health check, and exits (0 if it held).
 */
#include <stdio.h>
#include <string.h>
#include "flip/flip_wire.h"
#include "tests/host/grp/grp_harness.h"

#define FUZZ_CHECK_EVERY 200

static struct sim_seg fz_seg;
static unsigned long fz_inputs, fz_rebuilds;
static int fz_built;
static int fz_tainted;		/* a member took a forged seqno: rebuild */

/* The trace: "VXGT", u32 clock, rebuilds, inputs; then (u32 len, bytes)*. */
static uint8_t *fz_trace;
static size_t fz_tlen, fz_tcap;
static int fz_tracing = -1;

static void
fz_trace_put(const void *p, size_t n)
{
	if (fz_tlen + n > fz_tcap) {
		fz_tcap = (fz_tlen + n) * 2;
		fz_trace = realloc(fz_trace, fz_tcap);
		if (fz_trace == NULL)
			abort();
	}
	memcpy(fz_trace + fz_tlen, p, n);
	fz_tlen += n;
}

/* A new world: start the trace (if asked for) afresh. */
static void
fz_trace_start(void)
{
	uint32_t h[3];

	if (fz_tracing < 0)
		fz_tracing = getenv("FUZZ_GRP_TRACE") != NULL;
	if (!fz_tracing)
		return;
	h[0] = flip_port_now_ms();
	h[1] = (uint32_t)fz_rebuilds;
	h[2] = (uint32_t)fz_inputs;
	fz_tlen = 0;
	fz_trace_put("VXGT", 4);
	fz_trace_put(h, sizeof(h));
}

static void
fz_trace_input(const uint8_t *data, size_t size)
{
	uint32_t n = (uint32_t)size;

	if (fz_tracing <= 0)
		return;
	fz_trace_put(&n, sizeof(n));
	fz_trace_put(data, size);
}

/* Before abort(): save the trace for FUZZ_GRP_REPLAY. */
static void
fz_trace_dump(void)
{
	const char *path = getenv("FUZZ_GRP_TRACE");
	FILE *f;

	if (fz_tracing <= 0 || path == NULL || (f = fopen(path, "wb")) == NULL)
		return;
	fwrite(fz_trace, 1, fz_tlen, f);
	fclose(f);
	fprintf(stderr, "fuzz_grp: trace of %zu bytes in %s\n", fz_tlen, path);
}

static int
fz_joined(void *arg)
{
	(void)arg;
	return !gh_nodes[1]->joining && !gh_nodes[2]->joining;
}

static void
fz_world(void)
{
	int i;

	if (fz_built)
		return;
	fz_built = 1;
	fz_tainted = 0;
	fz_trace_start();
	gh_free_all();
	sim_seed(1234 + fz_rebuilds);
	sim_seg_init(&fz_seg);
	for (i = 0; i < 3; i++)
		gh_node_new(&fz_seg);
	if (gh_create(gh_nodes[0], "fuzzgr", 1, 4, 5, 12) < 0)
		abort();
	gh_join(gh_nodes[1], "fuzzgr");
	gh_wait(fz_joined, NULL, 20000);
	gh_join(gh_nodes[2], "fuzzgr");
	if (!gh_wait(fz_joined, NULL, 20000) || gh_nodes[1]->gid < 0 ||
	    gh_nodes[2]->gid < 0) {
		fprintf(stderr, "fuzz_grp: the group did not form\n");
		abort();
	}
	for (i = 0; i < 3; i++)
		gh_timers(gh_nodes[i], 300, 200, 3000);
}

static uint32_t
fz_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The order invariants of one member; abort() when one is broken. */
static void
fz_invariants(struct gh_node *n)
{
	struct grp_group *g = gh_group(n);
	int bad = 0;

	if (g == NULL || g->hist == NULL || g->state == GRP_S_LOCATING ||
	    g->state == GRP_S_JOINING)
		return;
	bad |= !grp_after(g->expect, g->minhist);
	bad |= !grp_after(g->nextseqno, g->expect);
	bad |= !grp_after(g->held, g->nextseqno) && g->state == GRP_S_NORMAL;
	bad |= g->held - g->minhist > g->nbuf;
	bad |= g->total > g->maxgroup || g->seqid >= g->maxgroup ||
	       g->myid >= g->maxgroup;
	bad |= grp_is_seq(g) && g->state == GRP_S_NORMAL &&
	       (!grp_after(g->nexthist, g->nextseqno) ||
		g->nexthist - g->minhist > g->nbuf);
	if (bad) {
		fprintf(stderr, "invariant broken at node %d after %lu inputs: "
			"state %d min %u exp %u next %u held %u nexthist %u "
			"total %u seq %u\n", n->id, fz_inputs, g->state,
			g->minhist, g->expect, g->nextseqno, g->held,
			g->nexthist, g->total, g->seqid);
		fz_trace_dump();
		abort();
	}
}

/* Still one working group of three? */
static int
fz_whole(void)
{
	int i;

	for (i = 0; i < 3; i++) {
		struct grp_group *g = gh_group(gh_nodes[i]);

		if (g == NULL || g->state != GRP_S_NORMAL || g->total != 3 ||
		    gh_nodes[i]->aborted)
			return 0;
	}
	return 1;
}

/*
 * Does a member hold (or, unless held_only, expect) seqnos the
 * sequencer never assigned?  The held part is checked after every
 * input (fz_tainted): a forged message from A's address with the very
 * seqno A gives next is indistinguishable from A's own (FLIP does not
 * authenticate sources), and once A has given that seqno to its real
 * message nothing shows the forgery any more.  A seqno only expected
 * is harmless until then: A may yet give it.
 */
static int
fz_forged(int held_only)
{
	struct grp_group *sq = gh_group(gh_nodes[0]);
	int i;

	if (sq == NULL || !grp_is_seq(sq))
		return 0;
	for (i = 1; i < 3; i++) {
		struct grp_group *g = gh_group(gh_nodes[i]);

		if (g && (grp_after(g->held, sq->nexthist + 1) ||
			  (!held_only &&
			   grp_after(g->known, sq->nexthist + 1))))
			return 1;
	}
	return 0;
}

/* Every member delivered past its baseline in base[] (or a split). */
static int
fz_got(void *arg)
{
	const int *base = arg;
	int i;

	if (!fz_whole())
		return 1;
	for (i = 0; i < 3; i++)
		if (gh_nodes[i]->nlog <= base[i])
			return 0;
	return 1;
}

static int
fz_never(void *arg)
{
	(void)arg;
	return 0;
}

static void
fz_dump(int want)
{
	int i;

	for (i = 0; i < 3; i++) {
		struct grp_group *g = gh_group(gh_nodes[i]);

		fprintf(stderr, "node %d: nlog %d/%d state %d next %u held %u "
			"known %u seqacc %u min %u exp %u nexthist %u stable %u "
			"recv %d/%d send %d/%d res %d bad %u\n", i,
			gh_nodes[i]->nlog, want, g->state, g->nextseqno,
			g->held, g->known, g->seqacc, g->minhist, g->expect,
			g->nexthist, g->stable, gh_nodes[i]->recv_on,
			gh_nodes[i]->recving, gh_nodes[i]->tosend,
			gh_nodes[i]->sending, gh_nodes[i]->sc.result,
			gh_nodes[i]->gn.st.bad);
	}
}

/* A's message reaches everyone, or the group split (then rebuild). */
static void
fz_health(void)
{
	int base[3], i;

	if (fz_tainted) {		/* nothing to check: build anew */
		fz_rebuilds++;
		fz_built = 0;
		fz_world();
		return;
	}
	sim_run(2000, 10, gh_until, &(struct gh_cond){ fz_never, NULL });
	if (fz_whole()) {
		for (i = 0; i < 3; i++)		/* logs are bounded */
			base[i] = gh_nodes[i]->nlog = 0;
		gh_nodes[0]->tosend = 1;
		gh_nodes[0]->size = 16;
		if (!gh_wait(fz_got, base, 60000) && !fz_forged(0)) {
			fprintf(stderr, "fuzz_grp: a message from A was not "
				"delivered everywhere (%lu inputs)\n",
				fz_inputs);
			fz_dump(base[1]);
			fz_trace_dump();
			abort();
		}
	}
	if (!fz_whole() || fz_forged(0)) {
		fz_rebuilds++;
		fz_built = 0;
		fz_world();
	}
}

static const flip_adr_t *
fz_dst(struct grp_group *g, int sel)
{
	static const flip_adr_t null;

	switch (sel & 3) {
	case 0: return &null;
	case 1: return &g->gpub;
	case 2: return &g->allpub;
	}
	return &g->mepub;
}

static const flip_adr_t *
fz_src(int sel, flip_adr_t *stranger)
{
	switch ((sel >> 2) & 3) {
	case 0: return &gh_group(gh_nodes[0])->mepub;
	case 1: return &gh_group(gh_nodes[2])->mepub;
	case 2: return stranger;
	}
	return &gh_group(gh_nodes[1])->mepub;
}

static void
fz_one(const uint8_t *data, size_t size)
{
	uint8_t pay[4096];
	uint32_t messid, offset, total, len;
	struct grp_group *g;
	flip_adr_t stranger;
	uint8_t sel;

	fz_world();
	if (!gh_group(gh_nodes[0]) || !gh_group(gh_nodes[1]) ||
	    !gh_group(gh_nodes[2])) {
		fz_rebuilds++;
		fz_built = 0;
		fz_world();
	}
	if (size < 13)
		return;
	fz_trace_input(data, size);
	sel = data[0];
	g = gh_group(gh_nodes[sel & 0x10 ? 0 : 1]);
	messid = fz_u32(data + 1);
	len = size - 13 > sizeof(pay) ? sizeof(pay) : size - 13;
	offset = sel & 0x20 ? fz_u32(data + 5) : 0;
	total = sel & 0x20 ? fz_u32(data + 9) : len;
	memcpy(pay, data + 13, len);
	if ((sel & 0x40) && len >= GRP_BCHDR_SIZE) {
		flip_put16(pay + 4, pay[4] % 4);
		flip_put16(pay + 6, g->incarnation);
		flip_put32(pay + 8, g->nextseqno + pay[8] % 8 - 2);
	}
	memset(&stranger, 0, sizeof(stranger));
	stranger.a_abytes[0] = 0x42;
	stranger.a_abytes[1] = sel;
	if (sel & 0x80)
		grp_flip_notdeliver(g, pay, fz_dst(g, sel), messid, offset, len,
				    total, sel & 0x30);
	else
		grp_flip_receive(g, pay, fz_dst(g, sel), fz_src(sel, &stranger),
				 messid, offset, len, total, 0);
	gh_pump();
	fz_invariants(gh_nodes[0]);
	fz_invariants(gh_nodes[1]);
	fz_invariants(gh_nodes[2]);
	fz_tainted |= fz_forged(1);
	if (++fz_inputs % 32 == 0)
		sim_run(150, 10, gh_until, &(struct gh_cond){ fz_never, NULL });
	if (fz_inputs % FUZZ_CHECK_EVERY == 0)
		fz_health();
}

/* FUZZ_GRP_REPLAY: run a saved trace, check health, exit. */
static void
fz_replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	uint32_t h[4], n;
	unsigned long count = 0;

	if (f == NULL || fread(h, 4, 4, f) != 4 || memcmp(h, "VXGT", 4)) {
		fprintf(stderr, "fuzz_grp: %s is not a trace\n", path);
		exit(2);
	}
	sim_set_time(h[1]);
	fz_rebuilds = h[2];
	fz_inputs = h[3];
	while (fread(&n, 4, 1, f) == 1 && n <= 65536) {
		buf = realloc(buf, n ? n : 1);
		if (fread(buf, 1, n, f) != n)
			break;
		fz_one(buf, n);
		count++;
	}
	fclose(f);
	free(buf);
	fz_health();
	fprintf(stderr, "fuzz_grp: replay of %lu inputs passed\n", count);
	_Exit(0);			/* not libFuzzer's exit handler */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int first = 1;

	if (first && getenv("FUZZ_GRP_REPLAY"))
		fz_replay(getenv("FUZZ_GRP_REPLAY"));
	first = 0;
	fz_one(data, size);
	return 0;
}

void
fuzz_final_check(void)
{
	fz_world();
	fz_health();
	fprintf(stderr, "fuzz_grp: final health check passed (%lu inputs, "
		"%lu rebuilds)\n", fz_inputs, fz_rebuilds);
	gh_free_all();
}
