/*
 * blkdev.h - block devices: whole disks and their partitions.
 *
 * A disk driver fills in a struct blkdev (name, size, its one ops table)
 * and calls blkdev_register(), then blkdev_scan_partitions() to register
 * each MBR partition as a sub-device "<disk>p<N>" whose reads and writes
 * are offset into the parent and bounded by the partition.  Users go
 * through blkdev_read / blkdev_write, which refuse any request that does
 * not lie wholly inside the device (STD_ARGBAD) before the driver sees it.
 * Sectors are 512 bytes.  Disks are named by position: hd0 primary master,
 * hd1 primary slave, hd2 secondary master, hd3 secondary slave.
 *
 * Errors: STD_OK, STD_ARGBAD (outside the device, or n == 0 with a NULL
 * buffer), STD_SYSERR (the device failed or timed out), STD_NOMEM.
 *
 * Concurrency: registration at boot; afterwards the table is read-only.
 * The ops may sleep (they wait for the disk); a driver serialises its own
 * commands (IDE: one mutex per channel).  Call from kernel threads only.
 */
#ifndef DRIVERS_DISK_BLKDEV_H
#define DRIVERS_DISK_BLKDEV_H

#include <stdbool.h>
#include <stdint.h>

#include <amoeba.h>

#define BLK_SECTOR 512
#define BLKDEV_MAX 32
#define BLK_NAME 16

struct blkdev;

struct blkdev_info {
	char model[41];         /* drive's model string, "" if none */
	char serial[21];        /* serial number, "" if none */
	uint64_t nsectors;      /* size in sectors */
	const char *mode;       /* transfer mode: "dma", "pio", "part" */
	bool cfa;               /* CompactFlash (CFA) device */
	bool lba48;             /* 48-bit addressing available */
};

struct blkdev_ops {
	/* read/write: n sectors at lba; the range is already checked. */
	errstat (*read)(struct blkdev *bd, uint64_t lba, uint32_t n, void *buf);
	errstat (*write)(struct blkdev *bd, uint64_t lba, uint32_t n,
			 const void *buf);
	/* flush: the device's write cache to the medium (NULL: none). */
	errstat (*flush)(struct blkdev *bd);
	/* size: sectors on the device. */
	uint64_t (*size)(struct blkdev *bd);
	/* info: identity and mode for the sys server and the log. */
	void (*info)(struct blkdev *bd, struct blkdev_info *out);
};

struct blkdev_stats {
	uint64_t reads, writes;         /* requests */
	uint64_t rsectors, wsectors;    /* sectors moved */
	uint64_t flushes;               /* write-cache flushes */
	uint32_t errors;                /* requests that failed in the driver */
	uint32_t refused;               /* requests outside the device */
};

struct blkdev {
	char name[BLK_NAME];            /* "hd0", "hd0p1" (set by the driver) */
	const struct blkdev_ops *ops;   /* the driver's one ops table */
	void *priv;                     /* driver state */
	uint64_t nsectors;              /* size, fixed at registration */
	/* partitions only */
	struct blkdev *parent;          /* whole disk, NULL for a disk */
	uint64_t start;                 /* first sector in the parent */
	uint8_t part_type;              /* MBR type byte */
	/* set by blkdev_register */
	int index;
	struct blkdev_stats stats;
};

/* blkdev_register: add a device; its index, or STD_NOSPACE (table full
 * or no ops). */
int blkdev_register(struct blkdev *bd);
int blkdev_count(void);
struct blkdev *blkdev_get(int i);
struct blkdev *blkdev_find(const char *name);

errstat blkdev_read(struct blkdev *bd, uint64_t lba, uint32_t n, void *buf);
errstat blkdev_write(struct blkdev *bd, uint64_t lba, uint32_t n,
		     const void *buf);
/* blkdev_flush: written sectors are on the medium when it returns OK. */
errstat blkdev_flush(struct blkdev *bd);
uint64_t blkdev_size(struct blkdev *bd);
void blkdev_info(struct blkdev *bd, struct blkdev_info *out);

/*
 * blkdev_scan_partitions: read the MBR of disk and register its primary
 * and logical partitions as sub-devices; returns how many (0 if no valid
 * table), or a negative errstat if the disk could not be read.
 */
int blkdev_scan_partitions(struct blkdev *disk);

#endif /* DRIVERS_DISK_BLKDEV_H */
