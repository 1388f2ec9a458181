/*
 * grp.h - Amoeba group communication over FLIP (spec 4): reliable,
 * totally ordered broadcast to the members of a group, with a
 * sequencer, a history buffer, resilience degree r and recovery.
 *
 * Concurrency model (the same as rpc/): the group core is event-driven
 * and not reentrant.  The system calls every grp_* entry point under the
 * one network lock that also covers flip/ and rpc/ (in the kernel:
 * non-preemptible kernel code; on the host: the single test thread).
 * Nothing here blocks.  An entry point either finishes at once or
 * starts an operation on a caller-owned struct grp_call and returns
 * STD_OK; the operation later completes from a FLIP upcall or from
 * grp_tick(): c->done becomes 1, c->result is set and
 * flip_port_wakeup(c) is called.  All fields below are protected by
 * the network lock.  The blocking system calls are:
 *
 *	e = grp_send_start(gn, owner, gid, c, &hdr, kbuf, n);
 *	while (e == STD_OK && !c->done)
 *		sleep_on(c);			(flip_port_wakeup(c) wakes)
 *	e = grp_send_finish(c);
 *
 * and the same shape for join, receive, leave and reset.  A call object
 * must stay valid (and not be reused) until done, or until the group is
 * destroyed (grp_destroy completes it with BC_ABORT first).
 *
 * Besides the calls, a system hosting the group layer does: per node
 * grp_node_init() after flip_sw_init(); about every 10 ms grp_tick()
 * (with flip_tick()); when a process ends, grp_destroy_owner() with its
 * owner cookie (members are told by DEAD; a blocked call of it ends with
 * BC_ABORT first).  FLIP frames reach the group layer by itself: every
 * group opens its own FLIP interface.
 *
 * Objects: struct grp_node - one per kernel (its groups, the tick);
 * groups are created inside it and named by a gid (0 .. GRP_NGROUP-1)
 * and the owner cookie given at create/join (the kernel passes its
 * process pointer: another owner gets STD_ARGBAD for that gid).
 *
 * The user header libamoeba/include/group.h renames Amoeba's calls to
 * _grp_* (as Amoeba 5.3 does), so these kernel-side names do not clash
 * with the user stubs when both are in libamoeba.
 *
 * Entry points: grp_node_init/fini, grp_create, grp_join_start/finish,
 * grp_send_start/finish, grp_receive_start/finish, grp_leave_start/
 * finish, grp_reset_start/finish, grp_info, grp_set, grp_forward_addr,
 * grp_destroy, grp_destroy_owner, grp_tick, and the FLIP upcalls (for
 * the fuzzers).
 */
#ifndef GRP_GRP_H
#define GRP_GRP_H

#include <stdint.h>
#include <amoeba.h>
#include <stderr.h>
#include "flip/flip.h"
#include "grp/grp_wire.h"

/* Limits and defaults (spec 4.4; flip_conf.c: 10 groups). */
#define GRP_NGROUP	10		/* groups per node */
#define GRP_BCLARGE	10000		/* default PB/BB threshold */
#define GRP_MINLOGMSG	10		/* smallest logmaxmess */
#define GRP_MAXLOGMSG	20		/* largest logmaxmess we take (1 MiB) */
#define GRP_MINNBUF	4		/* smallest lognbuf */
#define GRP_MAXLOGBUF	12		/* largest lognbuf we take */
#define GRP_MAXRESILIENCE 32
#define GRP_MAXGROUP	64		/* largest maxgroup we take */
#define GRP_ALIVETIMEOUT 10000		/* ms */
#define GRP_SYNCTIMEOUT	8000
#define GRP_RESETTIMEOUT 2000
#define GRP_REPLYTIMEOUT 1000
#define GRP_LTIME	3000		/* locate budget: sends, a join */
#define GRP_RETRANSTIME	50
#define GRP_LOCTIMEOUT	100		/* first wait between group LOCATEs */
#define GRP_BCRETRIAL	10
#define GRP_BCNEEDRESPONSE 8
#define GRP_FIRSTLOCATE	3		/* retries left: send with FLIP_INVAL */
#define GRP_NREASM	4		/* messages being reassembled per group */
#define GRP_REASMTIME	4000		/* ms before a reassembly is dropped */

/* grp_set variable ids (Amoeba groupvar.h). */
#define GRP_VAR_SYNC_TIMEOUT	1
#define GRP_VAR_REPLY_TIMEOUT	2
#define GRP_VAR_ALIVE_TIMEOUT	3
#define GRP_VAR_RESET_TIMEOUT	4
#define GRP_VAR_LOCATE_TIMEOUT	5
#define GRP_VAR_MAX_RETRIAL	6
#define GRP_VAR_DEBUG_LEVEL	7

