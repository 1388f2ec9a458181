/*
 * test_sp_stubs.c - host tests of the SOAP client side (libamoeba/
 * stubs: capset.c, soap.c, sp_dir.c, name.c, sp_port.c) against two
 * real server cores ("soap" and "far", on in-memory Bullet and vdisk)
 * behind a fake rpc_trans that routes by port and records the last
 * request: capset and request marshalling byte by byte, path
 * normalisation, ROOT/WORK, paths across servers, the 10-step limit,
 * retries over capset members, multi-transaction SP_LIST, name_* and
 * dir_*.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <caplist.h>
#include <capset.h>
#include <stderr.h>
#include <stdcom.h>
#include <sp_dir.h>
#include <module/buffers.h>
#include <module/direct.h>
#include <module/name.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include "check.h"
#include "fake_io.h"
#include "soap_client.h"

static struct sps svr[2];
static struct fake *fio[2];
static char last_req[4096];
static size_t last_len;
static command last_cmd;
static int ntrans, fail_next, lose_next, nlist;
static capability env_root, env_work;
static struct caplist env[3];
struct caplist *vx_capv;

/* As libamoeba/user/getcap.c: the process's capability list. */
capability *
getcap(const char *name)
{
	struct caplist *c;

	for (c = vx_capv; c != NULL && c->cl_name != NULL; c++)
		if (strcmp(c->cl_name, name) == 0)
			return c->cl_cap;
	return NULL;
}

/* ROOT, and WORK if work != NULL, as the environment. */
static void
set_env(const capability *root, const capability *work)
{
	memset(env, 0, sizeof(env));
	env_root = *root;
	env[0].cl_name = "ROOT";
	env[0].cl_cap = &env_root;
	if (work != NULL) {
		env_work = *work;
		env[1].cl_name = "WORK";
		env[1].cl_cap = &env_work;
	}
	vx_capv = env;
}

/* As the system's: a fresh random port (here a counter's bytes). */
void
uniqport(port *p)
{
	static uint32_t n;

	n++;
	memset(p, 0, sizeof(*p));
	memcpy(p->_portbytes, &n, sizeof(n));
	p->_portbytes[5] = 0x5a;
}

/*
 * The servers behind the stubs: fail_next requests fail before the
 * server sees them, lose_next lose the reply after the server did them
 * (RPC_FAILURE either way); updates go through sps_apply as in
 * userland/servers/soap/main.c.
 */
int32
rpc_trans(header *req, bufptr rbuf, f_size_t rn, header *rep, bufptr buf,
	  f_size_t n)
{
	static char out[SP_BUFSIZE];
	header h = *req;
	size_t len;
	int i;

	ntrans++;
	if (fail_next > 0) {
		fail_next--;
		return RPC_FAILURE;
	}
	for (i = 0; i < 2; i++)
		if (PORTCMP(&req->h_port, &svr[i].putport))
			break;
	if (i == 2)
		return RPC_NOTFOUND;
	if (rn > (f_size_t)sizeof(last_req))
		return RPC_FAILURE;
	if (rn > 0)
		memcpy(last_req, rbuf, (size_t)rn);
	last_len = (size_t)rn;
	last_cmd = req->h_command;
	nlist += req->h_command == SP_LIST;
	if (sps_is_update(h.h_command))
		len = sps_apply(&svr[i], &h, last_req, (size_t)rn, out,
				(size_t)n < sizeof(out) ? (size_t)n
				: sizeof(out));
	else
		len = sps_request(&svr[i], &h, last_req, (size_t)rn, out,
				  (size_t)n < sizeof(out) ? (size_t)n
				  : sizeof(out));
	if (lose_next > 0) {
		lose_next--;
		return RPC_FAILURE;
	}
	*rep = h;
	if (len > 0)
		memcpy(buf, out, len);
	if (rn > 0)
		memcpy(last_req, rbuf, (size_t)rn);	/* as sent */
	return (int32)len;
}

