/*
 * test_net.c - kernel halves of the multi-node RPC tests (run by
 * tests/cluster/t_*.py on a VDE switch; manual, so `ktest` alone does
 * not run them).  The service port is derived from the option
 * `netport=NAME` (default "echo"), so client and server find each other
 * by port alone.
 *
 *   net_echo_server   serve the port: reply with the request body (none
 *                     if h_command is ECHO_NOBODY) and h_offset + 1;
 *                     h_extra = milliseconds to sleep first; h_size =
 *                     the number of requests executed so far
 *   net_echo_client   null RPC, sizes up to 1 MiB, data checked
 *   net_echo_count    many transactions, each executed exactly once
 *   net_echo_survive  many transactions while the server's NIC driver is
 *                     killed (t_unic.py): only RPC_FAILUREs in flight
 *   net_echo_phases   two batches around a server move (console "go")
 *   net_slow_client   one trans the server takes `netextra` ms over
 *   net_crash_client  the server is killed during a 30 s trans: the
 *                     client must get RPC_FAILURE within 5 s of the
 *                     console line that says so
 *   net_bench_local   null RPC between kernel threads of one node
 *   net_bench_client  null RPC and 1 MiB requests to a remote server
 *   net_mesh          one node of N (`meshid=K meshn=N`, `netport=meshKK`):
 *                     serves its port and is a client of every other
 *                     node's, printing null RPC and 1 MiB figures per peer
 *   net_bench_locate  null RPC, each after dropping the port-cache entry,
 *                     so each locates the server (`netdummies=N` on the
 *                     server gives its node N more ports to search)
 *   net_raw_send, net_raw_recv   raw e1000 frame throughput
 *   net_raw_ping, net_raw_pong   raw frame round trip between the drivers
 *                                (no FLIP): the floor of a remote null RPC
 * Benchmarks print `bench: NAME VALUE UNIT` (tests/cluster/bench_rpc.py).
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/cmdline.h"
#include "kernel/klib.h"
#include "kernel/tty.h"
#include "kernel/net/knet.h"
#include "rpc/rpc_impl.h"
#include "tests/kernel/ktest.h"
#include "ktutil.h"
#include "kernel/mem.h"
#include "drivers/net/nic.h"
#include "kernel/thread.h"
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

#define ECHO_NOBODY 1		/* h_command: reply without the body */

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
		if (h.h_extra) {
			kprintf("echo: slow request, %u ms\n", h.h_extra);
			thread_msleep(h.h_extra);
		}
		h.h_offset++;
		h.h_size = (bufsize)executed;
		if (h.h_command == ECHO_NOBODY)	/* h_status is h_command */
			n = 0;
		h.h_status = STD_OK;
		kputrep(&h, buf, (uint32_t)n);
	}
}

/*
 * Start the echo threads; returns once one of them answers a local
 * transaction, so the port is served when "echo: serving" is printed.
 */
static void
echo_start(void)
{
	port get, put;
	header h;

	for (int i = 0; i < 4; i++)
		thread_create_kernel("echo", echo_thread, NULL, PRIO_NORM);
	net_port(&get, &put);
	memset(&h, 0, sizeof(h));
	h.h_port = put;
	if (ktrans(&h, NULL, 0, &h, NULL, 0) < 0)
		kprintf("echo: no listener answers\n");
}

/*
 * `netdummies=N`: N more ports served on this node, by call objects of
 * extra RPC processes sitting in getreq (nobody calls them), so that a
 * LOCATE must find the echo port among N + 4 listeners.
 */
