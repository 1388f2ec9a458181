/*
 * blkdev.c - the block-device table, range checks, and MBR partitions as
 * sub-devices (see blkdev.h).
 *
 * Entry points: blkdev_register, blkdev_count, blkdev_get, blkdev_find,
 * blkdev_read, blkdev_write, blkdev_size, blkdev_info,
 * blkdev_scan_partitions.
 *
 * Concurrency: the table is filled at boot and read-only afterwards; the
 * counters are updated by the requesting thread (the kernel is
 * non-preemptive, and they are statistics only).
 */
#include <stdint.h>
#include <string.h>

#include <stderr.h>

#include "drivers/disk/blkdev.h"
#include "kernel/klib.h"
#include "kernel/mem.h"

#define MBR_SIG_OFF 510
#define MBR_PART_OFF 446
#define MAX_LOGICAL 32

static struct blkdev *devs[BLKDEV_MAX];    /* boot, then read-only */
static int ndevs;

int
blkdev_register(struct blkdev *bd)
{
	if (ndevs == BLKDEV_MAX || bd->ops == NULL)
		return STD_NOSPACE;
	bd->index = ndevs;
	devs[ndevs++] = bd;
	return bd->index;
}

int
blkdev_count(void)
{
	return ndevs;
}

struct blkdev *
blkdev_get(int i)
{
	return i >= 0 && i < ndevs ? devs[i] : NULL;
}

struct blkdev *
blkdev_find(const char *name)
{
	for (int i = 0; i < ndevs; i++)
		if (strcmp(devs[i]->name, name) == 0)
			return devs[i];
	return NULL;
}

/* Is [lba, lba + n) inside the device? */
static bool
in_range(struct blkdev *bd, uint64_t lba, uint32_t n, const void *buf)
{
	if (buf == NULL || n == 0 || lba >= bd->nsectors ||
	    n > bd->nsectors - lba) {
		bd->stats.refused++;
		return false;
	}
	return true;
}

errstat
blkdev_read(struct blkdev *bd, uint64_t lba, uint32_t n, void *buf)
{
	errstat err;

	if (!in_range(bd, lba, n, buf))
		return STD_ARGBAD;
	err = bd->ops->read(bd, lba, n, buf);
	bd->stats.reads++;
	if (err == STD_OK)
		bd->stats.rsectors += n;
	else
		bd->stats.errors++;
	return err;
}

errstat
blkdev_write(struct blkdev *bd, uint64_t lba, uint32_t n, const void *buf)
{
	errstat err;

	if (!in_range(bd, lba, n, buf))
		return STD_ARGBAD;
	err = bd->ops->write(bd, lba, n, buf);
	bd->stats.writes++;
	if (err == STD_OK)
		bd->stats.wsectors += n;
	else
		bd->stats.errors++;
	return err;
}

errstat
blkdev_flush(struct blkdev *bd)
{
	errstat err;

	if (bd->ops->flush == NULL)
		return STD_OK;
	err = bd->ops->flush(bd);
	bd->stats.flushes++;
	if (err != STD_OK)
		bd->stats.errors++;
	return err;
}

uint64_t
blkdev_size(struct blkdev *bd)
{
	return bd->nsectors;
}

void
blkdev_info(struct blkdev *bd, struct blkdev_info *out)
{
	memset(out, 0, sizeof(*out));
	out->nsectors = bd->nsectors;
	out->mode = "";
	if (bd->ops->info)
		bd->ops->info(bd, out);
}

/* ---- partitions --------------------------------------------------------- */

static errstat
part_read(struct blkdev *bd, uint64_t lba, uint32_t n, void *buf)
{
	return blkdev_read(bd->parent, bd->start + lba, n, buf);
}

static errstat
part_write(struct blkdev *bd, uint64_t lba, uint32_t n, const void *buf)
{
	return blkdev_write(bd->parent, bd->start + lba, n, buf);
}

static errstat
part_flush(struct blkdev *bd)
{
	return blkdev_flush(bd->parent);
}

static uint64_t
part_size(struct blkdev *bd)
{
	return bd->nsectors;
}

static void
part_info(struct blkdev *bd, struct blkdev_info *out)
{
	blkdev_info(bd->parent, out);
	out->nsectors = bd->nsectors;
	out->mode = "part";
}

static const struct blkdev_ops part_ops = {
	.read = part_read,
	.write = part_write,
	.flush = part_flush,
	.size = part_size,
	.info = part_info,
};

static uint32_t
le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool
is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0F || type == 0x85;
}

/* Register disk's partition number num; false if it is out of bounds. */
static bool
add_part(struct blkdev *disk, int num, uint8_t type, uint64_t start,
	 uint64_t count)
{
	struct blkdev *p;

	if (start == 0 || count == 0 || start >= disk->nsectors ||
	    count > disk->nsectors - start) {
		kprintf("blkdev: %s partition %d (%llu+%llu) is outside the "
			"disk: ignored\n", disk->name, num, start, count);
		return false;
	}
	p = kzalloc(sizeof(*p));
	if (p == NULL)
		return false;
	ksnprintf(p->name, sizeof(p->name), "%sp%d", disk->name, num);
	p->ops = &part_ops;
	p->parent = disk;
	p->start = start;
	p->nsectors = count;
	p->part_type = type;
	if (blkdev_register(p) < 0) {
		kfree(p);
		return false;
	}
	kprintf("blkdev: %s type %02x start %llu sectors %llu\n", p->name,
		type, start, count);
	return true;
}

/* Walk the chain of extended boot records: logical partitions 5, 6, ... */
static int
scan_logical(struct blkdev *disk, uint64_t ext_start, uint8_t *sec)
{
	uint64_t ebr = ext_start;
	int n = 0;

	for (int i = 0; i < MAX_LOGICAL; i++) {
		const uint8_t *e = sec + MBR_PART_OFF;

		if (blkdev_read(disk, ebr, 1, sec) != STD_OK ||
		    sec[MBR_SIG_OFF] != 0x55 || sec[MBR_SIG_OFF + 1] != 0xAA)
			break;
		if (e[4] && add_part(disk, 5 + n, e[4], ebr + le32(e + 8),
				     le32(e + 12)))
			n++;
		if (!is_extended(e[16 + 4]) || le32(e + 16 + 8) == 0)
			break;
		ebr = ext_start + le32(e + 16 + 8);
	}
	return n;
}

int
blkdev_scan_partitions(struct blkdev *disk)
{
	uint8_t *sec = kmalloc(BLK_SECTOR);
	uint8_t ent[4][16];
	errstat err;
	int n = 0;

	if (sec == NULL)
		return STD_NOMEM;
	err = blkdev_read(disk, 0, 1, sec);
	if (err != STD_OK || sec[MBR_SIG_OFF] != 0x55 ||
	    sec[MBR_SIG_OFF + 1] != 0xAA) {
		kfree(sec);
		return err != STD_OK ? err : 0;
	}
	memcpy(ent, sec + MBR_PART_OFF, sizeof(ent));
	for (int i = 0; i < 4; i++) {
		uint8_t type = ent[i][4];

		if (type == 0)
			continue;
		if (is_extended(type))
			n += scan_logical(disk, le32(ent[i] + 8), sec);
		else if (add_part(disk, i + 1, type, le32(ent[i] + 8),
				  le32(ent[i] + 12)))
			n++;
	}
	kfree(sec);
	return n;
}
