/*
 * test_soap.c - host tests of the SOAP server core (userland/servers/
 * soap): the directory file format, every command through
 * sps_request with its errors, server-side path lookup with column
 * masks and restriction, and the intention logic: a power cut at every
 * disk write / Bullet call of a sequence of updates (also with the cut
 * write torn) leaves the old or the new directory after the restart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <stdcom.h>
#include <module/buffers.h>
#include <module/prv.h>
#include "check.h"
#include "fake_io.h"

static char rep[SP_BUFSIZE];

/* One request on cap; returns the status, *n the reply length. */
static errstat
rq(struct sps *s, const capability *cap, command cmd, const char *body,
   size_t len, header *out, size_t *n)
{
	header h;
	char req[2048];
	size_t r;

	memset(&h, 0, sizeof(h));
	h.h_port = cap->cap_port;
	h.h_priv = cap->cap_priv;
	h.h_command = cmd;
	if (out != NULL) {
		h.h_offset = out->h_offset;
		h.h_extra = out->h_extra;
		h.h_size = out->h_size;
	}
	if (len > 0)
		memcpy(req, body, len);
	r = sps_request(s, &h, req, len, rep, sizeof(rep));
	if (out != NULL)
		*out = h;
	if (n != NULL)
		*n = r;
	return ERR_CONVERT(h.h_status);
}

/* Body builder: name, optional capset of one capability, masks. */
static size_t
mk_entry(char *buf, const char *name, const capability *c, int nm,
	 const rights_bits *m)
{
	char *p = buf, *e = buf + 1024;
	int i;

	p = buf_put_string(p, e, name);
	if (c != NULL) {
		p = buf_put_int16(p, e, 1);
		p = buf_put_int16(p, e, 1);
		p = buf_put_cap(p, e, c);
		p = buf_put_int16(p, e, 1);
	}
	for (i = 0; i < nm; i++)
		p = buf_put_right_bits(p, e, m[i]);
	return (size_t)(p - buf);
}

static errstat
append(struct sps *s, const capability *dir, const char *name,
       const capability *c, int nm, const rights_bits *m)
{
	char b[1024];

	return rq(s, dir, SP_APPEND, b, mk_entry(b, name, c, nm, m), NULL,
		  NULL);
}

static errstat
name_cmd(struct sps *s, const capability *dir, command cmd, const char *n,
	 size_t *len)
{
	char b[1024];

	return rq(s, dir, cmd, b, mk_entry(b, n, NULL, 0, NULL), NULL, len);
}

/* SP_LOOKUP path: the remainder and the first capability. */
static errstat
lookup(struct sps *s, const capability *dir, const char *path, char *rest,
       capability *c)
{
	size_t n;
	errstat err = name_cmd(s, dir, SP_LOOKUP, path, &n);
	struct sps_capset cs;
	char *p, *str;

	if (err != STD_OK && err != SP_UNREACH)
		return err;
	p = buf_get_string(rep, rep + n, &str);
	p = sps_get_capset(p, rep + n, &cs);
	if (p == NULL || p != rep + n)
		return STD_SYSERR;
	strcpy(rest, str);
	*c = cs.s[0].s_object;
	return err;
}

static errstat
mkdir_at(struct sps *s, const capability *parent, const char *name,
	 capability *nd, int ncol)
{
	static const rights_bits m[4] = { 0xFF, 0x42, 0x02, 0x04 };
	static const char cols[] = "owner\0group\0other\0extra";
	header h;
	errstat err;

	memset(&h, 0, sizeof(h));
	err = rq(s, parent, SP_CREATE, cols,
		 ncol == 3 ? 18 : ncol == 4 ? sizeof(cols) : 6, &h, NULL);
	if (err != STD_OK)
		return err;
	nd->cap_port = h.h_port;
	nd->cap_priv = h.h_priv;
	return append(s, parent, name, nd, 4, m);
}

static void
file_cap(capability *c, int n)
{
	port r;

	memset(&r, n, sizeof(r));
	memcpy(c->cap_port._portbytes, "bullet", PORTSIZE);
	prv_encode(&c->cap_priv, n, 0xFF, &r);
}

static capability
restricted(const capability *c, rights_bits m)
{
	capability r = *c;

	prv_restrict(&c->cap_priv, m, &r.cap_priv);
	return r;
}

/* ---- the file format ----------------------------------------------- */

