/*
 * bench_exec.c - start-to-exit of a small program (hello), locally and
 * on another node, as ax does it (run_findprog, exec_file with this
 * program's capability environment, run_wait as owner), and of
 * `ax -m NODE hello` itself.  Run by tests/cluster/bench_exec.py:
 *
 *   bench_exec [-n runs] node
 *
 * Prints `bench: NAME VALUE ms` lines (min and median over the runs):
 * exec_local_*, exec_remote_* (hello on node), ax_local_*, ax_remote_*
 * (ax on this node, hello here or on node), exec_remote_vs_local (the
 * medians' ratio); then ok/not ok lines and "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <caplist.h>
#include <stderr.h>
#include <module/proc.h>
#include <module/run.h>
#include <module/syscall.h>

#include "check.h"

#define MAXRUNS 50

extern char **environ;

static struct run_owner *owner;
static capability ownercap;

static double
now_ms(void)
{
	unsigned long long us = 0;

	sys_micro(&us);
	return (double)us / 1000.0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One start-to-exit of prog on host with argv; its time or -1. */
static double
once(capability *prog, capability *host, char **argv)
{
	double t0 = now_ms();
	int how, status;
	capability proc;

	if (exec_file(prog, host, &ownercap, 0, argv, environ, vx_capv,
		      &proc) != STD_OK ||
	    run_wait(owner, &proc, &how, &status, 60000) != STD_OK ||
	    how != RUN_EXITED || status != 0)
		return -1;
	return now_ms() - t0;
}

/* runs start-to-exits; prints NAME_min and NAME_median; the median. */
static double
measure(const char *name, const char *progname, const char *node,
	char **argv, int runs)
{
	double t[MAXRUNS];
	capability prog, host;
	int ok = run_findprog(progname, NULL, &prog, NULL, 0) == STD_OK &&
		 run_host(node, &host) == STD_OK;

	for (int i = 0; ok && i < runs; i++)
		ok = (t[i] = once(&prog, &host, argv)) >= 0;
	CHECK(ok, name);
	if (!ok)
		return -1;
	qsort(t, (size_t)runs, sizeof(t[0]), cmp_double);
	printf("bench: %s_min %.2f ms\nbench: %s_median %.2f ms\n", name,
	       t[0], name, t[runs / 2]);
	return t[runs / 2];
}

int
main(int argc, char **argv)
{
	char *hello[] = { "hello", NULL };
	char *axl[] = { "ax", "-m", NULL, "hello", NULL };
	char *axr[] = { "ax", "-m", NULL, "hello", NULL };
	const char *self = getenv("VX_NODE");
	int runs = 10, a = 1;
	double local, remote;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		runs = atoi(argv[2]);
		a = 3;
	}
	if (a >= argc || runs < 1 || runs > MAXRUNS || self == NULL) {
		fprintf(stderr, "usage: bench_exec [-n runs] node\n");
		return 2;
	}
	axl[2] = (char *)self;
	axr[2] = argv[a];
	CHECK(run_owner_new(&owner, &ownercap) == STD_OK, "run_owner_new");
	local = measure("exec_local", "hello", NULL, hello, runs);
	remote = measure("exec_remote", "hello", argv[a], hello, runs);
	measure("ax_local", "ax", NULL, axl, runs);
	measure("ax_remote", "ax", NULL, axr, runs);
	if (local > 0 && remote > 0)
		printf("bench: exec_remote_vs_local %.2f x\n", remote / local);
	return TEST_DONE();
}
