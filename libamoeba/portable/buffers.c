/*
 * buffers.c - little-endian marshalling into byte buffers (spec 1.5).
 *
 * Entry points: buf_put_*(), buf_get_*().  Each returns the advanced
 * cursor, or NULL on overflow or when handed a NULL cursor, so callers
 * check once at the end.  Pure; safe in any context.
 */
#include <stddef.h>
#include <string.h>
#include <amoeba.h>
#include <module/buffers.h>

/* Room for n more bytes at p? */
static int
buf_fits(const char *p, const char *end, size_t n)
{
	return p != NULL && end != NULL && p <= end && (size_t)(end - p) >= n;
}

static char *
buf_put_le(char *p, char *end, uint32 v, int n)
{
	int i;

	if (!buf_fits(p, end, n))
		return NULL;
	for (i = 0; i < n; i++)
		p[i] = (char)((v >> (8 * i)) & 0xFF);
	return p + n;
}

static char *
buf_get_le(char *p, char *end, uint32 *v, int n)
{
	int i;

	if (!buf_fits(p, end, n))
		return NULL;
	*v = 0;
	for (i = 0; i < n; i++)
		*v |= (uint32)(uint8)p[i] << (8 * i);
	return p + n;
}

static char *
buf_put_raw(char *p, char *end, const void *v, size_t n)
{
	if (!buf_fits(p, end, n))
		return NULL;
	memcpy(p, v, n);
	return p + n;
}

static char *
buf_get_raw(char *p, char *end, void *v, size_t n)
{
	if (!buf_fits(p, end, n))
		return NULL;
	memcpy(v, p, n);
	return p + n;
}

char *
buf_put_int16(char *p, char *end, int16 v)
{
	return buf_put_le(p, end, (uint16)v, 2);
}

char *
buf_put_uint16(char *p, char *end, uint16 v)
{
	return buf_put_le(p, end, v, 2);
}

char *
buf_put_int32(char *p, char *end, int32 v)
{
	return buf_put_le(p, end, (uint32)v, 4);
}

char *
buf_put_uint32(char *p, char *end, uint32 v)
{
	return buf_put_le(p, end, v, 4);
}

char *
buf_put_objnum(char *p, char *end, objnum v)
{
	return buf_put_int32(p, end, v);
}

char *
buf_put_right_bits(char *p, char *end, rights_bits v)
{
	return buf_put_int32(p, end, v);
}

char *
buf_put_port(char *p, char *end, const port *v)
{
	return buf_put_raw(p, end, v, sizeof(*v));
}

char *
buf_put_priv(char *p, char *end, const private *v)
{
	return buf_put_raw(p, end, v, sizeof(*v));
}

char *
buf_put_cap(char *p, char *end, const capability *v)
{
	return buf_put_raw(p, end, v, sizeof(*v));
}

char *
buf_put_string(char *p, char *end, const char *s)
{
	return buf_put_raw(p, end, s, strlen(s) + 1);
}

char *
buf_get_int16(char *p, char *end, int16 *v)
{
	uint32 u;

	p = buf_get_le(p, end, &u, 2);
	if (p != NULL)
		*v = (int16)(uint16)u;
	return p;
}

char *
buf_get_uint16(char *p, char *end, uint16 *v)
{
	uint32 u;

	p = buf_get_le(p, end, &u, 2);
	if (p != NULL)
		*v = (uint16)u;
	return p;
}

char *
buf_get_int32(char *p, char *end, int32 *v)
{
	uint32 u;

	p = buf_get_le(p, end, &u, 4);
	if (p != NULL)
		*v = (int32)u;
	return p;
}

char *
buf_get_uint32(char *p, char *end, uint32 *v)
{
	return buf_get_le(p, end, v, 4);
}

char *
buf_get_objnum(char *p, char *end, objnum *v)
{
	return buf_get_int32(p, end, v);
}

char *
buf_get_right_bits(char *p, char *end, rights_bits *v)
{
	return buf_get_int32(p, end, v);
}

char *
buf_get_port(char *p, char *end, port *v)
{
	return buf_get_raw(p, end, v, sizeof(*v));
}

char *
buf_get_priv(char *p, char *end, private *v)
{
	return buf_get_raw(p, end, v, sizeof(*v));
}

char *
buf_get_cap(char *p, char *end, capability *v)
{
	return buf_get_raw(p, end, v, sizeof(*v));
}

char *
buf_get_string(char *p, char *end, char **s)
{
	size_t n;

	if (!buf_fits(p, end, 1))
		return NULL;
	n = strnlen(p, (size_t)(end - p));
	if (n == (size_t)(end - p))
		return NULL;		/* no NUL before the end */
	*s = p;
	return p + n + 1;
}