static void
test_format(void)
{
	char *cols[] = { "owner", "group" };
	struct sps_dir *d = sps_dir_new(2, cols), *back = NULL;
	struct sps_capset cs;
	rights_bits m[2] = { 0xFF, 0x02 };
	char *buf;
	size_t n;

	memset(&cs, 0, sizeof(cs));
	cs.initial = cs.final = 2;
	file_cap(&cs.s[0].s_object, 1);
	file_cap(&cs.s[1].s_object, 2);
	cs.s[0].s_current = 1;
	sps_dir_add(d, "alpha", &cs, m, 2, 7);
	cs.final = 1;
	sps_dir_add(d, "beta", &cs, m, 1, 8);
	CHECK(sps_dir_encode(d, &buf, &n) == STD_OK, "format: encode");
	CHECK(sps_dir_decode(buf, n, &back) == STD_OK && back->nrows == 2 &&
	      back->ncols == 2 && strcmp(back->colname[1], "group") == 0,
	      "format: decode gives the columns and rows back");
	CHECK(back && back->rows[0].cs.final == 2 &&
	      back->rows[0].mask[1] == 2 && back->rows[1].mask[1] == 0 &&
	      back->rows[1].time == 8 &&
	      memcmp(&back->rows[0].cs.s[1].s_object, &cs.s[1].s_object,
		     CAPSIZE) == 0 &&
	      back->rows[0].cs.s[0].s_current == 1,
	      "format: capsets, masks (missing = 0) and times kept");
	{
		/* magic, counts, first column name */
		uint32_t magic;
		uint16 nc;

		buf_get_uint32(buf, buf + n, &magic);
		buf_get_uint16(buf + 4, buf + n, &nc);
		CHECK(magic == SPS_DIRMAGIC && nc == 2 &&
		      strcmp(buf + 8, "owner") == 0,
		      "format: little-endian header as documented");
	}
	sps_dir_free(back);
	back = NULL;
	buf[n - 1] ^= 1;
	CHECK(sps_dir_decode(buf, n, &back) == STD_SYSERR,
	      "format: checksum mismatch refused");
	buf[n - 1] ^= 1;
	buf[8] = '/';			/* column name "/wner" */
	buf_put_uint32(buf + n - 4, buf + n, sps_fnv(buf, n - 4));
	CHECK(sps_dir_decode(buf, n, &back) == STD_SYSERR,
	      "format: a bad column name refused even with a good checksum");
	CHECK(sps_dir_decode(buf, 5, &back) == STD_SYSERR,
	      "format: truncated file refused");
	free(buf);
	sps_dir_free(d);
	CHECK(sps_name_ok("a.b-c_1") && !sps_name_ok("") && !sps_name_ok(".") &&
	      !sps_name_ok("..") && !sps_name_ok("a b") &&
	      !sps_name_ok("a/b") && !sps_name_ok("\x7f"),
	      "names: printable, no space or '/', not . or ..");
}

/* ---- commands ------------------------------------------------------ */

/* The state the command tests share, in order. */
static struct fake *tf;
static struct sps ts;
static capability root, pub, d1, d2, fc;
static rights_bits m[5] = { 0xFF, 0x02, 0x06, 0x08, 0x01 };

/* Formatting only with leave; the capabilities the tests use. */
static void
cmd_start(void)
{
	CHECK(sps_start(&ts, &tf->io, "t", 0) == STD_SYSERR,
	      "start: an empty partition is not formatted without leave");
	CHECK(sps_start(&ts, &tf->io, "t", 1) == STD_OK, "start: format");
	sps_capof(&ts, 0, 0xFF, &root);
	sps_capof(&ts, SP_PUBOBJ, 0xFF, &pub);
	file_cap(&fc, 9);
}

/* The public object: a read-only directory holding the root. */
static void
cmd_public(void)
{
	capability got;
	char rest[256];

	CHECK(lookup(&ts, &pub, SP_PUBROOT, rest, &got) == STD_OK &&
	      memcmp(&got, &root, CAPSIZE) == 0 && rest[0] == 0,
	      "public object: row root is the root directory");
	CHECK(append(&ts, &pub, "x", &fc, 1, m) == STD_DENIED,
	      "public object: read-only (STD_DENIED)");
}

