/*
 * sps_req.c - one SOAP request (spec 7.2, 7.3): validate the directory
 * capability (STD_CAPBAD), require a column bit of an existing column
 * and, for changes, SP_MODRGT or SP_DELRGT (STD_DENIED), decode the body
 * (STD_ARGBAD), then act.  Changes go through sps_commit and are on
 * disk before the reply.  The request decoder is fuzzed
 * (tests/fuzz/fuzz_soap_req.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stderr.h>
#include <stdcom.h>
#include <module/buffers.h>
#include <module/prv.h>
#include "sps.h"

#define SP_NOMOREROWS	0xFFFF

struct req {
	struct sps *s;
	header *h;
	char *p, *e;			/* request body cursor */
	char *rep, *rp, *re;		/* reply buffer and cursor */
	uint32_t obj;			/* object of the capability */
	rights_bits rights;		/* its rights */
	rights_bits colmask;		/* its bits of existing columns */
	struct sps_dir *dir;		/* its directory */
};

static int
colbits(const struct sps_dir *d)
{
	return (1 << d->ncols) - 1;
}

/* The capability of slot with rights (slot SP_PUBOBJ: the public one). */
errstat
sps_capof(struct sps *s, uint32_t slot, rights_bits rights, capability *cap)
{
	const port *rnd = slot == SP_PUBOBJ ? &s->putport
						: &s->slots[slot].random;

	cap->cap_port = s->putport;
	return prv_encode(&cap->cap_priv, (objnum)slot, rights & 0xFF, rnd)
	       ? STD_SYSERR : STD_OK;
}

/* A capability of one of our directories: its object and rights. */
static errstat
local_cap(struct sps *s, const capability *c, uint32_t *obj, rights_bits *r)
{
	uint32_t o = (uint32_t)prv_number(&c->cap_priv);
	const port *rnd;

	if (!PORTCMP(&c->cap_port, &s->putport))
		return STD_CAPBAD;
	if (o == SP_PUBOBJ)
		rnd = &s->putport;
	else if (o < s->nslots && s->slots[o].inuse)
		rnd = &s->slots[o].random;
	else
		return STD_CAPBAD;
	if (prv_decode(&c->cap_priv, r, rnd) != 0)
		return STD_CAPBAD;
	*obj = o;
	return STD_OK;
}

static struct sps_dir *
dir_of(struct sps *s, uint32_t obj)
{
	return obj == SP_PUBOBJ ? &s->pub : sps_load(s, obj);
}

/* One member restricted to rights: ours re-encoded, others by the io. */
static errstat
restrict_one(struct sps *s, const capability *in, rights_bits rights,
	     capability *out)
{
	rights_bits have;
	uint32_t obj;

	if ((rights & 0xFF) == 0xFF) {
		*out = *in;
		return STD_OK;
	}
	if (PORTCMP(&in->cap_port, &s->putport)) {
		if (local_cap(s, in, &obj, &have) != STD_OK)
			return STD_CAPBAD;
		return sps_capof(s, obj, have & rights, out);
	}
	return s->io->restrict_cap(s->io->ctx, in, rights & 0xFF, out);
}

/* in restricted to rights; SP_UNREACH (and a fake member carrying the
 * port) when no member could be restricted. */
static errstat
restrict_cs(struct sps *s, const struct sps_capset *in, rights_bits rights,
	    struct sps_capset *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	out->initial = in->initial;
	for (i = 0; i < in->final; i++) {
		suite *d = &out->s[out->final];

		if (restrict_one(s, &in->s[i].s_object, rights,
				 &d->s_object) != STD_OK)
			continue;
		d->s_current = in->s[i].s_current;
		out->final++;
	}
	if (out->final > 0)
		return STD_OK;
	out->final = 1;
	out->s[0].s_object.cap_port = in->s[0].s_object.cap_port;
	out->s[0].s_current = 1;
	return SP_UNREACH;
}

static rights_bits
row_rights(const struct sps_row *row, rights_bits colmask)
{
	rights_bits r = 0;
	int c;

	for (c = 0; c < SP_MAXCOLUMNS; c++)
		if (colmask & (1 << c))
			r |= row->mask[c];
	return r & 0xFF;
}

