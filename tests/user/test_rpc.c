/*
 * test_rpc.c - local RPC through the system calls (spec 3.10): server
 * threads doing getreq/putrep on a random get-port and clients doing
 * rpc_trans with 0 .. 1 MiB and trans with up to 30000 bytes; error
 * cases (null port, bad pointers, oversize, unknown port with a locate
 * timeout, getreq/putrep alternation); several clients at once; a
 * server in another process (a child started with PS_EXEC); and the
 * node's kernel servers found through the kernel directory (proc, sys,
 * random, tod, tty).
 *
 * Run as `init=test_rpc`; ok/not ok lines, exit status 0 = all passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <caplist.h>
#include <stderr.h>
#include <stdcom.h>
#include <semaphore.h>
#include <thread.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/process/proc.h>
#include <server/random/random.h>
#include <server/soap/soap.h>
#include <server/systask/systask.h>
#include <server/tod/tod.h>
#include <server/tty/tty.h>

#include "check.h"
#include "child.h"

#define MAXDATA		(1024 * 1024)
#define STACK		32768
#define NSERVER		2
#define NCLIENT		4
#define NCALLS		50

/* Commands of the test server. */
#define T_ECHO		(UNREGISTERED_FIRST_COM + 1)	/* reply = request */
#define T_GEN		(UNREGISTERED_FIRST_COM + 2)	/* reply h_offset bytes */
#define T_ALT		(UNREGISTERED_FIRST_COM + 3)	/* getreq while serving */
#define T_QUIT		(UNREGISTERED_FIRST_COM + 4)	/* server thread ends */
#define T_UNMAP		(UNREGISTERED_FIRST_COM + 5)	/* unmap seg h_offset */

#define SEGVA		0x70000000u	/* test mapping for the unmap cases */

static port srv_get, srv_put;
static semaphore srv_gone;
static char *cbuf, *rbuf;		/* client request and reply buffers */

static unsigned char
pat(unsigned i, unsigned seed)
{
	return (unsigned char)((i * 31 + seed) ^ (i >> 8));
}

static void
fill(char *b, unsigned n, unsigned seed)
{
	unsigned i;

	for (i = 0; i < n; i++)
		b[i] = (char)pat(i, seed);
}

static int
same(const char *b, unsigned n, unsigned seed)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if ((unsigned char)b[i] != pat(i, seed))
			return 0;
	return 1;
}

static void
server(char *param, int psize)
{
	char *buf = malloc(MAXDATA);
	header h;
	int32 n, r;

	(void)param;
	(void)psize;
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = srv_get;
		n = rpc_getreq(&h, buf, MAXDATA);
		if (n < 0) {
			printf("# server: getreq %d\n", (int)n);
			break;
		}
		switch (h.h_command) {
		case T_ECHO:
			h.h_status = STD_OK;
			rpc_putrep(&h, buf, n);
			break;
		case T_GEN:
			if (h.h_offset < 0 || h.h_offset > MAXDATA) {
				h.h_status = (command)STD_ARGBAD;
				rpc_putrep(&h, NULL, 0);
				break;
			}
			fill(buf, (unsigned)h.h_offset, h.h_extra);
			h.h_status = STD_OK;
			rpc_putrep(&h, buf, h.h_offset);
			break;
		case T_ALT: {
			header h2;

			memset(&h2, 0, sizeof(h2));
			h2.h_port = srv_get;
			r = rpc_getreq(&h2, NULL, 0);
			h.h_offset = r;
			h.h_status = STD_OK;
			rpc_putrep(&h, NULL, 0);
			break;
		}
		case T_UNMAP:	/* the client's reply buffer goes away */
			h.h_status = (command)seg_unmap(h.h_offset, NULL);
			memset(buf, 'u', 4096);
			rpc_putrep(&h, buf, 4096);
			break;
		case T_QUIT:
			h.h_status = STD_OK;
			rpc_putrep(&h, NULL, 0);
			free(buf);
			sema_up(&srv_gone);
			return;
		default:
			h.h_status = (command)STD_COMBAD;
			rpc_putrep(&h, NULL, 0);
			break;
		}
	}
	free(buf);
	sema_up(&srv_gone);
}

