/*
 * test_powercut.c - files under power cuts (tests/servers/t_powercut.py)
 * and the file system a node gets at boot (tests/servers/t_fsboot.py).
 * The kernel starts the Bullet and SOAP servers; this program only uses
 * ROOT from its capability environment.
 *
 *   test_powercut env NODE [SOAPNAME]   ROOT and WORK are in the capability
 *                              environment, VX_NODE is NODE, /bin/hello
 *                              is readable by path; on a node with the
 *                              disk, BS_SAFETY, BS_SYNC and directory
 *                              updates flush the disk's write cache;
 *                              SOAPNAME: a second directory server
 *                              (soap -s SOAPNAME) is reached by name
 *   test_powercut run SEED [CAP SIZE HASH]   print the state of /pc
 *                              ("state NAME SIZE HASH"), BS_FSCK's count
 *                              ("fsck N") and whether file CAP (committed
 *                              before the last cut, not yet named) holds
 *                              SIZE bytes hashing to HASH ("capcheck ok"
 *                              or "capcheck lost"); then change files in
 *                              /pc until the power is cut, printing each
 *                              step ("begin ...") before it and each
 *                              acknowledgement ("commit CAP SIZE HASH",
 *                              "ack add|set|del NAME [HASH]") after it
 *   test_powercut check [CAP SIZE HASH]   the state only, then exit
 *
 * Files are committed with BS_SAFETY; names change with sp_append,
 * sp_replace (modify, rename onto an existing name) and sp_delete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <capset.h>
#include <stderr.h>
#include <stdcom.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <server/bullet/bs_find.h>
#include <server/bullet/bullet.h>
#include <server/soap/soap.h>
#include <server/soap/soapsvr.h>

#include "check.h"

#define NNAMES 12
#define MAXSIZE 6000
#define DIR "/pc"

struct pfile {
	int present;
	capability cap;
	char data[MAXSIZE];
	int size;
};

static struct pfile tab[NNAMES];
static capability super;
static uint32_t rng;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static uint32_t
fnv(const char *p, int n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ (uint8_t)*p++) * 16777619u;
	return h;
}

static void
put_hex(char *out, const capability *c)
{
	const uint8_t *b = (const uint8_t *)c;

	for (size_t i = 0; i < sizeof(*c); i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static int
get_hex(const char *s, capability *c)
{
	uint8_t *b = (uint8_t *)c;

	if (strlen(s) != 2 * sizeof(*c))
		return -1;
	for (size_t i = 0; i < sizeof(*c); i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		b[i] = (uint8_t)v;
	}
	return 0;
}

static void
path_of(char *buf, int i)
{
	sprintf(buf, DIR "/f%d", i);
}

/* Read file cap whole into f; 0 on success. */
static int
load(const capability *cap, struct pfile *f)
{
	b_fsize size, got;
	capability c = *cap;

	if (b_size(&c, &size) != STD_OK || size > MAXSIZE)
		return -1;
	if (b_read(&c, 0, f->data, size, &got) != STD_OK || got != size)
		return -1;
	f->size = (int)size;
	f->cap = *cap;
	return 0;
}

/* The state of /pc: every name, its size and hash. */
static void
print_state(void)
{
	char path[32];
	capset cs;

	for (int i = 0; i < NNAMES; i++) {
		capability c;

		path_of(path, i);
		tab[i].present = 0;
		if (sp_lookup(SP_DEFAULT, path, &cs) != STD_OK)
			continue;
		if (cs_to_cap(&cs, &c) == STD_OK && load(&c, &tab[i]) == 0) {
			tab[i].present = 1;
			printf("state f%d %d %08lx\n", i, tab[i].size,
			       (unsigned long)fnv(tab[i].data, tab[i].size));
		} else {
			printf("state f%d unreadable\n", i);
		}
		cs_free(&cs);
	}
}

/* BS_FSCK with the super-capability: the number of problems found. */
static int32
fsck(void)
{
	header h;
	int32 r;

	memset(&h, 0, sizeof(h));
	h.h_port = super.cap_port;
	h.h_priv = super.cap_priv;
	h.h_command = BS_FSCK;
	r = rpc_trans(&h, NULL, 0, &h, NULL, 0);
	if (r < 0 || h.h_status != STD_OK)
		return -1;
	return h.h_offset;
}

