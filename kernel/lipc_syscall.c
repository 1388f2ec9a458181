/*
 * lipc_syscall.c - the local IPC system calls (SYS_LIPC_*): user
 * pointers and lengths are checked here and each user buffer becomes a
 * struct lipc_buf - the segment of the caller that holds it, pinned for
 * the call - before the core (lipc.c) sees it.
 *
 * Entry points: lipc_init (registers sys_lipc with the core).
 */
#include <string.h>

#include "kernel/arch/vm.h"
#include "kernel/lipc.h"
#include "kernel/proc.h"
#include "kernel/seg.h"
#include "kernel/syscall.h"
#include "kernel/thread.h"
#include "kernel/uaccess.h"
#include <amoeba/syscall.h>
#include <stderr.h>

/*
 * ubuf: describe the caller's buffer [va, va+len) (writable if write):
 * it must lie inside one mapped segment of the caller.
 */
static errstat
ubuf(struct proc *p, uint32_t va, uint32_t len, bool write,
     struct lipc_buf *b)
{
	memset(b, 0, sizeof(*b));
	b->rw = write;
	if (len == 0)
		return STD_OK;
	if (len > LIPC_MAXDATA)
		return STD_OVERFLOW;
	if (!vm_user_ok(p->pgdir, va, len, write))
		return RPC_BADADDRESS;
	for (int i = 0; i < PROC_MAXMAP; i++) {
		const struct mapping *m = &p->map[i];

		if (m->seg == NULL || va < m->va || va - m->va >= m->len ||
		    len > m->len - (va - m->va))
			continue;
		if (write && !m->writable)
			return RPC_BADADDRESS;
		b->pa = m->seg->pa + (va - m->va);
		b->len = len;
		b->seg = m->seg;
		return STD_OK;
	}
	return RPC_BADADDRESS;	/* not in one segment */
}

/*
 * Do [a, a+an) and [b, b+bn) (and [c, c+cn) when cn > 0) all lie in one
 * writable user page?  A server's headers and request record usually sit
 * side by side, so one page walk checks them all; false (also for ranges
 * in different pages) leaves the caller to check each as it needs.
 */
static bool
one_page(uint32_t a, uint32_t an, uint32_t b, uint32_t bn, uint32_t c,
	 uint32_t cn)
{
	uint32_t lo = a, hi = a + an;

	if (hi < a || b + bn < b || c + cn < c)
		return false;
	if (b < lo)
		lo = b;
	if (b + bn > hi)
		hi = b + bn;
	if (cn && c < lo)
		lo = c;
	if (cn && c + cn > hi)
		hi = c + cn;
	return (lo >> 12) == ((hi - 1) >> 12) && user_ok(lo, hi - lo, true);
}

static int32_t
sys_lipc_trans(uint32_t argp)
{
	struct proc *p = proc_current();
	struct vx_lipc_trans a;
	struct lipc_buf rb, pb;
	header req, rep;
	bool same;
	int32_t r;
	errstat err;

	/* one header for both (the usual case): one check, for writing */
	if (copyin(&a, argp, sizeof(a)) != STD_OK ||
	    !user_ok(a.rep, sizeof(rep), true) ||
	    (a.req != a.rep && !user_ok(a.req, sizeof(req), false)))
		return RPC_BADADDRESS;
	__builtin_memcpy(&req, (const void *)a.req, sizeof(req)); /* inline */
	same = a.rn && a.pn && a.rbuf == a.pbuf;
	err = ubuf(p, a.rbuf, same && a.pn > a.rn ? a.pn : a.rn, same, &rb);
	if (err == STD_OK)
		err = ubuf(p, a.pbuf, a.pn, true, &pb);
	if (err != STD_OK)
		return err;
	rb.len = a.rn;		/* the same buffer is mapped max(rn, pn) */
	lipc_pin(&rb);
	lipc_pin(&pb);
	r = lipc_do_trans(&req, &rb, &pb, same, &rep);
	lipc_unpin(&rb);
	lipc_unpin(&pb);
	if (r >= 0 && copyout(a.rep, &rep, sizeof(rep)) != STD_OK)
		return RPC_BADADDRESS;
	return r;
}

