/*
 * test_rpc.c - Amoeba RPC over simulated FLIP nodes: local null trans,
 * remote trans found by port alone, 1 MiB messages, the size limit, a
 * server dying mid-transaction, a slow server kept alive by ENQUIRE,
 * at-most-once under 10 % frame loss, retransmitted REQUESTs, and the
 * kid window.
 */
#include <stdio.h>
#include <time.h>
#include <module/prv.h>
#include "check.h"
#include "rpc_harness.h"
#include "flip/flip_wire.h"

#define MIB (1024 * 1024)

/* Echo: status = command, body echoed back. */
static uint32_t
echo(struct rh_server *s, header *h, uint8_t *buf, uint32_t n)
{
	(void)s, (void)buf;
	h->h_status = h->h_command;
	h->h_offset = (int32_t)n;
	return n;
}

static void
test_local(void)
{
	struct rh_node *a;
	struct rh_server s;
	struct rh_client c;
	struct timespec t0, t1;
	uint32_t sent0;
	double us;
	int i, ok = 1;

	rh_reset();
	a = rh_node_new(NULL, 1);
	rh_server_init(&s, a, "nullsv", echo, 64);
	rh_client_init(&c, a, 64);
	rh_add_server(&s);
	rh_add_client(&c);
	rh_pump();
	CHECK(rh_trans(&c, "nullsv", NULL, 0, 42) == STD_OK, "local trans starts");
	rh_pump();
	CHECK(!c.busy && c.result == 0 && c.rep.h_status == 42,
	      "local null trans completes at once");
	CHECK(a->rn.st.local_trans == 1 && a->sw.st.tx_frames == 0,
	      "local trans used the fast path, no frame");
	sent0 = a->rn.st.local_trans;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 100000; i++) {
		rh_trans(&c, "nullsv", NULL, 0, 1);
		rh_pump();
		ok &= c.result == 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) /
	     1e3 / 100000;
	printf("# local null trans on the host: %.2f us each\n", us);
	CHECK(ok && a->rn.st.local_trans - sent0 == 100000,
	      "100000 local null trans");
	/* A local client thread exits while its request is being served. */
	s.hold = 1;
	rh_trans(&c, "nullsv", NULL, 0, 3);
	rh_pump();
	CHECK(c.busy && s.phase == 3, "local server holds the request");
	rpc_call_fini(&c.c);
	c.busy = 0;
	s.hold = 0;
	rh_pump();
	CHECK(s.last_putrep == RPC_FAILURE && s.c.sv.state == RPC_SV_GETREQ,
	      "putrep to a vanished local client fails at once");
	rh_client_fini(&c);
	rh_server_fini(&s);
	rh_node_free(a);
}

static void
test_remote(void)
{
	struct sim_seg seg;
	struct rh_node *a, *b;
	struct rh_server s;
	struct rh_client c;
	uint8_t *big = malloc(MIB + 1);
	uint32_t i, t0;

	rh_reset();
	sim_seg_init(&seg);
	a = rh_node_new(&seg, 1);
	b = rh_node_new(&seg, 2);
	rh_server_init(&s, b, "echosv", echo, MIB);
	rh_client_init(&c, a, MIB);
	rh_add_server(&s);
	rh_add_client(&c);
	rh_pump();
	t0 = flip_port_now_ms();
	CHECK(rh_call(&c, "echosv", "ping", 5, 7) && c.result == 5 &&
	      strcmp((char *)c.rbuf, "ping") == 0 && c.rep.h_status == 7,
	      "remote trans found by port alone (RPC locate)");
	CHECK(a->rn.st.locates == 1 && flip_port_now_ms() - t0 < 100,
	      "the first locate round goes one network out: found < 100 ms");
	CHECK(rh_call(&c, "echosv", "again", 6, 8) && c.result == 6 &&
	      a->rn.st.locates < 5,
	      "second trans uses the port cache");

	for (i = 0; i < MIB; i++)
		big[i] = (uint8_t)(i ^ (i >> 8) ^ (i >> 16));
	CHECK(rh_call(&c, "echosv", big, MIB, 9) && c.result == MIB &&
	      c.rep.h_offset == MIB &&
	      memcmp(c.rbuf, big, MIB) == 0, "1 MiB request and 1 MiB reply");
	CHECK(rh_trans(&c, "echosv", big, MIB + 1, 9) == STD_OVERFLOW &&
	      c.c.done, "request over 1 MiB -> STD_OVERFLOW at once");
	rh_pump();
	CHECK(c.result == STD_OVERFLOW, "... and the trans returns it");
	{
		header h;

		memset(&h, 0, sizeof(h));
		c.busy = 1;
		CHECK(rpc_trans_start(&c.c, &h, NULL, 0) == RPC_BADPORT,
		      "null port -> RPC_BADPORT");
		rh_pump();
	}
	rh_client_fini(&c);
	rh_server_fini(&s);
	rh_node_free(a);
	rh_node_free(b);
	free(big);
}

