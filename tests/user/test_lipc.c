/*
 * test_lipc.c - the local IPC with shared segments (module/lipc.h)
 * between processes of one node: round trips of 0 B, 1 B, 64 KiB and
 * 1 MiB with the data checked both ways, the server working in place in
 * the client's buffer (no copy: the client sees the change and the
 * server's address is another one, at the same page offset), bounds (a
 * server touching past the buffer or writing a read-only request dies
 * alone), bad pointers and sizes, a server dying mid-call, a client
 * dying mid-call, a mapping kept across calls for streaming and
 * released when the client ends, a signal ending a getreq.
 *
 * Run as `init=test_lipc`; ok/not ok lines, exit status 0 = all passed.
 * The in-kernel test lipc_kernel (tests/kernel/test_lipc.c) runs it as
 * `test_lipc kserver PORT` (a client of a kernel-thread server) and
 * `test_lipc userver GETPORT` (a server for a kernel-thread client);
 * those print only "# " lines and exit 0 when all went well.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <semaphore.h>
#include <thread.h>
#include <module/lipc.h>
#include <module/proc.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/signals.h>
#include <module/syscall.h>

#include "check.h"
#include "child.h"
#include "lipc_proto.h"

#define MIB		(1024u * 1024u)
#define SEGVA		0x70000000u	/* two adjacent segments */
#define WAITMS		20000		/* a starting server gets this long */

/* Where the children keep their state (CHILD_DATA, 256 bytes). */
#define LD_HDR		(CHILD_DATA)		/* header */
#define LD_GET		(CHILD_DATA + 32)	/* get-port to serve */
#define LD_REQ		(CHILD_DATA + 64)	/* struct lipc_req */
#define LD_NOTE		(CHILD_DATA + 96)	/* header: tell the parent */
#define LD_NOTER	(CHILD_DATA + 160)	/* its reply */
#define LD_REP		(CHILD_DATA + 192)	/* the client's reply header */

static char *abuf, *bbuf;		/* two 1 MiB buffers */

/* A child server: serves lipc_proto.h's commands forever. */
static void __attribute__((noreturn, noinline, used))
child_lsrv_main(void)
{
	header *h = (header *)LD_HDR;
	struct lipc_req *r = (struct lipc_req *)LD_REQ;

	for (;;) {
		memcpy(&h->h_port, (void *)LD_GET, sizeof(port));
		if (lipc_getreq(h, r) < 0)
			continue;
		if (h->h_command == L_HOLD) {	/* tell the parent, hang */
			rpc_trans((header *)LD_NOTE, NULL, 0,
				  (header *)LD_NOTER, NULL, 0);
			for (;;)
				sys_sleep(100000);
		}
		if (h->h_command == L_SIGWAIT) {	/* tell, then sleep */
			rpc_trans((header *)LD_NOTE, NULL, 0,
				  (header *)LD_NOTER, NULL, 0);
			h->h_offset = sys_sleep(20000) == STD_INTR;
			h->h_status = STD_OK;
			lipc_putrep(h, 0);
			continue;
		}
		lproto_serve(h, r);
	}
}

/* A child client: one call with 4 KiB of 0x5A in CHILD_BUF, then hang. */
static void __attribute__((noreturn, noinline, used))
child_lcli_main(void)
{
	memset((void *)CHILD_BUF, 0x5A, 4096);
	lipc_trans((header *)LD_HDR, (void *)CHILD_BUF, 4096,
		   (header *)LD_REP, (void *)CHILD_BUF, 4096);
	for (;;)
		sys_sleep(100000);
}

static errstat
start_child(void (*fn)(void), const port *get, const header *hdr,
	    const port *note, capability *pcap)
{
	char data[CHILD_DATALEN];

	memset(data, 0, sizeof(data));
	if (hdr)
		memcpy(data, hdr, sizeof(header));
	if (get)
		memcpy(data + 32, get, sizeof(port));
	if (note)
		memcpy(data + 96, note, sizeof(port));	/* h_port first */
	return child_exec(fn, data, NULL, 0, 0, NULL, pcap);
}

