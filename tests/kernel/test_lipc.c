/*
 * test_lipc.c - the local IPC with kernel threads on either side
 * (module/lipc.h inside the kernel): a kernel-thread client of a
 * kernel-thread server, a user client (test_lipc kserver) of that
 * kernel-thread server, and a kernel-thread client of a user server
 * (test_lipc userver); the server code is the same lproto_serve in
 * both places.  Data is checked both ways at 0 B .. 1 MiB.  A direct
 * server (lipc_direct) runs in the thread of its kernel or user client.
 *
 * Suite lipc_kernel (`ktest=lipc_kernel`: a manual test, it needs the
 * test image's test_lipc).
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/bootimg.h"
#include "kernel/krandom.h"
#include "kernel/lipc.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "kernel/thread.h"
#include "tests/kernel/ktest.h"
#include "tests/user/lipc_proto.h"
#include <module/prv.h>
#include <stderr.h>

#define KMIB		(1024u * 1024u)
#define KPAGES		(KMIB / PAGE_SIZE)

static port ksrv_get;
static volatile int ksrv_done;

/* A kernel-thread server of lipc_proto.h until L_QUIT. */
static void
ksrv(void *arg)
{
	struct lipc_req r;
	header h;
	int fails = 0;

	(void)arg;
	while (fails < 10) {
		memset(&h, 0, sizeof(h));
		h.h_port = ksrv_get;
		if (lipc_getreq(&h, &r) < 0) {
			fails++;
			continue;
		}
		if (h.h_command == L_QUIT) {
			lipc_putrep(&h, 0);
			break;
		}
		lproto_serve(&h, &r);
	}
	ksrv_done = 1;
}

static void
hdr_to(header *h, const port *p, command cmd, int32 off)
{
	memset(h, 0, sizeof(*h));
	h->h_port = *p;
	h->h_command = cmd;
	h->h_offset = off;
}

/* The port as 12 hex digits, for a user program's argv. */
static void
port_hex(const port *p, char *out)
{
	ksnprintf(out, 13, "%02x%02x%02x%02x%02x%02x",
		  (unsigned char)p->_portbytes[0],
		  (unsigned char)p->_portbytes[1],
		  (unsigned char)p->_portbytes[2],
		  (unsigned char)p->_portbytes[3],
		  (unsigned char)p->_portbytes[4],
		  (unsigned char)p->_portbytes[5]);
}

/* Round trips of 0 B .. 1 MiB from this kernel thread to put-port p. */
static void
kclient_sizes(const port *p, uint8_t *a, uint8_t *b, int first)
{
	static const uint32_t sizes[] = { 0, 1, 64 * 1024, KMIB };
	header h;
	int32_t r;

	for (unsigned k = 0; k < 4; k++) {
		uint32_t n = sizes[k];

		lproto_fill(a, n, 60 + k);
		memset(b, 0, n);
		for (int tries = 0; tries < 30; tries++) {	/* it starts */
			hdr_to(&h, p, L_ECHO, (int32)(60 + k));
			r = lipc_trans(&h, a, n, &h, b, n);
			if (r != RPC_NOTFOUND || !first)
				break;
		}
		first = 0;
		KT_EQ(r, n);
		KT_EQ(h.h_status, STD_OK);
		KT_CHECK(lproto_same(b, n, 61 + k));
	}
}

/* In place: returns the server's address of the buffer. */
static uint32_t
kclient_inplace(const port *p, uint8_t *a)
{
	header h;
	int32_t r;

	for (unsigned i = 0; i < 3000; i++)
		a[i] = (uint8_t)i;
	hdr_to(&h, p, L_INPLACE, 0);
	r = lipc_trans(&h, a, 3000, &h, a, 3000);
	KT_EQ(r, 3000);
	for (unsigned i = 0; i < 3000; i++)
		if (a[i] != (uint8_t)(i + 1)) {
			KT_CHECK(a[i] == (uint8_t)(i + 1));
			break;
		}
	return (uint32_t)h.h_offset;
}

/*
 * A direct server (lipc_direct): runs in its caller's thread.  L_ECHO
 * and L_INPLACE as lproto_serve; L_OVER claims one byte more than the
 * reply buffer; anything else is an error for the caller.
 */
static struct thread *dsrv_ran;

static int32_t
dsrv(void *arg, header *h, const struct lipc_req *r)
{
	unsigned char *q = r->req, *p = r->rep;
	command cmd = h->h_command;     /* the same field as h_status */

	dsrv_ran = thread_current();
	KT_CHECK(arg == &dsrv_ran);
	h->h_status = STD_OK;
	switch (cmd) {
	case L_ECHO:
		if (!lproto_same(q, r->reqlen, (uint32_t)h->h_offset))
			h->h_status = (command)STD_ARGBAD;
		lproto_fill(p, r->replen, (uint32_t)h->h_offset + 1);
		return (int32_t)r->replen;
	case L_INPLACE:
		for (uint32_t i = 0; i < r->reqlen && i < r->replen; i++)
			p[i] = (unsigned char)(q[i] + 1);
		h->h_offset = (int32)(uintptr_t)r->req;
		return (int32_t)r->reqlen;
	case L_OVER:
		return (int32_t)r->replen + 1;
	default:
		return STD_NOTNOW;
	}
}