/* A member of cs that is one of our directories, or -1. */
static int
local_dir(struct sps *s, const struct sps_capset *cs, uint32_t *obj,
	  rights_bits *have)
{
	int i;

	for (i = 0; i < cs->final; i++)
		if (local_cap(s, &cs->s[i].s_object, obj, have) == STD_OK &&
		    *obj != SP_PUBOBJ)
			return i;
	return -1;
}

/* ---- commands ---------------------------------------------------------- */

static errstat
get_name(struct req *r, char **name)
{
	r->p = buf_get_string(r->p, r->e, name);
	return r->p == NULL ? STD_ARGBAD : STD_OK;
}

/* Up to SP_MAXCOLUMNS masks fill the rest of the body (missing: 0). */
static errstat
get_masks(struct req *r, rights_bits m[SP_MAXCOLUMNS], int *n)
{
	size_t left = (size_t)(r->e - r->p);
	int i;

	memset(m, 0, SP_MAXCOLUMNS * sizeof(m[0]));
	if (left % 4 != 0 || left / 4 > SP_MAXCOLUMNS)
		return STD_ARGBAD;
	*n = (int)(left / 4);
	for (i = 0; i < *n; i++) {
		r->p = buf_get_right_bits(r->p, r->e, &m[i]);
		if (m[i] & ~0xFF)
			return STD_ARGBAD;
	}
	return STD_OK;
}

static errstat
need_mod(struct req *r)
{
	if (!(r->rights & SP_MODRGT) || r->obj == SP_PUBOBJ)
		return STD_DENIED;
	return STD_OK;
}

/* Copy, change, commit: the helpers below work on a copy of the dir. */
static errstat
commit(struct req *r, struct sps_dir *d)
{
	return sps_commit(r->s, r->obj, d);
}

static errstat
cmd_append(struct req *r)
{
	struct sps_capset cs;
	rights_bits m[SP_MAXCOLUMNS];
	struct sps_dir *d;
	char *name;
	errstat err;
	int n;

	if ((err = need_mod(r)) != STD_OK || (err = get_name(r, &name)))
		return err;
	r->p = sps_get_capset(r->p, r->e, &cs);
	if (r->p == NULL || get_masks(r, m, &n) != STD_OK ||
	    !sps_name_ok(name))
		return STD_ARGBAD;
	if (sps_dir_find(r->dir, name) >= 0)
		return STD_EXISTS;
	if ((d = sps_dir_copy(r->dir)) == NULL)
		return STD_NOMEM;
	err = sps_dir_add(d, name, &cs, m, SP_MAXCOLUMNS,
			  r->s->io->now(r->s->io->ctx));
	if (err != STD_OK) {
		sps_dir_free(d);
		return err;
	}
	return commit(r, d);
}

/* Find name for a change: returns the copy and the row in it. */
static errstat
edit_row(struct req *r, const char *name, struct sps_dir **dp, int *row)
{
	int i = sps_dir_find(r->dir, name);

	if (i < 0)
		return STD_NOTFOUND;
	if ((*dp = sps_dir_copy(r->dir)) == NULL)
		return STD_NOMEM;
	*row = i;
	return STD_OK;
}

static errstat
cmd_replace(struct req *r)
{
	struct sps_capset cs;
	struct sps_dir *d;
	char *name;
	errstat err;
	int row;

	if ((err = need_mod(r)) != STD_OK || (err = get_name(r, &name)))
		return err;
	r->p = sps_get_capset(r->p, r->e, &cs);
	if (r->p == NULL || r->p != r->e)
		return STD_ARGBAD;
	if ((err = edit_row(r, name, &d, &row)) != STD_OK)
		return err;
	d->rows[row].cs = cs;
	d->rows[row].time = r->s->io->now(r->s->io->ctx);
	return commit(r, d);
}

static errstat
cmd_chmod(struct req *r)
{
	rights_bits m[SP_MAXCOLUMNS];
	struct sps_dir *d;
	char *name;
	errstat err;
	int row, n;

	if ((err = need_mod(r)) != STD_OK || (err = get_name(r, &name)))
		return err;
	if (get_masks(r, m, &n) != STD_OK || n == 0)
		return STD_ARGBAD;
	if ((err = edit_row(r, name, &d, &row)) != STD_OK)
		return err;
	memcpy(d->rows[row].mask, m, sizeof(m));
	d->rows[row].time = r->s->io->now(r->s->io->ctx);
	return commit(r, d);
}