static void
hdr_for(header *h, const port *p, command cmd)
{
	memset(h, 0, sizeof(*h));
	h->h_port = *p;
	h->h_command = cmd;
}

/* lipc_trans, asked again while the server is still starting. */
static int32_t
first_trans(header *h, const void *rb, uint32_t rn, void *pb, uint32_t pn)
{
	unsigned long t0 = sys_milli();
	header req = *h;
	int32_t r;

	do {
		*h = req;
		r = lipc_trans(h, rb, rn, h, pb, pn);
	} while (r == RPC_NOTFOUND && sys_milli() - t0 < WAITMS);
	return r;
}

static void
test_sizes(const port *p)
{
	static const uint32_t sizes[] = { 0, 1, 64 * 1024, MIB };
	char what[80];
	header h;
	int32_t r;

	hdr_for(&h, p, L_ECHO);
	CHECK(first_trans(&h, NULL, 0, NULL, 0) == 0 && h.h_status == STD_OK,
	      "a server process answers lipc_trans");
	for (unsigned k = 0; k < SIZEOFTABLE(sizes); k++) {
		uint32_t n = sizes[k];

		lproto_fill(abuf, n, 11 + k);
		memset(bbuf, 0, n + 16);
		hdr_for(&h, p, L_ECHO);
		h.h_offset = (int32)(11 + k);
		r = lipc_trans(&h, abuf, n, &h, bbuf, n);
		snprintf(what, sizeof(what), "round trip of %lu bytes, data "
			 "checked both ways", (unsigned long)n);
		CHECK(r == (int32_t)n && h.h_status == STD_OK &&
		      lproto_same(bbuf, n, 12 + k) && bbuf[n] == 0, what);
	}
	lproto_fill(abuf, MIB, 3);
	hdr_for(&h, p, L_ECHO);
	h.h_offset = 3;
	r = lipc_trans(&h, abuf, MIB, &h, NULL, 0);
	CHECK(r == 0 && h.h_status == STD_OK, "1 MiB request, no reply data");
	hdr_for(&h, p, L_ECHO);
	h.h_offset = 3;
	r = lipc_trans(&h, NULL, 0, &h, bbuf, MIB);
	CHECK(r == (int32_t)MIB && lproto_same(bbuf, MIB, 4),
	      "no request data, 1 MiB reply");
}

static void
test_inplace(const port *p)
{
	char *b = abuf + 100;
	uint32_t sva, cva = (uint32_t)b;
	header h;
	int32_t r;
	int ok = 1;

	for (unsigned i = 0; i < 5000; i++)
		b[i] = (char)i;
	hdr_for(&h, p, L_INPLACE);
	r = lipc_trans(&h, b, 5000, &h, b, 5000);
	for (unsigned i = 0; i < 5000 && ok; i++)
		ok = b[i] == (char)(i + 1);
	sva = (uint32_t)h.h_offset;
	CHECK(r == 5000 && ok && h.h_extra == 1,
	      "the server changes the client's buffer in place (no copy)");
	CHECK(sva != cva && (sva & 0xFFF) == (cva & 0xFFF) &&
	      sva >= 0x80000000u && sva < 0xA0000000u,
	      "the server sees it at its own address, same page offset");
	printf("# client buffer %#lx, server's view %#lx\n",
	       (unsigned long)cva, (unsigned long)sva);
}

