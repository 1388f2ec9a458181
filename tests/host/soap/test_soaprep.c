/*
 * test_soaprep.c - the portable part of the replicated SOAP server
 * (userland/servers/soap/sps_rep.c) on the in-memory Bullet and vdisk
 * of fake_io.h: the update message codec, updates done once per
 * signature, a state snapshot installed on a second server (the same
 * directories, checks and capabilities, durable across its restart),
 * and snapshots that are damaged refused without a change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdcom.h>
#include <module/buffers.h>
#include "check.h"
#include "fake_io.h"

static struct fake *fa, *fb;
static struct sps sa, sb;

/* One update request on s: append name -> cap of slot 0 in dir. */
static errstat
append(struct sps *s, const capability *dir, const char *name,
       const port *sig)
{
	struct sps_capset cs;
	char req[256], rep[64], *p, *e = req + sizeof(req);
	header h;
	int i;

	memset(&cs, 0, sizeof(cs));
	cs.initial = cs.final = 1;
	cs.s[0].s_object = *dir;
	cs.s[0].s_current = 1;
	p = buf_put_string(req, e, name);
	p = sps_put_capset(p, e, &cs);
	for (i = 0; i < SP_MAXCOLUMNS; i++)
		p = buf_put_right_bits(p, e, 0xFF);
	memset(&h, 0, sizeof(h));
	h.h_priv = dir->cap_priv;
	h.h_command = SP_APPEND;
	if (sig != NULL)
		h.h_signature = *sig;
	sps_apply(s, &h, req, (size_t)(p - req), rep, sizeof(rep));
	return ERR_CONVERT(h.h_status);
}

/* A new directory on s (SP_CREATE through sps_apply). */
static errstat
create(struct sps *s, capability *cap)
{
	char req[64], rep[64], *p;
	header h;

	p = buf_put_string(req, req + sizeof(req), "owner");
	memset(&h, 0, sizeof(h));
	sps_capof(s, 0, 0xFF, cap);
	h.h_priv = cap->cap_priv;
	h.h_command = SP_CREATE;
	sps_apply(s, &h, req, (size_t)(p - req), rep, sizeof(rep));
	cap->cap_port = h.h_port;
	cap->cap_priv = h.h_priv;
	return ERR_CONVERT(h.h_status);
}

/* SP_LOOKUP of name in dir on s. */
static errstat
lookup(struct sps *s, const capability *dir, const char *name)
{
	char req[64], rep[512], *p;
	header h;

	p = buf_put_string(req, req + sizeof(req), name);
	memset(&h, 0, sizeof(h));
	h.h_priv = dir->cap_priv;
	h.h_command = SP_LOOKUP;
	sps_request(s, &h, req, (size_t)(p - req), rep, sizeof(rep));
	return ERR_CONVERT(h.h_status);
}

static void
test_codec(void)
{
	char buf[256], body[5] = "abcd";
	struct sps_upd u, v;
	size_t n;

	memset(&u, 0, sizeof(u));
	u.time = 1234;
	memset(&u.random, 7, sizeof(u.random));
	memset(&u.h.h_signature, 9, sizeof(port));
	u.h.h_command = SP_DELETE;
	u.h.h_offset = -5;
	u.h.h_extra = 3;
	u.body = body;
	u.len = 4;
	CHECK(sps_upd_encode(&u, buf, sizeof(buf), &n) == STD_OK &&
	      sps_upd_decode(buf, n, &v) == STD_OK && v.time == 1234 &&
	      PORTCMP(&v.random, &u.random) &&
	      PORTCMP(&v.h.h_signature, &u.h.h_signature) &&
	      v.h.h_command == SP_DELETE && v.h.h_offset == -5 &&
	      v.h.h_extra == 3 && v.len == 4 && memcmp(v.body, "abcd", 4) == 0,
	      "an update message decodes to what was encoded");
	CHECK(sps_upd_encode(&u, buf, 20, &n) == STD_OVERFLOW,
	      "an update larger than the buffer: STD_OVERFLOW");
	CHECK(sps_upd_decode(buf, 10, &v) == STD_ARGBAD,
	      "a cut update message: STD_ARGBAD");
	u.h.h_command = SP_LOOKUP;
	sps_upd_encode(&u, buf, sizeof(buf), &n);
	CHECK(sps_upd_decode(buf, n, &v) == STD_ARGBAD,
	      "a read in an update message: STD_ARGBAD");
	CHECK(sps_is_update(SP_APPEND) && sps_is_update(STD_DESTROY) &&
	      !sps_is_update(SP_LIST) && !sps_is_update(STD_INFO),
	      "updates and reads told apart");
}

