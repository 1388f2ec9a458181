/*
 * fsboot.c - the file system at boot, without configuration.  Part of
 * the top of the kernel with main.c and monitor.c (it calls down into
 * the block devices, the boot image and the RPC glue; nothing calls up
 * into it but those two).
 *
 *   fsboot_start   if a block device holds a Bullet superblock (its magic
 *                  number in block 0), start `bullet` and `soap` from the
 *                  boot image (they find their own partitions); then ask
 *                  the directory server of the network (the public port
 *                  of SOAP server "soap", FLIP locate, any node) for its
 *                  root, within a bounded time, and say in the log what
 *                  was found
 *                  and enter this node as /hosts/NODE there
 *   fsboot_user    the first user process: the boot server /bin/boot
 *                  read from the file server (its PD by BS_READ, its
 *                  text and data fetched by the process server), with
 *                  ROOT, WORK and the console (STDIN, STDOUT, STDERR,
 *                  TTY) in its capv; "boot" from the boot image only
 *                  when that fails.  Returns (for the monitor) when no
 *                  file system was found, nothing could start, or the
 *                  boot server ended, each with a log line
 *   fsboot_capenv  ROOT and WORK (that root) for the capability
 *                  environment of a process the kernel starts, when a
 *                  directory server answered
 *
 * `nofs` on the command line skips both (tests that start their own
 * servers); `soap=NAME` starts the directory server as `soap -s NAME`
 * (a second disk node's own directory server, reached by that name;
 * ROOT stays the network's default server "soap"); `soaprep=N` starts it
 * as `soap -r N`, one of N replicas of the default server on N disk
 * nodes (userland/servers/soap/rep.c); `bootconf=PATH` and
 * `install=CAP` are passed on to the boot server (-f, -i); `fswait=MS`
 * sets how long a node without a file-system disk looks for another
 * node's directory server (a diskless node booting with its server).  Runs on the
 * boot thread before init= and the monitor.
 */
#include <string.h>

#include "drivers/disk/blkdev.h"
#include "drivers/net/nic.h"
#include "kernel/arch/arch.h"
#include "kernel/bootimg.h"
#include "kernel/cmdline.h"
#include "kernel/fsboot.h"
#include "kernel/klib.h"
#include "kernel/net/knet.h"
#include "kernel/proc.h"
#include "kernel/svr/ksvr.h"
#include "kernel/thread.h"
#include <amoeba/pd.h>
#include <module/buffers.h>
#include <module/header.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <server/bullet/bs_disk.h>
#include <server/bullet/bullet.h>
#include <server/soap/soap.h>
#include <server/soap/soapsvr.h>
#include <stderr.h>

#define FS_WAIT_LOCAL	30000	/* ms for our own servers to come up */
#define FS_WAIT_REMOTE	1500	/* ms to find another node's server */
#define FS_TRY_MS	500	/* locate budget of one attempt */
#define BOOT_PATH	"bin/boot"	/* the boot server, from the root */
#define BOOT_PDREAD	4096	/* bytes read for its process descriptor */

static capability root;		/* the root directory, when have_root */
static int have_root;

static void fsboot_register(void);

/* Is block 0 of bd a Bullet superblock (by its magic number)? */
static int
bullet_disk(struct blkdev *bd)
{
	static uint8_t blk[BLK_SECTOR];
	uint32_t magic;

	if (blkdev_read(bd, 0, 1, blk) != STD_OK)
		return 0;
	magic = (uint32_t)blk[0] << 24 | (uint32_t)blk[1] << 16 |
		(uint32_t)blk[2] << 8 | blk[3];
	return magic == BS_MAGIC;
}

/* The first block device holding a Bullet file system, or NULL. */
static struct blkdev *
find_bullet_disk(void)
{
	for (int i = 0; i < BLKDEV_MAX; i++) {
		struct blkdev *bd = blkdev_get(i);

		if (bd != NULL && bullet_disk(bd))
			return bd;
	}
	return NULL;
}

/* Start program name (with arguments a1, a2 or NULLs) in the background. */
static int
start_server(const char *name, const char *a1, const char *a2)
{
	const char *argv[] = { name, a1, a2, NULL };
	struct cap_env caps[TTYSVR_NCAPENV];
	struct proc *p;
	errstat err;

	p = bootimg_start(argv, caps, ttysvr_capenv(caps), &err);
	if (p == NULL) {
		kprintf("vx: fs: cannot start %s (%d)\n", name, err);
		return 0;
	}
	proc_detach(p);
	return 1;
}

/*
 * One SP_LOOKUP of path in the directory h addresses (h_port and h_priv
 * set); the first capability of the entry, which must be the whole path.
 */
