/*
 * test_ide.c - in-kernel block-device tests, run by tests/drivers/t_ide.py
 * on QEMU with disk images it creates (all KTEST_MANUAL: they need disks).
 *
 *   ide_probe  `ideexpect=hd0:SECTORS:MODE[:cfa],...`: exactly these
 *              whole disks exist, with these sizes and modes (dma, pio)
 *   ide_rw     `idedev=hdN idemb=16`: write, read back and verify the
 *              last idemb MiB (so the last sector too), through DMA or
 *              PIO as the drive runs; unaligned buffers; requests past
 *              the end fail; prints bench lines (`idebench=NAME`)
 *   ide_part   `idepart=hd0p1:START:COUNT,...`: partitions found where
 *              the MBR puts them, data lands at START in the parent, and
 *              nothing outside [0, COUNT) is reachable through them
 *   ide_lba48  a disk over 128 GiB: sectors around 2^28 and the last one
 *   ide_fail   `idebad=SECTOR`: reading it fails (no hang), the drive
 *              still works afterwards
 *   ide_concurrent  `idedevs=hd0,hd1,hd3`: one thread per disk writes
 *              and verifies 2 MiB at once (master and slave share a channel)
 *   ide_cfa_decode  CompactFlash recognition and the DMA/PIO choice from
 *              IDENTIFY data (QEMU 7.2 has no ide-cf device to boot with)
 */
#include <stdint.h>
#include <string.h>

#include <stderr.h>

#include "kernel/arch/arch.h"
#include "drivers/disk/blkdev.h"
#include "kernel/cmdline.h"
#include "kernel/klib.h"
#include "tests/kernel/ktest.h"
#include "kernel/mem.h"
#include "kernel/thread.h"
#include "drivers/disk/ide.h"

#define BUF_SECTORS 2048        /* 1 MiB per request */

static uint32_t seed;

static void
fill(uint8_t *buf, uint64_t lba, uint32_t n)
{
	for (uint32_t s = 0; s < n; s++) {
		uint32_t *w = (uint32_t *)(buf + s * BLK_SECTOR);

		w[0] = (uint32_t)(lba + s);
		w[1] = seed;
		for (int i = 2; i < BLK_SECTOR / 4; i++)
			w[i] = ((uint32_t)(lba + s) * 31 + (uint32_t)i) ^ seed;
	}
}

/* How many of the n sectors at buf do not hold lba's pattern? */
static uint32_t
verify(const uint8_t *buf, uint64_t lba, uint32_t n)
{
	static uint8_t want[BLK_SECTOR];
	uint32_t bad = 0;

	for (uint32_t s = 0; s < n; s++) {
		fill(want, lba + s, 1);
		if (memcmp(buf + s * BLK_SECTOR, want, BLK_SECTOR) != 0)
			bad++;
	}
	return bad;
}

static struct blkdev *
test_dev(void)
{
	const char *name = cmdline_get("idedev");
	struct blkdev *bd = blkdev_find(name ? name : "hd0");

	if (seed == 0)
		seed = (uint32_t)arch_micro() | 1;
	return bd;
}

/* ---- ide_probe ---------------------------------------------------------- */

static uint64_t
parse_num(const char **pp)
{
	uint64_t v = 0;

	while (**pp >= '0' && **pp <= '9')
		v = v * 10 + (uint64_t)(*(*pp)++ - '0');
	return v;
}

/* One "hdN:SECTORS:MODE[:cfa]" item; returns the text after it. */
static const char *
check_expect(const char *p, int *nexpect)
{
	char name[BLK_NAME] = { 0 }, mode[8] = { 0 };
	struct blkdev_info info;
	struct blkdev *bd;
	uint64_t sectors;
	size_t k = 0;

	while (*p && *p != ':' && k < sizeof(name) - 1)
		name[k++] = *p++;
	if (*p++ != ':')
		return NULL;
	sectors = parse_num(&p);
	k = 0;
	if (*p == ':')
		for (p++; *p && *p != ':' && *p != ',' && k < 7;)
			mode[k++] = *p++;
	bd = blkdev_find(name);
	(*nexpect)++;
	if (bd == NULL) {
		ktest_fail(__FILE__, __LINE__, "%s missing", name);
	} else {
		blkdev_info(bd, &info);
		KT_EQ(blkdev_size(bd), sectors);
		if (mode[0] && strcmp(mode, info.mode) != 0)
			ktest_fail(__FILE__, __LINE__, "%s mode %s, want %s",
				   name, info.mode, mode);
		KT_EQ(info.cfa, strncmp(p, ":cfa", 4) == 0);
	}
	while (*p && *p != ',')
		p++;
	return *p ? p + 1 : p;
}

