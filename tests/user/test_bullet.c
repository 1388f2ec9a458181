/*
 * test_bullet.c - the Bullet file server (userland/servers/bullet) on a
 * disk attached to the node, run by tests/servers/t_bullet.py:
 *
 *   test_bullet main [CAP ...]  every command and error case; leaves two
 *                             files and prints "# keep CAP SIZE SEED" for
 *                             each; the files CAP (made on the host) are
 *                             there and kept alive through STD_AGE
 *   test_bullet reboot CAP SIZE SEED ...   those files are intact
 *   test_bullet gone CAP ...  those files were cleared by the boot check
 *   test_bullet refuse        the server refuses the disk and ends
 *   test_bullet remote        no server here: the basic, change, rights
 *                             and argument tests against the default
 *                             Bullet server found on another node
 *   test_bullet bench         "bench: NAME VALUE UNIT" lines for make
 *                             bench (tests/servers/bench_bullet.py)
 *
 * The server program is built into this one (the boot image cannot be
 * reached from user space) and started with PS_EXEC: its executable is
 * copied into a segment that the process descriptor's segments name.
 * Started that way it gets no arguments and finds the Bullet disk itself,
 * as it does at boot; this program finds the super-capability the same
 * way (bullet_local_supercap).  ok/not ok lines, then "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <stdcom.h>
#include <amoeba/pd.h>
#include <module/buffers.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/bullet/bs_find.h>
#include <server/bullet/bullet.h>
#include <server/process/proc.h>

#include "check.h"

#ifndef BT_SERVER
#define BT_SERVER "build/user/bullet"
#endif
__asm__(".section .rodata\n.balign 16\n.globl bt_img\nbt_img:\n"
	".incbin \"" BT_SERVER "\"\n.globl bt_img_end\nbt_img_end:\n"
	".previous\n");
extern const uint8_t bt_img[], bt_img_end[];

#define IMG_VA 0x68000000u
#define WAIT_MS 60000

static capability super, server_proc;
static capability others[4];	/* files made elsewhere: kept alive */
static int nothers;
static char msg[200];

/* ---- starting and stopping the server ------------------------------------ */

static errstat
start_server(void)
{
	static uint8_t pdbuf[PSVR_BUFSZ];
	uint32_t len = (uint32_t)(bt_img_end - bt_img);
	struct pd_info pd;
	capability img, ps;
	header h;
	errstat err;
	long id;
	int n;
	int32 r;

	if (pd_get(bt_img, len, &pd) < 0)
		return STD_ARGBAD;
	if ((err = kdir_lookup(NULL, PROCESS_SVR_NAME, &ps)) != STD_OK)
		return err;
	id = seg_map(NULL, IMG_VA, len, VX_MAP_NEW | VX_MAP_RW);
	if (id < 0)
		return (errstat)id;
	memcpy((void *)IMG_VA, bt_img, len);
	if ((err = seg_unmap(id, &img)) != STD_OK)
		return err;
	for (int i = 0; i < pd.nseg; i++)
		if (NULLPORT(&pd.seg[i].sd_cap.cap_port) &&
		    pd.seg[i].sd_offset != 0)
			pd.seg[i].sd_cap = img;
	n = pd_put(&pd, pdbuf, sizeof(pdbuf));
	if (n < 0) {
		std_destroy(&img);
		return STD_OVERFLOW;
	}
	memset(&h, 0, sizeof(h));
	h.h_port = ps.cap_port;
	h.h_priv = ps.cap_priv;
	h.h_command = PS_EXEC;
	h.h_size = (bufsize)n;
	r = rpc_trans(&h, (bufptr)pdbuf, n, &h, NULL, 0);
	std_destroy(&img);
	if (r < 0)
		return r;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	server_proc.cap_port = h.h_port;
	server_proc.cap_priv = h.h_priv;
	return STD_OK;
}

