/*
 * test_seg.c - segments from user space: SYS_SEG_MAP of a new segment,
 * unmapping it to a capability, reading it through the process server
 * (std_info, BS_SIZE, BS_READ), mapping it again read-write and
 * read-only (a restricted capability), sharing between two mappings,
 * growing and shrinking, STD_DESTROY, argument and capability checks,
 * a child process (PS_EXEC) whose write to a read-only mapping must
 * fault, running out of mappings, segments and memory, and no physical
 * pages leaked (SYS_STATS).
 *
 * Run as `init=test_seg`; ok/not ok lines, exit status 0 = all passed.
 * `init=test_seg bugs` also runs the checks of known kernel bugs
 * (seg_grow through a read-only mapping; growing a segment mapped twice).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <stdcom.h>
#include <semaphore.h>
#include <thread.h>
#include <module/mutex.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/process/proc.h>

#include "check.h"
#include "child.h"

#define PG		4096u
#define VA1		0x60000000u
#define VA2		0x60100000u
#define VA3		0x60200000u
#define VA4		0x60300000u
#define VA5		0x60308000u	/* 8 pages above VA4 */

static unsigned
free_pages(void)
{
	struct vx_stats st;

	if (sys_stats(&st) != STD_OK)
		return 0;
	return st.free_pages;
}

static unsigned char
pat(unsigned i)
{
	return (unsigned char)(i * 7 + 3);
}

/* Segment command (BS_SIZE / BS_READ) on cap; returns h_status. */
static errstat
seg_cmd(capability *cap, command cmd, int32 off, int size, char *buf,
	header *out)
{
	header h;
	int32 r;

	memset(&h, 0, sizeof(h));
	h.h_port = cap->cap_port;
	h.h_priv = cap->cap_priv;
	h.h_command = cmd;
	h.h_offset = off;
	h.h_size = (bufsize)size;
	r = rpc_trans(&h, NULL, 0, &h, buf, size);
	if (r < 0)
		return r;
	if (out)
		*out = h;
	return ERR_CONVERT(h.h_status);
}

/* The segment of one round: its capabilities and two mappings. */
struct round {
	capability cap;		/* all rights */
	capability ro;		/* read only */
	long id2, id3;		/* read-only at VA2, read-write at VA3 */
};

