/*
 * test_kdir.c - a node's kernel servers through its kernel directory,
 * locally or on another node: `init=test_kdir [node]` (default: this
 * node, "vx").  Looks up proc, sys, random, tod and tty with
 * kdir_lookup, asks each for std_info, gets random bytes, the time and
 * the process server's load, and writes one line on that node's
 * console through its tty server:
 *     test_kdir: hello from process P on the console of NODE
 * (a two-node test looks for it on the other node).  An unknown name
 * gives STD_NOTFOUND.  ok/not ok lines, exit status 0 = all passed.
 */
#include <stdio.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/kdir.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/process/proc.h>
#include <server/random/random.h>
#include <server/tod/tod.h>
#include <server/tty/tty.h>

#include "check.h"

static int32
ask(capability *cap, command cmd, bufptr req, int n, header *h, char *rep,
    int m)
{
	memset(h, 0, sizeof(*h));
	h->h_port = cap->cap_port;
	h->h_priv = cap->cap_priv;
	h->h_command = cmd;
	h->h_size = (bufsize)(req ? n : m);
	return rpc_trans(h, req, req ? n : 0, h, rep, m);
}

int
main(int argc, char **argv)
{
	static const char *const names[] = { "proc", "sys", "random", "tod",
					      "tty" };
	const char *node = argc > 1 ? argv[1] : NULL;
	capability cap[5], dir;
	char buf[256], name[320], msg[128];
	header h;
	errstat err;
	int32 r;
	int i;

	host_kdir_cap(node, &dir);
	err = std_info(&dir, buf, sizeof(buf), NULL);
	snprintf(name, sizeof(name), "std_info of the kernel directory of %s: "
		 "\"%s\"", node ? node : "this node",
		 err == STD_OK ? buf : err_why(err));
	CHECK(err == STD_OK, name);
	for (i = 0; i < 5; i++) {
		err = kdir_lookup(node, names[i], &cap[i]);
		if (err == STD_OK)
			err = std_info(&cap[i], buf, sizeof(buf), NULL);
		snprintf(name, sizeof(name), "lookup and std_info of %s: \"%s\"",
			 names[i], err == STD_OK ? buf : err_why(err));
		CHECK(err == STD_OK, name);
	}
	CHECK(kdir_lookup(node, "no-such-entry", &dir) == STD_NOTFOUND,
	      "an unknown name: STD_NOTFOUND");
	r = ask(&cap[2], RND_GETRANDOM, NULL, 0, &h, buf, 32);
	CHECK(r == 32 && h.h_status == STD_OK, "32 random bytes");
	r = ask(&cap[3], TOD_GETTIME, NULL, 0, &h, NULL, 0);
	CHECK(r == 0 && h.h_status == STD_OK && h.h_offset > 1577836800,
	      "the time of day");
	r = ask(&cap[0], PS_GETLOAD, NULL, 0, &h, NULL, 0);
	CHECK(r == 0 && h.h_status == STD_OK && h.h_offset > 0,
	      "PS_GETLOAD");
	snprintf(msg, sizeof(msg),
		 "test_kdir: hello from process %ld on the console of %s\n",
		 sys_getpid(), node ? node : "this node");
	r = ask(&cap[4], TTQ_WRITE, msg, (int)strlen(msg), &h, NULL, 0);
	CHECK(r == 0 && h.h_status == STD_OK && h.h_size == strlen(msg),
	      "TTQ_WRITE on that node's console");
	return TEST_DONE();
}
