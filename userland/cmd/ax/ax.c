/*
 * ax - run a program on any node (Amoeba's ax).
 *
 *   ax [-m node | -near object] [-s stacksize] program [args ...]
 *
 * program is found as the shell would (a path, or each directory of
 * $PATH, run_findprog); it runs on node, on the node where the server
 * of object (a path, or a capability in 32 hex digits) runs with -near
 * (run_near: computation goes to its data; its standard output is then
 * fully buffered, VX_STDOUT=block, so that its output comes back in
 * blocks, not a request per line), or on the least loaded node
 * (run_pickhost) without either, with argv[0] = program, ax's environment
 * (VX_NODE set to the node it runs on) and ax's capability environment
 * (run_capv: on Linux a terminal server in ax), so its STDIN, STDOUT and
 * STDERR are ax's own wherever it runs.  ax
 * waits for it as its owner and exits with its exit status; a program
 * that faults or is stunned gives a message and 128 + the exception
 * number or stun detail (at least 129).  Usage errors exit 2, other
 * failures (unknown node or program, not an executable) 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <caplist.h>
#include <stderr.h>
#include <module/proc.h>
#include <module/run.h>

#include "../cmdlib.h"
#include "../cmdutil.h"

#define AX_LOCATE	3000	/* ms to find a node's process server */

extern char **environ;

/* environ with VX_NODE=node in place of the caller's, and with
 * VX_STDOUT=block when block (malloc'd). */
static char **
node_env(const char *node, int block)
{
	static char var[RUN_NODEMAX + 8];
	static char blockvar[] = "VX_STDOUT=block";
	char **env;
	int n = 0, j = 0;

	while (environ != NULL && environ[n] != NULL)
		n++;
	env = malloc(sizeof(*env) * (size_t)(n + 3));
	if (env == NULL)
		return environ;
	snprintf(var, sizeof(var), "VX_NODE=%s", node);
	for (int i = 0; i < n; i++)
		if (strncmp(environ[i], "VX_NODE=", 8) != 0)
			env[j++] = environ[i];
	env[j++] = var;
	if (block)
		env[j++] = blockvar;
	env[j] = NULL;
	return env;
}

/* The exit status for how the program ended (with a message). */
static int
ax_status(const char *prog, int how, int status)
{
	char what[64];

	if (how == RUN_EXITED)
		return status;
	snprintf(what, sizeof(what), how == RUN_FAULTED ?
		 "fault (exception %d)" : "stunned (detail %d)", status);
	cmd_msg(prog, what);
	status &= 0x7F;
	return 128 + (status ? status : 1);
}

/* The node next to object (path or capability): its name and process
 * server; 0, or 1 with a message. */
static int
near_host(const char *object, char *node, size_t len, capability *host)
{
	capability obj;
	capset cs;
	errstat err;

	if (strchr(object, '/') == NULL)
		err = cmd_cap(NULL, object, &obj);
	else if ((err = sp_lookup(SP_DEFAULT, object, &cs)) == STD_OK) {
		err = cs_to_cap(&cs, &obj);
		cs_free(&cs);
	}
	if (err != STD_OK)
		return cmd_err(object, err);
	err = run_near(&obj, node, len, host);
	if (err != STD_OK)
		return cmd_msg(object, err == STD_NOTFOUND ? "its server runs on "
			       "no node of /hosts" : err_why(err));
	return 0;
}

static int
ax_run(const char *node, const char *near, long stack, char **argv)
{
	char where[RUN_NODEMAX], nodemsg[RUN_NODEMAX + 8];
	capability host, prog, ocap, proc;
	struct run_owner *o;
	int how, status;
	interval old;
	errstat err;
	char **env;

	if (near != NULL) {
		if (near_host(near, where, sizeof(where), &host) != 0)
			return 1;
		node = where;
		err = STD_OK;
	} else {
		old = timeout(AX_LOCATE);
		err = node != NULL ? run_host(node, &host)
		      : run_pickhost(where, sizeof(where), &host);
		timeout(old);
		if (node == NULL)
			node = where;
	}
	snprintf(nodemsg, sizeof(nodemsg), "node %s", node);
	if (err != STD_OK)
		return cmd_msg(nodemsg, err == RPC_NOTFOUND || err ==
			       STD_NOTFOUND ? "not found" : err_why(err));
	if ((err = run_findprog(argv[0], NULL, &prog, NULL, 0)) != STD_OK)
		return cmd_err(argv[0], err);
	if ((err = run_owner_new(&o, &ocap)) != STD_OK)
		return cmd_err("owner", err);
	env = node_env(node, near != NULL);
	err = exec_file(&prog, &host, &ocap, stack, argv, env, run_capv(),
			&proc);
	if (env != environ)
		free(env);
	if (err != STD_OK)
		return cmd_err(argv[0], err);
	err = run_wait(o, &proc, &how, &status, -1);
	if (err != STD_OK)
		return cmd_msg(argv[0], err == STD_NOTFOUND ?
			       "ended without a report" : "its node is down");
	return ax_status(argv[0], how, status);
}

#define AX_USAGE "[-m node | -near object] [-s stacksize] program [args ...]"

/* A stack size: a number of bytes, or KiB with a k suffix; 0 if bad. */
static long
stack_size(const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 0);

	if (*end == 'k' || *end == 'K') {
		n *= 1024;
		end++;
	}
	return *end != 0 || n <= 0 || n > (1L << 28) ? 0 : n;
}

int
main(int argc, char **argv)
{
	const char *node = NULL, *near = NULL;
	long stack = 0;
	int i;

	cmd_init(argv);
	/* options end at the program: its own options are its business */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i], *val;

		if (strcmp(opt, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(opt, "-near") == 0) {
			if (i + 1 >= argc)
				return cmd_usage(AX_USAGE) + 1;
			near = argv[++i];
			continue;
		}
		if ((opt[1] != 'm' && opt[1] != 's') ||
		    (opt[2] == 0 && i + 1 >= argc))
			return cmd_usage(AX_USAGE) + 1;
		val = opt[2] != 0 ? opt + 2 : argv[++i];
		if (opt[1] == 'm')
			node = val;
		else if ((stack = stack_size(val)) == 0)
			return cmd_usage(AX_USAGE) + 1;
	}
	if (i == argc || (node != NULL && near != NULL))
		return cmd_usage(AX_USAGE) + 1;
	return ax_run(node, near, stack, argv + i);
}
