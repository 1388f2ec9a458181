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
#include "kernel/arch/vm.h"
#include "kernel/proc.h"
#include "kernel/svr/ksvr.h"
#include "kernel/svr/pssig.h"
#include "kernel/thread.h"
#include <stderr.h>

#define SV_SIZE	16u	/* a sig_vector in user memory: type, pc, arg3, arg4 */

/* The 32-bit word at va (any alignment) of p's memory; false if unmapped. */
static bool
peek32(struct proc *p, uint32_t va, int32_t *out)
{
	uint32_t w = 0;

	for (uint32_t i = 0; i < 4; i++) {
		uint32_t pa = vm_translate(p->pgdir, va + i, false);

		if (pa == 0)
			return false;
		w |= (uint32_t)*(const volatile uint8_t *)pa << (8 * i);
	}
	*out = (int32_t)w;
	return true;
}

/* Has thread t of p a catcher for sig (an entry sv_type == sig, sv_pc != 0)? */
static bool
thread_catches(struct proc *p, const struct thread *t, int32_t sig)
{
	for (uint32_t i = 0; i < t->nsigvec; i++) {
		uint32_t va = t->sigvec + i * SV_SIZE;
		int32_t type, pc;

		if (!peek32(p, va, &type) || !peek32(p, va + 4, &pc))
			return false;
		if (type == sig && pc != 0)
			return true;
	}
	return false;
}

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
		if (thread_catches(p, t, sig))
			list[n++] = t;
	arch_irq_restore(f);
	if (n == 0)
		return psckpt_stun(p, sig);	/* Amoeba's default */
	for (int i = 0; i < n; i++)
		thread_signal(list[i], sig);
	return STD_OK;
}
