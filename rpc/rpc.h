/*
 * rpc.h - Amoeba RPC over FLIP (spec 3): trans/getreq/putrep as
 * non-blocking state machines the kernel wraps with sleep/wakeup.
 *
 * Objects (all storage provided by the caller):
 *   struct rpc_node - one per kernel: kernel id, tid counter, port
 *                     cache, kid table, its FLIP interface;
 *   struct rpc_proc - one per process: its FLIP address and thread table;
 *   struct rpc_call - one per thread: the call object a thread sleeps on.
 *
 * The blocking calls (rpc_block.h: rpc_trans_wait and friends) are:
 *
 *	e = rpc_trans_start(c, &req, kbuf_or_user, n);	 (copies in)
 *	while (e == STD_OK && !c->done)
 *		flip_port_sleep(c);		 (flip_port_wakeup(c) wakes)
 *	r = rpc_trans_finish(c, &rep, buf, pn);	 (copies out, frees)
 *
 * and the same shape for rpc_getreq_start/_finish and
 * rpc_putrep_start/_finish.  The copies happen inside the start/finish
 * calls, i.e. in the calling thread's context; the protocol keeps
 * messages in its own buffers (flip_port_alloc) in between.
 *
 * Concurrency: as flip.h - every rpc_* entry point is called with the
 * network lock held; c->done and c->result are written under it.
 */
#ifndef RPC_RPC_H
#define RPC_RPC_H

#include <stdint.h>
#include <amoeba.h>
#include <stderr.h>
#include "flip/flip.h"

#define RPC_MAXDATA	(1024 * 1024)	/* largest request/reply body */
#define RPC_NTHREAD	32		/* threads (call objects) per process */
#define RPC_NLISTEN	256		/* listener index buckets (power of 2, <= 256) */
#define RPC_NPCACHE	256		/* port-cache entries */
#define RPC_NKID	200		/* kid-table entries */
#define RPC_KIDWIN	512		/* at-most-once window, tids */
#define RPC_NFCACHE	16		/* cached F(get-port) results */

/*
 * Up to RPC_NBIGCACHE freed message buffers of at least RPC_BIGMSG bytes
 * are kept for reuse: allocating (and zeroing) a fresh 1 MiB buffer per
 * message on each side cost more than sending it.
 */
#define RPC_BIGMSG	(64 * 1024)
#define RPC_NBIGCACHE	2
/* Messages up to RPC_SMALLMSG bytes (headers included) get buffers of
 * that size; up to RPC_NSMALLCACHE free ones are kept (rpc_core.c). */
#define RPC_SMALLMSG	256
#define RPC_NSMALLCACHE	8

/* Timing constants (spec 3.9), ms. */
#define RPC_MAX_RETRIAL	10
#define RPC_FIRSTLOCATE	5
#define RPC_MAXREASSEMBLE 4000
#define RPC_SERVETIMEOUT 1000
#define RPC_CRASHTIME	20000	/* Amoeba's first ENQUIRE; see below */
#define RPC_LOCTIMEOUT	100
#define RPC_MAXSERVERREPLY 30000
#define RPC_PC_SWEEP	20000
#define RPC_KID_SWEEP	600000
#define RPC_DEF_LOCATE	(100 * 2 * (FLIP_MAX_HOPS + 1))	/* 5200 */

/*
 * Timers of this implementation (same packets as Amoeba, other values).
 * A single-fragment request is retransmitted/probed after the RTO, 2 x
 * the measured round trip + RPC_RTOSLACK (within RPC_MINRTO ..
 * RPC_MAXRTO), not after round trip + SERVETIMEOUT; a multi-fragment one
 * keeps round trip + SERVETIMEOUT (the server ACKs after reassembly).
 * Unanswered probes (RECEIVED, ENQUIRE) back off to RPC_PROBEMAX.  Once
 * the server has ACKed, it is asked (ENQUIRE) every RPC_ENQUIRE instead
 * of first after CRASHTIME.  The peer counts as dead - the trans fails -
 * after RPC_DEADPROBES unanswered probes and RPC_DEADTIME of silence.
 * A bounced REQUEST is resent once with FLIP_INVAL, whose locate may
 * take RPC_ADDRLOCATE, before the port is located again.
 */