static void
test_errors(const port *p)
{
	port unknown, g, pp;
	struct lipc_req lr;
	unsigned long t0;
	header h;
	int32_t r;

	hdr_for(&h, p, L_ECHO);
	memset(&h.h_port, 0, sizeof(port));
	CHECK(lipc_trans(&h, NULL, 0, &h, NULL, 0) == RPC_BADPORT,
	      "null port: RPC_BADPORT");
	hdr_for(&h, p, L_ECHO);
	CHECK(lipc_trans(&h, (void *)0x10, 16, &h, NULL, 0) ==
	      RPC_BADADDRESS, "request buffer at 0x10: RPC_BADADDRESS");
	CHECK(lipc_trans(&h, (void *)0x100000, 16, &h, NULL, 0) ==
	      RPC_BADADDRESS, "kernel memory as buffer: RPC_BADADDRESS");
	CHECK(lipc_trans(&h, NULL, 0, &h, (void *)test_errors, 16) ==
	      RPC_BADADDRESS, "read-only text as reply buffer: "
	      "RPC_BADADDRESS");
	CHECK(lipc_trans(&h, NULL, 0, (header *)test_errors, NULL, 0) ==
	      RPC_BADADDRESS, "read-only reply header: RPC_BADADDRESS");
	CHECK(lipc_trans((header *)0x20, NULL, 0, &h, NULL, 0) ==
	      RPC_BADADDRESS, "bad request header: RPC_BADADDRESS");
	CHECK(seg_map(NULL, SEGVA, 4096, VX_MAP_NEW | VX_MAP_RW) >= 0 &&
	      seg_map(NULL, SEGVA + 4096, 4096, VX_MAP_NEW | VX_MAP_RW) >= 0,
	      "two adjacent segments");
	hdr_for(&h, p, L_ECHO);
	CHECK(lipc_trans(&h, (void *)(SEGVA + 2048), 4096, &h, NULL, 0) ==
	      RPC_BADADDRESS, "a buffer across two segments: "
	      "RPC_BADADDRESS");
	CHECK(lipc_trans(&h, abuf, LIPC_MAXDATA + 1, &h, NULL, 0) ==
	      STD_OVERFLOW, "over LIPC_MAXDATA: STD_OVERFLOW");
	uniqport(&g);
	priv2pub(&g, &unknown);
	hdr_for(&h, &unknown, L_ECHO);
	t0 = sys_milli();
	r = lipc_trans(&h, NULL, 0, &h, NULL, 0);
	CHECK(r == RPC_NOTFOUND && sys_milli() - t0 < 5000,
	      "a port nobody serves here: RPC_NOTFOUND within 5 s");
	hdr_for(&h, &g, 0);
	CHECK(lipc_getreq(&h, (struct lipc_req *)test_errors) ==
	      RPC_BADADDRESS, "getreq into read-only memory: "
	      "RPC_BADADDRESS");
	CHECK(lipc_putrep(&h, 0) == RPC_FAILURE,
	      "putrep without a request: RPC_FAILURE");
	CHECK(lipc_kept(99, &lr) == STD_ARGBAD && lipc_kept(-1, &lr) ==
	      STD_ARGBAD && lipc_release(7) == STD_ARGBAD,
	      "bad kept handles: STD_ARGBAD");
	hdr_for(&h, p, L_OVER);
	r = lipc_trans(&h, NULL, 0, &h, bbuf, 10);
	CHECK(r == 0 && h.h_offset == STD_OVERFLOW,
	      "putrep of more than the reply buffer: STD_OVERFLOW, "
	      "and the server can reply again");
	hdr_for(&h, p, L_DOUBLE);
	r = lipc_trans(&h, NULL, 0, &h, NULL, 0);
	CHECK(r == 0 && h.h_offset == RPC_FAILURE,
	      "getreq while serving: RPC_FAILURE");
	memset(&pp, 0, sizeof(pp));
	(void)pp;
}

#define NCLIENT		3
#define NCALLS		100

static semaphore cl_done;
static const port *cl_port;
static int cl_bad[NCLIENT];

/* One of NCLIENT client threads: NCALLS checked calls, 4 KiB each way. */
static void
cl_thread(char *arg, int size)
{
	int k = (int)(long)arg;
	char *q = abuf + k * 8192, *r = bbuf + k * 8192;
	header h;

	(void)size;
	for (int i = 0; i < NCALLS; i++) {
		uint32_t seed = (uint32_t)(k * 1000 + i);

		lproto_fill(q, 4096, seed);
		hdr_for(&h, cl_port, L_ECHO);
		h.h_offset = (int32)seed;
		if (lipc_trans(&h, q, 4096, &h, r, 4096) != 4096 ||
		    h.h_status != STD_OK || !lproto_same(r, 4096, seed + 1))
			cl_bad[k]++;
	}
	sema_up(&cl_done);
	thread_exit();
}

