/*
 * rpc_wire.c - encode and decode the amphdr and the Amoeba header.
 *
 * Entry points: rpc_amp_encode(), rpc_amp_decode(), rpc_hdr_encode(),
 * rpc_hdr_decode().  Pure.
 */
#include <string.h>
#include "rpc/rpc_wire.h"
#include "flip/flip_wire.h"

/*
 * Fixed-size copies, inline: the kernel builds with -fno-builtin, where
 * every memcpy of a port costs a call (the header is encoded and decoded
 * on every transaction, local ones included).
 */
#define WCOPY(d, s, n)	__builtin_memcpy((d), (s), (n))

void
rpc_amp_encode(const struct rpc_amphdr *a, uint8_t *w)
{
	WCOPY(w, a->ah_kid, 8);
	WCOPY(w + 8, a->ah_port._portbytes, PORTSIZE);
	w[14] = a->ah_type;
	w[15] = a->ah_flags & ~RPC_FL_BIGENDIAN;
	flip_put32(w + 16, a->ah_tid);
	flip_put16(w + 20, a->ah_dest);
	flip_put16(w + 22, a->ah_from);
}

int
rpc_amp_decode(const uint8_t *w, struct rpc_amphdr *a)
{
	int big = w[15] & RPC_FL_BIGENDIAN;

	WCOPY(a->ah_kid, w, 8);
	WCOPY(a->ah_port._portbytes, w + 8, PORTSIZE);
	a->ah_type = w[14];
	a->ah_flags = w[15] & ~RPC_FL_BIGENDIAN;
	a->ah_tid = flip_get32(w + 16, big);
	a->ah_dest = flip_get16(w + 20, big);
	a->ah_from = flip_get16(w + 22, big);
	return big != 0;
}

void
rpc_hdr_encode(const header *h, uint8_t *w)
{
	WCOPY(w, h->h_port._portbytes, PORTSIZE);
	WCOPY(w + 6, h->h_signature._portbytes, PORTSIZE);
	WCOPY(w + 12, &h->h_priv, sizeof(h->h_priv));
	flip_put16(w + 22, h->h_command);
	flip_put32(w + 24, (uint32_t)h->h_offset);
	flip_put16(w + 28, h->h_size);
	flip_put16(w + 30, h->h_extra);
}

void
rpc_hdr_decode(const uint8_t *w, header *h, int big)
{
	WCOPY(h->h_port._portbytes, w, PORTSIZE);
	WCOPY(h->h_signature._portbytes, w + 6, PORTSIZE);
	WCOPY(&h->h_priv, w + 12, sizeof(h->h_priv));
	h->h_command = flip_get16(w + 22, big);
	h->h_offset = (int32)flip_get32(w + 24, big);
	h->h_size = flip_get16(w + 28, big);
	h->h_extra = flip_get16(w + 30, big);
}
