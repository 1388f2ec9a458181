/*
 * server/bullet/bs_find.h - find a node's Bullet file system without any
 * configuration: look through the node's kernel directory for vdisk
 * partitions (vdisk:hd0p1 ... vdisk:hd3p4, then the whole disks
 * vdisk:hd0 ... vdisk:hd3) whose block 0 holds a Bullet superblock.
 * Used by the Bullet server (which disk to serve) and by clients on the
 * same node (the super-capability is { F(s_supercap.cap_port), object 0,
 * all rights, check }, spec 6.1).  User programs only.
 */
#ifndef SERVER_BULLET_BS_FIND_H
#define SERVER_BULLET_BS_FIND_H

#include <amoeba.h>
#include <server/bullet/bs_disk.h>
#include <server/bullet/bullet.h>

/*
 * bs_find_disk - the first vdisk of node (NULL: this node) with a Bullet
 * superblock whose magic matches; *vdisk its capability, name[0..n) its
 * kernel-directory name, blk its block 0 (512 bytes).  STD_OK, or
 * STD_NOTFOUND when no disk has the magic number.  The superblock is
 * not otherwise checked here: the caller runs bs_super_get.
 */
errstat bs_find_disk(const char *node, capability *vdisk, char *name, int n,
		     uint8_t *blk);

/* bs_vdisk_read - n 512-byte sectors at sector lba (any n, split). */
errstat bs_vdisk_read(const capability *vdisk, uint32_t lba, uint32_t n,
		      void *buf);
/* bs_vdisk_write - n 512-byte sectors at sector lba (any n, split). */
errstat bs_vdisk_write(const capability *vdisk, uint32_t lba, uint32_t n,
		       const void *buf);
/* bs_vdisk_size - the disk's size in bytes. */
errstat bs_vdisk_size(const capability *vdisk, uint64_t *bytes);

/*
 * bullet_local_supercap - the super-capability of the Bullet file system
 * on node's disks (NULL: this node), read from its superblock.  Anyone
 * who can read the node's vdisk (its kernel directory) can do this.
 */
errstat bullet_local_supercap(const char *node, capability *cap);

/*
 * The default Bullet server of the network: every Bullet server also
 * answers STD_INFO on a well-known port (get-port: FNV-1a-64 of
 * BULLET_PUBLIC_NAME, truncated to 6 bytes little-endian, as the kernel
 * directory's) with "bullet server" and, in h_port/h_priv, its
 * super-capability restricted to BULLET_PUBLIC_RIGHTS (no BS_RGT_ADMIN).
 * FLIP locate finds the nearest one; no address or configuration.
 */
#define BULLET_PUBLIC_NAME "vx:bullet:default"
#define BULLET_PUBLIC_RIGHTS (BS_RGT_CREATE | BS_RGT_READ | BS_RGT_MODIFY | \
			      BS_RGT_DESTROY)

/* bullet_public_getport - the well-known get-port (for the server). */
void bullet_public_getport(port *get);
/* bullet_default_cap - ask the default Bullet server for its capability. */
errstat bullet_default_cap(capability *cap);

#endif /* SERVER_BULLET_BS_FIND_H */