/* The file committed before the cut but not yet named. */
static void
cap_check(char **argv)
{
	static struct pfile f;
	capability c;
	int ok;

	ok = get_hex(argv[0], &c) == 0 && load(&c, &f) == 0 &&
	     f.size == atoi(argv[1]) &&
	     fnv(f.data, f.size) == strtoul(argv[2], NULL, 16);
	printf("capcheck %s\n", ok ? "ok" : "lost");
}

/* ---- the workload -------------------------------------------------------- */

static int
commit(struct pfile *f, const capability *from, capability *out)
{
	char hex[40];
	errstat err;

	if (from != NULL)
		err = b_modify((capability *)from, 0, f->data, f->size,
			       BS_COMMIT | BS_SAFETY, out);
	else
		err = b_create(&super, f->data, f->size, BS_COMMIT | BS_SAFETY,
			       out);
	if (err != STD_OK)
		return -1;
	put_hex(hex, out);
	printf("commit %s %d %08lx\n", hex, f->size,
	       (unsigned long)fnv(f->data, f->size));
	return 0;
}

static void
fill(struct pfile *f, int keep)
{
	int n = 100 + (int)(rnd() % (MAXSIZE - 100));

	if (!keep)
		f->size = n;
	for (int i = keep ? (int)(rnd() % (uint32_t)f->size) : 0;
	     i < f->size && i < (keep ? n : f->size); i++)
		f->data[i] = (char)rnd();
}

static int
name_op(const char *op, int i, capability *cap)
{
	char path[32];
	capset cs;
	errstat err;

	static rights_bits m[3] = { 0xFF, 0xFF, 0xFF };

	path_of(path, i);
	if (cap != NULL && !cs_singleton(&cs, cap))
		return -1;
	if (strcmp(op, "add") == 0)
		err = sp_append(SP_DEFAULT, path, &cs, 3, m);
	else if (strcmp(op, "set") == 0)
		err = sp_replace(SP_DEFAULT, path, &cs);
	else
		err = sp_delete(SP_DEFAULT, path);
	if (cap != NULL)
		cs_free(&cs);
	if (err != STD_OK)
		return -1;
	if (cap != NULL)
		printf("ack %s f%d %08lx\n", op, i,
		       (unsigned long)fnv(tab[i].data, tab[i].size));
	else
		printf("ack %s f%d\n", op, i);
	return 0;
}

/*
 * Destroy file c unless another name holds it too (a rename cut between
 * its sp_append and its sp_delete leaves two names on one file).
 */
static void
release(const capability *c)
{
	for (int k = 0; k < NNAMES; k++)
		if (tab[k].present &&
		    memcmp(&tab[k].cap.cap_port, &c->cap_port,
			   sizeof(port)) == 0 &&
		    prv_number(&tab[k].cap.cap_priv) == prv_number(&c->cap_priv))
			return;
	std_destroy((capability *)c);
}

static int
op_create(int i)
{
	capability c;

	fill(&tab[i], 0);
	printf("begin add f%d %08lx\n", i,
	       (unsigned long)fnv(tab[i].data, tab[i].size));
	if (commit(&tab[i], NULL, &c) != 0 || name_op("add", i, &c) != 0)
		return -1;
	tab[i].cap = c;
	tab[i].present = 1;
	return 0;
}

static int
op_modify(int i)
{
	capability old = tab[i].cap, c;

	fill(&tab[i], 1);
	printf("begin set f%d %08lx\n", i,
	       (unsigned long)fnv(tab[i].data, tab[i].size));
	if (commit(&tab[i], &old, &c) != 0 || name_op("set", i, &c) != 0)
		return -1;
	tab[i].cap = c;
	release(&old);
	return 0;
}

static int
op_rename(int i, int j)
{
	int had = tab[j].present;
	capability old = tab[j].cap;

	memcpy(tab[j].data, tab[i].data, (size_t)tab[i].size);
	tab[j].size = tab[i].size;
	printf("begin %s f%d %08lx\n", had ? "set" : "add", j,
	       (unsigned long)fnv(tab[j].data, tab[j].size));
	if (name_op(had ? "set" : "add", j, &tab[i].cap) != 0)
		return -1;
	tab[j].cap = tab[i].cap;
	tab[j].present = 1;
	printf("begin del f%d\n", i);
	if (name_op("del", i, NULL) != 0)
		return -1;
	tab[i].present = 0;
	if (had)
		release(&old);
	return 0;
}

static int
op_delete(int i)
{
	printf("begin del f%d\n", i);
	if (name_op("del", i, NULL) != 0)
		return -1;
	tab[i].present = 0;
	release(&tab[i].cap);
	return 0;
}