static int
proc_alive(void)
{
	char info[80];

	return std_info(&server_proc, info, sizeof(info), NULL) == STD_OK;
}

/* Wait (bounded) until the server answers on the super-capability. */
static int
server_ready(void)
{
	unsigned long t0 = sys_milli();
	b_fsize size;

	if (bullet_local_supercap(NULL, &super) != STD_OK)
		return 0;
	while ((long)(sys_milli() - t0) < WAIT_MS) {
		if (b_size(&super, &size) == STD_COMBAD)
			return 1;
		if (!proc_alive())
			return 0;
		sys_sleep(20);
	}
	return 0;
}

static void
stop_server(void)
{
	std_destroy(&server_proc);
}

/* ---- helpers ----------------------------------------------------------------- */

static void
fill(char *buf, long n, unsigned seed)
{
	for (long i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (char)(seed >> 16);
	}
}

/* Does file hold exactly n bytes of pattern seed? */
static int
holds(capability *file, long n, unsigned seed)
{
	char *want = malloc((size_t)n + 1), *got = malloc((size_t)n + 16);
	b_fsize size = -1, nread = -1;
	int ok;

	fill(want, n, seed);
	ok = want && got && b_size(file, &size) == STD_OK && size == n &&
	     b_read(file, 0, got, n + 16, &nread) == STD_OK && nread == n &&
	     memcmp(want, got, (size_t)n) == 0;
	free(want);
	free(got);
	return ok;
}

static errstat
make_file(long n, unsigned seed, int commit, capability *file)
{
	char *buf = malloc((size_t)n + 1);
	errstat err;

	fill(buf, n, seed);
	err = b_create(&super, buf, n, commit, file);
	free(buf);
	return err;
}

/* A raw request: the server's status (h returned). */
static errstat
raw(capability *cap, command cmd, int32 offset, int size, char *req,
    int reqlen, header *h)
{
	char rep[64];
	int32 r;

	memset(h, 0, sizeof(*h));
	h->h_port = cap->cap_port;
	h->h_priv = cap->cap_priv;
	h->h_command = cmd;
	h->h_offset = offset;
	h->h_size = (bufsize)size;
	r = rpc_trans(h, req, reqlen, h, rep, sizeof(rep));
	if (r < 0)
		return r;
	return ERR_STATUS(h->h_status) ? ERR_CONVERT(h->h_status) : STD_OK;
}

static errstat
setparam(const char *name, const char *value)
{
	char body[64], *p = body, *end = body + sizeof(body);
	header h;

	p = buf_put_string(p, end, name);
	p = buf_put_string(p, end, value);
	memset(&h, 0, sizeof(h));
	h.h_port = super.cap_port;
	h.h_priv = super.cap_priv;
	h.h_command = STD_SETPARAMS;
	h.h_size = (bufsize)(p - body);
	h.h_extra = 1;
	if (rpc_trans(&h, body, (int32)(p - body), &h, NULL, 0) < 0)
		return RPC_FAILURE;
	return ERR_CONVERT(h.h_status);
}

static errstat
fsck(int32 *bad)
{
	header h;
	errstat err = raw(&super, BS_FSCK, 0, 0, NULL, 0, &h);

	*bad = h.h_offset;
	return err;
}

static void
put_hex(char *out, const capability *cap)
{
	for (int i = 0; i < CAPSIZE; i++)
		sprintf(out + 2 * i, "%02x", ((const uint8_t *)cap)[i]);
}

static int
get_hex(const char *s, capability *cap)
{
	if (strlen(s) != 2 * CAPSIZE)
		return -1;
	for (int i = 0; i < CAPSIZE; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		((uint8_t *)cap)[i] = (uint8_t)v;
	}
	return 0;
}

/* ---- the main phase --------------------------------------------------------- */

