/*
 * knet.h - the kernel's network stack: one FLIP switch, one RPC node,
 * the timer thread that drives both, and blocking RPC for kernel threads.
 *
 * Concurrency: the kernel is non-preemptive and the flip/ and rpc/ cores
 * never block, so every call into them runs to completion without another
 * thread entering: that is the "network lock" flip_port.h asks for.  NIC
 * interrupt handlers never call FLIP; frames reach it from the drivers'
 * interrupt threads.
 */
#ifndef KERNEL_INCLUDE_KNET_H
#define KERNEL_INCLUDE_KNET_H

#include <stdint.h>

#include <amoeba.h>
#include "flip/flip.h"
#include "rpc/rpc.h"

extern struct flip_switch knet_sw;
extern struct rpc_node knet_rpc;

void knet_init(void);
/* knet_attach: a NIC joins FLIP; returns the network number or < 0. */
int knet_attach(const struct flip_netops *ops, void *drv,
		const uint8_t mac[6], int nrcv);
void knet_input(int ntw, const uint8_t *frame, uint32_t len);
/* knet_attach_nics: attach every NIC the drivers registered. */
void knet_attach_nics(void);

/* Blocking RPC for kernel threads (kernel servers, tests). */
int32_t ktrans(const header *req, const void *rbuf, uint32_t rn, header *rep,
	       void *pbuf, uint32_t pn);
int32_t kgetreq(header *h, void *buf, uint32_t n);
errstat kputrep(const header *h, const void *buf, uint32_t n);
interval ktimeout(interval ms);

struct thread;
struct proc;
/* knet_thread_gone / knet_proc_gone: release RPC state at exit. */
void knet_thread_gone(struct thread *t);
void knet_proc_gone(struct proc *p);

#endif /* KERNEL_INCLUDE_KNET_H */
