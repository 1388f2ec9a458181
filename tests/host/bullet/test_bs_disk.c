/*
 * test_bs_disk.c - host test of the Bullet disk format (libamoeba/bullet/
 * bs_disk.c, spec 6.3): superblock bytes, checksum and refusals, inode
 * bytes, mkfs geometry, the block bitmap, and the boot-time check
 * clearing bad and overlapping inodes with a message naming them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <server/bullet/bs_disk.h>
#include <server/bullet/bullet.h>

#include "check.h"

static const port gp = { { 1, 2, 3, 4, 5, 6 } };
static const port rnd = { { 9, 8, 7, 6, 5, 4 } };

static void
test_layout(void)
{
	struct bs_super sb;

	CHECK(bs_layout(16u << 20, 9, 0, &gp, &rnd, &sb) == 0,
	      "layout of a 16 MiB disk");
	/* 16 MiB / 12 KiB = 1365, x1.5 = 2047, rounded up to 32 per block */
	CHECK(sb.s_numinodes == 2048 && sb.s_inodetop == 64,
	      "default inode count: disk/12 KiB x 1.5 in whole blocks");
	CHECK(sb.s_numblocks == 32768 && sb.s_blksize == 9,
	      "512-byte blocks over the whole disk");
	CHECK(bs_layout(300u << 20, 9, 0, &gp, &rnd, &sb) == 0 &&
	      sb.s_numinodes == 25600, "no x1.5 at or above 250 MB");
	CHECK(bs_layout(300u << 20, 12, 100, &gp, &rnd, &sb) == 0 &&
	      sb.s_numinodes == 256 && sb.s_inodetop == 1,
	      "explicit inode count rounded to a 4 KiB block");
	CHECK(bs_layout(1024, 9, 0, &gp, &rnd, &sb) < 0,
	      "a 2-block disk is too small");
	CHECK(bs_layout(1u << 20, 8, 0, &gp, &rnd, &sb) < 0 &&
	      bs_layout(1u << 20, 15, 0, &gp, &rnd, &sb) < 0,
	      "block sizes outside 512..16384 refused");
}

static void
test_super(void)
{
	struct bs_super sb, got;
	uint8_t blk[512];

	bs_layout(16u << 20, 9, 0, &gp, &rnd, &sb);
	bs_super_put(&sb, blk);
	CHECK(blk[0] == 0x70 && blk[1] == 0xBD && blk[2] == 0xCE &&
	      blk[3] == 0x21, "magic big-endian at offset 0");
	CHECK(blk[7] == 9 && blk[10] == 0x08 && blk[11] == 0x00 &&
	      blk[14] == 0x80 && blk[19] == 64,
	      "blksize, numinodes, numblocks, inodetop big-endian");
	CHECK(memcmp(blk + 20, &gp, 6) == 0 && blk[26] == 0 && blk[29] == 0xFF &&
	      memcmp(blk + 30, &rnd, 6) == 0,
	      "supercap at 20: get-port, object 0, all rights, check");
	CHECK(bs_checksum(blk) == 0, "checksummed block XORs to 0");
	CHECK(bs_super_get(blk, 16u << 20, &got) == BS_SB_OK &&
	      memcmp(&got, &sb, sizeof(sb)) == 0, "superblock round trip");
	CHECK(bs_super_get(blk, 8u << 20, &got) == BS_SB_TOOBIG,
	      "file system larger than the partition refused");
	blk[100] ^= 0x10;
	CHECK(bs_super_get(blk, 0, &got) == BS_SB_CHECKSUM,
	      "one flipped filler bit: checksum refused");
	blk[100] ^= 0x10;
	blk[0] = 0;
	CHECK(bs_super_get(blk, 0, &got) == BS_SB_MAGIC, "wrong magic refused");
	sb.s_blksize = 15;
	bs_super_put(&sb, blk);
	CHECK(bs_super_get(blk, 0, &got) == BS_SB_BLKSIZE,
	      "block size 2^15 refused");
	sb.s_blksize = 9;
	sb.s_numinodes = 4000;	/* more than 64 blocks hold */
	bs_super_put(&sb, blk);
	CHECK(bs_super_get(blk, 0, &got) == BS_SB_GEOMETRY,
	      "inode table too small for s_numinodes refused");
	sb.s_numinodes = 2048;
	sb.s_numblocks = 64;
	bs_super_put(&sb, blk);
	CHECK(bs_super_get(blk, 0, &got) == BS_SB_GEOMETRY,
	      "no room above the inode table refused");
}

static void
test_inode(void)
{
	struct bs_inode a = { 0x01020304, 0xA0B0C0D0, { { 1, 2, 3, 4, 5, 6 } },
			      24, 0xFF }, b;
	uint8_t raw[16];

	bs_inode_put(&a, raw);
	CHECK(raw[0] == 1 && raw[3] == 4 && raw[4] == 0xA0 && raw[7] == 0xD0 &&
	      raw[8] == 1 && raw[13] == 6 && raw[14] == 24 && raw[15] == I_INTENT,
	      "inode bytes: address, size BE, random, lifetime, flags");
	bs_inode_get(raw, &b);
	CHECK(b.i_dskaddr == a.i_dskaddr && b.i_size == a.i_size &&
	      b.i_lifetime == 24 && b.i_flags == I_INTENT,
	      "inode round trip keeps only I_INTENT");
}

