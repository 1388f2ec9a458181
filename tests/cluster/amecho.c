/*
 * amecho - the Linux half of the host<->node RPC tests and benchmarks
 * (tests/cluster/t_host.py, bench_host.py), built with libamunix.  It
 * speaks the protocol of the kernel's echo test (tests/kernel/test_net.c):
 * the service's get-port is the port name (up to 6 bytes), the server
 * replies with the request body (none if h_command is ECHO_NOBODY),
 * h_offset + 1 and h_size = the requests executed so far.
 *
 *   amecho serve NAME [THREADS]   serve NAME with THREADS Amoeba threads
 *                                 (default 4); prints "echo: serving"
 *                                 once a local trans is answered
 *   amecho client NAME            0 B .. 1 MiB echoed, data compared
 *   amecho count NAME N [SILENT]  N null trans: each replied once and
 *                                 executed exactly once (h_size); up to
 *                                 SILENT (default 0) may fail after the
 *                                 server's 3 s silence, executed at most
 *                                 once (see count())
 *   amecho bench NAME TAG NNULL NBIG  bench: TAG_null, TAG_1mib (latency,
 *                                 1 MiB request throughput)
 *
 * Networks from $VX_NET (vde:DIR or tap:IF).  Exit status 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <amoeba.h>
#include <stderr.h>
#include <thread.h>
#include <module/prv.h>
#include <module/rpc.h>

#define ECHO_NOBODY	1
#define MAXDATA		(1024 * 1024)
#define SILENT_MS	3000		/* RPC_DEADTIME: a server's silence */

static port get_port, put_port;
static uint32 executed;			/* under the non-preemptive rule */

static void
set_ports(const char *name)
{
	size_t n = strlen(name);

	memset(&get_port, 0, sizeof(get_port));
	memcpy(get_port._portbytes, name, n < PORTSIZE ? n : PORTSIZE);
	priv2pub(&get_port, &put_port);
}

static void
echo_thread(char *param, int psize)
{
	char *buf = malloc(MAXDATA);
	header h;
	int32 n;

	(void)param;
	(void)psize;
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = get_port;
		n = rpc_getreq(&h, buf, MAXDATA);
		if (n < 0)
			continue;
		executed++;
		h.h_offset++;
		h.h_size = (bufsize)executed;
		if (h.h_command == ECHO_NOBODY)
			n = 0;
		h.h_status = STD_OK;
		rpc_putrep(&h, buf, n);
	}
}

static int
serve(int nthreads)
{
	header h;

	for (int i = 0; i < nthreads; i++)
		if (!thread_newthread(echo_thread, 64 * 1024, NULL, 0)) {
			fprintf(stderr, "amecho: cannot start a thread\n");
			return 1;
		}
	memset(&h, 0, sizeof(h));
	h.h_port = put_port;
	if (rpc_trans(&h, NULL, 0, &h, NULL, 0) != 0) {
		fprintf(stderr, "amecho: no listener answers\n");
		return 1;
	}
	executed = 0;			/* count the clients' requests only */
	printf("echo: serving\n");
	fflush(stdout);
	thread_exit();
}

static int
client(void)
{
	static const int32 sizes[] = { 0, 1, 1457, 1458, 1459, 3000, 30000,
				       100000, MAXDATA };
	char *out = malloc(MAXDATA), *in = malloc(MAXDATA);
	int bad = 0;
	header h;

	for (int32 i = 0; i < MAXDATA; i++)
		out[i] = (char)(i ^ (i >> 8) ^ (i >> 16));
	timeout(10000);
	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		int32 n;

		memset(&h, 0, sizeof(h));
		h.h_port = put_port;
		h.h_offset = (int32)k;
		memset(in, 0xEE, (size_t)sizes[k]);
		n = rpc_trans(&h, out, sizes[k], &h, in, MAXDATA);
		if (n != sizes[k] || h.h_offset != (int32)k + 1 ||
		    memcmp(in, out, (size_t)sizes[k]) != 0) {
			printf("amecho: size %d: got %d (%s), offset %d\n",
			       sizes[k], n, n < 0 ? err_why(n) : "", h.h_offset);
			bad = 1;
		} else {
			printf("amecho: size %d echoed\n", sizes[k]);
		}
	}
	free(out);
	free(in);
	return bad;
}