/* Several clients at once on one single-threaded server: they queue. */
static void
test_concurrent(const port *p)
{
	int bad = 0;

	cl_port = p;
	sema_init(&cl_done, 0);
	for (long k = 0; k < NCLIENT; k++)
		if (!thread_newthread(cl_thread, 32768, (char *)k, 0))
			bad++;
	for (int k = 0; k < NCLIENT - bad; k++)
		sema_down(&cl_done);
	for (int k = 0; k < NCLIENT; k++)
		bad += cl_bad[k];
	CHECK(bad == 0, "3 client threads x 100 calls queue for one server "
	      "thread, each answer checked");
}

static void
test_stream(const port *p)
{
	char *s = abuf;
	int32_t handle, r;
	header h;

	lproto_fill(s, 65536, 21);
	hdr_for(&h, p, L_KEEP);
	r = lipc_trans(&h, s, 65536, &h, NULL, 0);
	handle = h.h_offset;
	CHECK(r == 0 && handle >= 0, "lipc_keep: the mapping stays");
	for (unsigned round = 0; round < 3; round++) {
		lproto_fill(s, 65536, 30 + round);	/* new data, no call */
		hdr_for(&h, p, L_KEPTSUM);
		h.h_offset = handle;
		r = lipc_trans(&h, NULL, 0, &h, NULL, 0);
		CHECK(r == 0 && h.h_status == STD_OK &&
		      (uint32_t)h.h_offset == lproto_sum(s, 65536),
		      "streaming: the server reads new data through the "
		      "kept mapping (a call without buffers)");
	}
	hdr_for(&h, p, L_RELEASE);
	h.h_offset = handle;
	r = lipc_trans(&h, NULL, 0, &h, NULL, 0);
	CHECK(r == 0 && h.h_status == STD_OK, "lipc_release");
	hdr_for(&h, p, L_KEPTSUM);
	h.h_offset = handle;
	r = lipc_trans(&h, NULL, 0, &h, NULL, 0);
	CHECK(r == 0 && ERR_CONVERT(h.h_status) == STD_ARGBAD,
	      "after release the handle is gone");
}

/* The server touches cmd's forbidden place: it dies, only it. */
static void
test_bounds(command cmd, const char *what)
{
	capability pcap;
	port g, p;
	header h;
	int32_t r;

	uniqport(&g);
	priv2pub(&g, &p);
	if (!CHECK(start_child(child_lsrv_main, &g, NULL, NULL, &pcap) ==
		   STD_OK, "start a server process"))
		return;
	hdr_for(&h, &p, L_ECHO);
	r = first_trans(&h, NULL, 0, NULL, 0);
	lproto_fill(abuf, 8192, 5);
	hdr_for(&h, &p, cmd);
	r = lipc_trans(&h, abuf, 8192, &h, bbuf, 8192);
	CHECK(r == RPC_FAILURE && child_gone(&pcap, 5000) &&
	      lproto_same(abuf, 8192, 5), what);
}

static semaphore held;
static port held_port;
static int32_t held_result;

static int32 held_offset;

static volatile int held_caught;

static void
held_catcher(signum sig, thread_ustate *us, void *extra)
{
	(void)sig;
	(void)us;
	*(volatile int *)extra = 1;
}

/* A client thread: arg is the command (L_HOLD or L_SIGWAIT); for
 * L_SIGWAIT it catches signal 5 (as in Amoeba, a signal reaches only the
 * threads that catch it). */
static void
held_client(char *arg, int size)
{
	header h;

	(void)size;
	if ((command)(long)arg == L_SIGWAIT)
		sig_catch(5, held_catcher, (void *)&held_caught);
	hdr_for(&h, &held_port, (command)(long)arg);
	held_result = lipc_trans(&h, abuf, 4096, &h, bbuf, 4096);
	held_offset = h.h_offset;
	sema_up(&held);
	thread_exit();
}