static int
step(void)
{
	int i = (int)(rnd() % NNAMES), j = (int)(rnd() % NNAMES);
	uint32_t what = rnd() % 10;

	if (!tab[i].present)
		return op_create(i);
	if (what < 4)
		return op_modify(i);
	if (what < 7 && i != j)
		return op_rename(i, j);
	if (what < 9)
		return op_delete(i);
	return 0;
}

static int
workload(void)
{
	printf("# workload\n");
	fflush(stdout);
	for (long n = 0;; n++) {
		if (step() != 0) {
			printf("# workload failed at step %ld\n", n);
			return 1;
		}
		fflush(stdout);
	}
}

/* ---- the boot environment ------------------------------------------------- */

/* Write-cache flushes of this node's disk hd0 so far, or -1. */
static long
flushes(void)
{
	char buf[128], *p;
	capability disk;
	int len;

	if (kdir_lookup(NULL, "vdisk:hd0", &disk) != STD_OK ||
	    std_status(&disk, buf, sizeof(buf), &len) != STD_OK ||
	    (p = strstr(buf, "flushes ")) == NULL)
		return -1;
	return atol(p + 8);
}

/* BS_SAFETY, BS_SYNC and a directory update each flush the disk. */
static void
test_flush(void)
{
	static char data[3000];
	static rights_bits m[3] = { 0xFF, 0xFF, 0xFF };
	capability f;
	capset cs;
	long n0 = flushes(), n1 = -1, n2 = -1, n3 = -1;

	CHECK(n0 >= 0, "vdisk STD_STATUS counts flushes");
	CHECK(b_create(&super, data, sizeof(data), BS_COMMIT | BS_SAFETY,
		       &f) == STD_OK && (n1 = flushes()) >= n0 + 2,
	      "a BS_SAFETY commit flushes the write cache (data, inode)");
	CHECK(b_sync(&super) == STD_OK && (n2 = flushes()) > n1,
	      "b_sync flushes the write cache");
	CHECK(cs_singleton(&cs, &f) &&
	      sp_append(SP_DEFAULT, "/tmp/flushed", &cs, 3, m) == STD_OK &&
	      (n3 = flushes()) >= n2 + 2,
	      "a SOAP directory update flushes (commit point, table)");
	sp_delete(SP_DEFAULT, "/tmp/flushed");
}

/* A second directory server, reached by its name alone. */
static void
test_second(const char *name)
{
	capset root, cs;

	CHECK(sp_publiccap(name, &root) == STD_OK &&
	      sp_lookup(&root, "bin/hello", &cs) == STD_OK,
	      "a second directory server found by its name (sp_publiccap)");
}

static int
test_env(const char *node, const char *second)
{
	const char *v = getenv("VX_NODE");
	capset cs;
	capability c;
	b_fsize size = 0;

	CHECK(getcap("ROOT") != NULL, "ROOT in the capability environment");
	CHECK(getcap("WORK") != NULL, "WORK in the capability environment");
	CHECK(v != NULL && strcmp(v, node) == 0, "VX_NODE names the node");
	CHECK(sp_lookup(SP_DEFAULT, "/bin/hello", &cs) == STD_OK &&
	      cs_to_cap(&cs, &c) == STD_OK && b_size(&c, &size) == STD_OK &&
	      size > 0, "/bin/hello found from ROOT and readable");
	if (bullet_local_supercap(NULL, &super) == STD_OK)
		test_flush();
	if (second != NULL)
		test_second(second);
	return TEST_DONE();
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "check";
	capset cs;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* each line out before the next step */
	if (strcmp(mode, "env") == 0 && argc > 2)
		return test_env(argv[2], argc > 3 ? argv[3] : NULL);
	rng = argc > 2 && strcmp(mode, "run") == 0 ?
	      (uint32_t)strtoul(argv[2], NULL, 0) | 1 : 1;
	if (bullet_local_supercap(NULL, &super) != STD_OK) {
		printf("# no Bullet file system on this node\n");
		return 1;
	}
	if (sp_lookup(SP_DEFAULT, DIR, &cs) != STD_OK &&
	    sp_mkdir(SP_DEFAULT, DIR, NULL) != STD_OK) {
		printf("# cannot make " DIR "\n");
		return 1;
	}
	print_state();
	printf("fsck %ld\n", (long)fsck());
	int a = strcmp(mode, "run") == 0 ? 3 : 2;
	if (argc >= a + 3)
		cap_check(argv + a);
	printf("# state done\n");
	fflush(stdout);
	if (strcmp(mode, "run") == 0)
		return workload();
	return 0;
}