/* The servers restrict other servers' capabilities with std_restrict. */
static errstat
real_restrict(void *ctx, const capability *in, rights_bits mask,
	      capability *out)
{
	(void)ctx;
	return std_restrict((capability *)in, mask, out);
}

static void
start_servers(void)
{
	static struct sps_io io[2];
	static const char *names[2] = { "soap", "far" };
	int i;

	for (i = 0; i < 2; i++) {
		fio[i] = fake_new();
		io[i] = fio[i]->io;
		io[i].restrict_cap = real_restrict;
		if (sps_start(&svr[i], &io[i], names[i], 1) != STD_OK)
			abort();
	}
}

static void
test_capsets(void)
{
	capability c1, c2;
	capset a, b;
	char buf[64], *p;

	memset(&c1, 0x11, sizeof(c1));
	memset(&c2, 0x22, sizeof(c2));
	CHECK(cs_singleton(&a, &c1) && a.cs_initial == 1 && a.cs_final == 1 &&
	      a.cs_suite[0].s_current == 1 && cs_member(&a, &c1) &&
	      !cs_member(&a, &c2), "cs_singleton, cs_member");
	p = buf_put_capset(buf, buf + sizeof(buf), &a);
	CHECK(p == buf + 22 && buf[0] == 1 && buf[1] == 0 && buf[2] == 1 &&
	      buf[3] == 0 && (uint8)buf[4] == 0x11 && (uint8)buf[19] == 0x11 &&
	      buf[20] == 1 && buf[21] == 0,
	      "buf_put_capset: i16 initial, i16 final, cap, i16 current (LE)");
	CHECK(buf_put_capset(buf, buf + 21, &a) == NULL,
	      "buf_put_capset: overflow gives NULL");
	CHECK(buf_get_capset(buf, buf + 22, &b) == buf + 22 &&
	      b.cs_final == 1 && cs_member(&b, &c1),
	      "buf_get_capset: round trip");
	cs_free(&b);
	buf[2] = 9;
	CHECK(buf_get_capset(buf, buf + 22, &b) == NULL,
	      "buf_get_capset: more than MAXCAPSET refused");
	CHECK(cs_copy(&b, &a) && cs_member(&b, &c1) && b.cs_suite != a.cs_suite,
	      "cs_copy");
	b.cs_suite[0].s_current = 0;
	CHECK(cs_to_cap(&b, &c2) == STD_SYSERR && cs_to_cap(&a, &c2) == STD_OK &&
	      memcmp(&c1, &c2, CAPSIZE) == 0, "cs_to_cap: first current one");
	cs_free(&a);
	cs_free(&b);
	CHECK(a.cs_suite == NULL && a.cs_final == 0, "cs_free empties");
}

static void
test_norm(void)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "/a/./b/../c", "/a/c" }, { "/..", "/" }, { "/", "/" },
		{ "a/b/..", "a" }, { "./x", "x" }, { ".", "" },
		{ "//a//b/", "/a/b" }, { "a/../../b", NULL },
	};
	char out[64];
	size_t i;
	int ok = 1;

	unsetenv("PWD");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		errstat e = sp_path_norm(t[i].in, out, sizeof(out));

		if (t[i].out == NULL ? e != STD_ARGBAD
				     : (e != STD_OK || strcmp(out, t[i].out))) {
			printf("# norm %s -> %s (%d)\n", t[i].in, out, (int)e);
			ok = 0;
		}
	}
	CHECK(ok, "'.' and '..' normalised; '..' above WORK is STD_ARGBAD");
	setenv("PWD", "/home/u", 1);
	CHECK(sp_path_norm("../v/x", out, sizeof(out)) == STD_OK &&
	      strcmp(out, "/home/v/x") == 0, "'..' above WORK uses $PWD");
	unsetenv("PWD");
}

static int
cs_is(capset *cs, const capability *c)
{
	return cs->cs_final >= 1 &&
	       memcmp(&cs->cs_suite[0].s_object, c, CAPSIZE) == 0;
}

