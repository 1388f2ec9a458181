/*
 * run.c - nodes and programs for the exec library (module/run.h):
 * run_host, run_nodes, run_pickhost, run_near, run_findprog, run_prog.  The nodes
 * are the entries of /hosts in the directory server (each node enters
 * itself at boot, kernel/fsboot.c); a node's process server is "proc"
 * in its kernel directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <capset.h>
#include <caplist.h>
#include <sp_dir.h>
#include <stderr.h>
#include <module/kdir.h>
#include <module/stdcmd.h>
#include <module/proc.h>
#include <module/run.h>
#include <server/process/proc.h>
#include <server/soap/soap.h>

#define RUN_HOSTS	"/hosts"
#define RUN_LOADWAIT	1000	/* ms a node has to answer PS_GETLOAD */
#define RUN_PATHMAX	1024	/* longest path tried */
#define RUN_NEARTRIES	3	/* rounds of asking the nodes (run_near) */

extern char **environ;

errstat
run_host(const char *node, capability *host)
{
	if (host == NULL)
		return STD_ARGBAD;
	if (node != NULL && (node[0] == 0 || strlen(node) >= RUN_NODEMAX))
		return STD_ARGBAD;
	return kdir_lookup(node, PROCESS_SVR_NAME, host);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

int
run_nodes(char (*names)[RUN_NODEMAX], int max)
{
	struct sp_direct *d;
	SP_DIR *dd;
	capset cs;
	errstat err;
	int n = 0;

	if (names == NULL || max < 0)
		return STD_ARGBAD;
	if ((err = sp_lookup(SP_DEFAULT, RUN_HOSTS, &cs)) != STD_OK)
		return err;
	err = sp_list(&cs, &dd);
	cs_free(&cs);
	if (err != STD_OK)
		return err;
	while (n < max && (d = sp_readdir(dd)) != NULL) {
		if (strlen(d->d_name) >= RUN_NODEMAX)
			continue;
		strcpy(names[n++], d->d_name);
	}
	sp_closedir(dd);
	qsort(names, (size_t)n, RUN_NODEMAX, cmp_names);
	return n;
}

errstat
run_pickhost(char *node, size_t len, capability *host)
{
	static char names[RUN_NODEMAX][RUN_NODEMAX];
	long ips, load, mfree, best_load = 0, best_free = 0;
	int n, best = -1;
	capability c;
	interval old;

	if (node == NULL || host == NULL || len == 0)
		return STD_ARGBAD;
	n = run_nodes(names, RUN_NODEMAX);
	old = timeout(RUN_LOADWAIT);
	for (int i = 0; i < n; i++) {
		if (run_host(names[i], &c) != STD_OK ||
		    pro_getload(&c, &ips, &load, &mfree) != STD_OK)
			continue;
		if (best < 0 || load < best_load ||
		    (load == best_load && mfree > best_free)) {
			best = i;
			best_load = load;
			best_free = mfree;
			*host = c;
		}
	}
	timeout(old);
	if (best < 0) {	/* no /hosts, or nobody answered: this node */
		const char *self = getenv("VX_NODE");

		snprintf(node, len, "%s", self != NULL ? self : KDIR_DEFAULT_NODE);
		return run_host(NULL, host);
	}
	snprintf(node, len, "%s", names[best]);
	return STD_OK;
}

/* The first node of names[0..n) whose process server says that a
 * server for pub runs there; its index or -1. */
static int
near_round(char (*names)[RUN_NODEMAX], int n, const port *pub,
	   capability *host)
{
	capability c;
	interval old = timeout(RUN_LOADWAIT);
	int found = -1;

	for (int i = 0; i < n && found < 0; i++)
		if (run_host(names[i], &c) == STD_OK &&
		    pro_serves(&c, pub) == STD_OK) {
			*host = c;
			found = i;
		}
	timeout(old);
	return found;
}

errstat
run_near(const capability *obj, char *node, size_t len, capability *host)
{
	static char names[RUN_NODEMAX][RUN_NODEMAX];
	capability probe;
	char info[8];
	errstat err;
	int n, i;

	if (obj == NULL || node == NULL || len == 0 || host == NULL ||
	    NULLPORT(&obj->cap_port))
		return STD_ARGBAD;
	if ((n = run_nodes(names, RUN_NODEMAX)) < 0)
		return (errstat)n;
	for (int round = 0; round < RUN_NEARTRIES; round++) {
		if ((i = near_round(names, n, &obj->cap_port, host)) >= 0) {
			snprintf(node, len, "%s", names[i]);
			return STD_OK;
		}
		/* every thread of the server may have been busy: is it
		 * there at all?  (its answer also means it listens again) */
		probe = *obj;
		err = std_info(&probe, info, sizeof(info), NULL);
		if (err == RPC_NOTFOUND || err == RPC_FAILURE)
			return STD_NOTFOUND;
	}
	return STD_NOTFOUND;
}

/* Look path up; its capability in *prog. */
static errstat
lookup_cap(const char *path, capability *prog)
{
	capset cs;
	errstat err = sp_lookup(SP_DEFAULT, path, &cs);

	if (err != STD_OK)
		return err;
	err = cs_to_cap(&cs, prog);
	cs_free(&cs);
	return err;
}

errstat
run_findprog(const char *name, const char *path, capability *prog,
	     char *where, size_t len)
{
	char full[RUN_PATHMAX];
	const char *p, *e;
	errstat err, worst = STD_NOTFOUND;
	size_t dl;

	if (name == NULL || name[0] == 0 || prog == NULL)
		return STD_ARGBAD;
	if (strchr(name, '/') != NULL) {
		err = lookup_cap(name, prog);
		if (err == STD_OK && where != NULL && len > 0)
			snprintf(where, len, "%s", name);
		return err;
	}
	if (path == NULL && (path = getenv("PATH")) == NULL)
		path = "/bin";
	for (p = path; *p != 0; p = *e ? e + 1 : e) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		dl = (size_t)(e - p);
		if (dl + strlen(name) + 2 > sizeof(full))
			continue;
		memcpy(full, p, dl);
		snprintf(full + dl, sizeof(full) - dl, "%s%s",
			 dl > 0 && p[dl - 1] == '/' ? "" : "/", name);
		err = lookup_cap(dl > 0 ? full : name, prog);
		if (err == STD_OK) {
			if (where != NULL && len > 0)
				snprintf(where, len, "%s", full);
			return STD_OK;
		}
		if (err != STD_NOTFOUND)
			worst = err;
	}
	return worst;
}

errstat
run_prog(const char *name, capability *host, struct run_owner *o,
	 char **argv, char **envp, struct caplist *capv, capability *proc)
{
	capability prog, here, owner;
	errstat err;

	if (name == NULL || proc == NULL)
		return STD_ARGBAD;
	if ((err = run_findprog(name, NULL, &prog, NULL, 0)) != STD_OK)
		return err;
	if (host == NULL) {
		if ((err = run_host(NULL, &here)) != STD_OK)
			return err;
		host = &here;
	}
	if (o != NULL)
		run_owner_cap(o, &owner);
	return exec_file(&prog, host, o != NULL ? &owner : NULL, 0, argv,
			 envp != NULL ? envp : environ,
			 capv != NULL ? capv : run_capv(), proc);
}
