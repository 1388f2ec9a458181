/*
 * main.c - the SOAP directory server as a VX program (spec 7; the
 * portable core is sps_*.c, see sps.h).
 *
 *   soap [-n node] [-s NAME] [-f] [-r N] [vdisk:NAME]
 *
 * Without a vdisk name it serves the partition after the one holding the
 * node's Bullet file system (p2 after p1 on a make fs-image disk, p3
 * after p2 on a make cf-image disk), so
 * started without arguments at boot it needs no configuration.  A
 * partition whose two header blocks are zero is formatted (an empty
 * root directory with columns owner, group, other); -f formats any
 * partition without a valid header.  Directory files are committed
 * Bullet files (BS_SAFETY) on the node's own Bullet server
 * (bullet_local_supercap), else on the network's default one.
 *
 * -n names this node for its kernel directory (as for bullet -n; needed
 * when the node is not called "vx" and $VX_NODE is not set).
 * Served on the public port of NAME (default "soap", see
 * server/soap/soapsvr.h) by NSERVE threads; another one touches every
 * directory file each TOUCH_MS so that Bullet's STD_AGE keeps them.
 * A mutex serialises every use of the core.
 *
 * -r N runs this server as one of N replicas of NAME on N nodes, behind
 * the one public port, its updates ordered through a group (rep.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <amoeba.h>
#include <stderr.h>
#include <thread.h>
#include <module/kdir.h>
#include <module/mutex.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/bullet/bs_find.h>
#include <server/bullet/bullet.h>
#include "rep.h"
#include "sps.h"

#define REQMAX	(64 * 1024)
#define REPMAX	(SP_BUFSIZE + 1024)
#define TOUCH_MS (10 * 60 * 1000)	/* between touches of every file */
#define NSERVE	3			/* threads serving requests */

static capability bullet, vdisk;
static const char *node;		/* for the kernel directory */
static mutex lock;			/* serialises every use of the core */
static char diskname[40];

static void
fail(const char *what, errstat err)
{
	printf("soap: %s (%s)\n", what, err_why(err));
	exit(1);
}

static errstat
io_create(void *ctx, const char *buf, size_t n, capability *file)
{
	(void)ctx;
	return b_create(&bullet, (char *)buf, (b_fsize)n,
			BS_COMMIT | BS_SAFETY, file);
}

static errstat
io_read(void *ctx, const capability *file, char **bufp, size_t *np)
{
	b_fsize size, got;
	errstat err;
	char *buf;

	(void)ctx;
	if ((err = b_size((capability *)file, &size)) != STD_OK)
		return err;
	if (size < 0 || size > SPS_MAXFILE)
		return STD_SYSERR;
	if ((buf = malloc(size ? (size_t)size : 1)) == NULL)
		return STD_NOMEM;
	err = b_read((capability *)file, 0, buf, size, &got);
	if (err == STD_OK && got != size)
		err = STD_SYSERR;
	if (err != STD_OK) {
		free(buf);
		return err;
	}
	*bufp = buf;
	*np = (size_t)size;
	return STD_OK;
}

static errstat
io_destroy(void *ctx, const capability *file)
{
	(void)ctx;
	return std_destroy((capability *)file);
}

static errstat
io_touch(void *ctx, const capability *file)
{
	(void)ctx;
	return std_touch((capability *)file);
}

static errstat
io_dread(void *ctx, uint32_t blk, char *buf)
{
	(void)ctx;
	return bs_vdisk_read(&vdisk, blk, 1, buf);
}

static errstat
io_dwrite(void *ctx, uint32_t blk, const char *buf)
{
	(void)ctx;
	return bs_vdisk_write(&vdisk, blk, 1, buf);
}

static errstat
io_dsync(void *ctx)
{
	(void)ctx;
	return bs_vdisk_sync(&vdisk);
}

static errstat
io_restrict(void *ctx, const capability *in, rights_bits mask,
	    capability *out)
{
	(void)ctx;
	return std_restrict((capability *)in, mask, out);
}

static uint32_t
io_now(void *ctx)
{
	struct timeval tv;

	(void)ctx;
	if (gettimeofday(&tv, NULL) != 0)
		return 0;
	return (uint32_t)tv.tv_sec;
}

static void
io_random(void *ctx, port *p)
{
	(void)ctx;
	uniqport(p);
}

/* The partition after the Bullet one ("vdisk:hd0p1" -> "vdisk:hd0p2";
 * on a CompactFlash image "vdisk:hd0p2" -> "vdisk:hd0p3"). */
