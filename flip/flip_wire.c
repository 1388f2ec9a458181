/*
 * flip_wire.c - encode and decode the 40-byte FLIP header.
 *
 * Entry points: flip_hdr_encode(), flip_hdr_decode().  Pure.
 */
#include <string.h>
#include "flip/flip_wire.h"

void
flip_hdr_encode(const struct flip_hdr *h, uint8_t *w)
{
	w[0] = h->fh_version;
	w[1] = h->fh_type;
	w[2] = h->fh_flags & ~FL_F_BIGENDIAN;
	w[3] = h->fh_res;
	flip_put16(w + 4, h->fh_act_hop);
	flip_put16(w + 6, h->fh_max_hop);
	memcpy(w + 8, h->fh_dstaddr.a_abytes, 8);
	memcpy(w + 16, h->fh_srcaddr.a_abytes, 8);
	flip_put32(w + 24, h->fh_messid);
	flip_put32(w + 28, h->fh_length);
	flip_put32(w + 32, h->fh_offset);
	flip_put32(w + 36, h->fh_total);
}

int
flip_hdr_decode(const uint8_t *w, struct flip_hdr *h)
{
	int big = w[2] & FL_F_BIGENDIAN;

	h->fh_version = w[0];
	h->fh_type = w[1];
	h->fh_flags = w[2] & ~FL_F_BIGENDIAN;
	h->fh_res = w[3];
	h->fh_act_hop = flip_get16(w + 4, big);
	h->fh_max_hop = flip_get16(w + 6, big);
	memcpy(h->fh_dstaddr.a_abytes, w + 8, 8);
	memcpy(h->fh_srcaddr.a_abytes, w + 16, 8);
	h->fh_messid = flip_get32(w + 24, big);
	h->fh_length = flip_get32(w + 28, big);
	h->fh_offset = flip_get32(w + 32, big);
	h->fh_total = flip_get32(w + 36, big);
	return h->fh_version == FLIP_VERSION ? 0 : -1;
}