static int
test_map_unmap(struct round *rd)
{
	capability cap, ro;
	char info[80], buf[PG];
	unsigned char *p1 = (unsigned char *)VA1;
	volatile unsigned char *p2 = (unsigned char *)VA2;
	volatile unsigned char *p3 = (unsigned char *)VA3;
	header h;
	long id, id2, id3;
	unsigned i;
	int ok, len;

	id = seg_map(NULL, VA1, 3 * PG, VX_MAP_NEW | VX_MAP_RW);
	CHECK(id >= 0, "seg_map of a new 3-page segment");
	if (id < 0)
		return 0;
	ok = 1;
	for (i = 0; i < 3 * PG; i++)
		ok &= p1[i] == 0;
	CHECK(ok, "a new segment is zero-filled");
	for (i = 0; i < 3 * PG; i++)
		p1[i] = pat(i);
	CHECK(seg_unmap(id, &cap) == STD_OK, "seg_unmap to a capability");
	CHECK(seg_unmap(id, NULL) == STD_ARGBAD, "seg_unmap twice: STD_ARGBAD");

	CHECK(std_info(&cap, info, sizeof(info), &len) == STD_OK &&
	      strstr(info, "12288 bytes") != NULL,
	      "std_info on the segment capability");
	printf("# std_info: %s\n", info);
	CHECK(seg_cmd(&cap, BS_SIZE, 0, 0, NULL, &h) == STD_OK &&
	      h.h_offset == 3 * PG, "BS_SIZE gives the length");
	memset(buf, 0, sizeof(buf));
	ok = seg_cmd(&cap, BS_READ, 5000, 2000, buf, &h) == STD_OK &&
	     h.h_size == 2000;
	for (i = 0; ok && i < 2000; i++)
		ok = (unsigned char)buf[i] == pat(5000 + i);
	CHECK(ok, "BS_READ through the process server sees the data");
	CHECK(seg_cmd(&cap, BS_READ, 3 * PG + 1, 10, buf, NULL) ==
	      STD_ARGBAD, "BS_READ past the end: STD_ARGBAD");

	/* read-only through a restricted capability */
	CHECK(std_restrict(&cap, PSR_READ, &ro) == STD_OK &&
	      ro.cap_priv.prv_rights == PSR_READ, "std_restrict to read only");
	CHECK(seg_map(&ro, VA2, 0, VX_MAP_RW) == STD_DENIED,
	      "read-write map with a read-only capability: STD_DENIED");
	id2 = seg_map(&ro, VA2, 0, 0);
	CHECK(id2 >= 0, "read-only map with the restricted capability");
	ok = id2 >= 0;
	for (i = 0; ok && i < 3 * PG; i++)
		ok = p2[i] == pat(i);
	CHECK(ok, "the read-only mapping has the contents");
	CHECK(std_destroy(&ro) == STD_DENIED,
	      "std_destroy without the delete right: STD_DENIED");

	/* the same segment read-write at a second address: shared */
	id3 = seg_map(&cap, VA3, 0, VX_MAP_RW);
	CHECK(id3 >= 0, "read-write map of the same segment elsewhere");
	if (id3 >= 0) {
		p3[100] = 0xA5;
		p3[3 * PG - 1] = 0x5A;
		CHECK(p2[100] == 0xA5 && p2[3 * PG - 1] == 0x5A,
		      "writes through one mapping show in the other");
		CHECK(seg_cmd(&cap, BS_READ, 100, 1, buf, NULL) == STD_OK &&
		      (unsigned char)buf[0] == 0xA5,
		      "and in BS_READ of the capability");
	}
	rd->cap = cap;
	rd->ro = ro;
	rd->id2 = id2;
	rd->id3 = id3;
	return 1;
}

