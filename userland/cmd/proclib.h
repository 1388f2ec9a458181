/*
 * proclib.h - what aps, kill and stun share: the nodes to look at
 * (/hosts, or this node when there is none) and the processes of one
 * node (PS_LIST through pro_list), each within a bounded time so that
 * a node that is down is reported, not waited for.
 *
 * Included by exactly one .c file per program, after cmdlib.h.
 */
#ifndef USERLAND_CMD_PROCLIB_H
#define USERLAND_CMD_PROCLIB_H

#include <module/kdir.h>
#include <module/proc.h>
#include <module/run.h>
#include <server/process/proc.h>

#define PL_MAXPROC	64	/* processes of one node */
#define PL_LOCATE	1500	/* ms a node has to answer */

/* The nodes: those in /hosts, else this node alone; the count. */
static inline int
pl_nodes(char (*names)[RUN_NODEMAX], int max)
{
	const char *self = getenv("VX_NODE");
	int n = run_nodes(names, max);

	if (n > 0)
		return n;
	snprintf(names[0], RUN_NODEMAX, "%s",
		 self != NULL ? self : KDIR_DEFAULT_NODE);
	return 1;
}

/* The processes of node into ps (PL_MAXPROC); count or an error. */
static inline int
pl_list(const char *node, struct ps_info *ps)
{
	capability host;
	interval old = timeout(PL_LOCATE);
	errstat err = run_host(node, &host);
	int n = err == STD_OK ? pro_list(&host, ps, PL_MAXPROC) : err;

	timeout(old);
	return n;
}

#endif /* USERLAND_CMD_PROCLIB_H */
