/*
 * mkfs.c - make an empty Bullet file system on a vdisk (spec 6.3), the
 * VX version of build/tools/mkfs_bullet.
 *
 *   mkfs [-b blocksize] [-i inodes] vdisk:NAME
 *
 * The inode blocks are zeroed before the superblock is written.  The
 * super-capability's get-port and check come from the random server.
 * Stop the Bullet server of that disk first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stderr.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <server/bullet/bs_find.h>

static void
usage(void)
{
	printf("usage: mkfs [-b blocksize] [-i inodes] vdisk:NAME\n");
	exit(2);
}

static uint32_t
log2_of(unsigned long v)
{
	uint32_t s = 0;

	while ((1ul << s) < v)
		s++;
	return (1ul << s) == v ? s : 0;
}

int
main(int argc, char **argv)
{
	unsigned long blocksize = 512, inodes = 0;
	uint8_t super[BS_SUPERSIZE], *zero;
	struct bs_super sb;
	capability disk;
	port get, check;
	uint64_t bytes;
	errstat err;
	int i = 1;

	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-b") == 0)
			blocksize = strtoul(argv[i + 1], NULL, 0);
		else if (strcmp(argv[i], "-i") == 0)
			inodes = strtoul(argv[i + 1], NULL, 0);
		else
			usage();
	}
	if (i != argc - 1 || log2_of(blocksize) == 0)
		usage();
	err = kdir_lookup(NULL, argv[i], &disk);
	if (err == STD_OK)
		err = bs_vdisk_size(&disk, &bytes);
	if (err != STD_OK) {
		printf("mkfs: %s: %s\n", argv[i], err_why(err));
		return 1;
	}
	uniqport(&get);
	uniqport(&check);
	if (bs_layout(bytes, log2_of(blocksize), (uint32_t)inodes, &get,
		      &check, &sb) < 0) {
		printf("mkfs: %s: too small\n", argv[i]);
		return 1;
	}
	zero = calloc(sb.s_inodetop, blocksize);
	err = zero ? bs_vdisk_write(&disk, (uint32_t)(blocksize / 512),
				    (uint32_t)(sb.s_inodetop * blocksize / 512),
				    zero) : STD_NOMEM;
	bs_super_put(&sb, super);
	if (err == STD_OK)
		err = bs_vdisk_write(&disk, 0, 1, super);
	if (err != STD_OK) {
		printf("mkfs: %s: %s\n", argv[i], err_why(err));
		return 1;
	}
	printf("mkfs: %s: %u blocks of %lu bytes, %u inodes\n", argv[i],
	       (unsigned)sb.s_numblocks, blocksize, (unsigned)sb.s_numinodes);
	return 0;
}
