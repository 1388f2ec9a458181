/*
 * capcache.c - cap_cmp and the cache of restricted capabilities
 * (module/cap.h): a small table, the oldest entry replaced when full,
 * protected by one mutex.
 */
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/cap.h>
#include <module/mutex.h>

#define CC_DEFAULT	32

struct cc_entry {
	capability cap;			/* the original */
	rights_bits mask;		/* restricted to */
	capability restricted;		/* the answer */
	unsigned long used;		/* age stamp; 0 = empty */
};

static struct cc_entry *cc_table;
static int cc_size;
static unsigned long cc_clock;
static mutex cc_mu;

int
cap_cmp(capability *cap1, capability *cap2)
{
	return memcmp(cap1, cap2, sizeof(capability)) == 0;
}

int
cc_init(int ncache)
{
	struct cc_entry *t;

	if (ncache <= 0)
		ncache = CC_DEFAULT;
	t = calloc((size_t)ncache, sizeof(*t));
	if (t == NULL)
		return -1;
	mu_lock(&cc_mu);
	free(cc_table);
	cc_table = t;
	cc_size = ncache;
	mu_unlock(&cc_mu);
	return 0;
}

/* The entry for (cap, mask), or the one to replace.  Holds cc_mu. */
static struct cc_entry *
cc_slot(capability *cap, rights_bits mask, int *hit)
{
	struct cc_entry *victim = &cc_table[0];

	for (int i = 0; i < cc_size; i++) {
		struct cc_entry *e = &cc_table[i];

		if (e->used && e->mask == mask && cap_cmp(&e->cap, cap)) {
			*hit = 1;
			return e;
		}
		if (e->used < victim->used)
			victim = e;
	}
	*hit = 0;
	return victim;
}

int
cc_restrict(capability *cap, rights_bits mask, capability *newcap,
	    errstat (*restrict_fn)(capability *, rights_bits, capability *))
{
	struct cc_entry *e;
	errstat err;
	int hit;

	mask &= cap->cap_priv.prv_rights & PRV_ALL_RIGHTS;
	if (cc_table == NULL && cc_init(0) != 0)
		return restrict_fn(cap, mask, newcap);
	mu_lock(&cc_mu);
	e = cc_slot(cap, mask, &hit);
	if (hit) {
		*newcap = e->restricted;
		e->used = ++cc_clock;
		mu_unlock(&cc_mu);
		return STD_OK;
	}
	mu_unlock(&cc_mu);
	err = restrict_fn(cap, mask, newcap);
	if (err != STD_OK)
		return err;
	mu_lock(&cc_mu);
	e = cc_slot(cap, mask, &hit);
	e->cap = *cap;
	e->mask = mask;
	e->restricted = *newcap;
	e->used = ++cc_clock;
	mu_unlock(&cc_mu);
	return STD_OK;
}