static errstat
cmd_delete(struct req *r)
{
	struct sps_dir *d;
	char *name;
	errstat err;
	int row;

	if ((err = need_mod(r)) != STD_OK || (err = get_name(r, &name)))
		return err;
	if (r->p != r->e)
		return STD_ARGBAD;
	if ((err = edit_row(r, name, &d, &row)) != STD_OK)
		return err;
	sps_dir_remove(d, row);
	return commit(r, d);
}

static errstat
cmd_getmasks(struct req *r)
{
	char *name;
	int row, c;

	if (get_name(r, &name) != STD_OK)
		return STD_ARGBAD;
	if ((row = sps_dir_find(r->dir, name)) < 0)
		return STD_NOTFOUND;
	for (c = 0; c < r->dir->ncols; c++)
		r->rp = buf_put_right_bits(r->rp, r->re,
					   r->dir->rows[row].mask[c]);
	return r->rp ? STD_OK : STD_OVERFLOW;
}

static errstat
cmd_list(struct req *r)
{
	const struct sps_dir *d = r->dir;
	char *p = r->rp, *q;
	int i, c;

	if (r->h->h_size > 0 && (ptrdiff_t)r->h->h_size < r->re - r->rp)
		r->re = r->rp + r->h->h_size;
	p = buf_put_int16(p, r->re, (int16)d->ncols);
	p = buf_put_int16(p, r->re, (int16)d->nrows);
	for (c = 0; c < d->ncols; c++)
		p = buf_put_string(p, r->re, d->colname[c]);
	if (p == NULL)
		return STD_OVERFLOW;
	for (i = r->h->h_extra; i < d->nrows; i++) {
		q = buf_put_string(p, r->re, d->rows[i].name);
		for (c = 0; c < d->ncols; c++)
			q = buf_put_right_bits(q, r->re, d->rows[i].mask[c]);
		if (q == NULL)
			break;
		p = q;
	}
	r->rp = p;
	r->h->h_extra = (uint16)(i >= d->nrows ? SP_NOMOREROWS : i);
	return STD_OK;
}

/* Server side of spec 7.3: walk our own directories, stop at the end of
 * the path or at a capset that is not one of them. */
static errstat
cmd_lookup(struct req *r)
{
	struct sps_dir *d = r->dir;
	rights_bits cm = r->colmask, rights, have;
	struct sps_capset out;
	const struct sps_row *row;
	char name[SP_NAMEMAX + 1], *path, *end;
	uint32_t obj;
	errstat err;
	int i;

	if (get_name(r, &path) != STD_OK)
		return STD_ARGBAD;
	for (;;) {
		while (*path == '/')
			path++;
		for (end = path; *end && *end != '/'; end++)
			;
		if (end == path || end - path > SP_NAMEMAX)
			return end == path ? STD_ARGBAD : STD_NOTFOUND;
		memcpy(name, path, (size_t)(end - path));
		name[end - path] = 0;
		if ((i = sps_dir_find(d, name)) < 0)
			return STD_NOTFOUND;
		row = &d->rows[i];
		if ((rights = row_rights(row, cm)) == 0)
			return STD_DENIED;
		for (path = end; *path == '/'; path++)
			;
		if (*path == 0 || local_dir(r->s, &row->cs, &obj, &have) < 0)
			break;
		if ((d = sps_load(r->s, obj)) == NULL)
			return SP_UNAVAIL;
		if ((cm = rights & have & colbits(d)) == 0)
			return STD_DENIED;
	}
	err = restrict_cs(r->s, &row->cs, rights, &out);
	r->rp = buf_put_string(r->rp, r->re, path);
	r->rp = sps_put_capset(r->rp, r->re, &out);
	if (r->rp == NULL)
		return STD_OVERFLOW;
	return err;
}

/* Per entry (capset of one of our directories, name): i16 status, and
 * if STD_OK type capability, i32 time, restricted capset. */
