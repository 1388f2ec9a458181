/*
 * rpc_cache.c - the RPC node's caches (spec 3.5, 3.8): recent F results,
 * the port cache of remote servers, and the kid table with its 512-tid
 * at-most-once window per client kernel.
 *
 * Local listeners are not kept in the port cache: the node finds them
 * among its getreq threads directly.  Caller holds the network lock.
 */
#include <string.h>
#include <module/prv.h>
#include "rpc/rpc_impl.h"

void
rpc_f(struct rpc_node *rn, const port *g, port *p)
{
	int i;

	for (i = 0; i < RPC_NFCACHE; i++) {
		if (PORTCMP(&rn->fcache[i].g, g) &&
		    !NULLPORT(&rn->fcache[i].p)) {
			*p = rn->fcache[i].p;
			return;
		}
	}
	one_way(g, p);
	i = rn->fnext++ % RPC_NFCACHE;
	rn->fcache[i].g = *g;
	rn->fcache[i].p = *p;
}

struct rpc_pcache *
rpc_pc_lookup(struct rpc_node *rn, const port *pt)
{
	int i;

	for (i = 0; i < RPC_NPCACHE; i++) {
		if (rn->pc[i].used && PORTCMP(&rn->pc[i].port, pt)) {
			rn->pc[i].idle = 0;
			return &rn->pc[i];
		}
	}
	return NULL;
}

void
rpc_pc_install(struct rpc_node *rn, const port *pt, const flip_adr_t *addr,
	       int idx, int rtt)
{
	struct rpc_pcache *e = rpc_pc_lookup(rn, pt);
	int i;

	for (i = 0; e == NULL && i < RPC_NPCACHE; i++)
		if (!rn->pc[i].used)
			e = &rn->pc[i];
	if (e == NULL) {			/* LRU purge */
		e = &rn->pc[0];
		for (i = 1; i < RPC_NPCACHE; i++)
			if (rn->pc[i].idle > e->idle)
				e = &rn->pc[i];
	}
	e->used = 1;
	e->port = *pt;
	e->addr = *addr;
	e->idx = idx;
	e->rtt = rtt <= 0 ? 10 : rtt > 1000 ? 1000 : rtt;
	e->idle = 0;
}

void
rpc_pc_remove(struct rpc_node *rn, const port *pt)
{
	struct rpc_pcache *e = rpc_pc_lookup(rn, pt);

	if (e)
		e->used = 0;
}

void
rpc_pc_sweep(struct rpc_node *rn)
{
	uint32_t sum = 0, avg;
	int i, used = 0;

	for (i = 0; i < RPC_NPCACHE; i++) {
		if (rn->pc[i].used) {
			used++;
			sum += ++rn->pc[i].idle;
		}
	}
	if (used * 4 < RPC_NPCACHE * 3)
		return;
	avg = sum / used;
	for (i = 0; i < RPC_NPCACHE; i++)
		if (rn->pc[i].used && rn->pc[i].idle >= avg)
			rn->pc[i].used = 0;
}

static struct rpc_kident *
rpc_kid_find(struct rpc_node *rn, const uint8_t kid[8])
{
	int i;

	for (i = 0; i < RPC_NKID; i++)
		if (rn->kids[i].used && memcmp(rn->kids[i].kid, kid, 8) == 0)
			return &rn->kids[i];
	return NULL;
}

int
rpc_kid_known(struct rpc_node *rn, const uint8_t kid[8])
{
	return rpc_kid_find(rn, kid) != NULL;
}

int
rpc_kid_executable(struct rpc_node *rn, const uint8_t kid[8], uint32_t tid)
{
	struct rpc_kident *k = rpc_kid_find(rn, kid);
	int32_t d;

	if (k == NULL)
		return 1;
	d = (int32_t)(tid - k->last);
	if (d < 0)
		return 0;
	if (d >= RPC_KIDWIN)
		return 1;
	return !(k->bits[d / 32] & (1u << (d % 32)));
}

/* A free (or the most idle) kid entry. */
static struct rpc_kident *
rpc_kid_alloc(struct rpc_node *rn)
{
	struct rpc_kident *k = NULL;
	int i;

	for (i = 0; i < RPC_NKID; i++) {
		if (!rn->kids[i].used)
			return &rn->kids[i];
		if (k == NULL || rn->kids[i].idle > k->idle)
			k = &rn->kids[i];
	}
	return k;
}

/* Slide k's window in 32-tid steps until tid < last + 512. */
static void
rpc_kid_slide(struct rpc_kident *k, uint32_t tid)
{
	uint32_t words = ((tid - k->last) - RPC_KIDWIN) / 32 + 1;
	int i, n = RPC_KIDWIN / 32;

	if (words >= (uint32_t)n) {
		memset(k->bits, 0, sizeof(k->bits));
	} else {
		for (i = 0; i + (int)words < n; i++)
			k->bits[i] = k->bits[i + words];
		for (; i < n; i++)
			k->bits[i] = 0;
	}
	k->last += words * 32;
}

void
rpc_kid_update(struct rpc_node *rn, const uint8_t kid[8], uint32_t tid)
{
	struct rpc_kident *k = rpc_kid_find(rn, kid);
	uint32_t d;

	if (k == NULL) {
		k = rpc_kid_alloc(rn);
		memset(k, 0, sizeof(*k));
		k->used = 1;
		memcpy(k->kid, kid, 8);
		k->last = tid & ~31u;
	}
	k->idle = 0;
	if ((int32_t)(tid - k->last) < 0)
		return;			/* older than the window: executed */
	if (tid - k->last >= RPC_KIDWIN)
		rpc_kid_slide(k, tid);
	d = tid - k->last;
	k->bits[d / 32] |= 1u << (d % 32);
}

void
rpc_kid_sweep(struct rpc_node *rn)
{
	int i;

	for (i = 0; i < RPC_NKID; i++)
		if (rn->kids[i].used)
			rn->kids[i].idle++;
}
