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

	if (copyin(&a, argp, sizeof(a)) != STD_OK ||
	    copyin(&req, a.req, sizeof(req)) != STD_OK ||
	    !user_ok(a.rep, sizeof(rep), true))
		return RPC_BADADDRESS;
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

static int32_t
sys_lipc_getreq(uint32_t hp, uint32_t rp)
{
	struct lipc_req r;
	header h;
	int32_t n;

	if (copyin(&h, hp, sizeof(h)) != STD_OK ||
	    !user_ok(hp, sizeof(h), true) || !user_ok(rp, sizeof(r), true))
		return RPC_BADADDRESS;
	n = lipc_do_getreq(&h, &r);
	if (n < 0)
		return n;
	/* both were checked before the sleep: refuse if they went since */
	if (copyout(hp, &h, sizeof(h)) != STD_OK ||
	    copyout(rp, &r, sizeof(r)) != STD_OK) {
		memset(&h, 0, sizeof(h));
		h.h_status = (command)RPC_FAILURE;
		(void)lipc_do_putrep(&h, 0);
		return RPC_BADADDRESS;
	}
	return n;
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

	if (copyin(&h, rp, sizeof(h)) != STD_OK)
		return RPC_BADADDRESS;
	(void)lipc_do_putrep(&h, n);
	return sys_lipc_getreq(hp, reqp);
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