static void
dummy_listeners(void)
{
	uint32_t n = (uint32_t)cmdline_int("netdummies", 0), k;
	uint32_t np = (n + RPC_NTHREAD - 1) / RPC_NTHREAD;
	struct rpc_proc *procs;
	struct rpc_call *calls;

	if (n == 0)
		return;
	procs = kmalloc(np * sizeof(*procs));
	calls = kmalloc(n * sizeof(*calls));
	if (procs == NULL || calls == NULL) {
		kprintf("echo: no memory for %u dummy ports\n", n);
		return;
	}
	for (k = 0; k < np; k++)
		if (rpc_proc_init(&knet_rpc, &procs[k]) != STD_OK) {
			kprintf("echo: only %u dummy processes\n", k);
			n = k * RPC_NTHREAD;
			break;
		}
	for (k = 0; k < n; k++) {
		char name[PORTSIZE + 1];
		header h;

		memset(&h, 0, sizeof(h));
		ksnprintf(name, sizeof(name), "d%05u", (unsigned)k);
		memcpy(h.h_port._portbytes, name, PORTSIZE);
		rpc_call_init(&procs[k / RPC_NTHREAD], &calls[k]);
		rpc_getreq_start(&calls[k], &h);
	}
	kprintf("echo: %u more ports\n", n);
}

/* The time of one listener lookup for a port nobody serves here (the
 * worst case: a LOCATE for another node's port), in nanoseconds. */
static void
time_lookup(void)
{
	port absent;
	uint64_t t0;
	uint32_t n = 20000, hits = 0;

	memset(&absent, 0, sizeof(absent));
	memcpy(absent._portbytes, "absent", PORTSIZE);
	t0 = arch_micro();
	for (uint32_t i = 0; i < n; i++)
		hits += rpc_find_listener(&knet_rpc, &absent, NULL) != NULL;
	kprintf("bench: find_listener_absent %u ns (%u hits)\n",
		(unsigned)((arch_micro() - t0) * 1000 / n), hits);
}

