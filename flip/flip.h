/*
 * flip.h - FLIP, the Fast Local Internet Protocol (spec 2): addresses,
 * the packet switch that networks register with, and the endpoint
 * ("FLIP box") interface the RPC and group layers use.
 *
 * One struct flip_switch is one node's FLIP instance; several can live in
 * one process (the host simulator runs many).  All state is inside it.
 *
 * Concurrency: see flip_port.h.  Every entry point below must be called
 * with the system's network lock held; upcalls (receive/notdeliver) run
 * with it held too and may call flip_unicast/flip_broadcast again (local
 * deliveries made from inside an upcall are queued and run after it).
 *
 * Entry points: flip_sw_init, flip_net_attach, flip_net_input, flip_tick,
 * flip_init, flip_end, flip_register, flip_unregister, flip_unicast,
 * flip_multicast, flip_broadcast, flip_oneway, flip_adr_random.
 */
#ifndef FLIP_FLIP_H
#define FLIP_FLIP_H

#include <stdint.h>
#include <stddef.h>
#include <stderr.h>

typedef struct {
	uint8_t a_abytes[8];	/* bytes 0..6 address, byte 7 a_space */
} flip_adr_t;
_Static_assert(sizeof(flip_adr_t) == 8, "FLIP address is 8 bytes");

typedef struct {
	uint8_t l_bytes[8];	/* Ethernet: MAC in 0..5, 6..7 zero */
} flip_loc_t;
_Static_assert(sizeof(flip_loc_t) == 8, "FLIP location is 8 bytes");

/* Hardware multicast state of a remote location (struct flip_route). */
#define FLIP_MC_UNKNOWN	0	/* not asked */
#define FLIP_MC_ASKED	1	/* FC_MCREQ sent */
#define FLIP_MC_ACK	2	/* listens to the group's multicast MAC */
#define FLIP_MC_NAK	3	/* cannot listen */

/* API flags (input and upcall output). */
#define FLIP_INVAL	0x1	/* invalidate the route and relocate */
#define FLIP_SYNC	0x2	/* (accepted; sends are never deferred here) */
#define FLIP_SECURITY	0x4	/* trusted networks only */
#define FLIP_SKIP_SRC	0x8	/* multicast: not delivered at the source */
#define FLIP_NOTHERE	0x10	/* output: came back as NOTHERE */
#define FLIP_UNTRUSTED	0x20	/* output: untrusted path */
/*
 * Input, unicast: the caller keeps pkt unchanged until flip_msg_pending()
 * says 0 or it calls flip_cancel(); FLIP then queues fragments waiting
 * for credits by reference instead of copying the message.
 */
#define FLIP_BORROW	0x40

/* Return codes: FLIP_OK, or the FLIP_* errors of stderr.h (-40 ..). */
#define FLIP_OK		STD_OK

/* Configuration (spec 2.4, 2.6, 2.7; sized for a small kernel). */
#define FLIP_NNET	6	/* networks incl. the local interface (0) */
#define FLIP_NIF	16	/* interfaces */
#define FLIP_NEP	64	/* registered endpoints, all interfaces */
#define FLIP_NROUTE	600	/* location records in the routing table */
#define FLIP_NRHASH	256	/* routing hash buckets */
#define FLIP_NPIN	128	/* addresses pinned in the routing table */
#define FLIP_NLOOP	1024	/* loop-detection cache */
#define FLIP_NPLOC	32	/* pending locates */
#define FLIP_NFLOC	64	/* flow-control location records */
#define FLIP_MAX_HOPS	25
#define FLIP_ETH_WEIGHT	3
#define FLIP_LOCTIMEOUT	100	/* ms between locate retries */
#define FLIP_RT_SWEEP	25000	/* routing-table aging interval, ms */
#define FLIP_BC_LIMIT	100	/* broadcasts per network per second */
#define FLIP_CREDITTIMER 2000	/* ms before asking for credits */
#define FLIP_MAXTRIAL	5	/* credit requests before giving up */
#define FLIP_FC_SWEEP	500	/* flow-control sweeper interval, ms */
#define FLIP_FC_IDLE	300000	/* forget an idle location after, ms */
#define FLIP_WINDOW_MAX	64	/* largest credit window we grant */

/* Upcall: one packet (fragment) of a message arrived for an endpoint. */
typedef void (*flip_receive_fn)(void *ident, const uint8_t *data,
				const flip_adr_t *dst, const flip_adr_t *src,
				uint32_t messid, uint32_t offset,
				uint32_t length, uint32_t total, int flags);