/* The grp_info state (Amoeba group.h grpstate_t). */
struct grp_state {
	uint32_t st_expect;		/* next seqno to be delivered */
	uint32_t st_nextseqno;		/* next seqno to be received */
	uint32_t st_unstable;		/* next seqno to be acked by all */
	uint16_t st_total;		/* members */
	uint16_t st_myid;		/* my member id */
	uint16_t st_seqid;		/* sequencer id */
};

_Static_assert(sizeof(struct grp_state) == 20, "grpstate_t is 20 bytes");

struct grp_call {			/* what a blocked thread sleeps on */
	uint8_t done;			/* the operation finished */
	uint8_t op;			/* GRP_OP_* running (0: none) */
	int32_t result;			/* its result (>= 0 or errstat) */
	int32_t gid;			/* the group it runs on */
	header hdr;			/* receive: the message header */
	uint8_t *data;			/* receive: message data (grp-owned) */
	uint32_t len;			/* ... its length */
	int more;			/* receive: more messages buffered */
	uint32_t nmem;			/* reset: members wanted */
};

#define GRP_OP_JOIN	1
#define GRP_OP_SEND	2
#define GRP_OP_RECV	3
#define GRP_OP_LEAVE	4
#define GRP_OP_RESET	5

struct grp_hist {			/* one history slot */
	uint8_t used;			/* holds message seqno */
	uint8_t type;			/* BCAST, JOIN, LEAVE or RESULT */
	uint8_t bb;			/* came by the BB method */
	uint16_t cpu;			/* original sender */
	uint32_t seqno;			/* its place in the order */
	uint32_t messid;		/* sender's message id */
	uint32_t len;			/* bytes in msg */
	uint8_t *msg;			/* header(32) + data, or state */
};

struct grp_mem {			/* one member slot */
	uint8_t state;			/* GRP_M_* */
	uint8_t probes;			/* unanswered ALIVEREQs */
	uint8_t voted;			/* recovery: VOTE / RESULTACK seen */
	flip_adr_t addr;		/* public member address */
	flip_adr_t rpcaddr;		/* its process's RPC address */
	uint32_t expect;		/* its nextseqno, last reported */
	uint32_t held;			/* its contiguous held end, reported */
	uint32_t messid;		/* last message id ordered from it */
	uint32_t heard;			/* time of its last packet */
	uint32_t vote;			/* recovery: its held end */
};

#define GRP_M_FREE	0
#define GRP_M_RESERVED	1		/* HEREIS sent, JOIN not yet ordered */
#define GRP_M_MEMBER	2

struct grp_bb {				/* BB data buffered per sender */
	uint32_t messid;		/* its message id */
	uint32_t len;			/* bytes in msg */
	uint8_t *msg;			/* header + data, NULL = none */
};

struct grp_reasm {			/* a fragmented message coming in */
	flip_adr_t src;			/* FLIP source */
	uint32_t messid;		/* FLIP message id */
	uint32_t total, got;		/* size and bytes so far */
	uint32_t since;			/* first fragment's time */
	uint8_t *buf;			/* NULL = free slot */
};