/* SP_APPEND and its errors, rights and capability checks, masks. */
static void
cmd_append(void)
{
	capability ro;
	char b[1024];
	size_t n;
	int32 mask;

	CHECK(append(&ts, &root, "file", &fc, 3, m) == STD_OK, "SP_APPEND");
	CHECK(append(&ts, &root, "file", &fc, 3, m) == STD_EXISTS,
	      "SP_APPEND: existing name gives STD_EXISTS");
	CHECK(append(&ts, &root, "a/b", &fc, 3, m) == STD_ARGBAD &&
	      append(&ts, &root, "a b", &fc, 3, m) == STD_ARGBAD &&
	      append(&ts, &root, "", &fc, 3, m) == STD_ARGBAD &&
	      append(&ts, &root, "..", &fc, 3, m) == STD_ARGBAD,
	      "SP_APPEND: bad names give STD_ARGBAD");
	CHECK(append(&ts, &root, "five", &fc, 5, m) == STD_ARGBAD,
	      "SP_APPEND: more than 4 masks gives STD_ARGBAD");
	n = mk_entry(b, "nocs", NULL, 0, NULL);
	CHECK(rq(&ts, &root, SP_APPEND, b, n, NULL, NULL) == STD_ARGBAD,
	      "SP_APPEND: missing capset gives STD_ARGBAD");
	ro = restricted(&root, 0x07);
	CHECK(append(&ts, &ro, "y", &fc, 1, m) == STD_DENIED,
	      "SP_APPEND without SP_MODRGT: STD_DENIED");
	ro = restricted(&root, SP_MODRGT | SP_DELRGT | 0x30);
	CHECK(name_cmd(&ts, &ro, SP_GETMASKS, "file", NULL) == STD_DENIED,
	      "no column bit of an existing column: STD_DENIED");
	ro = root;
	ro.cap_priv.prv_random._portbytes[0] ^= 1;
	CHECK(name_cmd(&ts, &ro, SP_GETMASKS, "file", NULL) == STD_CAPBAD,
	      "forged check field: STD_CAPBAD");
	ro = root;
	ro.cap_priv.prv_object[0] = 77;
	CHECK(name_cmd(&ts, &ro, SP_GETMASKS, "file", NULL) == STD_CAPBAD,
	      "unused object number: STD_CAPBAD");

	CHECK(name_cmd(&ts, &root, SP_GETMASKS, "file", &n) == STD_OK &&
	      n == 12 && buf_get_int32(rep + 4, rep + n, &mask) &&
	      mask == 2, "SP_GETMASKS: ncols masks");
	CHECK(name_cmd(&ts, &root, SP_GETMASKS, "nope", NULL) == STD_NOTFOUND,
	      "SP_GETMASKS: STD_NOTFOUND");
	n = mk_entry(b, "file", NULL, 2, (rights_bits[]){ 0x0F, 0x01 });
	CHECK(rq(&ts, &root, SP_CHMOD, b, n, NULL, NULL) == STD_OK &&
	      name_cmd(&ts, &root, SP_GETMASKS, "file", &n) == STD_OK &&
	      buf_get_int32(rep + 4, rep + n, &mask) && mask == 1 &&
	      buf_get_int32(rep + 8, rep + n, &mask) && mask == 0,
	      "SP_CHMOD: new masks (missing ones 0)");
	CHECK(rq(&ts, &root, SP_CHMOD, b, 5, NULL, NULL) == STD_ARGBAD,
	      "SP_CHMOD: no masks gives STD_ARGBAD");
}

/* Column masks restrict what SP_LOOKUP returns; SP_UNREACH. */
static void
cmd_columns(void)
{
	capability got;
	capability ro;
	char rest[256];

	/* column restriction: the "group" column sees mask 0x01 */
	ro = restricted(&root, 0x02);
	CHECK(lookup(&ts, &ro, "file", rest, &got) == STD_OK &&
	      got.cap_priv.prv_rights == 0x01 &&
	      memcmp(&got.cap_port, "bullet", 6) == 0,
	      "SP_LOOKUP: capability restricted to the column's mask");
	ro = restricted(&root, 0x04);
	CHECK(lookup(&ts, &ro, "file", rest, &got) == STD_DENIED,
	      "SP_LOOKUP: column mask 0 gives STD_DENIED");
	tf->restrict_fails = 1;
	ro = restricted(&root, 0x02);
	CHECK(lookup(&ts, &ro, "file", rest, &got) == SP_UNREACH &&
	      memcmp(&got.cap_port, "bullet", 6) == 0 &&
	      got.cap_priv.prv_rights == 0,
	      "SP_LOOKUP: no restriction possible gives SP_UNREACH, fake cap");
	tf->restrict_fails = 0;
}

