/*
 * test_group.c - Amoeba's group calls from user programs (group.h).
 *
 * Without arguments, on one node: a group of one member sends and
 * delivers its own messages in order; grp_info, grp_set, the errors
 * (BC_TOOBIG, a bad gid, a bad buffer), leaving, and the join of a group
 * nobody made (BC_NOEXIST once the locate time, 3 s, has passed).
 *
 * `test_group member NAME NMEMBERS NSEND [create] [reset]` is one member
 * of a group across nodes (tests/cluster/t_group.py): the port comes
 * from NAME; the creator waits until NMEMBERS have joined; every member
 * sends NSEND messages, delivers all NMEMBERS * NSEND of them and prints
 * `order: HASH` of the sequence it delivered.  With `reset` the
 * creator's node is killed half way: on BC_ABORT the others grp_reset
 * to NMEMBERS - 1 and go on, until they have every survivor's messages.
 *
 * With `pace` a member waits 100 ms between its sends; with `list` it
 * prints the ids (who * WHO + i, hex) of the data messages it delivered,
 * in order, on `seq:` lines.  `test_group joiner NAME CYCLES K` joins
 * that group while its traffic flows, delivers K data messages, leaves
 * (and delivers what came before its LEAVE), CYCLES times; each cycle's
 * ids on `jseq C:` lines (tests/cluster/t_group.py checks each is a run
 * of the members' one sequence).
 *
 * `test_group bench NAME NMEMBERS R [create]` measures for make bench
 * (tests/cluster/bench_group.py): the creator, once NMEMBERS (resilience
 * R) are in, times null sends until it delivers its own message, then
 * 1 KiB and 8 KiB messages sent back to back; the others deliver until
 * the creator's last message.  `bench: NAME VALUE UNIT` lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amoeba.h"
#include "stderr.h"
#include "group.h"
#include "thread.h"
#include "semaphore.h"
#include "module/rnd.h"
#include "module/syscall.h"
#include "check.h"

#define NSEND	20
#define MSGMAX	1024

static port gport;

#define OP_DONE	3	/* member mode: "I delivered everything" */
#define WHO	100000	/* h_offset of message i of member who: who * WHO + i */
#define MAXWHO	8	/* member mode: members tracked */
#define MAXSEND	2000	/* member mode: messages per member tracked */

static int m_done_seen;		/* member mode: OP_DONE messages delivered */
static int m_reset;		/* member mode: member 0 is killed; reset */
static int m_nmem;		/* member mode: members at the start */
static volatile int m_resets;	/* grp_reset calls that rebuilt the group */
static uint8_t m_seen[MAXWHO][MAXSEND];	/* reset mode: messages delivered */
static int m_pace;		/* member mode: ms between sends */
static int m_list_wanted;	/* member mode: print the ids delivered */
#define MAXLIST	8192
static uint32 m_list[MAXLIST];	/* data messages delivered, in order */
static int m_nlist;

/*
 * After BC_ABORT (the sequencer's node was killed): grp_reset until the
 * survivors form the group again.  0, or -1 when it never did.
 */
static int
member_reset(g_id_t gid)
{
	header h;
	int32 r = BC_FAIL;

	memset(&h, 0, sizeof(h));
	for (int i = 0; i < 20 && r < 0; i++) {
		r = grp_reset(gid, &h, (g_indx_t)(m_nmem - 1));
		printf("group: grp_reset: %d\n", (int)r);
	}
	fflush(stdout);
	m_resets += r >= 0;
	return r >= 0 ? 0 : -1;
}

/*
 * Are we done delivering?  got data messages of n; in reset mode every
 * survivor's messages (the killed member's may be cut short).
 */
static int
deliver_done(int got, int n)
{
	int nsend = n / m_nmem;

	if (!m_reset)
		return got >= n;
	for (int w = 2; w <= m_nmem; w++)
		for (int i = 0; i < nsend; i++)
			if (!m_seen[w][i])
				return 0;
	return 1;
}

/* Deliver n data messages (skipping joins and leaves); their order hash. */
static unsigned long
deliver(g_id_t gid, int n, int *bad)
{
	char buf[MSGMAX];
	unsigned long hash = 5381;
	header h;
	int got = 0, more;

	while (!deliver_done(got, n)) {
		int32 r = grp_receive(gid, &h, buf, sizeof(buf), &more);
		uint32 who, i;

		if (r == BC_ABORT && m_reset && member_reset(gid) == 0)
			continue;
		if (r < 0) {
			printf("group: grp_receive: error %d after %d\n",
			       (int)r, got);
			(*bad)++;
			return 0;
		}
		m_done_seen += h.h_command == OP_DONE;
		if (h.h_command != 1)
			continue;		/* a join, a leave, a DONE */
		hash = hash * 33 + (unsigned long)h.h_offset;
		got++;
		if (m_nlist < MAXLIST)
			m_list[m_nlist++] = (uint32)h.h_offset;
		who = (uint32)h.h_offset / WHO;
		i = (uint32)h.h_offset % WHO;
		if (who < MAXWHO && i < MAXSEND)
			m_seen[who][i] = 1;
	}
	return hash;
}