/* Direct servers: kernel and user clients, run in the client's thread. */
static void
direct_cases(uint8_t *a, uint8_t *b)
{
	const char *argv[] = { "test_lipc", "kserver", NULL, NULL };
	struct proc_exit ex;
	char hex[13];
	port g, p, zero;
	header h;
	uint32_t before = lipc_stats.direct;

	memset(&zero, 0, sizeof(zero));
	krandom(&g, sizeof(g));
	priv2pub(&g, &p);
	KT_EQ(lipc_direct(&g, NULL, NULL), STD_ARGBAD);
	KT_EQ(lipc_direct(&zero, dsrv, NULL), STD_ARGBAD);
	KT_EQ(lipc_direct(&g, dsrv, &dsrv_ran), STD_OK);
	kclient_sizes(&p, a, b, 0);
	KT_CHECK(dsrv_ran == thread_current());
	KT_EQ(kclient_inplace(&p, a), (uint32_t)a);
	hdr_to(&h, &p, L_OVER, 0);
	KT_EQ(lipc_trans(&h, NULL, 0, &h, b, 100), 100);
	hdr_to(&h, &p, L_QUIT, 0);
	KT_EQ(lipc_trans(&h, NULL, 0, &h, NULL, 0), STD_NOTNOW);
	KT_EQ(lipc_stats.direct - before, 6u);	/* not the error */
	/* a user client: the same program as for a kernel-thread server */
	port_hex(&p, hex);
	argv[2] = hex;
	dsrv_ran = NULL;
	KT_EQ(bootimg_run(argv, NULL, 0, &ex), STD_OK);
	KT_EQ(ex.how, PROC_EXITED);
	KT_EQ(ex.status, 0);
	KT_CHECK(dsrv_ran != NULL && dsrv_ran != thread_current() &&
		 dsrv_ran->proc != NULL);
}

KTEST_FLAGS(lipc_kernel, KTEST_MANUAL)
{
	uint8_t *a = (uint8_t *)page_alloc(KPAGES);
	uint8_t *b = (uint8_t *)page_alloc(KPAGES);
	const char *argv[4];
	struct proc_exit ex;
	struct proc *up;
	char hex[13];
	port p, ug, up_put;
	header h;
	errstat err;

	KT_ASSERT(a && b);
	krandom(&ksrv_get, sizeof(ksrv_get));
	priv2pub(&ksrv_get, &p);
	KT_ASSERT(thread_create_kernel("lipcsrv", ksrv, NULL, PRIO_NORM));
	/* kernel thread -> kernel thread: the very same memory */
	kclient_sizes(&p, a, b, 1);
	KT_EQ(kclient_inplace(&p, a), (uint32_t)a);
	/* user process -> kernel thread */
	port_hex(&p, hex);
	argv[0] = "test_lipc";
	argv[1] = "kserver";
	argv[2] = hex;
	argv[3] = NULL;
	KT_EQ(bootimg_run(argv, NULL, 0, &ex), STD_OK);
	KT_EQ(ex.how, PROC_EXITED);
	KT_EQ(ex.status, 0);
	kprintf("# test_lipc kserver: exit %d; %u calls so far\n",
		ex.status, lipc_stats.calls);
	hdr_to(&h, &p, L_QUIT, 0);
	KT_EQ(lipc_trans(&h, NULL, 0, &h, NULL, 0), 0);
	KT_CHECK(ksrv_done);
	/* kernel thread -> user process */
	krandom(&ug, sizeof(ug));
	priv2pub(&ug, &up_put);
	port_hex(&ug, hex);
	argv[1] = "userver";
	up = bootimg_start(argv, NULL, 0, &err);
	KT_ASSERT(up != NULL);
	kclient_sizes(&up_put, a, b, 1);
	KT_CHECK(kclient_inplace(&up_put, a) >= LIPC_WIN_BASE);
	hdr_to(&h, &up_put, L_QUIT, 0);
	KT_EQ(lipc_trans(&h, NULL, 0, &h, NULL, 0), 0);
	proc_wait(up, &ex);
	KT_EQ(ex.how, PROC_EXITED);
	KT_EQ(ex.status, 0);
	kprintf("# test_lipc userver: exit %d; %u calls, %u pages mapped\n",
		ex.status, lipc_stats.calls, lipc_stats.mapped_pages);
	direct_cases(a, b);
	page_free((uint32_t)a, KPAGES);
	page_free((uint32_t)b, KPAGES);
}