/* SP_CREATE and lookups along paths, across to other servers. */
static void
cmd_paths(void)
{
	capability got;
	capability ro;
	char rest[256];

	/* directories and path lookup */
	CHECK(mkdir_at(&ts, &root, "d1", &d1, 3) == STD_OK &&
	      mkdir_at(&ts, &d1, "d2", &d2, 4) == STD_OK &&
	      append(&ts, &d2, "leaf", &fc, 4, m) == STD_OK,
	      "SP_CREATE 3 and 4 columns, nested");
	CHECK(lookup(&ts, &root, "d1/d2/leaf", rest, &got) == STD_OK &&
	      rest[0] == 0 && memcmp(&got, &fc, CAPSIZE) == 0,
	      "SP_LOOKUP: path across directories, all rights");
	CHECK(lookup(&ts, &root, "d1//d2/", rest, &got) == STD_OK &&
	      memcmp(&got, &d2, CAPSIZE) == 0,
	      "SP_LOOKUP: repeated and trailing '/'");
	CHECK(lookup(&ts, &root, "d1/none/leaf", rest, &got) == STD_NOTFOUND,
	      "SP_LOOKUP: missing component gives STD_NOTFOUND");
	/* group column of root: d1's row has 0x42 -> in d1 column 2 (and
	 * MODRGT); d2's row mask for column 2 is 0x42 -> leaf column 2
	 * mask 0x02 */
	ro = restricted(&root, 0x02);
	CHECK(lookup(&ts, &ro, "d1/d2/leaf", rest, &got) == STD_OK &&
	      got.cap_priv.prv_rights == 0x02,
	      "SP_LOOKUP: column masks carried along the path");
	CHECK(lookup(&ts, &ro, "d1/d2", rest, &got) == STD_OK &&
	      got.cap_priv.prv_rights == 0x42 &&
	      append(&ts, &got, "new", &fc, 1, m) == STD_OK,
	      "SP_LOOKUP: a directory of ours restricted by its own random");
	append(&ts, &d1, "zero", &d2, 1, m);	/* columns 2, 3: mask 0 */
	ro = restricted(&root, 0x02);
	CHECK(lookup(&ts, &ro, "d1/zero/leaf", rest, &got) == STD_DENIED &&
	      lookup(&ts, &root, "d1/zero/leaf", rest, &got) == STD_OK,
	      "SP_LOOKUP: column without rights on the way: STD_DENIED");
	/* a foreign directory stops the walk: the rest comes back */
	{
		capability other = fc;

		other.cap_port._portbytes[0] ^= 0x55;
		append(&ts, &root, "remote", &other, 1, m);
		CHECK(lookup(&ts, &root, "remote/x/y", rest, &got) == STD_OK &&
		      strcmp(rest, "x/y") == 0 &&
		      memcmp(&got, &other, CAPSIZE) == 0,
		      "SP_LOOKUP: another server's capset ends the walk with "
		      "the rest of the path");
	}
}

/* SP_LIST in one reply and in parts. */
static void
cmd_list(void)
{
	char *p;
	char *str;
	header h;
	size_t n;
	int16 nc, nr;
	int32 mask;

	/* SP_LIST */
	memset(&h, 0, sizeof(h));
	h.h_size = SP_BUFSIZE;
	CHECK(rq(&ts, &root, SP_LIST, NULL, 0, &h, &n) == STD_OK &&
	      h.h_extra == 0xFFFF, "SP_LIST: one reply, h_extra 0xFFFF");
	p = buf_get_int16(rep, rep + n, &nc);
	p = buf_get_int16(p, rep + n, &nr);
	p = buf_get_string(p, rep + n, &str);
	CHECK(p && nc == 3 && nr == 3 && strcmp(str, "owner") == 0,
	      "SP_LIST: ncols, nrows, column names");
	p = buf_get_string(p, rep + n, &str);
	p = buf_get_string(p, rep + n, &str);
	p = buf_get_string(p, rep + n, &str);
	CHECK(p && strcmp(str, "file") == 0 &&
	      (p = buf_get_int32(p, rep + n, &mask)) && mask == 0x0F,
	      "SP_LIST: rows with their masks");
	h.h_extra = 1;
	h.h_size = 40;
	CHECK(rq(&ts, &root, SP_LIST, NULL, 0, &h, &n) == STD_OK &&
	      h.h_extra == 2 && n <= 40,
	      "SP_LIST: small buffer, next row in h_extra");
}

