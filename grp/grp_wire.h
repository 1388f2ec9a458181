/*
 * grp_wire.h - group wire formats (spec 4.2): the 20-byte bchdr, the
 * message types, the group LOCATE and HEREIS payloads, and their
 * encoders/decoders.
 *
 * Byte order: headers and payload integers go in the sender's order; we
 * send little-endian with F_BIGENDIAN clear in b_flags, and a receiver
 * swaps when a big-endian sender set it.  The LOCATE protocol id is the
 * one big-endian exception (as for RPC locates).
 *
 * Packet layouts (all after the FLIP header):
 *   data messages       bchdr + Amoeba header(32) + data   ("long")
 *   accepts, controls   bchdr only                          ("short")
 *   LOCATE (null dst)   u32 BE 2 + bchdr + header(32) + rpc address(8)
 *                       + joiner's public member address(8)
 *   HEREIS              bchdr + GRP_HEREIS_SIZE payload
 *   JOIN                bchdr + header + JOIN state (grp_join.c)
 *   RESULT              bchdr + header + RESULT state (grp_reset.c)
 *
 * Field use where the spec leaves it open (its open question 5):
 *   b_expect   member -> sequencer: the member's nextseqno (all below
 *              accepted); sequencer -> members: the stable point (every
 *              member holds all below); history is trimmed below it
 *   BCASTREQ/JOINREQ/LEAVEREQ with b_seqno != 0, from the sequencer:
 *              the message, tentative (resilience r > 0)
 *   ACK, STATE b_seqno = the sender's contiguous held end (tentative
 *              messages included): a cumulative acknowledgement
 *   RETRANS    b_seqno = the message wanted
 *   SYNC       b_seqno = nextseqno, b_messid = the tentative end,
 *              b_expect = the stable point
 *   ALIVEREQ   b_messid = sub-kind; ALIVE b_seqno = nextseqno
 *   REFORMREQ  b_incarnation = the new one, b_seqno = held end,
 *              b_expect = nextseqno; VOTE the same from a voter;
 *              RESULT b_seqno = its place T in the order; RESULTACK
 *              b_seqno = T
 *   LEAVE      header(32) + u16 index of the next sequencer; the
 *              sequencer's LEAVE is multicast again by that successor
 *              (members take it from either), which tells the leaver
 *              by ACK with b_messid = GRP_ACK_TAKEOVER
 */
#ifndef GRP_GRP_WIRE_H
#define GRP_GRP_WIRE_H

#include <stdint.h>
#include <amoeba.h>
#include "flip/flip.h"

#define GRP_BCHDR_SIZE	20
#define GRP_HDR_SIZE	HEADERSIZE			/* 32 */
#define GRP_PROTO_AMGROUP 2	/* u32 BE protocol id of group locates */
#define GRP_LOCATE_SIZE	(4 + GRP_BCHDR_SIZE + GRP_HDR_SIZE + 8 + 8)
#define GRP_HEREIS_SIZE	32

/* b_type (spec 4.2). */
#define GRP_T_LOCATE	0
#define GRP_T_HEREIS	1
#define GRP_T_JOINREQ	2
#define GRP_T_JOIN	3
#define GRP_T_LEAVEREQ	4
#define GRP_T_LEAVE	5
#define GRP_T_BCASTREQ	6
#define GRP_T_BCAST	7
#define GRP_T_ACK	8
#define GRP_T_RETRANS	9
#define GRP_T_SYNC	10
#define GRP_T_STATE	11
#define GRP_T_REFORMREQ	12
#define GRP_T_VOTE	13
#define GRP_T_RESULT	14
#define GRP_T_RESULTACK	15
#define GRP_T_ALIVE	16
#define GRP_T_ALIVEREQ	17
#define GRP_T_DEAD	18
#define GRP_T_MAX	18

/* ACK b_messid: a new sequencer tells the leaving one it took over. */
#define GRP_ACK_TAKEOVER 1

/* ALIVEREQ sub-kinds (carried in b_messid). */
#define GRP_ALIVE_P2P	1
#define GRP_ALIVE_BCAST	2

/* b_flags */
#define GRP_F_BIGENDIAN	0x01

struct grp_bchdr {
	uint8_t b_type;		/* GRP_T_* */
	uint8_t b_flags;	/* GRP_F_BIGENDIAN */
	uint16_t b_reserved;	/* 0 */
	uint16_t b_cpu;		/* member index */
	uint16_t b_incarnation;	/* incarnation number */
	uint32_t b_seqno;	/* global sequence number (0: none) */
	uint32_t b_messid;	/* per-member message id */
	uint32_t b_expect;	/* next seqno the sender still expects */
};
_Static_assert(sizeof(struct grp_bchdr) == GRP_BCHDR_SIZE, "bchdr is 20");
_Static_assert(__builtin_offsetof(struct grp_bchdr, b_cpu) == 4, "b_cpu 4");
_Static_assert(__builtin_offsetof(struct grp_bchdr, b_seqno) == 8,
	       "b_seqno at 8");
_Static_assert(__builtin_offsetof(struct grp_bchdr, b_expect) == 16,
	       "b_expect at 16");

/* HEREIS payload (spec 4.2), sender order. */
struct grp_hereis {
	uint16_t maxgroup, lognbuf, logmaxmess, resilience;
	uint32_t large;
	uint16_t newidx;	/* the slot reserved for the joiner */
	uint16_t seqidx;	/* the sequencer's index */
	flip_adr_t gaddr;	/* group private address */
	flip_adr_t alladdr;	/* "all" private address */
};
_Static_assert(sizeof(struct grp_hereis) == GRP_HEREIS_SIZE, "HEREIS is 32");

/* grp_bc_encode - 20 wire bytes, little-endian, F_BIGENDIAN clear. */
void grp_bc_encode(const struct grp_bchdr *b, uint8_t *w);

/* grp_bc_decode - host-order bchdr; returns 1 if the sender was BE. */
int grp_bc_decode(const uint8_t *w, struct grp_bchdr *b);

/* grp_hereis_encode / _decode - the 32-byte HEREIS payload. */
void grp_hereis_encode(const struct grp_hereis *h, uint8_t *w);
void grp_hereis_decode(const uint8_t *w, struct grp_hereis *h, int big);

/* grp_hdr_encode / _decode - the 32-byte Amoeba header in messages. */
void grp_hdr_encode(const header *h, uint8_t *w);
void grp_hdr_decode(const uint8_t *w, header *h, int big);

#endif /* GRP_GRP_WIRE_H */
