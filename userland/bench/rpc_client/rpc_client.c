/*
 * rpc_client.c - the RPC benchmark client, after Amoeba's
 * src/test/performance/rpc/rpc_client (spec 12).
 *
 *   rpc_client [-r] [-m N] [-l label] [-t] [-S] [-q] port size count
 *
 * port: the server's port string (first 6 characters = its get-port;
 * the client sends to priv2pub of it).  size: bytes per RPC (k and m
 * suffixes; at most 1 MiB).  count: rounds; each round times N RPCs
 * (-m N, default 1) with rpc_trans and prints
 *     response time = T microsecs
 * (the mean of that round).  -r: reverse, the server sends the data
 * (size passed in h_offset) instead of the client.  Afterwards one
 * machine-readable line with the mean over all rounds:
 *     bench: rpc_<label>_<size> T us          (default)
 *     bench: rpc_<label>_<size> R MB/s        (-t: throughput, 10^6 B/s)
 * where label is -l's argument (default "local") and size is "null" for
 * 0, "<n>k"/"<n>m" for whole KiB/MiB, else the byte count.
 * -S starts a server thread in this process first (buffer = size), for
 * measuring on one node; -q leaves out the per-round lines.  The first
 * RPC (which locates the server) is not timed.  Exit status 0 when every
 * RPC succeeded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <thread.h>
#include <module/prv.h>

#include "rpc_bench.h"

static struct rpcb_server local_srv;

static void
usage(void)
{
	fprintf(stderr, "usage: rpc_client [-r] [-m N] [-l label] [-t] [-S] "
		"[-q] port size count\n");
	exit(2);
}

static void
server_thread(char *param, int psize)
{
	(void)psize;
	rpcb_serve((struct rpcb_server *)param);
}

static void
size_name(long size, char *buf, size_t n)
{
	if (size == 0)
		snprintf(buf, n, "null");
	else if (size % (1024 * 1024) == 0)
		snprintf(buf, n, "%ldm", size / (1024 * 1024));
	else if (size % 1024 == 0)
		snprintf(buf, n, "%ldk", size / 1024);
	else
		snprintf(buf, n, "%ld", size);
}

int
main(int argc, char **argv)
{
	int reverse = 0, tput = 0, self = 0, quiet = 0, i;
	long m = 1, size, count, round, k, failures = 0;
	const char *label = "local";
	unsigned long long t0, t1, total = 0;
	char sname[32];
	char *sbuf, *rbuf;
	port get, put;
	header h;
	int32 r;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "-r") == 0)
			reverse = 1;
		else if (strcmp(argv[i], "-t") == 0)
			tput = 1;
		else if (strcmp(argv[i], "-S") == 0)
			self = 1;
		else if (strcmp(argv[i], "-q") == 0)
			quiet = 1;
		else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc)
			m = atol(argv[++i]);
		else if (strcmp(argv[i], "-l") == 0 && i + 1 < argc)
			label = argv[++i];
		else
			usage();
	}
	if (argc - i != 3)
		usage();
	rpcb_port(argv[i], &get);
	priv2pub(&get, &put);
	size = rpcb_size(argv[i + 1]);
	count = atol(argv[i + 2]);
	if (size < 0 || size > RPCB_MAXDATA || count < 1 || m < 1)
		usage();
	sbuf = malloc((size_t)size + 1);
	rbuf = malloc((size_t)size + 1);
	if (sbuf == NULL || rbuf == NULL) {
		fprintf(stderr, "rpc_client: no memory\n");
		return 1;
	}
	memset(sbuf, 'c', (size_t)size);
	if (self) {
		local_srv.getport = get;
		local_srv.bufsize = size;
		if (!thread_newthread(server_thread, 32768,
				      (char *)&local_srv, sizeof(local_srv))) {
			fprintf(stderr, "rpc_client: cannot start the server\n");
			return 1;
		}
	}
	for (round = -1; round < count; round++) {	/* -1: untimed warm-up */
		long calls = round < 0 ? 1 : m;

		sys_micro(&t0);
		for (k = 0; k < calls; k++) {
			memset(&h, 0, sizeof(h));
			h.h_port = put;
			h.h_offset = reverse ? size : 0;
			if (reverse)
				r = rpc_trans(&h, NULL, 0, &h, rbuf, size);
			else
				r = rpc_trans(&h, sbuf, size, &h, NULL, 0);
			if (r < 0 || r != (reverse ? size : 0) ||
			    h.h_status != STD_OK) {
				if (failures++ < 5)
					fprintf(stderr, "rpc_client: rpc_trans: "
						"%s\n", r < 0 ? err_why(r) :
						"wrong reply");
			}
		}
		sys_micro(&t1);
		if (round < 0)
			continue;
		total += t1 - t0;
		if (!quiet)
			printf("response time = %llu microsecs\n",
			       (t1 - t0) / (unsigned long long)m);
	}
	if (self) {
		memset(&h, 0, sizeof(h));
		h.h_port = put;
		h.h_command = RPCB_QUIT;
		rpc_trans(&h, NULL, 0, &h, NULL, 0);
	}
	size_name(size, sname, sizeof(sname));
	{
		double us = (double)total / (double)(count * m);

		if (tput)
			printf("bench: rpc_%s_%s %.2f MB/s\n", label, sname,
			       us > 0 ? (double)size / us : 0.0);
		else
			printf("bench: rpc_%s_%s %.2f us\n", label, sname, us);
	}
	if (failures)
		printf("rpc_client: %ld failed RPCs\n", failures);
	free(sbuf);
	free(rbuf);
	return failures ? 1 : 0;
}