/* Bad addresses, lengths, capabilities and indexes. */
static void
test_bad_args(struct round *rd)
{
	capability cap = rd->cap, ro = rd->ro, bad;

	CHECK(seg_map(NULL, VA2, PG, VX_MAP_NEW | VX_MAP_RW) == STD_ARGBAD,
	      "map over an existing mapping: STD_ARGBAD");
	CHECK(seg_map(NULL, VA2 + 2 * PG, PG, VX_MAP_NEW) == STD_ARGBAD,
	      "map into the middle of a mapping: STD_ARGBAD");
	CHECK(seg_map(NULL, VA2 - PG, 2 * PG, VX_MAP_NEW) == STD_ARGBAD,
	      "map overlapping the start of a mapping: STD_ARGBAD");
	CHECK(seg_map(NULL, 0x00100000, PG, VX_MAP_NEW | VX_MAP_RW) ==
	      STD_ARGBAD, "map at a kernel address (1 MiB): STD_ARGBAD");
	CHECK(seg_map(NULL, 0xC0000000u, PG, VX_MAP_NEW | VX_MAP_RW) ==
	      STD_ARGBAD, "map at 3 GiB (kernel half): STD_ARGBAD");
	CHECK(seg_map(NULL, 0xBFFFF000u, 2 * PG, VX_MAP_NEW | VX_MAP_RW) ==
	      STD_ARGBAD, "map running past the user end: STD_ARGBAD");
	CHECK(seg_map(NULL, 0x40000000u, PG, VX_MAP_NEW | VX_MAP_RW) ==
	      STD_ARGBAD, "map over the program text: STD_ARGBAD");
	CHECK(seg_map(NULL, VA4 + 12, PG, VX_MAP_NEW | VX_MAP_RW) ==
	      STD_ARGBAD, "unaligned address: STD_ARGBAD");
	CHECK(seg_map(NULL, VA4, 0, VX_MAP_NEW | VX_MAP_RW) == STD_ARGBAD,
	      "new segment of length 0: STD_ARGBAD");
	CHECK(seg_map(NULL, VA4, 0x40000000u, VX_MAP_NEW | VX_MAP_RW) ==
	      STD_ARGBAD, "new segment of 1 GiB: STD_ARGBAD");
	CHECK(seg_map(NULL, VA4, 0, VX_MAP_RW) == STD_ARGBAD,
	      "NULL capability pointer: STD_ARGBAD");
	CHECK(seg_map((capability *)0x1000, VA4, 0, VX_MAP_RW) == STD_ARGBAD,
	      "capability pointer into the kernel: STD_ARGBAD");
	bad = cap;
	bad.cap_priv.prv_random._portbytes[3] ^= 0x10;
	CHECK(seg_map(&bad, VA4, 0, VX_MAP_RW) == STD_CAPBAD,
	      "forged check field: STD_CAPBAD");
	bad = ro;
	bad.cap_priv.prv_rights = PRV_ALL_RIGHTS;
	CHECK(seg_map(&bad, VA4, 0, VX_MAP_RW) == STD_CAPBAD,
	      "rights raised without a new check: STD_CAPBAD");
	bad = ro;
	bad.cap_priv.prv_rights = PSR_READ | PSR_WRITE;
	CHECK(seg_map(&bad, VA4, 0, VX_MAP_RW) == STD_CAPBAD,
	      "read-only capability with the write bit set: STD_CAPBAD");
	bad = cap;
	bad.cap_port._portbytes[0] ^= 1;
	CHECK(seg_map(&bad, VA4, 0, VX_MAP_RW) == STD_CAPBAD,
	      "wrong server port: STD_CAPBAD");
	bad = cap;
	prv_encode(&bad.cap_priv, ('S' << 16) | 0xFFFF, PRV_ALL_RIGHTS,
		   &cap.cap_priv.prv_random);
	CHECK(seg_map(&bad, VA4, 0, VX_MAP_RW) == STD_CAPBAD,
	      "segment number out of range: STD_CAPBAD");
	bad = cap;
	prv_encode(&bad.cap_priv, ('P' << 16) | 1, PRV_ALL_RIGHTS,
		   &cap.cap_priv.prv_random);
	CHECK(seg_map(&bad, VA4, 0, VX_MAP_RW) == STD_CAPBAD,
	      "a process-typed object number: STD_CAPBAD");
	CHECK(seg_unmap(99, NULL) == STD_ARGBAD && seg_unmap(-1, NULL) ==
	      STD_ARGBAD, "seg_unmap of a bad index: STD_ARGBAD");
	CHECK(seg_unmap(rd->id2, (capability *)0x2000) == STD_ARGBAD,
	      "seg_unmap with a kernel capability pointer: STD_ARGBAD");
	CHECK(seg_grow(99, PG) == STD_ARGBAD && seg_grow(-5, PG) ==
	      STD_ARGBAD, "seg_grow of a bad index: STD_ARGBAD");
}

/* STD_DESTROY: not while mapped, then once. */
static void
test_destroy(struct round *rd)
{
	capability cap = rd->cap;
	char info[80];
	long id2 = rd->id2, id3 = rd->id3;

	CHECK(std_destroy(&cap) == STD_NOTNOW,
	      "std_destroy while mapped: STD_NOTNOW");
	CHECK(id2 >= 0 && seg_unmap(id2, NULL) == STD_OK &&
	      id3 >= 0 && seg_unmap(id3, NULL) == STD_OK,
	      "unmap both mappings");
	CHECK(std_destroy(&cap) == STD_OK, "std_destroy of the segment");
	CHECK(std_destroy(&cap) == STD_CAPBAD, "std_destroy again: STD_CAPBAD");
	CHECK(seg_map(&cap, VA2, 0, 0) == STD_CAPBAD &&
	      std_info(&cap, info, sizeof(info), NULL) == STD_CAPBAD,
	      "a destroyed segment's capability is dead");
}


static void
test_round(void)
{
	struct round rd;

	if (!test_map_unmap(&rd))
		return;
	test_bad_args(&rd);
	test_destroy(&rd);
}

