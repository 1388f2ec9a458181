/*
 * rpc_block.h - the blocking shape of trans, getreq and putrep over the
 * event-driven calls of rpc.h, written once for every system that hosts
 * rpc/ (the kernel, the host tests, a hosted endpoint): start the call,
 * sleep on the call object (flip_port_sleep) until the protocol marks it
 * done, then finish it.
 *
 * Destination buffers are checked again after the sleep
 * (flip_port_writable): another thread may have unmapped them meanwhile;
 * then nothing is copied and the call fails with RPC_BADADDRESS.
 *
 * Entry points: rpc_trans_wait, rpc_getreq_wait, rpc_putrep_wait,
 * rpc_refuse_wait.  They are inline: each host of
 * rpc/ includes this header once, in the file that implements its
 * blocking calls (kernel/net/knet.c, the host test harness), so the
 * kernel's RPC fast path pays no extra calls for sharing them.
 * Concurrency: as rpc.h; the caller holds the network lock, which
 * flip_port_sleep gives up while it sleeps.
 */
#ifndef RPC_RPC_BLOCK_H
#define RPC_RPC_BLOCK_H

#include <string.h>

#include "flip/flip_port.h"
#include "rpc/rpc.h"

static inline errstat rpc_refuse_wait(struct rpc_call *c);

/*
 * Each starts the call, sleeps (flip_port_sleep) until it is done and
 * finishes it; results as the _finish calls.  RPC_ABORTED: the sleep was
 * interrupted and the call is still active; the caller must end it with
 * rpc_call_fini.  RPC_BADADDRESS: the destination buffer was no longer
 * writable after the sleep (flip_port_writable); a request received for
 * such a buffer has been refused (the client gets RPC_FAILURE).
 */

/*
 * Sleep until c->done; RPC_ABORTED if the sleeper is being killed.  A
 * signal aborts the call the protocol's way (rpc_abort: a locate or a
 * getreq ends with RPC_ABORTED, a server already serving is told with
 * SIG_TRANS) and the wait goes on.
 */
static inline errstat
rpc_wait_done(struct rpc_call *c)
{
	int r;

	while (!c->done) {
		r = flip_port_sleep(c);
		if (r < 0)	/* killed: but what came meanwhile counts */
			return c->done ? STD_OK : RPC_ABORTED;
		if (r > 0)
			rpc_abort(c);
	}
	return STD_OK;
}

static inline int32_t
rpc_trans_wait(struct rpc_call *c, const header *req, const void *rbuf,
	       uint32_t rn, header *rep, void *pbuf, uint32_t pn)
{
	errstat e = rpc_trans_start(c, req, rbuf, rn);
	int32_t r;

	if (e == STD_OK && rpc_wait_done(c) != STD_OK)
		return RPC_ABORTED;
	if (pn > 0 && !flip_port_writable(pbuf, pn)) {
		rpc_trans_finish(c, rep, NULL, 0);
		return RPC_BADADDRESS;
	}
	r = rpc_trans_finish(c, rep, pbuf, pn);
	return e != STD_OK && r >= 0 ? e : r;
}

static inline int32_t
rpc_getreq_wait(struct rpc_call *c, header *h, void *buf, uint32_t n)
{
	errstat e = rpc_getreq_start(c, h);

	if (e == STD_OK && rpc_wait_done(c) != STD_OK)
		return RPC_ABORTED;
	if (e != STD_OK && !c->done)
		return e;
	if (n > 0 && !flip_port_writable(buf, n)) {
		if (rpc_getreq_finish(c, h, NULL, 0) >= 0)
			(void)rpc_refuse_wait(c);
		return RPC_BADADDRESS;
	}
	return rpc_getreq_finish(c, h, buf, n);
}

static inline errstat
rpc_putrep_wait(struct rpc_call *c, const header *h, const void *buf,
		uint32_t n)
{
	errstat e = rpc_putrep_start(c, h, buf, n);

	if (e == STD_OK && rpc_wait_done(c) != STD_OK)
		return RPC_ABORTED;
	if (e != STD_OK && !c->done)
		return e;
	return rpc_putrep_finish(c);
}

/* rpc_refuse_wait - reply RPC_FAILURE to the request being served. */
static inline errstat
rpc_refuse_wait(struct rpc_call *c)
{
	header h;

	memset(&h, 0, sizeof(h));
	h.h_status = (command)RPC_FAILURE;
	return rpc_putrep_wait(c, &h, NULL, 0);
}

#endif /* RPC_RPC_BLOCK_H */
