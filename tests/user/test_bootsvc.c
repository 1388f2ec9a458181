/*
 * test_bootsvc.c - a service for the boot server's test
 * (tests/servers/t_boot.py), started by the boot server from /home.
 *
 *   NAME serve NAME                publish /tmp/bsvc.NAME (a port that
 *                                  answers std_info with a text unique to
 *                                  this run), then serve (argv[0] = NAME
 *                                  names the process at the process
 *                                  server)
 *   test_bootsvc check NAME NODE   wait for service NAME, kill its
 *                                  process (found by name with PS_LIST;
 *                                  STD_DESTROY at the process server),
 *                                  measure until a new run
 *                                  answers (at most 5 s), then check the
 *                                  boot server's std_status table
 *                                  (/boot/NODE); runs /bin/bootctl to
 *                                  stop the service (it must stop
 *                                  answering), start it (it must answer
 *                                  again) and list; prints ok lines and the
 *                                  closing line, then idles (a service
 *                                  that ended would be started again)
 *   test_bootsvc mem               print this node's sys server status
 *                                  ("memory: F of T pages free", the
 *                                  processes) for tests/servers/
 *                                  bench_boot.py, then idle
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stdcom.h>
#include <stderr.h>
#include <module/kdir.h>
#include <module/name.h>
#include <module/proc.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/run.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/boot/boot.h>

#include "check.h"

#define RESTART_LIMIT	5000	/* ms from the kill to an answer */
#define WAIT_LIMIT	60000	/* ms for the first run to answer */

static void
publish(const char *path, capability *cap)
{
	if (name_replace((char *)path, cap) != STD_OK &&
	    name_append((char *)path, cap) != STD_OK)
		printf("test_bootsvc: cannot publish %s\n", path);
}

static void __attribute__((noreturn))
serve(const char *name)
{
	char path[64], info[64], req[64];
	capability self;
	port get, check;
	header h;
	int32 n;

	uniqport(&get);
	uniqport(&check);
	priv2pub(&get, &self.cap_port);
	prv_encode(&self.cap_priv, 0, PRV_ALL_RIGHTS, &check);
	snprintf(info, sizeof(info), "bootsvc %s run %lu", name,
		 sys_milli());
	snprintf(path, sizeof(path), "/tmp/bsvc.%s", name);
	publish(path, &self);
	printf("test_bootsvc: %s serving\n", name);
	fflush(stdout);
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = get;
		n = rpc_getreq(&h, req, sizeof(req));
		if (n < 0)
			continue;
		n = h.h_command == STD_INFO ? (int32)strlen(info) : 0;
		h.h_status = h.h_command == STD_INFO ? STD_OK : STD_COMBAD;
		h.h_size = (bufsize)n;
		rpc_putrep(&h, info, (f_size_t)n);
	}
}

/* The std_info text of /tmp/bsvc.NAME into buf; STD_OK when it answers. */
static errstat
ask(const char *name, char *buf, int max)
{
	char path[64];
	capability cap;
	errstat err;
	int len;

	snprintf(path, sizeof(path), "/tmp/bsvc.%s", name);
	if ((err = name_lookup(path, &cap)) != STD_OK)
		return err;
	timeout(500);
	err = std_info(&cap, buf, max - 1, &len);
	if (err == STD_OK)
		buf[len < 0 ? 0 : len] = 0;
	return err;
}

/* Poll until service name answers with a text other than old. */
static long
wait_answer(const char *name, const char *old, char *now, long limit)
{
	unsigned long t0 = sys_milli();

	while ((long)(sys_milli() - t0) < limit) {
		if (ask(name, now, 64) == STD_OK && strcmp(now, old) != 0)
			return (long)(sys_milli() - t0);
		sys_sleep(50);
	}
	return -1;
}

