/*
 * bench_lipc.c - the local IPC with shared segments against local RPC,
 * the same shape for both: a server in another process on the node
 * (a child, child.h), a client thread here, a round trip carrying N
 * bytes of request and N bytes of reply (N = 0 and 64 KiB).  RPC copies
 * the data user -> kernel -> user each way; the local IPC maps the
 * client's pages into the server.
 *
 *   bench: lipc_null T us        lipc_trans, no data
 *   bench: lipc_64k T us         lipc_trans, 64 KiB each way
 *   bench: lrpc_null T us        rpc_trans to the same kind of server
 *   bench: lrpc_64k T us         rpc_trans, 64 KiB each way
 *   bench: lipc_vs_lrpc_null R x, lipc_vs_lrpc_64k R x (lipc / rpc)
 *   bench: lipc_thr_null, lrpc_thr_null, lipc_thr_64k, lrpc_thr_64k,
 *          lipc_vs_lrpc_thr_null, lipc_vs_lrpc_thr_64k: the same with
 *          the server a thread of this process (as the rpc_null row)
 *
 * Each T is the median of 5 batches.  Every reply is checked (length,
 * status); exit status 0 when all were right.  Run as `init=bench_lipc`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/lipc.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/syscall.h>
#include <thread.h>

#include "child.h"

#define K64		(64 * 1024)
#define NBATCH		5
#define WAITMS		20000

/*
 * RPC server child: request into CHILD_EXTRA (its getreq buffer is as
 * large as the benchmark's requests, kept at CHILD_DATA + 40: RPC checks
 * the whole buffer on each getreq), reply h_offset bytes.
 */
static void __attribute__((noreturn, noinline, used))
child_rpcsrv_main(void)
{
	header *h = (header *)CHILD_DATA;
	int32 n;

	for (;;) {
		memcpy(&h->h_port, (void *)(CHILD_DATA + 32), sizeof(port));
		n = rpc_getreq(h, (bufptr)CHILD_EXTRA,
			       *(uint32_t *)(CHILD_DATA + 40));
		rpc_putrep(h, (bufptr)CHILD_EXTRA, n < 0 ? 0 : h->h_offset);
	}
}

/* Local IPC server child: reply with the whole reply buffer. */
static void __attribute__((noreturn, noinline, used))
child_lipcsrv_main(void)
{
	header *h = (header *)CHILD_DATA;
	struct lipc_req *r = (struct lipc_req *)(CHILD_DATA + 64);

	memcpy(&h->h_port, (void *)(CHILD_DATA + 32), sizeof(port));
	while (lipc_getreq(h, r) < 0)
		memcpy(&h->h_port, (void *)(CHILD_DATA + 32), sizeof(port));
	for (;;) {	/* reply, and wait for the next, in one call */
		h->h_status = STD_OK;
		memcpy((void *)(CHILD_DATA + 96), h, sizeof(header));
		memcpy(&h->h_port, (void *)(CHILD_DATA + 32), sizeof(port));
		if (lipc_replyget((header *)(CHILD_DATA + 96), r->replen, h,
				  r) < 0)
			r->replen = 0;
	}
}

static char *qbuf, *pbuf;
static char *tsbuf;			/* the RPC server threads' buffer */
static port thr_get[3];			/* the server threads' get-ports */

/* Server threads of this process: [0] local IPC, [1] RPC. */
static void
lipc_thread(char *arg, int size)
{
	struct lipc_req r;
	header h, rep;

	(void)arg;
	(void)size;
	memset(&h, 0, sizeof(h));
	h.h_port = thr_get[0];
	while (lipc_getreq(&h, &r) < 0)
		h.h_port = thr_get[0];
	for (;;) {	/* reply, and wait for the next, in one call */
		rep = h;
		h.h_port = thr_get[0];
		if (lipc_replyget(&rep, r.replen, &h, &r) < 0)
			r.replen = 0;
	}
}

/* [1]: RPC for null calls (no getreq buffer), [2]: for 64 KiB. */
static void
rpc_thread(char *arg, int size)
{
	int which = (int)(long)arg;
	header h;
	int32 n;

	(void)size;
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = thr_get[which];
		n = rpc_getreq(&h, which == 1 ? NULL : tsbuf,
			       which == 1 ? 0 : K64);
		rpc_putrep(&h, tsbuf, n < 0 ? 0 : h.h_offset);
	}
}
static int bad;

static unsigned long long
now_us(void)
{
	unsigned long long t;

	sys_micro(&t);
	return t;
}