/* ---- the listener index: 1,000 ports on one node ------------------------ */

#define LI_PROCS	31
#define LI_PORTS	(LI_PROCS * RPC_NTHREAD)	/* 992 listeners */

static void
li_port(uint32_t k, port *get, port *put)
{
	char name[PORTSIZE + 1];

	snprintf(name, sizeof(name), "p%05u", (unsigned)k);
	memcpy(get->_portbytes, name, PORTSIZE);
	priv2pub(get, put);
}

static void
test_listen_index(void)
{
	struct rpc_proc *procs = calloc(LI_PROCS, sizeof(*procs));
	struct rpc_call *calls = calloc(LI_PORTS, sizeof(*calls));
	struct sim_seg seg;
	struct rh_node *a, *b;
	struct rh_server s;
	struct rh_client c;
	uint32_t k, found = 0, wrong = 0;
	port get, put;
	header h;

	rh_reset();
	sim_seg_init(&seg);
	a = rh_node_new(&seg, 1);
	b = rh_node_new(&seg, 2);
	for (k = 0; k < LI_PROCS; k++)
		found += rpc_proc_init(&b->rn, &procs[k]) == STD_OK;
	CHECK(found == LI_PROCS, "31 more processes on the node");
	found = 0;
	for (k = 0; k < LI_PORTS; k++) {
		rpc_call_init(&procs[k / RPC_NTHREAD], &calls[k]);
		memset(&h, 0, sizeof(h));
		li_port(k, &h.h_port, &put);
		rpc_getreq_start(&calls[k], &h);
	}
	rh_server_init(&s, b, "lastsv", echo, 64);
	rh_client_init(&c, a, 64);
	rh_add_server(&s);
	rh_add_client(&c);
	rh_pump();
	for (k = 0; k < LI_PORTS; k++) {
		li_port(k, &get, &put);
		if (rpc_find_listener(&b->rn, &put, NULL) == &calls[k])
			found++;
		if (rpc_find_listener(&b->rn, &put, &b->proc) != NULL)
			wrong++;
	}
	CHECK(found == LI_PORTS, "992 listeners in 31 processes: each found "
	      "by its port");
	CHECK(wrong == 0, "... and not in a process that does not serve it");
	CHECK(rh_call(&c, "lastsv", "x", 2, 1) && c.result == 2,
	      "a server beside 992 other ports is located and answers");

	/* A listener leaves getreq, then listens on another port. */
	rpc_abort(&calls[7]);
	li_port(7, &get, &put);
	CHECK(calls[7].done && calls[7].result == RPC_ABORTED &&
	      rpc_find_listener(&b->rn, &put, NULL) == NULL,
	      "an aborted getreq no longer listens");
	memset(&h, 0, sizeof(h));
	li_port(5000, &h.h_port, &put);
	rpc_getreq_start(&calls[7], &h);
	CHECK(rpc_find_listener(&b->rn, &put, NULL) == &calls[7],
	      "its next getreq listens on the new port");
	rpc_call_fini(&calls[7]);
	CHECK(rpc_find_listener(&b->rn, &put, NULL) == NULL,
	      "a finished call object is out of the index");
	li_port(8, &get, &put);
	CHECK(rpc_find_listener(&b->rn, &put, NULL) == &calls[8],
	      "... and its neighbours are still in it");

	for (k = 0; k < LI_PROCS; k++)
		rpc_proc_fini(&procs[k]);
	rh_client_fini(&c);
	rh_server_fini(&s);
	rh_node_free(a);
	rh_node_free(b);
	free(calls);
	free(procs);
}

/* ---- a flood of new FLIP sources while transactions run ---------------- */

#define FLOOD_TOTAL	50000	/* distinct sources */
#define FLOOD_PER_TICK	10	/* LOCATE frames per 10 ms: 1,000 a second */

static struct rh_node *flood_target;
static uint32_t flood_sent;

