/*
 * rpc_harness.h - simulated nodes and little client/server automatons
 * for the RPC host tests (header-only, included by test_rpc.c).
 *
 * A node is a FLIP switch plus an RPC node and one process; a server
 * automaton loops getreq -> handler -> putrep; a client automaton runs
 * one transaction at a time.  rh_pump() steps all automatons and the
 * simulated Ethernet until nothing moves.  rh_call() is the blocking
 * shape instead (rpc/rpc_block.h, as the kernel uses it): the simulation
 * and the automatons run while the caller sleeps.
 */
#ifndef TESTS_HOST_RPC_HARNESS_H
#define TESTS_HOST_RPC_HARNESS_H

#include <stdlib.h>
#include <string.h>
#include <module/prv.h>
#include "rpc/rpc.h"
#include "rpc/rpc_impl.h"
#include "rpc/rpc_block.h"
#include "flip/flip_port.h"
#include "tests/host/sim/sim.h"

struct rh_node {
	struct flip_switch sw;
	struct sim_nic nic;
	struct rpc_node rn;
	struct rpc_proc proc;
};

static inline void
rh_tick(void *arg)
{
	rpc_tick(arg);
}

static inline struct rh_node *
rh_node_new(struct sim_seg *seg, uint8_t id)
{
	struct rh_node *n = calloc(1, sizeof(*n));
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0, id };

	flip_sw_init(&n->sw, 0);
	sim_register_switch(&n->sw);
	if (seg)
		sim_nic_attach(&n->nic, seg, &n->sw, mac, 1);
	rpc_node_init(&n->rn, &n->sw);
	rpc_proc_init(&n->rn, &n->proc);
	sim_register_tick(rh_tick, &n->rn);
	return n;
}

static inline void
rh_node_free(struct rh_node *n)
{
	sim_nic_detach(&n->nic);
	rpc_node_fini(&n->rn);
	flip_sw_fini(&n->sw);
	free(n);
}

/* ---- server automaton ---------------------------------------------------- */

struct rh_server;
/* handler: fill *rep and the reply body; return its length */
typedef uint32_t (*rh_handler)(struct rh_server *s, header *h,
			       uint8_t *buf, uint32_t n);

struct rh_server {
	struct rpc_call c;
	int phase;			/* 0 idle, 1 getreq, 2 putrep, 3 hold */
	port getport;
	rh_handler fn;
	uint8_t *buf;			/* request/reply buffer */
	uint32_t bufsize;
	uint32_t served;		/* requests executed */
	int32_t last_putrep;		/* last putrep result */
	int hold;			/* don't reply: stay serving */
	uint32_t delay_ms, since;	/* reply only after delay */
	header h;			/* reply header kept while holding */
	uint32_t replen;		/* reply length kept while holding */
};

static inline void
rh_server_init(struct rh_server *s, struct rh_node *n, const char *name,
	       rh_handler fn, uint32_t bufsize)
{
	memset(s, 0, sizeof(*s));
	rpc_call_init(&n->proc, &s->c);
	memcpy(s->getport._portbytes, name, PORTSIZE);
	s->fn = fn;
	s->bufsize = bufsize;
	s->buf = malloc(bufsize ? bufsize : 1);
}

static inline void
rh_server_fini(struct rh_server *s)
{
	free(s->buf);
}

static inline int
rh_server_step(struct rh_server *s)
{
	header h;
	int32_t n;
	uint32_t r;

	switch (s->phase) {
	case 0:
		memset(&h, 0, sizeof(h));
		h.h_port = s->getport;
		rpc_getreq_start(&s->c, &h);
		s->phase = 1;
		return 1;
	case 1:
		if (!s->c.done)
			return 0;
		n = rpc_getreq_finish(&s->c, &h, s->buf, s->bufsize);
		if (n < 0) {
			s->phase = 0;
			return 1;
		}
		s->served++;
		s->since = flip_port_now_ms();
		r = s->fn(s, &h, s->buf, n);
		if (s->hold || s->delay_ms) {
			s->h = h;
			s->replen = r;
			s->phase = 3;
			return 1;
		}
		rpc_putrep_start(&s->c, &h, s->buf, r);
		s->phase = 2;
		return 1;
	case 3:
		if (s->hold ||
		    flip_port_now_ms() - s->since < s->delay_ms)
			return 0;
		rpc_putrep_start(&s->c, &s->h, s->buf, s->replen);
		s->phase = 2;
		return 1;
	case 2:
		if (!s->c.done)
			return 0;
		s->last_putrep = rpc_putrep_finish(&s->c);
		s->phase = 0;
		return 1;
	}
	return 0;
}

