/*
 * bench_fs.c - file-system benchmark rows (tests/servers/bench_fs.py):
 *
 *   bench_fs LABEL     with ROOT from the kernel (the servers on this node
 *                      or another), prints
 *     bench: fs_read_1m_LABEL       MB/s  20 b_reads of a cached 1 MiB file
 *     bench: fs_create_LABEL        files/s  1,000 100-byte files created
 *                                   and committed (b_create, BS_COMMIT)
 *     bench: fs_lookup3_LABEL       us  sp_lookup of a path of depth 3
 *     bench: fs_safety_write_LABEL  MB/s  16 files of 256 KiB committed
 *                                   with BS_SAFETY (on the medium)
 *
 * The Bullet server is the one the root's files live on: the capability
 * of /bin/hello names it (its port and a create right from the default
 * server's public capability).  ok/not ok lines, then the closing line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <capset.h>
#include <stderr.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/bullet/bs_find.h>
#include <server/bullet/bullet.h>
#include <server/soap/soap.h>

#include "check.h"

#define MIB (1024 * 1024)
#define READS 20
#define NSMALL 1000
#define LOOKUPS 2000
#define NSAFE 16
#define SAFE (256 * 1024)

static capability super;
static const char *label;

static void
row(const char *what, double value, const char *unit)
{
	printf("bench: fs_%s_%s %.3f %s\n", what, label, value, unit);
}

static unsigned long
elapsed(unsigned long t0)
{
	unsigned long t = sys_milli() - t0;

	return t ? t : 1;
}

static void
bench_read(char *buf)
{
	capability f;
	b_fsize got = 0;
	unsigned long t0;
	int ok;

	for (int i = 0; i < MIB; i++)
		buf[i] = (char)(i * 7);
	ok = b_create(&super, buf, MIB, BS_COMMIT, &f) == STD_OK &&
	     b_read(&f, 0, buf, MIB, &got) == STD_OK && got == MIB;
	t0 = sys_milli();
	for (int r = 0; ok && r < READS; r++)
		ok = b_read(&f, 0, buf, MIB, &got) == STD_OK && got == MIB;
	if (CHECK(ok, "20 reads of a cached 1 MiB file"))
		row("read_1m", READS * (double)MIB * 1000.0 / elapsed(t0) / 1e6,
		    "MB/s");
	std_destroy(&f);
}

static void
bench_create(char *buf)
{
	static capability f[NSMALL];
	unsigned long t0 = sys_milli(), t;
	int n = 0;

	while (n < NSMALL && b_create(&super, buf, 100, BS_COMMIT, &f[n]) ==
	       STD_OK)
		n++;
	t = elapsed(t0);
	if (CHECK(n == NSMALL, "1,000 small files created and committed"))
		row("create", NSMALL * 1000.0 / t, "files/s");
	while (n-- > 0)
		std_destroy(&f[n]);
}

static void
bench_lookup(void)
{
	capset cs;
	unsigned long t0;
	int ok = 1;

	sp_mkdir(SP_DEFAULT, "/tmp/b1", NULL);
	sp_mkdir(SP_DEFAULT, "/tmp/b1/b2", NULL);
	ok = sp_lookup(SP_DEFAULT, "/tmp/b1/b2", &cs) == STD_OK;
	t0 = sys_milli();
	for (int i = 0; ok && i < LOOKUPS; i++) {
		cs_free(&cs);
		ok = sp_lookup(SP_DEFAULT, "/tmp/b1/b2", &cs) == STD_OK;
	}
	if (CHECK(ok, "path lookups of depth 3 (/tmp/b1/b2)"))
		row("lookup3", elapsed(t0) * 1000.0 / LOOKUPS, "us");
}

static void
bench_safety(char *buf)
{
	capability f;
	unsigned long t0 = sys_milli();
	int ok = 1;

	for (int i = 0; ok && i < NSAFE; i++) {
		ok = b_create(&super, buf, SAFE, BS_COMMIT | BS_SAFETY, &f) ==
		     STD_OK;
		if (ok)
			std_destroy(&f);
	}
	if (CHECK(ok, "16 files of 256 KiB committed with BS_SAFETY"))
		row("safety_write", NSAFE * (double)SAFE * 1000.0 /
		    elapsed(t0) / 1e6, "MB/s");
}

int
main(int argc, char **argv)
{
	char *buf = malloc(MIB);

	label = argc > 1 ? argv[1] : "local";
	if (!CHECK(buf != NULL && bullet_default_cap(&super) == STD_OK,
		   "the default Bullet server answers"))
		return TEST_DONE();
	bench_read(buf);
	bench_create(buf);
	bench_lookup();
	bench_safety(buf);
	return TEST_DONE();
}
