/*
 * bs_find.c - find a Bullet file system on a node's vdisks and do
 * sector I/O on a vdisk (DS_READ/DS_WRITE/DS_SIZE, split at
 * D_REQBUFSZ).  See server/bullet/bs_find.h.
 */
#include <stdio.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <module/rpc.h>
#include <server/bullet/bs_find.h>
#include <server/disk/disk.h>
#include <stdcom.h>

#define SECTORS_PER_TRANS (D_REQBUFSZ / D_PHYSBLKSZ)

static errstat
vdisk_io(const capability *vdisk, command cmd, uint32_t lba, uint32_t n,
	 char *buf)
{
	while (n > 0) {
		uint32_t k = n > SECTORS_PER_TRANS ? SECTORS_PER_TRANS : n;
		int32 len = (int32)(k * D_PHYSBLKSZ);
		header h;
		int32 r;

		memset(&h, 0, sizeof(h));
		h.h_port = vdisk->cap_port;
		h.h_priv = vdisk->cap_priv;
		h.h_command = cmd;
		h.h_offset = (int32)lba;
		h.h_size = D_PHYS_SHIFT;
		h.h_extra = (uint16)k;
		if (cmd == DS_WRITE)
			r = rpc_trans(&h, buf, len, &h, NULL, 0);
		else
			r = rpc_trans(&h, NULL, 0, &h, buf, len);
		if (r < 0)
			return r;
		if (ERR_STATUS(h.h_status))
			return ERR_CONVERT(h.h_status);
		if (cmd == DS_READ && r != len)
			return STD_SYSERR;
		lba += k;
		n -= k;
		buf += len;
	}
	return STD_OK;
}

errstat
bs_vdisk_read(const capability *vdisk, uint32_t lba, uint32_t n, void *buf)
{
	return vdisk_io(vdisk, DS_READ, lba, n, buf);
}

errstat
bs_vdisk_write(const capability *vdisk, uint32_t lba, uint32_t n,
	       const void *buf)
{
	return vdisk_io(vdisk, DS_WRITE, lba, n, (char *)buf);
}

errstat
bs_vdisk_size(const capability *vdisk, uint64_t *bytes)
{
	header h;
	int32 r;

	memset(&h, 0, sizeof(h));
	h.h_port = vdisk->cap_port;
	h.h_priv = vdisk->cap_priv;
	h.h_command = DS_SIZE;
	h.h_size = D_PHYS_SHIFT;
	r = rpc_trans(&h, NULL, 0, &h, NULL, 0);
	if (r < 0)
		return r;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	*bytes = (uint64_t)(uint32_t)h.h_offset << D_PHYS_SHIFT;
	return STD_OK;
}

/* Does vdisk NAME exist with a Bullet magic number in block 0? */
static int
try_disk(const char *node, const char *name, capability *vdisk, uint8_t *blk)
{
	struct bs_super sb;

	if (kdir_lookup(node, name, vdisk) != STD_OK)
		return 0;
	if (bs_vdisk_read(vdisk, 0, 1, blk) != STD_OK)
		return 0;
	return bs_super_get(blk, 0, &sb) != BS_SB_MAGIC;
}

errstat
bs_find_disk(const char *node, capability *vdisk, char *name, int n,
	     uint8_t *blk)
{
	char buf[32];

	for (int whole = 0; whole < 2; whole++) {
		for (int d = 0; d < 4; d++) {
			for (int p = 1; p <= (whole ? 1 : 4); p++) {
				if (whole)
					snprintf(buf, sizeof(buf), "vdisk:hd%d", d);
				else
					snprintf(buf, sizeof(buf),
						 "vdisk:hd%dp%d", d, p);
				if (try_disk(node, buf, vdisk, blk)) {
					snprintf(name, (size_t)n, "%s", buf);
					return STD_OK;
				}
			}
		}
	}
	return STD_NOTFOUND;
}

errstat
bullet_local_supercap(const char *node, capability *cap)
{
	uint8_t blk[BS_SUPERSIZE];
	struct bs_super sb;
	capability vdisk;
	char name[32];
	errstat err;

	err = bs_find_disk(node, &vdisk, name, sizeof(name), blk);
	if (err != STD_OK)
		return err;
	if (bs_super_get(blk, 0, &sb) != BS_SB_OK)
		return STD_CAPBAD;
	priv2pub(&sb.s_supercap.cap_port, &cap->cap_port);
	cap->cap_priv = sb.s_supercap.cap_priv;
	return STD_OK;
}

void
bullet_public_getport(port *get)
{
	uint64_t h = 0xCBF29CE484222325ull;

	for (const char *s = BULLET_PUBLIC_NAME; *s; s++)
		h = (h ^ (uint8)*s) * 0x100000001B3ull;
	for (int i = 0; i < PORTSIZE; i++)
		get->_portbytes[i] = (uint8)(h >> (8 * i));
}

errstat
bullet_default_cap(capability *cap)
{
	char info[32];
	port get;
	header h;
	int32 r;

	bullet_public_getport(&get);
	memset(&h, 0, sizeof(h));
	priv2pub(&get, &h.h_port);
	h.h_command = STD_INFO;
	h.h_size = sizeof(info);
	r = rpc_trans(&h, NULL, 0, &h, info, sizeof(info));
	if (r < 0)
		return r;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	cap->cap_port = h.h_port;
	cap->cap_priv = h.h_priv;
	return STD_OK;
}