/* ---- client automaton ------------------------------------------------------ */

struct rh_client {
	struct rpc_call c;
	int busy;
	int32_t result;			/* last trans result */
	header rep;
	uint8_t *rbuf;
	uint32_t rsize;
	uint32_t ndone;
};

static inline void
rh_client_init(struct rh_client *cl, struct rh_node *n, uint32_t rsize)
{
	memset(cl, 0, sizeof(*cl));
	rpc_call_init(&n->proc, &cl->c);
	cl->rsize = rsize;
	cl->rbuf = malloc(rsize ? rsize : 1);
}

static inline void
rh_client_fini(struct rh_client *cl)
{
	free(cl->rbuf);
}

/* A request header for the put-port of name. */
static inline void
rh_header(header *h, const char *name, uint32_t n, uint16_t cmd)
{
	port g;

	memset(h, 0, sizeof(*h));
	memcpy(g._portbytes, name, PORTSIZE);
	priv2pub(&g, &h->h_port);
	h->h_command = cmd;
	h->h_size = (uint16_t)n;
}

/* Start a trans to the put-port of name. */
static inline errstat
rh_trans(struct rh_client *cl, const char *name, const void *buf,
	 uint32_t n, uint16_t cmd)
{
	header h;

	rh_header(&h, name, n, cmd);
	cl->busy = 1;
	return rpc_trans_start(&cl->c, &h, buf, n);
}

/*
 * rh_call - one blocking trans (rpc_trans_wait); the result, reply
 * header and data land in cl as after rh_wait.  0 if the sleep ran out
 * of simulated time (SIM_SLEEP_MS).
 */
static inline int
rh_call(struct rh_client *cl, const char *name, const void *buf,
	uint32_t n, uint16_t cmd)
{
	header h;

	rh_header(&h, name, n, cmd);
	cl->result = rpc_trans_wait(&cl->c, &h, buf, n, &cl->rep, cl->rbuf,
				    cl->rsize);
	cl->ndone++;
	return cl->result != RPC_ABORTED;
}

static inline int
rh_client_step(struct rh_client *cl)
{
	if (!cl->busy || !cl->c.done)
		return 0;
	cl->result = rpc_trans_finish(&cl->c, &cl->rep, cl->rbuf, cl->rsize);
	cl->busy = 0;
	cl->ndone++;
	return 1;
}

/* ---- pumping --------------------------------------------------------------- */

#define RH_MAX	8
static struct rh_server *rh_servers[RH_MAX];
static struct rh_client *rh_clients[RH_MAX];
static int rh_nserver, rh_nclient;
static int (*rh_driver)(void);		/* extra per-pump work (tests) */

static inline void rh_pump(void);

static inline int
rh_idle(void)
{
	rh_pump();
	return 0;
}

static inline void
rh_reset(void)
{
	rh_nserver = rh_nclient = 0;
	rh_driver = NULL;
	sim_reset();
	sim_set_idle_hook(rh_idle);
}

static inline void
rh_add_server(struct rh_server *s)
{
	rh_servers[rh_nserver++] = s;
}

static inline void
rh_add_client(struct rh_client *c)
{
	rh_clients[rh_nclient++] = c;
}

/* Step automatons and deliver frames until nothing moves. */
static inline void
rh_pump(void)
{
	int moved, i;

	do {
		moved = 0;
		for (i = 0; i < rh_nserver; i++)
			moved |= rh_server_step(rh_servers[i]);
		for (i = 0; i < rh_nclient; i++)
			moved |= rh_client_step(rh_clients[i]);
		if (rh_driver)
			moved |= rh_driver();
		if (sim_pending()) {
			sim_flush();
			moved = 1;
		}
	} while (moved);
}

static inline int
rh_until_client_idle(void *arg)
{
	struct rh_client *cl = arg;

	rh_pump();
	return !cl->busy;
}

/* Run simulated time until cl's trans finished (or ms passed). */
static inline int
rh_wait(struct rh_client *cl, uint32_t ms)
{
	return sim_run(ms, 10, rh_until_client_idle, cl);
}

#endif /* TESTS_HOST_RPC_HARNESS_H */