struct grp_group {
	struct grp_node *node;		/* owning node */
	void *owner;			/* creator/joiner cookie */
	int gid;			/* index in node->groups */
	uint8_t state;			/* GRP_S_* */
	uint8_t aborted;		/* BC_ABORT returned since last reset */
	port port;			/* the group's port */
	/* parameters (HEREIS) */
	uint16_t maxgroup, lognbuf, logmaxmess, resilience;
	uint32_t nbuf, maxmess, large;
	/* timers (grp_set), ms */
	uint32_t t_sync, t_reply, t_alive, t_reset, t_locate;
	uint32_t retrial;		/* BCRETRIAL */
	/* addresses and FLIP endpoints */
	flip_adr_t gprv, gpub;		/* sequencer multicasts */
	flip_adr_t allprv, allpub;	/* BB sends, recovery */
	flip_adr_t meprv, mepub;	/* point to point */
	flip_adr_t rpcaddr;		/* owner's RPC address (grp_forward) */
	int ifno, ep_me, ep_g, ep_all, ep_null;
	uint8_t relocate;		/* GRP_RELOC_*: locate again first */
	/* membership */
	uint16_t myid, seqid, total, incarnation;
	struct grp_mem *mem;		/* [maxgroup] */
	/* order and history */
	uint32_t expect;		/* next seqno for grp_receive */
	uint32_t nextseqno;		/* next seqno to be accepted */
	uint32_t nexthist;		/* sequencer: next seqno to assign */
	uint32_t held;			/* contiguous held end (tentative too) */
	uint32_t minhist;		/* lowest seqno still kept */
	uint32_t stable;		/* every member holds all below */
	uint32_t seqacc;		/* member: accepted end heard from seq */
	uint32_t known;			/* member: highest seqno end heard */
	uint32_t heirseq;		/* member: a LEAVE of the sequencer held */
	uint32_t takeover;		/* new sequencer: its predecessor's LEAVE */
	struct grp_hist *hist;		/* [nbuf] ring, by seqno mod nbuf */
	struct grp_bb *bb;		/* [maxgroup] BB requests buffered */
	uint32_t messid;		/* my last message id */
	/* operations in progress */
	struct grp_call *op;		/* join/send/leave (one at a time) */
	struct grp_call *recv;		/* a waiting grp_receive */
	struct grp_call *reset;		/* a running grp_reset */
	uint8_t *req;			/* op's request packet (for resends) */
	uint32_t reqlen;		/* ... its length */
	uint8_t reqtype;		/* ... its type */
	uint8_t reqbb;			/* ... goes by the BB method */
	uint8_t opwait;			/* leave: wait for the successor's ACK */
	uint16_t succ;			/* left sequencer: that successor */
	uint32_t reqtimer;		/* op: next resend */
	uint32_t reqtries;		/* op: resends left */
	uint32_t reqsent;		/* op: when it was last sent */
	uint32_t reqfirst;		/* op: when it was first sent */
	uint8_t reqresent;		/* op: sent more than once (Karn) */
	int32_t srtt, rttvar;		/* request -> accept time, x8 and x4 */
	/* timers */
	uint32_t rtnext;		/* member: next RETRANS allowed */
	uint32_t syncnext;		/* sequencer: next SYNC */
	uint32_t alivenext;		/* next liveness check */
	uint32_t heardseq;		/* member: last packet from seq */
	uint32_t tentnext;		/* sequencer: re-multicast tentative */
	uint32_t fullsync;		/* sequencer: last SYNC for a full history */
	uint32_t lastorder;		/* sequencer: when it last gave a seqno */
	uint8_t tailsync;		/* sequencer: SYNC after it went quiet */
	uint32_t leftseq;		/* left: seqno of our LEAVE */
	uint32_t locstart;		/* join: when the first LOCATE went */
	uint32_t silent;		/* accepted since we last talked */
	uint32_t locnext;		/* join: next LOCATE */
	uint32_t locinterval;		/* join: its interval */
	uint16_t lochop;		/* join: LOCATE hop count */
	uint16_t loctries;		/* join: tries at max hops */
	/* recovery */
	uint16_t coord;			/* coordinator index */
	uint16_t newinc;		/* incarnation being formed */
	uint8_t rphase;			/* GRP_R_* */
	uint8_t rtries;			/* rounds left */
	uint32_t rtimer;		/* next round */
	uint32_t target;		/* new group: seqnos below are kept */
	uint32_t coordheld;		/* member: the coordinator's held end */
	uint16_t best;			/* coordinator: who to fetch from */
	uint8_t rhdr[GRP_HDR_SIZE];	/* coordinator: grp_reset's header */
	struct grp_reasm ra[GRP_NREASM];
};

/*
 * A member joined: FLIP's routes to the group addresses may still name
 * a dead member's node and miss the new one (the count of endpoints
 * then looks complete), so the next multicast to each invalidates them
 * and locates afresh.  (A LEAVE or a reset only drops members: a stale
 * route then costs a frame, not a member.)
 */
#define GRP_RELOC_G	0x01		/* g_addr */
#define GRP_RELOC_ALL	0x02		/* g_addr_all */

/* Group states. */
#define GRP_S_FREE	0
#define GRP_S_LOCATING	1		/* join: LOCATE until HEREIS */
#define GRP_S_JOINING	2		/* join: JOINREQ until JOIN */
#define GRP_S_NORMAL	3
#define GRP_S_RECOVER	4		/* failure seen: reset needed */
#define GRP_S_LEFT	5		/* left: drain, then gone */

/* Recovery phases. */
#define GRP_R_NONE	0
#define GRP_R_VOTING	1		/* coordinator: REFORMREQ, votes */
#define GRP_R_FETCH	2		/* coordinator: RETRANS of the gap */
#define GRP_R_RESULT	3		/* coordinator: RESULT until acked */
#define GRP_R_VOTED	4		/* member: voted for g->coord */

struct grp_stats {			/* counters for tests and sys server */
	uint32_t ordered, accepted, delivered, retrans_req, retrans_sent;
	uint32_t syncs, states, dup_dropped, bad, full, resets, alivereqs;
	uint32_t tentative, acks, bb;
};

struct grp_node {
	struct flip_switch *sw;		/* FLIP instance */
	struct grp_group *groups[GRP_NGROUP];	/* by gid */
	struct grp_stats st;
};

/* ---- setup --------------------------------------------------------------- */

