/*
 * cmdutil.h - what the small commands share: naming an object on the
 * command line, printing capabilities, the std_info/std_status main.  Portable Amoeba C (built for
 * Linux by make host; the same sources build with scripts/amcc).
 */
#ifndef USERLAND_CMD_CMDUTIL_H
#define USERLAND_CMD_CMDUTIL_H

#include <amoeba.h>

#define CMD_CAPSTR	(2 * CAPSIZE + 1)	/* 32 hex digits and a NUL */

/*
 * cmd_node - parse a leading "-m NODE" (and "-mNODE") from argv; returns
 * the index of the first other argument and sets *node (NULL if absent:
 * the default, $VX_NODE or "vx").
 */
int cmd_node(int argc, char **argv, const char **node);
/*
 * cmd_cap - the capability an argument names: 32 hex digits, "%" (the
 * node's kernel directory) or an entry of the node's kernel directory
 * (proc, sys, random, tod, tty, ...).  STD_OK or an error.
 */
errstat cmd_cap(const char *node, const char *arg, capability *cap);
/* cmd_capstr - cap as 32 hex digits (the 16 bytes in order). */
char *cmd_capstr(const capability *cap, char buf[CMD_CAPSTR]);
/*
 * cmd_std_text - the main() of std_info and std_status: `[-m node]
 * name...`, fn's text for each name (prefixed by the name when there are
 * several); exit status 0, 1 if any failed, 2 for a usage error.
 */
int cmd_std_text(int argc, char **argv,
		 errstat (*fn)(capability *, char *, int, int *));

#endif /* USERLAND_CMD_CMDUTIL_H */
