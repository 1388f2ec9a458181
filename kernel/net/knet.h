/*
 * knet.h - the kernel's network stack around the portable protocols.
 *
 * kernel/net is a sandwich, as in lwIP's port layer:
 *   above  rpc_syscall.c  trans/getreq/putrep/timeout system calls
 *          rpc_amoeba.c   Amoeba's module/rpc.h API for kernel code
 *   stack  knet.c         one FLIP switch, one RPC node, one group node,
 *                         the timer thread that drives them, each
 *                         thread's call object and the blocking calls
 *                         for kernel threads
 *          grp_amoeba.c   Amoeba's group calls (group.h) for kernel code
 *                         and for the system calls (grp_syscall.c)
 *   below  flip_port.c    flip/flip_port.h for the kernel
 *          knet_nic.c     every NIC becomes a FLIP network
 * The protocols themselves (flip/, rpc/) know nothing of the kernel.
 *
 * Concurrency: the kernel is non-preemptive and the flip/ and rpc/ cores
 * never block, so every call into them runs to completion without another
 * thread entering: that is the "network lock" flip_port.h asks for.  NIC
 * interrupt handlers never call FLIP; frames reach it from the drivers'
 * interrupt threads.
 */
#ifndef KERNEL_NET_KNET_H
#define KERNEL_NET_KNET_H

#include <stdint.h>

#include <amoeba.h>
#include "flip/flip.h"
#include "grp/grp.h"
#include "rpc/rpc.h"

extern struct flip_switch knet_sw;
extern struct rpc_node knet_rpc;
extern struct grp_node knet_grp;

/* knet_init: the switch, the RPC node, their timer, the exit hooks. */
void knet_init(void);
/* knet_attach: a NIC joins FLIP; returns the network number or < 0. */
int knet_attach(const struct flip_netops *ops, void *drv,
		const uint8_t mac[6], int nrcv);
void knet_input(int ntw, const uint8_t *frame, uint32_t len);
/* knet_attach_nics: attach every NIC the drivers registered. */
void knet_attach_nics(void);

/* knet_call: the calling thread's call object, made on first use; NULL
 * when out of memory. */
struct rpc_call *knet_call(void);
/* knet_end_call: after RPC_ABORTED, abandon the thread's call object. */
void knet_end_call(void);
/* knet_rpcaddr: the calling thread's process FLIP address (or NULL). */
const flip_adr_t *knet_rpcaddr(void);
/* knet_serves: 1 if a thread of this node listens on (or serves a
 * request of) put-port pub, as a FLIP locate would find it; else 0. */
int knet_serves(const port *pub);
/* knet_owner: the calling thread's group owner cookie (its process). */
void *knet_owner(void);

/* sys_grp: the group system calls (grp_syscall.c), SYS_GRP_* codes with
 * raw arguments; knet_init registers them with the core. */
int32_t sys_grp(uint32_t code, uint32_t a1, uint32_t a2, uint32_t a3,
		uint32_t a4);

/* rpc_syscall_init: register the RPC traps (rpc_syscall.c) with the
 * core; after knet_init. */
void rpc_syscall_init(void);

/* Blocking RPC for kernel threads (kernel servers, tests). */
int32_t ktrans(const header *req, const void *rbuf, uint32_t rn, header *rep,
	       void *pbuf, uint32_t pn);
int32_t kgetreq(header *h, void *buf, uint32_t n);
errstat kputrep(const header *h, const void *buf, uint32_t n);
interval ktimeout(interval ms);

#endif /* KERNEL_NET_KNET_H */