static void
test_basics(void)
{
	capability f, big, u, f2;
	char buf[200], info[64];
	b_fsize n;
	header h;

	CHECK(std_info(&super, info, sizeof(info), NULL) == STD_OK &&
	      strcmp(info, "bullet server") == 0,
	      "std_info of the super-capability: \"bullet server\"");
	CHECK(raw(&super, BS_SIZE, 0, 0, NULL, 0, &h) == STD_COMBAD,
	      "BS_SIZE on the super-capability: STD_COMBAD");
	CHECK(make_file(100, 1, BS_COMMIT, &f) == STD_OK && holds(&f, 100, 1),
	      "b_create + commit, b_size and b_read give the data back");
	CHECK(prv_number(&f.cap_priv) != 0 && f.cap_priv.prv_rights == 0xFF &&
	      PORTCMP(&f.cap_port, &super.cap_port),
	      "file capability: server port, inode >= 1, all rights");
	CHECK(std_info(&f, info, sizeof(info), NULL) == STD_OK &&
	      strcmp(info, "-   100 bytes") == 0, "std_info of a file: \"-   100 bytes\"");
	CHECK(make_file(100000, 2, BS_COMMIT, &big) == STD_OK &&
	      holds(&big, 100000, 2),
	      "100000-byte file: create and read split at BS_REQBUFSZ");
	CHECK(b_read(&big, 99990, buf, 100, &n) == STD_OK && n == 10,
	      "read past the end: short count");
	CHECK(b_read(&big, 100000, buf, 100, &n) == STD_OK && n == 0,
	      "read at the end: 0 bytes");
	CHECK(make_file(10, 3, 0, &u) == STD_OK, "create uncommitted");
	CHECK(b_size(&u, &n) == STD_CAPBAD && b_read(&u, 0, buf, 10, &n) ==
	      STD_CAPBAD, "b_size and b_read of an uncommitted file: STD_CAPBAD");
	fill(buf, 30, 3);
	CHECK(b_modify(&u, 10, buf + 10, 20, 0, &f2) == STD_OK &&
	      prv_number(&f2.cap_priv) == prv_number(&u.cap_priv),
	      "b_modify of an uncommitted file extends it in place");
	CHECK(b_modify(&u, 0, NULL, 0, BS_COMMIT, &f2) == STD_OK &&
	      holds(&f2, 30, 3), "b_modify of 0 bytes with BS_COMMIT commits");
	CHECK(raw(&f, STD_TOUCH, 0, 0, NULL, 0, &h) == STD_OK,
	      "STD_TOUCH of a file");
	std_destroy(&big);
	std_destroy(&f2);
	std_destroy(&f);
}

static void
test_default(void)
{
	capability pub, f;
	header h;

	CHECK(bullet_default_cap(&pub) == STD_OK &&
	      PORTCMP(&pub.cap_port, &super.cap_port) &&
	      prv_number(&pub.cap_priv) == 0 &&
	      pub.cap_priv.prv_rights == BULLET_PUBLIC_RIGHTS,
	      "default server's well-known port: super-capability, no admin");
	CHECK(b_create(&pub, "pub", 3, BS_COMMIT, &f) == STD_OK &&
	      std_destroy(&f) == STD_OK &&
	      raw(&pub, BS_FSCK, 0, 0, NULL, 0, &h) == STD_DENIED,
	      "its capability creates files but cannot BS_FSCK");
}

