/*
 * grp_harness.h - simulated nodes with one group member each, and the
 * little automatons the group host tests drive them with (header-only,
 * included by test_grp.c and fuzz_grp.c).
 *
 * A node is a FLIP switch on the simulated Ethernet plus a group node;
 * its receiver automaton keeps a grp_receive pending and logs every
 * message it gets (the oracle compares the logs); its sender automaton
 * sends a number of messages one after the other, each naming its
 * sender and number in h_offset and carrying a checkable body.
 * gh_pump() steps the automatons and delivers frames until nothing
 * moves; gh_wait() runs simulated time until a condition holds.
 */
#ifndef TESTS_HOST_GRP_HARNESS_H
#define TESTS_HOST_GRP_HARNESS_H

#include <stdlib.h>
#include <string.h>
#include "grp/grp.h"
#include "grp/grp_impl.h"
#include "flip/flip_port.h"
#include "tests/host/sim/sim.h"

#define GH_MAX		8
#define GH_MAXLOG	4096
#define GH_BUF		(64 * 1024)
/* h_command of the messages the automatons send. */
#define GH_DATA		1
#define GH_JOIN		2
#define GH_LEAVE	3
#define GH_RESET	4

struct gh_node {
	struct flip_switch sw;
	struct sim_nic nic;
	struct grp_node gn;
	int id, dead;
	int32_t gid;			/* -1: not in a group */
	/* join */
	struct grp_call jc;
	int joining;
	/* receiver */
	struct grp_call rc;
	int recv_on, recving, aborted;
	uint64_t log[GH_MAXLOG];	/* command << 32 | offset, in order */
	int nlog, badbody;
	/* sender */
	struct grp_call sc;
	int sending, tosend, sent, sendaborts;
	uint32_t size;			/* body size of the next sends */
	uint32_t k;			/* number of the next message */
	uint8_t *buf;
	/* reset: after BC_ABORT, grp_reset(nmem) until it works */
	struct grp_call xc;
	int autoreset, resetting, resets, nmem;
	int32_t resetres;
	/* leave */
	struct grp_call lc;
	int leaving;
	int32_t leaveres;
};

static struct gh_node *gh_nodes[GH_MAX];
static int gh_n;
static void (*gh_hook)(void);	/* run after every frame (tests' checks) */

static inline void
gh_tick(void *arg)
{
	struct gh_node *n = arg;

	if (!n->dead)
		grp_tick(&n->gn);
}

/* A new node; its MAC is mac, or (NULL) one of its own. */
static inline struct gh_node *
gh_node_new_mac(struct sim_seg *seg, const uint8_t *mac)
{
	struct gh_node *n = calloc(1, sizeof(*n));
	uint8_t own[6] = { 0x02, 0, 0, 0, 0x10, (uint8_t)gh_n };

	n->id = gh_n;
	n->gid = -1;
	n->buf = malloc(GH_BUF);
	flip_sw_init(&n->sw, 0);
	sim_register_switch(&n->sw);
	sim_nic_attach(&n->nic, seg, &n->sw, mac ? mac : own, 1);
	grp_node_init(&n->gn, &n->sw);
	sim_register_tick(gh_tick, n);
	gh_nodes[gh_n++] = n;
	return n;
}

static inline struct gh_node *
gh_node_new(struct sim_seg *seg)
{
	return gh_node_new_mac(seg, NULL);
}

static inline void
gh_free_all(void)
{
	int i;

	for (i = 0; i < gh_n; i++) {
		struct gh_node *n = gh_nodes[i];

		grp_node_fini(&n->gn);
		flip_sw_fini(&n->sw);
		free(n->buf);
		free(n);
	}
	gh_n = 0;
	gh_hook = NULL;
	sim_reset();
}

/* The body of message k of node id: checkable bytes. */
static inline uint8_t
gh_byte(uint32_t id, uint32_t k, uint32_t i)
{
	return (uint8_t)(id * 31 + k * 7 + i + (i >> 8));
}

static inline void
gh_header(header *h, const port *p, int cmd, uint32_t off)
{
	memset(h, 0, sizeof(*h));
	h->h_port = *p;
	h->h_command = cmd;
	h->h_offset = (int32_t)off;
}

static inline void
gh_log(struct gh_node *n, const header *h, int32_t len)
{
	uint32_t off = (uint32_t)h->h_offset, id = off >> 20, k = off & 0xfffff;
	int32_t i;

	if (h->h_command == GH_DATA)
		for (i = 0; i < len; i++)
			if (n->buf[i] != gh_byte(id, k, i)) {
				n->badbody++;
				break;
			}
	if (n->nlog < GH_MAXLOG)
		n->log[n->nlog++] = (uint64_t)h->h_command << 32 | off;
}

static inline int
gh_recv_step(struct gh_node *n)
{
	header h;
	int32_t r;
	int more;

	if (n->dead || n->gid < 0 || !n->recv_on)
		return 0;
	if (!n->recving) {
		n->recving = 1;
		grp_receive_start(&n->gn, n, n->gid, &n->rc);
		return 1;
	}
	if (!n->rc.done)
		return 0;
	n->recving = 0;
	r = grp_receive_finish(&n->rc, &h, n->buf, GH_BUF, &more);
	if (r >= 0)
		gh_log(n, &h, r);
	else {
		n->recv_on = 0;
		n->aborted |= r == BC_ABORT;
	}
	return 1;
}