static errstat
setlookup_one(struct req *r, const struct sps_capset *dcs, const char *name)
{
	struct sps_capset out;
	struct sps_dir *d = NULL;
	rights_bits have = 0, cm = 0;
	uint32_t obj;
	errstat st = STD_CAPBAD;
	int i, row = -1;

	if ((i = local_dir(r->s, dcs, &obj, &have)) >= 0)
		st = (d = sps_load(r->s, obj)) ? STD_OK : SP_UNAVAIL;
	if (st == STD_OK && (cm = have & colbits(d)) == 0)
		st = STD_DENIED;
	if (st == STD_OK && (row = sps_dir_find(d, name)) < 0)
		st = STD_NOTFOUND;
	if (st == STD_OK && (cm = row_rights(&d->rows[row], cm)) == 0)
		st = STD_DENIED;
	if (st == STD_OK)
		st = restrict_cs(r->s, &d->rows[row].cs, cm, &out);
	r->rp = buf_put_int16(r->rp, r->re, (int16)st);
	if (st != STD_OK)
		return r->rp ? STD_OK : STD_OVERFLOW;
	r->rp = buf_put_cap(r->rp, r->re, &d->rows[row].type);
	r->rp = buf_put_int32(r->rp, r->re, (int32)d->rows[row].time);
	r->rp = sps_put_capset(r->rp, r->re, &out);
	return r->rp ? STD_OK : STD_OVERFLOW;
}

static errstat
cmd_setlookup(struct req *r)
{
	struct sps_capset dcs;
	char *name;
	errstat err;

	while (r->p < r->e) {
		r->p = sps_get_capset(r->p, r->e, &dcs);
		if (r->p == NULL || get_name(r, &name) != STD_OK)
			return STD_ARGBAD;
		if ((err = setlookup_one(r, &dcs, name)) != STD_OK)
			return err;
	}
	return STD_OK;
}

static errstat
cmd_create(struct req *r)
{
	char *names[SP_MAXCOLUMNS];
	struct sps_dir *d;
	capability cap;
	uint32_t slot;
	errstat err;
	int n = 0;

	while (r->p < r->e) {
		if (n == SP_MAXCOLUMNS || get_name(r, &names[n]) != STD_OK ||
		    !sps_name_ok(names[n]))
			return STD_ARGBAD;
		n++;
	}
	if (n == 0)
		return STD_ARGBAD;
	if ((d = sps_dir_new(n, names)) == NULL)
		return STD_NOMEM;
	if ((err = sps_newdir(r->s, d, &slot)) != STD_OK)
		return err;
	sps_capof(r->s, slot, PRV_ALL_RIGHTS, &cap);
	r->h->h_port = cap.cap_port;
	r->h->h_priv = cap.cap_priv;
	return STD_OK;
}

static errstat
cmd_discard(struct req *r)
{
	if (!(r->rights & SP_DELRGT) || r->obj == 0 || r->obj == SP_PUBOBJ)
		return STD_DENIED;
	if (r->dir->nrows > 0)
		return SP_NOTEMPTY;
	return sps_discard(r->s, r->obj);
}

static errstat
cmd_info(struct req *r)
{
	static const struct {
		rights_bits bit;
		char c;
	} letters[] = { { SP_DELRGT, 'd' }, { SP_MODRGT, 'w' }, { 1, '1' },
			{ 2, '2' }, { 4, '3' }, { 8, '4' } };
	char text[64];
	size_t i;

	if (r->obj == SP_PUBOBJ) {
		snprintf(text, sizeof(text), "%% soap server %s", r->s->name);
	} else {
		text[0] = '/';
		for (i = 0; i < 6; i++)
			text[i + 1] = r->rights & letters[i].bit
				      ? letters[i].c : '-';
		text[7] = 0;
	}
	r->rp = buf_put_string(r->rp, r->re, text);
	if (r->rp == NULL)
		return STD_OVERFLOW;
	r->rp--;			/* the text without its NUL */
	return STD_OK;
}

static errstat
cmd_status(struct req *r)
{
	char text[128];
	uint32_t i, n = 0;

	for (i = 0; i < r->s->nslots; i++)
		n += r->s->slots[i].inuse;
	snprintf(text, sizeof(text),
		 "soap server %s: %u of %u directories, sequence %u\n",
		 r->s->name, (unsigned)n, (unsigned)r->s->nslots,
		 (unsigned)r->s->seq[0]);
	r->rp = buf_put_string(r->rp, r->re, text);
	if (r->rp == NULL)
		return STD_OVERFLOW;
	r->rp--;
	return STD_OK;
}