/* A server thread that reads only 100 bytes of its request. */
static port small_get;

static void
small_server(char *param, int psize)
{
	char buf[100];
	header h;
	int32 n;

	(void)param;
	(void)psize;
	memset(&h, 0, sizeof(h));
	h.h_port = small_get;
	n = rpc_getreq(&h, buf, sizeof(buf));
	h.h_offset = n;
	h.h_status = same(buf, n > 0 ? (unsigned)n : 0, 9) ? STD_OK :
		     (command)STD_SYSERR;
	rpc_putrep(&h, NULL, 0);
	sema_up(&srv_gone);
}

static void
hdr_for(header *h, const port *p, command cmd)
{
	memset(h, 0, sizeof(*h));
	h->h_port = *p;
	h->h_command = cmd;
}

static void
test_sizes(void)
{
	static const int32 sizes[] = { 0, 1, 2, 31, 100, 1000, 1457, 1458,
				       1459, 4096, 8191, 30000, 30001,
				       65536, 100000, 500000, MAXDATA };
	header h;
	char name[100];
	unsigned i;
	int32 r;
	int ok;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int32 n = sizes[i];

		fill(cbuf, (unsigned)n, i);
		memset(rbuf, 0, (size_t)n + 16);
		hdr_for(&h, &srv_put, T_ECHO);
		h.h_offset = 0x12345678;
		h.h_size = 0xBEEF;
		h.h_extra = 0xCAFE;
		r = rpc_trans(&h, cbuf, n, &h, rbuf, MAXDATA);
		ok = r == n && h.h_status == STD_OK && same(rbuf, (unsigned)n, i) &&
		     h.h_offset == 0x12345678 && h.h_size == 0xBEEF &&
		     h.h_extra == 0xCAFE;
		snprintf(name, sizeof(name), "rpc_trans echo of %ld bytes",
			 (long)n);
		CHECK(ok, name);
	}
	/* reverse: the server sends h_offset bytes */
	for (i = 0; i < 3; i++) {
		int32 n = i == 0 ? 0 : i == 1 ? 12345 : MAXDATA;

		hdr_for(&h, &srv_put, T_GEN);
		h.h_offset = n;
		h.h_extra = (uint16)(40 + i);
		r = rpc_trans(&h, NULL, 0, &h, rbuf, MAXDATA);
		snprintf(name, sizeof(name), "rpc_trans reply of %ld bytes",
			 (long)n);
		CHECK(r == n && same(rbuf, (unsigned)n, 40 + i), name);
	}
	/* a short reply buffer truncates the reply */
	hdr_for(&h, &srv_put, T_GEN);
	h.h_offset = 5000;
	h.h_extra = 7;
	memset(rbuf, 0, 200);
	r = rpc_trans(&h, NULL, 0, &h, rbuf, 100);
	CHECK(r == 100 && same(rbuf, 100, 7) && rbuf[100] == 0,
	      "a 5000-byte reply into 100 bytes: truncated to 100");
	/* a short getreq buffer truncates the request */
	small_get = srv_get;
	uniqport(&small_get);
	thread_newthread(small_server, STACK, NULL, 0);
	{
		port sp;

		priv2pub(&small_get, &sp);
		fill(cbuf, 5000, 9);
		hdr_for(&h, &sp, T_ECHO);
		r = rpc_trans(&h, cbuf, 5000, &h, NULL, 0);
		CHECK(r == 0 && h.h_status == STD_OK && h.h_offset == 100,
		      "a 5000-byte request into a 100-byte getreq: 100 bytes");
		sema_down(&srv_gone);
	}
	/* the old calls */
	for (i = 0; i < 4; i++) {
		bufsize n = i == 0 ? 0 : i == 1 ? 1 : i == 2 ? 1000 : 30000;
		bufsize got;

		fill(cbuf, n, 50 + i);
		hdr_for(&h, &srv_put, T_ECHO);
		got = trans(&h, cbuf, n, &h, rbuf, 30000);
		snprintf(name, sizeof(name), "trans echo of %u bytes",
			 (unsigned)n);
		CHECK(!ERR_STATUS(got) && got == n && same(rbuf, n, 50 + i),
		      name);
	}
}