/* The state the stub tests share, in order. */
static capability root, farroot, fc;
static capset rootcs, d1, fcs, farcs;
static rights_bits m3[3] = { 0xFF, 0x02, 0x04 };
static char *cols[] = { "owner", "group", "other", NULL };

/* ROOT from the environment or from the server's public object. */
static void
st_root(void)
{
	capset cs;

	sps_capof(&svr[0], 0, 0xFF, &root);
	sps_capof(&svr[1], 0, 0xFF, &farroot);
	memset(&fc, 0x33, sizeof(fc));
	cs_singleton(&fcs, &fc);
	cs_singleton(&farcs, &farroot);

	unsetenv("SOAP");
	CHECK(sp_publiccap(NULL, &rootcs) == STD_OK && cs_is(&rootcs, &root),
	      "sp_publiccap: the default server's root by its public port");
	cs_free(&rootcs);
	CHECK(sp_get_rootdir(&cs) == STD_OK && cs_is(&cs, &root),
	      "no ROOT in the environment: the default server's root");
	cs_free(&cs);
	set_env(&root, NULL);
	cs_singleton(&rootcs, &root);
}

/* The entry operations, their requests byte by byte, SP_DEFAULT. */
static void
st_entries(void)
{
	capset cs;
	rights_bits got[3];

	CHECK(sp_create(SP_DEFAULT, cols, &d1) == STD_OK &&
	      last_cmd == SP_CREATE && last_len == 18 &&
	      memcmp(last_req, "owner\0group\0other", 18) == 0,
	      "sp_create: column names as strings");
	CHECK(sp_append(SP_DEFAULT, "/d1", &d1, 3, m3) == STD_OK &&
	      last_cmd == SP_APPEND && last_len == 3 + 22 + 12 &&
	      memcmp(last_req, "d1", 3) == 0 && last_req[25] == (char)0xFF &&
	      last_req[29] == 2 && last_req[33] == 4 && last_req[36] == 0,
	      "sp_append: name, capset, i32 LE masks");
	CHECK(sp_append(SP_DEFAULT, "/d1", &d1, 3, m3) == STD_EXISTS,
	      "sp_append: STD_EXISTS");
	CHECK(sp_append(&rootcs, "bad name", &fcs, 1, m3) == STD_ARGBAD,
	      "sp_append: bad name STD_ARGBAD");
	CHECK(sp_append(SP_DEFAULT, "/d1/f", &fcs, 3, m3) == STD_OK &&
	      sp_lookup(SP_DEFAULT, "/d1/f", &cs) == STD_OK &&
	      cs_is(&cs, &fc), "sp_append/sp_lookup through a path");
	cs_free(&cs);
	CHECK(sp_lookup(SP_DEFAULT, "/d1/../d1/./f", &cs) == STD_OK &&
	      cs_is(&cs, &fc) && last_len == 5 &&
	      memcmp(last_req, "d1/f", 5) == 0,
	      "sp_lookup: '.' and '..' normalised before sending");
	cs_free(&cs);
	CHECK(sp_lookup(SP_DEFAULT, "/d1/none", &cs) == STD_NOTFOUND,
	      "sp_lookup: STD_NOTFOUND");
	set_env(&root, &d1.cs_suite[0].s_object);
	CHECK(sp_lookup(SP_DEFAULT, "f", &cs) == STD_OK && cs_is(&cs, &fc),
	      "SP_DEFAULT with a relative path starts at WORK");
	cs_free(&cs);
	CHECK(sp_getmasks(SP_DEFAULT, "/d1/f", 3, got) == STD_OK &&
	      got[0] == 0xFF && got[1] == 2 && got[2] == 4, "sp_getmasks");
	got[1] = 0x06;
	CHECK(sp_chmod(SP_DEFAULT, "f", 3, got) == STD_OK &&
	      sp_getmasks(SP_DEFAULT, "f", 3, got) == STD_OK && got[1] == 6,
	      "sp_chmod");
	{
		capability fc2;
		capset c2;

		memset(&fc2, 0x44, sizeof(fc2));
		cs_singleton(&c2, &fc2);
		CHECK(sp_replace(SP_DEFAULT, "/d1/f", &c2) == STD_OK &&
		      sp_lookup(SP_DEFAULT, "/d1/f", &cs) == STD_OK &&
		      cs_is(&cs, &fc2), "sp_replace");
		cs_free(&cs);
		cs_free(&c2);
	}
}