/* The server process is killed while it serves: RPC_FAILURE. */
static void
test_server_dies(void)
{
	capability pcap;
	port g, ng, np;
	struct lipc_req lr;
	header h;
	int32 n;

	(void)lr;
	uniqport(&g);
	priv2pub(&g, &held_port);
	uniqport(&ng);
	priv2pub(&ng, &np);
	if (!CHECK(start_child(child_lsrv_main, &g, NULL, &np, &pcap) ==
		   STD_OK, "start a server process"))
		return;
	hdr_for(&h, &held_port, L_ECHO);
	first_trans(&h, NULL, 0, NULL, 0);
	sema_init(&held, 0);
	/* a signal to the client reaches the server as SIG_TRANS */
	CHECK(thread_newthread(held_client, 32768, (char *)L_SIGWAIT, 0),
	      "a client thread calls a server that sleeps");
	hdr_for(&h, &ng, 0);
	n = rpc_getreq(&h, NULL, 0);	/* the server has the request */
	rpc_putrep(&h, NULL, 0);
	sig_raise(5);
	sema_down(&held);
	CHECK(n == 0 && held_result == 0 && held_offset == 1 && held_caught,
	      "a signal to the client: the server's sleep ends (SIG_TRANS), "
	      "the call completes");
	CHECK(thread_newthread(held_client, 32768, (char *)L_HOLD, 0),
	      "a client thread calls a server that will hang");
	hdr_for(&h, &ng, 0);
	n = rpc_getreq(&h, NULL, 0);	/* the server has the request */
	rpc_putrep(&h, NULL, 0);
	CHECK(n == 0 && std_destroy(&pcap) == STD_OK &&
	      child_gone(&pcap, 5000), "the server is killed mid-call");
	sema_down(&held);
	CHECK(held_result == RPC_FAILURE,
	      "the client's lipc_trans: RPC_FAILURE");
}

/* Live processes on the node (the kernel's count). */
static unsigned
nprocs(void)
{
	struct vx_stats st;

	return sys_stats(&st) == STD_OK ? st.nprocs : 0;
}

/*
 * Wait (at most 5 s) until the node is back to n processes: a killed
 * process is unknown to the process server before its last thread has
 * run its end; the kernel's count drops only at the teardown.
 */
static int
torn_down(unsigned n)
{
	unsigned long t0 = sys_milli();

	while (nprocs() > n) {
		if (sys_milli() - t0 > 5000)
			return 0;
		sys_sleep(10);
	}
	return 1;
}

/* Serve one call of a child client; kill it, or keep its buffer. */
static void
test_client_dies(int keep)
{
	capability pcap;
	struct lipc_req r, kr;
	int32_t n, k = -1;
	unsigned before = nprocs();
	header h, ch;
	port g, p;
	int ok = 1;

	uniqport(&g);
	priv2pub(&g, &p);
	hdr_for(&ch, &p, L_ECHO);
	if (!CHECK(start_child(child_lcli_main, NULL, &ch, NULL, &pcap) ==
		   STD_OK, "start a client process"))
		return;
	hdr_for(&h, &g, 0);
	n = lipc_getreq(&h, &r);
	for (uint32_t i = 0; n == 4096 && i < 4096; i++)
		ok &= ((unsigned char *)r.req)[i] == 0x5A;
	CHECK(n == 4096 && ok && r.inplace && r.rep == r.req,
	      "a request from a client process, its buffer mapped");
	if (keep) {
		k = lipc_keep();
		CHECK(k >= 0 && lipc_putrep(&h, 0) == STD_OK &&
		      lipc_kept(k, &kr) == STD_OK && kr.req == r.req &&
		      ((unsigned char *)kr.req)[4095] == 0x5A,
		      "kept after putrep, readable");
	}
	CHECK(std_destroy(&pcap) == STD_OK && child_gone(&pcap, 5000) &&
	      torn_down(before), "the client process is killed");
	if (keep) {
		errstat e = lipc_kept(k, &kr);

		if (e != RPC_FAILURE)
			printf("# lipc_kept after the client's end: %s\n",
			       err_why(e));
		CHECK(e == RPC_FAILURE,
		      "the client ended: the kept mapping is gone "
		      "(lipc_kept: RPC_FAILURE)");
		CHECK(lipc_release(k) == STD_OK && lipc_kept(k, &kr) ==
		      STD_ARGBAD, "lipc_release of it frees the handle");
		return;
	}
	memset(r.rep, 1, 4096);	/* still mapped until putrep: no fault */
	CHECK(lipc_putrep(&h, 4096) == RPC_FAILURE,
	      "the client died mid-call: putrep gives RPC_FAILURE");
	hdr_for(&h, &g, 0);
	CHECK(lipc_putrep(&h, 0) == RPC_FAILURE, "and nothing is served");
}

