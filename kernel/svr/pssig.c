/*
 * pssig.c - signals to a process from outside it (PS_SIGNAL, a VX
 * command of the process server; server/process/proc.h).
 *
 * Amoeba's signals stay inside a process (sig_raise) and its kill goes
 * through a stun; PS_SIGNAL lets a program on any node raise a signal
 * in a process it holds the capability of.  Every thread that has a
 * catcher for the signal in its vector (sys_setvec) gets it as from
 * sig_raise; threads without one are unaffected, as in Amoeba.  If no
 * thread catches it, the process is stunned with the signal as detail,
 * which is what Amoeba's default action for an uncaught signal does
 * (libajax's kill stuns through the session server).
 *
 * Entry point: pssig_signal.  Concurrency: runs in a server thread of
 * the non-preemptive kernel; the target's threads cannot run between
 * the look at their vectors and the signal, and the thread list is
 * walked with interrupts off, as sys_sigraise does.
 */
#include "kernel/arch/arch.h"
#include "kernel/proc.h"
#include "kernel/svr/ksvr.h"
#include "kernel/svr/pssig.h"
#include "kernel/thread.h"
#include <stderr.h>

errstat
pssig_signal(struct proc *p, int32 sig)
{
	struct thread *list[PROC_MAXTHREAD];
	int n = 0;
	uint32_t f;

	if (sig <= 0)
		return STD_ARGBAD;	/* exceptions come from the CPU */
	f = arch_irq_save();
	for (struct thread *t = p->threads; t && n < PROC_MAXTHREAD;
	     t = t->pnext)
		if (arch_thread_catches(t, sig))
			list[n++] = t;
	arch_irq_restore(f);
	if (n == 0)
		return psckpt_stun(p, sig);	/* Amoeba's default */
	for (int i = 0; i < n; i++)
		thread_signal(list[i], sig);
	return STD_OK;
}
