/*
 * test_disk.c - module/disk.h against the vdisk server: run with an IDE
 * disk whose first partition is at least 4 MiB (tests/servers/t_vdisk.py).
 * Round trips across D_REQBUFSZ pieces, size and info, the write-cache
 * flush (DS_CONTROL DSC_SYNC), rights and bad arguments.
 * Run as `init=test_disk`.
 */
#include <stdlib.h>
#include <string.h>

#include "amoeba.h"
#include "stderr.h"
#include "module/disk.h"
#include "module/kdir.h"
#include "module/stdcmd.h"
#include "check.h"

#define NBLK 100			/* 51200 bytes: two D_REQBUFSZ pieces */

static capability part;

static void
check_rw(void)
{
	char *out = malloc(NBLK * 512), *in = malloc(NBLK * 512);
	int i;

	for (i = 0; i < NBLK * 512; i++)
		out[i] = (char)(i * 7 + (i >> 9));
	CHECK(disk_write(&part, 9, 10, NBLK, out) == STD_OK,
	      "disk_write of 100 blocks (two requests)");
	memset(in, 0, NBLK * 512);
	CHECK(disk_read(&part, 9, 10, NBLK, in) == STD_OK &&
	      memcmp(in, out, NBLK * 512) == 0, "disk_read gives them back");
	memset(in, 0, 4096);
	CHECK(disk_read(&part, 12, 2, 1, in) == STD_OK &&
	      memcmp(in, out + (16 - 10) * 512, 4096) == 0,
	      "4 KiB blocks address the same bytes");
	CHECK(disk_control(&part, DSC_SYNC, NILBUF, 0) == STD_OK,
	      "DSC_SYNC flushes the write cache");
	free(out);
	free(in);
}

static void
check_size_info(void)
{
	dk_info_data info[4];
	disk_addr sz = 0, sz4k = 0;
	int cnt = 0;

	CHECK(disk_size(&part, 9, &sz) == STD_OK && sz >= 8192,
	      "disk_size in 512-byte blocks");
	CHECK(disk_size(&part, 12, &sz4k) == STD_OK && sz4k == sz / 8,
	      "disk_size in 4 KiB blocks");
	CHECK(disk_info(&part, info, 4, &cnt) == STD_OK && cnt == 1 &&
	      info[0].d_numblks == sz && info[0].d_firstblk == 2048,
	      "disk_info: the partition's start and size");
}

static void
check_errors(void)
{
	capability ro;
	char buf[512];
	disk_addr sz;

	CHECK(disk_read(&part, 8, 0, 1, buf) == STD_ARGBAD,
	      "block size below 512: STD_ARGBAD");
	CHECK(disk_read(&part, 9, 0, 0, buf) == STD_ARGBAD,
	      "zero blocks: STD_ARGBAD");
	CHECK(disk_read(&part, 9, -1, 1, buf) == STD_ARGBAD,
	      "negative block: STD_ARGBAD");
	disk_size(&part, 9, &sz);
	CHECK(disk_read(&part, 9, sz, 1, buf) != STD_OK,
	      "past the end of the partition: refused");
	CHECK(disk_control(&part, DSC_EJECT, NILBUF, 0) == STD_ARGBAD,
	      "unsupported DS_CONTROL subcommand: STD_ARGBAD");
	CHECK(std_restrict(&part, DSR_READ, &ro) == STD_OK,
	      "restrict to reading");
	CHECK(disk_read(&ro, 9, 0, 1, buf) == STD_OK, "read-only: reads");
	CHECK(disk_write(&ro, 9, 0, 1, buf) == STD_DENIED,
	      "read-only: write STD_DENIED");
	CHECK(disk_control(&ro, DSC_SYNC, NILBUF, 0) == STD_DENIED,
	      "read-only: DSC_SYNC STD_DENIED");
	ro.cap_priv.prv_random._portbytes[0] ^= 1;
	CHECK(disk_read(&ro, 9, 0, 1, buf) == STD_CAPBAD,
	      "forged capability: STD_CAPBAD");
}

int
main(void)
{
	if (!CHECK(kdir_lookup(NULL, "vdisk:hd0p1", &part) == STD_OK,
		   "vdisk:hd0p1 in the kernel directory"))
		return TEST_DONE();
	check_rw();
	check_size_info();
	check_errors();
	return TEST_DONE();
}