static void
sendall(g_id_t gid, int who, int n, int *bad)
{
	char buf[64];
	header h;

	for (int i = 0, tries = 0; i < n; i++) {
		memset(&h, 0, sizeof(h));
		h.h_command = 1;
		h.h_offset = who * WHO + i;
		snprintf(buf, sizeof(buf), "message %d of %d", i, who);
		errstat e = grp_send(gid, &h, buf, (uint32)strlen(buf) + 1);

		if (e == BC_ABORT && m_reset && tries++ < 600) {
			sys_sleep(100);		/* the receiver resets */
			i--;			/* the same one again */
			continue;
		}
		if (e != STD_OK && (*bad)++ == 0)
			printf("group: grp_send %d: error %d\n", i, (int)e);
		if (m_pace)
			sys_sleep(m_pace);
		if (i == n / 2) {
			printf("group: half sent\n");
			fflush(stdout);
		}
	}
}

static void
check_errors(g_id_t gid)
{
	static char big[4096];
	header h;

	memset(&h, 0, sizeof(h));
	CHECK(grp_send(gid, &h, big, sizeof(big)) == BC_TOOBIG,
	      "a message above maxmess: BC_TOOBIG");
	CHECK(grp_send(gid + 7, &h, big, 1) != STD_OK, "a bad gid: refused");
	CHECK(grp_send(gid, &h, (bufptr)0x10, 8) == STD_ARGBAD,
	      "a bad buffer pointer: STD_ARGBAD");
}

/* grp_join of a port nobody created: BC_NOEXIST in a few seconds. */
static void
join_nobody(void)
{
	unsigned long t0 = sys_milli(), ms;
	header h;
	g_id_t r;

	memset(&h, 0, sizeof(h));
	uniqport(&h.h_port);
	r = grp_join(&h);
	ms = sys_milli() - t0;
	printf("# grp_join of nobody's group: %d after %lu ms\n", (int)r, ms);
	CHECK(r == BC_NOEXIST && ms >= 2000 && ms < 8000,
	      "grp_join of a group nobody made: BC_NOEXIST after the "
	      "locate time (3 s)");
}

static int
local_test(void)
{
	grpstate_t st;
	g_indx_t mem[8];
	unsigned long hash, want = 5381;
	header h;
	g_id_t gid;
	int bad = 0;

	uniqport(&gport);
	gid = grp_create(&gport, 0, 8, 5, 10);
	if (!CHECK(gid >= 0, "grp_create"))
		return TEST_DONE();
	sendall(gid, 1, NSEND, &bad);
	hash = deliver(gid, NSEND, &bad);
	for (int i = 0; i < NSEND; i++)
		want = want * 33 + (unsigned long)(WHO + i);
	CHECK(bad == 0 && hash == want,
	      "a one-member group delivers its 20 messages in send order");
	CHECK(grp_info(gid, &gport, &st, mem, 8) == STD_OK &&
	      st.st_total == 1 && st.st_myid == st.st_seqid,
	      "grp_info: one member, the sequencer");
	CHECK(grp_set(gid, &gport, 0, 0, 0, 512) == STD_OK, "grp_set");
	check_errors(gid);
	memset(&h, 0, sizeof(h));
	CHECK(grp_leave(gid, &h) == STD_OK, "grp_leave");
	join_nobody();
	return TEST_DONE();
}

/* The delivering thread of a member: all nmem * nsend data messages. */
static g_id_t m_gid;
static int m_total;
static volatile int m_bad;
static semaphore m_done;
static volatile unsigned long m_hash;

static void
member_receiver(char *param, int psize)
{
	int bad = 0;

	(void)param;
	(void)psize;
	m_hash = deliver(m_gid, m_total, &bad);
	m_bad = bad;
	sema_up(&m_done);
	thread_exit();
}

/*
 * The end of member mode: tell the others we delivered everything, wait
 * (bounded) until all nmem said so, then leave.  Nobody's exit (a
 * sequencer's exit ends the group for those still catching up) comes
 * before every member delivered every data message.
 */
static void
member_end(g_id_t gid, int nmem)
{
	unsigned long t0 = sys_milli();
	char buf[MSGMAX];
	header h;
	int32 r;
	int more;

	memset(&h, 0, sizeof(h));
	h.h_command = OP_DONE;
	if (grp_send(gid, &h, NULL, 0) != STD_OK)
		return;
	nmem -= m_reset;		/* the killed member says nothing */
	while (m_done_seen < nmem && sys_milli() - t0 < 60000) {
		r = grp_receive(gid, &h, buf, sizeof(buf), &more);
		if (r < 0) {
			printf("group: end: grp_receive: error %d\n", (int)r);
			return;
		}
		m_done_seen += h.h_command == OP_DONE;
	}
	memset(&h, 0, sizeof(h));
	r = grp_leave(gid, &h);
	printf("group: all %d done, left: %d\n", m_done_seen, (int)r);
}

