/*
 * prv.c - private parts of capabilities (spec 1.4): encoding rights
 * under a check field, validating them, and restricting rights.
 *
 * Entry points: prv_encode(), prv_decode(), prv_number(), prv_restrict(),
 * prv_restrict_server().  Pure; safe in any context.
 */
#include <amoeba.h>
#include <stderr.h>
#include <module/prv.h>

/* The check field for rights r < all: F(random with byte 0 ^= r). */
static void
prv_check(rights_bits rights, const port *random, port *check)
{
	port t = *random;

	t._portbytes[0] ^= (uint8)rights;
	one_way(&t, check);
}

int
prv_encode(private *prv, objnum obj, rights_bits rights, const port *random)
{
	if (obj < 0 || obj > MAX_OBJNUM)
		return -1;
	prv->prv_object[0] = obj & 0xFF;
	prv->prv_object[1] = (obj >> 8) & 0xFF;
	prv->prv_object[2] = (obj >> 16) & 0xFF;
	prv->prv_rights = rights & 0xFF;
	if (prv->prv_rights == PRV_ALL_RIGHTS)
		prv->prv_random = *random;
	else
		prv_check(prv->prv_rights, random, &prv->prv_random);
	return 0;
}

int
prv_decode(const private *prv, rights_bits *rights, const port *random)
{
	port want;

	if (prv->prv_rights == PRV_ALL_RIGHTS)
		want = *random;
	else
		prv_check(prv->prv_rights, random, &want);
	if (!PORTCMP(&want, &prv->prv_random))
		return -1;
	*rights = prv->prv_rights;
	return 0;
}

objnum
prv_number(const private *prv)
{
	return prv->prv_object[0] | (prv->prv_object[1] << 8) |
	       (prv->prv_object[2] << 16);
}

errstat
prv_restrict(const private *prv, rights_bits mask, private *out)
{
	port random;

	if (prv->prv_rights != PRV_ALL_RIGHTS)
		return STD_NOTNOW;
	random = prv->prv_random;
	prv_encode(out, prv_number(prv), mask & PRV_ALL_RIGHTS, &random);
	return STD_OK;
}

errstat
prv_restrict_server(const private *prv, rights_bits mask, const port *random,
		    private *out)
{
	rights_bits have;

	if (prv_decode(prv, &have, random) < 0)
		return STD_CAPBAD;
	prv_encode(out, prv_number(prv), have & mask, random);
	return STD_OK;
}