#define RPC_MINRTO	30
#define RPC_MAXRTO	1000
#define RPC_RTOSLACK	20	/* two 10 ms ticks */
#define RPC_PROBEMAX	1000
#define RPC_ENQUIRE	1000
#define RPC_DEADPROBES	3
#define RPC_DEADTIME	3000
#define RPC_ONEFRAG	1400	/* messages up to this size: 1 fragment */
#define RPC_ADDRLOCATE	1000	/* FLIP_INVAL resend: locate budget */

struct rpc_msg {			/* a whole message, RPC-owned */
	uint32_t cap;			/* bytes allocated for data */
	uint32_t len;			/* bytes in data */
	uint32_t got;			/* bytes received (reassembly) */
	uint8_t data[];			/* amphdr + header + body */
};

struct rpc_call;

struct rpc_client {			/* client half of a call */
	uint8_t state;			/* RPC_CL_* */
	uint8_t flags;			/* RPC_F_* */
	int8_t retrial;			/* retries left */
	uint32_t tid;			/* transaction id */
	port port;			/* server put-port */
	flip_adr_t srv;			/* server process address */
	uint16_t srvidx;		/* server thread index */
	uint16_t rtt;			/* round-trip estimate, ms */
	uint32_t reqmessid;		/* FLIP messid of the last REQUEST */
	uint32_t timer;			/* deadline of the current wait */
	uint32_t heard;			/* last sign of life of the server */
	uint32_t sent;			/* when the REQUEST was sent */
	uint8_t probes;			/* unanswered RECEIVED/ENQUIREs */
	uint8_t inflight;		/* REQUESTs sent and not bounced */
	uint16_t hop;			/* RPC locate: hop count */
	uint32_t interval;		/* RPC locate: retry interval */
	uint32_t spent;			/* RPC locate: time used */
	uint32_t t0;			/* RPC locate: timestamp sent */
	struct rpc_msg *req;		/* request being sent */
	struct rpc_msg *rep;		/* reply (being reassembled) */
	uint32_t repmessid;		/* FLIP messid of the reply */
	uint32_t reptimer;		/* reassembly deadline */
	uint8_t repbig;			/* reply header is big-endian */
	struct rpc_call *local;		/* local server thread, if any */
};

struct rpc_server {			/* server half of a call */
	uint8_t state;			/* RPC_SV_* */
	int8_t retrial;			/* reply retries left */
	uint8_t sigtrans;		/* client was signalled (SIG_TRANS) */
	port getport;			/* getreq's get-port */
	port putport;			/* F(get-port) */
	flip_adr_t client;		/* client process address */
	uint16_t clidx;			/* client thread index */
	uint32_t tid;			/* client's tid */
	uint8_t kid[8];			/* client kernel id */
	uint32_t base;			/* reply timer base, ms */
	uint32_t timer;			/* deadline */
	uint32_t messid;		/* FLIP messid being reassembled */
	uint32_t repmessid;		/* FLIP messid of the last REPLY */
	uint8_t repsent;		/* repmessid is valid */
	uint8_t pinned;			/* the client's routes are pinned */
	uint32_t heard;			/* last sign of life of the client */
	uint32_t wait;			/* current reply probe interval */
	struct rpc_msg *req;		/* request (being reassembled) */
	struct rpc_msg *rep;		/* reply being sent */
	struct rpc_call *local;		/* local client, if any */
};

