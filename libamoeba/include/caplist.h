/*
 * caplist.h - the capability environment of a process (spec 8.4).
 *
 * The initial stack holds, besides argv and envp, a list of named
 * capabilities ("capv"): pairs of name and capability pointer ending with
 * a pair of NULLs.  getcap(name) (amoeba.h) returns the capability of
 * that name from it, or NULL.
 */
#ifndef CAPLIST_H
#define CAPLIST_H

#include <amoeba.h>

struct caplist {
	char *cl_name;			/* name, NUL-terminated */
	capability *cl_cap;		/* the capability */
};

/* The list the process started with (NULL when it had none); a program
 * may point it at a list of its own. */
extern struct caplist *vx_capv;

#endif /* CAPLIST_H */
