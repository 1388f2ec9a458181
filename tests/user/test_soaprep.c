/*
 * test_soaprep.c - the client of the replicated SOAP server
 * (userland/servers/soap/rep.c), run on a diskless node by
 * tests/cluster/t_soaprep.py while three disk nodes run `soap -r 3`:
 *
 *   test_soaprep stream N TAG   make directory /rep-TAG, then N appends
 *                     of e0.. with every fourth followed by the delete
 *                     of an earlier one, through the sp_* stubs; prints
 *                     `stream: half` half way (the test kills a replica
 *                     then).  Checks: every acknowledged update is in
 *                     the final listing (deletes absent), none was done
 *                     twice (no STD_EXISTS / STD_NOTFOUND coming back
 *                     from a retry), and first: the same SP_APPEND sent
 *                     twice with one h_signature is done once
 *   test_soaprep more N TAG     make /rep-TAG with N entries (after the
 *                     killed replica came back): all acknowledged
 *
 * Prints `listing: HASH` of the sorted names of /rep-TAG, ok/not ok
 * lines and "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <capset.h>
#include <sp_dir.h>
#include <stderr.h>
#include <module/buffers.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/syscall.h>
#include <server/soap/soap.h>
#include <server/soap/soapsvr.h>

#include "check.h"

#define MAXN	1000

static capset root, dir;
static rights_bits masks[3] = { 0xFF, 0xFF, 0xFF };
static char *cols[] = { "owner", "group", "other", NULL };
static uint8_t want[MAXN];	/* 1 present, 0 absent, 2 either (failed) */

/* Wait (bounded) for the default server's root. */
static int
get_root(void)
{
	unsigned long t0 = sys_milli();
	errstat err;

	while ((err = sp_publiccap(NULL, &root)) != STD_OK &&
	       sys_milli() - t0 < 60000)
		sys_sleep(200);
	printf("# root: %s after %lu ms\n", err_why(err), sys_milli() - t0);
	return err == STD_OK;
}

static int
make_dir(const char *tag)
{
	char name[40];
	errstat err;

	snprintf(name, sizeof(name), "rep-%s", tag);
	err = sp_create(&root, cols, &dir);
	if (err == STD_OK)
		err = sp_append(&root, name, &dir, 3, masks);
	printf("# /%s: %s\n", name, err_why(err));
	return err == STD_OK;
}

/* One SP_APPEND of name by hand, with signature sig. */
static errstat
append_signed(const char *name, const port *sig)
{
	char in[256], *p, *e = in + sizeof(in);
	header h;
	int32 n;
	int i;

	p = buf_put_string(in, e, name);
	p = buf_put_capset(p, e, &dir);
	for (i = 0; i < SP_MAXCOLUMNS; i++)
		p = buf_put_right_bits(p, e, i < 3 ? 0xFF : 0);
	if (p == NULL)
		return STD_ARGBAD;
	memset(&h, 0, sizeof(h));
	h.h_port = dir.cs_suite[0].s_object.cap_port;
	h.h_priv = dir.cs_suite[0].s_object.cap_priv;
	h.h_signature = *sig;
	h.h_command = SP_APPEND;
	h.h_size = (bufsize)(p - in);
	n = rpc_trans(&h, in, (f_size_t)(p - in), &h, NULL, 0);
	return n < 0 ? n : ERR_CONVERT(h.h_status);
}

/* The same signed SP_APPEND twice is done once. */
static void
check_dedup(void)
{
	port sig, other;
	capset cs;
	errstat a, b, c;

	uniqport(&sig);
	uniqport(&other);
	a = append_signed("dup", &sig);
	b = append_signed("dup", &sig);
	c = append_signed("dup", &other);
	printf("# dup: %s, again %s, new signature %s\n", err_why(a),
	       err_why(b), err_why(c));
	CHECK(a == STD_OK && b == STD_OK,
	      "an SP_APPEND sent again with its signature: its first reply");
	CHECK(c == STD_EXISTS, "... and done once (a new signature: "
	      "STD_EXISTS)");
	if (sp_lookup(&dir, "dup", &cs) == STD_OK)
		cs_free(&cs);
	CHECK(sp_delete(&dir, "dup") == STD_OK, "dup deleted");
}

/* The sorted names of dir hashed; checks them against want[0..n). */
static unsigned long
listing(int n, int *missing, int *extra)
{
	static char seen[MAXN];
	unsigned long hash = 5381;
	SP_DIR *dd;
	errstat err;
	int i, k;

	*missing = *extra = 0;
	memset(seen, 0, sizeof(seen));
	if ((err = sp_list(&dir, &dd)) != STD_OK) {
		printf("# sp_list: %s\n", err_why(err));
		*missing = n;
		return 0;
	}
	for (i = 0; i < dd->dd_nrows; i++) {
		const char *nm = dd->dd_rows[i].d_name;

		if (nm[0] != 'e' || (k = atoi(nm + 1)) < 0 || k >= n) {
			(*extra)++;
			continue;
		}
		seen[k]++;
	}
	sp_closedir(dd);
	for (k = 0; k < n; k++) {
		if (seen[k] > 1 || (seen[k] && want[k] == 0))
			(*extra)++;
		if (!seen[k] && want[k] == 1)
			(*missing)++;
		if (seen[k])
			hash = hash * 33 + (unsigned long)k;
	}
	return hash;
}

static int
stream(int n, const char *tag, int dedup)
{
	int fails = 0, twice = 0, missing, extra, i, acked = 0;
	char name[16];
	errstat err;

	if (!CHECK(get_root() && make_dir(tag), "the directory made"))
		return TEST_DONE();
	if (dedup)
		check_dedup();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "e%d", i);
		err = sp_append(&dir, name, &dir, 3, masks);
		want[i] = err == STD_OK ? 1 : 2;
		acked += err == STD_OK;
		twice += err == STD_EXISTS;
		if (err != STD_OK) {
			fails++;
			printf("# append %s: %s\n", name, err_why(err));
		}
		if (i % 4 == 3 && want[i - 2] == 1) {
			snprintf(name, sizeof(name), "e%d", i - 2);
			err = sp_delete(&dir, name);
			want[i - 2] = err == STD_OK ? 0 : 2;
			acked += err == STD_OK;
			twice += err == STD_NOTFOUND;
			if (err != STD_OK) {
				fails++;
				printf("# delete %s: %s\n", name, err_why(err));
			}
		}
		if (i == n / 2) {
			printf("stream: half\n");
			fflush(stdout);
		}
	}
	printf("listing: %lx\n", listing(n, &missing, &extra));
	printf("stream: acked %d failed %d twice %d missing %d extra %d\n",
	       acked, fails, twice, missing, extra);
	CHECK(missing == 0, "every acknowledged update is in the listing");
	CHECK(extra == 0, "nothing deleted or unknown is in it, nothing twice");
	CHECK(twice == 0, "no update was done twice (no STD_EXISTS or "
	      "STD_NOTFOUND from a retry)");
	CHECK(fails <= (dedup ? 2 : 0), dedup ? "at most the updates in "
	      "flight when the replica died failed" : "no update failed");
	return TEST_DONE();
}

int
main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0;

	if (argc == 4 && n > 0 && n <= MAXN && strcmp(argv[1], "stream") == 0)
		return stream(n, argv[3], 1);
	if (argc == 4 && n > 0 && n <= MAXN && strcmp(argv[1], "more") == 0)
		return stream(n, argv[3], 0);
	printf("usage: test_soaprep stream|more N TAG\n");
	return 2;
}
