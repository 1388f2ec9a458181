/*
 * bs_disk.c - the Bullet disk format (spec 6.3): superblock and inode
 * marshalling, the mkfs geometry, the block bitmap and the consistency
 * check run at boot and by BS_FSCK.  Pure functions over byte buffers;
 * the callers do the disk I/O.  See server/bullet/bs_disk.h.
 */
#include <stdlib.h>
#include <string.h>

#include <server/bullet/bs_disk.h>
#include <server/bullet/bullet.h>

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

const char *
bs_super_why(int err)
{
	switch (err) {
	case BS_SB_OK: return "good";
	case BS_SB_MAGIC: return "no Bullet magic number";
	case BS_SB_CHECKSUM: return "superblock checksum wrong";
	case BS_SB_BLKSIZE: return "block size out of range";
	case BS_SB_GEOMETRY: return "inode table does not fit the disk";
	case BS_SB_TOOBIG: return "file system larger than the partition";
	default: return "unknown";
	}
}

uint16_t
bs_checksum(const uint8_t *blk)
{
	uint16_t sum = 0;

	for (int i = 0; i < BS_SUPERSIZE; i += 2)
		sum ^= (uint16_t)(blk[i] << 8 | blk[i + 1]);
	return sum;
}

void
bs_super_put(const struct bs_super *sb, uint8_t *blk)
{
	uint16_t sum;

	memset(blk, 0, BS_SUPERSIZE);
	put_be32(blk + BS_OFF_MAGIC, sb->s_magic);
	put_be32(blk + BS_OFF_BLKSIZE, sb->s_blksize);
	put_be32(blk + BS_OFF_NUMINODES, sb->s_numinodes);
	put_be32(blk + BS_OFF_NUMBLOCKS, sb->s_numblocks);
	put_be32(blk + BS_OFF_INODETOP, sb->s_inodetop);
	memcpy(blk + BS_OFF_SUPERCAP, &sb->s_supercap, sizeof(capability));
	sum = bs_checksum(blk);
	blk[BS_OFF_CHECKSUM] = (uint8_t)(sum >> 8);
	blk[BS_OFF_CHECKSUM + 1] = (uint8_t)sum;
}

int
bs_super_get(const uint8_t *blk, uint64_t disk_bytes, struct bs_super *sb)
{
	uint64_t table;

	memset(sb, 0, sizeof(*sb));
	sb->s_magic = get_be32(blk + BS_OFF_MAGIC);
	sb->s_blksize = get_be32(blk + BS_OFF_BLKSIZE);
	sb->s_numinodes = get_be32(blk + BS_OFF_NUMINODES);
	sb->s_numblocks = get_be32(blk + BS_OFF_NUMBLOCKS);
	sb->s_inodetop = get_be32(blk + BS_OFF_INODETOP);
	memcpy(&sb->s_supercap, blk + BS_OFF_SUPERCAP, sizeof(capability));
	if (sb->s_magic != BS_MAGIC)
		return BS_SB_MAGIC;
	if (bs_checksum(blk) != 0)
		return BS_SB_CHECKSUM;
	if (sb->s_blksize < BS_MINSHIFT || sb->s_blksize > BS_MAXSHIFT)
		return BS_SB_BLKSIZE;
	table = (uint64_t)sb->s_inodetop << sb->s_blksize;
	if (sb->s_numinodes < 2 || sb->s_numinodes > MAX_OBJNUM + 1u ||
	    sb->s_inodetop < 1 ||
	    (uint64_t)sb->s_numinodes * BS_INODESIZE > table ||
	    sb->s_inodetop >= sb->s_numblocks)
		return BS_SB_GEOMETRY;
	if (disk_bytes != 0 &&
	    ((uint64_t)sb->s_numblocks << sb->s_blksize) > disk_bytes)
		return BS_SB_TOOBIG;
	return BS_SB_OK;
}