/* Body: h_size private parts of 10 bytes; h_extra = how many are ours. */
static errstat
cmd_ntouch(struct req *r)
{
	capability c;
	rights_bits have;
	uint32_t obj;
	int i, n = 0;

	c.cap_port = r->s->putport;
	for (i = 0; i < r->h->h_size; i++) {
		r->p = buf_get_priv(r->p, r->e, &c.cap_priv);
		if (r->p == NULL)
			return STD_ARGBAD;
		n += local_cap(r->s, &c, &obj, &have) == STD_OK;
	}
	r->h->h_extra = (uint16)n;
	return STD_OK;
}

static errstat
cmd_restrict(struct req *r)
{
	const port *rnd = r->obj == SP_PUBOBJ ? &r->s->putport
					      : &r->s->slots[r->obj].random;
	private out;
	errstat err;

	err = prv_restrict_server(&r->h->h_priv, r->h->h_offset, rnd, &out);
	if (err == STD_OK)
		r->h->h_priv = out;
	return err;
}

static errstat
cmd_seqnr(struct req *r)
{
	r->rp = buf_put_uint32(r->rp, r->re, r->s->seq[0]);
	r->rp = buf_put_uint32(r->rp, r->re, r->s->seq[1]);
	return r->rp ? STD_OK : STD_OVERFLOW;
}

/* A directory's STD_TOUCH reaches its Bullet file too. */
static errstat
cmd_touch(struct req *r)
{
	if (r->obj == SP_PUBOBJ)
		return STD_OK;
	return r->s->io->file_touch(r->s->io->ctx, &r->s->slots[r->obj].file);
}

static errstat
dispatch(struct req *r)
{
	switch (r->h->h_command) {
	case SP_CREATE:		return cmd_create(r);
	case SP_DISCARD:
	case STD_DESTROY:	return cmd_discard(r);
	case SP_LIST:		return cmd_list(r);
	case SP_APPEND:		return cmd_append(r);
	case SP_CHMOD:		return cmd_chmod(r);
	case SP_DELETE:		return cmd_delete(r);
	case SP_LOOKUP:		return cmd_lookup(r);
	case SP_SETLOOKUP:	return cmd_setlookup(r);
	case SP_REPLACE:	return cmd_replace(r);
	case SP_GETMASKS:	return cmd_getmasks(r);
	case SP_GETSEQNR:	return cmd_seqnr(r);
	case STD_TOUCH:		return cmd_touch(r);
	case STD_STATUS:	return cmd_status(r);
	default:		return STD_COMBAD;
	}
}

static int
known(command c)
{
	return (c >= SP_CREATE && c <= SP_GETSEQNR && c != SP_INSTALL &&
		c != SP_PUTTYPE) || c == STD_DESTROY || c == STD_INFO ||
	       c == STD_TOUCH || c == STD_NTOUCH || c == STD_RESTRICT ||
	       c == STD_STATUS;
}

static errstat
handle(struct req *r)
{
	capability c;
	command cmd = r->h->h_command;
	errstat err;

	if (!known(cmd))
		return STD_COMBAD;	/* incl. SP_INSTALL, SP_PUTTYPE */
	if (cmd == STD_NTOUCH)
		return cmd_ntouch(r);
	c.cap_port = r->s->putport;
	c.cap_priv = r->h->h_priv;
	if ((err = local_cap(r->s, &c, &r->obj, &r->rights)) != STD_OK)
		return err;
	if (cmd == STD_RESTRICT)
		return cmd_restrict(r);
	if ((r->dir = dir_of(r->s, r->obj)) == NULL)
		return SP_UNAVAIL;
	if (cmd == STD_INFO)
		return cmd_info(r);
	if ((r->colmask = r->rights & colbits(r->dir)) == 0)
		return STD_DENIED;
	return dispatch(r);
}

size_t
sps_request(struct sps *s, header *h, char *req, size_t reqlen, char *rep,
	    size_t repmax)
{
	struct req r;
	errstat err;

	memset(&r, 0, sizeof(r));
	r.s = s;
	r.h = h;
	r.p = req;
	r.e = req + reqlen;
	r.rep = r.rp = rep;
	r.re = rep + repmax;
	err = handle(&r);
	if (err != STD_OK && err != SP_UNREACH)
		r.rp = rep;
	if (r.rp == NULL)
		r.rp = rep;
	h->h_status = (command)err;
	h->h_size = (bufsize)(r.rp - rep);
	return (size_t)(r.rp - rep);
}
