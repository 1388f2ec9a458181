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
/* The group calls (kernel/net/grp_syscall.c); raw SYS_GRP_* arguments. */
int32_t sys_grp(uint32_t code, uint32_t a1, uint32_t a2, uint32_t a3,
		uint32_t a4);
/* The device-grant calls (kernel/svr/devsvr.c); raw SYS_DEV_* arguments. */
int32_t sys_dev(uint32_t code, uint32_t a1, uint32_t a2, uint32_t a3,
		uint32_t a4);
int32_t sys_trans(uint32_t hdr1, uint32_t buf1, uint32_t cnt1, uint32_t hdr2,
		  uint32_t buf2, uint32_t cnt2, bool big);

#endif /* KERNEL_SYSCALL_H */
