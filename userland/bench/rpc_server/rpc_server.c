/*
 * rpc_server.c - the RPC benchmark server, after Amoeba's
 * src/test/performance/rpc/rpc_server (spec 12).
 *
 *   rpc_server [-t threads] port bufsize [servicetime]
 *
 * port: a string whose first 6 characters are the get-port (shorter
 * strings are padded with zero bytes); the clients use priv2pub of it.
 * bufsize: the largest request accepted (bytes, at most 1 MiB; the
 * suffixes k and m multiply by 1024 and 1048576).  servicetime: how long
 * each request is served, in milliseconds (default 0).  Every request is
 * answered with h_offset bytes of data (0 unless the client runs in
 * reverse mode, -r).  -t starts that many server threads (default 1).
 * The server runs until killed; a request with h_command 9999 makes
 * the thread that gets it print its count and end.
 *
 * The server loop is also built into rpc_client (-S); see rpc_bench.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <thread.h>

#include "../rpc_client/rpc_bench.h"

static struct rpcb_server srv;

static void
usage(void)
{
	fprintf(stderr, "usage: rpc_server [-t threads] port bufsize "
		"[servicetime]\n");
	exit(2);
}

static void
server_thread(char *param, int psize)
{
	(void)psize;
	rpcb_serve((struct rpcb_server *)param);
}

int
main(int argc, char **argv)
{
	int nthreads = 1, i = 1, k;

	if (i + 1 < argc && strcmp(argv[i], "-t") == 0) {
		nthreads = atoi(argv[i + 1]);
		i += 2;
	}
	if (argc - i < 2 || argc - i > 3 || nthreads < 1 || nthreads > 16)
		usage();
	rpcb_port(argv[i], &srv.getport);
	srv.bufsize = rpcb_size(argv[i + 1]);
	srv.service_ms = argc - i > 2 ? atoi(argv[i + 2]) : 0;
	if (srv.bufsize < 0 || srv.bufsize > RPCB_MAXDATA || srv.service_ms < 0)
		usage();
	printf("rpc_server: port \"%.6s\", buffer %ld bytes, service time "
	       "%d ms, %d thread(s)\n", argv[i], srv.bufsize, srv.service_ms,
	       nthreads);
	fflush(stdout);
	for (k = 1; k < nthreads; k++)
		if (!thread_newthread(server_thread, 32768, (char *)&srv,
				      sizeof(srv)))
			fprintf(stderr, "rpc_server: no thread %d\n", k);
	rpcb_serve(&srv);
	return 0;
}