/* One well-formed LOCATE for a random port from a brand-new address. */
static void
flood_one(struct rh_node *n)
{
	uint8_t frame[FLIP_ETH_MIN + FLIP_HDR_SIZE];
	struct flip_hdr h;

	memset(frame, 0, sizeof(frame));
	memset(frame, 0xFF, 6);				/* broadcast */
	frame[6] = 0x02;
	frame[10] = (uint8_t)(flood_sent >> 8);
	frame[11] = (uint8_t)flood_sent;
	frame[12] = FLIP_ETHERTYPE >> 8;
	frame[13] = FLIP_ETHERTYPE & 0xFF;
	frame[14] = FC_DATA;
	memset(&h, 0, sizeof(h));
	h.fh_version = FLIP_VERSION;
	h.fh_type = FL_T_LOCATE;
	h.fh_max_hop = 6;
	flip_adr_random(&h.fh_dstaddr);
	flip_adr_random(&h.fh_srcaddr);
	h.fh_messid = flood_sent;
	flip_hdr_encode(&h, frame + FLIP_ETH_HDR + FLIP_FC_SIZE);
	flip_net_input(&n->sw, n->nic.ntw, frame, sizeof(frame));
	flood_sent++;
}

static void
flood_tick(void *arg)
{
	(void)arg;
	for (int i = 0; i < FLOOD_PER_TICK && flood_sent < FLOOD_TOTAL; i++)
		flood_one(flood_target);
}

/*
 * 50,000 sources flood the server's routing table (600 records) for 50
 * simulated seconds, across two aging sweeps, while a client's
 * transactions, each served for 300 ms, run: the reply must find the
 * client every time, without the server relocating it.
 */
static void
test_route_flood(void)
{
	struct sim_seg seg;
	struct rh_node *a, *b;
	struct rh_server s;
	struct rh_client c;
	uint32_t locates;
	int i, good = 0;

	rh_reset();
	sim_seg_init(&seg);
	a = rh_node_new(&seg, 1);
	b = rh_node_new(&seg, 2);
	rh_server_init(&s, b, "floodsv", echo, 64);
	rh_client_init(&c, a, 64);
	rh_add_server(&s);
	s.delay_ms = 300;
	CHECK(rh_call(&c, "floodsv", "0", 2, 1) && c.result == 2,
	      "flood: the client has found the server");
	locates = b->sw.st.locates_sent;
	flood_target = b;
	flood_sent = 0;
	sim_register_tick(flood_tick, NULL);
	for (i = 0; i < 1000 && flood_sent < FLOOD_TOTAL; i++)
		good += rh_call(&c, "floodsv", "x", 2, 1) && c.result == 2;
	CHECK(flood_sent == FLOOD_TOTAL && good == i && i > 100,
	      "flood of 50,000 new sources: every transaction completes");
	CHECK(b->sw.st.locates_sent == locates,
	      "... and the server never had to locate its client again");
	rh_client_fini(&c);
	rh_server_fini(&s);
	rh_node_free(a);
	rh_node_free(b);
}

static void
test_crash(void)
{
	struct sim_seg seg;
	struct rh_node *a, *b;
	struct rh_server s;
	struct rh_client c;
	uint32_t t0;
	int ok;

	rh_reset();
	sim_seg_init(&seg);
	a = rh_node_new(&seg, 1);
	b = rh_node_new(&seg, 2);
	rh_server_init(&s, b, "slowsv", echo, 64);
	rh_client_init(&c, a, 64);
	rh_add_server(&s);
	rh_add_client(&c);
	s.delay_ms = 50000;
	rh_trans(&c, "slowsv", "x", 2, 1);
	ok = rh_wait(&c, 120000);
	CHECK(ok && c.result == 2 && a->rn.st.alives >= 1,
	      "slow server (50 s) kept alive by ENQUIRE/ALIVE");

	s.delay_ms = 0;
	s.hold = 1;
	rh_trans(&c, "slowsv", "y", 2, 1);
	sim_run(5000, 10, rh_until_client_idle, &c);
	CHECK(c.busy && c.c.cl.state == RPC_CL_GETREP && s.phase == 3,
	      "server is serving, client waits for the reply");
	sim_run(2500, 10, NULL, NULL);	/* a few ENQUIRE/ALIVE rounds */
	CHECK(c.busy && a->rn.st.alives >= 2,
	      "the client ENQUIREs every second, the server says ALIVE");
	b->nic.up = 0;			/* the server's machine dies */
	t0 = flip_port_now_ms();
	ok = rh_wait(&c, 300000);
	printf("# GETREP: RPC_FAILURE after %u ms\n", flip_port_now_ms() - t0);
	CHECK(ok && c.result == RPC_FAILURE,
	      "server gone mid-transaction -> RPC_FAILURE");
	CHECK(flip_port_now_ms() - t0 <= 5000,
	      "... within 5 s (3 unanswered ENQUIREs, 3 s of silence)");

	/* PUTREQ: the request arrived, the server dies before any ACK. */
	b->nic.up = 1;
	s.hold = 0;
	rh_pump();
	rh_trans(&c, "slowsv", "w", 2, 1);
	CHECK(rh_wait(&c, 10000) && c.result == 2, "server back");
	s.hold = 1;
	rh_trans(&c, "slowsv", "z", 2, 1);
	rh_pump();
	CHECK(c.busy && c.c.cl.state == RPC_CL_PUTREQ && s.phase == 3,
	      "request delivered, not yet ACKed");
	b->nic.up = 0;
	t0 = flip_port_now_ms();
	ok = rh_wait(&c, 300000);
	printf("# PUTREQ: result %d after %u ms\n", c.result,
	       flip_port_now_ms() - t0);
	CHECK(ok && c.result == RPC_FAILURE && flip_port_now_ms() - t0 <= 5000,
	      "dead before its ACK -> RPC_FAILURE within 5 s (RECEIVED probes)");
	rh_client_fini(&c);
	rh_server_fini(&s);
	rh_node_free(a);
	rh_node_free(b);
}