KTEST_FLAGS(ide_probe, KTEST_MANUAL)
{
	const char *p = cmdline_get("ideexpect");
	int nexpect = 0, ndisks = 0;

	KT_ASSERT(p != NULL);
	while (p && *p)
		p = check_expect(p, &nexpect);
	for (int i = 0; i < blkdev_count(); i++)
		if (blkdev_get(i)->parent == NULL)
			ndisks++;
	KT_EQ(ndisks, nexpect);
}

/* ---- ide_rw ------------------------------------------------------------- */

static void
bench_line(const char *what, uint64_t bytes, uint64_t us)
{
	const char *name = cmdline_get("idebench");
	uint64_t tenths = bytes * 10 / (us ? us : 1);

	kprintf("bench: ide_%s_%s_MBps %llu.%llu MB/s\n", name ? name : "x",
		what, tenths / 10, tenths % 10);
}

/* Write then read back n sectors from lba in 1 MiB requests. */
static void
rw_region(struct blkdev *bd, uint64_t lba, uint64_t n, uint8_t *buf)
{
	uint64_t t0, tw = 0, tr = 0;
	uint32_t bad = 0;

	for (uint64_t s = 0; s < n; s += BUF_SECTORS) {
		uint32_t k = (uint32_t)MIN(n - s, BUF_SECTORS);

		fill(buf, lba + s, k);
		t0 = arch_micro();
		KT_ASSERT(blkdev_write(bd, lba + s, k, buf) == STD_OK);
		tw += arch_micro() - t0;
	}
	for (uint64_t s = 0; s < n; s += BUF_SECTORS) {
		uint32_t k = (uint32_t)MIN(n - s, BUF_SECTORS);

		memset(buf, 0, k * BLK_SECTOR);
		t0 = arch_micro();
		KT_ASSERT(blkdev_read(bd, lba + s, k, buf) == STD_OK);
		tr += arch_micro() - t0;
		bad += verify(buf, lba + s, k);
	}
	KT_EQ(bad, 0);
	kprintf("# %s: %llu sectors at %llu written in %llu ms, read in %llu "
		"ms, %u bad\n", bd->name, n, lba, tw / 1000, tr / 1000, bad);
	if (cmdline_get("idebench")) {
		bench_line("write", n * BLK_SECTOR, tw);
		bench_line("read", n * BLK_SECTOR, tr);
	}
}

/* Odd buffer addresses and small counts (DMA goes through the bounce). */
static void
rw_unaligned(struct blkdev *bd, uint64_t lba)
{
	uint8_t *raw = kmalloc(4 * BLK_SECTOR + 8);

	KT_ASSERT(raw != NULL);
	for (uint32_t off = 1; off <= 3; off++) {
		fill(raw + off, lba, 3);
		KT_EQ(blkdev_write(bd, lba, 3, raw + off), STD_OK);
		memset(raw, 0, 4 * BLK_SECTOR + 8);
		KT_EQ(blkdev_read(bd, lba, 3, raw + off), STD_OK);
		KT_EQ(verify(raw + off, lba, 3), 0);
	}
	kfree(raw);
}

static void
past_end(struct blkdev *bd, uint8_t *buf)
{
	uint64_t n = blkdev_size(bd);

	KT_EQ(blkdev_read(bd, n, 1, buf), STD_ARGBAD);
	KT_EQ(blkdev_read(bd, n - 1, 2, buf), STD_ARGBAD);
	KT_EQ(blkdev_write(bd, n, 1, buf), STD_ARGBAD);
	KT_EQ(blkdev_write(bd, n - 1, 2, buf), STD_ARGBAD);
	KT_EQ(blkdev_read(bd, (uint64_t)1 << 40, 1, buf), STD_ARGBAD);
	KT_EQ(blkdev_read(bd, 0, 0, buf), STD_ARGBAD);
	KT_EQ(blkdev_read(bd, n - 1, 1, buf), STD_OK);
	KT_EQ(verify(buf, n - 1, 1), 0);    /* the last sector kept its data */
}

KTEST_FLAGS(ide_rw, KTEST_MANUAL)
{
	struct blkdev *bd = test_dev();
	uint64_t n = (uint64_t)cmdline_int("idemb", 16) * 2048;
	uint8_t *buf = (uint8_t *)page_alloc(BUF_SECTORS * BLK_SECTOR /
					     PAGE_SIZE);
	struct blkdev_info info;

	KT_ASSERT(bd != NULL && buf != NULL);
	blkdev_info(bd, &info);
	kprintf("# %s: %s, %llu sectors, mode %s%s\n", bd->name, info.model,
		info.nsectors, info.mode, info.cfa ? " (CompactFlash)" : "");
	if (cmdline_get("idemode"))
		KT_CHECK(strcmp(cmdline_get("idemode"), info.mode) == 0);
	KT_ASSERT(blkdev_size(bd) >= n);
	rw_region(bd, blkdev_size(bd) - n, n, buf);
	rw_unaligned(bd, 1);
	past_end(bd, buf);
	KT_EQ(bd->stats.errors, 0);
	page_free((uint32_t)buf, BUF_SECTORS * BLK_SECTOR / PAGE_SIZE);
}

