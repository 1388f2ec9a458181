/*
 * rpcsys.c - the RPC system calls (trans, getreq, putrep, timeout).
 * Wired to the rpc/ layer once it is in the kernel; until then every
 * call reports RPC_FAILURE.
 */
#include "syscall.h"
#include <stderr.h>

int32_t
sys_getreq(uint32_t hdr, uint32_t buf, uint32_t cnt, bool big)
{
	(void)hdr, (void)buf, (void)cnt, (void)big;
	return RPC_FAILURE;
}

int32_t
sys_putrep(uint32_t hdr, uint32_t buf, uint32_t cnt, bool big)
{
	(void)hdr, (void)buf, (void)cnt, (void)big;
	return RPC_FAILURE;
}

int32_t
sys_trans(uint32_t hdr1, uint32_t buf1, uint32_t cnt1, uint32_t hdr2,
	  uint32_t buf2, uint32_t cnt2, bool big)
{
	(void)hdr1, (void)buf1, (void)cnt1, (void)hdr2, (void)buf2;
	(void)cnt2, (void)big;
	return RPC_FAILURE;
}

int32_t
sys_timeout(int32_t ms)
{
	(void)ms;
	return 0;
}
