/*
 * run_migrate.c - migrate_self (module/run.h): a process moves itself to
 * another node at run time.
 *
 * A process cannot take its own checkpoint (the stun stops every thread
 * of it), so it starts the migrate command on its node as a helper,
 * naming itself by its capability (getinfo), and waits for the helper as
 * its owner.  The helper stuns the caller, moves it and tells the
 * caller's owner the new capability (PS_SWAPPROC).  The waiting thread
 * is checkpointed in its wait and makes it again on the new node, where
 * the helper's end (PS_CHECKPOINT to our owner port, which moved with
 * us) arrives.  Standard input and output are capabilities in the
 * caller's capability environment, so they still name the user's
 * terminal afterwards.
 *
 * Concurrency: one move at a time per process (move_mu).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/mutex.h>
#include <module/proc.h>
#include <module/run.h>
#include <module/syscall.h>
#include <server/process/proc.h>

#define MIG_PROG	"migrate"

extern char **environ;

static mutex move_mu;			/* one move at a time */
static struct run_owner *helper_owner;	/* owner of the helpers (once) */
static char pdbuf[PSVR_BUFSZ];		/* getinfo's PD (under move_mu) */

/* cap as 32 hex digits, the bytes in order. */
static void
cap_hex(const capability *cap, char out[2 * CAPSIZE + 1])
{
	static const char hex[] = "0123456789abcdef";
	const uint8 *b = (const uint8 *)cap;

	for (int i = 0; i < CAPSIZE; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * CAPSIZE] = 0;
}

/* Start the helper (migrate -q SELF node) here and wait for it. */
static errstat
run_helper(const char *node)
{
	char self[2 * CAPSIZE + 1];
	char *argv[5];
	capability me, prog, host, ocap, helper;
	int how, status, n;
	errstat err;

	if ((n = getinfo(&me, pdbuf, (int)sizeof(pdbuf))) < 0)
		return (errstat)n;
	cap_hex(&me, self);
	if ((err = run_findprog(MIG_PROG, NULL, &prog, NULL, 0)) != STD_OK)
		return err;
	if ((err = run_host(NULL, &host)) != STD_OK)
		return err;
	if (helper_owner == NULL &&
	    (err = run_owner_new(&helper_owner, &ocap)) != STD_OK)
		return err;
	run_owner_cap(helper_owner, &ocap);
	argv[0] = MIG_PROG;
	argv[1] = "-q";
	argv[2] = self;
	argv[3] = (char *)node;
	argv[4] = NULL;
	err = exec_file(&prog, &host, &ocap, 0, argv, environ, run_capv(),
			&helper);
	if (err != STD_OK)
		return err;
	err = run_wait(helper_owner, &helper, &how, &status, -1);
	if (err != STD_OK)
		return err;
	if (how != RUN_EXITED)
		return RPC_FAILURE;
	return status == 0 ? STD_OK : status == 2 ? STD_ARGBAD : RPC_FAILURE;
}

errstat
migrate_self(const char *node)
{
	static int inited;
	errstat err;

	if (node == NULL || node[0] == 0 || strlen(node) >= RUN_NODEMAX)
		return STD_ARGBAD;
	if (!inited) {		/* races only with itself at the first call */
		mu_init(&move_mu);
		inited = 1;
	}
	mu_lock(&move_mu);
	err = run_helper(node);
	if (err == STD_OK)
		setenv("VX_NODE", node, 1);
	mu_unlock(&move_mu);
	return err;
}
