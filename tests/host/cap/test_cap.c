/*
 * test_cap.c - capabilities and ports: F vectors (spec 1.3), G vectors
 * (spec 2.1), prv_encode/prv_decode and restriction (spec 1.4), buf_*
 * marshalling round trips and overflow (spec 1.5), err_why.
 */
#include <string.h>
#include <amoeba.h>
#include <stderr.h>
#include <module/prv.h>
#include <module/buffers.h>
#include "flip/flip.h"
#include "check.h"

static void
test_f(void)
{
	static const uint8_t in[5][6] = {
		{ 0, 0, 0, 0, 0, 1 }, { 1, 2, 3, 4, 5, 6 },
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x72, 0x70, 0x63, 0x73, 0x76, 0x72 }, { 0, 0, 0, 0, 0, 0 },
	};
	static const uint8_t out[5][6] = {
		{ 0xca, 0x32, 0xf8, 0x5a, 0xa5, 0xe6 },
		{ 0x0d, 0x6e, 0x00, 0xb1, 0x2a, 0xfe },
		{ 0x2a, 0x4a, 0x50, 0xf2, 0xbb, 0xdb },
		{ 0xc0, 0xd7, 0x53, 0x57, 0xfb, 0x6b },
		{ 0, 0, 0, 0, 0, 0 },
	};
	static const char *name[5] = {
		"F(00..01)", "F(010203040506)", "F(ffffffffffff)",
		"F(\"rpcsvr\")", "F(null) = null",
	};
	port p, q;
	int i;

	for (i = 0; i < 5; i++) {
		memcpy(p._portbytes, in[i], 6);
		one_way(&p, &q);
		CHECK(memcmp(q._portbytes, out[i], 6) == 0, name[i]);
	}
	memcpy(p._portbytes, in[3], 6);
	priv2pub(&p, &q);
	CHECK(memcmp(q._portbytes, out[3], 6) == 0, "priv2pub = F");
}

static void
test_g(void)
{
	static const uint8_t in[4][8] = {
		{ 1, 2, 3, 4, 5, 6, 7, 0 }, { 0, 0, 0, 0, 0, 0, 1, 0 },
		{ 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0 },
		{ 1, 2, 3, 4, 5, 6, 7, 1 },
	};
	static const uint8_t out[4][8] = {
		{ 0xd7, 0x0d, 0x52, 0xd1, 0xb9, 0xd0, 0x19, 0x00 },
		{ 0x8b, 0x9c, 0xe9, 0x48, 0x9f, 0xd9, 0x0f, 0x00 },
		{ 0x0f, 0x73, 0x43, 0x7b, 0x79, 0x35, 0x1b, 0x00 },
		{ 0x5d, 0x41, 0x9f, 0xc4, 0x57, 0xe5, 0xf8, 0x01 },
	};
	static const char *name[4] = {
		"G(01..0700)", "G(00..0100)", "G(fedcba98765432 00)",
		"G(01..07 01) keeps a_space",
	};
	flip_adr_t a, b;
	int i;

	for (i = 0; i < 4; i++) {
		memcpy(a.a_abytes, in[i], 8);
		flip_oneway(&a, &b);
		CHECK(memcmp(b.a_abytes, out[i], 8) == 0, name[i]);
	}
	memset(&a, 0, sizeof(a));
	flip_oneway(&a, &b);
	CHECK(flip_adr_null(&b), "G(null) = null");
}

