/*
 * sps_super.c - the super file (layout in sps.h): start-up (choose the
 * valid header, roll its intention forward, or format an empty
 * partition), loading directories from Bullet, and the one way to
 * change the table: sps_set (intention, then slot block, then the old
 * file destroyed).
 */
#include <stdlib.h>
#include <string.h>

#include <stderr.h>
#include <module/buffers.h>
#include <module/prv.h>
#include "sps.h"

struct sps_intent {
	uint32_t slot;
	struct sps_slot val;		/* inuse, random, file */
	capability old;			/* file to destroy afterwards */
};

static void
slot_put(char *p, const struct sps_slot *v)
{
	memset(p, 0, SPS_SLOTSIZE);
	p[0] = (char)(v->inuse ? 1 : 0);
	memcpy(p + 2, &v->random, PORTSIZE);
	memcpy(p + 8, &v->file, CAPSIZE);
}

static void
slot_get(const char *p, struct sps_slot *v)
{
	memset(v, 0, sizeof(*v));
	v->inuse = p[0] == 1;
	memcpy(&v->random, p + 2, PORTSIZE);
	memcpy(&v->file, p + 8, CAPSIZE);
}

static void
header_put(char *blk, const struct sps *s, const struct sps_intent *in)
{
	char *e = blk + SPS_BLKSIZE, *p;

	memset(blk, 0, SPS_BLKSIZE);
	p = buf_put_uint32(blk, e, SPS_SUPMAGIC);
	p = buf_put_uint32(p, e, 1);
	p = buf_put_uint32(p, e, s->gen);
	p = buf_put_uint32(p, e, s->nslots);
	p = buf_put_uint32(p, e, s->seq[0]);
	p = buf_put_uint32(p, e, s->seq[1]);
	p = buf_put_uint32(p, e, in ? 1 : 0);
	p = buf_put_uint32(p, e, in ? in->slot : 0);
	if (in != NULL) {
		slot_put(blk + 32, &in->val);
		memcpy(blk + 64, &in->old, CAPSIZE);
	}
	buf_put_uint32(blk + 508, e, sps_fnv(blk, 508));
}

/* Check one header copy; 0 and *gen, *nslots if valid. */
errstat
sps_super_parse(const char *blk, uint32_t *gen, uint32_t *nslots)
{
	uint32_t magic, version, sum, ns;
	char *p = (char *)blk, *e = p + SPS_BLKSIZE;

	buf_get_uint32(p + 508, e, &sum);
	if (sum != sps_fnv(blk, 508))
		return STD_SYSERR;
	p = buf_get_uint32(p, e, &magic);
	p = buf_get_uint32(p, e, &version);
	p = buf_get_uint32(p, e, gen);
	p = buf_get_uint32(p, e, &ns);
	if (p == NULL || magic != SPS_SUPMAGIC || version != 1 || ns == 0 ||
	    ns > SPS_MAXSLOTS)
		return STD_SYSERR;
	*nslots = ns;
	return STD_OK;
}

static errstat
header_intent(const char *blk, struct sps *s, struct sps_intent *in,
	      int *has)
{
	uint32_t flag;
	char *p = (char *)blk + 16, *e = (char *)blk + SPS_BLKSIZE;

	p = buf_get_uint32(p, e, &s->seq[0]);
	p = buf_get_uint32(p, e, &s->seq[1]);
	p = buf_get_uint32(p, e, &flag);
	p = buf_get_uint32(p, e, &in->slot);
	if (p == NULL || flag > 1 || (flag && in->slot >= s->nslots))
		return STD_SYSERR;
	*has = (int)flag;
	slot_get(blk + 32, &in->val);
	memcpy(&in->old, blk + 64, CAPSIZE);
	return STD_OK;
}