/* SP_REPLACE, SP_DELETE, SP_DISCARD, SP_SETLOOKUP. */
static void
cmd_changes(void)
{
	capability got;
	capability ro;
	char rest[256];
	char b[1024];
	char *p;
	size_t n;

	/* SP_REPLACE, SP_DELETE, SP_DISCARD, SP_SETLOOKUP */
	{
		capability fc2;

		file_cap(&fc2, 10);
		n = mk_entry(b, "file", &fc2, 0, NULL);
		CHECK(rq(&ts, &root, SP_REPLACE, b, n, NULL, NULL) == STD_OK &&
		      lookup(&ts, &root, "file", rest, &got) == STD_OK &&
		      prv_number(&got.cap_priv) == 10 &&
		      got.cap_priv.prv_rights == 0x0F,
		      "SP_REPLACE (lookup restricts to the masks' 0x0F)");
		n = mk_entry(b, "nofile", &fc2, 0, NULL);
		CHECK(rq(&ts, &root, SP_REPLACE, b, n, NULL, NULL) ==
		      STD_NOTFOUND, "SP_REPLACE: STD_NOTFOUND");
	}
	CHECK(rq(&ts, &d1, SP_DISCARD, NULL, 0, NULL, NULL) == SP_NOTEMPTY,
	      "SP_DISCARD: SP_NOTEMPTY");
	ro = restricted(&d2, 0x4F);
	CHECK(rq(&ts, &ro, SP_DISCARD, NULL, 0, NULL, NULL) == STD_DENIED,
	      "SP_DISCARD without SP_DELRGT: STD_DENIED");
	CHECK(name_cmd(&ts, &d2, SP_DELETE, "leaf", NULL) == STD_OK &&
	      name_cmd(&ts, &d2, SP_DELETE, "new", NULL) == STD_OK &&
	      name_cmd(&ts, &d2, SP_DELETE, "leaf", NULL) == STD_NOTFOUND,
	      "SP_DELETE, then STD_NOTFOUND");
	CHECK(rq(&ts, &d2, STD_DESTROY, NULL, 0, NULL, NULL) == STD_OK &&
	      name_cmd(&ts, &d2, SP_GETMASKS, "x", NULL) == STD_CAPBAD,
	      "STD_DESTROY of an empty directory; its capability dies");
	CHECK(rq(&ts, &root, SP_DISCARD, NULL, 0, NULL, NULL) == STD_DENIED,
	      "SP_DISCARD of the root: STD_DENIED");
	{
		char *e = b + sizeof(b);

		p = buf_put_int16(b, e, 1);
		p = buf_put_int16(p, e, 1);
		p = buf_put_cap(p, e, &root);
		p = buf_put_int16(p, e, 1);
		p = buf_put_string(p, e, "d1");
		p = buf_put_int16(p, e, 1);
		p = buf_put_int16(p, e, 1);
		p = buf_put_cap(p, e, &root);
		p = buf_put_int16(p, e, 1);
		p = buf_put_string(p, e, "zz");
		CHECK(rq(&ts, &root, SP_SETLOOKUP, b, (size_t)(p - b), NULL,
			 &n) == STD_OK, "SP_SETLOOKUP");
		{
			int16 st;
			capability t;
			int32 tm;
			struct sps_capset cs;

			p = buf_get_int16(rep, rep + n, &st);
			p = buf_get_cap(p, rep + n, &t);
			p = buf_get_int32(p, rep + n, &tm);
			p = sps_get_capset(p, rep + n, &cs);
			CHECK(p && st == STD_OK && tm > 0 &&
			      memcmp(&cs.s[0].s_object, &d1, CAPSIZE) == 0,
			      "SP_SETLOOKUP: status, type, time, capset");
			p = buf_get_int16(p, rep + n, &st);
			CHECK(p == rep + n && st == STD_NOTFOUND,
			      "SP_SETLOOKUP: per-entry STD_NOTFOUND");
		}
	}
}

