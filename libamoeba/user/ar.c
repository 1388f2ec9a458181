/*
 * ar.c - capabilities and ports as text (module/ar.h).
 *
 * Entry points: ar_cap, ar_port, ar_priv, ar_tocap, ar_toport, ar_topriv.
 */
#include <stdio.h>
#include <stdlib.h>

#include <amoeba.h>
#include <module/ar.h>
#include <module/prv.h>

#define PORTTEXT	(PORTSIZE * 3)			/* "FF:" x 6 */
#define PRIVTEXT	(10 + 4 + PORTTEXT)		/* "16777215(FF)/" */

static char *
put_port(char *buf, size_t n, const port *p)
{
	const uint8 *b = p->_portbytes;

	snprintf(buf, n, "%X:%X:%X:%X:%X:%X", b[0], b[1], b[2], b[3], b[4],
		 b[5]);
	return buf;
}

static char *
put_priv(char *buf, size_t n, const private *priv)
{
	char pb[PORTTEXT + 1];

	snprintf(buf, n, "%ld(%X)/%s", (long)prv_number(priv),
		 priv->prv_rights & 0xFFu,
		 put_port(pb, sizeof(pb), &priv->prv_random));
	return buf;
}

char *
ar_port(port *p)
{
	static char buf[PORTTEXT + 1];

	return put_port(buf, sizeof(buf), p);
}

char *
ar_priv(private *priv)
{
	static char buf[PRIVTEXT + 1];

	return put_priv(buf, sizeof(buf), priv);
}

char *
ar_cap(capability *cap)
{
	static char buf[PORTTEXT + 1 + PRIVTEXT + 1];
	char pb[PORTTEXT + 1], vb[PRIVTEXT + 1];

	snprintf(buf, sizeof(buf), "%s/%s",
		 put_port(pb, sizeof(pb), &cap->cap_port),
		 put_priv(vb, sizeof(vb), &cap->cap_priv));
	return buf;
}

/* One hex number up to max; the text after it, or NULL. */
static char *
get_hex(char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (s == NULL || !((*s >= '0' && *s <= '9') ||
			   (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
		return NULL;
	*v = strtoul(s, &end, 16);
	return *v <= max ? end : NULL;
}

char *
ar_toport(char *s, port *p)
{
	unsigned long v;

	for (int i = 0; i < PORTSIZE; i++) {
		if (i > 0 && (s == NULL || *s++ != ':'))
			return NULL;
		s = get_hex(s, 0xFF, &v);
		if (s == NULL)
			return NULL;
		p->_portbytes[i] = (uint8)v;
	}
	return s;
}

char *
ar_topriv(char *s, private *priv)
{
	unsigned long obj, rights;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return NULL;
	obj = strtoul(s, &end, 10);
	if (obj > MAX_OBJNUM || *end != '(')
		return NULL;
	s = get_hex(end + 1, 0xFF, &rights);
	if (s == NULL || s[0] != ')' || s[1] != '/')
		return NULL;
	s = ar_toport(s + 2, &priv->prv_random);
	if (s == NULL)
		return NULL;
	priv->prv_object[0] = (uint8)obj;
	priv->prv_object[1] = (uint8)(obj >> 8);
	priv->prv_object[2] = (uint8)(obj >> 16);
	priv->prv_rights = (uint8)rights;
	return s;
}

char *
ar_tocap(char *s, capability *cap)
{
	s = ar_toport(s, &cap->cap_port);
	if (s == NULL || *s != '/')
		return NULL;
	return ar_topriv(s + 1, &cap->cap_priv);
}
