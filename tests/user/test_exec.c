/*
 * test_exec.c - the exec library (module/proc.h exec_file, pro_exec,
 * pro_list; module/run.h) on a node with the file system: run by
 * tests/user/t_exec.py as init on a disk whose /bin holds hello and a
 * copy of this program, and whose /home/notexec is a text file.
 *
 *   test_exec             the tests below; ok/not ok lines, exit 0 when
 *                         all passed
 *   test_exec child A...  checks what it was given (argv, envp, capv)
 *                         and exits CHILD_OK, or 10 + the first failed
 *                         check
 *   test_exec fault       writes to address 0 (a page fault)
 *   test_exec sleep       sleeps until stunned
 *   test_exec nodes [drop]  only the /hosts tests; drop: then delete
 *                         /hosts (the next boot must make it again)
 *
 * The parent execs children through /bin/test_exec and learns how they
 * ended from its owner (PS_CHECKPOINT), and checks the bad cases: not an
 * executable, a missing file, a bad host, arguments too long for the
 * stack, a process that is gone without a checkpoint.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <caplist.h>
#include <stderr.h>
#include <module/proc.h>
#include <module/prv.h>
#include <module/run.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/process/proc.h>
#include <server/soap/soap.h>

#include "../host/check.h"

#define CHILD_OK	42
#define STUN_DETAIL	77
#define TRAP_PF		14

static const capability mycap = {
	{ { 1, 2, 3, 4, 5, 6 } }, { { 7, 0, 0 }, 3, { { 8, 9, 10, 11, 12, 13 } } }
};

static int
child(int argc, char **argv, char **envp)
{
	capability *c = getcap("MYCAP");
	int n = 0;

	while (envp != NULL && envp[n] != NULL)
		n++;
	if (argc != 5)
		return 10;
	if (strcmp(argv[2], "a b") != 0 || strcmp(argv[3], "") != 0 ||
	    strcmp(argv[4], "last") != 0)
		return 11;
	if (n != 2 || getenv("VXT") == NULL ||
	    strcmp(getenv("VXT"), "hello-env") != 0)
		return 12;
	if (c == NULL || memcmp(c, &mycap, sizeof(mycap)) != 0)
		return 13;
	if (getcap("STDOUT") == NULL)
		return 14;
	return CHILD_OK;
}

static int
child_sleep(void)
{
	for (;;)
		sys_sleep(100000);
	return 1;
}

/* Segments the process server holds (from its std_status), or -1. */
static int
segments(capability *host)
{
	char buf[4096], *p;
	int len;

	if (std_status(host, buf, sizeof(buf) - 1, &len) != STD_OK)
		return -1;
	buf[len] = 0;
	p = strstr(buf, "pages free, ");
	return p != NULL ? atoi(p + 12) : -1;
}

static struct run_owner *owner;
static capability ownercap, host, prog;

/* Exec /bin/test_exec MODE (args as given) with our STDOUT and MYCAP. */
static errstat
start(char **argv, long stack, capability *proc)
{
	static char *envp[] = { "VXT=hello-env", "OTHER=x", NULL };
	capability *out = getcap("STDOUT");
	struct caplist capv[3] = {
		{ "MYCAP", (capability *)&mycap },
		{ "STDOUT", out }, { NULL, NULL }
	};

	if (out == NULL)
		capv[1].cl_name = NULL;
	return exec_file(&prog, &host, &ownercap, stack, argv, envp, capv,
			 proc);
}

static void
test_child(void)
{
	char *argv[] = { "test_exec", "child", "a b", "", "last", NULL };
	int how = -1, status = -1, before = segments(&host);
	capability proc;

	CHECK(start(argv, 0, &proc) == STD_OK, "exec_file of /bin/test_exec");
	CHECK(run_wait(owner, &proc, &how, &status, 30000) == STD_OK,
	      "run_wait: the owner got the checkpoint");
	CHECK(how == RUN_EXITED && status == CHILD_OK,
	      "the child saw its argv, envp and capv (exit status 42)");
	if (status != CHILD_OK)
		printf("# how %d status %d\n", how, status);
	CHECK(before >= 0 && segments(&host) == before,
	      "the stack segment was destroyed (MAP_AND_DESTROY)");
}

