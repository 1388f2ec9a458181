/*
 * grp_wire.c - encode and decode the bchdr and the HEREIS payload.
 *
 * Entry points: grp_bc_encode(), grp_bc_decode(), grp_hereis_encode(),
 * grp_hereis_decode(), grp_hdr_encode(), grp_hdr_decode().  Pure.
 */
#include <string.h>
#include "grp/grp_wire.h"
#include "flip/flip_wire.h"

void
grp_bc_encode(const struct grp_bchdr *b, uint8_t *w)
{
	w[0] = b->b_type;
	w[1] = b->b_flags & ~GRP_F_BIGENDIAN;
	flip_put16(w + 2, 0);
	flip_put16(w + 4, b->b_cpu);
	flip_put16(w + 6, b->b_incarnation);
	flip_put32(w + 8, b->b_seqno);
	flip_put32(w + 12, b->b_messid);
	flip_put32(w + 16, b->b_expect);
}

int
grp_bc_decode(const uint8_t *w, struct grp_bchdr *b)
{
	int big = w[1] & GRP_F_BIGENDIAN;

	b->b_type = w[0];
	b->b_flags = w[1] & ~GRP_F_BIGENDIAN;
	b->b_reserved = flip_get16(w + 2, big);
	b->b_cpu = flip_get16(w + 4, big);
	b->b_incarnation = flip_get16(w + 6, big);
	b->b_seqno = flip_get32(w + 8, big);
	b->b_messid = flip_get32(w + 12, big);
	b->b_expect = flip_get32(w + 16, big);
	return big != 0;
}

void
grp_hereis_encode(const struct grp_hereis *h, uint8_t *w)
{
	flip_put16(w, h->maxgroup);
	flip_put16(w + 2, h->lognbuf);
	flip_put16(w + 4, h->logmaxmess);
	flip_put16(w + 6, h->resilience);
	flip_put32(w + 8, h->large);
	flip_put16(w + 12, h->newidx);
	flip_put16(w + 14, h->seqidx);
	memcpy(w + 16, h->gaddr.a_abytes, 8);
	memcpy(w + 24, h->alladdr.a_abytes, 8);
}

void
grp_hereis_decode(const uint8_t *w, struct grp_hereis *h, int big)
{
	h->maxgroup = flip_get16(w, big);
	h->lognbuf = flip_get16(w + 2, big);
	h->logmaxmess = flip_get16(w + 4, big);
	h->resilience = flip_get16(w + 6, big);
	h->large = flip_get32(w + 8, big);
	h->newidx = flip_get16(w + 12, big);
	h->seqidx = flip_get16(w + 14, big);
	memcpy(h->gaddr.a_abytes, w + 16, 8);
	memcpy(h->alladdr.a_abytes, w + 24, 8);
}

void
grp_hdr_encode(const header *h, uint8_t *w)
{
	memcpy(w, h->h_port._portbytes, PORTSIZE);
	memcpy(w + 6, h->h_signature._portbytes, PORTSIZE);
	memcpy(w + 12, &h->h_priv, sizeof(h->h_priv));
	flip_put16(w + 22, h->h_command);
	flip_put32(w + 24, (uint32_t)h->h_offset);
	flip_put16(w + 28, h->h_size);
	flip_put16(w + 30, h->h_extra);
}

void
grp_hdr_decode(const uint8_t *w, header *h, int big)
{
	memcpy(h->h_port._portbytes, w, PORTSIZE);
	memcpy(h->h_signature._portbytes, w + 6, PORTSIZE);
	memcpy(&h->h_priv, w + 12, sizeof(h->h_priv));
	h->h_command = flip_get16(w + 22, big);
	h->h_offset = (int32)flip_get32(w + 24, big);
	h->h_size = flip_get16(w + 28, big);
	h->h_extra = flip_get16(w + 30, big);
}
