/*
 * test_rpc.c - RPC inside one node: kernel-thread servers and clients,
 * message sizes up to 1 MiB, the error cases, and every kernel server
 * reached through the node's kernel directory.
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/net/knet.h"
#include "kernel/krandom.h"
#include "kernel/svr/ksvr.h"
#include "tests/kernel/ktest.h"
#include "ktutil.h"
#include "kernel/mem.h"
#include "kernel/thread.h"
#include <module/buffers.h>
#include <module/prv.h>
#include <module/stdcmd.h>
#include <server/process/proc.h>
#include <server/random/random.h>
#include <server/soap/soap.h>
#include <server/tod/tod.h>
#include <server/tty/tty.h>
#include <stdcom.h>
#include <stderr.h>

static port echo_get;
static volatile int echo_stop;

/* Echo server: replies with the request body, h_offset + 1. */
static void
echo_server(void *arg)
{
	uint32_t max = RPC_MAXDATA;
	uint8_t *buf = kmalloc(max);
	header h;

	(void)arg;
	while (!echo_stop) {
		int32_t n;

		memset(&h, 0, sizeof(h));
		h.h_port = echo_get;
		n = kgetreq(&h, buf, max);
		if (n < 0)
			break;
		h.h_offset++;
		h.h_status = STD_OK;
		kputrep(&h, buf, (uint32_t)n);
	}
	kfree(buf);
}

static struct thread *
start_echo(port *put)
{
	krandom(&echo_get, sizeof(echo_get));
	priv2pub(&echo_get, put);
	echo_stop = 0;
	return thread_create_kernel("echo", echo_server, NULL, PRIO_NORM);
}

static void
stop_echo(struct thread *t, const port *put)
{
	header h;

	echo_stop = 1;
	memset(&h, 0, sizeof(h));
	h.h_port = *put;
	ktrans(&h, NULL, 0, &h, NULL, 0);
	thread_join(t);
}

KTEST(rpc_local_null)
{
	port put;
	struct thread *t = start_echo(&put);
	header h;

	memset(&h, 0, sizeof(h));
	h.h_port = put;
	h.h_offset = 41;
	KT_EQ(ktrans(&h, NULL, 0, &h, NULL, 0), 0);
	KT_EQ(h.h_offset, 42);
	KT_EQ(h.h_status, STD_OK);
	stop_echo(t, &put);
}

KTEST(rpc_local_sizes)
{
	static const uint32_t sizes[] = { 1, 1457, 1458, 1459, 30000,
					  100000, RPC_MAXDATA };
	uint8_t *out = kmalloc(RPC_MAXDATA), *in = kmalloc(RPC_MAXDATA);
	port put;
	struct thread *t = start_echo(&put);

	KT_ASSERT(out && in);
	for (uint32_t i = 0; i < RPC_MAXDATA; i++)
		out[i] = (uint8_t)(i * 7 + (i >> 9));
	for (unsigned k = 0; k < ARRAY_SIZE(sizes); k++) {
		header h;
		int32_t n;

		memset(&h, 0, sizeof(h));
		h.h_port = put;
		memset(in, 0, sizes[k]);
		n = ktrans(&h, out, sizes[k], &h, in, RPC_MAXDATA);
		KT_EQ(n, sizes[k]);
		KT_CHECK(memcmp(in, out, sizes[k]) == 0);
	}
	stop_echo(t, &put);
	kfree(out);
	kfree(in);
}

KTEST(rpc_errors)
{
	header h;
	static uint8_t big[16];

	memset(&h, 0, sizeof(h)); /* null port */
	KT_EQ(ktrans(&h, NULL, 0, &h, NULL, 0), RPC_BADPORT);
	krandom(&h.h_port, sizeof(port));
	KT_EQ(ktrans(&h, big, RPC_MAXDATA + 1, &h, NULL, 0), STD_OVERFLOW);
	ktimeout(300); /* nobody serves this port */
	KT_EQ(ktrans(&h, NULL, 0, &h, NULL, 0), RPC_NOTFOUND);
	ktimeout(5200);
}

