/*
 * fake_io.h - an in-memory Bullet server and vdisk for the SOAP core's
 * host tests and fuzzers (struct sps_io), with power cuts: after
 * fake_cut_after(f, k) the k-th next event (disk write, file create or
 * destroy) fails - a disk write optionally torn half-way - and so does
 * everything after it until fake_power_on().
 *
 * Included by exactly one .c file per program (static functions).
 */
#ifndef TESTS_HOST_SOAP_FAKE_IO_H
#define TESTS_HOST_SOAP_FAKE_IO_H

#include <stdlib.h>
#include <string.h>

#include <stderr.h>
#include <module/prv.h>
#include "sps.h"

#define FAKE_FILES	512
#define FAKE_BLOCKS	128

struct fake {
	struct sps_io io;
	char disk[FAKE_BLOCKS][SPS_BLKSIZE];
	struct {
		int used;
		capability cap;
		char *data;
		size_t n;
	} file[FAKE_FILES];
	uint32_t counter;	/* for randoms, time and file checks */
	long cut_in;		/* events until the cut, -1: never */
	int torn;		/* the cut write writes half a block */
	int off;		/* power is off */
	long events;		/* events so far */
	int restrict_fails;	/* restrict_cap of others fails */
	int nfiles;		/* files alive */
	int touched;		/* file_touch calls */
	int write_errors;	/* next disk writes that fail (no cut) */
};

/* One event; 0 if it may happen, else it is the cut (or after it). */
static inline int
fake_event(struct fake *f)
{
	f->events++;
	if (f->off)
		return 1;
	if (f->cut_in > 0 && --f->cut_in == 0) {
		f->off = 1;
		return 2;
	}
	return 0;
}

static inline errstat
fake_create(void *ctx, const char *buf, size_t n, capability *cap)
{
	struct fake *f = ctx;
	port rnd;
	int i;

	if (fake_event(f))
		return RPC_FAILURE;
	for (i = 0; i < FAKE_FILES && f->file[i].used; i++)
		;
	if (i == FAKE_FILES)
		return STD_NOSPACE;
	memset(&rnd, 0, sizeof(rnd));
	f->counter++;
	memcpy(rnd._portbytes, &f->counter, sizeof(f->counter));
	rnd._portbytes[5] = 0xB1;
	memcpy(cap->cap_port._portbytes, "bullet", PORTSIZE);
	prv_encode(&cap->cap_priv, i + 1, 0xFF, &rnd);
	f->file[i].data = malloc(n ? n : 1);
	memcpy(f->file[i].data, buf, n);
	f->file[i].n = n;
	f->file[i].cap = *cap;
	f->file[i].used = 1;
	f->nfiles++;
	return STD_OK;
}

static inline int
fake_find(struct fake *f, const capability *cap)
{
	uint32_t o = (uint32_t)prv_number(&cap->cap_priv);

	if (o < 1 || o > FAKE_FILES || !f->file[o - 1].used ||
	    memcmp(&f->file[o - 1].cap, cap, CAPSIZE) != 0)
		return -1;
	return (int)o - 1;
}

static inline errstat
fake_read(void *ctx, const capability *cap, char **buf, size_t *n)
{
	struct fake *f = ctx;
	int i = fake_find(f, cap);

	if (f->off)
		return RPC_FAILURE;
	if (i < 0)
		return STD_CAPBAD;
	*buf = malloc(f->file[i].n ? f->file[i].n : 1);
	memcpy(*buf, f->file[i].data, f->file[i].n);
	*n = f->file[i].n;
	return STD_OK;
}

static inline errstat
fake_destroy(void *ctx, const capability *cap)
{
	struct fake *f = ctx;
	int i = fake_find(f, cap);

	if (fake_event(f))
		return RPC_FAILURE;
	if (i < 0)
		return STD_CAPBAD;
	free(f->file[i].data);
	memset(&f->file[i], 0, sizeof(f->file[i]));
	f->nfiles--;
	return STD_OK;
}

static inline errstat
fake_touch(void *ctx, const capability *cap)
{
	struct fake *f = ctx;

	if (f->off)
		return RPC_FAILURE;
	f->touched++;
	return fake_find(f, cap) < 0 ? STD_CAPBAD : STD_OK;
}

static inline errstat
fake_dread(void *ctx, uint32_t blk, char *buf)
{
	struct fake *f = ctx;

	if (f->off)
		return RPC_FAILURE;
	if (blk >= FAKE_BLOCKS)
		return STD_ARGBAD;
	memcpy(buf, f->disk[blk], SPS_BLKSIZE);
	return STD_OK;
}

static inline errstat
fake_dwrite(void *ctx, uint32_t blk, const char *buf)
{
	struct fake *f = ctx;
	int e;

	if (blk >= FAKE_BLOCKS)
		return STD_ARGBAD;
	if (f->write_errors > 0 && !f->off) {
		f->write_errors--;
		return STD_SYSERR;
	}
	e = fake_event(f);
	if (e == 2 && f->torn)
		memcpy(f->disk[blk], buf, SPS_BLKSIZE / 2 + 3);
	if (e)
		return RPC_FAILURE;
	memcpy(f->disk[blk], buf, SPS_BLKSIZE);
	return STD_OK;
}

/* Restriction as another server would do it, for tests: rights cut. */
static inline errstat
fake_restrict(void *ctx, const capability *in, rights_bits mask,
	      capability *out)
{
	struct fake *f = ctx;

	if (f->restrict_fails)
		return RPC_NOTFOUND;
	*out = *in;
	out->cap_priv.prv_rights &= (uint8)mask;
	return STD_OK;
}

static inline uint32_t
fake_now(void *ctx)
{
	return ++((struct fake *)ctx)->counter;
}

static inline void
fake_random(void *ctx, port *p)
{
	struct fake *f = ctx;

	f->counter++;
	memset(p, 0x5A, sizeof(*p));
	memcpy(p->_portbytes, &f->counter, sizeof(f->counter));
}

static inline struct fake *
fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));

	f->io.ctx = f;
	f->io.file_create = fake_create;
	f->io.file_read = fake_read;
	f->io.file_destroy = fake_destroy;
	f->io.file_touch = fake_touch;
	f->io.disk_read = fake_dread;
	f->io.disk_write = fake_dwrite;
	f->io.disk_blocks = FAKE_BLOCKS;
	f->io.restrict_cap = fake_restrict;
	f->io.now = fake_now;
	f->io.random = fake_random;
	f->cut_in = -1;
	return f;
}

static inline void
fake_cut_after(struct fake *f, long k, int torn)
{
	f->cut_in = k;
	f->torn = torn;
}

static inline void
fake_power_on(struct fake *f)
{
	f->off = 0;
	f->cut_in = -1;
}

static inline void
fake_free(struct fake *f)
{
	int i;

	for (i = 0; i < FAKE_FILES; i++)
		free(f->file[i].data);
	free(f);
}

#endif /* TESTS_HOST_SOAP_FAKE_IO_H */
