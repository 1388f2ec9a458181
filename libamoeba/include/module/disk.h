/*
 * module/disk.h - client stubs of the virtual disk server (Amoeba 5.3's
 * module/disk.h): blocks of 2^l2vblksz bytes (9 .. 14), transfers split
 * into D_REQBUFSZ pieces.  Errors: STD_ARGBAD for a bad size or count,
 * the server's status (STD_DENIED, STD_CAPBAD, ...) or an RPC error.
 * disk_control(cap, DSC_SYNC, NILBUF, 0) flushes the disk's write cache.
 */
#ifndef MODULE_DISK_H
#define MODULE_DISK_H

#include <amoeba.h>
#include <server/disk/disk.h>

errstat disk_read(capability *cap, int l2vblksz, disk_addr start,
		  disk_addr numblocks, bufptr buf);
errstat disk_write(capability *cap, int l2vblksz, disk_addr start,
		   disk_addr numblocks, bufptr buf);
errstat disk_size(capability *cap, int l2vblksz, disk_addr *size);
/* disk_info: up to size triples into buf, *cnt of them. */
errstat disk_info(capability *cap, dk_info_data *buf, int size, int *cnt);
errstat disk_control(capability *cap, int cmd, bufptr buf, bufsize size);

#endif /* MODULE_DISK_H */
