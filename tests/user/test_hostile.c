/*
 * test_hostile.c - user programs that try to take the kernel down, each
 * a regression of a kernel bug found by review (all fixed):
 *
 *   - a process killed while two of its threads wait for a console line
 *     (one holding the line lock, one queued on it): the queued thread
 *     spun in kmutex_lock with interrupts off, hanging the machine;
 *   - a segment mapped twice and unmapped to a capability twice kept an
 *     extra reference per unmap: std_destroy left it (and its pages)
 *     alive for good; PS_SEG_CREATE did not check the create right;
 *   - growing a segment mapped in several places when memory is short:
 *     remapping needed page tables it could not get, and the kernel
 *     panicked instead of failing the call;
 *   - TTQ_READs waiting for input on every thread of the console's tty
 *     server stopped all output (stdout goes through that server);
 *   - a 16 MiB console write held the CPU to the end (the kernel is not
 *     preemptive) and could not be killed;
 *   - a getreq whose buffer or header was unmapped while it waited
 *     returned RPC_BADADDRESS but left the thread serving: the client
 *     waited for ever and every later getreq failed.
 *
 * Run as `init=test_hostile`; ok/not ok lines, exit status 0 = all passed.
 */
#include <stdio.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <semaphore.h>
#include <thread.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/process/proc.h>
#include <server/tty/tty.h>

#include "check.h"
#include "child.h"

#define PG		4096u
#define VA1		0x60000000u
#define VA2		0x60100000u

static unsigned
free_pages(void)
{
	struct vx_stats st;

	if (sys_stats(&st) != STD_OK)
		return 0;
	return st.free_pages;
}

/* ---- killed while queued on the console line lock --------------------- */

static void __attribute__((noreturn, noinline, used))
child_reader(void)
{
	sys_console_read((void *)(CHILD_BUF + 0x7000), 64, 0);
	for (;;)
		sys_sleep(100000);
}

/*
 * Two reader threads (the second one queued behind the first on the
 * line lock), then exit: the kill wakes the newer, queued one first.
 */
static void __attribute__((noreturn, noinline, used))
child_readers_main(void)
{
	sys_newthread(child_reader, (void *)(CHILD_BUF + 0x2000 - 16), NULL);
	sys_sleep(100);
	sys_newthread(child_reader, (void *)(CHILD_BUF + 0x4000 - 16), NULL);
	sys_sleep(100);
	exitprocess(0);
}

static void
test_kill_console_readers(void)
{
	char data[CHILD_DATALEN];
	capability pcap;
	errstat err;

	memset(data, 0, sizeof(data));
	err = child_exec(child_readers_main, data, NULL, 0, 0, NULL, &pcap);
	CHECK(err == STD_OK, "child with two console readers started");
	if (err != STD_OK)
		return;
	CHECK(child_gone(&pcap, 5000),
	      "it exits with a reader queued on the line lock (no hang)");
}

/* ---- a long console write can be preempted and killed ------------------ */

#define BIGWRITE	(16u << 20)	/* the most one call may write */

static void __attribute__((noreturn, noinline, used))
child_writer_main(void)
{
	sys_console_write((void *)CHILD_EXTRA, BIGWRITE);
	exitprocess(1);
}

/* Wait up to ms for at least n more free pages; 1 if they came. */
static int
pages_back(unsigned base, unsigned n, int ms)
{
	unsigned long t0 = sys_milli();

	while (free_pages() < base + n) {
		if ((long)(sys_milli() - t0) > ms)
			return 0;
		sys_sleep(10);
	}
	return 1;
}