/* Write one slot's table block with v in it (read-modify-write). */
static errstat
slot_write(struct sps *s, uint32_t slot, const struct sps_slot *v)
{
	char blk[SPS_BLKSIZE];
	uint32_t b = SPS_TABLE_BLK + slot / SPS_SLOTS_PER_BLK;
	uint32_t i, first = slot - slot % SPS_SLOTS_PER_BLK;

	for (i = 0; i < SPS_SLOTS_PER_BLK; i++) {
		const struct sps_slot *x = first + i == slot ? v
					   : &s->slots[first + i];

		if (first + i < s->nslots)
			slot_put(blk + i * SPS_SLOTSIZE, x);
		else
			memset(blk + i * SPS_SLOTSIZE, 0, SPS_SLOTSIZE);
	}
	return s->io->disk_write(s->io->ctx, b, blk);
}

static int
cap_zero(const capability *c)
{
	static const capability zero;

	return memcmp(c, &zero, sizeof(zero)) == 0;
}

/* Flush the disk's write cache, where the system has one. */
static errstat
disk_sync(struct sps *s)
{
	return s->io->disk_sync ? s->io->disk_sync(s->io->ctx) : STD_OK;
}

/* Make the intention true on disk and in memory (idempotent). */
static errstat
apply(struct sps *s, const struct sps_intent *in)
{
	struct sps_slot *sl = &s->slots[in->slot];
	errstat err;

	if ((err = slot_write(s, in->slot, &in->val)) != STD_OK ||
	    (err = disk_sync(s)) != STD_OK)
		return err;
	sps_dir_free(sl->dir);
	sl->dir = NULL;
	sl->inuse = in->val.inuse;
	sl->random = in->val.random;
	sl->file = in->val.file;
	if (!cap_zero(&in->old))
		s->io->file_destroy(s->io->ctx, &in->old);
	return STD_OK;
}

/* The commit point: a new header generation carrying the intention;
 * *committed says whether it reached the disk. */
static errstat
sps_set(struct sps *s, const struct sps_intent *in, int *committed)
{
	char blk[SPS_BLKSIZE];
	errstat err, sync;
	uint32_t oseq[2] = { s->seq[0], s->seq[1] };

	s->gen++;
	if (++s->seq[0] == 0)
		s->seq[1]++;
	header_put(blk, s, in);
	err = s->io->disk_write(s->io->ctx, s->gen & 1, blk);
	if (err != STD_OK) {
		/* not committed: the next header goes to the same block, so
		 * the other (valid) copy is never the one overwritten */
		s->gen--;
		s->seq[0] = oseq[0];
		s->seq[1] = oseq[1];
		*committed = 0;
		return err;
	}
	/* written: it may be on the medium even if the flush fails, so it
	 * counts as committed either way; a failed flush is still reported */
	*committed = 1;
	sync = disk_sync(s);
	err = apply(s, in);
	return sync != STD_OK ? sync : err;
}

static errstat
load_table(struct sps *s)
{
	char blk[SPS_BLKSIZE];
	uint32_t i;
	errstat err;

	for (i = 0; i < s->nslots; i++) {
		if (i % SPS_SLOTS_PER_BLK == 0) {
			err = s->io->disk_read(s->io->ctx,
					       SPS_TABLE_BLK +
					       i / SPS_SLOTS_PER_BLK, blk);
			if (err != STD_OK)
				return err;
		}
		slot_get(blk + (i % SPS_SLOTS_PER_BLK) * SPS_SLOTSIZE,
			 &s->slots[i]);
	}
	return STD_OK;
}

static int
all_zero(const char *b, size_t n)
{
	while (n--)
		if (*b++)
			return 0;
	return 1;
}

/* Zero the table, then the root directory through an intention. */
static errstat
format(struct sps *s)
{
	static char *cols[] = { "owner", "group", "other" };
	char blk[SPS_BLKSIZE];
	struct sps_intent in;
	struct sps_dir *root;
	char *buf;
	size_t n;
	uint32_t b, nb = (s->nslots + SPS_SLOTS_PER_BLK - 1) / SPS_SLOTS_PER_BLK;
	errstat err;
	int done;

	memset(blk, 0, sizeof(blk));
	for (b = 0; b < nb; b++)
		if ((err = s->io->disk_write(s->io->ctx, SPS_TABLE_BLK + b,
					     blk)) != STD_OK)
			return err;
	memset(s->slots, 0, s->nslots * sizeof(*s->slots));
	if ((root = sps_dir_new(3, cols)) == NULL)
		return STD_NOMEM;
	err = sps_dir_encode(root, &buf, &n);
	sps_dir_free(root);
	if (err != STD_OK)
		return err;
	memset(&in, 0, sizeof(in));
	in.val.inuse = 1;
	s->io->random(s->io->ctx, &in.val.random);
	err = s->io->file_create(s->io->ctx, buf, n, &in.val.file);
	free(buf);
	if (err != STD_OK)
		return err;
	s->gen = 0;
	s->seq[0] = s->seq[1] = 0;
	return sps_set(s, &in, &done);
}

