/*
 * group.h - Amoeba group communication, the user interface (spec 4.1;
 * the same names, types and signatures as Amoeba 5.3's group.h).
 *
 * A group is named by a port; whoever knows it may join.  grp_send
 * delivers to every member, the sender too, in one total order;
 * grp_receive returns the next message.  After a failure a call returns
 * BC_ABORT and the members rebuild the group with grp_reset.  Error
 * codes (BC_*) are in stderr.h.  All of these are system calls.
 *
 * As in Amoeba the calls are renamed to _grp_* at link level, so the
 * kernel's portable group layer (grp/) keeps the plain names.
 */
#ifndef _GROUP_H_
#define _GROUP_H_

#include <amoeba.h>
#include <stderr.h>

typedef header		*header_p;
typedef uint32		g_seqcnt_t;	/* sequence number */
typedef uint16		g_index_t;	/* member index (kernel side) */
typedef uint32		g_indx_t;	/* member index (interface) */
typedef uint16		g_incarno_t;	/* incarnation number */
typedef uint32		g_msgcnt_t;	/* message count */
typedef int32		g_id_t;		/* group descriptor */

typedef struct {
	g_seqcnt_t	st_expect;	/* next seqno to be delivered */
	g_seqcnt_t	st_nextseqno;	/* next seqno to be received */
	g_seqcnt_t	st_unstable;	/* next seqno not yet held by all */
	g_index_t	st_total;	/* number of members */
	g_index_t	st_myid;	/* my member id */
	g_index_t	st_seqid;	/* the sequencer's member id */
} grpstate_t, *grpstate_p;

_Static_assert(sizeof(grpstate_t) == 20, "grpstate_t is 20 bytes");

#define grp_create	_grp_create
#define grp_forward	_grp_forward
#define grp_info	_grp_info
#define grp_join	_grp_join
#define grp_leave	_grp_leave
#define grp_receive	_grp_receive
#define grp_reset	_grp_reset
#define grp_send	_grp_send
#define grp_set		_grp_set

/* Create a group on port p; nbuf and maxmess are log2 values. */
g_id_t grp_create(port *p, g_indx_t resilience, g_indx_t maxgroup,
		  uint32 nbuf, uint32 maxmess);
/* Pass the RPC request being served on to member memid. */
errstat grp_forward(g_id_t gid, port *p, g_indx_t memid);
/* The group's state and up to size member ids. */
errstat grp_info(g_id_t gid, port *p, grpstate_p state, g_indx_t *memlist,
		 g_indx_t size);
/* Join the group of hdr->h_port; hdr goes to the other members. */
g_id_t grp_join(header_p hdr);
/* Leave; hdr goes to every member, the leaver too. */
errstat grp_leave(g_id_t gid, header_p hdr);
/* The next message: its data length (truncated to cnt) or an error. */
int32 grp_receive(g_id_t gid, header_p hdr, bufptr buf, uint32 cnt,
		  int *more);
/* Rebuild the group after BC_ABORT: the new size, or BC_FAIL. */
g_indx_t grp_reset(g_id_t gid, header_p hdr, g_indx_t n);
/* Send hdr and cnt bytes to every member, in the total order. */
errstat grp_send(g_id_t gid, header_p hdr, bufptr buf, uint32 cnt);
/* Timers (ms) and the PB/BB threshold (bytes). */
errstat grp_set(g_id_t gid, port *p, interval sync, interval reply,
		interval alive, uint32 large);

#endif /* _GROUP_H_ */
