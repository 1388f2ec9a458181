/*
 * server/disk/disk.h - the virtual disk server's commands (Amoeba 5.3's
 * disk interface).  DS_READ/DS_WRITE: h_offset = first block, h_size =
 * log2(block size) (9 .. 14), h_extra = number of blocks, at most
 * D_REQBUFSZ bytes per transaction; DS_SIZE: h_size = log2(block size),
 * reply h_offset = size in those blocks; DS_INFO: reply body = int32 LE
 * triples (unit, first block, number of blocks), h_size = its length;
 * DS_CONTROL: h_extra = a DSC_ subcommand (needs DSR_WRITE).
 */
#ifndef SERVER_DISK_DISK_H
#define SERVER_DISK_DISK_H

#include <amoeba.h>
#include <cmdreg.h>

typedef int32_t disk_addr;

#define D_PHYS_SHIFT 9
#define D_PHYSBLKSZ (1 << D_PHYS_SHIFT)
#define D_REQBUFSZ (29 * 1024)

#define DS_INFO (DISK_FIRST_COM + 1)
#define DS_READ (DISK_FIRST_COM + 2)
#define DS_SIZE (DISK_FIRST_COM + 3)
#define DS_WRITE (DISK_FIRST_COM + 4)
#define DS_GETGEOMETRY (DISK_FIRST_COM + 5)
#define DS_CONTROL (DISK_FIRST_COM + 6)

/* DS_CONTROL subcommands (h_extra). */
#define DSC_EJECT 1	/* for floppies and CD-ROMs (not supported) */
#define DSC_FORMAT 2	/* for floppies (not supported) */
#define DSC_SYNC 3	/* VX: the disk's write cache to the medium, then reply */

#define DSR_READ 0x02
#define DSR_WRITE 0x04
#define DSR_CTL 0x08

#define VDISK_SVR_NAME "vdisk"

/* One DS_INFO triple, as module/disk.h's disk_info returns them. */
typedef struct dk_info_data {
	int32 d_unit;		/* the device's unit number */
	disk_addr d_firstblk;	/* first physical block (of a partition) */
	disk_addr d_numblks;	/* its size in physical blocks */
} dk_info_data;
#define DISKINFOSZ (sizeof(int32) + 2 * sizeof(disk_addr))

#endif /* SERVER_DISK_DISK_H */
