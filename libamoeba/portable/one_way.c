/*
 * one_way.c - the port one-way function F (spec 1.3): a 16-round DES
 * style Feistel cipher on a 48-bit block, keyed by the port, applied to
 * the all-zero block.  put-port = F(get-port).
 *
 * Entry points: one_way(), priv2pub().  Pure; safe in any context.
 */
#include <amoeba.h>
#include <module/prv.h>
#include "libamoeba/portable/des.h"

static const uint8_t ow_fp[48] = {
	16, 14, 13, 8, 38, 33, 19, 20, 23, 45, 15, 21, 6, 42, 26, 46,
	22, 5, 32, 30, 12, 37, 41, 0, 40, 24, 27, 1, 17, 11, 25, 44,
	9, 43, 2, 34, 36, 4, 29, 35, 18, 10, 7, 31, 3, 39, 47, 28,
};

static const uint8_t ow_e[48] = {
	22, 15, 12, 3, 8, 2, 23, 16, 14, 13, 9, 10, 0, 1, 21, 19,
	18, 6, 11, 7, 17, 4, 20, 5, 5, 17, 11, 13, 12, 14, 8, 7,
	19, 22, 18, 9, 3, 4, 1, 6, 16, 2, 20, 15, 10, 23, 0, 21,
};

static const uint8_t ow_p[24] = {
	3, 13, 9, 12, 8, 20, 21, 7, 5, 23, 16, 1, 14, 18, 4, 15,
	22, 10, 2, 0, 11, 19, 17, 6,
};

/* Spread the 48 port bits over 64 key positions, skipping i%8 = 6, 7. */
static void
ow_key(const port *in, uint8_t key[64])
{
	int i, j = 0;

	for (i = 0; i < 64; i++) {
		if (i % 8 >= 6) {
			key[i] = 0;
			continue;
		}
		key[i] = (in->_portbytes[j / 8] >> (j % 8)) & 1;
		j++;
	}
}

/* One Feistel round on st[0..23] = L, st[24..47] = R. */
static void
ow_round(uint8_t st[48], const uint8_t k[48])
{
	uint8_t pre[48], f[32], nr[24];
	unsigned v;
	int i, b;

	for (i = 0; i < 48; i++)
		pre[i] = st[24 + ow_e[i]] ^ k[i];
	for (b = 0; b < 8; b++) {
		v = des_sbox_lookup(b, pre + 6 * b);
		for (i = 0; i < 4; i++)
			f[4 * b + i] = (v >> (3 - i)) & 1;
	}
	for (i = 0; i < 24; i++)
		nr[i] = st[i] ^ f[ow_p[i]];
	for (i = 0; i < 24; i++) {
		st[i] = st[24 + i];
		st[24 + i] = nr[i];
	}
}

void
one_way(const port *in, port *out)
{
	uint8_t key[64], sub[16][48], st[48], sw[48];
	int i, r;

	if (NULLPORT(in)) {
		*out = *in;
		return;
	}
	ow_key(in, key);
	des_key_schedule(key, sub);
	for (i = 0; i < 48; i++)
		st[i] = 0;
	for (r = 0; r < 16; r++)
		ow_round(st, sub[r]);
	for (i = 0; i < 24; i++) {
		sw[i] = st[24 + i];
		sw[24 + i] = st[i];
	}
	for (i = 0; i < PORTSIZE; i++)
		out->_portbytes[i] = 0;
	for (i = 0; i < 48; i++)
		out->_portbytes[i / 8] |= sw[ow_fp[i]] << (i % 8);
	if (NULLPORT(out))
		out->_portbytes[0] |= 1;
}

void
priv2pub(const port *getport, port *putport)
{
	one_way(getport, putport);
}