/* sp_traverse, sp_discard, sp_getseqno, sp_setlookup, sp_install. */
static void
st_others(void)
{
	capset cs;
	const char *path;
	sp_seqno_t sq;

	path = "/d1/f";
	CHECK(sp_traverse(SP_DEFAULT, &path, &cs) == STD_OK &&
	      strcmp(path, "f") == 0 && cs_is(&cs, &d1.cs_suite[0].s_object),
	      "sp_traverse: the directory and the last component");
	cs_free(&cs);
	CHECK(sp_discard(&d1) == SP_NOTEMPTY, "sp_discard: SP_NOTEMPTY");
	CHECK(sp_getseqno(&rootcs, &sq) == STD_OK && sq.seq[0] > 3,
	      "sp_getseqno");
	{
		sp_entry e[2];
		sp_result r[2];

		cs_copy(&e[0].se_capset, &rootcs);
		e[0].se_name = "d1";
		cs_copy(&e[1].se_capset, &d1);
		e[1].se_name = "nothere";
		CHECK(sp_setlookup(2, e, r) == STD_OK &&
		      r[0].sr_status == STD_OK && r[0].sr_time > 0 &&
		      cs_is(&r[0].sr_capset, &d1.cs_suite[0].s_object) &&
		      r[1].sr_status == STD_NOTFOUND, "sp_setlookup");
		cs_free(&e[0].se_capset);
		cs_free(&e[1].se_capset);
		cs_free(&r[0].sr_capset);
	}
	CHECK(sp_install(0, NULL, NULL, NULL) == STD_COMBAD,
	      "sp_install: STD_COMBAD (no format known)");
}

/* A path across two servers; restriction by the other server. */
static void
st_servers(void)
{
	capset cs;

	/* across servers */
	CHECK(sp_append(SP_DEFAULT, "/far", &farcs, 3, m3) == STD_OK &&
	      sp_mkdir(&farcs, "sub", NULL) == STD_OK &&
	      sp_append(SP_DEFAULT, "/far/sub/x", &fcs, 3, m3) == STD_OK &&
	      sp_lookup(SP_DEFAULT, "/far/sub/x", &cs) == STD_OK &&
	      cs_is(&cs, &fc), "path across two servers");
	cs_free(&cs);
	{
		/* the group column: far's root restricted by soap via
		 * STD_RESTRICT to far (mask 0x02) */
		capability r;
		capset rc;

		std_restrict(&root, 0x02, &r);
		cs_singleton(&rc, &r);
		CHECK(sp_lookup(&rc, "far", &cs) == STD_OK &&
		      cs.cs_suite[0].s_object.cap_priv.prv_rights == 0x02 &&
		      PORTCMP(&cs.cs_suite[0].s_object.cap_port,
			      &farroot.cap_port),
		      "another server's capability restricted by STD_RESTRICT");
		cs_free(&cs);
		cs_free(&rc);
	}
}

/* At most 10 SP_LOOKUP steps (server crossings). */
static void
st_steps(void)
{
	capset cs;

	/* a chain of 11 server crossings: more than 10 steps */
	{
		capset cur, nd;
		int i;
		char p[64];

		cs_copy(&cur, &rootcs);
		for (i = 0; i < 11; i++) {
			capset on;
			capability sc;

			sps_capof(&svr[(i + 1) % 2], 0, 0xFF, &sc);
			cs_singleton(&on, &sc);
			sp_create(&on, cols, &nd);
			sp_append(&cur, "n", &nd, 3, m3);
			cs_free(&cur);
			cur = nd;
			cs_free(&on);
		}
		cs_free(&cur);
		strcpy(p, "/n/n/n/n/n/n/n/n/n");
		CHECK(sp_lookup(SP_DEFAULT, p, &cs) == STD_OK,
		      "sp_lookup: 9 crossings fine");
		cs_free(&cs);
		strcpy(p, "/n/n/n/n/n/n/n/n/n/n/n");
		CHECK(sp_lookup(SP_DEFAULT, p, &cs) == STD_OVERFLOW,
		      "sp_lookup: more than 10 steps gives STD_OVERFLOW");
	}
}

