/*
 * syscall_arch.c - decode the system-call registers of
 * libamoeba/include/amoeba/syscall.h and call the machine-independent
 * handlers in kernel/syscall.c (the RPC traps through the table that
 * kernel/net fills, sys_trap); the result goes back in EAX.
 * A blocking call (getreq, trans, mutex wait, sleep, the local IPC's
 * waits for a request or for a server) that a stun
 * interrupted is rewound: eip goes back over the 2-byte int instruction
 * and eax is left as it was (no handler writes the frame: the registers
 * are still those the call was entered with), so that the
 * thread, checkpointed and resumed here or on another node, makes the
 * call again (a getreq listens again, a sleep starts over).
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"
#include "kernel/thread.h"
#include "kernel/arch/i386/cpu.h"
#include <amoeba/syscall.h>
#include <stderr.h>

/* Was call tf (result r) interrupted by a stun, so that it must restart? */
static bool
stun_restart(const struct trapframe *tf, int32_t r)
{
	struct thread *t = thread_current();

	if (t->proc == NULL || !t->proc->stun || !t->killed)
		return false;
	switch (tf->trapno) {
	case VX_INT_GETREQ:
	case VX_INT_RPC_GETREQ:
	case VX_INT_TRANS:
	case VX_INT_RPC_TRANS:
		return r < 0;
	case VX_INT_NEWSYS:
		return (tf->esi == SYS_MU_WAIT && r != 0) ||
		       tf->esi == SYS_SLEEP ||
		       /* local IPC: a wait for a request, or for a server */
		       ((tf->esi == SYS_LIPC_GETREQ ||
			 tf->esi == SYS_LIPC_REPLYGET) && r < 0) ||
		       (tf->esi == SYS_LIPC_TRANS && r == RPC_ABORTED);
	default:
		return false;
	}
}

void
syscall_trap(struct trapframe *tf)
{
	int32_t r;

	switch (tf->trapno) {
	case VX_INT_GETREQ:
	case VX_INT_RPC_GETREQ:
		r = sys_trap(SYS_TRAP_GETREQ,
			     (const uint32_t[]){ tf->edi, tf->esi, tf->ebx },
			     tf->trapno == VX_INT_RPC_GETREQ);
		break;
	case VX_INT_PUTREP:
	case VX_INT_RPC_PUTREP:
		r = sys_trap(SYS_TRAP_PUTREP,
			     (const uint32_t[]){ tf->esi, tf->ecx, tf->ebx },
			     tf->trapno == VX_INT_RPC_PUTREP);
		break;
	case VX_INT_TRANS:
	case VX_INT_RPC_TRANS:
		r = sys_trap(SYS_TRAP_TRANS,
			     (const uint32_t[]){ tf->esi, tf->ebx, tf->ecx,
						 tf->edi, tf->edx, tf->ebp },
			     tf->trapno == VX_INT_RPC_TRANS);
		break;
	case VX_INT_EXITTHREAD:
		sys_exitthread((int32_t)tf->ebx);
		r = 0;
		break;
	case VX_INT_TIMEOUT:
		r = sys_trap(SYS_TRAP_TIMEOUT, (const uint32_t[]){ tf->ebx },
			     false);
		break;
	case VX_INT_NEWSYS:
		if (tf->esi == SYS_SIGRET) {	/* loads every register */
			arch_sigreturn(tf, tf->ebx);
			return;
		}
		if (tf->esi == SYS_GETINFO && thread_current()->proc != NULL) {
			struct thread *t = thread_current();	/* its own state */

			t->ustate[0] = (uint32_t)t->proc->pgdir;
			memcpy(&t->ustate[1], tf, 19 * sizeof(uint32_t));
			t->ustate[12] = 0;	/* eax: as if getinfo returned 0 */
			arch_fpu_save(t);
		}
		r = sys_newsys(tf->esi, tf->ebx, tf->ecx, tf->edx, tf->edi);
		break;
	default:
		r = STD_COMBAD;
	}
	if (stun_restart(tf, r)) {
		tf->eip -= 2;	/* int $n */
		return;
	}
	tf->eax = (uint32_t)r;
}