/* ---- ide_part ----------------------------------------------------------- */

static void
check_part(struct blkdev *p, uint64_t start, uint64_t count, uint8_t *buf)
{
	struct blkdev *disk = p->parent;

	KT_ASSERT(disk != NULL);
	KT_EQ(p->start, start);
	KT_EQ(blkdev_size(p), count);
	fill(buf, 0, 1);
	KT_EQ(blkdev_write(p, 0, 1, buf), STD_OK);
	fill(buf, count - 1, 1);
	KT_EQ(blkdev_write(p, count - 1, 1, buf), STD_OK);
	KT_EQ(blkdev_read(disk, start, 1, buf), STD_OK);
	KT_EQ(verify(buf, 0, 1), 0);
	KT_EQ(blkdev_read(disk, start + count - 1, 1, buf), STD_OK);
	KT_EQ(verify(buf, count - 1, 1), 0);
	KT_EQ(blkdev_read(p, count, 1, buf), STD_ARGBAD);
	KT_EQ(blkdev_read(p, count - 1, 2, buf), STD_ARGBAD);
	KT_EQ(blkdev_write(p, count, 1, buf), STD_ARGBAD);
	KT_EQ(blkdev_write(p, count - 1, 2, buf), STD_ARGBAD);
}

KTEST_FLAGS(ide_part, KTEST_MANUAL)
{
	const char *p = cmdline_get("idepart");
	uint8_t *buf = kmalloc(2 * BLK_SECTOR);
	int nparts = 0, found = 0;

	test_dev();
	KT_ASSERT(p != NULL && buf != NULL);
	while (*p) {
		char name[BLK_NAME] = { 0 };
		size_t k = 0;
		uint64_t start, count;
		struct blkdev *bd;

		while (*p && *p != ':' && k < sizeof(name) - 1)
			name[k++] = *p++;
		KT_ASSERT(*p++ == ':');
		start = parse_num(&p);
		KT_ASSERT(*p++ == ':');
		count = parse_num(&p);
		if (*p == ',')
			p++;
		nparts++;
		bd = blkdev_find(name);
		if (bd == NULL) {
			ktest_fail(__FILE__, __LINE__, "%s missing", name);
			continue;
		}
		check_part(bd, start, count, buf);
	}
	for (int i = 0; i < blkdev_count(); i++)
		if (blkdev_get(i)->parent)
			found++;
	KT_EQ(found, nparts);
	kfree(buf);
}

/* ---- ide_lba48 ---------------------------------------------------------- */

KTEST_FLAGS(ide_lba48, KTEST_MANUAL)
{
	struct blkdev *bd = test_dev();
	uint8_t *buf = (uint8_t *)page_alloc(4);
	uint64_t edge = (uint64_t)1 << 28, last;
	struct blkdev_info info;

	KT_ASSERT(bd != NULL && buf != NULL);
	blkdev_info(bd, &info);
	KT_ASSERT(info.lba48);
	KT_ASSERT(blkdev_size(bd) > edge + 8);
	last = blkdev_size(bd) - 1;
	fill(buf, edge - 4, 8);         /* one request across 2^28 - 1 */
	KT_EQ(blkdev_write(bd, edge - 4, 8, buf), STD_OK);
	fill(buf, last, 1);
	KT_EQ(blkdev_write(bd, last, 1, buf), STD_OK);
	memset(buf, 0, 8 * BLK_SECTOR);
	KT_EQ(blkdev_read(bd, edge - 4, 8, buf), STD_OK);
	KT_EQ(verify(buf, edge - 4, 8), 0);
	KT_EQ(blkdev_read(bd, edge + 2, 1, buf), STD_OK);
	KT_EQ(verify(buf, edge + 2, 1), 0);
	KT_EQ(blkdev_read(bd, last, 1, buf), STD_OK);
	KT_EQ(verify(buf, last, 1), 0);
	kprintf("# %s: %llu sectors, lba48 around sector %llu and at %llu ok\n",
		bd->name, blkdev_size(bd), edge, last);
	page_free((uint32_t)buf, 4);
}

/* ---- ide_fail ----------------------------------------------------------- */

