/*
 * test_soap.c - the SOAP directory server (userland/servers/soap) with
 * the Bullet server under it, on a disk made by boot/mkfsimg.sh
 * (partition 1 Bullet, partition 2 for SOAP), run by
 * tests/servers/t_soap.py:
 *
 *   test_soap main     both servers started from this program's own
 *                      copies with PS_EXEC (no arguments: they find
 *                      their partitions); every SP_* command through
 *                      the sp_* and name_* stubs, each error, paths
 *                      across directories; leaves /keep/sub/file
 *   test_soap reboot   the node started again on the same disk: the
 *                      directories and the file are there, the deleted
 *                      name is not
 *   test_soap image    a disk from make fs-image (boot/fsdir.sh): /bin,
 *                      /home with FSDIR's sub/note, /tmp writable by the
 *                      "other" column, DEF_BULLETSVR usable
 *   test_soap serve    (node with that disk) start both servers, wait
 *                      (bounded) until another node enters /tmp/done
 *   test_soap remote   (diskless node) find the root by the server's
 *                      public port, read /home/sub/note from the other
 *                      node, make /tmp/fromcli, then enter /tmp/done
 *
 * ROOT and WORK are put into this program's capability environment
 * from the server's public root (sp_publiccap), as a shell would get
 * them.  ok/not ok lines, then "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <ampolicy.h>
#include <caplist.h>
#include <capset.h>
#include <sp_dir.h>
#include <stderr.h>
#include <stdcom.h>
#include <amoeba/pd.h>
#include <module/direct.h>
#include <module/kdir.h>
#include <module/name.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/bullet/bs_find.h>
#include <server/bullet/bullet.h>
#include <server/process/proc.h>
#include <server/soap/soap.h>
#include <server/soap/soapsvr.h>

#include "check.h"

#include "fs_start.h"

#define TEXT	"directories survive reboots"

static capability procs[2];
static capability root;
static struct caplist env[3];

/* Start both servers (fs_start.h); ROOT and WORK from the public root. */
static int
start_servers(void)
{
	capset cs;

	if (!fs_start(procs) || sp_publiccap(NULL, &cs) != STD_OK)
		return 0;
	cs_to_cap(&cs, &root);
	cs_free(&cs);
	env[0].cl_name = "ROOT";
	env[0].cl_cap = &root;
	env[1].cl_name = "WORK";
	env[1].cl_cap = &root;
	vx_capv = env;
	return 1;
}

static capability
cap_of(capset *cs)
{
	capability c;

	memset(&c, 0, sizeof(c));
	cs_to_cap(cs, &c);
	return c;
}

static int
is_cap(capset *cs, const capability *c)
{
	capability x = cap_of(cs);

	return memcmp(&x, c, CAPSIZE) == 0;
}

/* The state the command tests share, in order. */
static char *cols[] = { "owner", "group", "other", NULL };
static rights_bits m[3] = { 0xFF, 0x02, 0x04 };
static capability super, file;
static capset rootcs, d1, d2, fcs;
static sp_seqno_t s1;

/* SP_CREATE, SP_APPEND and its errors, paths, a Bullet file by name. */
static void
st_entries(void)
{
	capability c;
	capset cs;
	char info[64];
	char buf[64];
	b_fsize n;

	cs_singleton(&rootcs, &root);
	CHECK(std_info(&root, info, sizeof(info), NULL) == STD_OK &&
	      strcmp(info, "/dw1234") == 0, "STD_INFO of the root: /dw1234");
	CHECK(sp_getseqno(&rootcs, &s1) == STD_OK, "SP_GETSEQNR");
	CHECK(sp_create(&rootcs, cols, &d1) == STD_OK, "SP_CREATE");
	CHECK(sp_append(SP_DEFAULT, "/t1", &d1, 3, m) == STD_OK, "SP_APPEND");
	CHECK(sp_append(SP_DEFAULT, "/t1", &d1, 3, m) == STD_EXISTS,
	      "SP_APPEND of an existing name: STD_EXISTS");
	CHECK(sp_append(&rootcs, "a b", &d1, 3, m) == STD_ARGBAD &&
	      sp_append(&rootcs, "..", &d1, 3, m) == STD_ARGBAD,
	      "bad names: STD_ARGBAD");
	CHECK(sp_mkdir(SP_DEFAULT, "/t1/sub", NULL) == STD_OK &&
	      sp_lookup(SP_DEFAULT, "/t1/sub", &d2) == STD_OK,
	      "sp_mkdir, path lookup across directories");
	bullet_local_supercap(NULL, &super);
	CHECK(b_create(&super, TEXT, sizeof(TEXT), BS_COMMIT | BS_SAFETY,
		       &file) == STD_OK && cs_singleton(&fcs, &file) &&
	      sp_append(SP_DEFAULT, "/t1/sub/file", &fcs, 3, m) == STD_OK,
	      "a Bullet file entered under /t1/sub/file");
	CHECK(name_lookup("/t1/sub/file", &c) == STD_OK &&
	      b_read(&c, 0, buf, sizeof(buf), &n) == STD_OK &&
	      n == sizeof(TEXT) && strcmp(buf, TEXT) == 0,
	      "name_lookup of the path, b_read of what it names");
	CHECK(sp_lookup(SP_DEFAULT, "/t1/./sub/../sub/file", &cs) == STD_OK &&
	      is_cap(&cs, &file), "'.' and '..' in a path");
	cs_free(&cs);
	CHECK(sp_lookup(SP_DEFAULT, "/t1/none/file", &cs) == STD_NOTFOUND,
	      "missing component: STD_NOTFOUND");
}