static void
test_once(void)
{
	capability root;
	port sig, sig2;
	uint32_t seq;

	memset(&sig, 1, sizeof(sig));
	memset(&sig2, 2, sizeof(sig2));
	sps_capof(&sa, 0, 0xFF, &root);
	CHECK(append(&sa, &root, "x", &sig) == STD_OK, "append x");
	seq = sa.seq[0];
	CHECK(append(&sa, &root, "x", &sig) == STD_OK && sa.seq[0] == seq,
	      "the same update again (same signature): its first reply, "
	      "nothing done");
	CHECK(append(&sa, &root, "x", &sig2) == STD_EXISTS,
	      "another signature: done, STD_EXISTS");
	CHECK(append(&sa, &root, "y", NULL) == STD_OK &&
	      append(&sa, &root, "y", NULL) == STD_EXISTS,
	      "no signature: done every time");
}

static void
test_snapshot(void)
{
	capability root, d;
	uint32_t ha, hb, na, nb;
	char *buf;
	size_t n;

	sps_capof(&sa, 0, 0xFF, &root);
	CHECK(create(&sa, &d) == STD_OK && append(&sa, &d, "in", NULL) ==
	      STD_OK && append(&sa, &root, "d", NULL) == STD_OK,
	      "a directory made on server A");
	CHECK(lookup(&sb, &d, "in") != STD_OK,
	      "server B does not know A's directory");
	CHECK(sps_snap_encode(&sa, &buf, &n) == STD_OK, "A's snapshot");
	buf[n / 2] ^= 1;
	sps_state_hash(&sb, &hb, &nb);
	CHECK(sps_snap_install(&sb, buf, n) == STD_ARGBAD &&
	      sps_state_hash(&sb, &ha, &na) == STD_OK && ha == hb,
	      "a damaged snapshot: STD_ARGBAD, nothing changed");
	buf[n / 2] ^= 1;
	CHECK(sps_snap_install(&sb, buf, n - 1) == STD_ARGBAD,
	      "a cut snapshot: STD_ARGBAD");
	CHECK(sps_snap_install(&sb, buf, n) == STD_OK, "installed on B");
	free(buf);
	sps_state_hash(&sa, &ha, &na);
	sps_state_hash(&sb, &hb, &nb);
	CHECK(ha == hb && na == nb && na >= 2 && sa.seq[0] == sb.seq[0],
	      "A and B: the same directories, hash and sequence number");
	CHECK(lookup(&sb, &d, "in") == STD_OK && lookup(&sb, &root, "d") ==
	      STD_OK, "A's capabilities work on B");
	CHECK(append(&sb, &root, "x", &(port){ { 1, 1, 1, 1, 1, 1 } }) ==
	      STD_OK && lookup(&sb, &root, "x") == STD_OK,
	      "B remembers the updates A did by signature");
	sps_stop(&sb);
	CHECK(sps_start(&sb, &fb->io, "rep", 1) == STD_OK &&
	      sps_state_hash(&sb, &hb, &nb) == STD_OK && hb == ha &&
	      lookup(&sb, &d, "in") == STD_OK,
	      "B restarted from its disk: the installed state is there");
}

int
main(void)
{
	fa = fake_new();
	fb = fake_new();
	fb->counter = 1000;		/* other secrets than A's */
	if (sps_start(&sa, &fa->io, "rep", 1) != STD_OK ||
	    sps_start(&sb, &fb->io, "rep", 1) != STD_OK) {
		printf("not ok 1 - start\n");
		return 1;
	}
	test_codec();
	test_once();
	test_snapshot();
	sps_stop(&sa);
	sps_stop(&sb);
	fake_free(fa);
	fake_free(fb);
	return TEST_DONE();
}