static void
status(const char *name, const char *node)
{
	static char buf[8001];
	char path[64], *line;
	capability cap;
	int len = 0, found = 0;

	snprintf(path, sizeof(path), "%s/%s", BOOT_DIR, node);
	CHECK(name_lookup(path, &cap) == STD_OK,
	      "the boot server is published as /boot/NODE");
	CHECK(std_status(&cap, buf, sizeof(buf) - 1, &len) == STD_OK &&
	      len > 0, "std_status of the boot server answers");
	buf[len > 0 ? len : 0] = 0;
	for (line = strtok(buf, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		char sname[32], snode[32], state[16];
		int starts;

		printf("# status: %s\n", line);
		if (sscanf(line, "%31s %31s %15s %d", sname, snode, state,
			   &starts) == 4 && strcmp(sname, name) == 0 &&
		    strcmp(state, "running") == 0 && starts >= 2)
			found = 1;
	}
	CHECK(found, "std_status: the service is running, started twice");
}

/* Kill the process called name on this node (STD_DESTROY). */
static errstat
kill_by_name(const char *name)
{
	static struct ps_info ps[64];
	capability host;
	errstat err;
	int n;

	if ((err = run_host(NULL, &host)) != STD_OK)
		return err;
	n = pro_list(&host, ps, 64);
	if (n < 0)
		printf("test_bootsvc: pro_list: %s\n", err_why(n));
	for (int i = 0; i < n; i++)
		if (strcmp(ps[i].pi_name, name) == 0 &&
		    ps[i].pi_state == PSL_RUNNING)
			return std_destroy(&ps[i].pi_cap);
	for (int i = 0; i < n; i++)
		printf("test_bootsvc: process %s state %d\n", ps[i].pi_name,
		       ps[i].pi_state);
	return n < 0 ? n : STD_NOTFOUND;
}

/* Run /bin/bootctl -m node verb [name]; its exit status, or -1. */
static int
bootctl(const char *node, char *verb, const char *name)
{
	static struct run_owner *o;
	static capability ocap;
	char *argv[] = { "bootctl", "-m", (char *)node, verb, (char *)name,
			 NULL };
	capability proc;
	int how, status;

	if (o == NULL && run_owner_new(&o, &ocap) != STD_OK)
		return -1;
	if (run_prog("/bin/bootctl", NULL, o, argv, NULL, NULL, &proc) !=
	    STD_OK || run_wait(o, &proc, &how, &status, 30000) != STD_OK)
		return -1;
	return how == RUN_EXITED ? status : -1;
}

/* bootctl stop: no answer any more; start: answers again; list. */
static void
control(const char *name, const char *node)
{
	char text[64];
	int gone = 0;

	CHECK(bootctl(node, "stop", name) == 0, "bootctl stop exits 0");
	for (int i = 0; i < 100 && !gone; i++) {
		gone = ask(name, text, sizeof(text)) != STD_OK;
		if (!gone)
			sys_sleep(100);
	}
	CHECK(gone, "after bootctl stop the service no longer answers");
	CHECK(bootctl(node, "start", name) == 0, "bootctl start exits 0");
	CHECK(wait_answer(name, "", text, 10000) >= 0,
	      "after bootctl start the service answers again");
	CHECK(bootctl(node, "stop", "nosuch") == 1,
	      "bootctl stop of an unknown service fails (exit 1)");
	printf("bootctl list:\n");
	fflush(stdout);
	CHECK(bootctl(node, "list", NULL) == 0, "bootctl list exits 0");
}

static void __attribute__((noreturn))
check_service(const char *name, const char *node)
{
	char first[64], again[64];
	long took;

	took = wait_answer(name, "", first, WAIT_LIMIT);
	CHECK(took >= 0, "the boot server started the service; it answers");
	CHECK(kill_by_name(name) == STD_OK, "its process killed (found by "
	      "name, STD_DESTROY at the process server)");
	took = wait_answer(name, first, again, 20000);
	printf("bootsvc: restarted and serving again in %ld ms\n", took);
	CHECK(took >= 0 && took <= RESTART_LIMIT,
	      "restarted by the boot server and served again within 5 s");
	status(name, node);
	control(name, node);
	if (TEST_DONE() != 0)
		printf("test_bootsvc: failures above\n");
	fflush(stdout);
	for (;;)
		sys_sleep(60000);
}

/* The status of this node's sys and proc servers, each line as "mem: ". */
static void __attribute__((noreturn))
mem(void)
{
	static char buf[8001];
	const char *node = getenv("VX_NODE");
	static const char *const names[] = { "sys", "proc" };
	capability cap;
	int len;

	for (int i = 0; i < 2; i++) {
		len = 0;
		if (kdir_lookup(node, names[i], &cap) != STD_OK ||
		    std_status(&cap, buf, sizeof(buf) - 1, &len) != STD_OK)
			printf("mem: no %s status\n", names[i]);
		buf[len > 0 ? len : 0] = 0;
		for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
			printf("mem: %s\n", l);
	}
	printf("mem: end\n");
	fflush(stdout);
	for (;;)
		sys_sleep(60000);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "serve") == 0)	/* argv[0]: NAME */
		serve(argv[2]);
	if (argc == 4 && strcmp(argv[1], "check") == 0)
		check_service(argv[2], argv[3]);
	if (argc == 2 && strcmp(argv[1], "mem") == 0)
		mem();
	printf("usage: NAME serve NAME | test_bootsvc check NAME NODE | "
	       "test_bootsvc mem\n");
	return 2;
}