static void
test_errors(void)
{
	static const port null;
	header h;
	bufsize b;
	interval old;
	unsigned long t0, ms;
	port nowhere, g;
	int32 r;

	hdr_for(&h, &null, T_ECHO);
	r = rpc_trans(&h, NULL, 0, &h, NULL, 0);
	CHECK(r == RPC_BADPORT, "rpc_trans to the null port: RPC_BADPORT");
	b = trans(&h, NULL, 0, &h, NULL, 0);
	CHECK(ERR_STATUS(b) && ERR_CONVERT(b) == RPC_BADPORT,
	      "trans to the null port: RPC_BADPORT");
	hdr_for(&h, &srv_put, T_ECHO);
	r = rpc_trans(&h, (bufptr)0x1000, 100, &h, rbuf, 100);
	CHECK(r == RPC_BADADDRESS, "request buffer in the kernel: RPC_BADADDRESS");
	r = rpc_trans(&h, cbuf, 100, &h, (bufptr)0x40000000, 100);
	CHECK(r == RPC_BADADDRESS,
	      "reply buffer in read-only text: RPC_BADADDRESS");
	r = rpc_trans(&h, (bufptr)0xBFFFFFF0u, 100, &h, rbuf, 100);
	CHECK(r == RPC_BADADDRESS,
	      "request buffer past the user end: RPC_BADADDRESS");
	r = rpc_trans((header *)0x2000, cbuf, 10, &h, rbuf, 10);
	CHECK(r == RPC_BADADDRESS, "request header in the kernel: RPC_BADADDRESS");
	r = rpc_trans(&h, cbuf, 10, (header *)0x40000000, rbuf, 10);
	CHECK(r == RPC_BADADDRESS, "reply header read-only: RPC_BADADDRESS");
	hdr_for(&h, &srv_put, T_ECHO);
	r = rpc_trans(&h, cbuf, MAXDATA + 1, &h, rbuf, 10);
	CHECK(r == STD_OVERFLOW, "rpc_trans of 1 MiB + 1: STD_OVERFLOW");
	r = rpc_trans(&h, cbuf, 10, &h, rbuf, MAXDATA + 1);
	CHECK(r == STD_OVERFLOW, "reply buffer of 1 MiB + 1: STD_OVERFLOW");
	b = trans(&h, cbuf, 30001, &h, rbuf, 10);
	CHECK(ERR_STATUS(b) && ERR_CONVERT(b) == STD_OVERFLOW,
	      "trans of 30001 bytes: STD_OVERFLOW");
	b = trans(&h, cbuf, 10, &h, rbuf, 40000);
	CHECK(ERR_STATUS(b) && ERR_CONVERT(b) == STD_OVERFLOW,
	      "trans with a 40000-byte reply buffer: STD_OVERFLOW");
	/* the server still works after all that */
	hdr_for(&h, &srv_put, T_ECHO);
	fill(cbuf, 64, 3);
	r = rpc_trans(&h, cbuf, 64, &h, rbuf, 64);
	CHECK(r == 64 && same(rbuf, 64, 3), "the server survives bad clients");

	/* unknown port: the locate gives up after the timeout */
	uniqport(&g);
	priv2pub(&g, &nowhere);
	old = timeout(500);
	CHECK(old > 0, "timeout returns the previous locate timeout");
	printf("# previous timeout %ld ms\n", (long)old);
	hdr_for(&h, &nowhere, T_ECHO);
	t0 = sys_milli();
	r = rpc_trans(&h, NULL, 0, &h, NULL, 0);
	ms = sys_milli() - t0;
	printf("# unknown port: %d after %lu ms\n", (int)r, ms);
	CHECK(r == RPC_NOTFOUND, "trans to an unknown port: RPC_NOTFOUND");
	CHECK(ms >= 400 && ms < 3000, "... after about the 500 ms timeout");
	CHECK(timeout(old) == 500, "timeout(old) returns 500");

	/* alternation */
	hdr_for(&h, &srv_get, 0);
	CHECK(rpc_putrep(&h, NULL, 0) == RPC_FAILURE,
	      "putrep without getreq: RPC_FAILURE");
	hdr_for(&h, &srv_put, T_ALT);
	r = rpc_trans(&h, NULL, 0, &h, NULL, 0);
	CHECK(r == 0 && h.h_offset == RPC_FAILURE,
	      "getreq while serving: RPC_FAILURE (and putrep still works)");
	hdr_for(&h, &null, 0);
	CHECK(rpc_getreq(&h, NULL, 0) == RPC_BADPORT,
	      "getreq on the null port: RPC_BADPORT");
	hdr_for(&h, &srv_get, 0);
	CHECK(rpc_getreq(&h, (bufptr)0x1000, 100) == RPC_BADADDRESS,
	      "getreq into the kernel: RPC_BADADDRESS");
	CHECK(rpc_getreq((header *)0x40000000, NULL, 0) == RPC_BADADDRESS,
	      "getreq with a read-only header: RPC_BADADDRESS");
	b = getreq(&h, rbuf, 30001);
	CHECK(ERR_STATUS(b) && ERR_CONVERT(b) == STD_OVERFLOW,
	      "old getreq of 30001 bytes: STD_OVERFLOW");
	CHECK(rpc_putrep(&h, (bufptr)0x1000, 10) < 0,
	      "putrep of a kernel buffer (not serving) fails");
}

