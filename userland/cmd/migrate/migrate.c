/*
 * migrate - move a running process to another node (spec 8.6).
 *
 *   migrate [-q] [-m fromnode] process tonode
 *
 * process is node:pid, a process capability (32 hex digits, as aps -c
 * prints it; its node is found with run_near), or a program name that
 * exactly one process runs (on fromnode with -m, else on any node of
 * /hosts).  migrate makes
 * itself the process's owner (PS_SETOWNER), stuns it (PS_STUN) and takes
 * the checkpoint PD its kernel sends; it gives the PD the old owner back
 * and PS_EXECs it on tonode, whose kernel pulls the segments from the
 * old node (BS_READ) and restarts the threads from their saved states.
 * It tells the old owner the new capability (PS_SWAPPROC, so an ax
 * waiting for the process goes on waiting for it), then rejects the
 * checkpoint, which ends the old copy and frees its memory.  If tonode cannot be reached or refuses the PD, it replies
 * STD_OK with the original PD instead: the process goes on where it was,
 * with its old owner, and migrate says why (exit 1); so it does for a
 * process that holds device grants (module/dev.h), which are of its
 * machine and cannot move (dev_held asks its node's sys server).  On success it says
 * how long the process was stopped (from PS_SETOWNER to the reply that
 * ends the old copy), unless -q.  migrate_self (module/run.h) runs
 * `migrate -q CAPABILITY node` for a process that moves itself.
 * Servers keep their
 * ports; clients find the new node by FLIP locate.  Usage errors exit 2.
 */
#include "../cmdlib.h"
#include "../cmdutil.h"
#include "../proclib.h"

#include <unistd.h>

#include <amoeba/pd.h>
#include <module/dev.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/syscall.h>

#define MIG_USAGE	"[-q] [-m fromnode] process tonode"
#define MIG_EXEC	30000	/* ms the target has to take the process */

static uint8_t ckpt[PSVR_BUFSZ];	/* the checkpoint PD */

/* Find the process: its capability and node into *cap, node; 0 if found. */
static int
find_proc(const char *what, const char *from, capability *cap, char *node)
{
	static char names[RUN_NODEMAX][RUN_NODEMAX];
	static struct ps_info ps[PL_MAXPROC];
	const char *colon = strchr(what, ':');
	int nn, found = 0;

	if (colon == NULL && strlen(what) == 2 * CAPSIZE &&
	    cmd_cap(NULL, what, cap) == STD_OK) {
		if (run_near(cap, node, RUN_NODEMAX, &(capability){ 0 }) !=
		    STD_OK)
			return cmd_msg(what, "no node of /hosts has it");
		return 0;
	}
	if (colon != NULL) {
		char *end;
		long pid = strtol(colon + 1, &end, 10);

		if (colon == what || (size_t)(colon - what) >= RUN_NODEMAX ||
		    *end != 0 || colon[1] == 0)
			return cmd_msg(what, "not node:pid");
		memcpy(names[0], what, (size_t)(colon - what));
		names[0][colon - what] = 0;
		int n = pl_list(names[0], ps);

		if (n < 0)
			return cmd_msg(what, "unknown node or node down");
		for (int i = 0; i < n; i++)
			if (ps[i].pi_pid == pid) {
				*cap = ps[i].pi_cap;
				strcpy(node, names[0]);
				return 0;
			}
		return cmd_msg(what, "no such process");
	}
	if (from != NULL) {
		snprintf(names[0], RUN_NODEMAX, "%s", from);
		nn = 1;
	} else
		nn = pl_nodes(names, RUN_NODEMAX);
	for (int j = 0; j < nn; j++) {
		int n = pl_list(names[j], ps);

		if (n < 0 && from != NULL)
			return cmd_msg(from, "unknown node or node down");
		for (int i = 0; i < n; i++) {
			if (strcmp(ps[i].pi_name, what) != 0 ||
			    ps[i].pi_state != PSL_RUNNING)
				continue;
			*cap = ps[i].pi_cap;
			strcpy(node, names[j]);
			found++;
		}
	}
	if (found == 0)
		return cmd_msg(what, "no such process");
	if (found > 1)
		return cmd_msg(what, "more than one such process; use node:pid");
	return 0;
}

/* Wait for the checkpoint of proc on our owner port; its length or < 0. */
static int32
take_checkpoint(const port *get, const port *check, const capability *proc,
		header *h)
{
	rights_bits r;
	int32 n;

	for (;;) {
		memset(h, 0, sizeof(*h));
		h->h_port = *get;
		n = rpc_getreq(h, (bufptr)ckpt, sizeof(ckpt));
		if (n < 0)
			return n;
		if (prv_decode(&h->h_priv, &r, (port *)check) == 0 &&
		    h->h_command == PS_CHECKPOINT) {
			struct pd_info pd;

			if (n > 0 && pd_get(ckpt, (size_t)n, &pd) > 0 &&
			    prv_number(&pd.self.cap_priv) ==
			    prv_number(&proc->cap_priv))
				return n;
		}
		h->h_status = STD_COMBAD;
		h->h_size = 0;
		rpc_putrep(h, NILBUF, 0);
	}
}