void
bs_inode_get(const uint8_t *p, struct bs_inode *ino)
{
	ino->i_dskaddr = get_be32(p);
	ino->i_size = get_be32(p + 4);
	memcpy(&ino->i_random, p + 8, PORTSIZE);
	ino->i_lifetime = p[14];
	ino->i_flags = p[15];
}

void
bs_inode_put(const struct bs_inode *ino, uint8_t *p)
{
	put_be32(p, ino->i_dskaddr);
	put_be32(p + 4, ino->i_size);
	memcpy(p + 8, &ino->i_random, PORTSIZE);
	p[14] = ino->i_lifetime;
	p[15] = ino->i_flags & I_INTENT;
}

uint64_t
bs_inode_offset(const struct bs_super *sb, uint32_t n)
{
	return ((uint64_t)1 << sb->s_blksize) + (uint64_t)n * BS_INODESIZE;
}

uint32_t
bs_nblocks(const struct bs_super *sb, uint32_t size)
{
	return (uint32_t)(((uint64_t)size + (1u << sb->s_blksize) - 1) >>
			  sb->s_blksize);
}

int
bs_layout(uint64_t disk_bytes, uint32_t shift, uint32_t ninodes,
	  const port *getport, const port *check, struct bs_super *sb)
{
	uint64_t n = ninodes, per_block = (1u << shift) / BS_INODESIZE;

	if (shift < BS_MINSHIFT || shift > BS_MAXSHIFT)
		return -1;
	if (n == 0) {
		n = disk_bytes / AVERAGE_FILE_SIZE;
		if (disk_bytes < BS_BIGDISK)
			n += n / 2;
	}
	if (n < 2)
		n = 2;
	memset(sb, 0, sizeof(*sb));
	sb->s_magic = BS_MAGIC;
	sb->s_blksize = shift;
	sb->s_numblocks = (uint32_t)((disk_bytes >> shift) > UINT32_MAX
				     ? UINT32_MAX : disk_bytes >> shift);
	sb->s_inodetop = (uint32_t)((n + per_block - 1) / per_block);
	n = (uint64_t)sb->s_inodetop * per_block;
	if (n > MAX_OBJNUM + 1u || sb->s_inodetop + 1 >= sb->s_numblocks)
		return -1;
	sb->s_numinodes = (uint32_t)n;
	sb->s_supercap.cap_port = *getport;
	sb->s_supercap.cap_priv.prv_rights = PRV_ALL_RIGHTS;
	sb->s_supercap.cap_priv.prv_random = *check;
	return 0;
}

/* ---- block bitmap ------------------------------------------------------- */

int
bs_map_init(struct bs_map *m, uint32_t nblocks)
{
	m->nblocks = nblocks;
	m->nfree = nblocks;
	m->bits = calloc(((size_t)nblocks + 7) / 8 + 1, 1);
	return m->bits ? 0 : -1;
}

void
bs_map_free(struct bs_map *m)
{
	free(m->bits);
	m->bits = NULL;
}

int
bs_map_test(const struct bs_map *m, uint32_t blk)
{
	return (m->bits[blk >> 3] >> (blk & 7)) & 1;
}

void
bs_map_set(struct bs_map *m, uint32_t start, uint32_t n)
{
	for (uint32_t b = start; b < start + n; b++) {
		if (!bs_map_test(m, b))
			m->nfree--;
		m->bits[b >> 3] |= (uint8_t)(1u << (b & 7));
	}
}

void
bs_map_clear(struct bs_map *m, uint32_t start, uint32_t n)
{
	for (uint32_t b = start; b < start + n; b++) {
		if (bs_map_test(m, b))
			m->nfree++;
		m->bits[b >> 3] &= (uint8_t)~(1u << (b & 7));
	}
}

