/*
 * store.c - the Bullet server's file store: the whole-file cache in
 * memory, contiguous allocation on disk, commit, destroy, write-back and
 * the consistency check.  Every function here expects bs.lock held.
 *
 * Crash consistency: a file's data blocks are written before its inode,
 * and an inode (16 bytes inside one sector) is written in one DS_WRITE,
 * so after a power cut the disk holds either the old or the new inode;
 * blocks are freed in memory only after the inode that used them is
 * cleared on disk, and bs.itab always mirrors what the disk holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stderr.h>
#include <module/rnd.h>
#include <server/bullet/bs_find.h>

#include "bsvr.h"

struct bsvr bs;

static uint32_t
round_blocks(uint32_t bytes)
{
	return bs_nblocks(&bs.sb, bytes) * bs.blksize;
}

/* Evict the least recently used clean committed file other than keep. */
static int
evict_one(const struct bfile *keep)
{
	struct bfile *best = NULL;

	for (uint32_t i = 1; i < bs.sb.s_numinodes; i++) {
		struct bfile *f = &bs.files[i];

		if (f == keep || f->data == NULL || f->state != F_COMMITTED ||
		    f->dirty)
			continue;
		if (best == NULL || (int32_t)(f->lru - best->lru) < 0)
			best = f;
	}
	if (best == NULL)
		return 0;
	bs_cache_drop(best);
	bs.stats[5]++;
	return 1;
}

/*
 * Make f's buffer hold at least bytes (rounded up to whole blocks, new
 * bytes zeroed), evicting other files when the cache is full.
 * STD_NOMEM when even an empty cache could not hold it.
 */
errstat
bs_cache_alloc(struct bfile *f, uint32_t bytes)
{
	uint32_t want = round_blocks(bytes);
	char *p;

	if (want <= f->alloc && f->data != NULL)
		return STD_OK;
	if (want > bs.cache_max)
		return STD_NOMEM;
	while (bs.cache_used - f->alloc + want > bs.cache_max)
		if (!evict_one(f))
			return STD_NOMEM;
	p = realloc(f->data, want ? want : 1);
	if (p == NULL)
		return STD_NOMEM;
	memset(p + f->alloc, 0, want - f->alloc);
	bs.cache_used += want - f->alloc;
	f->data = p;
	f->alloc = want;
	return STD_OK;
}

void
bs_cache_drop(struct bfile *f)
{
	free(f->data);
	bs.cache_used -= f->alloc;
	f->data = NULL;
	f->alloc = 0;
}

static uint32_t
sectors(uint32_t blocks)
{
	return blocks << (bs.sb.s_blksize - 9);
}

/* Bring committed file ino into the cache. */
errstat
bs_load(uint32_t ino)
{
	struct bfile *f = &bs.files[ino];
	uint32_t nb = bs_nblocks(&bs.sb, f->size);
	errstat err;

	f->lru = ++bs.clock;
	if (f->data != NULL || f->size == 0)
		return STD_OK;
	err = bs_cache_alloc(f, f->size);
	if (err != STD_OK)
		return err;
	err = bs_vdisk_read(&bs.vdisk, sectors(f->dskaddr), sectors(nb),
			    f->data);
	if (err != STD_OK) {
		bs_cache_drop(f);
		return err;
	}
	bs.stats[4]++;
	return STD_OK;
}

/* Write inode ino's entry of bs.itab (the sector holding it) to disk. */
static errstat
write_itab_sector(uint32_t ino)
{
	uint64_t off = bs_inode_offset(&bs.sb, ino);
	uint32_t sec = (uint32_t)(off / 512);
	uint32_t at = sec * 512 - bs.blksize;	/* itab starts at block 1 */

	return bs_vdisk_write(&bs.vdisk, sec, 1, bs.itab + at);
}

/*
 * Set ino's on-disk inode from its state (free unless committed).  If
 * the write fails, bs.itab keeps the old entry: it mirrors the disk.
 */
errstat
bs_write_inode(uint32_t ino)
{
	uint8_t *raw = bs.itab + (size_t)ino * BS_INODESIZE, old[BS_INODESIZE];
	struct bfile *f = &bs.files[ino];
	struct bs_inode d;
	errstat err;

	memset(&d, 0, sizeof(d));
	if (f->state == F_COMMITTED) {
		d.i_dskaddr = f->dskaddr;
		d.i_size = f->size;
		d.i_random = f->random;
		d.i_lifetime = f->lifetime ? f->lifetime : 1;
	}
	memcpy(old, raw, sizeof(old));
	bs_inode_put(&d, raw);
	if ((err = write_itab_sector(ino)) != STD_OK)
		memcpy(raw, old, sizeof(old));
	return err;
}

