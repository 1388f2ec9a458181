/*
 * aps - the processes of every node (Amoeba's aps).
 *
 *   aps [-a] [-c] [node ...]
 *
 * For each node (default: every node in /hosts, or this node when there
 * is none) one line per process: node, process id, program, state,
 * memory in KiB, threads, and whether it has an owner; with -c also its
 * process capability (32 hex digits, what kill and stun take).  Dying
 * processes are shown only with -a.  A node that does not answer within
 * a bounded time is listed as down.  Exit 1 if a node was down, 2 for a
 * usage error.
 */
#include <unistd.h>

#include "../cmdlib.h"
#include "../cmdutil.h"
#include "../proclib.h"

static int
aps_node(const char *node, int all, int caps)
{
	char cap[CMD_CAPSTR];

	static struct ps_info ps[PL_MAXPROC];
	int n = pl_list(node, ps);

	if (n < 0) {
		printf("%-10s %5s  %s\n", node, "-",
		       n == RPC_NOTFOUND || n == RPC_FAILURE ||
		       n == STD_NOTFOUND ? "down" : err_why(n));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (ps[i].pi_state != PSL_RUNNING && !all)
			continue;
		printf("%-10s %5d  %-16s %-8s %8d %4d  %-5s%s%s\n", node,
		       ps[i].pi_pid, ps[i].pi_name,
		       ps[i].pi_state == PSL_RUNNING ? "running" : "dying",
		       ps[i].pi_kib, ps[i].pi_threads,
		       (ps[i].pi_flags & PSL_OWNED) ? "yes" : "no",
		       caps ? "  " : "",
		       caps ? cmd_capstr(&ps[i].pi_cap, cap) : "");
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static char names[RUN_NODEMAX][RUN_NODEMAX];
	int c, all = 0, caps = 0, n, status = 0;

	cmd_init(argv);
	opterr = 0;
	while ((c = getopt(argc, argv, "ac")) != -1) {
		if (c == 'a')
			all = 1;
		else if (c == 'c')
			caps = 1;
		else
			return cmd_usage("[-a] [-c] [node ...]") + 1;
	}
	printf("%-10s %5s  %-16s %-8s %8s %4s  %-5s%s\n", "NODE", "PID",
	       "PROGRAM", "STATE", "KIB", "THR", "OWNER",
	       caps ? "  CAPABILITY" : "");
	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			status |= aps_node(argv[i], all, caps);
		return status;
	}
	n = pl_nodes(names, RUN_NODEMAX);
	for (int i = 0; i < n; i++)
		status |= aps_node(names[i], all, caps);
	return status;
}