static void
test_hello(void)
{
	char *argv[] = { "hello", "x", NULL };
	int how = -1, status = -1;
	capability proc, p2;
	char where[64];

	CHECK(run_findprog("hello", NULL, &p2, where, sizeof(where)) ==
	      STD_OK && strcmp(where, "/bin/hello") == 0,
	      "run_findprog finds hello in /bin");
	CHECK(run_prog("hello", NULL, owner, argv, NULL, NULL, &proc) ==
	      STD_OK, "run_prog hello");
	CHECK(run_any(owner, &p2, &how, &status, 30000) == STD_OK &&
	      how == RUN_EXITED && status == 0 &&
	      prv_number(&p2.cap_priv) == prv_number(&proc.cap_priv),
	      "run_any: hello exited 0");
}

static void
test_fault(void)
{
	char *argv[] = { "test_exec", "fault", NULL };
	int how = -1, status = -1;
	capability proc;

	CHECK(start(argv, 0, &proc) == STD_OK &&
	      run_wait(owner, &proc, &how, &status, 30000) == STD_OK &&
	      how == RUN_FAULTED && status == TRAP_PF,
	      "a faulting child ends RUN_FAULTED with trap 14");
}

/* The sleeping child in pro_list: name, owner flag, memory, rights. */
static int
listed(capability *proc)
{
	static struct ps_info ps[64];
	capability weak;
	int n, found = 0;

	n = pro_list(&host, ps, 64);
	for (int i = 0; i < n; i++)
		if (prv_number(&ps[i].pi_cap.cap_priv) ==
		    prv_number(&proc->cap_priv))
			found = strcmp(ps[i].pi_name, "test_exec") == 0 &&
				(ps[i].pi_flags & PSL_OWNED) &&
				ps[i].pi_kib > 0 && ps[i].pi_threads == 1;
	if (std_restrict(&host, PSR_READ, &weak) != STD_OK)
		return 0;
	n = pro_list(&weak, ps, 64);
	for (int i = 0; i < n; i++)
		if (prv_number(&ps[i].pi_cap.cap_priv) ==
		    prv_number(&proc->cap_priv) &&
		    pro_stun(&ps[i].pi_cap, 1) != STD_DENIED)
			return 0;
	return found;
}

static void
test_stun(void)
{
	char *argv[] = { "test_exec", "sleep", NULL };
	int how = -1, status = -1;
	capability proc;
	char info[80];

	CHECK(start(argv, 0, &proc) == STD_OK, "exec of a sleeping child");
	CHECK(std_info(&proc, info, sizeof(info), NULL) == STD_OK &&
	      strstr(info, "test_exec") != NULL,
	      "the process is named after argv[0] (std_info)");
	CHECK(run_poll(owner, &proc, &how, &status) == STD_NOMOREDATA,
	      "run_poll: still running");
	CHECK(run_wait(owner, &proc, &how, &status, 300) == STD_NOMOREDATA,
	      "run_wait with a limit: still running");
	CHECK(listed(&proc), "pro_list shows it (name, owner, memory), with "
	      "no more rights than the server capability given");
	CHECK(pro_stun(&proc, STUN_DETAIL) == STD_OK &&
	      run_wait(owner, &proc, &how, &status, 30000) == STD_OK &&
	      how == RUN_KILLED && status == STUN_DETAIL,
	      "a stunned child ends RUN_KILLED with the stun detail");
}