struct rpc_call {
	struct rpc_proc *proc;		/* owning process */
	uint16_t idx;			/* thread index in proc */
	uint8_t done;			/* the pending operation finished */
	int32_t result;			/* its result (>= 0 or errstat) */
	interval loctimeout;		/* locate budget, ms (timeout()) */
	struct rpc_client cl;
	struct rpc_server sv;
	struct rpc_call *lnext;		/* next in its listener bucket */
	uint8_t lindexed, lbucket;	/* in rn->listen[lbucket] */
};

/* Client states. */
#define RPC_CL_IDLE	0
#define RPC_CL_LOCATE	1
#define RPC_CL_PUTREQ	2
#define RPC_CL_GETREP	3
#define RPC_CL_DONE	4
/* Client flags. */
#define RPC_F_NACKED	0x01	/* NAKed: resend when the timer runs out */
#define RPC_F_UNREACH	0x02
#define RPC_F_RETRANS	0x04
#define RPC_F_UNSAFE	0x08
#define RPC_F_SENT	0x10	/* reqmessid is valid */
#define RPC_F_RTT	0x20	/* no retry yet: the reply times the trip */
#define RPC_F_INVAL	0x40	/* resent with FLIP_INVAL after a bounce */
#define RPC_F_NAKRESENT	0x80	/* resent after a NAK: next NAK relocates */
/* Server states. */
#define RPC_SV_IDLE	0
#define RPC_SV_GETREQ	1
#define RPC_SV_RECEIVING 2
#define RPC_SV_SERVING	3
#define RPC_SV_PUTREP	4

struct rpc_proc {
	struct rpc_node *node;		/* owning node */
	struct rpc_proc *next;		/* node's list */
	flip_adr_t prv, pub;		/* process FLIP address */
	int ep;				/* its FLIP endpoint */
	struct rpc_call *threads[RPC_NTHREAD];	/* thread table */
};

struct rpc_pcache {			/* port cache entry (remote servers) */
	port port;			/* put-port */
	flip_adr_t addr;		/* server process address */
	uint16_t idx;			/* server thread index */
	uint16_t rtt;			/* round trip, ms */
	uint8_t used;
	uint32_t idle;			/* sweeps since used */
};

struct rpc_kident {			/* at-most-once state per client kernel */
	uint8_t kid[8];
	uint8_t used;
	uint32_t last;			/* window start */
	uint32_t bits[RPC_KIDWIN / 32];	/* executed tids in the window */
	uint32_t idle;			/* sweeps since used */
};

struct rpc_stats {
	uint32_t requests_accepted, dup_dropped, acks, naks, fails;
	uint32_t enquiries, alives, retrans, locates, local_trans;
};

struct rpc_node {
	struct flip_switch *sw;		/* FLIP instance */
	int ifno;			/* FLIP interface */
	int bep;			/* null-address (broadcast) endpoint */
	uint8_t kid[8];			/* this kernel's id */
	uint32_t tid;			/* last tid used */
	struct rpc_proc *procs;		/* processes */
	struct rpc_call *listen[RPC_NLISTEN];	/* by put-port: calls whose
					 * last getreq was on that port */
	struct rpc_pcache pc[RPC_NPCACHE];
	struct rpc_kident kids[RPC_NKID];
	struct { port g, p; } fcache[RPC_NFCACHE];	/* F cache */
	uint32_t fnext;			/* next F-cache slot */
	uint32_t locating;		/* clients may be in LOCATE (0: none) */
	uint32_t last_pcsweep, last_kidsweep;
	struct rpc_stats st;
};

/* ---- setup --------------------------------------------------------------- */

/* rpc_node_init - a node on switch sw; random kid.  STD_OK or error. */
errstat rpc_node_init(struct rpc_node *rn, struct flip_switch *sw);
void rpc_node_fini(struct rpc_node *rn);

/* rpc_proc_init - a process: random FLIP address, registered. */
errstat rpc_proc_init(struct rpc_node *rn, struct rpc_proc *p);
void rpc_proc_fini(struct rpc_proc *p);