static void
open_disk(const char *name)
{
	char bname[40];
	uint8_t blk[512];
	uint64_t bytes;
	size_t n;
	errstat err;

	if (name == NULL) {
		err = bs_find_disk(node, &vdisk, bname, sizeof(bname), blk);
		n = strlen(bname);
		if (err != STD_OK || n < 2 || bname[n - 2] != 'p' ||
		    bname[n - 1] < '1' || bname[n - 1] > '3')
			fail("no Bullet partition to sit beside", err ? err
			     : STD_NOTFOUND);
		bname[n - 1]++;
		name = bname;
	}
	snprintf(diskname, sizeof(diskname), "%s", name);
	if ((err = kdir_lookup(node, diskname, &vdisk)) != STD_OK)
		fail("no such vdisk", err);
	if ((err = bs_vdisk_size(&vdisk, &bytes)) != STD_OK)
		fail("cannot size the vdisk", err);
	if (bytes / 512 < 3)
		fail("partition too small", STD_NOSPACE);
}

static void
find_bullet(void)
{
	errstat err = bullet_local_supercap(node, &bullet);

	if (err != STD_OK)
		err = bullet_default_cap(&bullet);
	if (err != STD_OK)
		fail("no Bullet server", err);
}

/* Keep every directory file alive against Bullet's STD_AGE. */
static void
toucher(char *param, int psize)
{
	struct sps *s = *(struct sps **)param;
	int bad;

	(void)psize;
	for (;;) {
		mu_lock(&lock);
		bad = sps_touch_all(s);
		mu_unlock(&lock);
		if (bad)
			printf("soap: %d directory files could not be touched\n",
			       bad);
		sys_sleep(TOUCH_MS);
	}
}

static void
serve(struct sps *s)
{
	char *req = malloc(REQMAX), *rep = malloc(REPMAX);
	header h;
	int32 n;
	size_t r;

	if (req == NULL || rep == NULL)
		fail("no memory", STD_NOMEM);
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = s->getport;
		n = rpc_getreq(&h, req, REQMAX);
		if (n < 0)
			continue;
		mu_lock(&lock);
		if (sps_is_update(h.h_command))	/* once per signature */
			r = sps_apply(s, &h, req, (size_t)n, rep, REPMAX);
		else
			r = sps_request(s, &h, req, (size_t)n, rep, REPMAX);
		mu_unlock(&lock);
		rpc_putrep(&h, rep, (f_size_t)r);
	}
}

/*
 * More threads in getreq: while one replies, the next request finds a
 * thread waiting instead of being turned away and sent again later.
 */
static void
serve_thread(char *param, int psize)
{
	(void)psize;
	serve(*(struct sps **)param);
}

int
main(int argc, char **argv)
{
	static struct sps_io io = {
		.file_create = io_create, .file_read = io_read,
		.file_destroy = io_destroy, .file_touch = io_touch,
		.disk_read = io_dread,
		.disk_write = io_dwrite, .disk_sync = io_dsync,
		.restrict_cap = io_restrict,
		.now = io_now, .random = io_random,
	};
	static struct sps s, *sp;
	const char *name = SP_DEFSERVER, *disk = NULL;
	uint64_t bytes;
	uint32_t i, live = 0;
	int format = 1, a, nrep = 0;
	errstat err;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-s") == 0 && a + 1 < argc)
			name = argv[++a];
		else if (strcmp(argv[a], "-n") == 0 && a + 1 < argc)
			node = argv[++a];
		else if (strcmp(argv[a], "-f") == 0)
			format = 2;
		else if (strcmp(argv[a], "-r") == 0 && a + 1 < argc &&
			 (nrep = atoi(argv[a + 1])) >= 1 && nrep <= 16)
			a++;
		else if (argv[a][0] != '-' && disk == NULL)
			disk = argv[a];
		else {
			printf("usage: soap [-n node] [-s NAME] [-f] [-r N] "
			       "[vdisk:NAME]\n");
			return 2;
		}
	}
	open_disk(disk);
	find_bullet();
	bs_vdisk_size(&vdisk, &bytes);
	io.disk_blocks = (uint32_t)(bytes / SPS_BLKSIZE);
	if (nrep > 0)
		rep_io(&io);
	if ((err = sps_start(&s, &io, name, format)) != STD_OK) {
		printf("soap: %s: not a SOAP partition or unreadable (%s)\n",
		       diskname, err_why(err));
		return 1;
	}
	for (i = 0; i < s.nslots; i++)
		live += s.slots[i].inuse;
	printf("soap: %s: serving \"%s\", %u directories%s\n", diskname,
	       name, (unsigned)live, nrep > 0 ? ", replicated" : "");
	fflush(stdout);
	mu_init(&lock);
	sp = &s;
	if (!thread_newthread(toucher, 16384, (char *)&sp, sizeof(sp)))
		fail("cannot start the touch thread", STD_NOMEM);
	if (nrep > 0)
		rep_run(&s, &lock, nrep, NSERVE);	/* never returns */
	for (i = 1; i < NSERVE; i++)
		if (!thread_newthread(serve_thread, 16384, (char *)&sp,
				      sizeof(sp)))
			fail("cannot start a server thread", STD_NOMEM);
	serve(&s);
	return 0;
}