static semaphore sig_done;
static port sig_get;
static int32_t sig_result;
static volatile int sig_caught;

/* A server thread in lipc_replyget's loop: adds 1 to each byte. */
static void
sig_server(char *arg, int size)
{
	struct lipc_req r;
	header h, rep;
	int32_t n;

	(void)arg;
	(void)size;
	sig_catch(5, held_catcher, (void *)&sig_caught);
	hdr_for(&h, &sig_get, 0);
	n = lipc_getreq(&h, &r);
	while (n >= 0) {
		for (int32_t i = 0; i < n && (uint32_t)i < r.replen; i++)
			((char *)r.rep)[i] = (char)(((char *)r.req)[i] + 1);
		rep = h;
		hdr_for(&h, &sig_get, 0);
		n = lipc_replyget(&rep, (uint32_t)n < r.replen ?
				  (uint32_t)n : r.replen, &h, &r);
	}
	sig_result = n;
	sema_up(&sig_done);
	thread_exit();
}

/* A replyget loop that catches signal 5; the signal ends its wait with
 * RPC_ABORTED. */
static void
test_signal(void)
{
	port p;
	header h;

	uniqport(&sig_get);
	priv2pub(&sig_get, &p);
	sema_init(&sig_done, 0);
	CHECK(thread_newthread(sig_server, 32768, NULL, 0),
	      "a server thread");
	hdr_for(&h, &p, 0);
	CHECK(first_trans(&h, NULL, 0, NULL, 0) == 0, "it serves");
	for (int k = 0; k < 3; k++) {
		int ok = 1;

		memset(abuf, 'a' + k, 1000);
		hdr_for(&h, &p, 0);
		ok = lipc_trans(&h, abuf, 1000, &h, bbuf, 1000) == 1000;
		for (int i = 0; i < 1000 && ok; i++)
			ok = bbuf[i] == 'b' + k;
		CHECK(ok, "lipc_replyget: reply, then the next request");
	}
	/* answered: it is back in getreq before this thread runs again */
	sig_raise(5);
	sema_down(&sig_done);
	CHECK(sig_result == RPC_ABORTED && sig_caught, "a signal: the wait "
	      "for a request ends with RPC_ABORTED");
}

/*
 * A server blocked in lipc_getreq is stunned with this test as its
 * owner: its frame is rewound to the system call's int instruction,
 * and after STD_OK with the checkpoint it listens again.
 */
static void
test_stun(void)
{
	static uint8_t ckpt[PSVR_BUFSZ];
	static struct pd_info pd;
	capability pcap, me;
	port g, p, oget, check;
	header h;
	int32 n;
	int ok = 0;

	uniqport(&g);
	priv2pub(&g, &p);
	if (!CHECK(start_child(child_lsrv_main, &g, NULL, NULL, &pcap) ==
		   STD_OK, "start a server process"))
		return;
	hdr_for(&h, &p, L_ECHO);
	CHECK(first_trans(&h, NULL, 0, NULL, 0) == 0, "it serves");
	uniqport(&oget);
	uniqport(&check);
	priv2pub(&oget, &me.cap_port);
	prv_encode(&me.cap_priv, 0, PRV_ALL_RIGHTS, &check);
	CHECK(pro_setowner(&pcap, &me) == STD_OK, "we become its owner");
	CHECK(pro_stun(&pcap, 33) == STD_OK, "PS_STUN");
	hdr_for(&h, &oget, 0);
	n = rpc_getreq(&h, (bufptr)ckpt, sizeof(ckpt));
	if (n > 0 && h.h_command == PS_CHECKPOINT &&
	    pd_get(ckpt, (size_t)n, &pd) == n && pd.nthread == 1) {
		const uint32_t *u = pd.thread[0].ustate;
		const uint8_t *ip = (const uint8_t *)u[15];

		ok = u[13] == VX_INT_NEWSYS && u[15] >= CHILD_TEXT &&
		     u[15] < (uint32_t)etext && ip[0] == 0xCD &&
		     ip[1] == VX_INT_NEWSYS;
	}
	CHECK(ok, "the checkpoint: its lipc_getreq rewound to the int "
	      "instruction");
	h.h_status = STD_OK;
	h.h_size = (bufsize)(n > 0 ? n : 0);
	rpc_putrep(&h, (bufptr)ckpt, n > 0 ? n : 0);
	lproto_fill(abuf, 5000, 9);
	hdr_for(&h, &p, L_ECHO);
	h.h_offset = 9;
	n = lipc_trans(&h, abuf, 5000, &h, bbuf, 5000);
	CHECK(n == 5000 && h.h_status == STD_OK && lproto_same(bbuf, 5000, 10),
	      "resumed, it serves again (the getreq was made again)");
	CHECK(std_destroy(&pcap) == STD_OK && child_gone(&pcap, 5000),
	      "the server process ends");
}