/* Upcall: a packet bounced (FLIP_NOTHERE/UNTRUSTED) or a locate failed. */
typedef void (*flip_notdeliver_fn)(void *ident, const uint8_t *data,
				   const flip_adr_t *dst, uint32_t messid,
				   uint32_t offset, uint32_t length,
				   uint32_t total, int flags);

/* What a network driver gives the switch. */
struct flip_netops {
	/*
	 * Transmit one complete Ethernet frame (header included, padded to
	 * at least 60 bytes, at most 1514).  Must copy or send the frame
	 * before returning; must not call back into FLIP.
	 */
	void (*send)(void *drv, const uint8_t *frame, size_t len);
	/*
	 * Optional (NULL: send only): the same for a frame made of hdr
	 * (hlen bytes) then data (dlen bytes), hlen + dlen in 60..1514, so
	 * a fragment's payload need not be copied into a scratch frame.
	 * more != 0: more frames follow at once, then a flush; the driver
	 * may hold this one back until then.
	 */
	void (*send2)(void *drv, const uint8_t *hdr, size_t hlen,
		      const uint8_t *data, size_t dlen, int more);
	/* Optional: transmit what send2 held back (more != 0). */
	void (*flush)(void *drv);
	/*
	 * Optional (NULL: no hardware multicast): also receive frames sent
	 * to multicast MAC mac.  Returns 0 on success.
	 */
	int (*mcast)(void *drv, const uint8_t mac[6]);
};

struct flip_net {			/* one attached network */
	const struct flip_netops *ops;	/* driver ops; NULL = free slot */
	void *drv;			/* driver's context */
	flip_loc_t myloc;		/* own MAC as a location */
	uint16_t weight;		/* hop cost */
	uint8_t trusted;		/* 0 = untrusted network */
	uint8_t ncredit;		/* initial credits per location */
	uint8_t window;			/* credits we grant (>= ncredit) */
	uint16_t nbcast;		/* broadcasts seen this second */
	uint32_t mtu;			/* FLIP data bytes per frame */
	uint8_t burst;			/* in a burst (flip_fc_pump, a
					   fragmented packet): send2 more */
};

struct flip_route {			/* one location of one address */
	flip_adr_t addr;		/* the (public) address */
	flip_loc_t loc;			/* where (remote) */
	int16_t next;			/* hash chain, -1 = end */
	uint8_t used;			/* slot in use */
	uint8_t ntw;			/* network, 0 = local interface */
	uint8_t local;			/* registered here; never aged */
	uint8_t trusted;		/* reached over trusted networks */
	uint8_t mcast;			/* FLIP_MC_*: hardware multicast state */
	uint16_t hop;			/* distance */
	uint16_t count;			/* endpoints behind this location */
	uint16_t tcount;		/* ... of which trusted */
	uint32_t idle;			/* sweeps since last (re)install */
	uint32_t last;			/* ms of the last (re)install */
};

struct flip_pin {			/* an address transactions depend on */
	flip_adr_t addr;
	uint16_t refs;			/* 0 = slot free */
};

struct flip_ep {			/* a registered endpoint */
	uint8_t used;			/* slot in use */
	int8_t ifno;			/* owning interface */
	flip_adr_t prv;			/* private address */
	flip_adr_t pub;			/* G(prv), or null for broadcasts */
};

struct flip_if {			/* an open interface */
	void *ident;			/* owner's cookie for upcalls */
	flip_receive_fn receive;	/* NULL = free slot */
	flip_notdeliver_fn notdeliver;	/* bounce / failure upcall */
	uint32_t messid;		/* next message id */
	uint32_t lastmsg;		/* id of the latest data message */
};

struct flip_qmsg;			/* queued message (flip_switch.c) */

struct flip_ploc {			/* a pending locate */
	uint8_t used;			/* slot in use */
	uint8_t secure;			/* trusted routes only */
	uint8_t unsafe;			/* saw only untrusted routes */
	uint16_t need;			/* multicast: locations wanted, else 0 */
	int8_t ifno;			/* interface that asked */
	int16_t ep;			/* source endpoint */
	flip_adr_t dst;			/* address being located */
	uint16_t hop;			/* current max_hop */
	uint8_t tries;			/* tries at this hop count */
	uint32_t interval;		/* ms to next retry */
	uint32_t next;			/* time of next retry */
	int32_t budget;			/* ms left */
	struct flip_qmsg *q, *qtail;	/* messages waiting for the route */
};

