/*
 * signal.c - entering and leaving a user thread's signal catcher on i386.
 *
 * A catcher is an entry of the thread's signal vector (sys_setvec; the
 * library's sig_catch fills it).  To deliver signal sig, the thread's
 * registers are pushed on its own user stack as a thread_ustate (fault.h,
 * the trap frame with one word before it), then the arguments, and the
 * thread goes on at sv_pc as sv_pc(sig, &ustate, sv_arg3, sv_arg4).
 * sys_sigret(&ustate) loads the registers back, with the segment
 * registers and the privileged EFLAGS bits forced to user values.
 *
 * Entry points: arch_signal_fault (an exception from user mode),
 * arch_signal_pending (before returning to user mode), arch_sigreturn,
 * arch_thread_catches.
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/arch.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/vm.h"
#include "kernel/proc.h"
#include "kernel/thread.h"
#include "kernel/uaccess.h"
#include <exception.h>
#include <stderr.h>

#define SV_SIZE		16u	/* sig_vector in the user's memory */
#define US_SIZE		80u	/* thread_ustate: memmap word + trap frame */
#define EFLAGS_USER	0x00000CD5u	/* CF PF AF ZF SF DF OF: the user's */

_Static_assert(sizeof(struct trapframe) + 4 == US_SIZE,
	       "thread_ustate is the trap frame and one word");

/* The catcher of sig in t's vector; false if it has none. */
static bool
find_catcher(struct thread *t, int32_t sig, int32_t v[4])
{
	for (uint32_t i = 0; i < t->nsigvec; i++) {
		if (copyin(v, t->sigvec + i * SV_SIZE, SV_SIZE) != STD_OK)
			return false;
		if (v[0] == sig && v[1] != 0)
			return true;
	}
	return false;
}

/* The 32-bit word at va (any alignment) of t's process; false if unmapped. */
static bool
peek32(const struct thread *t, uint32_t va, int32_t *out)
{
	uint32_t w = 0;

	for (uint32_t i = 0; i < 4; i++) {
		uint32_t pa = vm_translate(t->proc->pgdir, va + i, false);

		if (pa == 0)
			return false;
		w |= (uint32_t)*(const volatile uint8_t *)pa << (8 * i);
	}
	*out = (int32_t)w;
	return true;
}

bool
arch_thread_catches(struct thread *t, int32_t sig)
{
	if (t->proc == NULL)
		return false;
	for (uint32_t i = 0; i < t->nsigvec; i++) {
		uint32_t va = t->sigvec + i * SV_SIZE;
		int32_t type, pc;

		if (!peek32(t, va, &type) || !peek32(t, va + 4, &pc))
			return false;
		if (type == sig && pc != 0)
			return true;
	}
	return false;
}

/*
 * Push the registers (if_errcode = info) and the arguments; enter the
 * catcher.  False if there is none or the stack cannot take the frame.
 */
static bool
deliver(struct trapframe *tf, int32_t sig, uint32_t info)
{
	struct thread *t = thread_current();
	uint32_t us[US_SIZE / 4], args[5], sp;
	int32_t v[4];

	if (t->proc == NULL || !find_catcher(t, sig, v))
		return false;
	us[0] = 0;
	__builtin_memcpy(&us[1], tf, sizeof(*tf));
	us[1 + offsetof(struct trapframe, err) / 4] = info;
	sp = (tf->esp - US_SIZE) & ~15u;	/* catcher entry: esp + 4 aligned */
	args[0] = 0;			/* no return address: sys_sigret */
	args[1] = (uint32_t)sig;
	args[2] = sp;			/* &ustate */
	args[3] = (uint32_t)v[2];
	args[4] = (uint32_t)v[3];
	if (copyout(sp, us, US_SIZE) != STD_OK ||
	    copyout(sp - sizeof(args), args, sizeof(args)) != STD_OK)
		return false;
	tf->esp = sp - sizeof(args);
	tf->eip = (uint32_t)v[1];
	return true;
}

/* The Amoeba exception of a CPU trap. */
static int32_t
exception_of(uint32_t trapno, uint32_t err)
{
	switch (trapno) {
	case T_DIVIDE: return EXC_DIV;
	case T_BRKPT: return EXC_BPT;
	case T_ILLOP: return EXC_INS;
	case T_ALIGN: return EXC_ODD;
	case T_FPERR: case T_SIMDERR: return EXC_FPE;
	case T_PGFLT: return (err & 1) ? EXC_ACC : EXC_MEM;
	case T_GPFLT: case T_SEGNP: case T_STACK: return EXC_ACC;
	case T_OFLOW: case T_BOUND: return EXC_ARG;
	default: return EXC_ILL;
	}
}

/* info: the fault address of a page fault, else the error code. */
bool
arch_signal_fault(struct trapframe *tf, uint32_t info)
{
	return deliver(tf, exception_of(tf->trapno, tf->err), info);
}

void
arch_signal_pending(struct trapframe *tf)
{
	struct thread *t = thread_current();
	int32_t sig;

	if (t->proc == NULL || t->sigpending == 0)
		return;
	if (t->sigblocked && t->sigpending > 0)
		return;		/* exceptions are not blocked (Amoeba) */
	sig = t->sigpending;
	t->sigpending = 0;
	t->sigkick = false;
	(void)deliver(tf, sig, 0);	/* not caught: dropped */
}

void
arch_sigreturn(struct trapframe *tf, uint32_t uaddr)
{
	uint32_t us[US_SIZE / 4];
	struct trapframe n;

	if (copyin(us, uaddr, US_SIZE) != STD_OK) {
		tf->eax = (uint32_t)STD_ARGBAD;
		return;
	}
	__builtin_memcpy(&n, &us[1], sizeof(n));
	n.gs = n.fs = n.es = n.ds = n.ss = SEL_UDATA;
	n.cs = SEL_UCODE;
	n.eflags = (tf->eflags & ~EFLAGS_USER) | (n.eflags & EFLAGS_USER);
	n.trapno = tf->trapno;
	n.err = 0;
	n.esp_kernel = tf->esp_kernel;
	*tf = n;
}