/*
 * One member of a group across nodes; prints its order hash.  A second
 * thread delivers while this one sends, so the history never fills with
 * messages nobody reads.
 */
/* Print ids[0..n) as `tag` lines of 16. */
static void
print_list(const char *tag, const uint32 *ids, int n)
{
	for (int i = 0; i < n; i += 16) {
		printf("%s", tag);
		for (int k = i; k < n && k < i + 16; k++)
			printf(" %lx", (unsigned long)ids[k]);
		printf("\n");
	}
	fflush(stdout);
}

static int
member(const char *name, int nmem, int nsend, int create, int reset)
{
	grpstate_t st;
	unsigned long t0 = sys_milli();
	header h;
	int bad = 0;

	memset(&gport, 0, sizeof(gport));
	memcpy(gport._portbytes, name, strnlen(name, PORTSIZE));
	memset(&h, 0, sizeof(h));
	h.h_port = gport;
	m_gid = create ? grp_create(&gport, 1, 16, 6, 10) : grp_join(&h);
	printf("group: %s gid %d\n", create ? "created" : "joined",
	       (int)m_gid);
	if (m_gid < 0)
		return 1;
	do {
		if (grp_info(m_gid, &gport, &st, NULL, 0) != STD_OK)
			return 1;
		sys_sleep(20);
	} while (st.st_total < nmem && sys_milli() - t0 < 60000);
	printf("group: %d members\n", st.st_total);
	fflush(stdout);
	m_total = nmem * nsend;
	m_nmem = nmem;
	m_reset = reset && nmem <= MAXWHO - 1 && nsend <= MAXSEND;
	sema_init(&m_done, 0);
	if (!thread_newthread(member_receiver, 32768, NULL, 0))
		return 1;
	sendall(m_gid, st.st_myid + 1, nsend, &bad);
	sema_down(&m_done);
	grp_info(m_gid, &gport, &st, NULL, 0);
	printf("group: member %d of %d, sequencer %d, next %lu, %lu ms\n",
	       st.st_myid, st.st_total, st.st_seqid,
	       (unsigned long)st.st_nextseqno, sys_milli() - t0);
	printf("order: %lx bad %d resets %d\n", m_hash, bad + m_bad,
	       m_resets);
	fflush(stdout);
	if (m_list_wanted)
		print_list("seq:", m_list, m_nlist);
	if (bad + m_bad == 0)
		member_end(m_gid, nmem);
	fflush(stdout);
	return bad + m_bad != 0;
}

/*
 * Joiner mode: join the group of name while it carries traffic, deliver
 * k data messages, leave; cycles times.  0 when every cycle got its k.
 */
static int
joiner(const char *name, int cycles, int k)
{
	static uint32 ids[MAXLIST];
	char buf[MSGMAX], tag[24];
	unsigned long t0;
	header h;
	g_id_t gid;
	int c, n, more, bad = 0;
	int32 r;

	memset(&gport, 0, sizeof(gport));
	memcpy(gport._portbytes, name, strnlen(name, PORTSIZE));
	for (c = 0; c < cycles && k <= MAXLIST; c++) {
		t0 = sys_milli();
		do {
			memset(&h, 0, sizeof(h));
			h.h_port = gport;
			gid = grp_join(&h);
		} while (gid < 0 && sys_milli() - t0 < 120000);
		printf("joiner: cycle %d joined: gid %d\n", c, (int)gid);
		if (gid < 0)
			return 1;
		for (n = 0; n < k && sys_milli() - t0 < 120000;) {
			r = grp_receive(gid, &h, buf, sizeof(buf), &more);
			if (r < 0) {
				printf("joiner: grp_receive: error %d\n",
				       (int)r);
				break;
			}
			if (h.h_command == 1)
				ids[n++] = (uint32)h.h_offset;
		}
		memset(&h, 0, sizeof(h));
		r = grp_leave(gid, &h);
		/* what was ordered before our LEAVE is still ours; the
		 * group is gone (receive fails) once the LEAVE is read */
		while (n < MAXLIST && sys_milli() - t0 < 120000 &&
		       grp_receive(gid, &h, buf, sizeof(buf), &more) >= 0)
			if (h.h_command == 1)
				ids[n++] = (uint32)h.h_offset;
		printf("joiner: cycle %d: %d messages, left: %d\n", c, n,
		       (int)r);
		snprintf(tag, sizeof(tag), "jseq %d:", c);
		print_list(tag, ids, n);
		bad += n < k || r != STD_OK;
	}
	printf("joiner: done, bad %d\n", bad);
	fflush(stdout);
	return bad != 0;
}