static void
test_kill_console_writer(void)
{
	char data[CHILD_DATALEN], name[96];
	unsigned long t0, late;
	capability pcap, spaces;
	unsigned base;
	errstat err;
	long id;
	int gone;

	/* 16 MiB of spaces, for the child's CHILD_EXTRA */
	id = seg_map(NULL, VA1, BIGWRITE, VX_MAP_NEW | VX_MAP_RW);
	if (id < 0) {
		CHECK(0, "16 MiB for the console writer");
		return;
	}
	memset((void *)VA1, ' ', BIGWRITE);
	seg_unmap(id, &spaces);
	memset(data, 0, sizeof(data));
	err = child_exec(child_writer_main, data, NULL, BIGWRITE, 0, &spaces,
			 &pcap);
	t0 = sys_milli();
	std_destroy(&spaces);
	if (err != STD_OK) {
		CHECK(0, "child writing 16 MiB to the console started");
		return;
	}
	sys_sleep(100);			/* the child writes meanwhile */
	late = sys_milli() - t0;
	base = free_pages();
	t0 = sys_milli();
	std_destroy(&pcap);
	gone = pages_back(base, BIGWRITE / PG, 2000);
	printf("\n");		/* after the child's spaces */
	CHECK(1, "child writing 16 MiB to the console started");
	snprintf(name, sizeof(name), "other processes run meanwhile (100 ms "
		 "of sleep took %lu ms)", late);
	CHECK(late < 600, name);
	snprintf(name, sizeof(name), "the writer is killed and gone at once "
		 "(%lu ms)", sys_milli() - t0);
	CHECK(gone, name);
}

/* ---- readers cannot take every tty server thread ----------------------- */

#define NREADERS	3		/* the console server's threads */

static capability tty_cap;
static volatile int reader_status[NREADERS];
static volatile int nreaders;

static void
tty_reader(char *param, int psize)
{
	int me = nreaders++;
	header h;
	char b[16];

	(void)param;
	(void)psize;
	memset(&h, 0, sizeof(h));
	h.h_port = tty_cap.cap_port;
	h.h_priv = tty_cap.cap_priv;
	h.h_command = TTQ_READ;
	h.h_size = sizeof(b);
	reader_status[me] = 1;		/* waiting */
	if (rpc_trans(&h, NULL, 0, &h, b, sizeof(b)) >= 0)
		reader_status[me] = ERR_CONVERT(h.h_status);
}

static void
test_tty_readers(void)
{
	static const char msg[] = "# tty: written with readers waiting\n";
	int i, refused = 0;
	header h;
	int32 r;

	CHECK(kdir_lookup(NULL, TTY_SVR_NAME, &tty_cap) == STD_OK,
	      "the console tty server");
	for (i = 0; i < NREADERS; i++)
		thread_newthread(tty_reader, 8192, NULL, 0);
	sys_sleep(300);
	for (i = 0; i < NREADERS; i++)
		refused += reader_status[i] == STD_NOTNOW;
	memset(&h, 0, sizeof(h));
	h.h_port = tty_cap.cap_port;
	h.h_priv = tty_cap.cap_priv;
	h.h_command = TTQ_WRITE;
	h.h_size = sizeof(msg) - 1;
	r = rpc_trans(&h, (bufptr)msg, sizeof(msg) - 1, &h, NULL, 0);
	CHECK(r >= 0 && ERR_CONVERT(h.h_status) == STD_OK,
	      "TTQ_WRITE while TTQ_READs wait on all the server's threads");
	CHECK(refused == 1, "the read that would take the last thread: "
	      "STD_NOTNOW");
}

/* ---- getreq whose buffer is unmapped while it waits -------------------- */

#define VA_GBUF		0x61000000u

static port gq_get, gq_put;
static int gq_hdr_gone;		/* unmap the header, not the buffer */
static volatile long gq_first, gq_second;
static semaphore gq_waiting, gq_replied, gq_served;

/* A server thread: getreq into VA_GBUF (unmapped meanwhile), then again. */
static void
gq_server(char *param, int psize)
{
	header h;
	int32 r;

	(void)param;
	(void)psize;
	header *hp = gq_hdr_gone ? (header *)VA_GBUF : &h;

	memset(hp, 0, sizeof(*hp));
	hp->h_port = gq_get;
	sema_up(&gq_waiting);
	gq_first = gq_hdr_gone ? rpc_getreq(hp, NULL, 0) :
				 rpc_getreq(hp, (bufptr)VA_GBUF, 64);
	memset(&h, 0, sizeof(h));
	h.h_port = gq_get;
	r = rpc_getreq(&h, NULL, 0);
	gq_second = r;
	if (r >= 0) {
		h.h_status = STD_OK;
		rpc_putrep(&h, NULL, 0);
	}
	sema_up(&gq_served);
	for (;;)			/* a server thread does not end */
		sys_sleep(100000);
}

