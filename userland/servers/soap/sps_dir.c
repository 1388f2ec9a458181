/*
 * sps_dir.c - directories in memory and in their Bullet file (format in
 * sps.h): rows with names, capsets, column masks; encode and a decoder
 * that trusts nothing (it is fuzzed: tests/fuzz/fuzz_soap_dir.c).
 */
#include <stdlib.h>
#include <string.h>

#include <stderr.h>
#include <module/buffers.h>
#include "sps.h"

uint32_t
sps_fnv(const void *buf, size_t n)
{
	const uint8_t *p = buf;
	uint32_t h = 0x811C9DC5u;

	while (n--)
		h = (h ^ *p++) * 0x01000193u;
	return h;
}

/* Printable ASCII without space or '/', 1..SP_NAMEMAX, not "." or "..". */
int
sps_name_ok(const char *name)
{
	size_t n = 0;

	if (name == NULL)
		return 0;
	for (; name[n]; n++)
		if (n >= SP_NAMEMAX || name[n] <= ' ' || name[n] > '~' ||
		    name[n] == '/')
			return 0;
	if (n == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 0;
	return 1;
}

void
sps_dir_free(struct sps_dir *d)
{
	int i;

	if (d == NULL)
		return;
	for (i = 0; i < SP_MAXCOLUMNS; i++)
		free(d->colname[i]);
	for (i = 0; i < d->nrows; i++)
		free(d->rows[i].name);
	free(d->rows);
	free(d);
}

struct sps_dir *
sps_dir_new(int ncols, char *const names[])
{
	struct sps_dir *d;
	int i;

	if (ncols < 1 || ncols > SP_MAXCOLUMNS)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	d->ncols = ncols;
	for (i = 0; i < ncols; i++)
		if ((d->colname[i] = strdup(names[i])) == NULL) {
			sps_dir_free(d);
			return NULL;
		}
	return d;
}

struct sps_dir *
sps_dir_copy(const struct sps_dir *d)
{
	struct sps_dir *c = sps_dir_new(d->ncols, d->colname);
	int i;

	if (c == NULL)
		return NULL;
	c->rows = calloc((size_t)d->nrows + 1, sizeof(struct sps_row));
	if (c->rows == NULL) {
		sps_dir_free(c);
		return NULL;
	}
	c->maxrows = d->nrows + 1;
	for (i = 0; i < d->nrows; i++) {
		c->rows[i] = d->rows[i];
		c->rows[i].name = strdup(d->rows[i].name);
		if (c->rows[i].name == NULL) {
			c->nrows = i;
			sps_dir_free(c);
			return NULL;
		}
	}
	c->nrows = d->nrows;
	return c;
}

int
sps_dir_find(const struct sps_dir *d, const char *name)
{
	int i;

	for (i = 0; i < d->nrows; i++)
		if (strcmp(d->rows[i].name, name) == 0)
			return i;
	return -1;
}

/* Append a row (missing masks are 0).  The caller checked the name. */
errstat
sps_dir_add(struct sps_dir *d, const char *name, const struct sps_capset *cs,
	    const rights_bits *mask, int nmask, uint32_t time)
{
	struct sps_row *r;
	int i;

	if (d->nrows >= SPS_MAXROWS)
		return STD_NOSPACE;
	if (d->nrows == d->maxrows) {
		int m = d->maxrows ? 2 * d->maxrows : 8;

		r = realloc(d->rows, (size_t)m * sizeof(*r));
		if (r == NULL)
			return STD_NOMEM;
		d->rows = r;
		d->maxrows = m;
	}
	r = &d->rows[d->nrows];
	memset(r, 0, sizeof(*r));
	if ((r->name = strdup(name)) == NULL)
		return STD_NOMEM;
	r->cs = *cs;
	for (i = 0; i < nmask && i < SP_MAXCOLUMNS; i++)
		r->mask[i] = mask[i] & 0xFF;
	r->time = time;
	d->nrows++;
	return STD_OK;
}

void
sps_dir_remove(struct sps_dir *d, int row)
{
	free(d->rows[row].name);
	memmove(&d->rows[row], &d->rows[row + 1],
		(size_t)(d->nrows - row - 1) * sizeof(struct sps_row));
	d->nrows--;
}

char *
sps_put_capset(char *p, char *end, const struct sps_capset *cs)
{
	int i;

	p = buf_put_int16(p, end, cs->initial);
	p = buf_put_int16(p, end, cs->final);
	for (i = 0; i < cs->final; i++) {
		p = buf_put_cap(p, end, &cs->s[i].s_object);
		p = buf_put_int16(p, end, cs->s[i].s_current);
	}
	return p;
}

/* A capset of 1..MAXCAPSET members, else NULL. */
char *
sps_get_capset(char *p, char *end, struct sps_capset *cs)
{
	int16 cur;
	int i;

	memset(cs, 0, sizeof(*cs));
	p = buf_get_int16(p, end, &cs->initial);
	p = buf_get_int16(p, end, &cs->final);
	if (p == NULL || cs->final < 1 || cs->final > MAXCAPSET)
		return NULL;
	for (i = 0; i < cs->final; i++) {
		p = buf_get_cap(p, end, &cs->s[i].s_object);
		p = buf_get_int16(p, end, &cur);
		cs->s[i].s_current = cur;
	}
	return p;
}

static size_t
dir_size(const struct sps_dir *d)
{
	size_t n = 8 + 4;		/* magic, counts; checksum */
	int i;

	for (i = 0; i < d->ncols; i++)
		n += strlen(d->colname[i]) + 1;
	for (i = 0; i < d->nrows; i++)
		n += strlen(d->rows[i].name) + 1 + 4 +
		     (size_t)d->rows[i].cs.final * (CAPSIZE + 2) +
		     4 * (size_t)d->ncols + CAPSIZE + 4;
	return n;
}

errstat
sps_dir_encode(const struct sps_dir *d, char **bufp, size_t *np)
{
	size_t n = dir_size(d);
	char *buf = malloc(n), *p, *e;
	int i, c;

	if (buf == NULL)
		return STD_NOMEM;
	e = buf + n;
	p = buf_put_uint32(buf, e, SPS_DIRMAGIC);
	p = buf_put_uint16(p, e, (uint16)d->ncols);
	p = buf_put_uint16(p, e, (uint16)d->nrows);
	for (i = 0; i < d->ncols; i++)
		p = buf_put_string(p, e, d->colname[i]);
	for (i = 0; i < d->nrows; i++) {
		const struct sps_row *r = &d->rows[i];

		p = buf_put_string(p, e, r->name);
		p = sps_put_capset(p, e, &r->cs);
		for (c = 0; c < d->ncols; c++)
			p = buf_put_right_bits(p, e, r->mask[c]);
		p = buf_put_cap(p, e, &r->type);
		p = buf_put_uint32(p, e, r->time);
	}
	if (p == NULL || (size_t)(e - p) != 4) {
		free(buf);
		return STD_SYSERR;
	}
	buf_put_uint32(p, e, sps_fnv(buf, n - 4));
	*bufp = buf;
	*np = n;
	return STD_OK;
}

static char *
decode_rows(struct sps_dir *d, char *p, char *e, int nrows)
{
	struct sps_capset cs;
	rights_bits m[SP_MAXCOLUMNS];
	capability type;
	uint32_t t;
	char *name;
	int i, c;

	for (i = 0; i < nrows && p != NULL; i++) {
		p = buf_get_string(p, e, &name);
		p = sps_get_capset(p, e, &cs);
		for (c = 0; c < d->ncols; c++)
			p = buf_get_right_bits(p, e, &m[c]);
		p = buf_get_cap(p, e, &type);
		p = buf_get_uint32(p, e, &t);
		if (p == NULL || !sps_name_ok(name) ||
		    sps_dir_find(d, name) >= 0)
			return NULL;
		for (c = 0; c < d->ncols; c++)
			if (m[c] & ~0xFF)
				return NULL;
		if (sps_dir_add(d, name, &cs, m, d->ncols, t) != STD_OK)
			return NULL;
		d->rows[d->nrows - 1].type = type;
	}
	return p;
}

/* Parse a directory file; STD_SYSERR for anything malformed. */
errstat
sps_dir_decode(const char *buf, size_t n, struct sps_dir **out)
{
	char *names[SP_MAXCOLUMNS];
	char *p, *e;
	uint32_t magic, sum;
	uint16 ncols, nrows;
	struct sps_dir *d;
	int i;

	if (n < 12 || n > SPS_MAXFILE)
		return STD_SYSERR;
	p = (char *)buf;
	e = p + n - 4;
	buf_get_uint32(e, e + 4, &sum);
	if (sum != sps_fnv(buf, n - 4))
		return STD_SYSERR;
	p = buf_get_uint32(p, e, &magic);
	p = buf_get_uint16(p, e, &ncols);
	p = buf_get_uint16(p, e, &nrows);
	if (p == NULL || magic != SPS_DIRMAGIC || ncols < 1 ||
	    ncols > SP_MAXCOLUMNS || nrows > SPS_MAXROWS)
		return STD_SYSERR;
	for (i = 0; i < ncols; i++) {
		p = buf_get_string(p, e, &names[i]);
		if (p == NULL || !sps_name_ok(names[i]))
			return STD_SYSERR;
	}
	if ((d = sps_dir_new(ncols, names)) == NULL)
		return STD_NOMEM;
	p = decode_rows(d, p, e, nrows);
	if (p != e) {
		sps_dir_free(d);
		return STD_SYSERR;
	}
	*out = d;
	return STD_OK;
}