static void
test_changes(void)
{
	char a[64], want[64], got[64];
	capability f, g, same, other;
	b_fsize n;

	fill(a, 40, 9);
	CHECK(b_create(&super, a, 40, BS_COMMIT, &f) == STD_OK, "create 40 bytes");
	CHECK(b_insert(&f, 10, "XYZ", 3, BS_COMMIT, &g) == STD_OK &&
	      prv_number(&g.cap_priv) != prv_number(&f.cap_priv),
	      "b_insert into a committed file makes a new file");
	memcpy(want, a, 10);
	memcpy(want + 10, "XYZ", 3);
	memcpy(want + 13, a + 10, 30);
	CHECK(b_read(&g, 0, got, 64, &n) == STD_OK && n == 43 &&
	      memcmp(got, want, 43) == 0, "inserted bytes in the middle");
	CHECK(holds(&f, 40, 9), "the original is unchanged");
	std_destroy(&g);
	CHECK(b_delete(&f, 5, 30, BS_COMMIT, &g) == STD_OK &&
	      b_read(&g, 0, got, 64, &n) == STD_OK && n == 10 &&
	      memcmp(got, a, 5) == 0 && memcmp(got + 5, a + 35, 5) == 0,
	      "b_delete of 30 bytes at 5");
	std_destroy(&g);
	CHECK(b_modify(&f, 38, "ABCD", 4, BS_COMMIT, &g) == STD_OK &&
	      b_read(&g, 0, got, 64, &n) == STD_OK && n == 42 &&
	      memcmp(got + 38, "ABCD", 4) == 0 && memcmp(got, a, 38) == 0,
	      "b_modify overwrites and extends");
	std_destroy(&g);
	CHECK(b_create(&f, a, 40, BS_COMMIT, &same) == STD_OK &&
	      memcmp(&same, &f, sizeof(f)) == 0,
	      "compare mode: equal contents give the original capability");
	CHECK(std_restrict(&f, BS_RGT_CREATE | BS_RGT_READ, &g) == STD_OK &&
	      b_create(&g, a, 40, BS_COMMIT, &same) == STD_OK &&
	      memcmp(&same, &g, sizeof(g)) == 0,
	      "compare mode with a restricted capability returns it unchanged");
	a[0] ^= 1;
	CHECK(b_create(&f, a, 40, BS_COMMIT, &other) == STD_OK &&
	      prv_number(&other.cap_priv) != prv_number(&f.cap_priv),
	      "compare mode: different contents give a new file");
	std_destroy(&other);
	std_destroy(&f);
}

static void
test_rights(void)
{
	capability f, ro, ro2, nocreate, forged, g;
	char buf[16], rep[32];
	b_fsize n;
	header h;

	make_file(16, 4, BS_COMMIT, &f);
	CHECK(std_restrict(&f, BS_RGT_READ, &ro) == STD_OK &&
	      ro.cap_priv.prv_rights == BS_RGT_READ && holds(&ro, 16, 4),
	      "restricted to BS_RGT_READ: reads");
	CHECK(b_modify(&ro, 0, "x", 1, BS_COMMIT, &g) == STD_DENIED &&
	      b_insert(&ro, 0, "x", 1, 0, &g) == STD_DENIED &&
	      b_delete(&ro, 0, 1, 0, &g) == STD_DENIED,
	      "modify/insert/delete without BS_RGT_MODIFY: STD_DENIED");
	CHECK(std_destroy(&ro) == STD_DENIED,
	      "destroy without BS_RGT_DESTROY: STD_DENIED");
	CHECK(std_restrict(&ro, 0, &ro2) == STD_OK && ro2.cap_priv.prv_rights == 0
	      && b_read(&ro2, 0, buf, 16, &n) == STD_DENIED,
	      "server-side STD_RESTRICT to no rights; read: STD_DENIED");
	CHECK(std_restrict(&super, BS_RGT_READ, &nocreate) == STD_OK &&
	      b_create(&nocreate, "x", 1, BS_COMMIT, &g) == STD_DENIED,
	      "create without BS_RGT_CREATE: STD_DENIED");
	CHECK(raw(&nocreate, BS_FSCK, 0, 0, NULL, 0, &h) == STD_DENIED &&
	      raw(&nocreate, STD_AGE, 0, 0, NULL, 0, &h) == STD_DENIED,
	      "BS_FSCK and STD_AGE without admin rights: STD_DENIED");
	forged = f;
	forged.cap_priv.prv_random._portbytes[2] ^= 0x40;
	CHECK(b_read(&forged, 0, buf, 16, &n) == STD_CAPBAD &&
	      std_destroy(&forged) == STD_CAPBAD,
	      "forged check field: STD_CAPBAD");
	forged = ro;
	forged.cap_priv.prv_rights |= BS_RGT_MODIFY;
	CHECK(b_modify(&forged, 0, "x", 1, 0, &g) == STD_CAPBAD,
	      "rights bits raised by hand: STD_CAPBAD");
	forged = f;
	forged.cap_priv.prv_object[0] ^= 0x55;
	CHECK(b_read(&forged, 0, buf, 16, &n) == STD_CAPBAD,
	      "object number of another inode: STD_CAPBAD");
	forged = super;
	forged.cap_priv.prv_random._portbytes[0] ^= 1;
	CHECK(b_create(&forged, "x", 1, BS_COMMIT, &g) == STD_CAPBAD,
	      "forged super-capability: STD_CAPBAD");
	CHECK(raw(&f, 1999, 0, 0, NULL, 0, &h) == STD_COMBAD,
	      "unknown command: STD_COMBAD");
	(void)rep;
	std_destroy(&f);
}

