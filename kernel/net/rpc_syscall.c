/*
 * rpc_syscall.c - the RPC system calls of user threads: trans, getreq,
 * putrep (the old calls with sizes up to MAX_OLD_BUFSIZE, the rpc_*
 * calls up to RPC_MAXDATA) and timeout.  Every user pointer and length
 * is checked here; the blocking calls copy to and from user memory in
 * the caller's context and check the destination again after sleeping.
 *
 * Entry points: sys_trans, sys_getreq, sys_putrep, sys_timeout.
 */
#include <string.h>

#include "kernel/net/knet.h"
#include "rpc/rpc_block.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include <stderr.h>

/* Size limits: the old calls take bufsize counts up to 30000. */
static bool
size_ok(uint32_t n, bool big)
{
	return big ? n <= RPC_MAXDATA : n <= MAX_OLD_BUFSIZE;
}

int32_t
sys_trans(uint32_t hdr1, uint32_t buf1, uint32_t cnt1, uint32_t hdr2,
	  uint32_t buf2, uint32_t cnt2, bool big)
{
	header req, rep;
	int32_t r;

	if (!size_ok(cnt1, big) || !size_ok(cnt2, big))
		return STD_OVERFLOW;
	if (copyin(&req, hdr1, sizeof(req)) != STD_OK ||
	    !user_ok(hdr2, sizeof(rep), true) ||
	    (cnt1 && !user_ok(buf1, cnt1, false)) ||
	    (cnt2 && !user_ok(buf2, cnt2, true)))
		return RPC_BADADDRESS;
	r = ktrans(&req, (const void *)buf1, cnt1, &rep, (void *)buf2, cnt2);
	if (r >= 0 && copyout(hdr2, &rep, sizeof(rep)) != STD_OK)
		return RPC_BADADDRESS;
	return r;
}

int32_t
sys_getreq(uint32_t hdr, uint32_t buf, uint32_t cnt, bool big)
{
	header h;
	int32_t r;

	if (!size_ok(cnt, big))
		return STD_OVERFLOW;
	/* writable implies readable: one walk checks the header both ways */
	if (!user_ok(hdr, sizeof(h), true) ||
	    (cnt && !user_ok(buf, cnt, true)))
		return RPC_BADADDRESS;
	memcpy(&h, (const void *)hdr, sizeof(h));
	r = kgetreq(&h, (void *)buf, cnt);
	if (r >= 0 && copyout(hdr, &h, sizeof(h)) != STD_OK) {
		/* the header went away meanwhile: the client must not hang */
		(void)rpc_refuse_wait(knet_call());
		return RPC_BADADDRESS;
	}
	return r;
}

int32_t
sys_putrep(uint32_t hdr, uint32_t buf, uint32_t cnt, bool big)
{
	header h;

	if (!size_ok(cnt, big))
		return STD_OVERFLOW;
	if (copyin(&h, hdr, sizeof(h)) != STD_OK ||
	    (cnt && !user_ok(buf, cnt, false)))
		return RPC_BADADDRESS;
	return kputrep(&h, (const void *)buf, cnt);
}

int32_t
sys_timeout(int32_t ms)
{
	return ktimeout(ms);
}