/* Column masks and the rights of the directory capability. */
static void
st_rights(void)
{
	rights_bits got[3];
	capability ro;
	capset cs;
	capset rocs;

	CHECK(sp_getmasks(SP_DEFAULT, "/t1/sub/file", 3, got) == STD_OK &&
	      got[0] == 0xFF && got[1] == 2 && got[2] == 4, "SP_GETMASKS");
	got[1] = got[2] = 0;
	CHECK(sp_chmod(SP_DEFAULT, "/t1/sub/file", 3, got) == STD_OK &&
	      sp_getmasks(SP_DEFAULT, "/t1/sub/file", 3, got) == STD_OK &&
	      got[0] == 0xFF && got[1] == 0 && got[2] == 0, "SP_CHMOD");
	/* root's "other" column (0x04): t1's mask 0x04 -> t1's column 3;
	 * there sub's mask is 0x02 -> sub's column 2, where file has 0 */
	std_restrict(&root, 0x04, &ro);
	cs_singleton(&rocs, &ro);
	CHECK(sp_lookup(&rocs, "t1/sub/file", &cs) == STD_DENIED,
	      "SP_LOOKUP through a column without rights: STD_DENIED");
	CHECK(sp_lookup(&rocs, "t1/sub", &cs) == STD_OK &&
	      cap_of(&cs).cap_priv.prv_rights == 0x02,
	      "SP_LOOKUP restricts a directory to the column's mask");
	cs_free(&cs);
	std_restrict(&root, 0x07, &ro);
	cs_free(&rocs);
	cs_singleton(&rocs, &ro);
	CHECK(sp_append(&rocs, "x", &fcs, 1, m) == STD_DENIED &&
	      sp_delete(&rocs, "t1") == STD_DENIED,
	      "no SP_MODRGT: STD_DENIED");
	CHECK(sp_discard(&rocs) == STD_DENIED,
	      "no SP_DELRGT: STD_DENIED");
	cs_free(&rocs);
}

/* SP_REPLACE, SP_DELETE, SP_LIST, SP_SETLOOKUP, SP_DISCARD, others. */
static void
st_changes(void)
{
	capset cs;
	char info[64];
	SP_DIR *dd;
	sp_seqno_t s2;

	CHECK(sp_discard(&d2) == SP_NOTEMPTY, "SP_DISCARD: SP_NOTEMPTY");
	{
		capability f2;
		capset c2;

		b_create(&super, "other", 6, BS_COMMIT | BS_SAFETY, &f2);
		cs_singleton(&c2, &f2);
		CHECK(sp_replace(SP_DEFAULT, "/t1/sub/file", &c2) == STD_OK &&
		      sp_lookup(SP_DEFAULT, "/t1/sub/file", &cs) == STD_OK &&
		      is_cap(&cs, &f2), "SP_REPLACE");
		cs_free(&cs);
		CHECK(sp_replace(SP_DEFAULT, "/t1/sub/nofile", &c2) ==
		      STD_NOTFOUND, "SP_REPLACE of a missing name: STD_NOTFOUND");
		CHECK(sp_delete(SP_DEFAULT, "/t1/sub/file") == STD_OK &&
		      sp_lookup(SP_DEFAULT, "/t1/sub/file", &cs) ==
		      STD_NOTFOUND &&
		      sp_delete(SP_DEFAULT, "/t1/sub/file") == STD_NOTFOUND,
		      "SP_DELETE, then STD_NOTFOUND");
		cs_purge(&c2);
	}
	CHECK(sp_list(&d1, &dd) == STD_OK && dd->dd_nrows == 1 &&
	      dd->dd_ncols == 3 && strcmp(dd->dd_rows[0].d_name, "sub") == 0 &&
	      strcmp(dd->dd_colnames[2], "other") == 0, "SP_LIST");
	sp_closedir(dd);
	{
		sp_entry e[1];
		sp_result r[1];

		cs_copy(&e[0].se_capset, &rootcs);
		e[0].se_name = "t1";
		CHECK(sp_setlookup(1, e, r) == STD_OK &&
		      r[0].sr_status == STD_OK &&
		      is_cap(&r[0].sr_capset, &d1.cs_suite[0].s_object),
		      "SP_SETLOOKUP");
		cs_free(&e[0].se_capset);
		cs_free(&r[0].sr_capset);
	}
	CHECK(sp_delete(SP_DEFAULT, "/t1/sub") == STD_OK &&
	      sp_discard(&d2) == STD_OK &&
	      std_info(&d2.cs_suite[0].s_object, info, sizeof(info),
		       NULL) == STD_CAPBAD,
	      "SP_DISCARD of an empty directory; its capability is dead");
	CHECK(std_touch(&d1.cs_suite[0].s_object) == STD_OK, "STD_TOUCH");
	{
		header h;

		memset(&h, 0, sizeof(h));
		h.h_port = root.cap_port;
		h.h_priv = root.cap_priv;
		h.h_command = SP_INSTALL;
		CHECK(rpc_trans(&h, NULL, 0, &h, NULL, 0) >= 0 &&
		      ERR_CONVERT(h.h_status) == STD_COMBAD,
		      "SP_INSTALL: STD_COMBAD (no format in the spec)");
	}
	CHECK(sp_getseqno(&rootcs, &s2) == STD_OK && s2.seq[0] > s1.seq[0],
	      "SP_GETSEQNR grows with updates");
}

