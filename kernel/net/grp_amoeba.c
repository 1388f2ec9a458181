/*
 * grp_amoeba.c - Amoeba's group calls (group.h: grp_create, grp_join,
 * grp_leave, grp_send, grp_receive, grp_reset, grp_info, grp_set,
 * grp_forward; _grp_* at link level, as in Amoeba) over the event-driven
 * group layer, for the calling thread: kernel threads call them
 * directly, and the system calls (grp_syscall.c) call them for user
 * threads after checking the user's pointers, so the kernel's API and
 * the user's are the same calls.
 *
 * A group belongs to the calling process (kernel threads share one
 * owner).  The blocking calls are grp/grp_block.h's (shared with
 * libamunix): a thread being killed ends its process's groups first
 * (BC_ABORT); a receive buffer is checked again after the sleep.
 */
#include <string.h>

#include "flip/flip_port.h"
#include "grp/grp_block.h"
#include "kernel/net/knet.h"
#include <group.h>
/* below, grp_* are the group layer's calls; ours are the _grp_* names */
#undef grp_create
#undef grp_forward
#undef grp_info
#undef grp_join
#undef grp_leave
#undef grp_receive
#undef grp_reset
#undef grp_send
#undef grp_set

g_id_t
_grp_create(port *p, g_indx_t resilience, g_indx_t maxgroup, uint32 nbuf,
	    uint32 maxmess)
{
	const flip_adr_t *me = knet_rpcaddr();

	if (me == NULL)
		return RPC_TRYAGAIN;
	return grp_create(&knet_grp, knet_owner(), p, resilience, maxgroup,
			  nbuf, maxmess, me);
}

g_id_t
_grp_join(header_p hdr)
{
	const flip_adr_t *me = knet_rpcaddr();

	if (me == NULL)
		return RPC_TRYAGAIN;
	return grp_join_wait(&knet_grp, knet_owner(), hdr, me);
}

errstat
_grp_leave(g_id_t gid, header_p hdr)
{
	return grp_leave_wait(&knet_grp, knet_owner(), gid, hdr);
}

errstat
_grp_send(g_id_t gid, header_p hdr, bufptr buf, uint32 cnt)
{
	return grp_send_wait(&knet_grp, knet_owner(), gid, hdr, buf, cnt);
}

int32
_grp_receive(g_id_t gid, header_p hdr, bufptr buf, uint32 cnt, int *more)
{
	return grp_receive_wait(&knet_grp, knet_owner(), gid, hdr, buf, cnt,
				more);
}

g_indx_t
_grp_reset(g_id_t gid, header_p hdr, g_indx_t n)
{
	return (g_indx_t)grp_reset_wait(&knet_grp, knet_owner(), gid, hdr,
					(uint32_t)n);
}

errstat
_grp_info(g_id_t gid, port *p, grpstate_p state, g_indx_t *memlist,
	  g_indx_t size)
{
	return grp_info(&knet_grp, knet_owner(), gid, p,
			(struct grp_state *)state, memlist, size);
}

errstat
_grp_set(g_id_t gid, port *p, interval sync, interval reply,
	 interval alive, uint32 large)
{
	return grp_set(&knet_grp, knet_owner(), gid, p, sync, reply, alive,
		       large);
}

/*
 * grp_forward passes the request being served to member memid with an
 * RPC FORWARD; the RPC layer has no server-side FORWARD yet, so it only
 * checks its arguments and answers STD_COMBAD.
 */
errstat
_grp_forward(g_id_t gid, port *p, g_indx_t memid)
{
	flip_adr_t addr;
	errstat e = grp_forward_addr(&knet_grp, knet_owner(), gid, p, memid,
				     &addr);

	return e != STD_OK ? e : STD_COMBAD;
}