static void
test_errors(void)
{
	char *argv[] = { "test_exec", "child", NULL };
	static char big[300 * 1024];
	char *bigv[] = { "test_exec", "child", big, NULL };
	capability file, proc, bad = host;
	unsigned long t0;
	int how, status;
	interval old;
	errstat err = STD_OK;

	CHECK(run_findprog("nosuchprog", NULL, &file, NULL, 0) ==
	      STD_NOTFOUND, "run_findprog: a missing program is STD_NOTFOUND");
	CHECK(run_prog("nosuchprog", NULL, owner, argv, NULL, NULL, &proc) ==
	      STD_NOTFOUND, "run_prog: a missing program is STD_NOTFOUND");
	CHECK(run_findprog("/home/notexec", NULL, &file, NULL, 0) == STD_OK &&
	      exec_file(&file, &host, NULL, 0, argv, NULL, NULL, &proc) ==
	      EXEC_NOTEXEC, "exec_file of a text file: not an executable");
	CHECK(run_findprog("/bin", NULL, &file, NULL, 0) == STD_OK &&
	      (err = exec_file(&file, &host, NULL, 0, argv, NULL, NULL,
			       &proc)) == EXEC_NOTEXEC,
	      "exec_file of a directory: not an executable");
	if (err != EXEC_NOTEXEC)
		printf("# exec_file of /bin: %d\n", (int)err);
	CHECK(strcmp(err_why(EXEC_NOTEXEC), "not an executable") == 0,
	      "err_why(EXEC_NOTEXEC)");
	memset(big, 'x', 20000);
	CHECK(exec_file(&prog, &host, &ownercap, 8192, bigv, NULL, NULL,
			&proc) == STD_OK &&
	      run_wait(owner, &proc, &how, &status, 30000) == STD_OK &&
	      how == RUN_EXITED && status == 10,
	      "arguments larger than the stack asked for: the stack grows");
	memset(big, 'x', sizeof(big) - 1);
	CHECK(exec_file(&prog, &host, NULL, 8192, bigv, NULL, NULL, &proc) ==
	      EXEC_BIGARGS, "arguments over 256 KiB: EXEC_BIGARGS");
	bad.cap_priv.prv_random._portbytes[0] ^= 0x55;
	CHECK(exec_file(&prog, &bad, NULL, 0, argv, NULL, NULL, &proc) ==
	      STD_CAPBAD, "a host capability with a bad check: STD_CAPBAD");
	bad.cap_port._portbytes[0] ^= 0x55;
	old = timeout(2000);
	t0 = sys_milli();
	CHECK(exec_file(&prog, &bad, NULL, 0, argv, NULL, NULL, &proc) < 0 &&
	      sys_milli() - t0 < 10000,
	      "a host nobody serves: an error in bounded time");
	timeout(old);
	proc = host;
	proc.cap_priv.prv_object[2] = 'P';	/* pid 60: not running */
	proc.cap_priv.prv_object[0] = 60;
	t0 = sys_milli();
	CHECK(run_wait(owner, &proc, &how, &status, -1) == STD_NOTFOUND &&
	      sys_milli() - t0 < 10000,
	      "run_wait on a process that is gone: STD_NOTFOUND, no hang");
}

static void
test_nodes(void)
{
	char names[RUN_NODEMAX][RUN_NODEMAX], node[RUN_NODEMAX];
	const char *self = getenv("VX_NODE");
	capability c;
	int n, found = 0;

	n = run_nodes(names, RUN_NODEMAX);
	for (int i = 0; i < n; i++)
		found |= self != NULL && strcmp(names[i], self) == 0;
	CHECK(found, "run_nodes: this node registered itself in /hosts");
	CHECK(run_pickhost(node, sizeof(node), &c) == STD_OK &&
	      self != NULL && strcmp(node, self) == 0,
	      "run_pickhost: the only node");
	CHECK(run_host("nosuchnode", &c) != STD_OK,
	      "run_host of an unknown node fails");
}

int
main(int argc, char **argv, char **envp)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child(argc, argv, envp);
	if (argc > 1 && strcmp(argv[1], "fault") == 0) {
		*(volatile int *)0 = 1;
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "sleep") == 0)
		return child_sleep();
	if (argc > 1 && strcmp(argv[1], "nodes") == 0) {
		test_nodes();
		if (argc > 2 && strcmp(argv[2], "drop") == 0)
			CHECK(sp_delete(SP_DEFAULT, "/hosts/vx") == STD_OK &&
			      sp_delete(SP_DEFAULT, "/hosts") == STD_OK,
			      "/hosts removed (the next boot makes it)");
		return TEST_DONE();
	}
	CHECK(run_host(NULL, &host) == STD_OK, "run_host: this node");
	CHECK(run_findprog("test_exec", NULL, &prog, NULL, 0) == STD_OK,
	      "run_findprog: /bin/test_exec");
	CHECK(run_owner_new(&owner, &ownercap) == STD_OK, "run_owner_new");
	test_child();
	test_hello();
	test_fault();
	test_stun();
	test_errors();
	test_nodes();
	return TEST_DONE();
}
