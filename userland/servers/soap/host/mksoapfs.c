/*
 * mksoapfs.c - host tool: the directory part of a VX file-system image
 * (boot/fsdir.sh, run by boot/mkfsimg.sh): from the list OUT.caps it
 * writes a SOAP super file into partition 2 and one directory file per
 * directory into the Bullet file system of partition 1 (through
 * `mkfs_bullet -k`), with the same core as the server (sps_*.c):
 *
 *   /bin/PROG, /home/PATH...  the files of OUT.caps
 *   /tmp                      empty, writable by every column
 *   /profile/cap/bulletsvr/default   the Bullet super-capability
 *                                    (DEF_BULLETSVR)
 *
 *   mksoapfs IMG CAPS MKFS_BULLET
 *
 * The directories belong to the server called $SOAP (default soap):
 * a disk for a second directory server (kernel option soap=NAME) is
 * made with SOAP=NAME.
 * Partitions 1 and 2 are read from IMG's MBR.  Each directory is
 * written once, leaves first; the empty root of the format is the only
 * directory file left over (mkfs_bullet cannot delete).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ampolicy.h>
#include <stderr.h>
#include "sps.h"

#define MAXKIDS 512

struct node {
	char *name;
	int isdir;
	capability cap;			/* files: from CAPS; dirs: made */
	rights_bits mask[3];		/* its row's masks */
	int nkids;
	struct node *kids[MAXKIDS];
};

static FILE *img;
static const char *imgname, *mkfs;
static uint32_t p1, p1n, p2, p2n;
static struct {
	capability cap;
	char *buf;
	size_t n;
} made[1024];
static int nmade;

static void
die(const char *what)
{
	fprintf(stderr, "mksoapfs: %s\n", what);
	exit(1);
}

static int
hexcap(const char *hex, capability *c)
{
	uint8_t *b = (uint8_t *)c;
	unsigned v;
	int i;

	for (i = 0; i < CAPSIZE; i++) {
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		b[i] = (uint8_t)v;
	}
	return 0;
}

static errstat
h_create(void *ctx, const char *buf, size_t n, capability *cap)
{
	char tmp[] = "/tmp/mksoapfs.XXXXXX", cmd[1024], line[256];
	FILE *p;
	int fd = mkstemp(tmp), ok = 0;

	(void)ctx;
	if (fd < 0 || write(fd, buf, n) != (ssize_t)n || nmade == 1024)
		die("cannot write a temporary file");
	close(fd);
	snprintf(cmd, sizeof(cmd), "'%s' -k -o %u -n %u '%s' '%s'", mkfs,
		 (unsigned)p1, (unsigned)p1n, imgname, tmp);
	fflush(img);
	if ((p = popen(cmd, "r")) == NULL)
		die("cannot run mkfs_bullet");
	while (fgets(line, sizeof(line), p) != NULL)
		if (strncmp(line, "file ", 5) == 0 && hexcap(line + 5, cap) == 0)
			ok = 1;
	if (pclose(p) != 0 || !ok)
		die("mkfs_bullet -k failed");
	unlink(tmp);
	made[nmade].cap = *cap;
	made[nmade].buf = malloc(n);
	memcpy(made[nmade].buf, buf, n);
	made[nmade++].n = n;
	return STD_OK;
}

static errstat
h_read(void *ctx, const capability *cap, char **buf, size_t *n)
{
	int i;

	(void)ctx;
	for (i = 0; i < nmade; i++)
		if (memcmp(&made[i].cap, cap, CAPSIZE) == 0) {
			*buf = malloc(made[i].n);
			memcpy(*buf, made[i].buf, made[i].n);
			*n = made[i].n;
			return STD_OK;
		}
	return STD_CAPBAD;
}

/* Destroy and touch: nothing to do on the host. */
static errstat
h_destroy(void *ctx, const capability *cap)
{
	(void)ctx, (void)cap;
	return STD_OK;
}

static errstat
h_dread(void *ctx, uint32_t blk, char *buf)
{
	(void)ctx;
	if (fseek(img, (long)(p2 + blk) * 512, SEEK_SET) != 0 ||
	    fread(buf, 512, 1, img) != 1)
		return STD_SYSERR;
	return STD_OK;
}

static errstat
h_dwrite(void *ctx, uint32_t blk, const char *buf)
{
	(void)ctx;
	if (fseek(img, (long)(p2 + blk) * 512, SEEK_SET) != 0 ||
	    fwrite(buf, 512, 1, img) != 1)
		return STD_SYSERR;
	return STD_OK;
}

static errstat
h_restrict(void *ctx, const capability *in, rights_bits m, capability *out)
{
	(void)ctx, (void)in, (void)m, (void)out;
	return STD_NOTNOW;
}

static uint32_t
h_now(void *ctx)
{
	(void)ctx;
	return (uint32_t)time(NULL);
}

static void
h_random(void *ctx, port *p)
{
	FILE *f = fopen("/dev/urandom", "rb");

	(void)ctx;
	if (f == NULL || fread(p, sizeof(*p), 1, f) != 1)
		die("no /dev/urandom");
	fclose(f);
}

