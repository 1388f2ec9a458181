/*
 * test_net.c - kernel halves of the multi-node RPC tests (run by
 * tests/cluster/t_*.py on a VDE switch; manual, so `ktest` alone does
 * not run them).  The service port is derived from the option
 * `netport=NAME` (default "echo"), so client and server find each other
 * by port alone.
 *
 *   net_echo_server   serve the port: reply with the request body and
 *                     h_offset + 1; h_extra = milliseconds to sleep first
 *   net_echo_client   null RPC, sizes up to 1 MiB, data checked
 *   net_echo_count    many transactions, each executed exactly once
 */
#include <string.h>

#include "arch.h"
#include "cmdline.h"
#include "tty.h"
#include "knet.h"
#include "ktest.h"
#include "ktutil.h"
#include "mem.h"
#include "thread.h"
#include <module/prv.h>
#include <server/tty/tty.h>
#include <stderr.h>

static void
net_port(port *get, port *put)
{
	const char *name = cmdline_get("netport");

	memset(get, 0, sizeof(*get));
	if (name == NULL || *name == 0)
		name = "echo";
	strncpy((char *)get->_portbytes, name, PORTSIZE);
	priv2pub(get, put);
}

static uint32_t executed;

static void
echo_thread(void *arg)
{
	uint8_t *buf = kmalloc(RPC_MAXDATA);
	port get, put;
	header h;

	(void)arg;
	net_port(&get, &put);
	for (;;) {
		int32_t n;

		memset(&h, 0, sizeof(h));
		h.h_port = get;
		n = kgetreq(&h, buf, RPC_MAXDATA);
		if (n < 0)
			continue;
		executed++;
		if (h.h_extra)
			thread_msleep(h.h_extra);
		h.h_offset++;
		h.h_size = (bufsize)executed;
		h.h_status = STD_OK;
		kputrep(&h, buf, (uint32_t)n);
	}
}

KTEST_FLAGS(net_echo_server, KTEST_MANUAL)
{
	for (int i = 0; i < 4; i++)
		thread_create_kernel("echo", echo_thread, NULL, PRIO_NORM);
	thread_msleep(50);
	kprintf("echo: serving\n");
	for (;;)
		thread_msleep(1000);
}

KTEST_FLAGS(net_echo_client, KTEST_MANUAL)
{
	static const uint32_t sizes[] = { 0, 1, 1457, 1458, 1459, 3000,
					  30000, 100000, RPC_MAXDATA };
	uint8_t *out = kmalloc(RPC_MAXDATA), *in = kmalloc(RPC_MAXDATA);
	port get, put;
	header h;

	KT_ASSERT(out && in);
	net_port(&get, &put);
	for (uint32_t i = 0; i < RPC_MAXDATA; i++)
		out[i] = (uint8_t)(i ^ (i >> 8) ^ (i >> 16));
	ktimeout(10000);
	for (unsigned k = 0; k < ARRAY_SIZE(sizes); k++) {
		int32_t n;

		memset(&h, 0, sizeof(h));
		h.h_port = put;
		h.h_offset = (int32)k;
		memset(in, 0xEE, sizes[k]);
		n = ktrans(&h, out, sizes[k], &h, in, RPC_MAXDATA);
		if (n != (int32_t)sizes[k] || h.h_offset != (int32)k + 1 ||
		    memcmp(in, out, sizes[k]) != 0)
			ktest_fail(__FILE__, __LINE__,
				   "size %u: got %d offset %d", sizes[k], n,
				   h.h_offset);
	}
	kfree(out);
	kfree(in);
}

/* net_echo_count: `netcount=N` transactions; prints the server's count. */
KTEST_FLAGS(net_echo_count, KTEST_MANUAL)
{
	long count = cmdline_int("netcount", 1000);
	port get, put;
	header h;
	int bad = 0;
	uint32_t first = 0, last = 0;

	net_port(&get, &put);
	ktimeout(10000);
	for (long i = 0; i < count; i++) {
		int32_t n;

		memset(&h, 0, sizeof(h));
		h.h_port = put;
		h.h_offset = (int32)i;
		n = ktrans(&h, NULL, 0, &h, NULL, 0);
		if (n != 0 || h.h_offset != (int32)i + 1) {
			if (bad++ < 5)
				ktest_fail(__FILE__, __LINE__,
					   "trans %ld: %d", i, n);
			continue;
		}
		if (i == 0)
			first = h.h_size;
		last = h.h_size;
	}
	kprintf("# count: %ld sent, server executions %u..%u\n", count,
		first, last);
	KT_EQ(bad, 0);
	/* the server numbers executions: exactly one per transaction */
	KT_EQ((uint16_t)(last - first), (uint16_t)(count - 1));
}

/* Run n null transactions; returns how many failed. */
static int
echo_batch(const port *put, long n)
{
	int bad = 0;

	for (long i = 0; i < n; i++) {
		header h;

		memset(&h, 0, sizeof(h));
		h.h_port = *put;
		h.h_offset = (int32)i;
		if (ktrans(&h, NULL, 0, &h, NULL, 0) != 0 ||
		    h.h_offset != (int32)i + 1)
			bad++;
	}
	return bad;
}

/*
 * net_echo_phases: a batch of transactions, then "phase1 done"; wait for
 * a line on the console (the test moves the server meanwhile), then a
 * second batch, which must all succeed against the server's new home.
 */
KTEST_FLAGS(net_echo_phases, KTEST_MANUAL)
{
	port get, put;
	char line[16];

	net_port(&get, &put);
	ktimeout(10000);
	KT_EQ(echo_batch(&put, 50), 0);
	kprintf("phase1 done\n");
	tty_readline(&tty_console, line, sizeof(line));
	KT_EQ(echo_batch(&put, 50), 0);
}

/*
 * tty_com2_echo (manual): through the tty server of COM2 ("tty:01"),
 * write a greeting, read a line (typed by the test on the other end of
 * the serial line) and write it back.
 */
KTEST_FLAGS(tty_com2_echo, KTEST_MANUAL)
{
	static const char hello[] = "hello com2\n";
	capability tty;
	char line[64], out[80];
	header h;
	int32_t n;

	KT_ASSERT(kt_lookup("tty:01", &tty) == STD_OK);
	memset(&h, 0, sizeof(h));
	h.h_port = tty.cap_port;
	h.h_priv = tty.cap_priv;
	h.h_command = TTQ_WRITE;
	KT_EQ(ktrans(&h, hello, sizeof(hello) - 1, &h, NULL, 0), 0);
	h.h_port = tty.cap_port;
	h.h_priv = tty.cap_priv;
	h.h_command = TTQ_READ;
	h.h_size = sizeof(line) - 1;
	n = ktrans(&h, NULL, 0, &h, line, sizeof(line) - 1);
	KT_ASSERT(n > 0);
	line[n] = 0;
	n = ksnprintf(out, sizeof(out), "echo: %s", line);
	h.h_port = tty.cap_port;
	h.h_priv = tty.cap_priv;
	h.h_command = TTQ_WRITE;
	KT_EQ(ktrans(&h, out, (uint32_t)n, &h, NULL, 0), 0);
}
