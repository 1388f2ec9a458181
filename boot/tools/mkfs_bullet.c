/*
 * mkfs_bullet.c - make an empty Bullet file system (spec 6.3) in a disk
 * image on the host, with no root and no loop device.
 *
 *   mkfs_bullet [-b blocksize] [-i inodes] [-o start_sector]
 *               [-n sectors] image
 *
 * The file system goes into sectors [start, start + sectors) of image
 * (default: the whole file); the inode blocks are zeroed before the
 * superblock is written.  Defaults as Amoeba's mkfs: 512-byte blocks,
 * one inode per 12 KiB of disk (x1.5 under 250 MB).  The get-port and
 * check field of the super-capability come from /dev/urandom.  Prints
 * the geometry and the published super-capability (put-port = F(get-
 * port)) in hex.  The same layout code runs in the VX mkfs and the
 * server (libamoeba/bullet/bs_disk.c).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <module/prv.h>
#include <server/bullet/bs_disk.h>

static void
usage(void)
{
	fprintf(stderr, "usage: mkfs_bullet [-b blocksize] [-i inodes] "
		"[-o start_sector] [-n sectors] image\n");
	exit(2);
}

static int
get_random(void *buf, size_t n)
{
	int fd = open("/dev/urandom", O_RDONLY);
	ssize_t r = fd < 0 ? -1 : read(fd, buf, n);

	if (fd >= 0)
		close(fd);
	return r == (ssize_t)n ? 0 : -1;
}

static uint32_t
log2_of(unsigned long v)
{
	uint32_t s = 0;

	while ((1ul << s) < v)
		s++;
	return (1ul << s) == v ? s : 0;
}

static int
write_fs(int fd, off_t base, const struct bs_super *sb)
{
	size_t blk = (size_t)1 << sb->s_blksize;
	uint8_t *zero = calloc(1, blk), super[BS_SUPERSIZE];
	int ok = zero != NULL;

	for (uint32_t b = 1; ok && b <= sb->s_inodetop; b++)
		ok = pwrite(fd, zero, blk, base + (off_t)b * (off_t)blk) ==
		     (ssize_t)blk;
	if (ok)
		ok = fsync(fd) == 0;
	bs_super_put(sb, super);
	if (ok)
		ok = pwrite(fd, super, sizeof(super), base) == sizeof(super);
	free(zero);
	return ok && fsync(fd) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	unsigned long blocksize = 512, inodes = 0, start = 0, nsec = 0;
	struct bs_super sb;
	port ports[2], put;
	struct stat st;
	int c, fd;

	while ((c = getopt(argc, argv, "b:i:o:n:")) != -1) {
		switch (c) {
		case 'b': blocksize = strtoul(optarg, NULL, 0); break;
		case 'i': inodes = strtoul(optarg, NULL, 0); break;
		case 'o': start = strtoul(optarg, NULL, 0); break;
		case 'n': nsec = strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (optind != argc - 1 || log2_of(blocksize) == 0)
		usage();
	fd = open(argv[optind], O_RDWR);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[optind]);
		return 1;
	}
	if (nsec == 0)
		nsec = (unsigned long)(st.st_size / 512) - start;
	if ((off_t)(start + nsec) * 512 > st.st_size || get_random(ports,
	    sizeof(ports)) < 0 || bs_layout((uint64_t)nsec * 512,
	    log2_of(blocksize), (uint32_t)inodes, &ports[0], &ports[1],
	    &sb) < 0) {
		fprintf(stderr, "mkfs_bullet: %s: no room for a file system\n",
			argv[optind]);
		return 1;
	}
	if (write_fs(fd, (off_t)start * 512, &sb) < 0) {
		perror("mkfs_bullet: write");
		return 1;
	}
	close(fd);
	priv2pub(&sb.s_supercap.cap_port, &put);
	printf("mkfs_bullet: %u blocks of %lu bytes, %u inodes in blocks "
	       "1-%u\nsupercap ", (unsigned)sb.s_numblocks, blocksize,
	       (unsigned)sb.s_numinodes, (unsigned)sb.s_inodetop);
	for (int i = 0; i < PORTSIZE; i++)
		printf("%02x", put._portbytes[i]);
	for (int i = 0; i < 10; i++)
		printf("%02x", ((uint8_t *)&sb.s_supercap.cap_priv)[i]);
	printf("\n");
	return 0;
}