/*
 * Hostile arguments: every SYS_LIPC_* code with pointers and lengths
 * from a list of bad and borderline values.  Each header a valid
 * pointer reaches is zero (a null port), so no call can block; each
 * must come back with an error (or a harmless result), the kernel
 * must stay up and this process must not fault.
 */
static uint32_t fz_state = 12345;

static uint32_t
fz(void)
{
	fz_state ^= fz_state << 13;
	fz_state ^= fz_state >> 17;
	fz_state ^= fz_state << 5;
	return fz_state >> 8;
}

static void
test_fuzz(void)
{
	static uint32_t zero[2048] __attribute__((aligned(4096)));
	const uint32_t vals[] = {
		0, 0x10, 0x100000, 0x3FFFFFFF, (uint32_t)test_fuzz,
		(uint32_t)zero, (uint32_t)zero + sizeof(zero) - 4,
		(uint32_t)zero + sizeof(zero) - 32, 0xBFFFFFF0u,
		0xFFFFFFFFu, 1, 4096, LIPC_MAXDATA, LIPC_MAXDATA + 1,
		0x80000000u, 0x7FFFFFFFu, (uint32_t)-1000,
	};
	const uint32_t hv[] = {		/* headers: bad, or zero */
		0, 0x10, 0x100000, (uint32_t)zero,
		(uint32_t)zero + 4096 - 32, (uint32_t)zero + 4096 - 16,
		0xBFFFFFF0u, 0xFFFFFFFFu,
	};
	const unsigned nv = SIZEOFTABLE(vals), nh = SIZEOFTABLE(hv);
	struct vx_lipc_trans *a = (struct vx_lipc_trans *)&zero[1024];
	unsigned long t0 = sys_milli();
	int odd = 0, n = 0;

	for (int i = 0; i < 3000; i++) {
		long code = SYS_LIPC_TRANS + (long)(fz() % 7);
		uint32_t x[4];
		long r;

		for (int j = 0; j < 4; j++)
			x[j] = vals[fz() % nv];
		if (code != SYS_LIPC_KEEP && code != SYS_LIPC_KEPT &&
		    code != SYS_LIPC_RELEASE)
			x[code == SYS_LIPC_REPLYGET ? 2 : 0] = hv[fz() % nh];
		a->req = hv[fz() % nh];
		a->rbuf = vals[fz() % nv];
		a->rn = vals[fz() % nv];
		a->rep = hv[fz() % nh];
		a->pbuf = vals[fz() % nv];
		a->pn = vals[fz() % nv];
		if (code == SYS_LIPC_TRANS && fz() % 2)
			x[0] = (uint32_t)a;
		memset(zero, 0, 4096);	/* headers there: null ports */
		r = sys_newsys(code, (long)x[0], (long)x[1], (long)x[2],
			       (long)x[3]);
		if (r > 0 && code != SYS_LIPC_KEEP && code != SYS_LIPC_KEPT) {
			odd++;
			printf("# code %ld (%#lx %#lx %#lx %#lx): %ld\n",
			       code, (unsigned long)x[0],
			       (unsigned long)x[1], (unsigned long)x[2],
			       (unsigned long)x[3], r);
		}
		n++;
	}
	CHECK(odd == 0 && n == 3000 && sys_milli() - t0 < 60000,
	      "3000 SYS_LIPC_* calls with hostile arguments: errors only, "
	      "nothing blocks, nothing faults");
}

