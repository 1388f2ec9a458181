/*
 * syscall.h - the machine-independent system-call handlers.  Arguments
 * are raw user values; each handler checks them.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

int32_t sys_newsys(uint32_t code, uint32_t a1, uint32_t a2, uint32_t a3,
		   uint32_t a4);
void sys_exitthread(int32_t status);
int32_t sys_timeout(int32_t ms);
int32_t sys_getreq(uint32_t hdr, uint32_t buf, uint32_t cnt, bool big);
int32_t sys_putrep(uint32_t hdr, uint32_t buf, uint32_t cnt, bool big);
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
int32_t sys_trans(uint32_t hdr1, uint32_t buf1, uint32_t cnt1, uint32_t hdr2,
		  uint32_t buf2, uint32_t cnt2, bool big);

#endif /* KERNEL_SYSCALL_H */
