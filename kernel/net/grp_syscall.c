/*
 * grp_syscall.c - the group system calls of user threads (SYS_GRP_*,
 * amoeba/syscall.h): every user pointer and length is checked, headers
 * and argument blocks are copied in, then the Amoeba calls of
 * grp_amoeba.c run for the thread (message data moves straight between
 * the user's buffer and the group layer, as RPC data does).
 *
 * Entry point: sys_grp.
 */
#include <string.h>

#include "kernel/net/knet.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include <amoeba/syscall.h>
#include <group.h>

#define GRP_MAXMSG	(1u << GRP_MAXLOGMSG)	/* largest message */

static int32_t
grp_create_u(uint32_t ua)
{
	struct vx_grp_args a;
	port p;

	if (copyin(&a, ua, sizeof(a)) != STD_OK ||
	    copyin(&p, a.port, sizeof(p)) != STD_OK)
		return STD_ARGBAD;
	return grp_create(&p, a.a[0], a.a[1], a.a[2], a.a[3]);
}

static int32_t
grp_join_u(uint32_t uh)
{
	header h;
	int32_t r;

	if (copyin(&h, uh, sizeof(h)) != STD_OK)
		return STD_ARGBAD;
	r = grp_join(&h);
	return r;
}

static int32_t
grp_leave_u(int32_t gid, uint32_t uh)
{
	header h;

	if (copyin(&h, uh, sizeof(h)) != STD_OK)
		return STD_ARGBAD;
	return grp_leave(gid, &h);
}

static int32_t
grp_send_u(int32_t gid, uint32_t uh, uint32_t buf, uint32_t cnt)
{
	header h;

	if (cnt > GRP_MAXMSG)
		return BC_TOOBIG;
	if (copyin(&h, uh, sizeof(h)) != STD_OK ||
	    (cnt && !user_ok(buf, cnt, false)))
		return STD_ARGBAD;
	return grp_send(gid, &h, (bufptr)buf, cnt);
}

static int32_t
grp_receive_u(uint32_t ua)
{
	struct vx_grp_args a;
	header h;
	int more = 0;
	int32_t r;

	if (copyin(&a, ua, sizeof(a)) != STD_OK || a.cnt > GRP_MAXMSG ||
	    !user_ok(a.hdr, sizeof(h), true) ||
	    (a.cnt && !user_ok(a.buf, a.cnt, true)) ||
	    (a.more && !user_ok(a.more, sizeof(int), true)))
		return STD_ARGBAD;
	r = grp_receive(a.gid, &h, (bufptr)a.buf, a.cnt, &more);
	if (r >= 0 && (copyout(a.hdr, &h, sizeof(h)) != STD_OK ||
		       (a.more && copyout(a.more, &more, sizeof(more)))))
		return RPC_BADADDRESS;
	return r;
}

static int32_t
grp_reset_u(int32_t gid, uint32_t uh, uint32_t n)
{
	header h;

	if (copyin(&h, uh, sizeof(h)) != STD_OK)
		return STD_ARGBAD;
	return (int32_t)grp_reset(gid, &h, n);
}

static int32_t
grp_info_u(uint32_t ua)
{
	g_indx_t list[GRP_MAXGROUP];
	struct vx_grp_args a;
	grpstate_t st;
	port p;
	errstat e;

	if (copyin(&a, ua, sizeof(a)) != STD_OK)
		return STD_ARGBAD;
	if (a.cnt > GRP_MAXGROUP)
		a.cnt = GRP_MAXGROUP;
	e = grp_info(a.gid, &p, &st, list, a.cnt);
	if (e != STD_OK)
		return e;
	if ((a.port && copyout(a.port, &p, sizeof(p)) != STD_OK) ||
	    (a.more && copyout(a.more, &st, sizeof(st)) != STD_OK) ||
	    (a.buf && a.cnt &&
	     copyout(a.buf, list, a.cnt * sizeof(list[0])) != STD_OK))
		return STD_ARGBAD;
	return STD_OK;
}

static int32_t
grp_set_u(uint32_t ua)
{
	struct vx_grp_args a;
	port p;

	if (copyin(&a, ua, sizeof(a)) != STD_OK ||
	    copyin(&p, a.port, sizeof(p)) != STD_OK)
		return STD_ARGBAD;
	return grp_set(a.gid, &p, (interval)a.a[0], (interval)a.a[1],
		       (interval)a.a[2], a.a[3]);
}

static int32_t
grp_forward_u(int32_t gid, uint32_t up, uint32_t memid)
{
	port p;

	if (copyin(&p, up, sizeof(p)) != STD_OK)
		return STD_ARGBAD;
	return grp_forward(gid, &p, memid);
}

int32_t
sys_grp(uint32_t code, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4)
{
	switch (code) {
	case SYS_GRP_CREATE: return grp_create_u(a1);
	case SYS_GRP_JOIN: return grp_join_u(a1);
	case SYS_GRP_LEAVE: return grp_leave_u((int32_t)a1, a2);
	case SYS_GRP_SEND: return grp_send_u((int32_t)a1, a2, a3, a4);
	case SYS_GRP_RECEIVE: return grp_receive_u(a1);
	case SYS_GRP_RESET: return grp_reset_u((int32_t)a1, a2, a3);
	case SYS_GRP_INFO: return grp_info_u(a1);
	case SYS_GRP_SET: return grp_set_u(a1);
	case SYS_GRP_FORWARD: return grp_forward_u((int32_t)a1, a2, a3);
	default: return STD_COMBAD;
	}
}