/* One round trip of n bytes each way; checks the answer. */
static void
call(int lipc, const port *p, uint32_t n)
{
	header h;
	int32_t r;

	memset(&h, 0, sizeof(h));
	h.h_port = *p;
	h.h_offset = (int32)n;
	if (lipc)
		r = lipc_trans(&h, n ? qbuf : NULL, n, &h, n ? pbuf : NULL, n);
	else
		r = rpc_trans(&h, n ? qbuf : NULL, n, &h, n ? pbuf : NULL, n);
	if (r != (int32_t)n || h.h_status != STD_OK)
		bad++;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median over NBATCH batches of count calls: microseconds per call. */
static double
measure(int lipc, const port *p, uint32_t n, int count)
{
	double t[NBATCH];

	for (int i = 0; i < 20; i++)
		call(lipc, p, n);
	for (int b = 0; b < NBATCH; b++) {
		unsigned long long t0 = now_us();

		for (int i = 0; i < count; i++)
			call(lipc, p, n);
		t[b] = (double)(now_us() - t0) / count;
	}
	qsort(t, NBATCH, sizeof(t[0]), cmp_double);
	return t[NBATCH / 2];
}

/* Start a server child on a fresh port; its put-port in *p. */
static int
server(void (*fn)(void), uint32_t bufsize, port *p, capability *pcap)
{
	char data[CHILD_DATALEN];
	capability seg;
	port g;
	long id;

	uniqport(&g);
	priv2pub(&g, p);
	memset(data, 0, sizeof(data));
	memcpy(data + 32, &g, sizeof(g));
	memcpy(data + 40, &bufsize, sizeof(bufsize));
	id = seg_map(NULL, 0x70000000u, K64, VX_MAP_NEW | VX_MAP_RW);
	if (id < 0 || seg_unmap(id, &seg) != STD_OK)
		return 0;
	return child_exec(fn, data, NULL, K64, 1, &seg, pcap) == STD_OK;
}

/* Wait for the server to answer (it is starting). */
static int
ready(int lipc, const port *p)
{
	unsigned long t0 = sys_milli();
	int before = bad;

	do {
		bad = before;
		call(lipc, p, 0);
	} while (bad != before && sys_milli() - t0 < WAITMS);
	return bad == before;
}

int
main(void)
{
	capability lc, rc, rc64;
	port lp, rp, rp64, ltp, rtp, rtp64;
	double ln, l64, rn, r64, tln, tl64, trn, tr64;

	qbuf = malloc(K64);
	pbuf = malloc(K64);
	tsbuf = malloc(K64);
	for (int i = 0; i < 3; i++)
		uniqport(&thr_get[i]);
	priv2pub(&thr_get[0], &ltp);
	priv2pub(&thr_get[1], &rtp);
	priv2pub(&thr_get[2], &rtp64);
	if (!qbuf || !pbuf || !tsbuf ||
	    !thread_newthread(lipc_thread, 32768, NULL, 0) ||
	    !thread_newthread(rpc_thread, 32768, (char *)1, 0) ||
	    !thread_newthread(rpc_thread, 32768, (char *)2, 0) ||
	    !ready(1, &ltp) || !ready(0, &rtp) || !ready(0, &rtp64) ||
	    !server(child_lipcsrv_main, 0, &lp, &lc) ||
	    !server(child_rpcsrv_main, 0, &rp, &rc) ||
	    !server(child_rpcsrv_main, K64, &rp64, &rc64) ||
	    !ready(1, &lp) || !ready(0, &rp) || !ready(0, &rp64)) {
		printf("# bench_lipc: cannot start the servers\n");
		return 1;
	}
	memset(qbuf, 0x33, K64);
	ln = measure(1, &lp, 0, 2000);
	rn = measure(0, &rp, 0, 2000);
	l64 = measure(1, &lp, K64, 300);
	r64 = measure(0, &rp64, K64, 300);
	tln = measure(1, &ltp, 0, 2000);
	trn = measure(0, &rtp, 0, 2000);
	tl64 = measure(1, &ltp, K64, 300);
	tr64 = measure(0, &rtp64, K64, 300);
	printf("bench: lipc_null %.2f us\n", ln);
	printf("bench: lrpc_null %.2f us\n", rn);
	printf("bench: lipc_64k %.2f us\n", l64);
	printf("bench: lrpc_64k %.2f us\n", r64);
	printf("bench: lipc_vs_lrpc_null %.3f x\n", ln / rn);
	printf("bench: lipc_vs_lrpc_64k %.3f x\n", l64 / r64);
	printf("bench: lipc_thr_null %.2f us\n", tln);
	printf("bench: lrpc_thr_null %.2f us\n", trn);
	printf("bench: lipc_thr_64k %.2f us\n", tl64);
	printf("bench: lrpc_thr_64k %.2f us\n", tr64);
	printf("bench: lipc_vs_lrpc_thr_null %.3f x\n", tln / trn);
	printf("bench: lipc_vs_lrpc_thr_64k %.3f x\n", tl64 / tr64);
	if (std_destroy(&lc) != STD_OK || std_destroy(&rc) != STD_OK ||
	    std_destroy(&rc64) != STD_OK || !child_gone(&lc, 5000) ||
	    !child_gone(&rc, 5000) || !child_gone(&rc64, 5000))
		bad++;
	if (bad)
		printf("# bench_lipc: %d wrong answers\n", bad);
	return bad != 0;
}