/* ---- at-most-once under loss ---------------------------------------------- */

#define AMO_N 10000
static uint8_t amo_exec[AMO_N];

static uint32_t
amo_handler(struct rh_server *s, header *h, uint8_t *buf, uint32_t n)
{
	uint32_t seq;

	(void)s;
	if (n != 4)
		return 0;
	memcpy(&seq, buf, 4);
	if (seq < AMO_N)
		amo_exec[seq]++;
	h->h_status = 0;
	h->h_offset = (int32_t)seq;
	return 4;
}

static void
test_amo(void)
{
	struct sim_seg seg;
	struct rh_node *a, *b;
	struct rh_server s;
	struct rh_client c;
	uint32_t seq, replies = 0, bad = 0, once = 0;

	rh_reset();
	sim_seed(20261121);
	sim_seg_init(&seg);
	seg.loss_permille = 100;
	seg.dup_permille = 20;		/* and 2 % late duplicates */
	seg.dup_delay = 700;
	a = rh_node_new(&seg, 1);
	b = rh_node_new(&seg, 2);
	rh_server_init(&s, b, "amo_sv", amo_handler, 64);
	rh_client_init(&c, a, 64);
	rh_add_server(&s);
	rh_add_client(&c);
	memset(amo_exec, 0, sizeof(amo_exec));
	for (seq = 0; seq < AMO_N; seq++) {
		if (!rh_call(&c, "amo_sv", &seq, 4, 1))
			break;
		if (c.result == 4 && c.rep.h_offset == (int32_t)seq &&
		    memcmp(c.rbuf, &seq, 4) == 0)
			replies++;
		else if (bad++ < 5)
			printf("# seq %u: result %d\n", seq, c.result);
	}
	for (seq = 0; seq < AMO_N; seq++)
		once += amo_exec[seq] == 1;
	printf("# %u frames sent, %u lost, %u duplicated late; %u "
	       "retransmissions, %u duplicate requests dropped, %u s "
	       "simulated\n", seg.sent, seg.lost, seg.dups, a->rn.st.retrans,
	       b->rn.st.dup_dropped, flip_port_now_ms() / 1000);
	CHECK(seg.lost > seg.sent / 20, "about 10 % of frames were lost");
	CHECK(b->rn.st.dup_dropped > 50,
	      "late duplicate REQUESTs reached the server");
	CHECK(once == AMO_N, "every one of 10000 requests executed exactly once");
	CHECK(replies == AMO_N, "every reply delivered");
	rh_client_fini(&c);
	rh_server_fini(&s);
	rh_node_free(a);
	rh_node_free(b);
}

/* ---- retransmitted REQUEST to a serving thread ------------------------------ */

static uint8_t cap_req[1514];
static size_t cap_len;
static int saw_ack, saw_req;

static int
req_tap(struct sim_seg *seg, struct sim_nic *from, const uint8_t *f,
	size_t len)
{
	(void)seg, (void)from;
	if (f[14] != 0 || len < 16 + 40 + 24 || f[17] != 3)
		return 1;		/* not FC_DATA UNIDATA */
	if (f[16 + 40 + 14] == RPC_T_REQUEST && cap_len == 0) {
		memcpy(cap_req, f, len);
		cap_len = len;
	}
	if (f[16 + 40 + 14] == RPC_T_REQUEST)
		saw_req++;
	if (f[16 + 40 + 14] == RPC_T_ACK)
		saw_ack++;
	return 1;
}

