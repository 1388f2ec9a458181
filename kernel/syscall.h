/*
 * syscall.h - the machine-independent system-call handlers.  Arguments
 * are raw user values; each handler checks them.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

#include <stderr.h>

int32_t sys_newsys(uint32_t code, uint32_t a1, uint32_t a2, uint32_t a3,
		   uint32_t a4);
void sys_exitthread(int32_t status);
/*
 * syscall_register - codes first..last of sys_newsys are served by fn
 * (raw arguments).  Subsystems above the core (the group calls in
 * kernel/net, device grants in kernel/svr/devsvr.c, the local IPC)
 * register their block when they start, so the core calls none of them
 * by name.
 */
typedef int32_t (*sys_block_fn)(uint32_t code, uint32_t a1, uint32_t a2,
				uint32_t a3, uint32_t a4);
void syscall_register(uint32_t first, uint32_t last, sys_block_fn fn);

/*
 * The RPC traps have vectors of their own (VX_INT_GETREQ ... in
 * amoeba/syscall.h); the arch decodes their registers into a[] in the
 * ABI's order, big = the rpc_* form (RPC_MAXDATA sizes).  kernel/net
 * registers the handlers at start (syscall_register_trap); until then,
 * or without the network, a trap returns STD_COMBAD.
 */
enum sys_trap {
	SYS_TRAP_GETREQ,	/* a[] = hdr, buf, cnt */
	SYS_TRAP_PUTREP,	/* a[] = hdr, buf, cnt */
	SYS_TRAP_TRANS,		/* a[] = hdr1, buf1, cnt1, hdr2, buf2, cnt2 */
	SYS_TRAP_TIMEOUT,	/* a[] = ms */
	SYS_NTRAP
};
typedef int32_t (*sys_trap_fn)(const uint32_t *a, bool big);
void syscall_register_trap(enum sys_trap trap, sys_trap_fn fn);

extern sys_trap_fn sys_traps[SYS_NTRAP];	/* syscall_register_trap's */

/* sys_trap - serve RPC trap trap: one table lookup on the fast path. */
static inline int32_t
sys_trap(enum sys_trap trap, const uint32_t *a, bool big)
{
	sys_trap_fn fn = sys_traps[trap];

	return fn != NULL ? fn(a, big) : STD_COMBAD;
}

#endif /* KERNEL_SYSCALL_H */
