/*
 * stunlib.h - the main of kill and stun: end or signal processes on any
 * node.
 *
 *   stun [-s detail] node:pid | capability | /path | program ...
 *   kill [-s signal] node:pid | capability | /path | program ...
 *
 * node:pid names one process of one node; a capability (32 hex digits,
 * as aps -c prints) or a path in the directory server names one
 * process by its process capability; a program name names every
 * process of that name on every node (/hosts).  Each is stunned
 * (PS_STUN) with detail (default 9), so its owner learns it was killed
 * and with which detail.  kill -s signal instead raises signal (> 0,
 * Amoeba's numbers) in each through its process server (pro_signal,
 * PS_SIGNAL): the threads that catch it get it; a process where none
 * does is stunned with the signal as detail.  Messages for an unknown node, a pid that
 * node does not run, a program no node runs; exit 1 if any target
 * failed, 2 for a usage error.
 *
 * Included by exactly one .c file per program, after proclib.h.
 */
#ifndef USERLAND_CMD_STUNLIB_H
#define USERLAND_CMD_STUNLIB_H

#include <unistd.h>

#define STUN_DEFDETAIL	9
#define STUN_USAGE	"[-s detail] node:pid | program ..."
#define KILL_USAGE	"[-s signal] node:pid | program ..."

static long stun_signal;	/* kill -s: the signal to raise; 0 = stun */

/* Stun proc with detail, or raise stun_signal in it (kill -s). */
static inline errstat
stun_one(capability *proc, long detail)
{
	if (stun_signal > 0)
		return pro_signal(proc, stun_signal);
	return pro_stun(proc, detail);
}

/* Stun node:pid; 0 on success, 1 (with a message) if not. */
static inline int
stun_pid(const char *arg, const char *colon, long detail)
{
	static struct ps_info ps[PL_MAXPROC];
	char node[RUN_NODEMAX], *end;
	long pid = strtol(colon + 1, &end, 10);
	errstat err;
	int n;

	if ((size_t)(colon - arg) >= sizeof(node) || colon == arg ||
	    *end != 0 || colon[1] == 0)
		return cmd_msg(arg, "not node:pid");
	memcpy(node, arg, (size_t)(colon - arg));
	node[colon - arg] = 0;
	n = pl_list(node, ps);
	if (n < 0)
		return cmd_msg(arg, n == RPC_NOTFOUND || n == STD_NOTFOUND ?
			       "unknown node or node down" : err_why(n));
	for (int i = 0; i < n; i++) {
		if (ps[i].pi_pid != pid)
			continue;
		err = stun_one(&ps[i].pi_cap, detail);
		return err == STD_OK ? 0 : cmd_err(arg, err);
	}
	return cmd_msg(arg, "no such process");
}

/* Is arg 32 hex digits: a capability (into cap)? */
static inline int
stun_hexcap(const char *arg, capability *cap)
{
	return strlen(arg) == 2 * CAPSIZE && cmd_cap(NULL, arg, cap) == STD_OK;
}

/* Stun the process a capability or a path names; 0, or 1 (message). */
static inline int
stun_cap(const char *arg, long detail)
{
	capability cap;
	errstat err;

	if (!stun_hexcap(arg, &cap) &&
	    (err = name_lookup((char *)arg, &cap)) != STD_OK)
		return cmd_err(arg, err);
	err = stun_one(&cap, detail);
	return err == STD_OK ? 0 : cmd_err(arg, err);
}

/* Stun every process called name on every node; 0 if any was. */
static inline int
stun_name(const char *name, long detail)
{
	static char names[RUN_NODEMAX][RUN_NODEMAX];
	static struct ps_info ps[PL_MAXPROC];
	int nn = pl_nodes(names, RUN_NODEMAX), found = 0, failed = 0;

	for (int j = 0; j < nn; j++) {
		int n = pl_list(names[j], ps);

		for (int i = 0; i < n; i++) {
			if (strcmp(ps[i].pi_name, name) != 0 ||
			    ps[i].pi_state != PSL_RUNNING)
				continue;
			found++;
			if (stun_one(&ps[i].pi_cap, detail) != STD_OK)
				failed++;
		}
	}
	if (found == 0)
		return cmd_msg(name, "no such process");
	return failed ? cmd_msg(name, stun_signal > 0 ?
				"could not signal every one" :
				"could not stun every one") : 0;
}

/* stun (is_kill 0) or kill (is_kill 1): -s is a detail or a signal. */
static inline int
stun_main(int argc, char **argv, int is_kill)
{
	const char *usage = is_kill ? KILL_USAGE : STUN_USAGE;
	long detail = STUN_DEFDETAIL, n;
	char *end;
	int c, status = 0;

	cmd_init(argv);
	opterr = 0;
	while ((c = getopt(argc, argv, "s:")) != -1) {
		if (c != 's')
			return cmd_usage(usage) + 1;
		n = strtol(optarg, &end, 0);
		if (*end != 0 || optarg[0] == 0 || (is_kill && n <= 0))
			return cmd_usage(usage) + 1;
		if (is_kill)
			stun_signal = n;
		else
			detail = n;
	}
	if (optind == argc)
		return cmd_usage(usage) + 1;
	for (int i = optind; i < argc; i++) {
		const char *colon = strchr(argv[i], ':');
		capability cap;

		if (argv[i][0] == '/' || stun_hexcap(argv[i], &cap))
			status |= stun_cap(argv[i], detail);
		else if (colon != NULL)
			status |= stun_pid(argv[i], colon, detail);
		else
			status |= stun_name(argv[i], detail);
	}
	return status;
}

#endif /* USERLAND_CMD_STUNLIB_H */