static void
test_retrans(void)
{
	struct sim_seg seg;
	struct rh_node *a, *b;
	struct rh_server s1, s2;
	struct rh_client c;
	uint8_t f[1514];

	rh_reset();
	sim_seg_init(&seg);
	seg.tap = req_tap;
	a = rh_node_new(&seg, 1);
	b = rh_node_new(&seg, 2);
	rh_server_init(&s1, b, "twosvr", echo, 64);
	rh_server_init(&s2, b, "twosvr", echo, 64);
	rh_client_init(&c, a, 64);
	rh_add_server(&s1);
	rh_add_server(&s2);
	rh_add_client(&c);
	s1.hold = s2.hold = 1;
	rh_trans(&c, "twosvr", "r", 2, 1);
	sim_run(500, 10, rh_until_client_idle, &c);
	CHECK(cap_len > 0 && s1.served + s2.served == 1,
	      "one server thread took the request");
	memcpy(f, cap_req, cap_len);
	f[16 + 40 + 15] |= RPC_FL_RETRANS;
	saw_ack = 0;
	flip_net_input(&b->sw, b->nic.ntw, f, cap_len);
	rh_pump();
	CHECK(saw_ack == 1, "retransmitted REQUEST to a serving thread -> ACK");
	CHECK(s1.served + s2.served == 1 && b->rn.st.requests_accepted == 1,
	      "... and no second execution (other thread still listening)");
	s1.hold = s2.hold = 0;
	rh_wait(&c, 5000);
	CHECK(c.result == 2, "the transaction then completes");
	flip_net_input(&b->sw, b->nic.ntw, cap_req, cap_len);
	rh_pump();
	CHECK(s1.served + s2.served == 1 && b->rn.st.dup_dropped == 1,
	      "replayed REQUEST after completion dropped (kid window)");
	memcpy(f, cap_req, cap_len);
	f[16 + 40 + 15] |= RPC_FL_RETRANS;
	flip_net_input(&b->sw, b->nic.ntw, f, cap_len);
	rh_pump();
	CHECK(s1.served + s2.served == 1 && b->rn.st.fails >= 1,
	      "replayed retransmission after completion -> FAIL");
	rh_client_fini(&c);
	rh_server_fini(&s1);
	rh_server_fini(&s2);
	rh_node_free(a);
	rh_node_free(b);
}