static struct node *
node_new(const char *name, int isdir)
{
	static const rights_bits dmask[3] = { 0xFF, 0x02, 0x04 };
	static const rights_bits fmask[3] = { 0xFF, 0x02, 0x02 };
	struct node *n = calloc(1, sizeof(*n));

	n->name = strdup(name);
	n->isdir = isdir;
	memcpy(n->mask, isdir ? dmask : fmask, sizeof(n->mask));
	return n;
}

/* The child called name of dir (made if missing). */
static struct node *
child(struct node *dir, const char *name, int isdir)
{
	int i;

	for (i = 0; i < dir->nkids; i++)
		if (strcmp(dir->kids[i]->name, name) == 0)
			return dir->kids[i];
	if (dir->nkids == MAXKIDS || !sps_name_ok(name))
		die("too many entries or a bad name");
	return dir->kids[dir->nkids++] = node_new(name, isdir);
}

/* Enter cap under path ("home/a/b"), making the directories. */
static void
enter(struct node *root, char *path, const capability *cap)
{
	char *slash;
	struct node *d = root;

	while ((slash = strchr(path, '/')) != NULL) {
		*slash = 0;
		d = child(d, path, 1);
		path = slash + 1;
	}
	child(d, path, 0)->cap = *cap;
}

/* Write the directories under n (leaves first), then n: its capability. */
static void
commit(struct sps *s, struct node *n, int isroot)
{
	static char *cols[] = { "owner", "group", "other" };
	struct sps_dir *d = sps_dir_new(3, cols);
	struct sps_capset cs;
	uint32_t slot = 0;
	int i;

	for (i = 0; i < n->nkids; i++) {
		struct node *k = n->kids[i];

		if (k->isdir)
			commit(s, k, 0);
		memset(&cs, 0, sizeof(cs));
		cs.initial = cs.final = 1;
		cs.s[0].s_object = k->cap;
		cs.s[0].s_current = 1;
		if (sps_dir_add(d, k->name, &cs, k->mask, 3, h_now(NULL)) !=
		    STD_OK)
			die("directory too large");
	}
	if (isroot ? sps_commit(s, 0, d) : sps_newdir(s, d, &slot))
		die("cannot write a directory");
	sps_capof(s, slot, 0xFF, &n->cap);
}

static void
node_free(struct node *n)
{
	int i;

	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->name);
	free(n);
}

int
main(int argc, char **argv)
{
	static struct sps_io io = {
		.file_create = h_create, .file_read = h_read,
		.file_destroy = h_destroy, .file_touch = h_destroy,
		.disk_read = h_dread,
		.disk_write = h_dwrite, .restrict_cap = h_restrict,
		.now = h_now, .random = h_random,
	};
	static rights_bits tmpmask[3] = { 0xFF, 0x42, 0x44 };
	static rights_bits bulletmask[3] = { 0xFF, 0x0F, 0x0F };
	char line[1024], hex[40], name[900], policy[] = DEF_BULLETSVR;
	unsigned char mbr[512];
	struct node *root = node_new("", 1), *n;
	capability cap, super;
	struct sps s;
	unsigned long size;
	const char *svr = getenv("SOAP");
	FILE *caps;
	int have_super = 0;

	if (argc != 4)
		die("usage: mksoapfs IMG CAPS MKFS_BULLET");
	imgname = argv[1];
	mkfs = argv[3];
	if ((img = fopen(imgname, "r+b")) == NULL ||
	    fread(mbr, 512, 1, img) != 1 || mbr[510] != 0x55 ||
	    mbr[511] != 0xAA)
		die("cannot read the image's MBR");
	memcpy(&p1, mbr + 0x1BE + 8, 4);
	memcpy(&p1n, mbr + 0x1BE + 12, 4);
	memcpy(&p2, mbr + 0x1CE + 8, 4);
	memcpy(&p2n, mbr + 0x1CE + 12, 4);
	if (p2n < 3)
		die("no partition 2");
	if ((caps = fopen(argv[2], "r")) == NULL)
		die("cannot read the list of files");
	child(root, "bin", 1);
	child(root, "home", 1);
	child(root, "hosts", 1);	/* each node enters itself (fsboot.c) */
	memcpy(child(root, "tmp", 1)->mask, tmpmask, sizeof(tmpmask));
	while (fgets(line, sizeof(line), caps) != NULL) {
		if (sscanf(line, "supercap %39s", hex) == 1 &&
		    hexcap(hex, &super) == 0)
			have_super = 1;
		else if (sscanf(line, "file %39s %lu %899s", hex, &size,
				name) == 3 && hexcap(hex, &cap) == 0)
			enter(root, name, &cap);
	}
	fclose(caps);
	if (have_super) {
		enter(root, policy + 1, &super);
		n = child(child(child(child(root, "profile", 1), "cap", 1),
				"bulletsvr", 1), "default", 0);
		memcpy(n->mask, bulletmask, sizeof(bulletmask));
	}
	io.disk_blocks = p2n;
	if (svr == NULL || svr[0] == 0)
		svr = SP_DEFSERVER;
	if (sps_start(&s, &io, svr, 2) != STD_OK)
		die("cannot format partition 2");
	commit(&s, root, 1);
	sps_stop(&s);
	node_free(root);
	while (nmade > 0)
		free(made[--nmade].buf);
	if (fclose(img) != 0)
		die("cannot write the image");
	printf("mksoapfs: directories written\n");
	return 0;
}
