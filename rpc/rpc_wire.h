/*
 * rpc_wire.h - FLIP-RPC wire formats (spec 3.1 - 3.4): the 24-byte
 * amphdr, the 32-byte Amoeba header as sent, message types and flags,
 * and their encoders/decoders.
 *
 * We send little-endian with FL_BIGENDIAN clear; a big-endian sender's
 * ah_tid/ah_dest/ah_from (and h_command/h_offset/h_size/h_extra) are
 * swapped on receipt.
 */
#ifndef RPC_RPC_WIRE_H
#define RPC_RPC_WIRE_H

#include <stdint.h>
#include <amoeba.h>

#define RPC_AMPHDR_SIZE	24
#define RPC_HDR_SIZE	HEADERSIZE
#define RPC_MSGHDRS	(RPC_AMPHDR_SIZE + RPC_HDR_SIZE)	/* 56 */
#define RPC_LOCATE_SIZE	(4 + RPC_AMPHDR_SIZE)			/* 28 */
#define RPC_PROTO_AMRPC	1	/* u32 BE protocol id of RPC locates */

/* ah_type */
#define RPC_T_LOCATE	1
#define RPC_T_HEREIS	2
#define RPC_T_REQUEST	3
#define RPC_T_REPLY	4
#define RPC_T_ACK	5
#define RPC_T_NAK	6
#define RPC_T_ENQUIRE	7
#define RPC_T_ALIVE	8
#define RPC_T_RECEIVED	9
#define RPC_T_FORWARD	10
#define RPC_T_FAIL	11

/* ah_flags */
#define RPC_FL_BIGENDIAN 0x01
#define RPC_FL_RETRANS	0x02
#define RPC_FL_REQUEST	0x04
#define RPC_FL_REPLY	0x08
#define RPC_FL_SIGTRANS	0x10

struct rpc_amphdr {
	uint8_t ah_kid[8];	/* client kernel id (REQUEST, RECEIVED) */
	port ah_port;		/* put-port (LOCATE, HEREIS, REQUEST) */
	uint8_t ah_type;	/* RPC_T_* */
	uint8_t ah_flags;	/* RPC_FL_* */
	uint32_t ah_tid;	/* transaction id / locate timestamp */
	uint16_t ah_dest;	/* receiver thread (REQUEST: round trip) */
	uint16_t ah_from;	/* sender thread */
};
_Static_assert(sizeof(struct rpc_amphdr) == RPC_AMPHDR_SIZE, "amphdr is 24");

/* rpc_amp_encode - 24 wire bytes, little-endian, FL_BIGENDIAN clear. */
void rpc_amp_encode(const struct rpc_amphdr *a, uint8_t *w);

/* rpc_amp_decode - host-order amphdr; returns 1 if the sender was BE. */
int rpc_amp_decode(const uint8_t *w, struct rpc_amphdr *a);

/* rpc_hdr_encode / rpc_hdr_decode - the 32-byte Amoeba header. */
void rpc_hdr_encode(const header *h, uint8_t *w);
void rpc_hdr_decode(const uint8_t *w, header *h, int big);

#endif /* RPC_RPC_WIRE_H */