static errstat
sp_lookup_k(header *h, const char *path, capability *cap)
{
	char in[128], out[256], *p, *e, *rest;
	int16 initial, final;
	int32_t n;

	h->h_command = SP_LOOKUP;
	p = buf_put_string(in, in + sizeof(in), path);
	if (p == NULL)
		return STD_ARGBAD;
	h->h_size = (bufsize)(p - in);
	n = ktrans(h, in, (uint32_t)(p - in), h, out, sizeof(out));
	if (n < 0)
		return n;
	if (ERR_STATUS(h->h_status))
		return ERR_CONVERT(h->h_status);
	e = out + n;
	p = buf_get_string(out, e, &rest);
	p = buf_get_int16(p, e, &initial);
	p = buf_get_int16(p, e, &final);
	p = buf_get_cap(p, e, cap);
	return p == NULL || final < 1 || rest[0] != 0 ? STD_SYSERR : STD_OK;
}

/* The root: SP_PUBROOT in the public directory of server "soap". */
static errstat
lookup_root(capability *cap)
{
	header h;
	port get;

	sp_publicport(SP_DEFSERVER, &get);
	memset(&h, 0, sizeof(h));
	priv2pub(&get, &h.h_port);
	prv_encode(&h.h_priv, SP_PUBOBJ, PRV_ALL_RIGHTS, &h.h_port);
	return sp_lookup_k(&h, SP_PUBROOT, cap);
}

/* Ask for the root until it answers or wait_ms have passed. */
static errstat
wait_root(uint32_t wait_ms, uint32_t *took)
{
	uint64_t t0 = (arch_clock_us() / 1000);
	interval old = ktimeout(FS_TRY_MS);
	errstat err;

	do {
		err = lookup_root(&root);
		if (err == STD_OK)
			break;
		if (err != RPC_NOTFOUND)	/* answered, but not yet */
			thread_msleep(100);
	} while ((arch_clock_us() / 1000) - t0 < wait_ms);
	ktimeout(old);
	*took = (uint32_t)((arch_clock_us() / 1000) - t0);
	return err;
}

/* Is cap's port null (no object)? */
static int
cap_null(const capability *cap)
{
	static const port zero;

	return memcmp(&cap->cap_port, &zero, sizeof(zero)) == 0;
}

/*
 * Start the executable file prog (a Bullet file: PD, text, data) as a
 * process: its PD is read with BS_READ, the segments that load from the
 * file (null capability, non-zero offset) are pointed at prog, and
 * proc_exec reads them through the process server's fetcher.
 */
static struct proc *
file_exec(const capability *prog, const char *const *argv,
	  const struct cap_env *caps, int ncaps, errstat *err)
{
	static uint8_t pdbuf[BOOT_PDREAD];
	static char node[48];
	static const char *envp[] = { "HOME=/", "PATH=/bin", node, NULL };
	struct pd_info pd;
	header h;
	int32_t n;
	int size;

	ksnprintf(node, sizeof(node), "VX_NODE=%s", cmdline_node());
	hdr_init(&h, prog, BS_READ);
	h.h_size = sizeof(pdbuf);
	n = ktrans(&h, NULL, 0, &h, pdbuf, sizeof(pdbuf));
	if (n >= 0 && ERR_STATUS(h.h_status))
		n = ERR_CONVERT(h.h_status);
	size = n < 0 ? n : pd_get(pdbuf, (size_t)n, &pd);
	if (size < 0) {
		*err = size;
		return NULL;
	}
	for (int i = 0; i < pd.nseg; i++)
		if (cap_null(&pd.seg[i].sd_cap) && pd.seg[i].sd_offset != 0)
			pd.seg[i].sd_cap = *prog;
	size = pd_put(&pd, pdbuf, sizeof(pdbuf));
	if (size < 0) {
		*err = STD_ARGBAD;
		return NULL;
	}
	return proc_exec(pdbuf, (size_t)size, argv[0], argv, envp, caps,
			 ncaps, PRIO_NORM, err);
}

/* argv of the boot server: boot [-f CONF] [-i LIST]. */
static void
boot_argv(const char **argv)
{
	const char *conf = cmdline_get("bootconf");
	const char *inst = cmdline_get("install");
	int n = 0;

	argv[n++] = "boot";
	if (conf != NULL && conf[0] != 0) {
		argv[n++] = "-f";
		argv[n++] = conf;
	}
	if (inst != NULL && inst[0] != 0) {
		argv[n++] = "-i";
		argv[n++] = inst;
	}
	argv[n] = NULL;
}