static errstat
pub_init(struct sps *s)
{
	static char *cols[] = { "all" };
	static const rights_bits all[1] = { 0xFF };
	struct sps_capset cs;
	struct sps_dir *d = sps_dir_new(1, cols);
	errstat err;

	if (d == NULL)
		return STD_NOMEM;
	memset(&cs, 0, sizeof(cs));
	cs.initial = cs.final = 1;
	cs.s[0].s_current = 1;
	sps_capof(s, 0, PRV_ALL_RIGHTS, &cs.s[0].s_object);
	err = sps_dir_add(d, SP_PUBROOT, &cs, all, 1, 0);
	if (err == STD_OK)
		s->pub = *d;
	else
		sps_dir_free(d);
	free(err == STD_OK ? d : NULL);
	s->pub_ok = err == STD_OK;
	return err;
}

/* Choose the header, roll forward, or format (format: 1 = if the two
 * header blocks are zero, 2 = whenever no header is valid). */
errstat
sps_start(struct sps *s, const struct sps_io *io, const char *name,
	  int format_mode)
{
	char b0[SPS_BLKSIZE], b1[SPS_BLKSIZE], *best = NULL;
	uint32_t g0 = 0, g1 = 0, n0 = 0, n1 = 0, ns;
	struct sps_intent in;
	errstat err, e0, e1;
	int has = 0;

	memset(s, 0, sizeof(*s));
	s->io = io;
	strncpy(s->name, name, sizeof(s->name) - 1);
	sp_publicport(s->name, &s->getport);
	priv2pub(&s->getport, &s->putport);
	if (io->disk_blocks < SPS_TABLE_BLK + 1)
		return STD_NOSPACE;
	if ((e0 = io->disk_read(io->ctx, 0, b0)) != STD_OK)
		return e0;
	if ((e1 = io->disk_read(io->ctx, 1, b1)) != STD_OK)
		return e1;
	e0 = sps_super_parse(b0, &g0, &n0);
	e1 = sps_super_parse(b1, &g1, &n1);
	if (e0 == STD_OK && (e1 != STD_OK || g0 > g1))
		best = b0, s->gen = g0, ns = n0;
	else if (e1 == STD_OK)
		best = b1, s->gen = g1, ns = n1;
	else if (io->disk_blocks - SPS_TABLE_BLK > SPS_MAXSLOTS)
		ns = SPS_MAXSLOTS;
	else
		ns = (io->disk_blocks - SPS_TABLE_BLK) * SPS_SLOTS_PER_BLK;
	if (best == NULL && !(format_mode == 2 ||
			      (format_mode == 1 && all_zero(b0, sizeof(b0)) &&
			       all_zero(b1, sizeof(b1)))))
		return STD_SYSERR;	/* not a SOAP partition */
	s->nslots = ns > SPS_MAXSLOTS ? SPS_MAXSLOTS : ns;
	if (best != NULL && SPS_TABLE_BLK + (s->nslots + SPS_SLOTS_PER_BLK - 1) /
	    SPS_SLOTS_PER_BLK > io->disk_blocks)
		return STD_SYSERR;
	s->slots = calloc(s->nslots, sizeof(*s->slots));
	if (s->slots == NULL)
		return STD_NOMEM;
	if (best == NULL)
		err = format(s);
	else if ((err = header_intent(best, s, &in, &has)) == STD_OK &&
		 (err = load_table(s)) == STD_OK && has)
		err = apply(s, &in);
	if (err == STD_OK && !s->slots[0].inuse)
		err = STD_SYSERR;
	if (err == STD_OK)
		err = pub_init(s);
	if (err != STD_OK)
		sps_stop(s);
	return err;
}

