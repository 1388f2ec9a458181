/*
 * rpc_bench.h - shared parts of rpc_server and rpc_client: the port
 * string, sizes with k/m suffixes and the server loop.  Header-only
 * (static functions) so each program stays one folder of sources.
 */
#ifndef USERLAND_RPC_BENCH_H
#define USERLAND_RPC_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/rpc.h>
#include <module/syscall.h>

#define RPCB_MAXDATA	(1024L * 1024)
#define RPCB_QUIT	9999	/* h_command: this server thread ends */

struct rpcb_server {
	port getport;
	long bufsize;		/* largest request */
	int service_ms;		/* time spent on each request */
	long served;
};

/* The get-port: the first 6 characters of s, zero-padded. */
static inline void
rpcb_port(const char *s, port *p)
{
	size_t n = strlen(s);

	memset(p, 0, sizeof(*p));
	memcpy(p->_portbytes, s, n < PORTSIZE ? n : PORTSIZE);
}

/* "123", "64k", "1m" -> bytes; -1 if malformed. */
static inline long
rpcb_size(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || v < 0)
		return -1;
	if (*end == 'k' || *end == 'K')
		v *= 1024, end++;
	else if (*end == 'm' || *end == 'M')
		v *= 1024 * 1024, end++;
	return *end ? -1 : v;
}

/* Serve requests until a RPCB_QUIT request or an error. */
static inline void
rpcb_serve(struct rpcb_server *s)
{
	char *buf = malloc(s->bufsize > 0 ? (size_t)s->bufsize : 1);
	header h;
	int32 n;
	long reply;

	if (buf == NULL) {
		fprintf(stderr, "rpc_server: no memory for %ld bytes\n",
			s->bufsize);
		return;
	}
	memset(buf, 'x', (size_t)s->bufsize);
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = s->getport;
		n = rpc_getreq(&h, buf, s->bufsize);
		if (n < 0) {
			fprintf(stderr, "rpc_server: getreq: %s\n", err_why(n));
			break;
		}
		s->served++;
		if (h.h_command == RPCB_QUIT) {
			h.h_status = STD_OK;
			rpc_putrep(&h, NULL, 0);
			printf("rpc_server: %ld requests served\n", s->served);
			break;
		}
		if (s->service_ms > 0)
			sys_sleep(s->service_ms);
		reply = h.h_offset;	/* reverse mode: send this much */
		if (reply < 0 || reply > s->bufsize)
			reply = 0;
		h.h_status = STD_OK;
		rpc_putrep(&h, buf, reply);
	}
	free(buf);
}

#endif /* USERLAND_RPC_BENCH_H */
