/*
 * flip_oneway.c - FLIP address helpers: G = flip_oneway(private) (spec
 * 2.1), the public address an endpoint is routed on, and adr_random.
 *
 * G is standard DES with every byte bit-reversed (Amoeba's DES package
 * numbers bit 1 as the LSB of byte 0), keyed by the private address and
 * applied to the zero block.  Entry points: flip_oneway(),
 * flip_adr_random().  Pure; safe in any context.
 */
#include <string.h>
#include "flip/flip.h"
#include "flip/flip_port.h"
#include "libamoeba/portable/des.h"

static uint8_t
flip_bitrev(uint8_t b)
{
	uint8_t r = 0;
	int i;

	for (i = 0; i < 8; i++)
		if (b & (1 << i))
			r |= 0x80 >> i;
	return r;
}

/* Amoeba-convention DES of the zero block under key. */
static void
flip_amdes(const uint8_t key[8], uint8_t out[8])
{
	static const uint8_t zero[8];
	uint8_t k[8], o[8];
	int i;

	for (i = 0; i < 8; i++)
		k[i] = flip_bitrev(key[i]);
	des_encrypt(k, zero, o);
	for (i = 0; i < 8; i++)
		out[i] = flip_bitrev(o[i]);
}

void
flip_oneway(const flip_adr_t *prv, flip_adr_t *pub)
{
	flip_adr_t t = *prv, o;

	t.a_abytes[7] = 0;
	if (flip_adr_null(&t)) {
		*pub = *prv;
		return;
	}
	flip_amdes(prv->a_abytes, o.a_abytes);
	o.a_abytes[7] = 0;
	if (flip_adr_null(&o)) {
		t = o;
		flip_amdes(t.a_abytes, o.a_abytes);
	}
	*pub = o;
	pub->a_abytes[7] = prv->a_abytes[7];
}

void
flip_adr_random(flip_adr_t *a)
{
	flip_port_random(a->a_abytes, sizeof(a->a_abytes));
	a->a_abytes[7] = 0;
}