/* ---- the halves the in-kernel test uses --------------------------------- */

static int
parse_port(const char *s, port *p)
{
	unsigned v;

	if (strlen(s) != 2 * sizeof(port))
		return 0;
	for (unsigned i = 0; i < sizeof(port); i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return 0;
		p->_portbytes[i] = (char)v;
	}
	return 1;
}

/* A client of a kernel-thread server on put-port p; 0 when all went well. */
static int
kserver_client(const port *p)
{
	static const uint32_t sizes[] = { 0, 1, 64 * 1024, MIB };
	int bad = 0;
	header h;
	int32_t r;

	for (unsigned k = 0; k < SIZEOFTABLE(sizes); k++) {
		uint32_t n = sizes[k];

		lproto_fill(abuf, n, 40 + k);
		hdr_for(&h, p, L_ECHO);
		h.h_offset = (int32)(40 + k);
		r = first_trans(&h, abuf, n, bbuf, n);
		if (r != (int32_t)n || h.h_status != STD_OK ||
		    !lproto_same(bbuf, n, 41 + k)) {
			printf("# kernel server, %lu bytes: %ld\n",
			       (unsigned long)n, (long)r);
			bad++;
		}
	}
	for (unsigned i = 0; i < 3000; i++)
		abuf[i] = (char)i;
	hdr_for(&h, p, L_INPLACE);
	r = lipc_trans(&h, abuf, 3000, &h, abuf, 3000);
	for (unsigned i = 0; i < 3000; i++)
		if (abuf[i] != (char)(i + 1)) {
			printf("# kernel server, in place: byte %u\n", i);
			bad++;
			break;
		}
	if (r != 3000 || h.h_offset == (int32)(uint32_t)abuf) {
		printf("# kernel server, in place: %ld\n", (long)r);
		bad++;
	}
	return bad;
}

/* A server for a kernel-thread client until L_QUIT. */
static int
userver(const port *g)
{
	struct lipc_req r;
	header h;

	for (;;) {
		hdr_for(&h, g, 0);
		if (lipc_getreq(&h, &r) < 0) {
			printf("# user server: getreq failed\n");
			return 1;
		}
		if (h.h_command == L_QUIT) {
			lipc_putrep(&h, 0);
			return 0;
		}
		lproto_serve(&h, &r);
	}
}

int
main(int argc, char **argv)
{
	capability pcap;
	port g, p;

	abuf = malloc(MIB + 4096);
	bbuf = malloc(MIB + 4096);
	if (!abuf || !bbuf) {
		printf("# no memory\n");
		return 1;
	}
	if (argc == 3 && strcmp(argv[1], "kserver") == 0)
		return parse_port(argv[2], &p) ? kserver_client(&p) : 2;
	if (argc == 3 && strcmp(argv[1], "userver") == 0)
		return parse_port(argv[2], &g) ? userver(&g) : 2;
	uniqport(&g);
	priv2pub(&g, &p);
	if (!CHECK(start_child(child_lsrv_main, &g, NULL, NULL, &pcap) ==
		   STD_OK, "start a server process"))
		return TEST_DONE();
	test_sizes(&p);
	test_inplace(&p);
	test_errors(&p);
	test_concurrent(&p);
	test_stream(&p);
	CHECK(std_destroy(&pcap) == STD_OK && child_gone(&pcap, 5000),
	      "the server process ends");
	test_bounds(L_BEYOND, "a server touching past the reply buffer "
		    "faults and dies alone (client: RPC_FAILURE, its data "
		    "intact)");
	test_bounds(L_WRITERO, "a server writing the read-only request "
		    "buffer faults and dies alone");
	test_server_dies();
	test_client_dies(0);
	test_client_dies(1);
	test_signal();
	test_stun();
	test_fuzz();
	return TEST_DONE();
}