static void
test_prv(void)
{
	port rnd = { { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66 } }, wrong = rnd;
	private p, r, r2;
	rights_bits rights;

	CHECK(prv_encode(&p, 0x123456, PRV_ALL_RIGHTS, &rnd) == 0,
	      "encode all rights");
	CHECK(p.prv_object[0] == 0x56 && p.prv_object[2] == 0x12,
	      "object number little-endian");
	CHECK(PORTCMP(&p.prv_random, &rnd), "all rights: check = random");
	CHECK(prv_decode(&p, &rights, &rnd) == 0 && rights == 0xFF,
	      "decode all rights");
	CHECK(prv_number(&p) == 0x123456, "prv_number");
	wrong._portbytes[5] ^= 1;
	CHECK(prv_decode(&p, &rights, &wrong) < 0, "wrong random -> invalid");
	CHECK(prv_encode(&p, MAX_OBJNUM + 1, 1, &rnd) < 0,
	      "object > 2^24-1 rejected");
	CHECK(prv_encode(&p, 7, 0x06, &rnd) == 0, "encode rights 0x06");
	CHECK(prv_decode(&p, &rights, &rnd) == 0 && rights == 0x06,
	      "decode restricted rights");
	p.prv_rights = 0x07;
	CHECK(prv_decode(&p, &rights, &rnd) < 0, "forged rights -> invalid");
	p.prv_rights = 0x06;
	p.prv_random._portbytes[0] ^= 0x80;
	CHECK(prv_decode(&p, &rights, &rnd) < 0, "wrong check -> invalid");

	prv_encode(&p, 42, PRV_ALL_RIGHTS, &rnd);
	CHECK(prv_restrict(&p, 0x03, &r) == STD_OK, "client restrict shortcut");
	CHECK(prv_decode(&r, &rights, &rnd) == 0 && rights == 0x03 &&
	      prv_number(&r) == 42, "restricted cap validates with 0x03");
	CHECK(prv_restrict(&r, 0x01, &r2) == STD_NOTNOW,
	      "restrict of restricted cap needs the server");
	CHECK(prv_restrict_server(&r, 0x05, &rnd, &r2) == STD_OK &&
	      prv_decode(&r2, &rights, &rnd) == 0 && rights == 0x01,
	      "server restrict can only remove rights");
	r.prv_random._portbytes[2] ^= 1;
	CHECK(prv_restrict_server(&r, 0x01, &rnd, &r2) == STD_CAPBAD,
	      "server restrict of bad cap -> STD_CAPBAD");
}

static void
test_buf(void)
{
	char buf[64], *p, *e = buf + sizeof(buf), *s;
	capability cap, cap2;
	port pt, pt2;
	int16 a;
	int32 b;
	uint16 c;
	uint32 d;

	memset(&cap, 0xA5, sizeof(cap));
	memset(&pt, 0x3C, sizeof(pt));
	p = buf_put_int16(buf, e, -2);
	p = buf_put_int32(p, e, -123456789);
	p = buf_put_uint16(p, e, 0xBEEF);
	p = buf_put_uint32(p, e, 0xDEADBEEF);
	p = buf_put_cap(p, e, &cap);
	p = buf_put_port(p, e, &pt);
	p = buf_put_string(p, e, "hello");
	CHECK(p == buf + 2 + 4 + 2 + 4 + 16 + 6 + 6, "puts advance correctly");
	CHECK((uint8_t)buf[0] == 0xFE && (uint8_t)buf[1] == 0xFF,
	      "int16 is little-endian");
	CHECK((uint8_t)buf[8] == 0xEF && (uint8_t)buf[11] == 0xDE,
	      "uint32 is little-endian");
	e = p;
	p = buf_get_int16(buf, e, &a);
	p = buf_get_int32(p, e, &b);
	p = buf_get_uint16(p, e, &c);
	p = buf_get_uint32(p, e, &d);
	p = buf_get_cap(p, e, &cap2);
	p = buf_get_port(p, e, &pt2);
	p = buf_get_string(p, e, &s);
	CHECK(p == e, "gets consume everything");
	CHECK(a == -2 && b == -123456789 && c == 0xBEEF && d == 0xDEADBEEF,
	      "integers round trip");
	CHECK(memcmp(&cap, &cap2, 16) == 0 && PORTCMP(&pt, &pt2),
	      "capability and port round trip");
	CHECK(p != NULL && strcmp(s, "hello") == 0, "string round trip");

	e = buf + 5;
	p = buf_put_int32(buf, e, 1);
	CHECK(p == buf + 4, "int32 fits in 5 bytes");
	p = buf_put_int16(p, e, 1);
	CHECK(p == NULL, "int16 overflow -> NULL");
	p = buf_put_int32(p, e, 1);
	CHECK(p == NULL, "NULL cursor stays NULL");
	CHECK(buf_put_cap(buf, buf + 15, &cap) == NULL, "cap overflow -> NULL");
	CHECK(buf_get_cap(buf, buf + 15, &cap2) == NULL, "cap underrun -> NULL");
	memcpy(buf, "abc", 3);
	CHECK(buf_get_string(buf, buf + 3, &s) == NULL,
	      "unterminated string -> NULL");
	CHECK(buf_put_string(buf, buf + 5, "hello") == NULL,
	      "string without room for NUL -> NULL");
}

int
main(void)
{
	test_f();
	test_g();
	test_prv();
	test_buf();
	CHECK(strcmp(err_why(RPC_NOTFOUND), "server not found") == 0,
	      "err_why text");
	CHECK(err_why(-12345) != NULL, "err_why unknown code");
	return TEST_DONE();
}
