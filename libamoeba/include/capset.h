/*
 * capset.h - the capability environment of a process (spec 8.4).
 *
 * The initial stack holds, besides argv and envp, a list of named
 * capabilities ("capv"): pairs of name and capability pointer ending with
 * a pair of NULLs.  getcap(name) returns the capability of that name from
 * it, or NULL.
 */
#ifndef CAPSET_H
#define CAPSET_H

#include <amoeba.h>

struct caplist {
	char *cl_name;			/* name, NUL-terminated */
	capability *cl_cap;		/* the capability */
};

/* The list the process started with (NULL when it had none). */
extern struct caplist *vx_capv;

capability *getcap(const char *name);

#endif /* CAPSET_H */
