/*
 * lipc_proto.h - the test protocol of the local IPC tests, served by the
 * same code in a user process (tests/user/test_lipc.c) and in a kernel
 * thread (tests/kernel/test_lipc.c): module/lipc.h is one interface
 * inside and outside the kernel.
 *
 * Everything here is static and touches no global data, so that a child
 * process running a copy of the test's text (child.h) can serve it.
 */
#ifndef TESTS_USER_LIPC_PROTO_H
#define TESTS_USER_LIPC_PROTO_H

#include <stdint.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/lipc.h>

/* Commands (h_command). */
#define L_ECHO		1001	/* check request pattern h_offset; reply
				   pattern h_offset + 1 over the whole
				   reply buffer */
#define L_INPLACE	1002	/* add 1 to every byte in place; h_offset =
				   the server's address, h_extra = inplace */
#define L_BEYOND	1003	/* write the page after the reply buffer */
#define L_WRITERO	1004	/* write the read-only request buffer */
#define L_KEEP		1005	/* lipc_keep; h_offset = the handle */
#define L_KEPTSUM	1006	/* h_offset = sum of kept mapping h_offset */
#define L_RELEASE	1007	/* lipc_release(h_offset) */
#define L_HOLD		1008	/* tell the parent, never reply (child) */
#define L_OVER		1009	/* h_offset = putrep of one byte too many */
#define L_DOUBLE	1010	/* h_offset = getreq while serving */
#define L_QUIT		1011	/* the server ends after replying */
#define L_SIGWAIT	1012	/* tell the parent, sleep; h_offset = 1 if
				   a SIG_TRANS ended the sleep (child) */

static inline unsigned char
lproto_pat(uint32_t i, uint32_t seed)
{
	return (unsigned char)((i * 31 + seed) ^ (i >> 8));
}

static inline void
lproto_fill(void *b, uint32_t n, uint32_t seed)
{
	unsigned char *p = b;

	for (uint32_t i = 0; i < n; i++)
		p[i] = lproto_pat(i, seed);
}

static inline int
lproto_same(const void *b, uint32_t n, uint32_t seed)
{
	const unsigned char *p = b;

	for (uint32_t i = 0; i < n; i++)
		if (p[i] != lproto_pat(i, seed))
			return 0;
	return 1;
}

static inline uint32_t
lproto_sum(const void *b, uint32_t n)
{
	const unsigned char *p = b;
	uint32_t s = 0;

	for (uint32_t i = 0; i < n; i++)
		s = s * 31 + p[i];
	return s;
}

/* Serve the request in *h, *r (from lipc_getreq) and reply. */
static void __attribute__((unused, noinline))
lproto_serve(header *h, struct lipc_req *r)
{
	unsigned char *q = r->req, *p = r->rep;
	uint32_t seed = (uint32_t)h->h_offset, n = 0;
	command cmd = h->h_command;
	struct lipc_req kr;
	header x;
	errstat e;

	h->h_status = STD_OK;
	if (cmd == L_ECHO) {
		if (!lproto_same(q, r->reqlen, seed))
			h->h_status = (command)STD_ARGBAD;
		lproto_fill(p, r->replen, seed + 1);
		n = r->replen;
	} else if (cmd == L_INPLACE) {
		for (uint32_t i = 0; i < r->reqlen && i < r->replen; i++)
			p[i] = (unsigned char)(q[i] + 1);
		h->h_offset = (int32)(uintptr_t)r->req;
		h->h_extra = (uint16)r->inplace;
		n = r->reqlen;
	} else if (cmd == L_BEYOND) {
		*(volatile char *)(((uintptr_t)p + r->replen + 4095) &
				   ~(uintptr_t)4095) = 1;
	} else if (cmd == L_WRITERO) {
		*(volatile char *)q = 1;
	} else if (cmd == L_KEEP) {
		h->h_offset = lipc_keep();
	} else if (cmd == L_KEPTSUM) {
		e = lipc_kept(h->h_offset, &kr);
		h->h_status = (command)e;
		h->h_offset = e == STD_OK ? (int32)lproto_sum(kr.req,
							       kr.reqlen) : 0;
	} else if (cmd == L_RELEASE) {
		h->h_status = (command)lipc_release(h->h_offset);
	} else if (cmd == L_OVER) {
		h->h_offset = lipc_putrep(h, r->replen + 1);
	} else if (cmd == L_DOUBLE) {
		x = *h;
		h->h_offset = lipc_getreq(&x, &kr);
	} else {
		h->h_status = (command)STD_COMBAD;
	}
	lipc_putrep(h, n);
}

#endif /* TESTS_USER_LIPC_PROTO_H */