/*
 * Device grants (I/O ports, an interrupt line, a PCI function, DMA
 * memory) are of the machine: a process holding any cannot move.  Asked
 * of its node's sys server once it is stunned (it cannot take more).
 * STD_OK when it holds none; DEV_HELD (its text) when it does; an error
 * when the node cannot tell.
 */
#define DEV_HELD	STD_DENIED

static errstat
held_grants(const capability *proc, const char *node)
{
	capability sys;
	errstat err;
	int n = 0;

	if ((err = kdir_lookup(node, "sys", &sys)) != STD_OK ||
	    (err = dev_held(&sys, proc, &n)) != STD_OK)
		return err;
	if (n > 0) {
		fprintf(stderr, "%s: the process holds %d device grant%s on "
			"%s (ports, interrupts, PCI devices and DMA memory "
			"stay with the machine)\n", cmd_prog, n,
			n == 1 ? "" : "s", node);
		return DEV_HELD;
	}
	return STD_OK;
}

static int
migrate(const char *what, const char *from, const char *to, int quiet)
{
	static struct pd_info pd;
	capability proc, host, me, oldowner, newproc;
	char node[RUN_NODEMAX];
	port get, check;
	errstat err, herr;
	header h;
	int32 n;
	interval old;
	unsigned long t0;

	if (find_proc(what, from, &proc, node) != 0)
		return 1;
	old = timeout(PL_LOCATE);
	herr = run_host(to, &host);
	timeout(old);
	if (herr != STD_OK)
		return cmd_msg(to, herr == RPC_NOTFOUND || herr == STD_NOTFOUND ?
			       "unknown node or node down; the process stays "
			       "where it is" : err_why(herr));
	uniqport(&get);
	uniqport(&check);
	priv2pub(&get, &me.cap_port);
	prv_encode(&me.cap_priv, 0, PRV_ALL_RIGHTS, &check);
	if (pro_getowner(&proc, &oldowner) != STD_OK)
		memset(&oldowner, 0, sizeof(oldowner));
	t0 = sys_milli();
	err = pro_setowner(&proc, &me);
	if (err == STD_OK)
		err = pro_stun(&proc, 0);
	if (err != STD_OK) {
		pro_setowner(&proc, &oldowner);
		return cmd_err(what, err);
	}
	n = take_checkpoint(&get, &check, &proc, &h);
	if (n < 0)
		return cmd_err(what, (errstat)n);
	if (h.h_extra != 1) {	/* it ended on its own meanwhile */
		h.h_status = STD_OK;
		h.h_size = 0;
		rpc_putrep(&h, NILBUF, 0);
		return cmd_msg(what, "ended during the move");
	}
	pd_get(ckpt, (size_t)n, &pd);
	pd.owner = oldowner;
	if ((err = held_grants(&proc, node)) == STD_OK) {
		old = timeout(MIG_EXEC);
		err = pro_exec(&host, &pd, &newproc);
		timeout(old);
	}
	if (err != STD_OK) {	/* take it back: it goes on here */
		h.h_status = STD_OK;
		h.h_size = (bufsize)n;
		rpc_putrep(&h, (bufptr)ckpt, (f_size_t)n);
		pro_setowner(&proc, &oldowner);
		fprintf(stderr, "%s: %s: %s: %s; it goes on on %s\n",
			cmd_prog, what, to, err_why(err), node);
		return 1;
	}
	if (!NULLPORT(&oldowner.cap_port)) {	/* best effort, bounded */
		old = timeout(PL_LOCATE);
		pro_swapproc(&oldowner, &proc, &newproc);
		timeout(old);
	}
	h.h_status = STD_DENIED;	/* the old copy ends */
	h.h_size = 0;
	rpc_putrep(&h, NILBUF, 0);
	if (!quiet)
		printf("%s: %s moved from %s to %s in %lu ms\n", cmd_prog,
		       what, node, to, sys_milli() - t0);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *from = NULL;
	int c, quiet = 0;

	cmd_init(argv);
	opterr = 0;
	while ((c = getopt(argc, argv, "qm:")) != -1) {
		if (c == 'q')
			quiet = 1;
		else if (c == 'm')
			from = optarg;
		else
			return cmd_usage(MIG_USAGE) + 1;
	}
	if (argc - optind != 2)
		return cmd_usage(MIG_USAGE) + 1;
	return migrate(argv[optind], from, argv[optind + 1], quiet);
}