static void
test_args(void)
{
	capability f, u, g;
	char body[4], buf[8];
	header h;

	make_file(16, 5, BS_COMMIT, &f);
	make_file(16, 5, 0, &u);
	CHECK(raw(&f, BS_READ, -1, 8, NULL, 0, &h) == STD_ARGBAD &&
	      raw(&f, BS_READ, 17, 8, NULL, 0, &h) == STD_ARGBAD,
	      "read at offset -1 or past the size: STD_ARGBAD");
	buf_put_int32(body, body + 4, -1);
	CHECK(raw(&u, BS_DELETE, 0, 4, body, 4, &h) == STD_ARGBAD,
	      "delete of -1 bytes: STD_ARGBAD");
	buf_put_int32(body, body + 4, 0);
	CHECK(raw(&u, BS_DELETE, 0, 4, body, 4, &h) == STD_ARGBAD,
	      "delete of 0 bytes: STD_ARGBAD");
	buf_put_int32(body, body + 4, 10);
	CHECK(raw(&u, BS_DELETE, 10, 4, body, 4, &h) == STD_ARGBAD,
	      "delete past the end: STD_ARGBAD");
	CHECK(raw(&u, BS_INSERT, 0, 0, NULL, 0, &h) == STD_ARGBAD,
	      "insert of 0 bytes: STD_ARGBAD");
	CHECK(raw(&u, BS_MODIFY, -1, 1, "x", 1, &h) == STD_ARGBAD &&
	      raw(&u, BS_MODIFY, 17, 1, "x", 1, &h) == STD_ARGBAD &&
	      raw(&u, BS_INSERT, 17, 1, "x", 1, &h) == STD_ARGBAD,
	      "modify/insert at offset -1 or past the size: STD_ARGBAD");
	CHECK(b_create(&super, buf, -1, BS_COMMIT, &g) == STD_ARGBAD &&
	      b_read(&f, 0, buf, -1, NULL) == STD_ARGBAD,
	      "negative sizes refused by the stubs: STD_ARGBAD");
	std_destroy(&u);
	std_destroy(&f);
}

