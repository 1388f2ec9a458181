/*
 * grp.c - Amoeba's group calls for Linux programs (group.h: grp_create,
 * grp_join, grp_leave, grp_send, grp_receive, grp_reset, grp_info,
 * grp_set, grp_forward; _grp_* at link level) over the group layer of
 * the linked stack (amu_grp, stack.c), wire-compatible with the nodes'
 * kernels.  The blocking calls are grp/grp_block.h's, as in the kernel,
 * under the network lock.  The process is the one owner of its groups
 * and its RPC address (amu_proc) is the members' address.
 */
#include <amoeba.h>
#include <stderr.h>

#include "flip/flip_port.h"
#include "grp/grp_block.h"
#include "host/amunix_impl.h"
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

static int owner;			/* the cookie of this process */

/* Bring the stack up and take the network lock; 0, or -1. */
static int
grp_enter(void)
{
	struct amu_thread *t = amu_cur;

	if (amu_stack() != 0)
		return -1;
	amu_sig_check(t);		/* as rpc.c's amu_call_enter */
	pthread_mutex_lock(&amu_net);
	if (t != NULL)
		t->sigkick = 0;
	return 0;
}

g_id_t
_grp_create(port *p, g_indx_t resilience, g_indx_t maxgroup, uint32 nbuf,
	    uint32 maxmess)
{
	int32_t r;

	if (grp_enter() != 0)
		return RPC_TRYAGAIN;
	r = grp_create(&amu_grp, &owner, p, resilience, maxgroup, nbuf,
		       maxmess, &amu_proc.pub);
	pthread_mutex_unlock(&amu_net);
	return r;
}

g_id_t
_grp_join(header_p hdr)
{
	int32_t r;

	if (grp_enter() != 0)
		return RPC_TRYAGAIN;
	r = grp_join_wait(&amu_grp, &owner, hdr, &amu_proc.pub);
	pthread_mutex_unlock(&amu_net);
	return r;
}

errstat
_grp_leave(g_id_t gid, header_p hdr)
{
	errstat r;

	if (grp_enter() != 0)
		return RPC_TRYAGAIN;
	r = grp_leave_wait(&amu_grp, &owner, gid, hdr);
	pthread_mutex_unlock(&amu_net);
	return r;
}

errstat
_grp_send(g_id_t gid, header_p hdr, bufptr buf, uint32 cnt)
{
	errstat r;

	if (grp_enter() != 0)
		return RPC_TRYAGAIN;
	r = grp_send_wait(&amu_grp, &owner, gid, hdr, buf, cnt);
	pthread_mutex_unlock(&amu_net);
	return r;
}

int32
_grp_receive(g_id_t gid, header_p hdr, bufptr buf, uint32 cnt, int *more)
{
	int32_t r;

	if (grp_enter() != 0)
		return RPC_TRYAGAIN;
	r = grp_receive_wait(&amu_grp, &owner, gid, hdr, buf, cnt, more);
	pthread_mutex_unlock(&amu_net);
	return r;
}

g_indx_t
_grp_reset(g_id_t gid, header_p hdr, g_indx_t n)
{
	int32_t r;

	if (grp_enter() != 0)
		return (g_indx_t)RPC_TRYAGAIN;
	r = grp_reset_wait(&amu_grp, &owner, gid, hdr, (uint32_t)n);
	pthread_mutex_unlock(&amu_net);
	return (g_indx_t)r;
}

errstat
_grp_info(g_id_t gid, port *p, grpstate_p state, g_indx_t *memlist,
	  g_indx_t size)
{
	errstat r;

	if (grp_enter() != 0)
		return RPC_TRYAGAIN;
	r = grp_info(&amu_grp, &owner, gid, p, (struct grp_state *)state,
		     memlist, size);
	pthread_mutex_unlock(&amu_net);
	return r;
}

errstat
_grp_set(g_id_t gid, port *p, interval sync, interval reply,
	 interval alive, uint32 large)
{
	errstat r;

	if (grp_enter() != 0)
		return RPC_TRYAGAIN;
	r = grp_set(&amu_grp, &owner, gid, p, sync, reply, alive, large);
	pthread_mutex_unlock(&amu_net);
	return r;
}

/* As in the kernel: the RPC layer has no server-side FORWARD yet. */
errstat
_grp_forward(g_id_t gid, port *p, g_indx_t memid)
{
	flip_adr_t addr;
	errstat r;

	if (grp_enter() != 0)
		return RPC_TRYAGAIN;
	r = grp_forward_addr(&amu_grp, &owner, gid, p, memid, &addr);
	pthread_mutex_unlock(&amu_net);
	return r != STD_OK ? r : STD_COMBAD;
}