/* The kernel directory speaks the same SP_LOOKUP and SP_LIST. */
static void
st_kdir(void)
{
	SP_DIR *dd;

	/* the kernel directory speaks the same SP_LOOKUP/SP_LIST: a path
	 * from SOAP into it crosses servers */
	{
		capability kd, proc, p2;
		capset kcs;

		host_kdir_cap(NULL, &kd);
		cs_singleton(&kcs, &kd);
		CHECK(sp_list(&kcs, &dd) == STD_OK && dd->dd_ncols == 1 &&
		      dd->dd_nrows > 3, "sp_list of the kernel directory");
		sp_closedir(dd);
		CHECK(sp_append(SP_DEFAULT, "/kdir", &kcs, 1, m) == STD_OK &&
		      name_lookup("/kdir/" PROCESS_SVR_NAME, &proc) == STD_OK &&
		      kdir_lookup(NULL, PROCESS_SVR_NAME, &p2) == STD_OK &&
		      memcmp(&proc, &p2, CAPSIZE) == 0,
		      "path from a SOAP directory into the kernel directory");
		cs_free(&kcs);
	}
}

/* What the reboot phase checks. */
static void
st_keep(void)
{
	/* what the reboot phase checks */
	CHECK(name_create("/keep") == STD_OK &&
	      name_create("/keep/sub") == STD_OK &&
	      name_append("/keep/sub/file", &file) == STD_OK &&
	      name_append("/keep/gone", &file) == STD_OK &&
	      name_delete("/keep/gone") == STD_OK,
	      "name_create, name_append, name_delete: /keep/sub/file");
}

static void
test_commands(void)
{
	st_entries();
	st_rights();
	st_changes();
	st_kdir();
	st_keep();
	cs_free(&fcs);
	cs_free(&d1);
	cs_free(&rootcs);
}

static void
test_reboot(void)
{
	capability c;
	char buf[64];
	b_fsize n;
	struct dir_open *d;
	char *nm;
	int seen = 0;

	CHECK(name_lookup("/keep/sub/file", &c) == STD_OK &&
	      b_read(&c, 0, buf, sizeof(buf), &n) == STD_OK &&
	      n == sizeof(TEXT) && strcmp(buf, TEXT) == 0,
	      "after the reboot: /keep/sub/file and its contents");
	CHECK(name_lookup("/keep/gone", &c) == STD_NOTFOUND,
	      "after the reboot: the deleted name stays deleted");
	d = dir_open(NULL);
	while (d != NULL && (nm = dir_next(d)) != NULL)
		seen |= strcmp(nm, "keep") == 0 ? 1 : strcmp(nm, "t1") == 0 ? 2 : 0;
	dir_close(d);
	CHECK(seen == 3, "after the reboot: the root lists keep and t1");
}