/* A server thread that takes one request and ends without a reply. */
static port quitter_get;

static void
quitter(char *param, int psize)
{
	header h;

	(void)param;
	(void)psize;
	memset(&h, 0, sizeof(h));
	h.h_port = quitter_get;
	rpc_getreq(&h, NULL, 0);
	sema_up(&srv_gone);
	thread_exit();
}

static void
test_memory(void)
{
	header h, *rh = (header *)(SEGVA + 4096 - sizeof(header));
	port qp;
	long id;
	int32 r;

	id = seg_map(NULL, SEGVA, 4096, VX_MAP_NEW | VX_MAP_RW);
	CHECK(id >= 0, "map one page for the buffer tests");
	if (id < 0)
		return;
	hdr_for(&h, &srv_put, T_ECHO);
	r = rpc_trans(&h, (bufptr)(SEGVA + 4000), 200, &h, rbuf, 200);
	CHECK(r == RPC_BADADDRESS,
	      "request buffer running off the mapping: RPC_BADADDRESS");
	r = rpc_trans(&h, cbuf, 200, &h, (bufptr)(SEGVA + 4000), 200);
	CHECK(r == RPC_BADADDRESS,
	      "reply buffer running off the mapping: RPC_BADADDRESS");
	r = rpc_trans(&h, cbuf, 96, &h, (bufptr)(SEGVA + 4000), 96);
	CHECK(r == 96, "a buffer at the end of the mapping is fine");

	/* the server unmaps our reply buffer while we wait */
	hdr_for(rh, &srv_put, T_UNMAP);
	rh->h_offset = id;
	r = rpc_trans(rh, NULL, 0, rh, (bufptr)SEGVA, 2048);
	CHECK(r == RPC_BADADDRESS,
	      "reply buffer unmapped during the trans: RPC_BADADDRESS");
	CHECK(seg_unmap(id, NULL) == STD_ARGBAD,
	      "... and the server's seg_unmap did unmap it");

	/* a server thread that ends without putrep fails its client */
	uniqport(&quitter_get);
	priv2pub(&quitter_get, &qp);
	thread_newthread(quitter, STACK, NULL, 0);
	hdr_for(&h, &qp, T_ECHO);
	r = rpc_trans(&h, cbuf, 10, &h, rbuf, 10);
	sema_down(&srv_gone);
	printf("# server thread ended without putrep: %d\n", (int)r);
	CHECK(r == RPC_FAILURE,
	      "the server thread ends without a reply: RPC_FAILURE");
}

/* Several client threads at once against the NSERVER server threads. */
static semaphore cl_done;
static int cl_ok[NCLIENT];

