/*
 * flip_route.c - the FLIP routing table (spec 2.6): address -> locations
 * (network, location, hop count, endpoint counts, trust, idle age).
 *
 * A flat array of location records chained in 256 hash buckets on the
 * low 8 bits of the address's first 32-bit word.  Local records (own
 * endpoints) are never aged or purged, nor are the records of pinned
 * addresses (flip_rt_pin: transactions in progress depend on them).
 * When the table is full, the least recently (re)installed remote record
 * makes room.  Caller holds the network lock.
 */
#include <string.h>
#include "flip/flip_impl.h"
#include "flip/flip_port.h"

static int
flip_rt_hash(const flip_adr_t *a)
{
	return a->a_abytes[0] & (FLIP_NRHASH - 1);	/* low byte, LE word */
}

void
flip_rt_init(struct flip_switch *sw)
{
	int i;

	memset(sw->rt, 0, sizeof(sw->rt));
	memset(sw->pins, 0, sizeof(sw->pins));
	for (i = 0; i < FLIP_NRHASH; i++)
		sw->rthash[i] = -1;
}

int
flip_rt_find(struct flip_switch *sw, const flip_adr_t *a, int ntw,
	     const flip_loc_t *loc)
{
	int i;

	for (i = sw->rthash[flip_rt_hash(a)]; i >= 0; i = sw->rt[i].next) {
		struct flip_route *r = &sw->rt[i];

		if (r->ntw == ntw && flip_adr_eq(&r->addr, a) &&
		    (loc == NULL || flip_loc_eq(&r->loc, loc)))
			return i;
	}
	return -1;
}

void
flip_rt_remove(struct flip_switch *sw, int idx)
{
	struct flip_route *r = &sw->rt[idx];
	int16_t *pp = &sw->rthash[flip_rt_hash(&r->addr)];

	while (*pp >= 0 && *pp != idx)
		pp = &sw->rt[*pp].next;
	if (*pp == idx)
		*pp = r->next;
	memset(r, 0, sizeof(*r));
}

/* The pin slot of address a, or NULL. */
static struct flip_pin *
flip_pin_find(struct flip_switch *sw, const flip_adr_t *a)
{
	for (int i = 0; i < FLIP_NPIN; i++)
		if (sw->pins[i].refs && flip_adr_eq(&sw->pins[i].addr, a))
			return &sw->pins[i];
	return NULL;
}

void
flip_rt_pin(struct flip_switch *sw, const flip_adr_t *a)
{
	struct flip_pin *p = flip_pin_find(sw, a);

	for (int i = 0; p == NULL && i < FLIP_NPIN; i++)
		if (sw->pins[i].refs == 0) {
			p = &sw->pins[i];
			p->addr = *a;
		}
	if (p && p->refs < UINT16_MAX)
		p->refs++;
}

void
flip_rt_unpin(struct flip_switch *sw, const flip_adr_t *a)
{
	struct flip_pin *p = flip_pin_find(sw, a);

	if (p)
		p->refs--;
}

/* May record r be dropped (remote and not pinned)? */
static int
flip_rt_droppable(struct flip_switch *sw, const struct flip_route *r)
{
	return r->used && !r->local && flip_pin_find(sw, &r->addr) == NULL;
}

/*
 * Purge the least recently (re)installed droppable record to make room;
 * -1 if none may go.
 */
static int
flip_rt_purge(struct flip_switch *sw)
{
	uint32_t now = flip_port_now_ms();
	int i, victim = -1;

	for (i = 0; i < FLIP_NROUTE; i++) {
		struct flip_route *r = &sw->rt[i];

		if (flip_rt_droppable(sw, r) &&
		    (victim < 0 || now - r->last > now - sw->rt[victim].last))
			victim = i;
	}
	if (victim >= 0)
		flip_rt_remove(sw, victim);
	return victim;
}

static int
flip_rt_alloc(struct flip_switch *sw)
{
	int i;

	for (i = 0; i < FLIP_NROUTE; i++)
		if (!sw->rt[i].used)
			return i;
	return flip_rt_purge(sw);
}

int
flip_rt_install(struct flip_switch *sw, const flip_adr_t *a, int ntw,
		const flip_loc_t *loc, int hop, int count, int tcount, int local)
{
	static const flip_loc_t noloc;
	int i = flip_rt_find(sw, a, ntw, loc ? loc : &noloc);
	struct flip_route *r;

	if (i < 0) {
		i = flip_rt_alloc(sw);
		if (i < 0)
			return -1;
		r = &sw->rt[i];
		r->addr = *a;
		r->loc = loc ? *loc : noloc;
		r->ntw = ntw;
		r->used = 1;
		r->next = sw->rthash[flip_rt_hash(a)];
		sw->rthash[flip_rt_hash(a)] = i;
	}
	r = &sw->rt[i];
	r->local = local;
	r->hop = hop;
	r->count = count;
	r->tcount = tcount;
	r->trusted = tcount > 0;
	r->idle = 0;
	r->last = flip_port_now_ms();
	return i;
}

