/*
 * flip_wire.h - FLIP wire formats (spec 2.2, 2.3): the 40-byte FLIP
 * packet header, the 2-byte Ethernet fragment-control header, the
 * Ethernet framing constants, and the encoders/decoders between wire
 * bytes and host-order structs.
 *
 * FLIP headers go out little-endian with FL_F_BIGENDIAN clear; received
 * big-endian headers are swapped and the flag cleared.
 */
#ifndef FLIP_FLIP_WIRE_H
#define FLIP_FLIP_WIRE_H

#include <stdint.h>
#include <stddef.h>
#include "flip/flip.h"

#define FLIP_VERSION		1
#define FLIP_HDR_SIZE		40
#define FLIP_FC_SIZE		2
#define FLIP_ETHERTYPE		0x8146
#define FLIP_ETH_HDR		14
#define FLIP_ETH_MIN		60	/* minimum frame without FCS */
#define FLIP_ETH_MAX		1514	/* maximum frame without FCS */
#define FLIP_ETH_MTU		1500
#define FLIP_ETH_DATA		(FLIP_ETH_MTU - FLIP_HDR_SIZE - FLIP_FC_SIZE)

/* fh_type */
#define FL_T_LOCATE		1
#define FL_T_HEREIS		2
#define FL_T_UNIDATA		3
#define FL_T_MULTIDATA		4
#define FL_T_NOTHERE		5
#define FL_T_UNTRUSTED		6

/* fh_flags */
#define FL_F_BIGENDIAN		0x01
#define FL_F_CODEFIELD		0x02
#define FL_F_SECURITY		0x04
#define FL_F_UNREACHABLE	0x10
#define FL_F_UNSAFE		0x20

/* fc_type */
#define FC_DATA			0
#define FC_REQCREDIT		1
#define FC_CREDIT		2
#define FC_MCREQ		3
#define FC_MCACK		4
#define FC_MCNAK		5
#define FC_ABSCREDIT		6

struct flip_hdr {
	uint8_t fh_version;	/* FLIP_VERSION */
	uint8_t fh_type;	/* FL_T_* */
	uint8_t fh_flags;	/* FL_F_* */
	uint8_t fh_res;		/* reserved, 0 */
	uint16_t fh_act_hop;	/* hops so far (sum of weights) */
	uint16_t fh_max_hop;	/* hop budget */
	flip_adr_t fh_dstaddr;	/* destination (null = broadcast) */
	flip_adr_t fh_srcaddr;	/* source public address */
	uint32_t fh_messid;	/* message id */
	uint32_t fh_length;	/* data bytes in this packet */
	uint32_t fh_offset;	/* offset of this data in the message */
	uint32_t fh_total;	/* message length */
};
_Static_assert(sizeof(struct flip_hdr) == FLIP_HDR_SIZE, "flip_hdr is 40");

struct flip_fc_hdr {
	uint8_t fc_type;	/* FC_* */
	uint8_t fc_cnt;		/* credits */
};
_Static_assert(sizeof(struct flip_fc_hdr) == FLIP_FC_SIZE, "fc_hdr is 2");

/* flip_hdr_encode - write h to 40 wire bytes (little-endian, flag clear). */
void flip_hdr_encode(const struct flip_hdr *h, uint8_t *wire);

/*
 * flip_hdr_decode - read 40 wire bytes into host-order h, swapping if
 * FL_F_BIGENDIAN is set (the flag is cleared in h).  Returns 0, or -1 for
 * a wrong version.
 */
int flip_hdr_decode(const uint8_t *wire, struct flip_hdr *h);

/* Little/big-endian byte helpers shared by flip/ and rpc/. */
static inline uint16_t
flip_get16(const uint8_t *p, int big)
{
	return big ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static inline uint32_t
flip_get32(const uint8_t *p, int big)
{
	if (big)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static inline void
flip_put16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xFF;
	p[1] = v >> 8;
}

static inline void
flip_put32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xFF;
	p[1] = (v >> 8) & 0xFF;
	p[2] = (v >> 16) & 0xFF;
	p[3] = v >> 24;
}

#endif /* FLIP_FLIP_WIRE_H */