/* Write committed file ino's data, then its inode. */
errstat
bs_write_file(uint32_t ino)
{
	struct bfile *f = &bs.files[ino];
	uint32_t nb = bs_nblocks(&bs.sb, f->size);
	errstat err = STD_OK;

	if (nb > 0)
		err = bs_vdisk_write(&bs.vdisk, sectors(f->dskaddr),
				     sectors(nb), f->data);
	if (err == STD_OK)
		err = bs_write_inode(ino);
	if (err == STD_OK) {
		f->dirty = 0;
		bs.stats[3]++;
	}
	return err;
}

errstat
bs_flush_all(void)
{
	errstat err = STD_OK;

	for (uint32_t i = 1; i < bs.sb.s_numinodes; i++)
		if (bs.files[i].state == F_COMMITTED && bs.files[i].dirty) {
			errstat e = bs_write_file(i);

			if (e != STD_OK)
				err = e;
		}
	return err;
}

/* Does uncommitted ino hold exactly what committed orig holds? */
static int
same_contents(uint32_t ino, uint32_t orig)
{
	struct bfile *f = &bs.files[ino], *o = &bs.files[orig];

	if (o->state != F_COMMITTED || o->size != f->size)
		return 0;
	if (bs_load(orig) != STD_OK)
		return 0;
	return f->size == 0 || memcmp(f->data, o->data, f->size) == 0;
}

/*
 * Commit uncommitted file ino: blocks are allocated now (STD_NOSPACE if
 * no run is long enough: the file stays uncommitted and nothing on disk
 * changes); with safety its data and inode are on disk before return.
 * In compare mode an identical file is dropped and *result names the
 * original; otherwise *result = ino.
 */
errstat
bs_commit(uint32_t ino, int safety, uint32_t *result)
{
	struct bfile *f = &bs.files[ino];
	uint32_t nb = bs_nblocks(&bs.sb, f->size), addr = 0;

	*result = ino;
	if (f->cmp_inode && same_contents(ino, f->cmp_inode)) {
		*result = f->cmp_inode;
		bs_destroy(ino);
		return STD_OK;
	}
	if (nb > 0) {
		addr = bs_map_find(&bs.map, bs.sb.s_inodetop + 1, nb);
		if (addr == 0)
			return STD_NOSPACE;
		bs_map_set(&bs.map, addr, nb);
	}
	f->dskaddr = addr;
	f->state = F_COMMITTED;
	f->lifetime = MAX_LIFETIME;
	f->dirty = 1;
	f->cmp_inode = 0;
	f->lru = ++bs.clock;
	bs.nfiles++;
	bs.stats[2]++;
	return safety ? bs_write_file(ino) : STD_OK;
}

/*
 * Free file ino: its inode cleared on disk first, then its blocks.  If
 * the disk cannot be written the file stays as it was (error returned).
 */
errstat
bs_destroy(uint32_t ino)
{
	struct bfile *f = &bs.files[ino];
	uint8_t *raw = bs.itab + (size_t)ino * BS_INODESIZE;
	uint32_t nb = bs_nblocks(&bs.sb, f->size);
	uint8_t state = f->state;
	errstat err;

	f->state = F_FREE;
	if (raw[14] != 0 && (err = bs_write_inode(ino)) != STD_OK) {
		f->state = state;
		return err;
	}
	if (state == F_COMMITTED)
		bs.nfiles--;
	if (f->dskaddr != 0 && nb > 0)
		bs_map_clear(&bs.map, f->dskaddr, nb);
	bs_cache_drop(f);
	memset(f, 0, sizeof(*f));
	return STD_OK;
}

/* A free inode for a new uncommitted file (random set), or 0. */
int
bs_new_inode(void)
{
	static uint32_t hint = 1;

	for (uint32_t k = 0; k < bs.sb.s_numinodes; k++) {
		uint32_t i = (hint + k) % bs.sb.s_numinodes;
		struct bfile *f = &bs.files[i];

		if (i == 0 || f->state != F_FREE ||
		    bs.itab[(size_t)i * BS_INODESIZE + 14] != 0)
			continue;
		memset(f, 0, sizeof(*f));
		f->state = F_UNCOMMITTED;
		uniqport(&f->random);
		f->lru = ++bs.clock;
		hint = i + 1;
		return (int)i;
	}
	return 0;
}