static volatile long gq_result;

static void
gq_client(char *param, int psize)
{
	char buf[16] = "request";
	header h;

	(void)param;
	(void)psize;
	memset(&h, 0, sizeof(h));
	h.h_port = gq_put;
	gq_result = rpc_trans(&h, (bufptr)buf, sizeof(buf), &h, NULL, 0);
	sema_up(&gq_replied);
}

static void
getreq_buffer_gone(int hdr_gone)
{
	long id = seg_map(NULL, VA_GBUF, PG, VX_MAP_NEW | VX_MAP_RW);
	const char *what = hdr_gone ? "header" : "buffer";
	char name[100];
	header h;
	int32 r;

	gq_hdr_gone = hdr_gone;
	gq_result = 1;

	uniqport(&gq_get);
	priv2pub(&gq_get, &gq_put);
	sema_init(&gq_waiting, 0);
	sema_init(&gq_replied, 0);
	sema_init(&gq_served, 0);
	gq_first = gq_second = 1;
	if (id < 0 || !thread_newthread(gq_server, 8192, NULL, 0)) {
		CHECK(0, "a server thread in getreq");
		return;
	}
	sema_down(&gq_waiting);
	sys_sleep(50);			/* it is in getreq now */
	seg_unmap(id, NULL);
	thread_newthread(gq_client, 8192, NULL, 0);
	snprintf(name, sizeof(name), "the client of a getreq whose %s went "
		 "away gets an answer", what);
	CHECK(sema_trydown(&gq_replied, 3000) == 0 && gq_result >= 0, name);
	CHECK(gq_first == RPC_BADADDRESS, "that getreq: RPC_BADADDRESS");
	memset(&h, 0, sizeof(h));
	h.h_port = gq_put;
	r = rpc_trans(&h, NULL, 0, &h, NULL, 0);
	sema_trydown(&gq_served, 3000);
	printf("# getreq: first %ld, client %ld, second %ld, trans %ld\n",
	       gq_first, gq_result, gq_second, (long)r);
	CHECK(r >= 0 && gq_second >= 0,
	      "the server thread is not left serving: it serves the next one");
}

static void
test_getreq_buffer_gone(void)
{
	getreq_buffer_gone(0);
	getreq_buffer_gone(1);
}

/* ---- one capability reference per segment ------------------------------ */

static void
test_capref_once(void)
{
	capability cap, c1, c2;
	unsigned before;
	char info[80];
	long id, id1, id2;

	/* first the page table, this thread's RPC state, stdout's buffer */
	printf("# one capability reference per segment\n");
	id = seg_map(NULL, VA1, PG, VX_MAP_NEW | VX_MAP_RW);
	seg_unmap(id, &cap);
	std_destroy(&cap);
	before = free_pages();
	id = seg_map(NULL, VA1, 4 * PG, VX_MAP_NEW | VX_MAP_RW);
	CHECK(id >= 0 && seg_unmap(id, &cap) == STD_OK,
	      "a new segment unmapped to a capability");
	id1 = seg_map(&cap, VA1, 0, VX_MAP_RW);
	id2 = seg_map(&cap, VA2, 0, VX_MAP_RW);
	CHECK(id1 >= 0 && id2 >= 0, "mapped twice by its capability");
	CHECK(seg_unmap(id1, &c1) == STD_OK && seg_unmap(id2, &c2) == STD_OK,
	      "both mappings unmapped to a capability");
	CHECK(std_destroy(&cap) == STD_OK, "std_destroy");
	CHECK(std_info(&cap, info, sizeof(info), NULL) == STD_CAPBAD,
	      "the segment is gone after std_destroy");
	snprintf(info, sizeof(info), "its pages are free again (%u free "
		 "before, %u after)", before, free_pages());
	CHECK(free_pages() == before, info);
}

/* ---- PS_SEG_CREATE needs the create right ------------------------------ */