/* Retries of idempotent requests over capset members. */
static void
st_retries(void)
{
	capset cs;

	/* retries */
	{
		capset two;
		capability dead = root;

		dead.cap_port._portbytes[0] ^= 1;
		two.cs_initial = two.cs_final = 2;
		two.cs_suite = calloc(2, sizeof(suite));
		two.cs_suite[0].s_object = dead;
		two.cs_suite[0].s_current = 1;
		two.cs_suite[1].s_object = root;
		two.cs_suite[1].s_current = 1;
		CHECK(sp_lookup(&two, "d1", &cs) == STD_OK && cs_is(&cs, &d1.cs_suite[0].s_object),
		      "capset: an unreachable member is skipped");
		cs_free(&cs);
		fail_next = 2;
		ntrans = 0;
		CHECK(sp_lookup(&rootcs, "d1", &cs) == STD_OK && ntrans == 3,
		      "idempotent SP_LOOKUP retried after RPC_FAILURE");
		cs_free(&cs);
		fail_next = 1;
		ntrans = 0;
		CHECK(sp_append(&rootcs, "rt", &d1, 3, m3) == STD_OK &&
		      ntrans == 2, "SP_APPEND retried after RPC_FAILURE");
		lose_next = 1;
		ntrans = 0;
		CHECK(sp_delete(&rootcs, "rt") == STD_OK && ntrans == 2 &&
		      sp_lookup(&rootcs, "rt", &cs) == STD_NOTFOUND,
		      "SP_DELETE whose reply was lost: the retry (same "
		      "h_signature) gets the first reply, not STD_NOTFOUND");
		lose_next = 1;
		ntrans = 0;
		CHECK(sp_append(&rootcs, "rt", &d1, 3, m3) == STD_OK &&
		      ntrans == 2 && sp_lookup(&rootcs, "rt", &cs) == STD_OK,
		      "SP_APPEND whose reply was lost: done once, STD_OK, "
		      "not STD_EXISTS");
		cs_free(&cs);
		CHECK(sp_delete(&rootcs, "rt") == STD_OK, "rt deleted");
		fail_next = 100;
		CHECK(sp_lookup(&rootcs, "d1", &cs) == RPC_FAILURE,
		      "all tries failing: RPC_FAILURE");
		fail_next = 0;
		cs_free(&two);
	}
}

/* sp_list of a directory too large for one reply. */
static void
st_list(void)
{
	/* a large directory: several SP_LIST transactions */
	{
		SP_DIR *dd;
		struct sp_direct *e;
		char name[256];
		int i, ok = 1, n = 0;
		capset big;

		sp_create(&rootcs, cols, &big);
		for (i = 0; i < 60; i++) {
			memset(name, 'a' + i % 26, 200);
			snprintf(name + 200, 20, "%03d", i);
			if (sp_append(&big, name, &fcs, 3, m3) != STD_OK)
				ok = 0;
		}
		nlist = 0;
		CHECK(ok && sp_list(&big, &dd) == STD_OK && dd->dd_nrows == 60 &&
		      dd->dd_ncols == 3 && nlist >= 2,
		      "sp_list: 60 rows of 203 bytes in several transactions");
		while ((e = sp_readdir(dd)) != NULL) {
			snprintf(name + 200, 20, "%03d", n);
			memset(name, 'a' + n % 26, 200);
			ok &= strcmp(e->d_name, name) == 0 &&
			      e->d_namlen == 203 && e->d_columns[2] == 4;
			n++;
		}
		CHECK(ok && n == 60, "sp_readdir: every row in order");
		sp_rewinddir(dd);
		CHECK(sp_telldir(dd) == 0 && sp_readdir(dd) == &dd->dd_rows[0],
		      "sp_rewinddir/sp_telldir");
		sp_closedir(dd);
		cs_free(&big);
	}
}