/*
 * One trans of count: 0 and the server's execution number, or the error
 * (RPC_FAILURE after at least SILENT_MS: *silent is set).
 */
static int32
count_one(long i, uint16 *execs, int *silent)
{
	struct timespec t0, t1;
	header h;
	int32 r;

	memset(&h, 0, sizeof(h));
	h.h_port = put_port;
	h.h_offset = (int32)i;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = rpc_trans(&h, NULL, 0, &h, NULL, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (r == 0 && h.h_offset != (int32)i + 1)
		r = STD_SYSERR;			/* someone else's reply */
	*execs = h.h_size;
	*silent = r == RPC_FAILURE && (t1.tv_sec - t0.tv_sec) * 1000 +
		  (t1.tv_nsec - t0.tv_nsec) / 1000000 >= SILENT_MS;
	return r;
}

/*
 * n null trans, each replied and executed exactly once: the server
 * numbers its executions (h_size), so between two replies the number
 * moves by exactly one.  A trans may instead fail with RPC_FAILURE after
 * the server was silent for RPC's dead time (a starved node under a
 * loaded machine), at most maxsilent times: at-most-once then allows
 * either, so the next reply's number may move by one more for each.
 */
static int
count(long n, long maxsilent)
{
	uint16 first = 0, last = 0, execs;
	long bad = 0, silent = 0, since = 0;
	int have = 0, quiet;

	timeout(10000);
	for (long i = 0; i < n; i++) {
		int32 r = count_one(i, &execs, &quiet);
		uint16 step = (uint16)(execs - last);

		if (r != 0 && quiet) {
			printf("amecho: trans %ld: %s after the server's "
			       "silence\n", i, err_why(r));
			silent++;
			since++;
		} else if (r != 0) {
			if (bad++ < 5)
				printf("amecho: trans %ld: %d\n", i, r);
		} else if (have && (step < 1 || step > 1 + since)) {
			if (bad++ < 5)
				printf("amecho: trans %ld: server execution "
				       "%u after %u\n", i, execs, last);
		}
		if (r == 0) {
			if (!have)
				first = execs;
			have = 1;
			last = execs;
			since = 0;
		}
	}
	printf("amecho: %ld trans, %ld failed, %ld silent, server executions "
	       "%u..%u\n", n, bad, silent, first, last);
	return bad != 0 || silent > maxsilent || !have;
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
bench(const char *tag, long nnull, long nbig)
{
	char *buf = calloc(1, MAXDATA);
	double t0 = now_us();
	header h;

	timeout(10000);
	for (long i = 0; i < nnull + 100; i++) {
		if (i == 100)
			t0 = now_us();
		memset(&h, 0, sizeof(h));
		h.h_port = put_port;
		if (rpc_trans(&h, NULL, 0, &h, NULL, 0) != 0)
			return 1;
	}
	printf("bench: %s_null %.1f us\n", tag, (now_us() - t0) / nnull);
	t0 = now_us();
	for (long i = 0; i < nbig; i++) {
		memset(&h, 0, sizeof(h));
		h.h_port = put_port;
		h.h_command = ECHO_NOBODY;
		if (rpc_trans(&h, buf, MAXDATA, &h, NULL, 0) != 0)
			return 1;
	}
	printf("bench: %s_1mib %.1f MB/s\n", tag,
	       (double)nbig * MAXDATA / (now_us() - t0));
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: amecho serve|client|count|bench NAME "
			"[...]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	set_ports(argv[2]);
	if (strcmp(argv[1], "serve") == 0)
		return serve(argc > 3 ? atoi(argv[3]) : 4);
	if (strcmp(argv[1], "client") == 0)
		return client();
	if (strcmp(argv[1], "count") == 0 && argc > 3)
		return count(atol(argv[3]), argc > 4 ? atol(argv[4]) : 0);
	if (strcmp(argv[1], "bench") == 0 && argc > 5)
		return bench(argv[3], atol(argv[4]), atol(argv[5]));
	fprintf(stderr, "amecho: bad arguments\n");
	return 2;
}
