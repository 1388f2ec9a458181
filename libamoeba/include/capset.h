/*
 * capset.h - capability sets (spec 1.5 and 7.1): the 1..MAXCAPSET
 * replicas of one object that a directory row holds, each with a
 * "current" flag, and the cs_* calls that manage them.  The suite array
 * of a capset made by these calls is malloc'ed; cs_free releases it.
 *
 * The capability environment that this header held before is in
 * caplist.h (struct caplist) and amoeba.h (getcap), as in Amoeba.
 */
#ifndef CAPSET_H
#define CAPSET_H

#include <amoeba.h>

#define MAXCAPSET	8		/* most capabilities in one capset */

typedef struct {
	capability s_object;		/* the capability */
	short s_current;		/* non-zero: this copy is current */
} suite;

typedef struct {
	short cs_initial;		/* copies when it was made */
	short cs_final;			/* copies in cs_suite */
	suite *cs_suite;		/* cs_final entries */
} capset;

/* Copy src into a new dst (1 = done, 0 = no memory). */
int cs_copy(capset *dst, capset *src);
/* Release the suite array of cs. */
void cs_free(capset *cs);
/* 1 if cap is one of cs's capabilities. */
int cs_member(capset *cs, capability *cap);
/* A capability of cs whose server answers (std_info), in *cap. */
errstat cs_goodcap(capset *cs, capability *cap);
/* The first current capability of cs, in *cap; STD_SYSERR if none. */
errstat cs_to_cap(capset *cs, capability *cap);
/* Destroy every object of cs (std_destroy) and empty it. */
errstat cs_purge(capset *cs);
/* Make cs hold cap alone (1 = done, 0 = no memory). */
int cs_singleton(capset *cs, capability *cap);

/* Marshalling (spec 1.5): i16 initial, i16 final, final x (cap, i16
 * current).  buf_get_capset allocates cs's suite (cs_free it); both
 * return NULL on overflow or a malformed capset. */
char *buf_get_capset(char *p, char *endbuf, capset *cs);
char *buf_put_capset(char *p, char *endbuf, capset *cs);

#endif /* CAPSET_H */