static inline int
gh_send_step(struct gh_node *n)
{
	header h;
	port p;
	uint32_t i;

	if (n->dead || n->gid < 0)
		return 0;
	if (n->sending) {
		if (!n->sc.done)
			return 0;
		n->sending = 0;
		if (n->sc.result == STD_OK) {
			n->sent++;
			n->tosend--;
		} else if (n->sc.result == BC_ABORT) {
			n->aborted = 1;
			n->sendaborts++;
			n->tosend--;
		}
		return 1;
	}
	if (n->tosend <= 0 || n->aborted)
		return 0;
	grp_info(&n->gn, n, n->gid, &p, NULL, NULL, 0);
	for (i = 0; i < n->size; i++)
		n->buf[i] = gh_byte(n->id, n->k, i);
	gh_header(&h, &p, GH_DATA, (uint32_t)n->id << 20 | n->k);
	n->k++;
	n->sending = 1;
	grp_send_start(&n->gn, n, n->gid, &n->sc, &h, n->buf, n->size);
	return 1;
}

static inline int
gh_join_step(struct gh_node *n)
{
	if (!n->joining || !n->jc.done)
		return 0;
	n->joining = 0;
	n->gid = grp_join_finish(&n->jc);
	return 1;
}

/* After BC_ABORT: grp_reset until the group is rebuilt. */
static inline int
gh_reset_step(struct gh_node *n)
{
	header h;
	port p;

	if (n->dead || n->gid < 0 || !n->autoreset)
		return 0;
	if (n->resetting) {
		if (!n->xc.done)
			return 0;
		n->resetting = 0;
		n->resetres = grp_reset_finish(&n->xc);
		if (n->resetres >= 0 || n->resetres == BC_ILLRESET) {
			n->resets++;
			n->aborted = 0;
			n->recv_on = 1;
		}
		return 1;
	}
	if (!n->aborted || n->sending || n->recving)
		return 0;
	grp_info(&n->gn, n, n->gid, &p, NULL, NULL, 0);
	gh_header(&h, &p, GH_RESET, (uint32_t)n->id << 20);
	n->resetting = 1;
	grp_reset_start(&n->gn, n, n->gid, &n->xc, &h, n->nmem);
	return 1;
}

static inline int
gh_leave_step(struct gh_node *n)
{
	if (!n->leaving || !n->lc.done)
		return 0;
	n->leaving = 0;
	n->leaveres = grp_leave_finish(&n->lc);
	return 1;
}

static inline void
gh_leave(struct gh_node *n)
{
	header h;
	port p;

	grp_info(&n->gn, n, n->gid, &p, NULL, NULL, 0);
	gh_header(&h, &p, GH_LEAVE, (uint32_t)n->id << 20);
	n->leaving = 1;
	grp_leave_start(&n->gn, n, n->gid, &n->lc, &h);
}

static inline void
gh_pump(void)
{
	int moved, i;

	do {
		moved = 0;
		for (i = 0; i < gh_n; i++) {
			if (gh_nodes[i]->dead)
				continue;
			moved |= gh_reset_step(gh_nodes[i]);
			moved |= gh_leave_step(gh_nodes[i]);
			moved |= gh_join_step(gh_nodes[i]);
			moved |= gh_recv_step(gh_nodes[i]);
			moved |= gh_send_step(gh_nodes[i]);
		}
		while (gh_hook && sim_deliver_one()) {
			gh_hook();
			moved = 1;
		}
		if (sim_pending()) {
			sim_flush();
			moved = 1;
		}
	} while (moved);
}

struct gh_cond {
	int (*fn)(void *arg);
	void *arg;
};

static inline int
gh_until(void *arg)
{
	struct gh_cond *c = arg;

	gh_pump();
	return c->fn(c->arg);
}

/* Run simulated time (10 ms steps) until fn(arg) or ms passed. */
static inline int
gh_wait(int (*fn)(void *), void *arg, uint32_t ms)
{
	struct gh_cond c = { fn, arg };

	return sim_run(ms, 10, gh_until, &c);
}

/* ---- scenario helpers ---------------------------------------------------- */

static inline int32_t
gh_create(struct gh_node *n, const char *name, int r, int maxgroup,
	  int lognbuf, int logmaxmess)
{
	port p;

	memset(&p, 0, sizeof(p));
	memcpy(p._portbytes, name, PORTSIZE);
	n->gid = grp_create(&n->gn, n, &p, r, maxgroup, lognbuf, logmaxmess,
			    NULL);
	n->recv_on = n->gid >= 0;
	return n->gid;
}

static inline void
gh_join(struct gh_node *n, const char *name)
{
	header h;
	port p;

	memset(&p, 0, sizeof(p));
	memcpy(p._portbytes, name, PORTSIZE);
	gh_header(&h, &p, GH_JOIN, (uint32_t)n->id << 20);
	n->joining = 1;
	n->recv_on = 1;
	grp_join_start(&n->gn, n, &n->jc, &h, NULL);
}

static inline int
gh_joined(void *arg)
{
	struct gh_node *n = arg;

	return !n->joining;
}

/* Faster timers for every member (ms): sync, reply, alive. */
static inline void
gh_timers(struct gh_node *n, int sync, int reply, int alive)
{
	grp_set(&n->gn, n, n->gid, NULL, sync, reply, alive, 0);
	if (n->gid >= 0 && n->gn.groups[n->gid])
		n->gn.groups[n->gid]->t_reset = 400;
}

/* The node's group object (NULL if none). */
static inline struct grp_group *
gh_group(struct gh_node *n)
{
	return n->gid >= 0 ? n->gn.groups[n->gid] : NULL;
}

static inline void
gh_crash(struct gh_node *n)
{
	n->dead = 1;
	n->nic.up = 0;
}

#endif /* TESTS_HOST_GRP_HARNESS_H */
