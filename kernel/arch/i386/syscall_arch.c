/*
 * syscall_arch.c - decode the system-call registers of
 * libamoeba/include/amoeba/syscall.h and call the machine-independent
 * handlers in kernel/syscall.c; the result goes back in EAX.
 */
#include <stdint.h>

#include "kernel/syscall.h"
#include "kernel/arch/i386/cpu.h"
#include <amoeba/syscall.h>
#include <stderr.h>

void
syscall_trap(struct trapframe *tf)
{
	int32_t r;

	switch (tf->trapno) {
	case VX_INT_GETREQ:
	case VX_INT_RPC_GETREQ:
		r = sys_getreq(tf->edi, tf->esi, tf->ebx,
			       tf->trapno == VX_INT_RPC_GETREQ);
		break;
	case VX_INT_PUTREP:
	case VX_INT_RPC_PUTREP:
		r = sys_putrep(tf->esi, tf->ecx, tf->ebx,
			       tf->trapno == VX_INT_RPC_PUTREP);
		break;
	case VX_INT_TRANS:
	case VX_INT_RPC_TRANS:
		r = sys_trans(tf->esi, tf->ebx, tf->ecx, tf->edi, tf->edx,
			      tf->ebp, tf->trapno == VX_INT_RPC_TRANS);
		break;
	case VX_INT_EXITTHREAD:
		sys_exitthread((int32_t)tf->ebx);
		r = 0;
		break;
	case VX_INT_TIMEOUT:
		r = sys_timeout((int32_t)tf->ebx);
		break;
	case VX_INT_NEWSYS:
		if (tf->esi == SYS_SIGRET) {	/* loads every register */
			arch_sigreturn(tf, tf->ebx);
			return;
		}
		r = sys_newsys(tf->esi, tf->ebx, tf->ecx, tf->edx, tf->edi);
		break;
	default:
		r = STD_COMBAD;
	}
	tf->eax = (uint32_t)r;
}