/* getreq with both pointers checked and the header *h read from hp. */
static int32_t
getreq_checked(uint32_t hp, uint32_t rp, header *h)
{
	struct lipc_req r;
	int32_t n;

	n = lipc_do_getreq(h, &r);
	if (n < 0)
		return n;
	/* both were checked before the sleep: refuse if they went since */
	if (one_page(hp, sizeof(*h), rp, sizeof(r), 0, 0)) {
		__builtin_memcpy((void *)hp, h, sizeof(*h));	/* inline */
		__builtin_memcpy((void *)rp, &r, sizeof(r));
	} else if (copyout(hp, h, sizeof(*h)) != STD_OK ||
		   copyout(rp, &r, sizeof(r)) != STD_OK) {
		memset(h, 0, sizeof(*h));
		h->h_status = (command)RPC_FAILURE;
		(void)lipc_do_putrep(h, 0);
		return RPC_BADADDRESS;
	}
	return n;
}

static int32_t
sys_lipc_getreq(uint32_t hp, uint32_t rp)
{
	header h;

	/* writable implies readable: one walk checks the header both ways */
	if (!one_page(hp, sizeof(h), rp, sizeof(struct lipc_req), 0, 0) &&
	    (!user_ok(hp, sizeof(h), true) ||
	     !user_ok(rp, sizeof(struct lipc_req), true)))
		return RPC_BADADDRESS;
	__builtin_memcpy(&h, (const void *)hp, sizeof(h));	/* inline */
	return getreq_checked(hp, rp, &h);
}

static int32_t
sys_lipc_putrep(uint32_t hp, uint32_t n)
{
	header h;

	if (copyin(&h, hp, sizeof(h)) != STD_OK)
		return RPC_BADADDRESS;
	return lipc_do_putrep(&h, n);
}

static int32_t
sys_lipc_replyget(uint32_t rp, uint32_t n, uint32_t hp, uint32_t reqp)
{
	header h;

	if (rp != hp && one_page(rp, sizeof(h), hp, sizeof(h), reqp,
				 sizeof(struct lipc_req))) {
		/* reply header, next header and request record in one page
		 * (the usual server loop): one check for the three */
		header next;

		__builtin_memcpy(&h, (const void *)rp, sizeof(h)); /* inline */
		__builtin_memcpy(&next, (const void *)hp, sizeof(next));
		(void)lipc_do_putrep(&h, n);
		/* getreq_checked checks hp and reqp again after its sleep */
		return getreq_checked(hp, reqp, &next);
	}
	if (rp != hp) {
		if (copyin(&h, rp, sizeof(h)) != STD_OK)
			return RPC_BADADDRESS;
		(void)lipc_do_putrep(&h, n);
		return sys_lipc_getreq(hp, reqp);
	}
	/* one header both ways (the usual server loop): checked once; the
	 * putrep does not sleep, so the check still holds for the getreq */
	if (!user_ok(hp, sizeof(h), true))
		return RPC_BADADDRESS;
	__builtin_memcpy(&h, (const void *)hp, sizeof(h));	/* inline */
	(void)lipc_do_putrep(&h, n);
	if (!user_ok(reqp, sizeof(struct lipc_req), true))
		return RPC_BADADDRESS;
	return getreq_checked(hp, reqp, &h);
}

static int32_t
sys_lipc_kept(int32_t handle, uint32_t rp)
{
	struct lipc_req r;
	errstat err;

	if (!user_ok(rp, sizeof(r), true))
		return RPC_BADADDRESS;
	err = lipc_kept(handle, &r);
	if (err == STD_OK)
		err = copyout(rp, &r, sizeof(r));
	return err;
}

static int32_t
sys_lipc(uint32_t code, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4)
{
	switch (code) {
	case SYS_LIPC_TRANS:
		return sys_lipc_trans(a1);
	case SYS_LIPC_GETREQ:
		return sys_lipc_getreq(a1, a2);
	case SYS_LIPC_PUTREP:
		return sys_lipc_putrep(a1, a2);
	case SYS_LIPC_KEEP:
		return lipc_keep();
	case SYS_LIPC_KEPT:
		return sys_lipc_kept((int32_t)a1, a2);
	case SYS_LIPC_RELEASE:
		return lipc_release((int32_t)a1);
	case SYS_LIPC_REPLYGET:
		return sys_lipc_replyget(a1, a2, a3, a4);
	default:
		return STD_COMBAD;
	}
}

void
lipc_init(void)
{
	syscall_register(SYS_LIPC_TRANS, SYS_LIPC_REPLYGET, sys_lipc);
}