/* STD_INFO, STD_RESTRICT, STD_NTOUCH, SP_GETSEQNR, unknown commands. */
static void
cmd_std(void)
{
	capability ro;
	char b[1024];
	char *p;
	header h;
	size_t n;

	/* standard commands */
	ro = restricted(&root, 0x41);
	CHECK(rq(&ts, &ro, STD_INFO, NULL, 0, NULL, &n) == STD_OK && n == 7 &&
	      memcmp(rep, "/-w1---", 7) == 0 &&
	      rq(&ts, &root, STD_INFO, NULL, 0, NULL, &n) == STD_OK &&
	      memcmp(rep, "/dw1234", 7) == 0, "STD_INFO: /dw1234 letters");
	memset(&h, 0, sizeof(h));
	h.h_offset = 0x03;
	CHECK(rq(&ts, &root, STD_RESTRICT, NULL, 0, &h, NULL) == STD_OK &&
	      h.h_priv.prv_rights == 0x03, "STD_RESTRICT");
	ro.cap_port = root.cap_port;
	ro.cap_priv = h.h_priv;
	CHECK(append(&ts, &ro, "q", &fc, 1, m) == STD_DENIED &&
	      rq(&ts, &ro, STD_TOUCH, NULL, 0, NULL, NULL) == STD_OK,
	      "restricted capability valid, without SP_MODRGT");
	{
		char *e = b + sizeof(b);

		p = buf_put_priv(b, e, &root.cap_priv);
		p = buf_put_priv(p, e, &d2.cap_priv);
		p = buf_put_priv(p, e, &d1.cap_priv);
		memset(&h, 0, sizeof(h));
		h.h_size = 3;
		CHECK(rq(&ts, &root, STD_NTOUCH, b, (size_t)(p - b), &h,
			 NULL) == STD_OK && h.h_extra == 2,
		      "STD_NTOUCH: h_extra = number of live objects");
	}
	memset(&h, 0, sizeof(h));
	CHECK(rq(&ts, &root, SP_GETSEQNR, NULL, 0, NULL, &n) == STD_OK &&
	      n == 8, "SP_GETSEQNR: two u32");
	CHECK(rq(&ts, &root, SP_INSTALL, NULL, 0, NULL, NULL) == STD_COMBAD &&
	      rq(&ts, &root, SP_PUTTYPE, NULL, 0, NULL, NULL) == STD_COMBAD &&
	      rq(&ts, &root, 2199, NULL, 0, NULL, NULL) == STD_COMBAD,
	      "SP_INSTALL, SP_PUTTYPE, unknown: STD_COMBAD");
	CHECK(rq(&ts, &root, SP_CREATE, NULL, 0, NULL, NULL) == STD_ARGBAD &&
	      rq(&ts, &root, SP_CREATE, "a\0b\0c\0d\0e", 10, NULL, NULL) ==
	      STD_ARGBAD, "SP_CREATE: 0 or 5 columns give STD_ARGBAD");
}

/* Everything is still there after a restart; touching files. */
static void
cmd_restart(void)
{
	capability got;
	char rest[256];

	/* the same state after a restart (no cache) */
	sps_stop(&ts);
	CHECK(sps_start(&ts, &tf->io, "t", 0) == STD_OK &&
	      lookup(&ts, &root, "d1", rest, &got) == STD_OK &&
	      memcmp(&got, &d1, CAPSIZE) == 0 &&
	      name_cmd(&ts, &d2, SP_GETMASKS, "x", NULL) == STD_CAPBAD,
	      "restart: directories and capabilities kept");
	CHECK(tf->nfiles == 2, "restart: one Bullet file per directory, old "
	      "files destroyed");
	tf->touched = 0;
	CHECK(sps_touch_all(&ts) == 0 && tf->touched == 2,
	      "sps_touch_all: STD_TOUCH on every directory file");
	CHECK(rq(&ts, &d1, STD_TOUCH, NULL, 0, NULL, NULL) == STD_OK &&
	      tf->touched == 3, "STD_TOUCH of a directory touches its file");
}

static void
test_commands(void)
{
	tf = fake_new();
	cmd_start();
	cmd_public();
	cmd_append();
	cmd_columns();
	cmd_paths();
	cmd_list();
	cmd_changes();
	cmd_std();
	cmd_restart();
	sps_stop(&ts);
	fake_free(tf);
}

/* ---- power cuts ---------------------------------------------------- */