static void
test_kid(void)
{
	struct rpc_node *rn = calloc(1, sizeof(*rn));
	uint8_t k1[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, k2[8] = { 9 };
	int ok = 1;
	uint32_t t;

	CHECK(!rpc_kid_known(rn, k1) && rpc_kid_executable(rn, k1, 5),
	      "unknown kid: everything executable");
	rpc_kid_update(rn, k1, 1000);
	CHECK(rpc_kid_known(rn, k1) && !rpc_kid_executable(rn, k1, 1000),
	      "executed tid not executable again");
	CHECK(rpc_kid_executable(rn, k1, 1001) && rpc_kid_executable(rn, k1, 999),
	      "neighbours in the window still executable");
	CHECK(!rpc_kid_executable(rn, k1, 900), "tid below the window refused");
	CHECK(rpc_kid_executable(rn, k2, 1000), "other kids independent");
	rpc_kid_update(rn, k1, 1400);
	CHECK(!rpc_kid_executable(rn, k1, 1000) &&
	      !rpc_kid_executable(rn, k1, 1400), "both inside one window");
	rpc_kid_update(rn, k1, 1600);
	CHECK(!rpc_kid_executable(rn, k1, 1000) &&
	      !rpc_kid_executable(rn, k1, 1400) &&
	      !rpc_kid_executable(rn, k1, 1600) &&
	      rpc_kid_executable(rn, k1, 1500),
	      "window slid in 32-tid steps, keeping 1400's bit");
	for (t = 2000; t < 12000; t += 3)
		rpc_kid_update(rn, k1, t);
	for (t = 11500; t < 12000; t++)
		ok &= rpc_kid_executable(rn, k1, t) == ((t - 2000) % 3 != 0);
	CHECK(ok, "long run: exactly the executed tids are refused");
	CHECK(rpc_kid_executable(rn, k1, 12000 + 5000),
	      "far-ahead tid executable");
	free(rn);
}


/* ---- signals, locate failure, thread exit, untrusted networks ------------- */

static void
test_misc(void)
{
	struct sim_seg seg;
	struct rh_node *a, *b;
	struct rh_server s;
	struct rh_client c;
	uint32_t t0;

	rh_reset();
	sim_seg_init(&seg);
	a = rh_node_new(&seg, 1);
	b = rh_node_new(&seg, 2);
	rh_server_init(&s, b, "miscsv", echo, 64);
	rh_client_init(&c, a, 64);
	rh_add_server(&s);
	rh_add_client(&c);

	CHECK(rpc_timeout(&c.c, 600) == RPC_DEF_LOCATE,
	      "timeout() returns the old locate budget (5200)");
	t0 = flip_port_now_ms();
	rh_trans(&c, "nobody", "?", 2, 1);
	CHECK(rh_wait(&c, 10000) && c.result == RPC_NOTFOUND &&
	      flip_port_now_ms() - t0 <= 800,
	      "no server: RPC_NOTFOUND after the 600 ms locate budget");
	rpc_timeout(&c.c, RPC_DEF_LOCATE);
	rh_trans(&c, "nobody", "?", 2, 1);
	sim_run(300, 10, rh_until_client_idle, &c);
	rpc_abort(&c.c);
	rh_pump();
	CHECK(!c.busy && c.result == RPC_ABORTED,
	      "signal during locate -> RPC_ABORTED");

	s.hold = 1;
	rh_trans(&c, "miscsv", "z", 2, 1);
	sim_run(3000, 10, rh_until_client_idle, &c);
	{
		long before = sim_sigtrans();

		rpc_abort(&c.c);
		rh_pump();
		CHECK(c.busy && s.c.sv.sigtrans == 1 &&
		      sim_sigtrans() == before + 1,
		      "signal in GETREP: ENQUIRE(SIGTRANS) marks the server "
		      "thread and raises SIG_TRANS through the port");
	}
	rpc_call_fini(&s.c);		/* the server thread exits */
	s.phase = 9;
	rh_pump();
	CHECK(!c.busy && c.result == RPC_FAILURE,
	      "server thread exits while serving -> client gets FAIL");
	rh_client_fini(&c);
	rh_server_fini(&s);
	rh_node_free(a);
	rh_node_free(b);
}

static uint32_t
from_c(struct rh_server *s, header *h, uint8_t *buf, uint32_t n)
{
	(void)s, (void)n;
	h->h_status = 0;
	memcpy(buf, "from C", 7);
	return 7;
}

/* A server FORWARDs the request to another member (spec 3.6, 3.7). */
static void
test_forward(void)
{
	struct sim_seg seg;
	struct rh_node *a, *b, *cn;
	struct rh_server sb, sc;
	struct rh_client c;
	struct rpc_amphdr fw;
	uint8_t pkt[RPC_AMPHDR_SIZE + 8];
	struct rpc_pcache *e;

	rh_reset();
	sim_seg_init(&seg);
	a = rh_node_new(&seg, 1);
	b = rh_node_new(&seg, 2);
	cn = rh_node_new(&seg, 3);
	rh_server_init(&sb, b, "fwdsvr", echo, 64);
	rh_server_init(&sc, cn, "fwdsvr", from_c, 64);
	rh_client_init(&c, a, 64);
	rh_add_server(&sb);
	rh_add_client(&c);
	sb.hold = 1;
	rh_trans(&c, "fwdsvr", "f", 2, 1);
	sim_run(3000, 10, rh_until_client_idle, &c);
	CHECK(c.busy && sb.phase == 3, "B serves the request");
	memset(&fw, 0, sizeof(fw));
	fw.ah_type = RPC_T_FORWARD;
	fw.ah_tid = c.c.cl.tid;
	fw.ah_dest = c.c.idx;
	fw.ah_from = sb.c.idx;
	rpc_amp_encode(&fw, pkt);
	memcpy(pkt + RPC_AMPHDR_SIZE, cn->proc.pub.a_abytes, 8);
	rh_add_server(&sc);
	rh_pump();
	rpc_flip_receive(&a->rn, pkt, &a->proc.pub, &b->proc.pub, 77, 0,
			 sizeof(pkt), sizeof(pkt), 0);
	CHECK(rh_wait(&c, 10000) && c.result == 7 &&
	      strcmp((char *)c.rbuf, "from C") == 0,
	      "FORWARD: the client re-sends to the new server and gets its reply");
	{
		port g, pp;

		memcpy(g._portbytes, "fwdsvr", PORTSIZE);
		priv2pub(&g, &pp);
		e = rpc_pc_lookup(&a->rn, &pp);
	}
	CHECK(sc.served == 1 && e != NULL &&
	      flip_adr_eq(&e->addr, &cn->proc.pub),
	      "... which executed it once; the port cache points there");
	rh_client_fini(&c);
	rh_server_fini(&sb);
	rh_server_fini(&sc);
	rh_node_free(a);
	rh_node_free(b);
	rh_node_free(cn);
}

/*
 * The server's node dies between transactions (its frames stop) and the
 * same service starts on a third node: the client's stale port-cache
 * entry and FLIP route must lead it to the new home, never to a hang.
 */
static void
test_server_moves(void)
{
	struct sim_seg seg;
	struct rh_node *a, *b, *cn;
	struct rh_server sb, sc;
	struct rh_client c;
	uint32_t t0, worst = 0, dt;
	int i, ok = 1, failed = 0, first = 0;

	rh_reset();
	sim_seg_init(&seg);
	a = rh_node_new(&seg, 1);
	b = rh_node_new(&seg, 2);
	cn = rh_node_new(&seg, 3);
	rh_server_init(&sb, b, "mover", echo, 64);
	rh_server_init(&sc, cn, "mover", echo, 64);
	rh_client_init(&c, a, 64);
	rh_add_server(&sb);
	rh_add_client(&c);
	for (i = 0; i < 50; i++) {
		rh_trans(&c, "mover", "m", 2, 1);
		ok &= rh_wait(&c, 10000) && c.result == 2;
	}
	CHECK(ok && sb.served == 50, "50 trans served on B");
	b->nic.up = 0;			/* B dies: its frames stop */
	sim_run(3000, 10, NULL, NULL);	/* C boots meanwhile */
	rh_add_server(&sc);
	rh_pump();
	for (i = 0; i < 50; i++) {
		t0 = flip_port_now_ms();
		rh_trans(&c, "mover", "m", 2, 1);
		if (!rh_wait(&c, 120000)) {
			ok = 0;
			break;
		}
		dt = flip_port_now_ms() - t0;
		worst = dt > worst ? dt : worst;
		if (c.result != 2)
			failed++;
		if (i == 0)
			first = c.result;
	}
	printf("# after the move: first trans %d, %d failed, slowest %u ms, "
	       "C served %u\n", first, failed, worst, sc.served);
	CHECK(ok && worst <= 5000, "no trans hangs: each ends within 5 s");
	/* The first REQUEST went to B's old location and may, for all the
	 * client can tell, have been executed there: at-most-once allows
	 * only RPC_FAILURE for it.  The cache entry is dropped with it. */
	CHECK(first == RPC_FAILURE && failed == 1 && sc.served == 49,
	      "first: RPC_FAILURE (may have run on B); the other 49 reach C");

	rh_client_fini(&c);
	rh_server_fini(&sb);
	rh_server_fini(&sc);
	rh_node_free(a);
	rh_node_free(b);
	rh_node_free(cn);
}

/*
 * The server's machine reboots without the server (same MAC, a new FLIP
 * box) and the service starts elsewhere: the old location bounces the
 * REQUEST (NOTHERE), which proves it never arrived, so the trans itself
 * relocates the port and reaches the new server.
 */
static void
test_server_moves_nothere(void)
{
	struct sim_seg seg;
	struct rh_node *a, *b, *b2, *cn;
	struct rh_server sb, sc;
	struct rh_client c;
	uint32_t t0;
	int ok;

	rh_reset();
	sim_seg_init(&seg);
	a = rh_node_new(&seg, 1);
	b = rh_node_new(&seg, 2);
	cn = rh_node_new(&seg, 3);
	rh_server_init(&sb, b, "mover", echo, 64);
	rh_server_init(&sc, cn, "mover", echo, 64);
	rh_client_init(&c, a, 64);
	rh_add_server(&sb);
	rh_add_client(&c);
	rh_trans(&c, "mover", "m", 2, 1);
	ok = rh_wait(&c, 10000) && c.result == 2 && sb.served == 1;
	b->nic.up = 0;			/* B reboots: */
	b2 = rh_node_new(&seg, 2);	/* same MAC, no server */
	rh_add_server(&sc);
	rh_pump();
	t0 = flip_port_now_ms();
	rh_trans(&c, "mover", "m", 2, 1);
	ok = ok && rh_wait(&c, 30000);
	printf("# NOTHERE move: result %d after %u ms\n", c.result,
	       flip_port_now_ms() - t0);
	CHECK(ok && c.result == 2 && sc.served == 1 && sb.served == 1 &&
	      flip_port_now_ms() - t0 <= 5000,
	      "bounced (NOTHERE) request relocates and reaches C within 5 s");
	rh_client_fini(&c);
	rh_server_fini(&sb);
	rh_server_fini(&sc);
	rh_node_free(a);
	rh_node_free(b);
	rh_node_free(b2);
	rh_node_free(cn);
}

static void
test_unsafe(void)
{
	struct sim_seg seg;
	struct rh_node *a, *b;
	struct rh_server s;
	struct rh_client c;
	uint8_t m1[6] = { 2, 0, 0, 0, 0, 1 }, m2[6] = { 2, 0, 0, 0, 0, 2 };

	rh_reset();
	sim_seg_init(&seg);
	a = rh_node_new(NULL, 1);
	b = rh_node_new(NULL, 2);
	sim_nic_attach(&a->nic, &seg, &a->sw, m1, 0);	/* untrusted */
	sim_nic_attach(&b->nic, &seg, &b->sw, m2, 0);
	rh_server_init(&s, b, "unsafe", echo, 64);
	rh_client_init(&c, a, 64);
	rh_add_server(&s);
	rh_add_client(&c);
	rh_trans(&c, "unsafe", "u", 2, 1);
	rh_wait(&c, 300000);
	CHECK(!c.busy && c.result == RPC_UNSAFE && s.served == 0,
	      "server only over an untrusted network -> RPC_UNSAFE");
	rh_client_fini(&c);
	rh_server_fini(&s);
	rh_node_free(a);
	rh_node_free(b);
}

static void
test_wire(void)
{
	uint8_t w[24] = { 1, 2, 3, 4, 5, 6, 7, 8, 'p', 'o', 'r', 't', 'x',
			  'y', RPC_T_REQUEST, RPC_FL_BIGENDIAN | RPC_FL_RETRANS,
			  0x12, 0x34, 0x56, 0x78, 0x01, 0x02, 0x03, 0x04 };
	uint8_t hw[32];
	struct rpc_amphdr a;
	header h;

	CHECK(rpc_amp_decode(w, &a) == 1 && a.ah_tid == 0x12345678 &&
	      a.ah_dest == 0x0102 && a.ah_from == 0x0304 &&
	      a.ah_flags == RPC_FL_RETRANS && a.ah_kid[7] == 8,
	      "big-endian amphdr swapped, flag cleared");
	rpc_amp_encode(&a, w);
	CHECK(w[16] == 0x78 && w[20] == 0x02 && !(w[15] & RPC_FL_BIGENDIAN),
	      "amphdr sent little-endian");
	memset(hw, 0, sizeof(hw));
	hw[22] = 0x03; hw[23] = 0xE8;		/* command 1000, BE */
	hw[24] = 0xFF; hw[25] = 0xFF; hw[26] = 0xFF; hw[27] = 0xFE;
	hw[28] = 0x75; hw[29] = 0x30;
	rpc_hdr_decode(hw, &h, 1);
	CHECK(h.h_command == 1000 && h.h_offset == -2 && h.h_size == 30000,
	      "big-endian Amoeba header fields swapped");
}

/*
 * Large requests and replies (69 fragments, credits) over a lossy LAN.
 * Amoeba recovers a lost fragment only by resending the whole message,
 * so the loss rate is kept at 0.5 % (70 % of the tries get through).
 */
static uint32_t big_exec[20];

static uint32_t
big_handler(struct rh_server *s, header *h, uint8_t *buf, uint32_t n)
{
	(void)s;
	if (n >= 4 && buf[0] < 20)
		big_exec[buf[0]]++;
	h->h_status = 0;
	return n;
}

static void
test_big_lossy(void)
{
	struct sim_seg seg;
	struct rh_node *a, *b;
	struct rh_server s;
	struct rh_client c;
	uint8_t *msg = malloc(100000);
	int i, good = 0, once = 0;

	rh_reset();
	sim_seed(4242);
	sim_seg_init(&seg);
	seg.loss_permille = 5;
	a = rh_node_new(&seg, 1);
	b = rh_node_new(&seg, 2);
	rh_server_init(&s, b, "bigsv", big_handler, 100000);
	rh_client_init(&c, a, 100000);
	rh_add_server(&s);
	rh_add_client(&c);
	for (i = 0; i < 20; i++) {
		memset(msg, i, 100000);
		rh_trans(&c, "bigsv", msg, 100000, 1);
		if (rh_wait(&c, 600000) && c.result == 100000 &&
		    memcmp(c.rbuf, msg, 100000) == 0)
			good++;
		else
			printf("# big %d: result %d\n", i, c.result);
	}
	for (i = 0; i < 20; i++)
		once += big_exec[i] == 1;
	printf("# %u frames, %u lost, %u credit requests\n", seg.sent,
	       seg.lost, a->sw.st.fc_reqcredit + b->sw.st.fc_reqcredit);
	CHECK(good == 20 && once == 20,
	      "20 x 100 kB request+reply over 0.5 % loss: all once, all replied");
	rh_client_fini(&c);
	rh_server_fini(&s);
	rh_node_free(a);
	rh_node_free(b);
	free(msg);
}

int
main(void)
{
	sim_seed(42);
	test_kid();
	test_local();
	test_remote();
	test_listen_index();
	test_crash();
	test_retrans();
	test_misc();
	test_forward();
	test_server_moves();
	test_server_moves_nothere();
	test_unsafe();
	test_wire();
	test_big_lossy();
	test_route_flood();
	test_amo();
	rh_reset();
	CHECK(sim_allocs() == 0, "no leaked protocol memory");
	return TEST_DONE();
}