static void
test_map(void)
{
	struct bs_map m;

	CHECK(bs_map_init(&m, 100) == 0 && m.nfree == 100, "map of 100 blocks");
	bs_map_set(&m, 0, 10);
	bs_map_set(&m, 12, 30);
	CHECK(m.nfree == 60, "set counts");
	CHECK(bs_map_find(&m, 1, 2) == 10, "a 2-block hole found first");
	CHECK(bs_map_find(&m, 1, 3) == 42, "a 3-block run after the hole");
	CHECK(bs_map_find(&m, 1, 58) == 42 && bs_map_find(&m, 1, 59) == 0,
	      "58 blocks at the end fit");
	CHECK(bs_map_find(&m, 1, 61) == 0, "more than free: none");
	bs_map_clear(&m, 12, 30);
	CHECK(m.nfree == 90 && bs_map_find(&m, 1, 90) == 10,
	      "clear makes one run of 90");
	bs_map_free(&m);
}

static char msgs[2048];

static void
report(void *arg, uint32_t inode, const char *why, uint32_t other)
{
	size_t n = strlen(msgs);

	(void)arg;
	snprintf(msgs + n, sizeof(msgs) - n, "inode %u: %s %u\n", inode, why,
		 other);
}

static void
put(uint8_t *itab, uint32_t n, uint32_t addr, uint32_t size, uint8_t life)
{
	struct bs_inode ino = { addr, size, { { (uint8_t)n } }, life, 0 };

	bs_inode_put(&ino, itab + n * 16);
}

static int
inode_free(const uint8_t *itab, uint32_t n)
{
	static const uint8_t zero[16];

	return memcmp(itab + n * 16, zero, 16) == 0;
}

static void
test_check(void)
{
	struct bs_super sb;
	struct bs_map m;
	uint8_t *itab;
	int n;

	bs_layout(1u << 20, 9, 64, &gp, &rnd, &sb);	/* 2048 blocks */
	CHECK(sb.s_inodetop == 2, "64 inodes in 2 blocks");
	itab = calloc(sb.s_numinodes, 16);
	put(itab, 1, 3, 1000, 24);	/* blocks 3-4: good */
	put(itab, 2, 10, 512 * 5, 24);	/* 10-14 */
	put(itab, 3, 14, 100, 24);	/* 14: overlaps 2 */
	put(itab, 4, 2, 10, 24);	/* inside the inode table */
	put(itab, 5, 2047, 1024, 24);	/* beyond the end */
	put(itab, 6, 0, 0, 24);		/* empty: good */
	put(itab, 7, 5, 0, 24);		/* empty with an address */
	put(itab, 8, 100, 512, 0);	/* free, garbage address: ignored */
	put(itab, 9, 20, 512 * 10, 24);	/* 20-29 */
	put(itab, 10, 22, 512, 24);	/* inside 9 */
	put(itab, 11, 29, 512, 24);	/* last block of 9 */
	put(itab, 12, 2047, 512, 24);	/* exactly the last block: good */
	bs_map_init(&m, sb.s_numblocks);
	msgs[0] = 0;
	n = bs_check(&sb, itab, &m, report, NULL);
	CHECK(n == 8, "eight inodes cleared");
	CHECK(!inode_free(itab, 1) && !inode_free(itab, 6) &&
	      !inode_free(itab, 8) && !inode_free(itab, 12),
	      "good, empty and free inodes kept");
	CHECK(inode_free(itab, 2) && inode_free(itab, 3) &&
	      inode_free(itab, 9) && inode_free(itab, 10) &&
	      inode_free(itab, 11), "both sides of each overlap cleared");
	CHECK(inode_free(itab, 4) && inode_free(itab, 5) && inode_free(itab, 7),
	      "bad addresses cleared");
	CHECK(strstr(msgs, "inode 3: overlaps inode 2") != NULL &&
	      strstr(msgs, "inode 10: overlaps inode 9") != NULL &&
	      strstr(msgs, "inode 11: overlaps inode 9") != NULL,
	      "overlap messages name both inodes");
	CHECK(strstr(msgs, "inode 4: address inside") != NULL &&
	      strstr(msgs, "inode 5: blocks beyond") != NULL &&
	      strstr(msgs, "inode 7: empty file") != NULL,
	      "bad-address messages name the inode");
	CHECK(m.nfree == 2048 - 3 - 2 - 1 && bs_map_test(&m, 3) &&
	      !bs_map_test(&m, 10) && bs_map_test(&m, 2047),
	      "map holds the table and the kept files only");
	bs_map_free(&m);
	bs_map_init(&m, sb.s_numblocks);
	CHECK(bs_check(&sb, itab, &m, report, NULL) == 0,
	      "a second check finds nothing");
	bs_map_free(&m);
	free(itab);
}

int
main(void)
{
	test_layout();
	test_super();
	test_inode();
	test_map();
	test_check();
	return TEST_DONE();
}