static void
client(char *param, int psize)
{
	int me = (int)(long)param, i, ok = 1;
	char *out = malloc(4096), *in = malloc(4096);
	header h;
	int32 r;

	(void)psize;
	for (i = 0; i < NCALLS && out && in; i++) {
		unsigned n = (unsigned)(me * 997 + i * 61) % 4096;

		fill(out, n, (unsigned)(me * 100 + i));
		hdr_for(&h, &srv_put, T_ECHO);
		h.h_extra = (uint16)me;
		r = rpc_trans(&h, out, (f_size_t)n, &h, in, 4096);
		if (r != (int32)n || h.h_extra != me ||
		    !same(in, n, (unsigned)(me * 100 + i)))
			ok = 0;
	}
	cl_ok[me] = ok && out && in;
	free(out);
	free(in);
	sema_up(&cl_done);
}

static void
test_concurrent(void)
{
	int i, ok = 1;

	sema_init(&cl_done, 0);
	for (i = 0; i < NCLIENT; i++)
		thread_newthread(client, STACK, (char *)(long)i, 0);
	for (i = 0; i < NCLIENT; i++)
		sema_down(&cl_done);
	for (i = 0; i < NCLIENT; i++)
		ok &= cl_ok[i];
	CHECK(ok, "4 client threads x 50 RPCs against 2 server threads");
}

static void
test_other_process(void)
{
	char data[CHILD_DATALEN];
	capability pcap;
	port g, p;
	header h;
	errstat err;
	int32 r;

	memset(data, 0, sizeof(data));
	uniqport(&g);
	priv2pub(&g, &p);
	memcpy(data + 32, &g, sizeof(g));
	err = child_exec(child_echo_main, data, NULL, 0, 0, NULL, &pcap);
	CHECK(err == STD_OK, "start an echo server process (PS_EXEC)");
	if (err != STD_OK)
		return;
	fill(cbuf, 1000, 77);
	hdr_for(&h, &p, T_ECHO);
	h.h_offset = 4242;
	r = rpc_trans(&h, cbuf, 1000, &h, rbuf, 30000);
	CHECK(r == 1000 && same(rbuf, 1000, 77) && h.h_offset == 4242,
	      "rpc_trans to a server in another process");
	fill(cbuf, 30000, 78);
	r = trans(&h, cbuf, 30000, &h, rbuf, 30000);
	CHECK(r == 30000 && same(rbuf, 30000, 78),
	      "trans of 30000 bytes to the other process");
	{
		capability ro, owner, got;

		CHECK(std_restrict(&pcap, PSR_READ, &ro) == STD_OK &&
		      std_destroy(&ro) == STD_DENIED,
		      "std_destroy without the kill right: STD_DENIED");
		memset(&owner, 0x5A, sizeof(owner));
		memset(&h, 0, sizeof(h));
		h.h_port = pcap.cap_port;
		h.h_priv = pcap.cap_priv;
		h.h_command = PS_SETOWNER;
		r = rpc_trans(&h, (bufptr)&owner, sizeof(owner), &h, NULL, 0);
		CHECK(r == 0 && h.h_status == STD_OK, "PS_SETOWNER");
		memset(&h, 0, sizeof(h));
		h.h_port = pcap.cap_port;
		h.h_priv = pcap.cap_priv;
		h.h_command = PS_GETOWNER;
		r = rpc_trans(&h, NULL, 0, &h, NULL, 0);
		got.cap_port = h.h_port;
		got.cap_priv = h.h_priv;
		CHECK(r == 0 && h.h_status == STD_OK &&
		      memcmp(&got, &owner, sizeof(got)) == 0,
		      "PS_GETOWNER gives it back");
		CHECK(std_info(&pcap, (char *)rbuf, 100, NULL) == STD_OK &&
		      strncmp(rbuf, "process ", 8) == 0,
		      "std_info of the process");
	}
	CHECK(std_destroy(&pcap) == STD_OK, "std_destroy of the server process");
	CHECK(child_gone(&pcap, 5000), "the server process is gone");
	timeout(500);
	hdr_for(&h, &p, T_ECHO);
	r = rpc_trans(&h, NULL, 0, &h, NULL, 0);
	CHECK(r == RPC_NOTFOUND || r == RPC_FAILURE,
	      "trans to the dead server fails");
	printf("# to the dead server: %s\n", err_why(r));
	timeout(0);
}