void
sps_stop(struct sps *s)
{
	uint32_t i;
	int c;

	for (i = 0; s->slots && i < s->nslots; i++)
		sps_dir_free(s->slots[i].dir);
	free(s->slots);
	s->slots = NULL;
	if (s->pub_ok) {
		for (c = 0; c < SP_MAXCOLUMNS; c++)
			free(s->pub.colname[c]);
		for (c = 0; c < s->pub.nrows; c++)
			free(s->pub.rows[c].name);
		free(s->pub.rows);
		s->pub_ok = 0;
	}
}

/* The contents of an in-use slot, read from Bullet on first use. */
struct sps_dir *
sps_load(struct sps *s, uint32_t slot)
{
	struct sps_slot *sl;
	char *buf;
	size_t n;

	if (slot >= s->nslots || !s->slots[slot].inuse)
		return NULL;
	sl = &s->slots[slot];
	if (sl->dir != NULL)
		return sl->dir;
	if (s->io->file_read(s->io->ctx, &sl->file, &buf, &n) != STD_OK)
		return NULL;
	if (sps_dir_decode(buf, n, &sl->dir) != STD_OK)
		sl->dir = NULL;
	free(buf);
	return sl->dir;
}

/* Make d (taken over in every case) the contents of the slot. */
static errstat
set_dir(struct sps *s, uint32_t slot, struct sps_dir *d, int inuse,
	const port *random)
{
	struct sps_intent in;
	char *buf;
	size_t n;
	errstat err;
	int done = 0;

	memset(&in, 0, sizeof(in));
	in.slot = slot;
	in.val.inuse = (uint8_t)inuse;
	in.val.random = *random;
	if (s->slots[slot].inuse)
		in.old = s->slots[slot].file;
	if (d != NULL) {
		err = sps_dir_encode(d, &buf, &n);
		if (err == STD_OK) {
			err = s->io->file_create(s->io->ctx, buf, n,
						 &in.val.file);
			free(buf);
		}
		if (err != STD_OK) {
			sps_dir_free(d);
			return err;
		}
	}
	err = sps_set(s, &in, &done);
	if (err == STD_OK) {
		s->slots[slot].dir = d;
		return STD_OK;
	}
	sps_dir_free(d);
	if (!done && d != NULL)		/* the new file is nobody's */
		s->io->file_destroy(s->io->ctx, &in.val.file);
	return err;
}

errstat
sps_commit(struct sps *s, uint32_t slot, struct sps_dir *d)
{
	return set_dir(s, slot, d, 1, &s->slots[slot].random);
}

errstat
sps_newdir(struct sps *s, struct sps_dir *d, uint32_t *slot)
{
	port r;
	uint32_t i;

	for (i = 1; i < s->nslots; i++)
		if (!s->slots[i].inuse)
			break;
	if (i >= s->nslots) {
		sps_dir_free(d);
		return STD_NOSPACE;
	}
	s->io->random(s->io->ctx, &r);
	*slot = i;
	return set_dir(s, i, d, 1, &r);
}

/* Make slot hold d with check random, or be free (d NULL); used to
 * install another replica's state (sps_rep.c).  d is taken over. */
errstat
sps_setslot(struct sps *s, uint32_t slot, struct sps_dir *d,
	    const port *random)
{
	static const port zero;

	if (slot >= s->nslots) {
		sps_dir_free(d);
		return STD_ARGBAD;
	}
	return set_dir(s, slot, d, d != NULL, d != NULL ? random : &zero);
}

errstat
sps_discard(struct sps *s, uint32_t slot)
{
	static const port zero;

	return set_dir(s, slot, NULL, 0, &zero);
}

/* STD_TOUCH every directory file, so that Bullet's STD_AGE never takes
 * one (Amoeba's watchdog does this); returns how many failed. */
int
sps_touch_all(struct sps *s)
{
	uint32_t i;
	int bad = 0;

	for (i = 0; i < s->nslots; i++)
		if (s->slots[i].inuse &&
		    s->io->file_touch(s->io->ctx, &s->slots[i].file) != STD_OK)
			bad++;
	return bad;
}
