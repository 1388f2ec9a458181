/*
 * group.c - Amoeba's group calls for user programs (group.h): each is a
 * system call (SYS_GRP_*, numbered as in Amoeba 5.3); the calls with
 * more arguments than registers pass a struct vx_grp_args.
 *
 * Entry points: the _grp_* names group.h maps grp_* to.
 */
#include <string.h>

#include <amoeba.h>
#include <group.h>
#include <amoeba/syscall.h>
#include <module/syscall.h>

g_id_t
grp_create(port *p, g_indx_t resilience, g_indx_t maxgroup, uint32 nbuf,
	   uint32 maxmess)
{
	struct vx_grp_args a;

	memset(&a, 0, sizeof(a));
	a.port = (uint32_t)p;
	a.a[0] = resilience;
	a.a[1] = maxgroup;
	a.a[2] = nbuf;
	a.a[3] = maxmess;
	return sys_newsys(SYS_GRP_CREATE, (long)&a, 0, 0, 0);
}

g_id_t
grp_join(header_p hdr)
{
	return sys_newsys(SYS_GRP_JOIN, (long)hdr, 0, 0, 0);
}

errstat
grp_leave(g_id_t gid, header_p hdr)
{
	return sys_newsys(SYS_GRP_LEAVE, gid, (long)hdr, 0, 0);
}

errstat
grp_send(g_id_t gid, header_p hdr, bufptr buf, uint32 cnt)
{
	return sys_newsys(SYS_GRP_SEND, gid, (long)hdr, (long)buf, (long)cnt);
}

int32
grp_receive(g_id_t gid, header_p hdr, bufptr buf, uint32 cnt, int *more)
{
	struct vx_grp_args a;

	memset(&a, 0, sizeof(a));
	a.gid = gid;
	a.hdr = (uint32_t)hdr;
	a.buf = (uint32_t)buf;
	a.cnt = cnt;
	a.more = (uint32_t)more;
	return sys_newsys(SYS_GRP_RECEIVE, (long)&a, 0, 0, 0);
}

g_indx_t
grp_reset(g_id_t gid, header_p hdr, g_indx_t n)
{
	return (g_indx_t)sys_newsys(SYS_GRP_RESET, gid, (long)hdr, (long)n, 0);
}

errstat
grp_info(g_id_t gid, port *p, grpstate_p state, g_indx_t *memlist,
	 g_indx_t size)
{
	struct vx_grp_args a;

	memset(&a, 0, sizeof(a));
	a.gid = gid;
	a.port = (uint32_t)p;
	a.more = (uint32_t)state;
	a.buf = (uint32_t)memlist;
	a.cnt = size;
	return sys_newsys(SYS_GRP_INFO, (long)&a, 0, 0, 0);
}

errstat
grp_set(g_id_t gid, port *p, interval sync, interval reply, interval alive,
	uint32 large)
{
	struct vx_grp_args a;

	memset(&a, 0, sizeof(a));
	a.gid = gid;
	a.port = (uint32_t)p;
	a.a[0] = (uint32_t)sync;
	a.a[1] = (uint32_t)reply;
	a.a[2] = (uint32_t)alive;
	a.a[3] = large;
	return sys_newsys(SYS_GRP_SET, (long)&a, 0, 0, 0);
}

errstat
grp_forward(g_id_t gid, port *p, g_indx_t memid)
{
	return sys_newsys(SYS_GRP_FORWARD, gid, (long)p, (long)memid, 0);
}
