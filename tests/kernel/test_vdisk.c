/*
 * test_vdisk.c - the vdisk server through capabilities (needs a disk
 * with an MBR holding two partitions: tests/servers/t_vdisk.py makes
 * one).  Bounds of every partition, rights, forged capabilities.
 */
#include <string.h>

#include "kernel/net/knet.h"
#include "tests/kernel/ktest.h"
#include "ktutil.h"
#include "kernel/mem.h"
#include <module/prv.h>
#include <module/stdcmd.h>
#include <server/disk/disk.h>
#include <stderr.h>

static int32_t
vd_io(const capability *cap, command cmd, int32 block, uint16 nblk,
      void *buf, header *out)
{
	header h;
	int32_t n;

	memset(&h, 0, sizeof(h));
	h.h_port = cap->cap_port;
	h.h_priv = cap->cap_priv;
	h.h_command = cmd;
	h.h_offset = block;
	h.h_size = D_PHYS_SHIFT;
	h.h_extra = nblk;
	if (cmd == DS_WRITE)
		n = ktrans(&h, buf, nblk * 512u, &h, NULL, 0);
	else
		n = ktrans(&h, NULL, 0, &h, buf, nblk * 512u);
	if (out)
		*out = h;
	if (n < 0)
		return n;
	return ERR_STATUS(h.h_status) ? ERR_CONVERT(h.h_status) : n;
}

static int32
vd_size(const capability *cap)
{
	header h;

	memset(&h, 0, sizeof(h));
	h.h_size = D_PHYS_SHIFT;
	if (kt_simple(cap, DS_SIZE, &h) != STD_OK)
		return -1;
	return h.h_offset;
}

KTEST_FLAGS(vdisk_partitions, KTEST_MANUAL)
{
	capability disk, p1, p2, ro, forged;
	uint8_t *a = kmalloc(4096), *b = kmalloc(4096);
	int32 s1, s2;

	KT_ASSERT(a && b);
	KT_ASSERT(kt_lookup("vdisk:hd0", &disk) == STD_OK);
	KT_ASSERT(kt_lookup("vdisk:hd0p1", &p1) == STD_OK);
	KT_ASSERT(kt_lookup("vdisk:hd0p2", &p2) == STD_OK);
	s1 = vd_size(&p1);
	s2 = vd_size(&p2);
	KT_CHECK(s1 > 0 && s2 > 0 && vd_size(&disk) >= s1 + s2);
	/* the last block of p1, written through p1, read back */
	memset(a, 0x5A, 512);
	KT_EQ(vd_io(&p1, DS_WRITE, s1 - 1, 1, a, NULL), 0);
	KT_EQ(vd_io(&p1, DS_READ, s1 - 1, 1, b, NULL), 512);
	KT_CHECK(memcmp(a, b, 512) == 0);
	/* one past the end of each partition is refused */
	KT_EQ(vd_io(&p1, DS_READ, s1, 1, b, NULL), STD_ARGBAD);
	KT_EQ(vd_io(&p1, DS_WRITE, s1, 1, a, NULL), STD_ARGBAD);
	KT_EQ(vd_io(&p1, DS_READ, s1 - 1, 2, b, NULL), STD_ARGBAD);
	KT_EQ(vd_io(&p2, DS_WRITE, s2, 1, a, NULL), STD_ARGBAD);
	KT_EQ(vd_io(&p2, DS_READ, -1, 1, b, NULL), STD_ARGBAD);
	/* p2's first block was not touched by p1's writes */
	memset(a, 0xC3, 512);
	KT_EQ(vd_io(&p2, DS_WRITE, 0, 1, a, NULL), 0);
	KT_EQ(vd_io(&p1, DS_WRITE, s1 - 1, 1, b, NULL), 0);
	KT_EQ(vd_io(&p2, DS_READ, 0, 1, b, NULL), 512);
	KT_CHECK(memcmp(a, b, 512) == 0);
	/* rights: a read-only capability cannot write */
	KT_EQ(std_restrict(&p2, DSR_READ, &ro), STD_OK);
	KT_EQ(vd_io(&ro, DS_READ, 0, 1, b, NULL), 512);
	KT_EQ(vd_io(&ro, DS_WRITE, 0, 1, a, NULL), STD_DENIED);
	/* a forged check field is refused */
	forged = p2;
	forged.cap_priv.prv_random._portbytes[3] ^= 0x40;
	KT_EQ(vd_io(&forged, DS_READ, 0, 1, b, NULL), STD_CAPBAD);
	kfree(a);
	kfree(b);
}

/*
 * vdisk_cf (manual): on a node booted from the CompactFlash image with
 * `ide=pio`, the disk runs PIO and the data partition (hd0p2) is usable
 * through its vdisk capability: first and last block written and read
 * back, one past the end refused.
 */
KTEST_FLAGS(vdisk_cf, KTEST_MANUAL)
{
	capability disk, data;
	uint8_t *a = kmalloc(512), *b = kmalloc(512);
	char info[128];
	int len;
	int32 n;

	KT_ASSERT(a && b);
	KT_ASSERT(kt_lookup("vdisk:hd0", &disk) == STD_OK);
	KT_ASSERT(kt_lookup("vdisk:hd0p2", &data) == STD_OK);
	KT_EQ(std_info(&disk, info, sizeof(info), &len), STD_OK);
	KT_CHECK(kt_contains(info, "pio"));
	n = vd_size(&data);
	KT_ASSERT(n > 0);
	for (int i = 0; i < 512; i++)
		a[i] = (uint8_t)(i * 3 + 1);
	KT_EQ(vd_io(&data, DS_WRITE, 0, 1, a, NULL), 0);
	KT_EQ(vd_io(&data, DS_WRITE, n - 1, 1, a, NULL), 0);
	KT_EQ(vd_io(&data, DS_READ, n - 1, 1, b, NULL), 512);
	KT_CHECK(memcmp(a, b, 512) == 0);
	KT_EQ(vd_io(&data, DS_READ, 0, 1, b, NULL), 512);
	KT_CHECK(memcmp(a, b, 512) == 0);
	KT_EQ(vd_io(&data, DS_READ, n, 1, b, NULL), STD_ARGBAD);
	kfree(a);
	kfree(b);
}
