/*
 * fuzz_common.h - the little world both fuzz targets share: node A (a
 * client) and node B (the target, serving port "fuzzsv") on one
 * simulated Ethernet, built once and kept across inputs like a
 * persistent libFuzzer target, plus the health check: B must still
 * serve a transaction from A.
 */
#ifndef TESTS_FUZZ_COMMON_H
#define TESTS_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include "tests/host/rpc/rpc_harness.h"

#define FUZZ_CHECK_EVERY 200

static struct sim_seg fz_seg;
static struct rh_node *fz_a, *fz_b;
static struct rh_server fz_srv;
static struct rh_client fz_cli;
static unsigned long fz_inputs;

static uint32_t
fz_echo(struct rh_server *s, header *h, uint8_t *buf, uint32_t n)
{
	(void)s, (void)buf;
	h->h_status = 0;
	return n;
}

static void
fz_world(void)
{
	if (fz_a)
		return;
	sim_seed(99);
	rh_reset();
	sim_seg_init(&fz_seg);
	fz_a = rh_node_new(&fz_seg, 1);
	fz_b = rh_node_new(&fz_seg, 2);
	rh_server_init(&fz_srv, fz_b, "fuzzsv", fz_echo, 4096);
	rh_client_init(&fz_cli, fz_a, 4096);
	rh_add_server(&fz_srv);
	rh_add_client(&fz_cli);
	rh_pump();
}

/* Routes between A and B, for the failure report. */
static void
fz_dump(void)
{
	struct rpc_stats *a = &fz_a->rn.st, *b = &fz_b->rn.st;
	int i;

	fprintf(stderr, "A: acks %u naks %u fails %u enq %u alive %u "
		"retrans %u loc %u; B: acc %u dup %u acks %u naks %u fails %u "
		"enq %u\n", a->acks, a->naks, a->fails, a->enquiries,
		a->alives, a->retrans, a->locates, b->requests_accepted,
		b->dup_dropped, b->acks, b->naks, b->fails, b->enquiries);
	fprintf(stderr, "served %u; B flip rx %u bad %u hopdrop %u loop %u "
		"rate %u; A flip rx %u bad %u\n", fz_srv.served,
		fz_b->sw.st.rx_frames, fz_b->sw.st.rx_bad,
		fz_b->sw.st.dropped_hop, fz_b->sw.st.dropped_loop,
		fz_b->sw.st.dropped_rate, fz_a->sw.st.rx_frames,
		fz_a->sw.st.rx_bad);
	for (i = 0; i < FLIP_NROUTE; i++) {
		struct flip_route *r = &fz_b->sw.rt[i];

		if (r->used && flip_adr_eq(&r->addr, &fz_a->proc.pub))
			fprintf(stderr, "B->A: ntw %d loc %02x hop %d tr %d\n",
				r->ntw, r->loc.l_bytes[5], r->hop, r->trusted);
		r = &fz_a->sw.rt[i];
		if (r->used && flip_adr_eq(&r->addr, &fz_b->proc.pub))
			fprintf(stderr, "A->B: ntw %d loc %02x hop %d tr %d\n",
				r->ntw, r->loc.l_bytes[5], r->hop, r->trusted);
	}
}

static int
fz_tap(struct sim_seg *seg, struct sim_nic *from, const uint8_t *f,
       size_t len)
{
	(void)seg;
	fprintf(stderr, "%u: %d -> len %zu fc %d/%d type %d flags %x act %d "
		"max %d | rpc type %d flags %x tid %u dest %u from %u\n",
		flip_port_now_ms(), from->mac[5], len, f[14], f[15], f[17],
		f[18], f[20], f[22], f[70], f[71],
		f[72] | f[73] << 8 | f[74] << 16 | (unsigned)f[75] << 24,
		f[76] | f[77] << 8, f[78] | f[79] << 8);
	return 1;
}

static int
fz_listening(void *arg)
{
	(void)arg;
	rh_pump();
	return fz_srv.c.sv.state == RPC_SV_GETREQ;
}

/*
 * Node B must still answer a transaction once the fuzzed traffic is
 * over; abort() otherwise.  First B's server thread may have to finish
 * with a ghost client the fuzzer invented: a reply is retried up to 10
 * times at most 30 s apart (spec 3.7), or abandoned when the client's
 * address cannot be located; so wait (simulated) until it listens again.
 */
static void
fz_health(void)
{
	static const char msg[] = "still alive?";

	if (!sim_run(400000, 10, fz_listening, NULL)) {
		fprintf(stderr, "server never listened again (state %d)\n",
			fz_srv.c.sv.state);
		abort();
	}
	if (getenv("FZ_DEBUG")) {
		fz_dump();
		fz_seg.tap = fz_tap;
	}
	/*
	 * A's kernel id is on the wire in every request, so forged traffic
	 * can always impersonate A (a REQUEST with A's kid and a tid far
	 * ahead makes B drop A's real ones as old: at-most-once).  libFuzzer
	 * learns the id from B's comparisons and does exactly that; the
	 * check is that B still serves a client, so A comes back as a
	 * kernel the fuzzed traffic has not seen.
	 */
	flip_port_random(fz_a->rn.kid, sizeof(fz_a->rn.kid));
	rh_trans(&fz_cli, "fuzzsv", msg, sizeof(msg), 1);
	if (!rh_wait(&fz_cli, 30000) || fz_cli.result != (int32_t)sizeof(msg) ||
	    memcmp(fz_cli.rbuf, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "health check failed after %lu inputs: %d "
			"(server phase %d, state %d, client state %d)\n",
			fz_inputs, fz_cli.result, fz_srv.phase,
			fz_srv.c.sv.state, fz_cli.c.cl.state);
		fz_dump();
		abort();
	}
}

/* After each input: let things settle; now and then time and health. */
static void
fz_after_input(void)
{
	rh_pump();
	if (++fz_inputs % 32 == 0)
		sim_run(150, 10, NULL, NULL);
	if (fz_inputs % FUZZ_CHECK_EVERY == 0)
		fz_health();
}

void
fuzz_final_check(void)
{
	fz_world();
	sim_run(10000, 10, NULL, NULL);	/* let every timer run out */
	fz_health();
	fprintf(stderr, "final health check passed (%lu inputs)\n", fz_inputs);
	fz_dump();
}

#endif /* TESTS_FUZZ_COMMON_H */