struct flip_floc {			/* flow control per (network, location) */
	uint8_t used;			/* slot in use */
	uint8_t ntw;			/* network */
	uint8_t trials;			/* REQCREDITs sent without answer */
	flip_loc_t loc;			/* remote location */
	int16_t mycredit;		/* fragments we may still send */
	int16_t released;		/* received fragments not yet credited */
	uint8_t granted;		/* extra window credits were granted */
	uint32_t last;			/* last activity */
	uint32_t waitsince;		/* start of waiting for credits */
	int16_t sincereq;		/* fragments sent since our REQCREDIT */
	uint8_t reqout;			/* our REQCREDIT awaits its ABSCREDIT */
	flip_adr_t lastdst;		/* round-robin: address served last */
	struct flip_qmsg *q, *qtail;	/* fragments waiting for credits */
};

struct flip_loopent {			/* loop-detection cache entry */
	flip_adr_t src;
	uint32_t messid;
	uint32_t offset;
	uint8_t used;
};

struct flip_stats {			/* counters for tests and sys server */
	uint32_t rx_frames, tx_frames, rx_bad, dropped_hop, dropped_loop;
	uint32_t dropped_rate, nothere, fc_queued, fc_maxq, fc_reqcredit;
	uint32_t locates_sent, routes_aged;
};

struct flip_switch {
	struct flip_net net[FLIP_NNET];		/* [0] = local interface */
	struct flip_route rt[FLIP_NROUTE];	/* routing table */
	int16_t rthash[FLIP_NRHASH];		/* bucket heads */
	struct flip_pin pins[FLIP_NPIN];	/* routes never purged */
	struct flip_if ifs[FLIP_NIF];
	struct flip_ep eps[FLIP_NEP];
	struct flip_ploc ploc[FLIP_NPLOC];
	struct flip_floc floc[FLIP_NFLOC];
	uint8_t floc_hint;			/* floc[] found last: tried first */
	struct flip_loopent loop[FLIP_NLOOP];
	uint16_t max_hops;			/* FLIP_MAX_HOPS */
	uint32_t messid;			/* switch-generated messages */
	uint32_t last_rtsweep, last_bcsweep, last_fcsweep, last_locsweep;
	int in_upcall;				/* local deliveries queue */
	struct flip_qmsg *lq, *lqtail;		/* queued local deliveries */
	uint8_t frame[1536];			/* transmit scratch */
	uint8_t borrow;				/* current send is FLIP_BORROW */
	struct flip_stats st;
};

/* ---- switch and networks ------------------------------------------------ */

/*
 * flip_rt_pin / flip_rt_unpin - a transaction depends on the routes to
 * address a: while pinned (counted), no record of a is purged to make
 * room or aged out.  Pinning fails silently when FLIP_NPIN addresses are
 * pinned already (the routes are then only as safe as recent use).
 */
void flip_rt_pin(struct flip_switch *sw, const flip_adr_t *a);
void flip_rt_unpin(struct flip_switch *sw, const flip_adr_t *a);

/* flip_sw_init - initialise a switch (max_hops 0 = FLIP_MAX_HOPS). */
void flip_sw_init(struct flip_switch *sw, int max_hops);

/* flip_sw_fini - free every queued packet (host tests, shutdown). */
void flip_sw_fini(struct flip_switch *sw);

/*
 * flip_net_attach - register an Ethernet network: ops and driver
 * context, own MAC, weight (FLIP_ETH_WEIGHT), trusted flag and the
 * driver's receive-buffer count (for the credit scheme).  Returns the
 * network number (1 ..) or FLIP_FAIL.
 */
int flip_net_attach(struct flip_switch *sw, const struct flip_netops *ops,
		    void *drv, const uint8_t mac[6], int weight, int trusted,
		    int nrcv);

/* flip_net_detach - forget a network and every route over it. */
void flip_net_detach(struct flip_switch *sw, int ntw);

/*
 * flip_net_input - one received Ethernet frame (header included, FCS
 * stripped) from network ntw.  Anything malformed is dropped.  The frame
 * is only read during the call.
 */
void flip_net_input(struct flip_switch *sw, int ntw, const uint8_t *frame,
		    size_t len);