static void
test_grow(void)
{
	volatile unsigned char *p = (unsigned char *)VA4;
	unsigned before, after;
	long id, blk;
	unsigned i;
	int ok;

	id = seg_map(NULL, VA4, PG, VX_MAP_NEW | VX_MAP_RW);
	CHECK(id >= 0, "seg_map of a 1-page segment for growing");
	if (id < 0)
		return;
	for (i = 0; i < PG; i++)
		p[i] = pat(i);
	CHECK(seg_grow(id, 5 * PG) == STD_OK, "grow to 5 pages");
	ok = 1;
	for (i = 0; i < PG; i++)
		ok &= p[i] == pat(i);
	for (i = PG; i < 5 * PG; i++)
		ok &= p[i] == 0;
	CHECK(ok, "growing keeps the contents and adds zeroes");
	p[5 * PG - 1] = 0x77;
	CHECK(p[5 * PG - 1] == 0x77, "the grown part is writable");

	blk = seg_map(NULL, VA5, PG, VX_MAP_NEW | VX_MAP_RW);
	CHECK(blk >= 0, "a neighbour mapping 8 pages above");
	CHECK(seg_grow(id, 9 * PG) == STD_ARGBAD,
	      "growing into the neighbour: STD_ARGBAD");
	CHECK(seg_grow(id, 8 * PG) == STD_OK,
	      "growing right up to the neighbour");
	CHECK(seg_grow(id, 0x20000000u) == STD_ARGBAD,
	      "growing past SEG_MAXLEN: STD_ARGBAD");

	before = free_pages();
	CHECK(seg_grow(id, 100) == STD_OK, "shrink to 100 bytes");
	after = free_pages();
	CHECK(after == before + 7, "shrinking frees 7 pages");
	printf("# free pages %u -> %u\n", before, after);
	ok = 1;
	for (i = 0; i < 100; i++)
		ok &= p[i] == pat(i);
	for (i = 100; i < PG; i++)
		ok &= p[i] == 0;
	CHECK(ok, "shrinking keeps the head and clears the dropped bytes");
	CHECK(seg_grow(id, 2 * PG) == STD_OK && p[2 * PG - 1] == 0 &&
	      p[99] == pat(99), "grow again after shrinking");
	CHECK(seg_unmap(id, NULL) == STD_OK && seg_unmap(blk, NULL) ==
	      STD_OK, "unmap the grown segment and its neighbour");
}

/* Running out: mappings per process, segments, memory. */
#define VA6		0x60340000u	/* same page table as VA1..VA5 */
#define MAXSEGS		600

static capability many[MAXSEGS];

static void
test_limits(void)
{
	long ids[128], id, err = 0;
	char name[120];
	int n, k, ok;

	for (n = 0; n < 128; n++) {
		ids[n] = seg_map(NULL, VA6 + (unsigned)n * 2 * PG, PG,
				 VX_MAP_NEW | VX_MAP_RW);
		if (ids[n] < 0) {
			err = ids[n];
			break;
		}
	}
	snprintf(name, sizeof(name), "mapping table full after %d more "
		 "mappings: STD_NOSPACE", n);
	CHECK(n > 64 && n < 128 && err == STD_NOSPACE, name);
	for (k = 0, ok = 1; k < n; k++)
		ok &= seg_unmap(ids[k], NULL) == STD_OK;
	CHECK(ok, "unmap them all");

	for (n = 0; n < MAXSEGS; n++) {
		id = seg_map(NULL, VA6, PG, VX_MAP_NEW | VX_MAP_RW);
		if (id < 0) {
			err = id;
			break;
		}
		if (seg_unmap(id, &many[n]) != STD_OK) {
			err = STD_SYSERR;
			break;
		}
	}
	snprintf(name, sizeof(name), "segment table full after %d segments: "
		 "STD_NOSPACE", n);
	CHECK(n > 400 && n < MAXSEGS && err == STD_NOSPACE, name);
	for (k = 0, ok = 1; k < n; k++)
		ok &= std_destroy(&many[k]) == STD_OK;
	CHECK(ok, "std_destroy them all");

	CHECK(seg_map(NULL, VA6, 200u << 20, VX_MAP_NEW | VX_MAP_RW) ==
	      STD_NOSPACE, "a 200 MiB segment (more than memory): STD_NOSPACE");
}

/* A child that writes to a read-only (or read-write) mapping. */
static port fault_get;
static semaphore fault_started;

