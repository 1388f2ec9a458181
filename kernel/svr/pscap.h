/*
 * pscap.h - a process's capability (spec 8.5): the process server's port
 * (shared with the segments), object ('P' << 16) | pid, the rights asked
 * for, protected by the process's check field.  Shared by the process
 * server (psvr.c) and the checkpoint code (psckpt.c), which both hand
 * process capabilities out, so neither calls the other for it; the
 * device grants (devsvr.c) decode one to say what a process holds.
 */
#ifndef KERNEL_SVR_PSCAP_H
#define KERNEL_SVR_PSCAP_H

#include "kernel/proc.h"
#include "kernel/seg.h"
#include <module/prv.h>

static inline void
pscap_encode(const struct proc *p, rights_bits rights, capability *cap)
{
	cap->cap_port = seg_server_port;
	prv_encode(&cap->cap_priv, ('P' << 16) | p->pid, rights, &p->check);
}

/* pscap_decode: the live process priv names (checked), its rights in *r;
 * NULL if none. */
static inline struct proc *
pscap_decode(const private *priv, rights_bits *r)
{
	objnum obj = prv_number(priv);
	struct proc *p;

	if ((obj >> 16) != 'P')
		return NULL;
	p = proc_by_pid(obj & 0xFFFF);
	if (p == NULL || p->state != PS_LIVE ||
	    prv_decode(priv, r, &p->check) < 0)
		return NULL;
	return p;
}

#endif /* KERNEL_SVR_PSCAP_H */