/* flip_tick - run timers; call every 10 ms or so. */
void flip_tick(struct flip_switch *sw);

/* ---- endpoint interface ("FLIP box") ----------------------------------- */

/* flip_init - open an interface; returns ifno >= 0 or FLIP_FAIL. */
int flip_init(struct flip_switch *sw, void *ident, flip_receive_fn receive,
	      flip_notdeliver_fn notdeliver);

/* flip_end - close an interface and its endpoints. */
void flip_end(struct flip_switch *sw, int ifno);

/*
 * flip_register - register private address prv (null = receive
 * broadcasts); installs G(prv) as a local route.  Returns ep >= 0 or
 * FLIP_FAIL.
 */
int flip_register(struct flip_switch *sw, int ifno, const flip_adr_t *prv);

/* flip_unregister - remove an endpoint and its local route. */
void flip_unregister(struct flip_switch *sw, int ifno, int ep);

/* flip_ep_pub - the public address of endpoint ep (null if unknown). */
const flip_adr_t *flip_ep_pub(struct flip_switch *sw, int ep);

/*
 * flip_unicast - send a message of len bytes from endpoint ep to dst.
 * Local destinations are delivered without a network; long messages are
 * fragmented.  If the route is unknown (or FLIP_INVAL), a copy is queued
 * and located for up to ltime ms (ltime <= 0: FLIP_TIMEOUT at once).
 * Returns FLIP_OK (sent or queued) or a FLIP_* error.  pkt is only read
 * during the call.
 */
int flip_unicast(struct flip_switch *sw, int ifno, const void *pkt,
		 uint32_t len, int flags, const flip_adr_t *dst, int ep,
		 int32_t ltime);

/*
 * flip_multicast - send a MULTIDATA to every known location of dst once
 * at least n endpoints (HEREIS counts) are known, locating for up to
 * ltime ms otherwise.  Other local interfaces registered on dst get it
 * too unless FLIP_SKIP_SRC.  Remote copies go as one frame to the
 * address's multicast MAC when every location on that network listens
 * to it (FC_MCREQ/MCACK; a driver without the mcast op answers MCNAK),
 * else per location (Ethernet unicast).
 */
int flip_multicast(struct flip_switch *sw, int ifno, const void *pkt,
		   uint32_t len, int flags, const flip_adr_t *dst, int ep,
		   int n, int32_t ltime);

/*
 * flip_broadcast - deliver to the other local interfaces that registered
 * the null address and, if hopcnt > 0, send a MULTIDATA to the null
 * address with max_hop = hopcnt.
 */
int flip_broadcast(struct flip_switch *sw, int ifno, const void *pkt,
		   uint32_t len, int ep, int hopcnt);


/* flip_msg_pending - the same for message messid to dst only. */
uint32_t flip_msg_pending(struct flip_switch *sw, const flip_adr_t *dst,
			  uint32_t messid);

/* flip_last_messid - the message id of interface ifno's latest send. */
uint32_t flip_last_messid(struct flip_switch *sw, int ifno);

/*
 * flip_cancel - forget what is still queued of message messid to dst
 * (a retransmission replaces it).  Fragments already sent stay sent.
 */
void flip_cancel(struct flip_switch *sw, const flip_adr_t *dst,
		 uint32_t messid);

/* ---- addresses ---------------------------------------------------------- */

/* flip_oneway - G: the public address of a private address (spec 2.1). */
void flip_oneway(const flip_adr_t *prv, flip_adr_t *pub);

/* flip_adr_random - a random private address with a_space 0. */
void flip_adr_random(flip_adr_t *a);

/*
 * 8-byte compares as two 32-bit words: these run several times per
 * received fragment, and byte loops are slow under emulation.
 */
static inline uint64_t
flip_8bytes(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, 8);
	return v;
}

static inline int
flip_adr_null(const flip_adr_t *a)
{
	return flip_8bytes(a->a_abytes) == 0;
}

static inline int
flip_adr_eq(const flip_adr_t *a, const flip_adr_t *b)
{
	return flip_8bytes(a->a_abytes) == flip_8bytes(b->a_abytes);
}

/* flip_loc_eq - the same for locations. */
static inline int
flip_loc_eq(const flip_loc_t *a, const flip_loc_t *b)
{
	return flip_8bytes(a->l_bytes) == flip_8bytes(b->l_bytes);
}

#endif /* FLIP_FLIP_H */