static void
test_admin(void)
{
	capability f, x, y, copy, dead;
	char status[BS_STATUS_SIZE], body[20];
	int32 bad = -1;
	header h;
	int alive;

	CHECK(std_status(&super, status, sizeof(status), NULL) == STD_OK &&
	      strstr(status, "bullet server on vdisk:") != NULL,
	      "std_status: the server's statistics");
	CHECK(b_sync(&super) == STD_OK, "b_sync");
	CHECK(fsck(&bad) == STD_OK && bad == 0, "BS_FSCK: the disk is consistent");
	make_file(5000, 6, BS_COMMIT | BS_SAFETY, &f);
	buf_put_cap(body, body + sizeof(body), &f);
	memset(&h, 0, sizeof(h));
	h.h_port = super.cap_port;
	h.h_priv = super.cap_priv;
	h.h_command = STD_COPY;
	h.h_size = CAPSIZE;
	CHECK(rpc_trans(&h, body, CAPSIZE, &h, NULL, 0) >= 0 &&
	      h.h_status == STD_OK, "STD_COPY of a file");
	copy.cap_port = h.h_port;
	copy.cap_priv = h.h_priv;
	CHECK(prv_number(&copy.cap_priv) != prv_number(&f.cap_priv) &&
	      holds(&copy, 5000, 6), "the copy holds the same bytes");
	/* a hole below y, then compaction moves y down */
	make_file(20000, 7, BS_COMMIT | BS_SAFETY, &x);
	make_file(3000, 8, BS_COMMIT | BS_SAFETY, &y);
	std_destroy(&x);
	CHECK(raw(&super, BS_DISK_COMPACT, 0, 0, NULL, 0, &h) == STD_OK &&
	      h.h_offset >= 1, "BS_DISK_COMPACT moves files into the hole");
	CHECK(holds(&y, 3000, 8) && holds(&f, 5000, 6) &&
	      fsck(&bad) == STD_OK && bad == 0,
	      "after compaction: files intact, disk consistent");
	/* NTOUCH: one good private, one forged */
	memcpy(body, &y.cap_priv, 10);
	memcpy(body + 10, &y.cap_priv, 10);
	body[15] ^= 1;
	CHECK(raw(&super, STD_NTOUCH, 0, 2, body, 20, &h) == STD_OK &&
	      h.h_extra == 1, "STD_NTOUCH touches only valid capabilities");
	/* aging: 24 sweeps destroy an untouched file */
	make_file(10, 10, BS_COMMIT, &dead);
	for (int i = 0; i < MAX_LIFETIME - 1; i++)
		std_age(&super);
	std_touch(&y);
	std_touch(&f);
	std_touch(&copy);
	for (int i = 0; i < nothers; i++)
		std_touch(&others[i]);
	alive = holds(&dead, 10, 10);
	std_age(&super);
	CHECK(alive && raw(&dead, BS_SIZE, 0, 0, NULL, 0, &h) == STD_CAPBAD &&
	      holds(&y, 3000, 8),
	      "STD_AGE: untouched file gone after 24 ages, touched one kept");
	std_destroy(&copy);
	std_destroy(&y);
	std_destroy(&f);
	CHECK(raw(&f, BS_SIZE, 0, 0, NULL, 0, &h) == STD_CAPBAD,
	      "destroyed file: STD_CAPBAD");
}

static void
test_cache(void)
{
	capability a, b, c, u;
	unsigned long t0;
	char info[64];

	CHECK(setparam("cachesize", "262144") == STD_OK,
	      "STD_SETPARAMS: cache of 256 KiB");
	CHECK(make_file(300000, 11, BS_COMMIT, &c) == STD_NOMEM,
	      "file larger than the cache: STD_NOMEM");
	CHECK(make_file(150000, 12, BS_COMMIT | BS_SAFETY, &a) == STD_OK &&
	      make_file(150000, 13, BS_COMMIT | BS_SAFETY, &b) == STD_OK &&
	      holds(&a, 150000, 12) && holds(&b, 150000, 13) &&
	      holds(&a, 150000, 12),
	      "two files above the cache size: evicted and read back");
	std_destroy(&a);
	std_destroy(&b);
	CHECK(setparam("cachesize", "33554432") == STD_OK &&
	      setparam("nonsense", "1") == STD_ARGBAD,
	      "STD_SETPARAMS: cache back to 32 MiB; unknown name STD_ARGBAD");
	CHECK(setparam("sweeptime", "100") == STD_OK, "sweep time 100 ms");
	make_file(10, 14, 0, &u);
	t0 = sys_milli();
	while (std_info(&u, info, sizeof(info), NULL) == STD_OK &&
	       sys_milli() - t0 < 20000)
		sys_sleep(50);
	CHECK(std_info(&u, info, sizeof(info), NULL) == STD_CAPBAD &&
	      sys_milli() - t0 >= 900,
	      "uncommitted file destroyed after BS_CACHE_TIMEOUT sweeps");
	setparam("sweeptime", "60000");
}