/* grp_node_init - the group layer of a node on switch sw. */
errstat grp_node_init(struct grp_node *gn, struct flip_switch *sw);
/* grp_node_fini - destroy every group (host tests, shutdown). */
void grp_node_fini(struct grp_node *gn);

/* ---- the calls (Amoeba's grp_*; see the file head for the shape) --------- */

/*
 * grp_create - a new group on port p with the caller as member 0 and
 * sequencer; lognbuf/logmaxmess are log2 of the history size and of the
 * largest message.  Returns gid >= 0, or BC_BADPORT, STD_EXISTS,
 * STD_ARGBAD, BC_TOOMANY, STD_NOMEM.  Completes at once.
 */
int32_t grp_create(struct grp_node *gn, void *owner, const port *p,
		   uint32_t resilience, uint32_t maxgroup, uint32_t lognbuf,
		   uint32_t logmaxmess, const flip_adr_t *rpcaddr);

/* grp_join_start - locate the group of hdr->h_port and join it. */
errstat grp_join_start(struct grp_node *gn, void *owner, struct grp_call *c,
		       const header *hdr, const flip_adr_t *rpcaddr);
/* grp_join_finish - after c->done: gid, or BC_NOEXIST, BC_TOOMANY ... */
int32_t grp_join_finish(struct grp_call *c);

/* grp_send_start - send hdr + n bytes (n <= 2^logmaxmess: BC_TOOBIG). */
errstat grp_send_start(struct grp_node *gn, void *owner, int32_t gid,
		       struct grp_call *c, const header *hdr, const void *buf,
		       uint32_t n);
/* grp_send_finish - STD_OK once the message is in the order, BC_ABORT. */
errstat grp_send_finish(struct grp_call *c);

/* grp_receive_start - wait for the next message in the order. */
errstat grp_receive_start(struct grp_node *gn, void *owner, int32_t gid,
			  struct grp_call *c);
/*
 * grp_receive_finish - after c->done: copy the header and up to n data
 * bytes; returns the data length copied (truncated to n) or BC_ABORT.
 */
int32_t grp_receive_finish(struct grp_call *c, header *hdr, void *buf,
			   uint32_t n, int *more);

/* grp_leave_start - leave; hdr is delivered to all, the leaver too. */
errstat grp_leave_start(struct grp_node *gn, void *owner, int32_t gid,
			struct grp_call *c, const header *hdr);
errstat grp_leave_finish(struct grp_call *c);

/*
 * grp_reset_start - rebuild the group after BC_ABORT (else BC_ILLRESET);
 * hdr is delivered to the new group.  grp_reset_finish returns the new
 * size, or BC_FAIL when fewer than nmem members answered (the group
 * stays in recovery and the reset may be tried again).
 */
errstat grp_reset_start(struct grp_node *gn, void *owner, int32_t gid,
			struct grp_call *c, const header *hdr, uint32_t nmem);
int32_t grp_reset_finish(struct grp_call *c);

/* grp_info - the group's port, state and up to size member ids. */
errstat grp_info(struct grp_node *gn, void *owner, int32_t gid, port *p,
		 struct grp_state *st, uint32_t *memlist, uint32_t size);

/* grp_set - timers (ms, 0 = keep) and the PB/BB threshold (0 = keep). */
errstat grp_set(struct grp_node *gn, void *owner, int32_t gid,
		const port *p, interval sync, interval reply, interval alive,
		uint32_t large);

/*
 * grp_forward_addr - the RPC address of member memid, for grp_forward:
 * the system call sends the RPC FORWARD of the request being served
 * with it (rpc/ has no server-side FORWARD send yet).
 */
errstat grp_forward_addr(struct grp_node *gn, void *owner, int32_t gid,
			 const port *p, uint32_t memid, flip_adr_t *addr);

/*
 * grp_destroy - the owner went away without leaving: pending calls end
 * with BC_ABORT, the others are told (DEAD) and the group is freed.
 */
void grp_destroy(struct grp_node *gn, int32_t gid);

/* grp_destroy_owner - grp_destroy every group of owner (process exit). */
void grp_destroy_owner(struct grp_node *gn, void *owner);

/* grp_tick - run the timers; call every 10 ms or so. */
void grp_tick(struct grp_node *gn);

/* ---- FLIP upcalls (public for the fuzzers) ------------------------------- */
void grp_flip_receive(void *ident, const uint8_t *data, const flip_adr_t *dst,
		      const flip_adr_t *src, uint32_t messid, uint32_t offset,
		      uint32_t length, uint32_t total, int flags);
void grp_flip_notdeliver(void *ident, const uint8_t *data,
			 const flip_adr_t *dst, uint32_t messid,
			 uint32_t offset, uint32_t length, uint32_t total,
			 int flags);

#endif /* GRP_GRP_H */
