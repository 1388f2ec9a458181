/*
 * fuzz_bullet_disk.c - the Bullet superblock and inode-table check
 * (libamoeba/bullet/bs_disk.c) on arbitrary disk contents.
 *
 * Input: byte 0 selects repairs that get deeper than a random block
 * would (bit 0: a valid magic, bit 1: a correct checksum, bit 2: a small
 * sane geometry); bytes 1..512 are the superblock, the rest the inode
 * table (zero-padded to s_numinodes, at most 4096 inodes).  A refused
 * superblock must say why; an accepted one is checked, and a second
 * check of the repaired table must find nothing, with every kept file
 * inside the data area and marked exactly once in the bitmap.
 */
#include <stdlib.h>
#include <string.h>

#include <server/bullet/bs_disk.h>

#define MAX_INODES 4096

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
prepare(uint8_t *blk, uint8_t sel)
{
	uint16_t sum;

	if (sel & 4) {
		put_be32(blk + BS_OFF_BLKSIZE, 9 + (blk[7] & 3));
		put_be32(blk + BS_OFF_NUMINODES, 2 + (blk[11] % 200));
		put_be32(blk + BS_OFF_NUMBLOCKS, 16 + blk[15] * 8u);
		put_be32(blk + BS_OFF_INODETOP, 7 + (blk[19] & 7));
	}
	if (sel & 1)
		put_be32(blk + BS_OFF_MAGIC, BS_MAGIC);
	if (sel & 2) {
		blk[BS_OFF_CHECKSUM] = blk[BS_OFF_CHECKSUM + 1] = 0;
		sum = bs_checksum(blk);
		blk[BS_OFF_CHECKSUM] = (uint8_t)(sum >> 8);
		blk[BS_OFF_CHECKSUM + 1] = (uint8_t)sum;
	}
}

static void
verify(const struct bs_super *sb, uint8_t *itab)
{
	struct bs_map m;

	if (bs_map_init(&m, sb->s_numblocks) < 0)
		abort();
	if (bs_check(sb, itab, &m, NULL, NULL) != 0)
		abort();	/* the repaired table must be consistent */
	for (uint32_t i = 1; i < sb->s_numinodes; i++) {
		struct bs_inode ino;

		bs_inode_get(itab + (size_t)i * BS_INODESIZE, &ino);
		if (ino.i_lifetime == 0 || ino.i_size == 0)
			continue;
		for (uint32_t b = 0; b < bs_nblocks(sb, ino.i_size); b++)
			if (!bs_map_test(&m, ino.i_dskaddr + b))
				abort();
	}
	bs_map_free(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t blk[BS_SUPERSIZE] = { 0 };
	struct bs_super sb;
	struct bs_map m;
	uint8_t *itab;
	size_t tab;
	int err;

	if (size < 1)
		return 0;
	memcpy(blk, data + 1, size - 1 < sizeof(blk) ? size - 1 : sizeof(blk));
	prepare(blk, data[0]);
	err = bs_super_get(blk, 0, &sb);
	if (err != BS_SB_OK) {
		if (bs_super_why(err)[0] == 0)
			abort();
		return 0;
	}
	if (sb.s_numinodes > MAX_INODES || sb.s_numblocks > (1u << 24))
		return 0;	/* real, just too big to fuzz quickly */
	tab = (size_t)sb.s_numinodes * BS_INODESIZE;
	itab = calloc(tab, 1);
	if (size > 1 + BS_SUPERSIZE)
		memcpy(itab, data + 1 + BS_SUPERSIZE,
		       size - 1 - BS_SUPERSIZE < tab ? size - 1 - BS_SUPERSIZE
						      : tab);
	if (bs_map_init(&m, sb.s_numblocks) < 0)
		abort();
	if (bs_check(&sb, itab, &m, NULL, NULL) < 0)
		abort();
	bs_map_free(&m);
	verify(&sb, itab);
	free(itab);
	return 0;
}
