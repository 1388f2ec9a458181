/*
 * main.c - the Bullet file server (spec 6), a VX user program.
 *
 *   bullet [-n node] [-t threads] [-c cachebytes] [vdisk:NAME]
 *
 * -n names this node (its kernel directory holds the vdisks); default
 * $VX_NODE, else "vx" (the kernel does not tell programs its name yet).
 * Serves the Bullet file system on one vdisk partition: the one named,
 * or else the first of this node's vdisks whose block 0 holds a Bullet
 * superblock (server/bullet/bs_find.h), so it needs no arguments.  At
 * start it refuses a disk whose superblock is corrupt, checks the inode
 * table (bad or overlapping inodes are cleared on disk, each named in a
 * message), then serves the super-capability's port with several
 * threads.  The main thread becomes the sweeper: it writes committed
 * files to disk behind the replies and, every sweep time, destroys
 * uncommitted files idle for BS_CACHE_TIMEOUT sweeps.  Clients on the
 * node find the super-capability with bullet_local_supercap(); clients
 * anywhere get it (without BS_RGT_ADMIN) from the thread that answers
 * STD_INFO on the well-known port of bullet_default_cap().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stderr.h>
#include <thread.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <module/rpc.h>
#include <module/syscall.h>
#include <stdcom.h>
#include <server/bullet/bs_find.h>

#include "bsvr.h"

#define DEF_THREADS 3
#define REQMAX (BS_REQBUFSZ + 512)
#define REPMAX 65536
#define TICK_MS 500



static void
fail(const char *what, errstat err)
{
	printf("bullet: %s (%s)\n", what, err_why(err));
	exit(1);
}

static const char *node;	/* this node's name for kdir_lookup */

static void
open_disk(const char *name)
{
	uint8_t blk[BS_SUPERSIZE];
	uint64_t bytes;
	errstat err;
	int why;

	if (name != NULL) {
		snprintf(bs.diskname, sizeof(bs.diskname), "%s", name);
		err = kdir_lookup(node, name, &bs.vdisk);
		if (err == STD_OK)
			err = bs_vdisk_read(&bs.vdisk, 0, 1, blk);
	} else {
		err = bs_find_disk(node, &bs.vdisk, bs.diskname,
				   sizeof(bs.diskname), blk);
	}
	if (err != STD_OK)
		fail(name ? "cannot read the disk" : "no Bullet disk found", err);
	if ((err = bs_vdisk_size(&bs.vdisk, &bytes)) != STD_OK)
		fail("cannot size the disk", err);
	why = bs_super_get(blk, bytes, &bs.sb);
	if (why != BS_SB_OK) {
		printf("bullet: %s: %s: disk refused\n", bs.diskname,
		       bs_super_why(why));
		exit(1);
	}
	bs.blksize = 1u << bs.sb.s_blksize;
	bs.getport = bs.sb.s_supercap.cap_port;
	priv2pub(&bs.getport, &bs.putport);
}

/* Read and check the inode table; the files it holds become live. */
static void
load_inodes(void)
{
	errstat err = bs_load_table();
	int bad = (int)bs.stats[6];

	if (err != STD_OK)
		fail("cannot load the inode table", err);
	printf("bullet: %s: %u files, %d inodes cleared, %u of %u blocks "
	       "free\n", bs.diskname, (unsigned)bs.nfiles, bad,
	       (unsigned)bs.map.nfree, (unsigned)bs.sb.s_numblocks);
	bs.stats[6] = 0;
}

static void
server_thread(char *param, int psize)
{
	char *req = malloc(REQMAX), *rep = malloc(REPMAX);
	header h;

	(void)param, (void)psize;
	if (req == NULL || rep == NULL)
		fail("no memory for a server thread", STD_NOMEM);
	for (;;) {
		int32 n;
		uint32_t r;

		memset(&h, 0, sizeof(h));
		h.h_port = bs.getport;
		n = rpc_getreq(&h, req, REQMAX);
		if (n < 0)
			continue;
		r = bs_handle(&h, req, n, rep, REPMAX);
		rpc_putrep(&h, rep, (f_size_t)r);
	}
}