static void
test_image(void)
{
	rights_bits m[3] = { 0xFF, 0x02, 0x02 };
	capability c, other, bs, f;
	capset ocs, tmp;
	char buf[64];
	b_fsize n;

	CHECK(name_lookup("/bin/hello", &c) == STD_OK &&
	      b_size(&c, &n) == STD_OK && n > 1000,
	      "image: /bin/hello is a Bullet file");
	CHECK(name_lookup("/home/sub/note", &c) == STD_OK &&
	      b_read(&c, 0, buf, sizeof(buf), &n) == STD_OK && n == 11 &&
	      memcmp(buf, "hello-note\n", 11) == 0,
	      "image: FSDIR's sub/note is /home/sub/note");
	std_restrict(&root, 0x04, &other);
	cs_singleton(&ocs, &other);
	CHECK(sp_lookup(&ocs, "tmp", &tmp) == STD_OK &&
	      cap_of(&tmp).cap_priv.prv_rights == 0x44,
	      "image: the other column gets /tmp with SP_MODRGT");
	CHECK(sp_lookup(&ocs, DEF_BULLETSVR, &tmp) == STD_OK &&
	      cs_to_cap(&tmp, &bs) == STD_OK &&
	      bs.cap_priv.prv_rights == 0x0F &&
	      b_create(&bs, "x", 1, BS_COMMIT, &f) == STD_OK,
	      "image: " DEF_BULLETSVR " (restricted by Bullet) creates files");
	cs_free(&tmp);
	cs_singleton(&tmp, &f);
	CHECK(sp_append(&ocs, "tmp/x", &tmp, 3, m) == STD_OK &&
	      sp_append(&ocs, "bin/x", &tmp, 3, m) == STD_DENIED,
	      "image: the other column appends in /tmp, not in /bin");
	cs_free(&tmp);
	cs_free(&ocs);
}

/* Serve until a diskless node says it is done (bounded wait). */
static void
test_serve(void)
{
	unsigned long t0 = sys_milli();
	capability c;
	int done = 0;

	printf("# serving\n");
	fflush(stdout);
	while (!done && sys_milli() - t0 < 4 * FS_WAIT_MS) {
		done = name_lookup("/tmp/done", &c) == STD_OK;
		if (!done)
			sys_sleep(100);
	}
	CHECK(done, "serve: the other node entered /tmp/done");
	CHECK(name_lookup("/tmp/fromcli", &c) == STD_OK,
	      "serve: the directory the other node made is here");
}

/* A node without a disk uses the directory server of another node. */
static void
test_remote(void)
{
	capability c, hello;
	char buf[64], info[64];
	b_fsize n;
	capset cs;
	errstat err;

	err = sp_publiccap(NULL, &cs);
	CHECK(err == STD_OK && cs_to_cap(&cs, &root) == STD_OK,
	      "remote: the root found by the server's public port");
	if (err != STD_OK)
		return;
	cs_free(&cs);
	env[0].cl_name = "ROOT";
	env[0].cl_cap = &root;
	vx_capv = env;
	CHECK(std_info(&root, info, sizeof(info), NULL) == STD_OK &&
	      strcmp(info, "/dw1234") == 0, "remote: STD_INFO of the root");
	CHECK(name_lookup("/bin/hello", &hello) == STD_OK &&
	      b_size(&hello, &n) == STD_OK && n > 1000,
	      "remote: /bin/hello on the other node's Bullet server");
	CHECK(name_lookup("/home/sub/note", &c) == STD_OK &&
	      b_read(&c, 0, buf, sizeof(buf), &n) == STD_OK && n == 11 &&
	      memcmp(buf, "hello-note\n", 11) == 0,
	      "remote: /home/sub/note read across the network");
	CHECK(name_create("/tmp/fromcli") == STD_OK &&
	      cwd_set("/tmp/fromcli") == STD_OK &&
	      name_append("f", &hello) == STD_OK &&
	      name_lookup("/tmp/fromcli/f", &c) == STD_OK &&
	      memcmp(&c, &hello, CAPSIZE) == 0,
	      "remote: mkdir, cwd_set, a relative name_append");
	CHECK(name_append("/tmp/done", &hello) == STD_OK,
	      "remote: /tmp/done entered");
}

int
main(int argc, char **argv)
{
	int ok;

	if (argc > 1 && strcmp(argv[1], "remote") == 0) {
		test_remote();
		return TEST_DONE();
	}
	ok = start_servers();
	CHECK(ok, "Bullet and SOAP servers started from the disk");
	if (ok && argc > 1 && strcmp(argv[1], "serve") == 0)
		test_serve();
	else if (ok && argc > 1 && strcmp(argv[1], "main") == 0)
		test_commands();
	else if (ok && argc > 1 && strcmp(argv[1], "reboot") == 0)
		test_reboot();
	else if (ok && argc > 1 && strcmp(argv[1], "image") == 0)
		test_image();
	std_destroy(&procs[1]);
	std_destroy(&procs[0]);
	return TEST_DONE();
}
