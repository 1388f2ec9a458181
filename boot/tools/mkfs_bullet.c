/*
 * mkfs_bullet.c - make a Bullet file system (spec 6.3) in a disk image
 * on the host, with no root and no loop device, and put files in it.
 *
 *   mkfs_bullet [-k] [-b blocksize] [-i inodes] [-o start_sector]
 *               [-n sectors] image [file ...]
 *
 * The file system goes into sectors [start, start + sectors) of image
 * (default: the whole file); the inode blocks are zeroed before the
 * superblock is written.  Defaults as Amoeba's mkfs: 512-byte blocks,
 * one inode per 12 KiB of disk (x1.5 under 250 MB).  The get-port and
 * check field of the super-capability come from /dev/urandom.  -k keeps
 * the file system already there (it must pass the boot-time check).
 * Each file named is then stored as a committed Bullet file (data
 * first, then its inode) and printed as "file CAP SIZE NAME", after the
 * line "supercap CAP" (capabilities in hex, 32 digits, put-ports).  The
 * layout code is the server's (libamoeba/bullet/bs_disk.c).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <module/prv.h>
#include <server/bullet/bs_disk.h>
#include <server/bullet/bullet.h>

static void
usage(void)
{
	fprintf(stderr, "usage: mkfs_bullet [-k] [-b blocksize] [-i inodes] "
		"[-o start_sector] [-n sectors] image [file ...]\n");
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

static void
print_cap(const char *what, const capability *cap)
{
	printf("%s ", what);
	for (int i = 0; i < CAPSIZE; i++)
		printf("%02x", ((const uint8_t *)cap)[i]);
}

/* The existing file system at base: superblock, checked inode table. */
static int
open_fs(int fd, off_t base, uint64_t bytes, struct bs_super *sb,
	uint8_t **itab, struct bs_map *map)
{
	uint8_t blk[BS_SUPERSIZE];
	size_t len;
	int err;

	if (pread(fd, blk, sizeof(blk), base) != sizeof(blk))
		return -1;
	if ((err = bs_super_get(blk, bytes, sb)) != BS_SB_OK) {
		fprintf(stderr, "mkfs_bullet: %s\n", bs_super_why(err));
		return -1;
	}
	len = (size_t)sb->s_inodetop << sb->s_blksize;
	*itab = malloc(len);
	if (*itab == NULL || bs_map_init(map, sb->s_numblocks) < 0 ||
	    pread(fd, *itab, len, base + ((off_t)1 << sb->s_blksize)) !=
	    (ssize_t)len || bs_check(sb, *itab, map, NULL, NULL) != 0) {
		fprintf(stderr, "mkfs_bullet: inode table unreadable or "
			"inconsistent\n");
		return -1;
	}
	return 0;
}

/* Store one host file as a committed Bullet file; print its capability. */
static int
add_file(int fd, off_t base, const struct bs_super *sb, uint8_t *itab,
	 struct bs_map *map, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct bs_inode ino = { 0, 0, { { 0 } }, MAX_LIFETIME, 0 };
	uint32_t n = 1, nb;
	capability cap;
	long size;
	char *data;
	int ok;

	while (n < sb->s_numinodes && itab[n * BS_INODESIZE + 14] != 0)
		n++;
	if (f == NULL || fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < 0 ||
	    size > INT32_MAX || n == sb->s_numinodes) {
		fprintf(stderr, "mkfs_bullet: %s: cannot add\n", path);
		return -1;
	}
	rewind(f);
	ino.i_size = (uint32_t)size;
	nb = bs_nblocks(sb, ino.i_size);
	data = calloc((size_t)nb + 1, (size_t)1 << sb->s_blksize);
	ok = data && fread(data, 1, (size_t)size, f) == (size_t)size &&
	     get_random(&ino.i_random, sizeof(port)) == 0;
	fclose(f);
	if (ok && nb > 0 &&
	    (ino.i_dskaddr = bs_map_find(map, sb->s_inodetop + 1, nb)) == 0) {
		fprintf(stderr, "mkfs_bullet: %s: no space\n", path);
		ok = 0;
	}
	if (ok && nb > 0) {
		bs_map_set(map, ino.i_dskaddr, nb);
		ok = pwrite(fd, data, (size_t)nb << sb->s_blksize,
			    base + ((off_t)ino.i_dskaddr << sb->s_blksize)) ==
		     (ssize_t)((size_t)nb << sb->s_blksize);
	}
	free(data);
	bs_inode_put(&ino, itab + n * BS_INODESIZE);
	if (!ok || fsync(fd) < 0 ||
	    pwrite(fd, itab + n * BS_INODESIZE, BS_INODESIZE,
		   base + (off_t)bs_inode_offset(sb, n)) != BS_INODESIZE)
		return -1;
	priv2pub(&sb->s_supercap.cap_port, &cap.cap_port);
	prv_encode(&cap.cap_priv, (objnum)n, BS_RGT_ALL, &ino.i_random);
	print_cap("file", &cap);
	printf(" %ld %s\n", size, path);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long blocksize = 512, inodes = 0, start = 0, nsec = 0;
	int c, fd, keep = 0, err = 0;
	struct bs_super sb;
	struct bs_map map;
	port ports[2];
	capability super;
	uint8_t *itab = NULL;
	struct stat st;

	while ((c = getopt(argc, argv, "kb:i:o:n:")) != -1) {
		switch (c) {
		case 'k': keep = 1; break;
		case 'b': blocksize = strtoul(optarg, NULL, 0); break;
		case 'i': inodes = strtoul(optarg, NULL, 0); break;
		case 'o': start = strtoul(optarg, NULL, 0); break;
		case 'n': nsec = strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (optind >= argc || log2_of(blocksize) == 0)
		usage();
	fd = open(argv[optind], O_RDWR);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[optind]);
		return 1;
	}
	if (nsec == 0)
		nsec = (unsigned long)(st.st_size / 512) - start;
	if ((off_t)(start + nsec) * 512 > st.st_size || (!keep &&
	    (get_random(ports, sizeof(ports)) < 0 ||
	     bs_layout((uint64_t)nsec * 512, log2_of(blocksize),
		       (uint32_t)inodes, &ports[0], &ports[1], &sb) < 0))) {
		fprintf(stderr, "mkfs_bullet: %s: no room for a file system\n",
			argv[optind]);
		return 1;
	}
	if (!keep && write_fs(fd, (off_t)start * 512, &sb) < 0) {
		perror("mkfs_bullet: write");
		return 1;
	}
	if (open_fs(fd, (off_t)start * 512, (uint64_t)nsec * 512, &sb, &itab,
		    &map) < 0)
		return 1;
	if (!keep)
		printf("mkfs_bullet: %u blocks of %lu bytes, %u inodes in "
		       "blocks 1-%u\n", (unsigned)sb.s_numblocks, 1ul <<
		       sb.s_blksize, (unsigned)sb.s_numinodes,
		       (unsigned)sb.s_inodetop);
	priv2pub(&sb.s_supercap.cap_port, &super.cap_port);
	super.cap_priv = sb.s_supercap.cap_priv;
	print_cap("supercap", &super);
	printf("\n");
	for (int i = optind + 1; i < argc && err == 0; i++)
		err = add_file(fd, (off_t)start * 512, &sb, itab, &map, argv[i]);
	free(itab);
	bs_map_free(&map);
	close(fd);
	return err ? 1 : 0;
}