/*
 * The default-server thread: STD_INFO on the well-known port gets
 * "bullet server" and the super-capability without BS_RGT_ADMIN.
 */
static void
public_thread(char *param, int psize)
{
	static const char text[] = "bullet server";
	port get;
	header h;

	(void)param, (void)psize;
	bullet_public_getport(&get);
	for (;;) {
		int32 n;

		memset(&h, 0, sizeof(h));
		h.h_port = get;
		n = rpc_getreq(&h, NULL, 0);
		if (n < 0)
			continue;
		if (h.h_command != STD_INFO) {
			h.h_status = (command)STD_COMBAD;
			rpc_putrep(&h, NULL, 0);
			continue;
		}
		h.h_port = bs.putport;
		prv_encode(&h.h_priv, 0, BULLET_PUBLIC_RIGHTS,
			   &bs.sb.s_supercap.cap_priv.prv_random);
		h.h_status = STD_OK;
		h.h_size = (bufsize)(sizeof(text) - 1);
		rpc_putrep(&h, (bufptr)text, (f_size_t)h.h_size);
	}
}

static void __attribute__((noreturn))
sweeper(void)
{
	unsigned long last = sys_milli();

	for (;;) {
		uint32_t tick;

		mu_lock(&bs.lock);
		tick = bs.sweep_ms < TICK_MS ? bs.sweep_ms : TICK_MS;
		if (bs_flush_all() != STD_OK)
			printf("bullet: %s: write-back failed\n", bs.diskname);
		if (sys_milli() - last >= bs.sweep_ms) {
			last = sys_milli();
			bs_sweep();
		}
		mu_unlock(&bs.lock);
		sys_sleep((interval)tick);
	}
}

/*
 * The default cache: the node's free memory less BS_MEM_RESERVE, as in
 * Amoeba, but leaving at least a quarter of it to the node's other
 * processes (a VX file server rarely has the machine to itself).
 */
static uint64_t
default_cache(void)
{
	struct vx_stats st;
	uint64_t freeb, keep;

	if (sys_stats(&st) != STD_OK)
		return BS_MIN_MEMORY;
	freeb = (uint64_t)st.free_pages * 4096;
	keep = freeb / 4 > BS_MEM_RESERVE ? freeb / 4 : BS_MEM_RESERVE;
	return freeb > keep + BS_MIN_MEMORY ? freeb - keep : BS_MIN_MEMORY;
}

static void
usage(void)
{
	printf("usage: bullet [-n node] [-t threads] [-c cachebytes] "
	       "[vdisk:NAME]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int nthreads = DEF_THREADS, i = 1;
	const char *name = NULL;

	bs.cache_max = 0;
	bs.sweep_ms = BS_SWEEP_TIME;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] != 0; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "-t") == 0)
			nthreads = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "-n") == 0)
			node = argv[i + 1];
		else if (strcmp(argv[i], "-c") == 0)
			bs.cache_max = strtoul(argv[i + 1], NULL, 0);
		else
			usage();
	}
	if (i < argc && strcmp(argv[i], "-") != 0)
		name = argv[i++];
	if (i != argc || nthreads < 1 || nthreads > 16 ||
	    (bs.cache_max != 0 && bs.cache_max < 4096))
		usage();
	if (bs.cache_max == 0)
		bs.cache_max = default_cache();
	mu_init(&bs.lock);
	open_disk(name);
	load_inodes();
	for (int t = 0; t < nthreads; t++)
		if (thread_newthread(server_thread, 16384, NULL, 0) < 0)
			fail("cannot start a server thread", STD_NOSPACE);
	if (thread_newthread(public_thread, 8192, NULL, 0) < 0)
		fail("cannot start the default-server thread", STD_NOSPACE);
	printf("bullet: %s: serving with %d threads, cache %llu KiB\n",
	       bs.diskname, nthreads, (unsigned long long)(bs.cache_max >> 10));
	fflush(stdout);
	sweeper();
}