KTEST_FLAGS(ide_fail, KTEST_MANUAL)
{
	struct blkdev *bd = test_dev();
	uint64_t bad = (uint64_t)cmdline_int("idebad", 100);
	uint8_t *buf = kmalloc(4 * BLK_SECTOR);
	uint32_t t0;
	errstat err;

	KT_ASSERT(bd != NULL && buf != NULL);
	fill(buf, bad - 2, 1);
	KT_EQ(blkdev_write(bd, bad - 2, 1, buf), STD_OK);
	t0 = arch_milli();
	err = blkdev_read(bd, bad, 1, buf);
	kprintf("# %s: read of sector %llu: %d after %u ms\n", bd->name, bad,
		(int)err, arch_milli() - t0);
	KT_EQ(err, STD_SYSERR);
	KT_EQ(blkdev_read(bd, bad - 1, 3, buf), STD_SYSERR);
	KT_EQ(blkdev_read(bd, bad - 2, 1, buf), STD_OK);  /* still works */
	KT_EQ(verify(buf, bad - 2, 1), 0);
	KT_EQ(bd->stats.errors, 2);
	kfree(buf);
}

/* ---- ide_cfa_decode ----------------------------------------------------- */

KTEST(ide_cfa_decode)
{
	static uint16_t id[256];

	memset(id, 0, sizeof(id));
	id[0] = 0x848A;                 /* CFA signature */
	id[49] = 0x0200;                /* LBA, no DMA */
	KT_CHECK(ide_id_is_cfa(id));
	KT_CHECK(!ide_id_wants_dma(id, true, false));
	id[49] = 0x0300;                /* DMA bit but no DMA mode named */
	KT_CHECK(!ide_id_wants_dma(id, true, false));
	id[63] = 0x0007;                /* multiword DMA 0-2 */
	KT_CHECK(ide_id_wants_dma(id, true, false));
	KT_CHECK(!ide_id_wants_dma(id, true, true));    /* ide=pio */
	KT_CHECK(!ide_id_wants_dma(id, false, false));  /* no bus master */
	id[0] = 0x0040;                 /* a fixed ATA disk */
	id[63] = 0;
	KT_CHECK(!ide_id_is_cfa(id));
	KT_CHECK(ide_id_wants_dma(id, true, false));
	KT_CHECK(!ide_id_wants_dma(id, true, true));
}

/* ---- ide_concurrent ----------------------------------------------------- */

struct worker {
	struct blkdev *bd;
	uint32_t bad;           /* sectors that did not verify */
	uint32_t errors;        /* failed requests */
	volatile bool done;
};

static void
worker_fn(void *arg)
{
	struct worker *w = arg;
	uint8_t *buf = (uint8_t *)page_alloc(16);       /* 64 KiB */

	for (uint64_t lba = 0; buf && lba < 4096; lba += 128) {
		fill(buf, lba, 128);
		if (blkdev_write(w->bd, lba, 128, buf) != STD_OK)
			w->errors++;
		thread_yield();
	}
	for (uint64_t lba = 0; buf && lba < 4096; lba += 128) {
		memset(buf, 0, 128 * BLK_SECTOR);
		if (blkdev_read(w->bd, lba, 128, buf) != STD_OK)
			w->errors++;
		w->bad += verify(buf, lba, 128);
	}
	if (buf)
		page_free((uint32_t)buf, 16);
	else
		w->errors++;
	w->done = true;
	thread_wakeup(w);
}

KTEST_FLAGS(ide_concurrent, KTEST_MANUAL)
{
	static struct worker w[4];
	const char *p = cmdline_get("idedevs");
	int n = 0;

	test_dev();
	KT_ASSERT(p != NULL);
	while (*p && n < 4) {
		char name[BLK_NAME] = { 0 };
		struct thread *t;
		size_t k = 0;

		while (*p && *p != ',' && k < sizeof(name) - 1)
			name[k++] = *p++;
		if (*p == ',')
			p++;
		w[n].bd = blkdev_find(name);
		KT_ASSERT(w[n].bd != NULL);
		t = thread_create_kernel(name, worker_fn, &w[n], PRIO_NORM);
		KT_ASSERT(t != NULL);
		thread_detach(t);
		n++;
	}
	for (int i = 0; i < n; i++) {
		uint32_t f = arch_irq_save();

		while (!w[i].done)
			thread_sleep(&w[i], 0);
		arch_irq_restore(f);
		kprintf("# %s: %u bad sectors, %u errors\n", w[i].bd->name,
			w[i].bad, w[i].errors);
		KT_EQ(w[i].bad, 0);
		KT_EQ(w[i].errors, 0);
	}
}
