/*
 * module/prv.h - capability private parts: the port one-way function F,
 * and encoding, validating and restricting rights (spec 1.3, 1.4).
 */
#ifndef MODULE_PRV_H
#define MODULE_PRV_H

#include <amoeba.h>

/* one_way - F: the 48-bit DES variant; F(null) = null, F(x) never null. */
void one_way(const port *in, port *out);

/* priv2pub - put-port = F(get-port). */
void priv2pub(const port *getport, port *putport);

/*
 * prv_encode - fill *prv for object obj with rights, protected by the
 * object's secret random.  Returns 0, or -1 if obj is out of range.
 */
int prv_encode(private *prv, objnum obj, rights_bits rights,
	       const port *random);

/*
 * prv_decode - validate *prv against random.  Returns 0 and the rights
 * in *rights if the check field is right, else -1.
 */
int prv_decode(const private *prv, rights_bits *rights, const port *random);

/* prv_number - the object number of *prv (0 .. MAX_OBJNUM). */
objnum prv_number(const private *prv);

/*
 * prv_restrict - the client-side shortcut of std_restrict: if *prv has
 * all rights, build the private part with rights & mask in *out and
 * return STD_OK; otherwise return STD_NOTNOW (ask the server).
 */
errstat prv_restrict(const private *prv, rights_bits mask, private *out);

/*
 * prv_restrict_server - the server side of STD_RESTRICT: validate *prv
 * against random and re-encode with rights & mask.  STD_CAPBAD if the
 * check field is wrong.
 */
errstat prv_restrict_server(const private *prv, rights_bits mask,
			    const port *random, private *out);

#endif /* MODULE_PRV_H */