static int32
simple(capability *cap, command cmd, header *h, char *buf, int n)
{
	memset(h, 0, sizeof(*h));
	h->h_port = cap->cap_port;
	h->h_priv = cap->cap_priv;
	h->h_command = cmd;
	h->h_size = (bufsize)n;
	return rpc_trans(h, NULL, 0, h, buf, n);
}

static void
test_kernel_servers(void)
{
	static const char *const names[] = { "proc", "sys", "random", "tod",
					      "tty" };
	capability cap[5], bad, ro, ro2, *tty;
	char buf[2048], buf2[2048], name[2200];
	struct vx_time now;
	port p1, p2;
	header h;
	int32 r;
	int i, len;
	errstat err;

	for (i = 0; i < 5; i++) {
		err = kdir_lookup(NULL, names[i], &cap[i]);
		snprintf(name, sizeof(name), "kernel directory lookup of %s",
			 names[i]);
		CHECK(err == STD_OK, name);
		err = std_info(&cap[i], buf, sizeof(buf), &len);
		snprintf(name, sizeof(name), "std_info of %s: \"%s\"", names[i],
			 err == STD_OK ? buf : err_why(err));
		CHECK(err == STD_OK && len > 0 && len == (int)strlen(buf), name);
	}
	CHECK(kdir_lookup(NULL, "nosuchserver", &bad) == STD_NOTFOUND,
	      "lookup of an unknown name: STD_NOTFOUND");
	host_kdir_cap(NULL, &bad);
	CHECK(std_info(&bad, buf, sizeof(buf), NULL) == STD_OK,
	      "std_info of the kernel directory");
	printf("# kdir: %s\n", buf);
	CHECK(simple(&bad, SP_LIST, &h, buf, sizeof(buf)) > 0 &&
	      h.h_status == STD_OK, "SP_LIST of the kernel directory");
	host_kdir_cap("no-such-node", &bad);
	timeout(500);
	CHECK(std_info(&bad, buf, sizeof(buf), NULL) == RPC_NOTFOUND,
	      "the kernel directory of an absent node: RPC_NOTFOUND");
	timeout(0);

	/* random */
	r = simple(&cap[2], RND_GETRANDOM, &h, buf, 16);
	CHECK(r == 16 && h.h_status == STD_OK, "RND_GETRANDOM of 16 bytes");
	r = simple(&cap[2], RND_GETRANDOM, &h, buf2, 16);
	CHECK(r == 16 && memcmp(buf, buf2, 16) != 0,
	      "two random replies differ");
	r = simple(&cap[2], RND_GETRANDOM, &h, buf, 2000);
	CHECK(r == MAX_RANDOM, "RND_GETRANDOM of 2000 gives MAX_RANDOM");
	CHECK(rnd_getrandom(buf, 1500) == STD_OK, "rnd_getrandom of 1500");
	uniqport(&p1);
	uniqport(&p2);
	CHECK(!NULLPORT(&p1) && !PORTCMP(&p1, &p2), "uniqport: fresh ports");

	/* time of day */
	r = simple(&cap[3], TOD_GETTIME, &h, NULL, 0);
	sys_gettime(&now);
	printf("# tod: %ld s %u ms; gettime %lld\n", (long)h.h_offset,
	       h.h_size, now.sec);
	CHECK(r == 0 && h.h_status == STD_OK && h.h_offset > 1577836800 &&
	      h.h_size < 1000, "TOD_GETTIME: after 2020, ms < 1000");
	CHECK(h.h_offset - now.sec <= 2 && now.sec - h.h_offset <= 2,
	      "TOD_GETTIME agrees with SYS_GETTIME");

	/* sys */
	err = std_status(&cap[1], buf, sizeof(buf), &len);
	CHECK(err == STD_OK && strstr(buf, "memory:") != NULL &&
	      strstr(buf, "rpc:") != NULL, "std_status of sys");
	/* sys_handle sets h_status (= h_command) before its switch */
	r = simple(&cap[1], SYS_KSTAT, &h, buf, sizeof(buf));
	CHECK(r > 0 && h.h_status == STD_OK, "SYS_KSTAT");
	r = simple(&cap[1], SYS_PRINTBUF, &h, buf, sizeof(buf));
	CHECK(r > 0 && h.h_status == STD_OK,
		  "SYS_PRINTBUF gives the kernel log");
	r = simple(&cap[1], 4999, &h, NULL, 0);
	CHECK(r == 0 && ERR_CONVERT(h.h_status) == STD_COMBAD,
	      "unknown command to sys: STD_COMBAD");

	/* capabilities: forged, restricted */
	bad = cap[1];
	bad.cap_priv.prv_random._portbytes[0] ^= 0x80;
	CHECK(std_info(&bad, buf, sizeof(buf), NULL) == STD_CAPBAD,
	      "std_info with a forged check field: STD_CAPBAD");
	CHECK(std_restrict(&cap[1], SYS_RGT_READ | SYS_RGT_CONTROL, &ro) ==
	      STD_OK && ro.cap_priv.prv_rights == 0x03,
	      "std_restrict of sys (locally)");
	CHECK(std_info(&ro, buf, sizeof(buf), NULL) == STD_OK,
	      "the restricted capability works");
	CHECK(std_restrict(&ro, SYS_RGT_READ | 0x10, &ro2) == STD_OK &&
	      ro2.cap_priv.prv_rights == SYS_RGT_READ &&
	      std_info(&ro2, buf, sizeof(buf), NULL) == STD_OK,
	      "std_restrict of a restricted capability (by the server)");
	bad = ro2;
	bad.cap_priv.prv_rights = 0x03;
	CHECK(std_info(&bad, buf, sizeof(buf), NULL) == STD_CAPBAD,
	      "rights raised by hand: STD_CAPBAD");

	/* tty */
	tty = getcap("TTY");
	CHECK(tty != NULL && memcmp(tty, &cap[4], sizeof(capability)) == 0,
	      "TTY in the capability environment is the kdir tty");
	{
		static const char msg[] = "# test_rpc: hello through TTQ_WRITE\n";

		memset(&h, 0, sizeof(h));
		h.h_port = cap[4].cap_port;
		h.h_priv = cap[4].cap_priv;
		h.h_command = TTQ_WRITE;
		h.h_size = sizeof(msg) - 1;
		r = rpc_trans(&h, (bufptr)msg, sizeof(msg) - 1, &h, NULL, 0);
		CHECK(r == 0 && h.h_status == STD_OK &&
		      h.h_size == sizeof(msg) - 1, "TTQ_WRITE to the console");
	}
	err = std_status(&cap[4], buf, sizeof(buf), &len);
	CHECK(err == STD_OK && strstr(buf, "written") != NULL,
	      "std_status of tty");

	/* proc */
	r = simple(&cap[0], PS_GETDEF, &h, NULL, 0);
	CHECK(r == 0 && h.h_status == STD_OK && h.h_size == 12,
	      "PS_GETDEF: 4 KiB pages");
	r = simple(&cap[0], PS_GETLOAD, &h, NULL, 0);
	CHECK(r == 0 && h.h_status == STD_OK && h.h_offset > 0,
	      "PS_GETLOAD: free memory");
}

int
main(void)
{
	header h;
	int i;

	cbuf = malloc(MAXDATA + 16);
	rbuf = malloc(MAXDATA + 16);
	CHECK(cbuf && rbuf, "two 1 MiB buffers");
	if (!cbuf || !rbuf)
		return TEST_DONE();
	uniqport(&srv_get);
	priv2pub(&srv_get, &srv_put);
	CHECK(!NULLPORT(&srv_get) && !PORTCMP(&srv_get, &srv_put),
	      "a random get-port and its put-port");
	sema_init(&srv_gone, 0);
	for (i = 0; i < NSERVER; i++)
		CHECK(thread_newthread(server, STACK, NULL, 0),
		      "start a server thread");
	test_sizes();
	test_errors();
	test_memory();
	test_concurrent();
	test_other_process();
	test_kernel_servers();
	for (i = 0; i < NSERVER; i++) {
		hdr_for(&h, &srv_put, T_QUIT);
		rpc_trans(&h, NULL, 0, &h, NULL, 0);
		sema_down(&srv_gone);
	}
	CHECK(1, "server threads ended");
	return TEST_DONE();
}