static void
test_full(void)
{
	capability f[64], small;
	errstat err = STD_OK;
	int32 bad = -1;
	int n = 0, intact = 1;

	while (n < 64 && (err = make_file(200000, 100 + n,
					  BS_COMMIT | BS_SAFETY, &f[n])) == STD_OK)
		n++;
	CHECK(err == STD_NOSPACE && n >= 5,
	      "filling the disk with 200000-byte files ends in STD_NOSPACE");
	for (int i = 0; i < n; i++)
		intact &= holds(&f[i], 200000, 100 + i);
	CHECK(intact && fsck(&bad) == STD_OK && bad == 0,
	      "full disk: every file intact, BS_FSCK consistent");
	CHECK(make_file(1000, 99, BS_COMMIT | BS_SAFETY, &small) == STD_OK,
	      "a small file still fits");
	for (int i = 0; i < n; i++)
		std_destroy(&f[i]);
	std_destroy(&small);
	CHECK(make_file(200000, 98, BS_COMMIT, &small) == STD_OK,
	      "space is free again after destroy");
	std_destroy(&small);
}

static void
keep_files(void)
{
	capability a, b;
	char hex[40];

	CHECK(make_file(70000, 21, BS_COMMIT | BS_SAFETY, &a) == STD_OK,
	      "file committed with BS_SAFETY");
	CHECK(make_file(5000, 22, BS_COMMIT, &b) == STD_OK &&
	      b_sync(&super) == STD_OK, "file committed, then b_sync");
	put_hex(hex, &a);
	printf("# keep %s 70000 21\n", hex);
	put_hex(hex, &b);
	printf("# keep %s 5000 22\n", hex);
}

/* ---- later boots --------------------------------------------------------------- */

static void
test_reboot(int argc, char **argv)
{
	int32 bad = -1;

	for (int i = 2; i + 2 < argc; i += 3) {
		capability c;

		snprintf(msg, sizeof(msg), "after a reboot: file of %s bytes "
			 "intact", argv[i + 1]);
		CHECK(get_hex(argv[i], &c) == 0 &&
		      holds(&c, atol(argv[i + 1]), (unsigned)atol(argv[i + 2])),
		      msg);
	}
	CHECK(fsck(&bad) == STD_OK && bad == 0,
	      "after a reboot: BS_FSCK consistent");
}

static void
test_gone(int argc, char **argv)
{
	int32 bad = -1;

	for (int i = 2; i < argc; i++) {
		capability c;
		b_fsize n;

		CHECK(get_hex(argv[i], &c) == 0 && b_size(&c, &n) == STD_CAPBAD,
		      "inode cleared by the boot-time check: STD_CAPBAD");
	}
	CHECK(fsck(&bad) == STD_OK && bad == 0,
	      "after the repair: BS_FSCK consistent");
}

/* ---- benchmarks (make bench) ---------------------------------------------------- */

static unsigned long long
micros(void)
{
	unsigned long long us = 0;

	sys_micro(&us);
	return us;
}

static void
bench_line(const char *name, double value, const char *unit)
{
	printf("bench: %s %.3f %s\n", name, value, unit);
}

