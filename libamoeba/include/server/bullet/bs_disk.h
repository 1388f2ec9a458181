/*
 * server/bullet/bs_disk.h - the Bullet file system on a vdisk partition
 * (spec 6.3), as portable C shared by the server, mkfs (host and VX) and
 * the fuzz target; no I/O here.
 *
 * Physical block 0 is the superblock (big-endian, 16-bit XOR checksum);
 * file-system blocks 1 .. s_inodetop hold the inode table (16 bytes per
 * inode, inode 0 unused); files are contiguous runs of blocks above
 * s_inodetop.  Entry points: bs_super_get/put, bs_inode_get/put,
 * bs_layout (mkfs), bs_check (the boot-time check and BS_FSCK), and a
 * block bitmap (bs_map_*) for allocation.
 */
#ifndef SERVER_BULLET_BS_DISK_H
#define SERVER_BULLET_BS_DISK_H

#include <stddef.h>
#include <stdint.h>

#include <amoeba.h>

#define BS_MAGIC	0x70BDCE21u
#define BS_SUPERSIZE	512		/* bytes of the superblock */
#define BS_INODESIZE	16		/* bytes per inode */
#define BS_MINSHIFT	9		/* block sizes 512 .. 16384 */
#define BS_MAXSHIFT	14
#define I_INTENT	0x40		/* the only i_flags bit kept on disk */
#define BS_BIGDISK	(250u * 1024 * 1024) /* mkfs: more inodes below */

/* Superblock field offsets (bytes, big-endian integers). */
#define BS_OFF_MAGIC	0
#define BS_OFF_BLKSIZE	4
#define BS_OFF_NUMINODES 8
#define BS_OFF_NUMBLOCKS 12
#define BS_OFF_INODETOP	16
#define BS_OFF_SUPERCAP	20
#define BS_OFF_CHECKSUM	36

struct bs_super {
	uint32_t s_magic;		/* BS_MAGIC */
	uint32_t s_blksize;		/* log2 of the block size */
	uint32_t s_numinodes;		/* inodes, inode 0 included */
	uint32_t s_numblocks;		/* file-system blocks on the disk */
	uint32_t s_inodetop;		/* last block of the inode table */
	capability s_supercap;		/* get-port, object 0, all rights */
};

struct bs_inode {
	uint32_t i_dskaddr;		/* first block; 0 for an empty file */
	uint32_t i_size;		/* bytes */
	port i_random;			/* the file's check port */
	uint8_t i_lifetime;		/* 0 free; else the age count left */
	uint8_t i_flags;		/* I_INTENT */
};

_Static_assert(sizeof(capability) == 16, "s_supercap is 16 bytes");
_Static_assert(BS_OFF_CHECKSUM + 2 <= BS_SUPERSIZE, "superblock fits");

/* Why a superblock was refused (bs_super_get), 0 if it is good. */
enum bs_super_err {
	BS_SB_OK = 0, BS_SB_MAGIC, BS_SB_CHECKSUM, BS_SB_BLKSIZE,
	BS_SB_GEOMETRY, BS_SB_TOOBIG,
};

const char *bs_super_why(int err);
/* XOR of the 256 16-bit big-endian words of a 512-byte block. */
uint16_t bs_checksum(const uint8_t *blk);
/* Marshal sb into blk[0..512) with a correct checksum. */
void bs_super_put(const struct bs_super *sb, uint8_t *blk);
/*
 * Parse and check blk[0..512): magic, checksum, block size, that the
 * inode table holds s_numinodes and fits below s_numblocks, and (when
 * disk_bytes is not 0) that the file system fits on the disk.  Returns
 * BS_SB_OK or the reason it was refused.
 */
int bs_super_get(const uint8_t *blk, uint64_t disk_bytes, struct bs_super *sb);

void bs_inode_get(const uint8_t *p, struct bs_inode *ino);
void bs_inode_put(const struct bs_inode *ino, uint8_t *p);
/* Bytes from the start of the disk to inode n. */
uint64_t bs_inode_offset(const struct bs_super *sb, uint32_t n);
/* Blocks a file of size bytes occupies. */
uint32_t bs_nblocks(const struct bs_super *sb, uint32_t size);

/*
 * bs_layout - mkfs's geometry for a disk of disk_bytes with blocks of
 * 1 << shift bytes: ninodes (0 = the default: one per AVERAGE_FILE_SIZE
 * of disk, 1.5 times that under BS_BIGDISK, rounded up to whole blocks).
 * The super-capability is { getport, object 0, all rights, check }.
 * Returns 0, or -1 if the disk is too small for it.
 */
int bs_layout(uint64_t disk_bytes, uint32_t shift, uint32_t ninodes,
	      const port *getport, const port *check, struct bs_super *sb);

/* A bitmap of file-system blocks: set = in use. */
struct bs_map {
	uint32_t nblocks;		/* blocks covered */
	uint32_t nfree;			/* clear bits */
	uint8_t *bits;			/* nblocks bits */
};

int bs_map_init(struct bs_map *m, uint32_t nblocks);	/* 0 or -1 (memory) */
void bs_map_free(struct bs_map *m);
int bs_map_test(const struct bs_map *m, uint32_t blk);
/* Mark [start, start+n) used / free (inside the map, caller checks). */
void bs_map_set(struct bs_map *m, uint32_t start, uint32_t n);
void bs_map_clear(struct bs_map *m, uint32_t start, uint32_t n);
/* First run of n free blocks at or above from; 0 if there is none. */
uint32_t bs_map_find(const struct bs_map *m, uint32_t from, uint32_t n);

/* bs_check's message callback: one line naming the inode and why. */
typedef void (*bs_report_fn)(void *arg, uint32_t inode, const char *why,
			     uint32_t other);

/*
 * bs_check - check the inode table itab (s_numinodes * 16 bytes, inode 0
 * first) against sb: every in-use inode (lifetime != 0) must lie inside
 * the data area (or be empty with address 0) and share no block with
 * another; a bad inode is cleared (16 zero bytes), each overlapping one
 * too, and reported.  Fills map (already initialised for s_numblocks)
 * with the blocks in use, the superblock and inode table included.
 * Returns the number of inodes cleared, or -1 when out of memory.
 */
int bs_check(const struct bs_super *sb, uint8_t *itab, struct bs_map *map,
	     bs_report_fn report, void *arg);

#endif /* SERVER_BULLET_BS_DISK_H */
