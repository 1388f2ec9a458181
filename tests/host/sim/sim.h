/*
 * sim.h - the host simulator: the flip_port implementation's controls
 * and a simulated Ethernet that carries frames between FLIP switches.
 *
 * Frames a switch sends are queued on the segment (never delivered
 * inside the send call, so there is no recursion between nodes);
 * sim_run() delivers queued frames and advances the simulated clock,
 * ticking every switch and RPC node.
 */
#ifndef TESTS_HOST_SIM_SIM_H
#define TESTS_HOST_SIM_SIM_H

#include <stdint.h>
#include <stddef.h>
#include "flip/flip.h"

/* ---- port controls (sim_port.c) ----------------------------------------- */
void sim_seed(uint64_t seed);
uint64_t sim_rand64(void);
void sim_set_time(uint32_t ms);
void sim_advance(uint32_t ms);
long sim_allocs(void);
void sim_set_wake_hook(void (*hook)(void *obj));
/*
 * sim_set_idle_hook - hook() runs at every step while a blocking call
 * (flip_port_sleep) runs the simulation: tests step their automatons
 * there.  A sleep longer than SIM_SLEEP_MS simulated ms is interrupted.
 */
void sim_set_idle_hook(int (*hook)(void));
#define SIM_SLEEP_MS	600000
/* sim_sigtrans - how often the protocol raised SIG_TRANS (port call). */
long sim_sigtrans(void);

/* ---- simulated Ethernet (sim_net.c) ------------------------------------- */
#define SIM_MAXNIC	16
#define SIM_NHELD	4	/* frames a NIC holds back for flush */

struct sim_seg;

struct sim_nic {			/* one NIC of one node on one segment */
	struct sim_seg *seg;		/* segment it is plugged into */
	struct flip_switch *sw;		/* owning switch */
	int ntw;			/* its network number in sw */
	uint8_t mac[6];			/* its MAC */
	int up;				/* 0 = unplugged (node "dead") */
	uint32_t maxq;			/* largest receive backlog seen */
	uint32_t backlog;		/* frames queued for this NIC */
	int nomcast;			/* 1: refuses multicast MACs */
	int nmc;			/* multicast MACs enabled */
	uint8_t mc[8][6];		/* ... which */
	int nheld;			/* frames send2 held back (more) */
	size_t heldlen[SIM_NHELD];	/* ... their lengths */
	uint8_t held[SIM_NHELD][1514];	/* ... and bytes, until flush */
};

struct sim_frame {
	struct sim_frame *next;
	struct sim_nic *to;		/* receiver */
	uint32_t due;			/* delayed duplicates: release time */
	size_t len;
	uint8_t data[1514];
};

struct sim_seg {
	struct sim_nic *nics[SIM_MAXNIC];
	int nnic;
	uint32_t loss_permille;		/* random frame loss */
	uint32_t dup_permille;		/* random delayed duplicates */
	uint32_t dup_delay;		/* ... delivered this many ms later */
	uint32_t sent, lost, dups;	/* counters */
	/* optional tap: return 0 to drop the frame */
	int (*tap)(struct sim_seg *seg, struct sim_nic *from,
		   const uint8_t *frame, size_t len);
};

/* sim_seg_init - an empty segment. */
void sim_seg_init(struct sim_seg *seg);

/* Receive buffers the next attached NICs announce (0 = 32). */
extern int sim_nrcv;

/* sim_nic_attach - plug switch sw into seg with mac; attaches to FLIP. */
int sim_nic_attach(struct sim_nic *nic, struct sim_seg *seg,
		   struct flip_switch *sw, const uint8_t mac[6], int trusted);

/* sim_nic_detach - unplug nic from its segment; its frames are dropped. */
void sim_nic_detach(struct sim_nic *nic);

/* sim_pending - frames in flight on all segments. */
int sim_pending(void);

/* sim_deliver_one - deliver the oldest frame; 0 if none. */
int sim_deliver_one(void);

/* sim_register_switch / sim_register_tick - things sim_run() ticks. */
void sim_register_switch(struct flip_switch *sw);
void sim_register_tick(void (*fn)(void *arg), void *arg);
/* sim_reset - forget switches, ticks and frames in flight. */
void sim_reset(void);

/*
 * sim_run - deliver every frame in flight, then advance the clock by
 * step ms and tick; repeat until ms have passed or until(arg) is true.
 * Returns 1 if until became true.
 */
int sim_run(uint32_t ms, uint32_t step, int (*until)(void *), void *arg);

/* sim_flush - deliver frames (no time passes) until none are left. */
void sim_flush(void);

#endif /* TESTS_HOST_SIM_SIM_H */