/* Read a cached 1 MiB file; create+commit 1,000 small files; BS_SAFETY. */
static void
run_bench(void)
{
	enum { MIB = 1 << 20, NSMALL = 1000, NSAFE = 16, SAFE = 256 << 10 };
	static capability small[NSMALL];
	char *buf = malloc(MIB);
	capability big, f;
	unsigned long long t;
	b_fsize n;
	int ok, reps = 20;

	ok = CHECK(make_file(MIB, 40, BS_COMMIT, &big) == STD_OK &&
		   holds(&big, MIB, 40), "bench: 1 MiB file");
	t = micros();
	for (int i = 0; i < reps && ok; i++)
		ok = b_read(&big, 0, buf, MIB, &n) == STD_OK && n == MIB;
	t = micros() - t;
	if (CHECK(ok, "bench: 20 reads of the cached 1 MiB file"))
		bench_line("bullet_read_1m", reps * (double)MIB / t, "MB/s");
	t = micros();
	for (int i = 0; i < NSMALL && ok; i++)
		ok = b_create(&super, buf, 100, BS_COMMIT, &small[i]) == STD_OK;
	t = micros() - t;
	if (CHECK(ok, "bench: 1000 small files created and committed"))
		bench_line("bullet_create_small", NSMALL * 1e6 / t, "files/s");
	for (int i = 0; i < NSMALL; i++)
		std_destroy(&small[i]);
	b_sync(&super);
	fill(buf, SAFE, 41);
	t = micros();
	for (int i = 0; i < NSAFE && ok; i++) {
		ok = b_create(&super, buf, SAFE, BS_COMMIT | BS_SAFETY, &f) ==
		     STD_OK;
		small[i] = f;
	}
	t = micros() - t;
	if (CHECK(ok, "bench: 16 files of 256 KiB committed with BS_SAFETY"))
		bench_line("bullet_safety_write", NSAFE * (double)SAFE / t,
			   "MB/s");
	for (int i = 0; i < NSAFE; i++)
		std_destroy(&small[i]);
	std_destroy(&big);
	free(buf);
}

/* remote: no server here; find the default one over the network. */
static int
run_remote(void)
{
	unsigned long t0 = sys_milli();
	errstat err;

	while ((err = bullet_default_cap(&super)) != STD_OK &&
	       sys_milli() - t0 < WAIT_MS)
		sys_sleep(100);
	if (!CHECK(err == STD_OK, "remote: bullet_default_cap finds the "
		   "file server on another node"))
		return TEST_DONE();
	test_basics();
	test_changes();
	test_rights();
	test_args();
	return TEST_DONE();
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "main";
	errstat err;

	if (strcmp(mode, "remote") == 0)
		return run_remote();
	err = start_server();

	CHECK(err == STD_OK, "start the Bullet server (PS_EXEC)");
	if (strcmp(mode, "refuse") == 0) {
		unsigned long t0 = sys_milli();

		while (proc_alive() && sys_milli() - t0 < WAIT_MS)
			sys_sleep(20);
		CHECK(!proc_alive(), "the server refuses the disk and ends");
		return TEST_DONE();
	}
	if (!CHECK(err == STD_OK && server_ready(),
		   "the server answers on the disk's super-capability"))
		return TEST_DONE();
	if (strcmp(mode, "main") == 0) {
		for (int i = 2; i < argc && nothers < 4; i++) {
			b_fsize n = -1;

			CHECK(get_hex(argv[i], &others[nothers]) == 0 &&
			      b_size(&others[nothers++], &n) == STD_OK && n > 0,
			      "a file written by mkfs_bullet on the host is there");
		}
		test_basics();
		test_default();
		test_changes();
		test_rights();
		test_args();
		test_admin();
		test_cache();
		test_full();
		keep_files();
	} else if (strcmp(mode, "reboot") == 0) {
		test_reboot(argc, argv);
	} else if (strcmp(mode, "gone") == 0) {
		test_gone(argc, argv);
	} else if (strcmp(mode, "bench") == 0) {
		run_bench();
	}
	stop_server();
	return TEST_DONE();
}
