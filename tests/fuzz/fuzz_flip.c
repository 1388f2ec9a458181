/*
 * fuzz_flip.c - raw Ethernet frames into node B's FLIP switch: random
 * bytes, well-formed headers with lying lengths, offsets and hop counts,
 * truncated frames, and fc_hdr control frames.  B must keep serving.
 *
 * Input: byte 0 picks the shape (see fz_build), the rest is material.
 */
#include <string.h>
#include "flip/flip_wire.h"
#include "fuzz_common.h"

static const uint8_t fz_fake_mac[6] = { 0x02, 0xde, 0xad, 0, 0, 0x99 };

static uint32_t
fz_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Ethernet header to B from the fake station. */
static void
fz_ether(uint8_t *f)
{
	memcpy(f, fz_b->nic.mac, 6);
	memcpy(f + 6, fz_fake_mac, 6);
	f[12] = 0x81;
	f[13] = 0x46;
}

/* A FLIP header from input fields; dst chosen by sel. */
static size_t
fz_header_frame(uint8_t *f, const uint8_t *d, size_t n)
{
	struct flip_hdr h;
	size_t body;

	if (n < 24)
		return 0;
	memset(&h, 0, sizeof(h));
	h.fh_version = 1;
	h.fh_type = d[0] % 8;
	h.fh_flags = d[1];
	h.fh_act_hop = d[2] % 32;
	h.fh_max_hop = d[3] % 32;
	if (d[4] & 1)
		h.fh_dstaddr = fz_b->proc.pub;
	else if (!(d[4] & 2))
		memcpy(h.fh_dstaddr.a_abytes, d + 8, 8);
	memcpy(h.fh_srcaddr.a_abytes, d + 16, 8);
	h.fh_srcaddr.a_abytes[0] |= d[4] & 4;	/* sometimes non-null */
	h.fh_messid = d[5];
	h.fh_length = d[6] & 1 ? fz_u32(d + 4) : n - 24;
	h.fh_offset = d[6] & 2 ? fz_u32(d + 8) % 70000 : 0;
	h.fh_total = d[6] & 4 ? fz_u32(d + 12) : h.fh_offset + n - 24;
	fz_ether(f);
	f[14] = 0;
	f[15] = d[7];
	flip_hdr_encode(&h, f + 16);
	if (d[6] & 8)
		f[18] |= FL_F_BIGENDIAN;	/* claim big-endian */
	body = n - 24 > 1458 ? 1458 : n - 24;
	memcpy(f + 56, d + 24, body);
	if ((d[4] & 8) && body >= 4 + 14)	/* RPC locate for B's port */
		memcpy(f + 56 + 12, fz_srv.c.sv.putport._portbytes, PORTSIZE);
	else if ((d[4] & 16) && body >= 14)	/* RPC packet for B's port */
		memcpy(f + 56 + 8, fz_srv.c.sv.putport._portbytes, PORTSIZE);
	return 56 + body;
}

static size_t
fz_build(uint8_t *f, const uint8_t *d, size_t n)
{
	size_t len;

	switch (d[0] % 4) {
	case 0:				/* raw bytes */
		len = n - 1 > 1514 ? 1514 : n - 1;
		memcpy(f, d + 1, len);
		return len;
	case 1:				/* ether header, fuzzed body */
		fz_ether(f);
		len = n - 1 > 1500 ? 1500 : n - 1;
		memcpy(f + 14, d + 1, len);
		return 14 + len;
	case 2:				/* well-formed-ish FLIP header */
		return fz_header_frame(f, d + 1, n - 1);
	default:			/* flow-control frames */
		fz_ether(f);
		f[14] = n > 1 ? d[1] % 9 : 0;
		f[15] = n > 2 ? d[2] : 0;
		memset(f + 16, 0, 44);
		return 60;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t frame[1600];
	size_t len;

	fz_world();
	if (size == 0)
		return 0;
	len = fz_build(frame, data, size);
	flip_net_input(&fz_b->sw, fz_b->nic.ntw, frame, len);
	fz_after_input();
	return 0;
}