static void
test_seg_create_right(void)
{
	capability ps, ro, made;
	header h;
	int32 r;

	if (kdir_lookup(NULL, PROCESS_SVR_NAME, &ps) != STD_OK ||
	    std_restrict(&ps, PSR_READ, &ro) != STD_OK) {
		CHECK(0, "a read-only process server capability");
		return;
	}
	memset(&h, 0, sizeof(h));
	h.h_port = ro.cap_port;
	h.h_priv = ro.cap_priv;
	h.h_command = PS_SEG_CREATE;
	h.h_offset = (int32)PG;
	r = rpc_trans(&h, NULL, 0, &h, NULL, 0);
	if (r >= 0 && h.h_status == STD_OK) {
		made.cap_port = h.h_port;
		made.cap_priv = h.h_priv;
		std_destroy(&made);
	}
	CHECK(r >= 0 && ERR_CONVERT(h.h_status) == STD_DENIED,
	      "PS_SEG_CREATE without the create right: STD_DENIED");
}

/* ---- growing a shared segment with memory exhausted -------------------- */

#define VA_S		0x90000000u	/* 4 mappings, 16 MiB apart */
#define NMAP_S		4
#define VA_R		0xA0000000u	/* exactly the new size */
#define VA_FILL		0xA1000000u
#define GROW_LEN	(12u << 20)	/* 3 page tables per mapping */
#define NFILL		400

static capability fill[NFILL];

/* Take every free page but the reserve; returns the segments made. */
static int
exhaust(void)
{
	unsigned long len = 64u << 20;
	int n = 0;
	long id;

	while (len >= PG && n < NFILL) {
		id = seg_map(NULL, VA_FILL, len, VX_MAP_NEW | VX_MAP_RW);
		if (id < 0) {
			len /= 2;
			continue;
		}
		if (seg_unmap(id, &fill[n]) != STD_OK)
			break;
		n++;
	}
	return n;
}

static void
test_grow_no_memory(void)
{
	volatile unsigned char *s0 = (unsigned char *)VA_S;
	long ids[NMAP_S], id, r;
	capability cap;
	char name[96];
	int i, n, ok = 1;

	id = seg_map(NULL, VA_S, PG, VX_MAP_NEW | VX_MAP_RW);
	s0[5] = 0x5A;
	seg_unmap(id, &cap);
	for (i = 0; i < NMAP_S; i++) {
		ids[i] = seg_map(&cap, VA_S + (unsigned)i * (16u << 20), 0,
				 VX_MAP_RW);
		ok &= ids[i] >= 0;
	}
	CHECK(ok, "one page mapped 4 times, 16 MiB apart");
	id = seg_map(NULL, VA_R, GROW_LEN, VX_MAP_NEW | VX_MAP_RW);
	n = exhaust();
	seg_unmap(id, NULL);		/* free exactly the new size */
	r = seg_grow(ids[0], GROW_LEN);	/* needs 8 page tables */
	snprintf(name, sizeof(name), "grow to 12 MiB with memory exhausted "
		 "(%d segments): %ld, the kernel lives on", n, r);
	CHECK(r == STD_OK || r == STD_NOSPACE, name);
	for (i = 0; i < n; i++)
		std_destroy(&fill[i]);
	CHECK(s0[5] == 0x5A && ((volatile unsigned char *)VA_S +
				(16u << 20))[5] == 0x5A,
	      "the contents survive in every mapping");
	CHECK(seg_grow(ids[0], GROW_LEN) == STD_OK &&
	      ((volatile unsigned char *)VA_S + (48u << 20))[GROW_LEN - 1] == 0,
	      "with memory back the grow works in every mapping");
	for (i = 0; i < NMAP_S; i++)
		seg_unmap(ids[i], NULL);
	CHECK(std_destroy(&cap) == STD_OK, "the grown segment destroyed");
}

int
main(void)
{
	test_capref_once();
	test_seg_create_right();
	test_kill_console_readers();
	test_grow_no_memory();
	test_tty_readers();
	test_kill_console_writer();
	test_getreq_buffer_gone();
	return TEST_DONE();
}