KTEST_FLAGS(net_echo_server, KTEST_MANUAL)
{
	dummy_listeners();
	echo_start();
	if (cmdline_get("netdummies"))
		time_lookup();
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
		if ((i + 1) % 1000 == 0)
			kprintf("# count: %ld done at %u ms\n", i + 1, arch_milli());
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

/* One null trans with h_extra = ms of service time; result and ms. */
static int32_t
timed_trans(const port *put, uint32_t extra, uint32_t *ms)
{
	uint32_t t0 = arch_milli();
	header h;
	int32_t n;

	memset(&h, 0, sizeof(h));
	h.h_port = *put;
	h.h_extra = (uint16)extra;
	n = ktrans(&h, NULL, 0, &h, NULL, 0);
	*ms = arch_milli() - t0;
	return n;
}

/*
 * net_echo_phases: a batch of transactions, then "phase1 done"; wait for
 * a line on the console (the test moves the server meanwhile), then a
 * second batch against the server's new home.  Its first REQUEST goes
 * to the old, dead, location: the client cannot know whether the server
 * executed it before dying, so it may end in RPC_FAILURE (at-most-once),
 * but within 5 s; all later ones must reach the new server.
 */
/*
 * net_echo_survive: `netcount=N` null transactions while the server's
 * NIC driver is killed and restarted (t_unic.py): at most `netfail`
 * (default 3) of them may fail, each with RPC_FAILURE (in flight at the
 * kill; at-most-once), and the last 100 must all succeed; the server's
 * executions never exceed the transactions sent.
 */
KTEST_FLAGS(net_echo_survive, KTEST_MANUAL)
{
	long count = cmdline_int("netcount", 3000);
	long maxfail = cmdline_int("netfail", 3);
	port get, put;
	int failed = 0, other = 0;
	long last_bad = -1;
	uint32_t first = 0, last = 0;
	bool have_first = false;

	net_port(&get, &put);
	ktimeout(10000);
	for (long i = 0; i < count; i++) {
		header h;
		int32_t n;

		memset(&h, 0, sizeof(h));
		h.h_port = put;
		h.h_offset = (int32)i;
		n = ktrans(&h, NULL, 0, &h, NULL, 0);
		if (n != 0 || h.h_offset != (int32)i + 1) {
			kprintf("# survive: trans %ld: %d at %u ms\n", i, n,
				arch_milli());
			failed++;
			last_bad = i;
			if (n != RPC_FAILURE)
				other++;
			continue;
		}
		if (!have_first) {
			first = h.h_size;
			have_first = true;
		}
		last = h.h_size;
		if ((i + 1) % 500 == 0)
			kprintf("# survive: %ld done at %u ms\n", i + 1,
				arch_milli());
	}
	kprintf("survive: %d failed, last failure at %ld, server executions "
		"%u..%u\n", failed, last_bad, first, last);
	KT_EQ(other, 0);
	KT_ASSERT(failed <= maxfail);
	KT_ASSERT(last_bad < count - 100);
	KT_ASSERT((uint16_t)(last - first) <= (uint16_t)(count - 1));
}

KTEST_FLAGS(net_echo_phases, KTEST_MANUAL)
{
	port get, put;
	char line[16];
	uint32_t ms;
	int32_t n;

	net_port(&get, &put);
	ktimeout(10000);
	KT_EQ(echo_batch(&put, 50), 0);
	kprintf("phase1 done\n");
	tty_readline(&tty_console, line, sizeof(line));
	n = timed_trans(&put, 0, &ms);
	kprintf("phase2: first trans %d after %u ms\n", n, ms);
	KT_ASSERT(n == 0 || n == RPC_FAILURE);
	KT_ASSERT(ms <= 5000);
	KT_EQ(echo_batch(&put, 49), 0);
}

/* net_slow_client: a live server that takes `netextra` ms still replies. */
KTEST_FLAGS(net_slow_client, KTEST_MANUAL)
{
	uint32_t extra = (uint32_t)cmdline_int("netextra", 10000), ms;
	port get, put;
	int32_t n;

	net_port(&get, &put);
	ktimeout(10000);
	KT_EQ(timed_trans(&put, 0, &ms), 0);		/* locate it */
	n = timed_trans(&put, extra, &ms);
	kprintf("slow: result %d after %u ms (service %u ms)\n", n, ms, extra);
	KT_EQ(n, 0);
	/* the server's sleep really spanned it, far longer than the ~4 s
	 * failure verdict; the two guests' clocks drift apart under TCG on
	 * a loaded host (9.1 s seen here for the server's 10 s), so only
	 * more than half of it is asserted */
	KT_ASSERT(ms >= extra / 2);
}

static volatile uint32_t killed_at;

/* Wait for the console line the test types when it kills the server. */
static void
kill_watch(void *arg)
{
	char line[16];

	(void)arg;
	tty_readline(&tty_console, line, sizeof(line));
	killed_at = arch_milli() | 1;
}

/*
 * net_crash_client: a trans the server serves for 30 s (h_extra); the
 * test kills the server's node meanwhile and says so on the console.
 * The trans must end with RPC_FAILURE within 5 s of that.
 */
KTEST_FLAGS(net_crash_client, KTEST_MANUAL)
{
	uint32_t ms, late;
	port get, put;
	int32_t n;

	net_port(&get, &put);
	ktimeout(10000);
	KT_EQ(timed_trans(&put, 0, &ms), 0);		/* locate it */
	thread_create_kernel("killwatch", kill_watch, NULL, PRIO_NORM);
	kprintf("crash: in flight\n");
	n = timed_trans(&put, 30000, &ms);
	late = killed_at ? arch_milli() - killed_at : 0;
	kprintf("crash: result %d after %u ms, %u ms after the kill\n", n, ms,
		late);
	KT_EQ(n, RPC_FAILURE);
	KT_ASSERT(killed_at != 0);
	KT_ASSERT(late <= 5000);
}

static void
bench_line(const char *name, uint64_t us, uint32_t n)
{
	uint64_t ns = us * 1000 / n;

	kprintf("bench: %s %u.%03u us\n", name, (unsigned)(ns / 1000),
		(unsigned)(ns % 1000));
}

/* n null transactions; microseconds taken, 0 if one failed. */
static uint64_t
null_loop(const port *put, uint32_t n)
{
	uint64_t t0 = arch_micro();

	for (uint32_t i = 0; i < n; i++) {
		header h;

		memset(&h, 0, sizeof(h));
		h.h_port = *put;
		if (ktrans(&h, NULL, 0, &h, NULL, 0) != 0)
			return 0;
	}
	return arch_micro() - t0;
}

static void sort_us(uint32_t *v, uint32_t n);

#define NULL_TIMED	1000	/* null transactions timed one by one */

/*
 * NULL_TIMED null transactions timed one by one: NAME_min and
 * NAME_median rows (the statistics of raw_rtt_*, so that the ratio to
 * the raw round trip compares like with like under a loaded host), and
 * NAME_frames, the FLIP frames sent and received per transaction.
 * False if one failed.
 */
static bool
null_median(const port *put, const char *name)
{
	static uint32_t t[NULL_TIMED];
	uint32_t f0 = knet_sw.st.tx_frames + knet_sw.st.rx_frames, f;

	for (uint32_t i = 0; i < NULL_TIMED; i++) {
		uint64_t t0 = arch_micro();
		header h;

		memset(&h, 0, sizeof(h));
		h.h_port = *put;
		if (ktrans(&h, NULL, 0, &h, NULL, 0) != 0)
			return false;
		t[i] = (uint32_t)(arch_micro() - t0);
	}
	f = knet_sw.st.tx_frames + knet_sw.st.rx_frames - f0;
	sort_us(t, NULL_TIMED);
	kprintf("bench: %s_min %u us\n", name, t[0]);
	kprintf("bench: %s_median %u us\n", name, t[NULL_TIMED / 2]);
	kprintf("bench: %s_frames %u.%02u frames\n", name, f / NULL_TIMED,
		f * 100 / NULL_TIMED % 100);
	return true;
}

/* net_bench_local: null RPC between two kernel threads of one node. */
KTEST_FLAGS(net_bench_local, KTEST_MANUAL)
{
	uint32_t n = (uint32_t)cmdline_int("netcount", 50000);
	port get, put;
	uint64_t us;

	net_port(&get, &put);
	echo_start();
	KT_ASSERT(null_loop(&put, 100) != 0);
	us = null_loop(&put, n);
	KT_ASSERT(us != 0);
	bench_line("rpc_local_null", us, n);
}

/* net_bench_client: null RPC and 1 MiB requests to a remote server. */
KTEST_FLAGS(net_bench_client, KTEST_MANUAL)
{
	uint32_t n = (uint32_t)cmdline_int("netcount", 5000);
	uint32_t big = (uint32_t)cmdline_int("netbig", 100);
	uint8_t *buf = kmalloc(RPC_MAXDATA);
	port get, put;
	uint64_t us, t0;

	KT_ASSERT(buf != NULL);
	memset(buf, 0x5A, RPC_MAXDATA);
	net_port(&get, &put);
	ktimeout(10000);
	KT_ASSERT(null_loop(&put, 100) != 0);
	us = null_loop(&put, n);
	KT_ASSERT(us != 0);
	bench_line("rpc_remote_null", us, n);
	KT_ASSERT(null_median(&put, "rpc_remote_null"));
	t0 = arch_micro();
	for (uint32_t i = 0; i < big; i++) {
		header h;

		memset(&h, 0, sizeof(h));
		h.h_port = put;
		h.h_command = ECHO_NOBODY;
		KT_EQ(ktrans(&h, buf, RPC_MAXDATA, &h, NULL, 0), 0);
	}
	us = arch_micro() - t0;
	kprintf("# flip: tx %u rx %u fc_queued %u fc_maxq %u reqcredit %u "
		"rpc retrans %u enquiries %u\n", knet_sw.st.tx_frames,
		knet_sw.st.rx_frames, knet_sw.st.fc_queued, knet_sw.st.fc_maxq,
		knet_sw.st.fc_reqcredit, knet_rpc.st.retrans,
		knet_rpc.st.enquiries);
	kprintf("bench: rpc_remote_1mib %u.%01u MB/s\n",
		(unsigned)((uint64_t)big * RPC_MAXDATA / us),
		(unsigned)((uint64_t)big * RPC_MAXDATA * 10 / us % 10));
	kfree(buf);
}

/*
 * net_mesh: serve netport (the script names it meshKK after meshid=K),
 * then for every other node j (in the order K+1, K+2, ... so the nodes
 * start on different peers): `netcount` null transactions (median) and
 * `netbig` 1 MiB requests (MB/s).  Prints `mesh: K J NULL_US MBPS` per
 * peer and `mesh: done`, then goes on serving until it is stopped.
 */
KTEST_FLAGS(net_mesh, KTEST_MANUAL)
{
	uint32_t me = (uint32_t)cmdline_int("meshid", 0);
	uint32_t nn = (uint32_t)cmdline_int("meshn", 2);
	uint32_t n = (uint32_t)cmdline_int("netcount", 500);
	uint32_t big = (uint32_t)cmdline_int("netbig", 20);
	uint32_t *t = kmalloc(n * sizeof(*t));
	uint8_t *buf = kmalloc(RPC_MAXDATA);

	KT_ASSERT(t != NULL && buf != NULL && n > 0 && nn > 1 && me < nn);
	memset(buf, 0x5A, RPC_MAXDATA);
	echo_start();
	kprintf("mesh: serving\n");
	ktimeout(60000);		/* the peers boot at their own pace */
	for (uint32_t k = 1; k < nn; k++) {
		uint32_t j = (me + k) % nn;
		char name[PORTSIZE + 1];
		port get, put;
		uint64_t t0, us;

		memset(&get, 0, sizeof(get));
		ksnprintf(name, sizeof(name), "mesh%02u", (unsigned)j);
		memcpy(get._portbytes, name, PORTSIZE);
		priv2pub(&get, &put);
		KT_ASSERT(null_loop(&put, 10) != 0);
		for (uint32_t i = 0; i < n; i++) {
			header h;

			memset(&h, 0, sizeof(h));
			h.h_port = put;
			t0 = arch_micro();
			KT_EQ(ktrans(&h, NULL, 0, &h, NULL, 0), 0);
			t[i] = (uint32_t)(arch_micro() - t0);
		}
		sort_us(t, n);
		t0 = arch_micro();
		for (uint32_t i = 0; i < big; i++) {
			header h;

			memset(&h, 0, sizeof(h));
			h.h_port = put;
			h.h_command = ECHO_NOBODY;
			KT_EQ(ktrans(&h, buf, RPC_MAXDATA, &h, NULL, 0), 0);
		}
		us = arch_micro() - t0;
		kprintf("mesh: %u %u %u %u.%01u\n", me, j, t[n / 2],
			(unsigned)((uint64_t)big * RPC_MAXDATA / us),
			(unsigned)((uint64_t)big * RPC_MAXDATA * 10 / us % 10));
	}
	kfree(t);
	kfree(buf);
	kprintf("mesh: done\n");
	for (;;)
		thread_msleep(1000);
}

/* Sort n microsecond counts (insertion sort: n is small). */
static void
sort_us(uint32_t *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t x = v[i], j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * net_bench_locate: null RPCs with the port cached, then as many each
 * after a locate of the server; the medians (the machine is shared, so
 * a mean would mostly measure the neighbours).
 */
KTEST_FLAGS(net_bench_locate, KTEST_MANUAL)
{
	uint32_t n = (uint32_t)cmdline_int("netcount", 1000);
	uint32_t *t = kmalloc(2 * n * sizeof(*t));
	port get, put;

	KT_ASSERT(t != NULL && n > 0);
	net_port(&get, &put);
	ktimeout(10000);
	KT_ASSERT(null_loop(&put, 100) != 0);
	for (uint32_t i = 0; i < 2 * n; i++) {
		uint64_t t0;
		header h;

		if (i >= n)
			rpc_pc_remove(&knet_rpc, &put);
		memset(&h, 0, sizeof(h));
		h.h_port = put;
		t0 = arch_micro();
		KT_EQ(ktrans(&h, NULL, 0, &h, NULL, 0), 0);
		t[i] = (uint32_t)(arch_micro() - t0);
	}
	sort_us(t, n);
	sort_us(t + n, n);
	kprintf("bench: rpc_null_cached %u us\n", t[n / 2]);
	kprintf("bench: rpc_null_located %u us\n", t[n + n / 2]);
	kfree(t);
}

#define RAW_ETYPE 0x88B6

/* net_raw_send: `netframes` full-size frames to broadcast, no pacing. */
KTEST_FLAGS(net_raw_send, KTEST_MANUAL)
{
	uint32_t n = (uint32_t)cmdline_int("netframes", 100000), fails = 0;
	struct nic *nic = nic_get(0);
	uint8_t f[ETH_FRAME_MAX];
	uint64_t t0;

	KT_ASSERT(nic != NULL);
	memset(f, 0xFF, 6);
	memcpy(f + 6, nic->mac, 6);
	f[12] = RAW_ETYPE >> 8;
	f[13] = RAW_ETYPE & 0xFF;
	memset(f + 14, 0xA5, sizeof(f) - 14);
	thread_msleep(1000);			/* the receiver is ready */
	t0 = arch_micro();
	for (uint32_t i = 0; i < n; i++)
		if (nic_send(nic, f, sizeof(f)) != STD_OK)
			fails++;
	kprintf("# raw: %u frames sent in %u ms, %u not sent (ring full)\n",
		n, (unsigned)((arch_micro() - t0) / 1000), fails);
}

/* net_raw_recv: count what arrives; MB/s from first to last frame. */
KTEST_FLAGS(net_raw_recv, KTEST_MANUAL)
{
	struct nic *nic = nic_get(0);
	struct nic_stats st;
	uint64_t b0, b1 = 0, f0, t0 = 0, t1 = 0;
	uint32_t quiet = 0;

	KT_ASSERT(nic != NULL);
	nic_get_stats(nic, &st);
	b0 = st.rx_bytes;
	f0 = st.rx_frames;
	kprintf("raw: ready\n");
	while (t0 == 0 || quiet < 100) {	/* until 1 s without frames */
		thread_msleep(10);
		nic_get_stats(nic, &st);
		if (st.rx_bytes - b0 > 2 * ETH_FRAME_MAX && t0 == 0) {
			t0 = arch_micro();	/* started: count from here */
			b0 = st.rx_bytes;
			f0 = st.rx_frames;
		}
		if (t0 && st.rx_bytes != b1) {
			b1 = st.rx_bytes;
			t1 = arch_micro();
			quiet = 0;
		} else {
			quiet++;
		}
	}
	kprintf("# raw: %llu frames, %llu bytes in %llu us\n",
		st.rx_frames - f0, b1 - b0, t1 - t0);
	kprintf("bench: raw_e1000 %u.%01u MB/s\n",
		(unsigned)((b1 - b0) / (t1 - t0 ? t1 - t0 : 1)),
		(unsigned)((b1 - b0) * 10 / (t1 - t0 ? t1 - t0 : 1) % 10));
}

/* ---- raw ping-pong: the floor under a remote null RPC --------------------- */

#define PING_ETYPE	0x88B7
#define PING_COUNT	1000
#define PING_WAIT_MS	200

/* pong: every ping frame goes straight back, from the receive path. */
static void
pong_rx(struct nic *nic, const uint8_t *frame, size_t len, void *arg)
{
	uint8_t f[64];

	(void)arg;
	if (len < 14 || len > sizeof(f) ||
	    ((frame[12] << 8) | frame[13]) != PING_ETYPE)
		return;
	memcpy(f, frame + 6, 6);		/* back to the sender */
	memcpy(f + 6, nic->mac, 6);
	memcpy(f + 12, frame + 12, len - 12);
	nic_send(nic, f, len);
}

KTEST_FLAGS(net_raw_pong, KTEST_MANUAL)
{
	struct nic *nic = nic_get(0);

	KT_ASSERT(nic != NULL);
	nic_set_rx(nic, pong_rx, NULL);
	kprintf("pong: ready\n");
	for (;;)
		thread_msleep(1000);		/* the host ends it */
}

static volatile uint32_t ping_seq_back;

static void
ping_rx(struct nic *nic, const uint8_t *frame, size_t len, void *arg)
{
	(void)nic;
	(void)arg;
	if (len >= 18 && ((frame[12] << 8) | frame[13]) == PING_ETYPE) {
		memcpy((void *)&ping_seq_back, frame + 14, 4);
		thread_wakeup((void *)&ping_seq_back);
	}
}

/* Send ping seq; its round trip in ns, or 0 if no answer in time. */
static uint64_t
ping_once(struct nic *nic, uint32_t seq)
{
	uint8_t f[60];
	uint64_t t0;
	uint32_t irq;

	memset(f, 0xFF, 6);
	memcpy(f + 6, nic->mac, 6);
	f[12] = PING_ETYPE >> 8;
	f[13] = PING_ETYPE & 0xFF;
	memcpy(f + 14, &seq, 4);
	memset(f + 18, 0, sizeof(f) - 18);
	t0 = arch_cycles();
	irq = arch_irq_save();
	nic_send(nic, f, sizeof(f));
	while (ping_seq_back != seq)
		if (thread_sleep((void *)&ping_seq_back, PING_WAIT_MS) < 0)
			break;
	arch_irq_restore(irq);
	return ping_seq_back == seq ? arch_cycles() - t0 : 0;
}

static void
sort_u64(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		uint64_t x = v[i];
		int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* net_raw_ping: PING_COUNT round trips; min, median and max in us. */
KTEST_FLAGS(net_raw_ping, KTEST_MANUAL)
{
	static uint64_t rtt[PING_COUNT];
	struct nic *nic = nic_get(0);
	uint64_t per_us = 1, c0 = arch_cycles(), u0 = arch_micro();
	int n = 0, lost = 0;

	KT_ASSERT(nic != NULL);
	nic_set_rx(nic, ping_rx, NULL);
	for (uint32_t i = 1; i <= PING_COUNT; i++) {
		uint64_t c = ping_once(nic, i);

		if (c)
			rtt[n++] = c;
		else
			lost++;
	}
	if (arch_micro() > u0)
		per_us = (arch_cycles() - c0) / (arch_micro() - u0);
	KT_ASSERT(n > PING_COUNT / 2);
	sort_u64(rtt, n);
	kprintf("# raw ping: %d answered, %d lost\n", n, lost);
	kprintf("bench: raw_rtt_min %u us\n", (unsigned)(rtt[0] / per_us));
	kprintf("bench: raw_rtt_median %u us\n",
		(unsigned)(rtt[n / 2] / per_us));
	kprintf("bench: raw_rtt_max %u us\n", (unsigned)(rtt[n - 1] / per_us));
}

/* ---- paced raw stream: the floor under a credit-controlled transfer ------- */

/*
 * The sender keeps at most `netwindow` (default FLIP_WINDOW_MAX, the
 * window a VX receiver grants) full-size frames unacknowledged, as FLIP's
 * credit flow control does; the receiver's driver path acknowledges
 * every quarter window with its cumulative count.  No
 * frame is sent into a full ring or a full switch queue, so the figure
 * is stable from run to run where the unpaced raw_e1000 is not.
 */
#define RAWP_ETYPE	0x88B9
#define RAWP_ACK_ETYPE	0x88BA
#define RAWP_WAIT_MS	50

static uint32_t rawp_ack = FLIP_WINDOW_MAX / 4;	/* frames per ack */
static volatile uint32_t rawp_count;	/* receiver: frames in */
static volatile uint64_t rawp_bytes, rawp_t0, rawp_t1;

static void
rawp_recv_rx(struct nic *nic, const uint8_t *frame, size_t len, void *arg)
{
	uint8_t f[60];
	uint32_t n;

	(void)arg;
	if (len < 14 || ((frame[12] << 8) | frame[13]) != RAWP_ETYPE)
		return;
	if (rawp_count == 0)
		rawp_t0 = arch_micro();
	n = ++rawp_count;
	if (n > 1)			/* the first frame starts the clock */
		rawp_bytes += len;
	rawp_t1 = arch_micro();
	if (n % rawp_ack)
		return;
	memcpy(f, frame + 6, 6);
	memcpy(f + 6, nic->mac, 6);
	f[12] = RAWP_ACK_ETYPE >> 8;
	f[13] = RAWP_ACK_ETYPE & 0xFF;
	memcpy(f + 14, &n, 4);
	memset(f + 18, 0, sizeof(f) - 18);
	nic_send(nic, f, sizeof(f));
}

/* net_raw_precv: count the paced stream; MB/s from first to last frame. */
KTEST_FLAGS(net_raw_precv, KTEST_MANUAL)
{
	struct nic *nic = nic_get(0);
	uint32_t last = 0, quiet = 0;

	KT_ASSERT(nic != NULL);
	rawp_ack = (uint32_t)cmdline_int("netwindow", FLIP_WINDOW_MAX) / 4;
	if (rawp_ack == 0)
		rawp_ack = 1;
	nic_set_rx(nic, rawp_recv_rx, NULL);
	kprintf("rawp: ready\n");
	while (rawp_count == 0 || quiet < 100) {	/* 1 s without frames */
		thread_msleep(10);
		if (rawp_count != last) {
			last = rawp_count;
			quiet = 0;
		} else {
			quiet++;
		}
	}
	KT_ASSERT(rawp_t1 > rawp_t0);
	kprintf("# raw paced: %u frames, %llu bytes in %llu us\n", rawp_count,
		rawp_bytes, rawp_t1 - rawp_t0);
	kprintf("bench: raw_paced %u.%01u MB/s\n",
		(unsigned)(rawp_bytes / (rawp_t1 - rawp_t0)),
		(unsigned)(rawp_bytes * 10 / (rawp_t1 - rawp_t0) % 10));
}

static volatile uint32_t rawp_acked;	/* sender: highest count acked */

static void
rawp_send_rx(struct nic *nic, const uint8_t *frame, size_t len, void *arg)
{
	uint32_t n;

	(void)nic;
	(void)arg;
	if (len < 18 || ((frame[12] << 8) | frame[13]) != RAWP_ACK_ETYPE)
		return;
	memcpy(&n, frame + 14, 4);
	if (n > rawp_acked) {
		rawp_acked = n;
		thread_wakeup((void *)&rawp_acked);
	}
}

/* net_raw_psend: `netframes` full-size frames, `netwindow` in flight. */
KTEST_FLAGS(net_raw_psend, KTEST_MANUAL)
{
	uint32_t n = (uint32_t)cmdline_int("netframes", 20000), stalls = 0;
	uint32_t window = (uint32_t)cmdline_int("netwindow", FLIP_WINDOW_MAX);
	struct nic *nic = nic_get(0);
	uint8_t f[ETH_FRAME_MAX];

	KT_ASSERT(nic != NULL);
	nic_set_rx(nic, rawp_send_rx, NULL);
	memset(f, 0xFF, 6);
	memcpy(f + 6, nic->mac, 6);
	f[12] = RAWP_ETYPE >> 8;
	f[13] = RAWP_ETYPE & 0xFF;
	memset(f + 14, 0x5A, sizeof(f) - 14);
	for (uint32_t sent = 0; sent < n;) {
		uint32_t irq = arch_irq_save();

		/* a lost frame or ack: after a quiet wait, send anyway */
		while (sent - rawp_acked >= window)
			if (thread_sleep((void *)&rawp_acked, RAWP_WAIT_MS) < 0) {
				stalls++;
				break;
			}
		arch_irq_restore(irq);
		if (nic_send(nic, f, sizeof(f)) == STD_OK)
			sent++;
		else
			thread_yield();		/* ring full: let it drain */
	}
	kprintf("# raw paced: %u frames sent, %u acked, %u stalls\n", n,
		rawp_acked, stalls);
	KT_ASSERT(rawp_acked > 0);
}