/* rpc_call_init - a thread's call object; takes a thread index. */
errstat rpc_call_init(struct rpc_proc *p, struct rpc_call *c);
/* rpc_call_fini - thread exit: abandons calls, FAILs a served client. */
void rpc_call_fini(struct rpc_call *c);

/* ---- the calls ----------------------------------------------------------- */

/*
 * rpc_trans_start - begin a transaction: copies the header and n bytes
 * (n <= RPC_MAXDATA, else STD_OVERFLOW) and starts locate/send.  Errors
 * that are known at once (RPC_BADPORT, STD_OVERFLOW, RPC_BADADDRESS,
 * RPC_TRYAGAIN) are returned with c->done set (rpc_trans_finish returns
 * them too); otherwise STD_OK, and c->done follows later.  Calling it
 * while the thread's previous trans is still running is a programming
 * error: RPC_FAILURE, c->done stays clear, nothing changes.
 */
errstat rpc_trans_start(struct rpc_call *c, const header *req,
			const void *buf, uint32_t n);
/*
 * rpc_trans_finish - after c->done: copy the reply header and up to n
 * bytes of reply data out; returns the bytes copied or a negative
 * error (the reply header is then undefined).
 */
int32_t rpc_trans_finish(struct rpc_call *c, header *rep, void *buf,
			 uint32_t n);

/*
 * rpc_getreq_start - listen on h->h_port (the get-port).  RPC_BADPORT
 * (c->done set) for a null port; RPC_FAILURE (c->done clear) if the
 * thread is still serving a request (getreq and putrep must alternate).
 */
errstat rpc_getreq_start(struct rpc_call *c, const header *h);
/*
 * rpc_getreq_finish - after c->done: the request header (h_port = the
 * put-port) and up to n data bytes (silently truncated); returns the
 * bytes copied or a negative error.
 */
int32_t rpc_getreq_finish(struct rpc_call *c, header *h, void *buf,
			  uint32_t n);

/*
 * rpc_putrep_start - send the reply of the request being served (a local
 * client gets it at once).  Errors with c->done clear and the request
 * still being served: RPC_FAILURE (not serving), STD_OVERFLOW (n >
 * RPC_MAXDATA), RPC_BADADDRESS (n > 0 and no buffer).
 */
errstat rpc_putrep_start(struct rpc_call *c, const header *h,
			 const void *buf, uint32_t n);
/* rpc_putrep_finish - after c->done: STD_OK or RPC_FAILURE. */
errstat rpc_putrep_finish(struct rpc_call *c);

/*
 * rpc_abort - the thread got a signal: a locate or a getreq ends with
 * RPC_ABORTED; in GETREP the server is told (ENQUIRE with FL_SIGTRANS;
 * a local server directly).  The server side sees c->sv.sigtrans become
 * 1 (with a flip_port_wakeup) and should raise SIG_TRANS in that thread.
 */
void rpc_abort(struct rpc_call *c);

/* rpc_timeout - set the thread's locate budget; returns the old one.
 * A budget under RPC_DEADTIME also bounds the silence after which a
 * server counts as dead (the trans fails). */
interval rpc_timeout(struct rpc_call *c, interval ms);

/* ---- the same calls, blocking: rpc/rpc_block.h ---------------------------- */

/* rpc_tick - run the timers; call every 10 ms (SWEEPINTERVAL). */
void rpc_tick(struct rpc_node *rn);

/* ---- FLIP upcalls (public for the fuzzers) -------------------------------- */
void rpc_flip_receive(void *ident, const uint8_t *data, const flip_adr_t *dst,
		      const flip_adr_t *src, uint32_t messid, uint32_t offset,
		      uint32_t length, uint32_t total, int flags);
void rpc_flip_notdeliver(void *ident, const uint8_t *data,
			 const flip_adr_t *dst, uint32_t messid,
			 uint32_t offset, uint32_t length, uint32_t total,
			 int flags);

#endif /* RPC_RPC_H */