#define NOPS 12

/* The visible state: every live slot and its directory, as bytes. */
static char *
snapshot(struct sps *s)
{
	size_t len = 0, cap = 1 << 16;
	char *out = malloc(cap);
	uint32_t i;

	for (i = 0; i < s->nslots; i++) {
		struct sps_dir *d;
		char *buf;
		size_t n;

		if (!s->slots[i].inuse)
			continue;
		d = sps_load(s, i);
		if (d == NULL || sps_dir_encode(d, &buf, &n) != STD_OK) {
			strcpy(out, "LOAD FAILED");
			return out;
		}
		len += (size_t)snprintf(out + len, cap - len, "[%u:", i);
		for (size_t k = 0; k + 8 < n && len + 3 < cap; k++)
			len += (size_t)snprintf(out + len, cap - len, "%02x",
						(uint8)buf[k]);
		free(buf);
	}
	return out;
}

/* Request i of the sequence (each one request, so each is atomic);
 * errors are fine (a cut is expected). */
static void
op(struct sps *s, int i)
{
	static const rights_bits m[3] = { 0xFF, 0x02, 0x02 };
	static const char cols[] = "owner\0group\0other";
	static capability d;
	capability root, fc;
	char b[1024];
	header h;

	sps_capof(s, 0, 0xFF, &root);
	file_cap(&fc, i + 1);
	memset(&h, 0, sizeof(h));
	switch (i) {
	case 0: append(s, &root, "a", &fc, 3, m); break;
	case 1:
	case 9:
		if (rq(s, &root, SP_CREATE, cols, i == 1 ? sizeof(cols) : 6,
		       &h, NULL) == STD_OK) {
			d.cap_port = h.h_port;
			d.cap_priv = h.h_priv;
		}
		break;
	case 2: append(s, &root, "d", &d, 3, m); break;
	case 3: append(s, &d, "x", &fc, 3, m); break;
	case 4:
		rq(s, &root, SP_REPLACE, b, mk_entry(b, "a", &fc, 0, NULL),
		   NULL, NULL);
		break;
	case 5:
		rq(s, &root, SP_CHMOD, b, mk_entry(b, "a", NULL, 1, m + 1),
		   NULL, NULL);
		break;
	case 6: name_cmd(s, &d, SP_DELETE, "x", NULL); break;
	case 7: name_cmd(s, &root, SP_DELETE, "d", NULL); break;
	case 8: rq(s, &d, SP_DISCARD, NULL, 0, NULL, NULL); break;
	case 10: append(s, &root, "e", &d, 1, m); break;
	case 11: name_cmd(s, &root, SP_DELETE, "a", NULL); break;
	}
}

static void
test_power_cuts(void)
{
	char *snap[NOPS + 1];
	long ev[NOPS + 1];
	struct fake *f = fake_new();
	struct sps s;
	int i, bad = 0, checked = 0, torn, extra_bad = 0;
	long k;

	/* the reference run: states and event counts after each op */
	sps_start(&s, &f->io, "t", 1);
	for (i = 0; i <= NOPS; i++) {
		if (i > 0)
			op(&s, i - 1);
		snap[i] = snapshot(&s);
		ev[i] = f->events;
	}
	sps_stop(&s);
	fake_free(f);
	CHECK(strcmp(snap[0], snap[NOPS]) != 0 &&
	      strstr(snap[NOPS], "LOAD") == NULL,
	      "power cuts: reference run changes the state");

	for (torn = 0; torn < 2; torn++)
	for (k = ev[0] + 1; k <= ev[NOPS]; k++) {
		char *after;
		int j;

		f = fake_new();
		sps_start(&s, &f->io, "t", 1);
		fake_cut_after(f, k - ev[0], torn);
		for (j = 0; j < NOPS && !f->off; j++)
			op(&s, j);
		/* the cut happened during op j - 1 */
		sps_stop(&s);
		fake_power_on(f);
		if (sps_start(&s, &f->io, "t", 0) != STD_OK) {
			bad++;
			fake_free(f);
			continue;
		}
		after = snapshot(&s);
		checked++;
		if (strcmp(after, snap[j - 1]) != 0 &&
		    strcmp(after, snap[j]) != 0) {
			bad++;
			printf("# cut at event %ld (torn %d) during op %d: "
			       "neither old nor new state\n", k, torn, j - 1);
		}
		free(after);
		/* the server keeps working and remembers that too */
		{
			capability root, fc, got;
			char rest[256];
			static const rights_bits m[1] = { 0xFF };

			sps_capof(&s, 0, 0xFF, &root);
			file_cap(&fc, 99);
			if (append(&s, &root, "later", &fc, 1, m) != STD_OK)
				extra_bad++;
			sps_stop(&s);
			if (sps_start(&s, &f->io, "t", 0) != STD_OK ||
			    lookup(&s, &root, "later", rest, &got) != STD_OK)
				extra_bad++;
			sps_stop(&s);
		}
		fake_free(f);
	}
	printf("# %d power cuts checked\n", checked);
	CHECK(checked == 2 * (ev[NOPS] - ev[0]) && checked > 40,
	      "power cuts: a cut at every write, plain and torn");
	CHECK(bad == 0, "power cuts: old or new directory after every cut");
	CHECK(extra_bad == 0,
	      "power cuts: the server works and persists after each restart");
	for (i = 0; i <= NOPS; i++)
		free(snap[i]);
}