KTEST(rpc_kernel_servers)
{
	capability rnd, tod, sys, proc, bad;
	static char buf[8192];
	uint8_t r1[32], r2[32];
	header h;
	int len;

	KT_ASSERT(kt_lookup("random", &rnd) == STD_OK);
	KT_ASSERT(kt_lookup("tod", &tod) == STD_OK);
	KT_ASSERT(kt_lookup("sys", &sys) == STD_OK);
	KT_ASSERT(kt_lookup("proc", &proc) == STD_OK);
	KT_EQ(kt_lookup("nosuch", &bad), STD_NOTFOUND);
	KT_EQ(std_info(&rnd, buf, sizeof(buf), &len), STD_OK);
	KT_CHECK(strcmp(buf, "random number server") == 0);
	KT_EQ(std_status(&sys, buf, sizeof(buf), &len), STD_OK);
	KT_CHECK(kt_contains(buf, "node "));
	KT_CHECK(kt_contains(buf, "pci 00:00.0 8086:1237"));
	KT_CHECK(kt_contains(buf, "flip: "));
	KT_EQ(std_info(&proc, buf, sizeof(buf), &len), STD_OK);
	KT_EQ(std_status(&proc, buf, sizeof(buf), &len), STD_OK);
	KT_CHECK(kt_contains(buf, "pages free"));
	KT_EQ(std_status(&rnd, buf, sizeof(buf), &len), STD_OK);
	KT_CHECK(kt_contains(buf, "requests served"));
	KT_EQ(std_status(&tod, buf, sizeof(buf), &len), STD_OK);
	for (int i = 0; i < 2; i++) {
		memset(&h, 0, sizeof(h));
		h.h_port = rnd.cap_port;
		h.h_priv = rnd.cap_priv;
		h.h_command = RND_GETRANDOM;
		h.h_size = 32;
		KT_EQ(ktrans(&h, NULL, 0, &h, i ? r2 : r1, 32), 32);
	}
	KT_CHECK(memcmp(r1, r2, 32) != 0);
	memset(&h, 0, sizeof(h));
	h.h_port = tod.cap_port;
	h.h_priv = tod.cap_priv;
	h.h_command = TOD_GETTIME;
	KT_EQ(ktrans(&h, NULL, 0, &h, NULL, 0), 0);
	KT_CHECK(h.h_offset > 1600000000); /* after 2020 */
	bad = sys; /* a forged check field is refused */
	bad.cap_priv.prv_random._portbytes[0] ^= 1;
	KT_EQ(std_info(&bad, buf, sizeof(buf), &len), STD_CAPBAD);
	KT_EQ(std_restrict(&sys, 0x01, &bad), STD_OK);
	KT_EQ(std_info(&bad, buf, sizeof(buf), &len), STD_OK);
}

KTEST(rpc_segment_server)
{
	capability proc, seg;
	header h;
	char data[100], back[100];

	KT_ASSERT(kt_lookup("proc", &proc) == STD_OK);
	memset(&h, 0, sizeof(h));
	h.h_port = proc.cap_port;
	h.h_priv = proc.cap_priv;
	h.h_command = PS_SEG_CREATE;
	h.h_offset = 8192;
	KT_EQ(ktrans(&h, NULL, 0, &h, NULL, 0), 0);
	KT_EQ(h.h_status, STD_OK);
	seg.cap_port = h.h_port;
	seg.cap_priv = h.h_priv;
	for (int i = 0; i < 100; i++)
		data[i] = (char)i;
	h.h_command = PS_SEG_WRITE;
	h.h_offset = 8150;
	KT_EQ(ktrans(&h, data, 100, &h, NULL, 0), 0);
	KT_EQ(ERR_CONVERT(h.h_status), STD_ARGBAD); /* 8150 + 100 > 8192 */
	h.h_port = seg.cap_port;
	h.h_priv = seg.cap_priv;
	h.h_command = PS_SEG_WRITE;
	h.h_offset = 4000;
	KT_EQ(ktrans(&h, data, 100, &h, NULL, 0), 0);
	KT_EQ(h.h_status, STD_OK);
	h.h_port = seg.cap_port;
	h.h_priv = seg.cap_priv;
	h.h_command = BS_READ;
	h.h_offset = 4000;
	h.h_size = 100;
	KT_EQ(ktrans(&h, NULL, 0, &h, back, sizeof(back)), 100);
	KT_CHECK(memcmp(data, back, 100) == 0);
	KT_EQ(std_destroy(&seg), STD_OK);
	KT_EQ(std_destroy(&seg), STD_CAPBAD);
}

/* TTQ_TIME_READ gives up after its timeout when nothing is typed. */
KTEST(rpc_tty_time_read)
{
	capability tty;
	char buf[16];
	header h;
	uint32_t t0;
	int32_t n;

	KT_ASSERT(kt_lookup("tty", &tty) == STD_OK);
	memset(&h, 0, sizeof(h));
	h.h_port = tty.cap_port;
	h.h_priv = tty.cap_priv;
	h.h_command = TTQ_TIME_READ;
	h.h_size = sizeof(buf);
	h.h_offset = 200;
	t0 = arch_milli();
	n = ktrans(&h, NULL, 0, &h, buf, sizeof(buf));
	KT_EQ(n, 0);
	KT_EQ(h.h_extra, FSE_NOMOREDATA);
	KT_CHECK(arch_milli() - t0 >= 200);
	KT_CHECK(arch_milli() - t0 < 2000);
}
