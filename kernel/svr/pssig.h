/*
 * pssig.h - signals to a process from outside it (pssig.c), for the
 * process server's PS_SIGNAL.
 */
#ifndef KERNEL_SVR_PSSIG_H
#define KERNEL_SVR_PSSIG_H

#include <amoeba.h>

struct proc;

/*
 * pssig_signal: raise sig (> 0) in every thread of p that catches it;
 * if none does, stun p with sig as detail (psckpt_stun).  STD_ARGBAD
 * for sig <= 0.  Caller: a kernel server thread; p is live.
 */
errstat pssig_signal(struct proc *p, int32 sig);

#endif /* KERNEL_SVR_PSSIG_H */
