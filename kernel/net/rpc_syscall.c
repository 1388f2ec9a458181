/*
 * rpc_syscall.c - the RPC system calls of user threads: trans, getreq,
 * putrep (the old calls with sizes up to MAX_OLD_BUFSIZE, the rpc_*
 * calls up to RPC_MAXDATA) and timeout.  Every user pointer and length
 * is checked here; the blocking calls copy to and from user memory in
 * the caller's context and check the destination again after sleeping.
 *
 * Entry point: rpc_syscall_init (registers the four traps with the
 * core, syscall_register_trap; the arch decodes their registers).
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

/* trans: a[] = hdr1, buf1, cnt1, hdr2, buf2, cnt2. */
static int32_t
sys_trans(const uint32_t *a, bool big)
{
	uint32_t hdr1 = a[0], buf1 = a[1], cnt1 = a[2];
	uint32_t hdr2 = a[3], buf2 = a[4], cnt2 = a[5];
	header req, rep;
	int32_t r;

	if (!size_ok(cnt1, big) || !size_ok(cnt2, big))
		return STD_OVERFLOW;
	/* one header for both (the usual case): one check, for writing */
	if (!user_ok(hdr2, sizeof(rep), true) ||
	    (hdr1 != hdr2 && !user_ok(hdr1, sizeof(req), false)) ||
	    (cnt1 && !user_ok(buf1, cnt1, false)) ||
	    (cnt2 && !user_ok(buf2, cnt2, true)))
		return RPC_BADADDRESS;
	__builtin_memcpy(&req, (const void *)hdr1, sizeof(req));	/* inline */
	r = ktrans(&req, (const void *)buf1, cnt1, &rep, (void *)buf2, cnt2);
	if (r >= 0 && copyout(hdr2, &rep, sizeof(rep)) != STD_OK)
		return RPC_BADADDRESS;
	return r;
}

/* getreq: a[] = hdr, buf, cnt. */
static int32_t
sys_getreq(const uint32_t *a, bool big)
{
	uint32_t hdr = a[0], buf = a[1], cnt = a[2];
	header h;
	int32_t r;

	if (!size_ok(cnt, big))
		return STD_OVERFLOW;
	/* writable implies readable: one walk checks the header both ways */
	if (!user_ok(hdr, sizeof(h), true) ||
	    (cnt && !user_ok(buf, cnt, true)))
		return RPC_BADADDRESS;
	__builtin_memcpy(&h, (const void *)hdr, sizeof(h));	/* inline */
	r = kgetreq(&h, (void *)buf, cnt);
	if (r >= 0 && copyout(hdr, &h, sizeof(h)) != STD_OK) {
		/* the header went away meanwhile: the client must not hang */
		(void)rpc_refuse_wait(knet_call());
		return RPC_BADADDRESS;
	}
	return r;
}

/* putrep: a[] = hdr, buf, cnt. */
static int32_t
sys_putrep(const uint32_t *a, bool big)
{
	uint32_t hdr = a[0], buf = a[1], cnt = a[2];
	header h;

	if (!size_ok(cnt, big))
		return STD_OVERFLOW;
	if (copyin(&h, hdr, sizeof(h)) != STD_OK ||
	    (cnt && !user_ok(buf, cnt, false)))
		return RPC_BADADDRESS;
	return kputrep(&h, (const void *)buf, cnt);
}

/* timeout: a[] = ms; the old locate budget. */
static int32_t
sys_timeout(const uint32_t *a, bool big)
{
	(void)big;
	return ktimeout((interval)a[0]);
}

void
rpc_syscall_init(void)
{
	syscall_register_trap(SYS_TRAP_TRANS, sys_trans);
	syscall_register_trap(SYS_TRAP_GETREQ, sys_getreq);
	syscall_register_trap(SYS_TRAP_PUTREP, sys_putrep);
	syscall_register_trap(SYS_TRAP_TIMEOUT, sys_timeout);
}