static int
hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* 32 hex digits at s (a capability's bytes in order) into *cap. */
static int
hex_cap(const char *s, capability *cap)
{
	uint8_t *b = (uint8_t *)cap;

	for (int i = 0; i < 16; i++) {
		int hi = hexdigit(s[2 * i]), lo = hi < 0 ? -1 :
			 hexdigit(s[2 * i + 1]);

		if (lo < 0)
			return -1;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/*
 * A boot server about to be installed: the line "boot CAP" of the
 * install list that `install=CAP` names (boot/rundisk.sh), so a newly
 * built boot server runs on the boot that installs it.  STD_NOTFOUND
 * when there is none.
 */
static errstat
installed_boot(capability *prog)
{
	static char list[BOOT_PDREAD + 1];
	const char *opt = cmdline_get("install");
	capability lcap;
	header h;
	int32_t n;

	if (opt == NULL || strlen(opt) != 32 || hex_cap(opt, &lcap) < 0)
		return STD_NOTFOUND;
	hdr_init(&h, &lcap, BS_READ);
	h.h_size = BOOT_PDREAD;
	n = ktrans(&h, NULL, 0, &h, list, BOOT_PDREAD);
	if (n < 0 || ERR_STATUS(h.h_status))
		return STD_NOTFOUND;
	list[n] = 0;
	for (char *p = list; p != NULL; p = strchr(p, '\n')) {
		p += *p == '\n';
		if (strncmp(p, "boot ", 5) == 0 && strlen(p) >= 37 &&
		    hex_cap(p + 5, prog) == 0) {
			kprintf("vx: boot: the boot server of the install "
				"list\n");
			return STD_OK;
		}
	}
	return STD_NOTFOUND;
}

/* Start the boot server: /bin/boot from the file server, else "boot"
 * from the boot image; NULL (logged) when neither starts. */
static struct proc *
start_boot(const struct cap_env *caps, int ncaps)
{
	const char *argv[6];
	capability prog;
	struct proc *p = NULL;
	header h;
	errstat err;

	boot_argv(argv);
	hdr_init(&h, &root, SP_LOOKUP);
	err = installed_boot(&prog);
	if (err != STD_OK)
		err = sp_lookup_k(&h, BOOT_PATH, &prog);
	if (err == STD_OK)
		p = file_exec(&prog, argv, caps, ncaps, &err);
	if (p != NULL) {
		kprintf("vx: boot: /%s started from the file server\n",
			BOOT_PATH);
		return p;
	}
	kprintf("vx: boot: cannot start /%s from the file server (%d)\n",
		BOOT_PATH, err);
	p = bootimg_start(argv, caps, ncaps, &err);
	if (p == NULL) {
		kprintf("vx: boot: no boot server in the boot image either "
			"(%d): the kernel monitor\n", err);
		return NULL;
	}
	kprintf("vx: boot: boot server started from the boot image\n");
	return p;
}

void
fsboot_user(void)
{
	struct cap_env caps[FSBOOT_NCAPENV + TTYSVR_NCAPENV];
	struct proc_exit ex;
	struct proc *p;
	int n;

	if (!have_root) {
		kprintf("vx: boot: no file system reachable: the kernel "
			"monitor\n");
		return;
	}
	n = fsboot_capenv(caps);
	n += ttysvr_capenv(caps + n);
	p = start_boot(caps, n);
	if (p == NULL)
		return;
	proc_wait(p, &ex);
	kprintf("vx: boot: the boot server ended (%s %d): the kernel "
		"monitor\n", ex.how == PROC_EXITED ? "exit" :
		ex.how == PROC_FAULTED ? "fault" : "killed",
		ex.how == PROC_FAULTED ? ex.trapno : ex.status);
}

void
fsboot_start(void)
{
	const char *soap = cmdline_get("soap");
	const char *rep = cmdline_get("soaprep");
	const char *a1 = NULL, *a2 = NULL;
	struct blkdev *bd;
	uint32_t wait = (uint32_t)cmdline_int("fswait", FS_WAIT_REMOTE), took;
	errstat err;

	if (cmdline_get("nofs") != NULL) {
		kprintf("vx: fs: not started (nofs)\n");
		return;
	}
	if (soap != NULL && (soap[0] == 0 || strcmp(soap, SP_DEFSERVER) == 0))
		soap = NULL;
	bd = find_bullet_disk();
	if (bd != NULL) {
		kprintf("vx: fs: Bullet file system on %s: starting bullet "
			"and soap\n", bd->name);
		if (rep != NULL && rep[0] != 0) {
			a1 = "-r";		/* a replica of the default */
			a2 = rep;
			soap = NULL;
		} else if (soap != NULL) {
			a1 = "-s";
			a2 = soap;
		}
		if (start_server("bullet", NULL, NULL) &&
		    start_server("soap", a1, a2) && !soap)
			wait = FS_WAIT_LOCAL;	/* the default one is ours */
	} else if (nic_count() == 0) {
		kprintf("vx: fs: no file-system disk and no network: programs "
			"start without ROOT and WORK\n");
		return;
	}
	err = wait_root(wait, &took);
	if (err != STD_OK) {
		kprintf("vx: fs: no directory server answered in %u ms (%d); "
			"programs start without ROOT and WORK\n", took, err);
		return;
	}
	have_root = 1;
	kprintf("vx: fs: ROOT and WORK from directory server \"%s\" "
		"(%u ms)\n", SP_DEFSERVER, took);
	fsboot_register();
}

int
fsboot_capenv(struct cap_env *caps)
{
	if (!have_root)
		return 0;
	caps[0].name = "ROOT";
	caps[0].cap = root;
	caps[1].name = "WORK";
	caps[1].cap = root;
	return FSBOOT_NCAPENV;
}

/*
 * One directory request to dir; its status.  *out (when not NULL) gets
 * the first capability of a lookup's reply, or the reply header's
 * capability when hdrcap (SP_CREATE).
 */
static errstat
dir_op(const capability *dir, command cmd, const char *in, uint32_t n,
       capability *out, int hdrcap)
{
	char rep[256], *p, *e, *rest;
	int16 initial, final;
	header h;
	int32_t r;

	memset(&h, 0, sizeof(h));
	h.h_port = dir->cap_port;
	h.h_priv = dir->cap_priv;
	h.h_command = cmd;
	h.h_size = (bufsize)n;
	r = ktrans(&h, in, n, &h, rep, sizeof(rep));
	if (r < 0)
		return r;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	if (out == NULL)
		return STD_OK;
	if (hdrcap) {
		out->cap_port = h.h_port;
		out->cap_priv = h.h_priv;
		return STD_OK;
	}
	e = rep + r;
	p = buf_get_string(rep, e, &rest);
	p = buf_get_int16(p, e, &initial);
	p = buf_get_int16(p, e, &final);
	p = buf_get_cap(p, e, out);
	return p == NULL || final < 1 || rest[0] != 0 ? STD_SYSERR : STD_OK;
}

/* Enter cap as name in dir, all rights in every column (or replace). */
static errstat
dir_enter(const capability *dir, const char *name, const capability *cap)
{
	char in[128], *p, *e = in + sizeof(in), *masks;
	errstat err;

	p = buf_put_string(in, e, name);
	p = buf_put_int16(p, e, 1);
	p = buf_put_int16(p, e, 1);
	p = buf_put_cap(p, e, cap);
	p = buf_put_int16(p, e, 1);
	masks = p;
	for (int i = 0; i < 3; i++)
		p = buf_put_right_bits(p, e, 0xFF);
	if (p == NULL)
		return STD_ARGBAD;
	err = dir_op(dir, SP_APPEND, in, (uint32_t)(p - in), NULL, 0);
	if (err == STD_EXISTS)	/* an older boot's entry */
		err = dir_op(dir, SP_REPLACE, in, (uint32_t)(masks - in),
			     NULL, 0);
	return err;
}

/* /hosts, made (columns owner, group, other) when the image has none. */
static errstat
hosts_dir(capability *hosts)
{
	char in[64], *p, *e = in + sizeof(in);
	errstat err;

	p = buf_put_string(in, e, "hosts");
	err = dir_op(&root, SP_LOOKUP, in, (uint32_t)(p - in), hosts, 0);
	if (err != STD_NOTFOUND)
		return err;
	p = buf_put_string(in, e, "owner");
	p = buf_put_string(p, e, "group");
	p = buf_put_string(p, e, "other");
	err = dir_op(&root, SP_CREATE, in, (uint32_t)(p - in), hosts, 1);
	if (err == STD_OK)
		err = dir_enter(&root, "hosts", hosts);
	return err;
}

/*
 * fsboot_register: enter this node's kernel directory as /hosts/NODE in
 * the directory server (replacing an older entry; /hosts is made when
 * missing), so that the set of nodes is a listing of /hosts
 * (module/run.h).  Bounded: a few seconds.
 */
static void
fsboot_register(void)
{
	const char *node = cmdline_node();
	capability hosts, kd;
	interval old = ktimeout(2000);
	errstat err;

	kdir_cap(node, &kd);
	err = hosts_dir(&hosts);
	if (err == STD_OK)
		err = dir_enter(&hosts, node, &kd);
	ktimeout(old);
	if (err != STD_OK)
		kprintf("vx: fs: cannot enter /hosts/%s (%d)\n", node, err);
	else
		kprintf("vx: fs: registered as /hosts/%s\n", node);
}