#define BENCH_NULL	200
#define BENCH_BULK	200
#define OP_DATA		1
#define OP_STOP		2

/* Send one message of n bytes and deliver until it comes back. */
static int
send_own(g_id_t gid, int op, int32 tag, char *buf, uint32 n)
{
	static char rbuf[8192];
	header h;
	int more;

	memset(&h, 0, sizeof(h));
	h.h_command = (command)op;
	h.h_offset = tag;
	if (grp_send(gid, &h, buf, n) != STD_OK)
		return -1;
	for (;;) {
		if (grp_receive(gid, &h, rbuf, sizeof(rbuf), &more) < 0)
			return -1;
		if (h.h_command == op && h.h_offset == tag)
			return 0;
	}
}

static unsigned long long
now_us(void)
{
	unsigned long long us = 0;

	sys_micro(&us);
	return us;
}

/*
 * Send cnt messages of n bytes, each delivered back before the next (the
 * creator is the only sender, so message i is the next one it delivers);
 * KiB/s over the whole run, 0 on an error.
 */
static unsigned
bulk(g_id_t gid, uint32 n, int cnt)
{
	static char buf[8192], rbuf[8192];
	unsigned long long t0 = now_us(), us;
	header h;
	int more;

	for (int i = 0; i < cnt; i++) {
		memset(&h, 0, sizeof(h));
		h.h_command = OP_DATA;
		h.h_offset = i;
		if (grp_send(gid, &h, buf, n) != STD_OK ||
		    grp_receive(gid, &h, rbuf, sizeof(rbuf), &more) != (int32)n)
			return 0;
	}
	us = now_us() - t0;
	return us ? (unsigned)((unsigned long long)n * (unsigned)cnt *
			       1000000ull / us / 1024) : 0;
}

static int
bench(const char *name, int nmem, int r, int create)
{
	static char rbuf[8192];
	unsigned long t0;
	grpstate_t st;
	header h;
	g_id_t gid;
	int more;

	memset(&gport, 0, sizeof(gport));
	memcpy(gport._portbytes, name, strnlen(name, PORTSIZE));
	memset(&h, 0, sizeof(h));
	h.h_port = gport;
	gid = create ? grp_create(&gport, (g_indx_t)r, 16, 7, 14)
		     : grp_join(&h);
	printf("group: %s gid %d\n", create ? "created" : "joined", (int)gid);
	fflush(stdout);
	if (gid < 0)
		return 1;
	if (!create) {			/* deliver until the creator stops */
		while (grp_receive(gid, &h, rbuf, sizeof(rbuf), &more) >= 0)
			if (h.h_command == OP_STOP)
				return 0;
		return 1;
	}
	t0 = sys_milli();
	do {
		grp_info(gid, &gport, &st, NULL, 0);
		sys_sleep(20);
	} while (st.st_total < nmem && sys_milli() - t0 < 60000);
	{
		unsigned long long u0 = now_us();

		for (int i = 0; i < BENCH_NULL; i++)
			if (send_own(gid, OP_DATA, -1 - i, NULL, 0) != 0)
				return 1;
		printf("bench: grp_null_%dm_r%d %u us\n", nmem, r,
		       (unsigned)((now_us() - u0) / BENCH_NULL));
	}
	printf("bench: grp_1k_%dm_r%d %u KiB/s\n", nmem, r,
	       bulk(gid, 1024, BENCH_BULK));
	printf("bench: grp_8k_%dm_r%d %u KiB/s\n", nmem, r,
	       bulk(gid, 8192, BENCH_BULK));
	send_own(gid, OP_STOP, 0, NULL, 0);
	fflush(stdout);
	return 0;
}

/* Is word among argv[5..]? */
static int
has_word(int argc, char **argv, const char *word)
{
	for (int i = 5; i < argc; i++)
		if (strcmp(argv[i], word) == 0)
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 5 && strcmp(argv[1], "bench") == 0)
		return bench(argv[2], atoi(argv[3]), atoi(argv[4]),
			     argc > 5 && strcmp(argv[5], "create") == 0);
	if (argc >= 5 && strcmp(argv[1], "joiner") == 0)
		return joiner(argv[2], atoi(argv[3]), atoi(argv[4]));
	m_pace = has_word(argc, argv, "pace") ? 100 : 0;
	m_list_wanted = has_word(argc, argv, "list");
	if (argc >= 5 && strcmp(argv[1], "member") == 0)
		return member(argv[2], atoi(argv[3]), atoi(argv[4]),
			      has_word(argc, argv, "create"),
			      has_word(argc, argv, "reset"));
	return local_test();
}