static void
fault_server(char *param, int psize)
{
	header h;
	int32 r;

	(void)param;
	(void)psize;
	memset(&h, 0, sizeof(h));
	h.h_port = fault_get;
	r = rpc_getreq(&h, NULL, 0);
	if (r >= 0) {
		h.h_status = STD_OK;
		rpc_putrep(&h, NULL, 0);
	}
	sema_up(&fault_started);
}

static int
run_fault_child(int rw, int *started)
{
	char data[CHILD_DATALEN], extra[64];
	capability pcap;
	header *h = (header *)data;
	errstat err;
	int gone;

	memset(data, 0, sizeof(data));
	memset(extra, 0x11, sizeof(extra));
	uniqport(&fault_get);
	priv2pub(&fault_get, &h->h_port);
	sema_init(&fault_started, 0);
	*started = 0;
	if (!thread_newthread(fault_server, 16384, NULL, 0))
		return -1;
	err = child_exec(child_fault_main, data, extra, sizeof(extra), rw,
			 NULL, &pcap);
	if (err != STD_OK) {
		printf("# child_exec: %s\n", err_why(err));
		return -1;
	}
	*started = sema_trydown(&fault_started, 10000) == 0;
	if (rw) {
		/* it must still be there, asleep after its write */
		gone = child_gone(&pcap, 300);
		if (!gone)
			std_destroy(&pcap);
		return gone;
	}
	gone = child_gone(&pcap, 5000);
	if (!gone)
		std_destroy(&pcap);
	return gone;
}

static void
test_ro_fault(void)
{
	int started, gone;

	gone = run_fault_child(1, &started);
	CHECK(started, "child with a read-write page started (PS_EXEC)");
	CHECK(gone == 0, "writing a read-write page: the child lives on");
	gone = run_fault_child(0, &started);
	CHECK(started, "child with a read-only page started");
	CHECK(gone == 1, "writing a read-only page: the child faults");
}

static void
test_exec_read_right(void)
{
	char data[CHILD_DATALEN], got[CHILD_DUMPLEN], b[16];
	unsigned char *p1 = (unsigned char *)VA1;
	capability cap, wo, pcap;
	port g, p;
	header h;
	errstat err;
	int32 r;
	long id;

	id = seg_map(NULL, VA1, PG, VX_MAP_NEW | VX_MAP_RW);
	memcpy(p1, "secret: 0123456789", 19);
	seg_unmap(id, &cap);
	std_restrict(&cap, PSR_WRITE, &wo);	/* no read right */
	CHECK(seg_cmd(&wo, BS_READ, 0, 16, b, NULL) == STD_DENIED,
	      "BS_READ without the read right: STD_DENIED");
	memset(data, 0, sizeof(data));
	uniqport(&g);
	priv2pub(&g, &p);
	memcpy(data + 32, &g, sizeof(g));
	err = child_exec(child_dump_main, data, NULL, PG, 0, &wo, &pcap);
	memset(got, 0, sizeof(got));
	if (err == STD_OK) {
		memset(&h, 0, sizeof(h));
		h.h_port = p;
		r = rpc_trans(&h, NULL, 0, &h, got, sizeof(got));
		(void)r;
		std_destroy(&pcap);
		child_gone(&pcap, 5000);
	}
	printf("# exec with a write-only capability: %s\n",
	       err == STD_OK ? "accepted" : err_why(err));
	CHECK(err != STD_OK || memcmp(got, "secret", 6) != 0,
	      "bug: exec refuses a segment capability without the read right");
	std_destroy(&cap);
}

#define VA_MU		0x61000000u

static mutex *moving_mu;		/* a mutex inside a segment */
static volatile int waiter_done;

static void
mu_waiter(char *param, int size)
{
	(void)param;
	(void)size;
	mu_lock(moving_mu);		/* blocks: main holds it */
	mu_unlock(moving_mu);
	waiter_done = 1;
	thread_exit();
}

/*
 * A thread waits on a mutex that lives in a segment; the segment grows,
 * which moves it in physical memory, then the mutex is unlocked.  The
 * waiter must still wake (its kernel wait was on the old address).
 */