uint32_t
bs_map_find(const struct bs_map *m, uint32_t from, uint32_t n)
{
	uint32_t run = 0;

	if (n == 0 || n > m->nfree)
		return 0;
	for (uint32_t b = from; b < m->nblocks; b++) {
		if (run == 0 && (b & 7) == 0 && m->bits[b >> 3] == 0xFF &&
		    b + 8 <= m->nblocks) {
			b += 7;		/* a full byte: skip it */
			continue;
		}
		if (bs_map_test(m, b)) {
			run = 0;
			continue;
		}
		if (++run == n)
			return b + 1 - n;
	}
	return 0;
}

/* ---- the consistency check ---------------------------------------------- */

struct extent {
	uint32_t start, end;		/* blocks [start, end) */
	uint32_t inode;
	int bad;
};

static int
extent_cmp(const void *a, const void *b)
{
	const struct extent *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

/* Why in-use inode ino is bad on its own, or NULL. */
static const char *
inode_bad(const struct bs_super *sb, const struct bs_inode *ino)
{
	uint32_t nb = bs_nblocks(sb, ino->i_size);

	if (ino->i_size == 0)
		return ino->i_dskaddr == 0 ? NULL : "empty file with an address";
	if (ino->i_dskaddr <= sb->s_inodetop)
		return "address inside the superblock or inode table";
	if (ino->i_dskaddr >= sb->s_numblocks ||
	    nb > sb->s_numblocks - ino->i_dskaddr)
		return "blocks beyond the end of the disk";
	return NULL;
}

static void
clear_inode(uint8_t *itab, uint32_t n)
{
	memset(itab + (size_t)n * BS_INODESIZE, 0, BS_INODESIZE);
}

/* Mark overlapping extents bad (both sides); reports each pair once. */
static void
find_overlaps(struct extent *ex, uint32_t n, bs_report_fn report, void *arg)
{
	uint32_t owner = 0;	/* the extent reaching furthest so far */

	qsort(ex, n, sizeof(*ex), extent_cmp);
	for (uint32_t i = 1; i < n; i++) {
		if (ex[i].start < ex[owner].end) {
			if (report)
				report(arg, ex[i].inode, "overlaps inode",
				       ex[owner].inode);
			ex[i].bad = ex[owner].bad = 1;
		}
		if (ex[i].end > ex[owner].end)
			owner = i;
	}
}

int
bs_check(const struct bs_super *sb, uint8_t *itab, struct bs_map *map,
	 bs_report_fn report, void *arg)
{
	struct extent *ex = malloc(sizeof(*ex) * sb->s_numinodes);
	uint32_t n = 0;
	int cleared = 0;

	if (ex == NULL)
		return -1;
	bs_map_set(map, 0, sb->s_inodetop + 1);
	if (itab[14] != 0 || itab[15] != 0) {	/* inode 0 is never used */
		if (report)
			report(arg, 0, "inode 0 in use", 0);
		clear_inode(itab, 0);
		cleared++;
	}
	for (uint32_t i = 1; i < sb->s_numinodes; i++) {
		struct bs_inode ino;
		const char *why;

		bs_inode_get(itab + (size_t)i * BS_INODESIZE, &ino);
		if (ino.i_lifetime == 0)
			continue;
		if ((why = inode_bad(sb, &ino)) != NULL) {
			if (report)
				report(arg, i, why, 0);
			clear_inode(itab, i);
			cleared++;
		} else if (ino.i_size > 0) {
			ex[n].start = ino.i_dskaddr;
			ex[n].end = ino.i_dskaddr + bs_nblocks(sb, ino.i_size);
			ex[n].inode = i;
			ex[n++].bad = 0;
		}
	}
	if (n > 1)
		find_overlaps(ex, n, report, arg);
	for (uint32_t i = 0; i < n; i++) {
		if (ex[i].bad) {
			clear_inode(itab, ex[i].inode);
			cleared++;
		} else {
			bs_map_set(map, ex[i].start, ex[i].end - ex[i].start);
		}
	}
	free(ex);
	return cleared;
}
