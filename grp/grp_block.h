/*
 * grp_block.h - the blocking shape of Amoeba's group calls over the
 * event-driven calls of grp.h, written once for every system that hosts
 * grp/ (the kernel's grp_amoeba.c, libamunix's host/grp.c): start the
 * call on a call object of the caller's stack, sleep on it
 * (flip_port_sleep) until the layer marks it done, then finish it.
 *
 * Each takes the node, the owner cookie of the calling process (the
 * groups it made or joined end with it: grp_destroy_owner) and, for
 * create and join, the process's RPC address.  A sleep ended because
 * the sleeper is being killed ends the owner's groups, which completes
 * the call with BC_ABORT.  A receive buffer is checked again after the
 * sleep (flip_port_writable): RPC_BADADDRESS then.
 *
 * Entry points: grp_join_wait, grp_leave_wait, grp_send_wait,
 * grp_receive_wait, grp_reset_wait.  Inline: each host of grp/ includes
 * this header once, in the file that implements its group calls.
 * Concurrency: as grp.h; the caller holds the network lock, which
 * flip_port_sleep gives up while it sleeps.
 */
#ifndef GRP_GRP_BLOCK_H
#define GRP_GRP_BLOCK_H

#include <string.h>

#include "flip/flip_port.h"
#include "grp/grp.h"

/* Sleep until c is done; a kill ends the owner's groups (BC_ABORT). */
static inline void
grp_wait_done(struct grp_node *gn, void *owner, struct grp_call *c)
{
	while (!c->done)
		if (flip_port_sleep(c) < 0)
			grp_destroy_owner(gn, owner);
}

static inline int32_t
grp_join_wait(struct grp_node *gn, void *owner, header *hdr,
	      const flip_adr_t *me)
{
	struct grp_call c;
	errstat e;

	memset(&c, 0, sizeof(c));
	e = grp_join_start(gn, owner, &c, hdr, me);
	if (e != STD_OK)
		return e;
	grp_wait_done(gn, owner, &c);
	return grp_join_finish(&c);
}

static inline errstat
grp_leave_wait(struct grp_node *gn, void *owner, int32_t gid, header *hdr)
{
	struct grp_call c;
	errstat e;

	memset(&c, 0, sizeof(c));
	e = grp_leave_start(gn, owner, gid, &c, hdr);
	if (e != STD_OK)
		return e;
	grp_wait_done(gn, owner, &c);
	return grp_leave_finish(&c);
}

static inline errstat
grp_send_wait(struct grp_node *gn, void *owner, int32_t gid, header *hdr,
	      void *buf, uint32_t cnt)
{
	struct grp_call c;
	errstat e;

	memset(&c, 0, sizeof(c));
	e = grp_send_start(gn, owner, gid, &c, hdr, buf, cnt);
	if (e != STD_OK)
		return e;
	grp_wait_done(gn, owner, &c);
	return grp_send_finish(&c);
}

static inline int32_t
grp_receive_wait(struct grp_node *gn, void *owner, int32_t gid, header *hdr,
		 void *buf, uint32_t cnt, int *more)
{
	struct grp_call c;
	int dummy;
	errstat e;

	memset(&c, 0, sizeof(c));
	e = grp_receive_start(gn, owner, gid, &c);
	if (e != STD_OK)
		return e;
	grp_wait_done(gn, owner, &c);
	if (cnt > 0 && !flip_port_writable(buf, cnt)) {
		grp_receive_finish(&c, hdr, NULL, 0, &dummy);
		return RPC_BADADDRESS;
	}
	return grp_receive_finish(&c, hdr, buf, cnt, more ? more : &dummy);
}

static inline int32_t
grp_reset_wait(struct grp_node *gn, void *owner, int32_t gid, header *hdr,
	       uint32_t n)
{
	struct grp_call c;
	errstat e;

	memset(&c, 0, sizeof(c));
	e = grp_reset_start(gn, owner, gid, &c, hdr, n);
	if (e != STD_OK)
		return e;
	grp_wait_done(gn, owner, &c);
	return grp_reset_finish(&c);
}

#endif /* GRP_GRP_BLOCK_H */