static void
test_mutex_moves(void)
{
	long id = seg_map(NULL, VA_MU, PG, VX_MAP_NEW | VX_MAP_RW);
	int spins = 0;

	CHECK(id >= 0, "segment for a mutex");
	if (id < 0)
		return;
	moving_mu = (mutex *)VA_MU;
	mu_init(moving_mu);
	mu_lock(moving_mu);
	CHECK(thread_newthread(mu_waiter, 16384, NULL, 0) != 0,
	      "waiter thread started");
	while (*(volatile mutex *)moving_mu != 2 && spins++ < 1000)
		threadswitch(); /* until the waiter sleeps in the kernel */
	CHECK(*(volatile mutex *)moving_mu == 2, "waiter is blocked on the mutex");
	CHECK(seg_grow(id, 64 * PG) == STD_OK, "grow (moves) the segment");
	mu_unlock(moving_mu);
	for (spins = 0; !waiter_done && spins < 100000; spins++)
		threadswitch();
	CHECK(waiter_done, "waiter woke after its mutex's segment moved");
	CHECK(seg_unmap(id, NULL) == STD_OK, "unmap the mutex segment");
}

/* Regressions of kernel bugs this test found (all fixed). */
static void
test_regressions(void)
{
	volatile unsigned char *p1 = (unsigned char *)VA1;
	volatile unsigned char *p2 = (unsigned char *)VA2;
	capability cap, ro;
	char b[16];
	long id, id2, blk;

	/* 1: shrinking through a read-only mapping changes the data */
	id = seg_map(NULL, VA1, PG, VX_MAP_NEW | VX_MAP_RW);
	p1[10] = 42;
	seg_unmap(id, &cap);
	std_restrict(&cap, PSR_READ, &ro);
	id2 = seg_map(&ro, VA2, 0, 0);
	CHECK(p2[10] == 42 && seg_grow(id2, 1) != STD_OK,
	      "bug: seg_grow through a read-only mapping is refused");
	seg_cmd(&cap, BS_READ, 10, 1, b, NULL);
	CHECK(b[0] == 42, "bug: the data is unchanged after that");
	seg_unmap(id2, NULL);
	std_destroy(&cap);

	/*
	 * 2: growing a segment mapped twice checks only the mapping named;
	 * the other one is stretched over its neighbour.
	 */
	id = seg_map(NULL, VA1, PG, VX_MAP_NEW | VX_MAP_RW);
	seg_unmap(id, &cap);
	id = seg_map(&cap, VA1, 0, VX_MAP_RW);
	id2 = seg_map(&cap, VA2, 0, VX_MAP_RW);
	blk = seg_map(NULL, VA2 + PG, PG, VX_MAP_NEW | VX_MAP_RW);
	p2[PG] = 0x33;
	CHECK(seg_grow(id, 2 * PG) != STD_OK || p2[PG] == 0x33,
	      "bug: growing one mapping does not cover another's neighbour");
	seg_unmap(blk, NULL);
	seg_unmap(id2, NULL);
	seg_unmap(id, NULL);
	std_destroy(&cap);

	/*
	 * 3: exec copies a segment named in the PD (sd_cap) without
	 * checking the read right, so a capability that may not read
	 * (BS_READ: STD_DENIED) still discloses the contents.
	 */
	test_exec_read_right();
}

int
main(void)
{
	char info[80];
	unsigned before, after;
	capability ps;

	/* warm up: the RPC state and the heap, so the count is stable */
	if (kdir_lookup(NULL, PROCESS_SVR_NAME, &ps) == STD_OK)
		std_info(&ps, info, sizeof(info), NULL);
	test_round();		/* also warms the paths */
	before = free_pages();
	printf("# round 2, counting pages\n");
	test_round();
	test_grow();
	test_limits();
	after = free_pages();
	printf("# free pages before %u, after %u\n", before, after);
	CHECK(before != 0 && after == before,
	      "no pages leaked by map/unmap/grow/destroy/running out");
	test_ro_fault();
	test_regressions();
	test_mutex_moves();
	return TEST_DONE();
}