/* A cut while formatting leaves a partition that formats again. */
static void
test_format_cut(void)
{
	int k, bad = 0;

	for (k = 1; k < 12; k++) {
		struct fake *f = fake_new();
		struct sps s;
		errstat e;

		fake_cut_after(f, k, 1);
		e = sps_start(&s, &f->io, "t", 1);
		if (e == STD_OK)
			sps_stop(&s);
		fake_power_on(f);
		e = sps_start(&s, &f->io, "t", 1);
		if (e != STD_OK || !s.slots[0].inuse || sps_load(&s, 0) == NULL)
			bad++;
		if (e == STD_OK)
			sps_stop(&s);
		fake_free(f);
	}
	CHECK(bad == 0, "power cut while formatting: next start works");
}

/* A disk write error (no power cut) fails the request cleanly. */
static void
test_write_error(void)
{
	static const rights_bits m[1] = { 0xFF };
	struct fake *f = fake_new();
	struct sps s;
	capability root, fc, got;
	char rest[256];
	int files;

	sps_start(&s, &f->io, "t", 1);
	sps_capof(&s, 0, 0xFF, &root);
	file_cap(&fc, 5);
	files = f->nfiles;
	f->write_errors = 1;
	CHECK(append(&s, &root, "x", &fc, 1, m) == STD_SYSERR &&
	      f->nfiles == files &&
	      lookup(&s, &root, "x", rest, &got) == STD_NOTFOUND,
	      "header write error: request fails, its new file destroyed");
	CHECK(append(&s, &root, "y", &fc, 1, m) == STD_OK &&
	      append(&s, &root, "z", &fc, 1, m) == STD_OK,
	      "header write error: later updates work");
	sps_stop(&s);
	CHECK(sps_start(&s, &f->io, "t", 0) == STD_OK &&
	      lookup(&s, &root, "y", rest, &got) == STD_OK &&
	      lookup(&s, &root, "z", rest, &got) == STD_OK &&
	      lookup(&s, &root, "x", rest, &got) == STD_NOTFOUND,
	      "header write error: the disk holds exactly the acknowledged "
	      "updates");
	sps_stop(&s);
	fake_free(f);
}

static void
test_bad_super(void)
{
	struct fake *f = fake_new();
	struct sps s;
	uint32_t g, ns;

	sps_start(&s, &f->io, "t", 1);
	sps_stop(&s);
	CHECK(sps_super_parse(f->disk[1], &g, &ns) == STD_OK && g == 1,
	      "super: generation 1 in block 1 after format");
	memset(f->disk[1] + 100, 0xAA, 20);
	CHECK(sps_start(&s, &f->io, "t", 0) == STD_SYSERR,
	      "super: a corrupt header with no other copy is refused");
	memset(f->disk[0], 0x33, SPS_BLKSIZE);
	CHECK(sps_start(&s, &f->io, "t", 1) == STD_SYSERR,
	      "super: garbage is not formatted over unless forced");
	CHECK(sps_start(&s, &f->io, "t", 2) == STD_OK,
	      "super: forced format");
	sps_stop(&s);
	fake_free(f);
}

int
main(void)
{
	test_format();
	test_commands();
	test_power_cuts();
	test_format_cut();
	test_write_error();
	test_bad_super();
	return TEST_DONE();
}
