/*
 * vdisk.c - the virtual disk server: every block device (whole disks and
 * their partitions) as an object with its own capability, listed in the
 * kernel directory as vdisk:<name> (vdisk:hd0, vdisk:hd0p2 ...).  Reads
 * and writes are bounded by the device: a partition's capability never
 * reaches outside it (blkdev_read/write refuse such requests).  DS_CONTROL
 * DSC_SYNC flushes the disk's write cache (file servers call it before
 * they acknowledge a safe write).
 */
#include <string.h>

#include "drivers/disk/blkdev.h"
#include "kernel/klib.h"
#include "kernel/krandom.h"
#include "kernel/svr/ksvr.h"
#include <module/buffers.h>
#include <module/prv.h>
#include <server/disk/disk.h>
#include <stdcom.h>
#include <stderr.h>

static port dev_random[BLKDEV_MAX];

static uint32_t
reply(header *h, errstat st)
{
	h->h_status = (command)st;
	return 0;
}

/* The device named by h's capability, with the rights it grants. */
static struct blkdev *
dev_of(const header *h, rights_bits *rights)
{
	objnum obj = prv_number(&h->h_priv);
	struct blkdev *bd;

	if (obj < 1 || obj > BLKDEV_MAX || (bd = blkdev_get(obj - 1)) == NULL)
		return NULL;
	if (prv_decode(&h->h_priv, rights, &dev_random[obj - 1]) < 0)
		return NULL;
	return bd;
}

/* Check the block size and range; the sector address and count. */
static errstat
range(const header *h, uint32_t maxbytes, uint64_t *lba, uint32_t *nsec)
{
	uint32_t shift = h->h_size, nblk = h->h_extra;

	if (shift < D_PHYS_SHIFT || shift > 14 || h->h_offset < 0 ||
	    nblk == 0 || ((uint64_t)nblk << shift) > maxbytes)
		return STD_ARGBAD;
	*lba = (uint64_t)h->h_offset << (shift - D_PHYS_SHIFT);
	*nsec = nblk << (shift - D_PHYS_SHIFT);
	return STD_OK;
}

static uint32_t
vd_read(struct blkdev *bd, struct ksvr_req *r)
{
	uint64_t lba;
	uint32_t nsec;
	errstat e = range(r->h, MIN(r->repmax, D_REQBUFSZ), &lba, &nsec);

	if (e == STD_OK)
		e = blkdev_read(bd, lba, nsec, r->rep);
	reply(r->h, e);
	return e == STD_OK ? nsec * BLK_SECTOR : 0;
}

static uint32_t
vd_write(struct blkdev *bd, struct ksvr_req *r)
{
	uint64_t lba;
	uint32_t nsec;
	errstat e = range(r->h, D_REQBUFSZ, &lba, &nsec);

	if (e == STD_OK && r->reqlen < nsec * BLK_SECTOR)
		e = STD_ARGBAD;
	if (e == STD_OK)
		e = blkdev_write(bd, lba, nsec, r->req);
	return reply(r->h, e);
}

static uint32_t
vd_info(struct blkdev *bd, struct ksvr_req *r)
{
	struct blkdev_info bi;
	uint32_t n;

	blkdev_info(bd, &bi);
	n = (uint32_t)ksnprintf((char *)r->rep, r->repmax,
				"@ vdisk %s, %u sectors, %s%s", bd->name,
				(unsigned)blkdev_size(bd), bi.mode,
				bi.cfa ? ", CompactFlash" : "");
	reply(r->h, STD_OK);
	return MIN(n, r->repmax - 1);
}

static uint32_t
vdisk_handle(struct ksvr *s, struct ksvr_req *r)
{
	rights_bits rights;
	struct blkdev *bd = dev_of(r->h, &rights);
	char *p, *end;

	(void)s;
	if (bd == NULL)
		return reply(r->h, STD_CAPBAD);
	switch (r->h->h_command) {
	case DS_READ:
		if (!(rights & DSR_READ))
			return reply(r->h, STD_DENIED);
		return vd_read(bd, r);
	case DS_WRITE:
		if (!(rights & DSR_WRITE))
			return reply(r->h, STD_DENIED);
		return vd_write(bd, r);
	case DS_SIZE:
		if (r->h->h_size < D_PHYS_SHIFT || r->h->h_size > 30)
			return reply(r->h, STD_ARGBAD);
		r->h->h_offset = (int32)(blkdev_size(bd) >>
					 (r->h->h_size - D_PHYS_SHIFT));
		return reply(r->h, STD_OK);
	case DS_INFO:
		p = (char *)r->rep;
		end = p + r->repmax;
		p = buf_put_int32(p, end, bd->index);
		p = buf_put_int32(p, end, (int32)bd->start);
		p = buf_put_int32(p, end, (int32)blkdev_size(bd));
		reply(r->h, STD_OK);
		r->h->h_size = (bufsize)(p - (char *)r->rep);
		return (uint32_t)(p - (char *)r->rep);
	case DS_CONTROL:
		if (!(rights & DSR_WRITE))
			return reply(r->h, STD_DENIED);
		if (r->h->h_extra != DSC_SYNC)
			return reply(r->h, STD_ARGBAD);
		return reply(r->h, blkdev_flush(bd));
	case STD_INFO:
		return vd_info(bd, r);
	case STD_RESTRICT:
		r->h->h_status = (command)prv_restrict_server(
			&r->h->h_priv, r->h->h_offset,
			&dev_random[bd->index], &r->h->h_priv);
		return 0;
	default:
		return reply(r->h, STD_COMBAD);
	}
}

static struct ksvr vdisk_svr = {
	.name = VDISK_SVR_NAME, .info = "virtual disk server",
	.nthreads = 2, .handle = vdisk_handle,
};

/* vdisk_cap: the capability of block device i (for tests and boot). */
void
vdisk_cap(int i, capability *cap)
{
	cap->cap_port = vdisk_svr.putport;
	prv_encode(&cap->cap_priv, i + 1, PRV_ALL_RIGHTS, &dev_random[i]);
}

void
vdisk_init(void)
{
	kdir_serve(&vdisk_svr);
	for (int i = 0; i < blkdev_count(); i++) {
		struct blkdev *bd = blkdev_get(i);
		char name[32];
		capability cap;

		krandom(&dev_random[i], sizeof(port));
		vdisk_cap(i, &cap);
		ksnprintf(name, sizeof(name), "vdisk:%s", bd->name);
		kdir_add(name, &cap);
	}
}