void
flip_rt_remove_except(struct flip_switch *sw, const flip_adr_t *a,
		      int keep_ntw)
{
	int i, n;

	for (i = sw->rthash[flip_rt_hash(a)]; i >= 0; i = n) {
		struct flip_route *r = &sw->rt[i];

		n = r->next;
		if (!r->local && r->ntw != keep_ntw && flip_adr_eq(&r->addr, a))
			flip_rt_remove(sw, i);
	}
}

void
flip_rt_remove_net(struct flip_switch *sw, int ntw)
{
	int i;

	for (i = 0; i < FLIP_NROUTE; i++)
		if (sw->rt[i].used && sw->rt[i].ntw == ntw)
			flip_rt_remove(sw, i);
}

/* Iterate over the records of address a: first, then next (-1 = end). */
int
flip_rt_first(struct flip_switch *sw, const flip_adr_t *a)
{
	int i = sw->rthash[flip_rt_hash(a)];

	while (i >= 0 && !flip_adr_eq(&sw->rt[i].addr, a))
		i = sw->rt[i].next;
	return i;
}

int
flip_rt_next(struct flip_switch *sw, int idx)
{
	const flip_adr_t *a = &sw->rt[idx].addr;
	int i = sw->rt[idx].next;

	while (i >= 0 && !flip_adr_eq(&sw->rt[i].addr, a))
		i = sw->rt[i].next;
	return i;
}

int
flip_rt_is_local(struct flip_switch *sw, const flip_adr_t *a)
{
	int i;

	for (i = sw->rthash[flip_rt_hash(a)]; i >= 0; i = sw->rt[i].next)
		if (sw->rt[i].local && flip_adr_eq(&sw->rt[i].addr, a))
			return 1;
	return 0;
}

/*
 * Best location of a: a local record if there is one (a remote record
 * for our own address, e.g. from a forged HEREIS, must never win), else
 * the smallest hop within budget, not on exclude_ntw; under secure only
 * trusted records count, and *unsafe reports that untrusted ones exist.
 * Returns the record index or -1.
 */
int
flip_rt_best(struct flip_switch *sw, const flip_adr_t *a, int budget,
	     int exclude_ntw, int secure, int *unsafe)
{
	int i, best = -1;

	if (unsafe)
		*unsafe = 0;
	for (i = sw->rthash[flip_rt_hash(a)]; i >= 0; i = sw->rt[i].next) {
		struct flip_route *r = &sw->rt[i];

		if (!flip_adr_eq(&r->addr, a) || r->ntw == exclude_ntw ||
		    r->hop > budget)
			continue;
		if (secure && !r->trusted) {
			if (unsafe)
				*unsafe = 1;
			continue;
		}
		if (r->local)
			return i;	/* own endpoints always win */
		if (best < 0 || r->hop < sw->rt[best].hop)
			best = i;
	}
	return best;
}

void
flip_rt_totals(struct flip_switch *sw, const flip_adr_t *a, int exclude_ntw,
	       int secure, int *count, int *tcount, int *maxhop)
{
	int i;

	*count = *tcount = *maxhop = 0;
	for (i = sw->rthash[flip_rt_hash(a)]; i >= 0; i = sw->rt[i].next) {
		struct flip_route *r = &sw->rt[i];

		if (!flip_adr_eq(&r->addr, a) || r->ntw == exclude_ntw)
			continue;
		if (secure && !r->trusted)
			continue;
		*count += r->count;
		*tcount += r->tcount;
		if (r->hop > *maxhop)
			*maxhop = r->hop;
	}
}

/*
 * The 25-second aging sweep: every remote record gets one idle tick;
 * with more than 3/4 of the table in use, droppable records at least as
 * idle as the average are dropped - but never ones (re)installed since
 * the last sweep (idle 1): under a flood of new sources every record is
 * that young, and purging by age then makes room one at a time.
 */
void
flip_rt_sweep(struct flip_switch *sw)
{
	uint32_t sum = 0, avg;
	int i, used = 0, remote = 0;

	for (i = 0; i < FLIP_NROUTE; i++) {
		if (!sw->rt[i].used)
			continue;
		used++;
		if (sw->rt[i].local)
			continue;
		remote++;
		sw->rt[i].idle++;
		sum += sw->rt[i].idle;
	}
	if (used * 4 <= FLIP_NROUTE * 3 || remote == 0)
		return;
	avg = sum / remote;
	for (i = 0; i < FLIP_NROUTE; i++) {
		if (flip_rt_droppable(sw, &sw->rt[i]) &&
		    sw->rt[i].idle >= avg && sw->rt[i].idle > 1) {
			flip_rt_remove(sw, i);
			sw->st.routes_aged++;
		}
	}
}