/* The name_* and dir_* modules. */
static void
st_names(void)
{
	capability c;

	/* name_* and dir_* */
	memset(&c, 0, sizeof(c));
	CHECK(name_append("/d1/n1", &fc) == STD_OK &&
	      name_lookup("/d1/n1", &c) == STD_OK &&
	      memcmp(&c, &fc, CAPSIZE) == 0, "name_append, name_lookup");
	CHECK(name_replace("/d1/n1", &root) == STD_OK &&
	      name_lookup("/d1/n1", &c) == STD_OK &&
	      memcmp(&c, &root, CAPSIZE) == 0, "name_replace");
	CHECK(name_delete("/d1/n1") == STD_OK &&
	      name_lookup("/d1/n1", &c) == STD_NOTFOUND, "name_delete");
	CHECK(name_create("/newdir") == STD_OK &&
	      name_lookup("/newdir", &c) == STD_OK &&
	      name_remove("/newdir") == STD_OK &&
	      name_lookup("/newdir", &c) == STD_NOTFOUND,
	      "name_create, name_remove");
	{
		struct dir_open *d = dir_open(&root);
		char *nm;
		int n = 0, sawd1 = 0;

		while (d != NULL && (nm = dir_next(d)) != NULL) {
			n++;
			sawd1 |= strcmp(nm, "d1") == 0;
		}
		CHECK(d != NULL && sawd1 && n >= 3 && dir_close(d) == STD_OK,
		      "dir_open/dir_next/dir_close");
		capability zero, dir;
		char path[] = "/d1/f";

		memset(&zero, 0, sizeof(zero));
		CHECK(dir_lookup(&root, "d1/f", &c) == STD_OK &&
		      dir_lookup(NULL, "/d1/f", &c) == STD_OK &&
		      dir_lookup(&zero, "/d1/f", &c) == STD_OK,
		      "dir_lookup with a directory, NULL and a zero one (ROOT)");
		CHECK(dir_breakpath(&zero, path, &dir) == path + 4 &&
		      memcmp(&dir, &d1.cs_suite[0].s_object, CAPSIZE) == 0,
		      "dir_breakpath: the directory and the last name");
	}
}

/* cwd_set: WORK and $PWD. */
static void
st_cwd(void)
{
	capset cs;

	set_env(&root, NULL);
	CHECK(cwd_set("/d1") == STD_OK && getcap("WORK") != NULL &&
	      memcmp(getcap("WORK"), &d1.cs_suite[0].s_object, CAPSIZE) == 0 &&
	      getcap("ROOT") != NULL && strcmp(getenv("PWD"), "/d1") == 0 &&
	      sp_lookup(SP_DEFAULT, "f", &cs) == STD_OK,
	      "cwd_set: WORK added to the environment, $PWD set");
	cs_free(&cs);
	CHECK(cwd_set("..") == STD_OK &&
	      memcmp(getcap("WORK"), &root, CAPSIZE) == 0 &&
	      strcmp(getenv("PWD"), "/") == 0, "cwd_set(\"..\") through $PWD");
	CHECK(cwd_set("/nowhere") == STD_NOTFOUND &&
	      memcmp(getcap("WORK"), &root, CAPSIZE) == 0,
	      "cwd_set of a missing directory changes nothing");
	unsetenv("PWD");
}

static void
test_stubs(void)
{
	st_root();
	st_entries();
	st_others();
	st_servers();
	st_steps();
	st_retries();
	st_list();
	st_names();
	st_cwd();
	cs_free(&rootcs);
	cs_free(&d1);
	cs_free(&fcs);
	cs_free(&farcs);
}

int
main(void)
{
	start_servers();
	test_capsets();
	test_norm();
	test_stubs();
	return TEST_DONE();
}