void
bs_report(void *arg, uint32_t inode, const char *why, uint32_t other)
{
	(void)arg;
	if (strcmp(why, "overlaps inode") == 0)
		printf("bullet: %s: inode %u overlaps inode %u, both cleared\n",
		       bs.diskname, (unsigned)inode, (unsigned)other);
	else
		printf("bullet: %s: inode %u: %s, cleared\n", bs.diskname,
		       (unsigned)inode, why);
}

/*
 * bs_fsck - check the inode table on disk (and that it matches the
 * server's copy).  With repair, bad inodes are cleared on disk and
 * dropped from the server.  Returns the number of problems, -1 on a
 * read error.
 */
int
bs_fsck(int repair)
{
	size_t len = (size_t)bs.sb.s_inodetop * bs.blksize;
	uint8_t *tab = malloc(len);
	struct bs_map m;
	int bad;

	if (tab == NULL || bs_map_init(&m, bs.sb.s_numblocks) < 0) {
		free(tab);
		return -1;
	}
	if (bs_vdisk_read(&bs.vdisk, sectors(1), sectors(bs.sb.s_inodetop),
			  tab) != STD_OK) {
		bad = -1;
		goto out;
	}
	bad = bs_check(&bs.sb, tab, &m, bs_report, NULL);
	if (bad >= 0 && memcmp(tab, bs.itab, len) != 0 && bad == 0) {
		printf("bullet: %s: inode table differs from the server's\n",
		       bs.diskname);
		bad = 1;
	}
	if (bad > 0 && repair) {
		for (uint32_t i = 1; i < bs.sb.s_numinodes; i++)
			if (tab[(size_t)i * BS_INODESIZE + 14] == 0 &&
			    bs.itab[(size_t)i * BS_INODESIZE + 14] != 0)
				bs_destroy(i);
	}
out:
	bs_map_free(&m);
	free(tab);
	return bad;
}

/*
 * bs_load_table - read and check the inode table of the disk described
 * by bs.sb and bs.vdisk (repairs written back, each named by
 * bs_report); the files it holds become live.  The number of inodes
 * cleared is left in bs.stats[6].
 */
errstat
bs_load_table(void)
{
	size_t len = (size_t)bs.sb.s_inodetop * bs.blksize;
	uint32_t nsec = (uint32_t)(len / 512), first = bs.blksize / 512;
	errstat err;
	int bad;

	bs.itab = malloc(len);
	bs.files = calloc(bs.sb.s_numinodes, sizeof(struct bfile));
	if (bs.itab == NULL || bs.files == NULL ||
	    bs_map_init(&bs.map, bs.sb.s_numblocks) < 0)
		return STD_NOMEM;
	if ((err = bs_vdisk_read(&bs.vdisk, first, nsec, bs.itab)) != STD_OK)
		return err;
	if ((bad = bs_check(&bs.sb, bs.itab, &bs.map, bs_report, NULL)) < 0)
		return STD_NOMEM;
	if (bad > 0 &&
	    (err = bs_vdisk_write(&bs.vdisk, first, nsec, bs.itab)) != STD_OK)
		return err;
	for (uint32_t i = 1; i < bs.sb.s_numinodes; i++) {
		struct bs_inode ino;
		struct bfile *f = &bs.files[i];

		bs_inode_get(bs.itab + (size_t)i * BS_INODESIZE, &ino);
		if (ino.i_lifetime == 0)
			continue;
		f->state = F_COMMITTED;
		f->lifetime = MAX_LIFETIME;
		f->size = ino.i_size;
		f->dskaddr = ino.i_dskaddr;
		f->random = ino.i_random;
		bs.nfiles++;
	}
	bs.stats[6] = (uint32_t)bad;
	return STD_OK;
}

/* One sweep: uncommitted files idle for BS_CACHE_TIMEOUT are destroyed. */
void
bs_sweep(void)
{
	for (uint32_t i = 1; i < bs.sb.s_numinodes; i++) {
		struct bfile *f = &bs.files[i];

		if (f->state == F_UNCOMMITTED && ++f->idle >= BS_CACHE_TIMEOUT) {
			bs_destroy(i);
			bs.stats[6]++;
		}
	}
}
