/*
 * test_nic.c - in-kernel NIC tests, driven by tests/drivers/t_nic.py.
 *
 * nic_pingpong runs on two nodes joined by a VDE switch, one with
 * `nicrole=echo` and one with `nicrole=send`, exchanging raw frames of
 * ethertype 0x88B5.  The sender, for each of its NICs (`nicdev=N` picks
 * one): finds the echo node by broadcast, checks 200 echoes of every
 * size from 60 to 1514 bytes, sends a burst of `nicburst` (10000)
 * minimum-size and then `nicbig` (2000) full-size frames paced by a sync
 * every `nicwin` frames and checks that the echo node got every one once
 * and in order, then checks the multicast filter (a frame to
 * 55:55:0a:0b:0c:0d is seen only while the echo node has joined it).
 * It prints `bench: nic_<model>_fps` when both ends are one model.
 * `nicflood=N` adds N frames sent without pacing (drops allowed, failures
 * and hangs not), then checks the pair still echoes.
 *
 * nic_unit checks the NIC layer itself (padding, length checks, the
 * multicast list, the software filter, the CRC) on a fake NIC that is
 * never registered.
 *
 * Concurrency: the rx hooks run in the drivers' interrupt threads; the
 * echo side answers from there, the sender side copies frames into a
 * mailbox and wakes the test thread.
 */
#include <stdint.h>
#include <string.h>

#include <stderr.h>

#include "kernel/arch/arch.h"
#include "kernel/cmdline.h"
#include "kernel/klib.h"
#include "tests/kernel/ktest.h"
#include "kernel/mem.h"
#include "drivers/net/nic.h"
#include "kernel/thread.h"

#define ETYPE 0x88B5
#define MB_SLOTS 64
#define BURST_MAX 65536

enum op {
	OP_HELLO = 1, OP_HELLO_ACK, OP_ECHO, OP_ECHO_REPLY, OP_BURST,
	OP_SYNC, OP_SYNC_ACK, OP_JOIN, OP_LEAVE, OP_JOINED, OP_MPROBE,
	OP_MPROBE_ACK, OP_STATS, OP_STATS_REPLY, OP_DONE, OP_DONE_ACK,
	OP_RESET,
};

struct tmsg {                   /* after the Ethernet header */
	uint8_t op;
	uint8_t final;          /* OP_DONE: the echo node may stop */
	uint16_t len;           /* bytes of data[] that matter */
	uint32_t seq;
	uint32_t arg[6];
	uint8_t data[];
} __attribute__((packed));

struct tframe {
	uint8_t dst[6], src[6];
	uint8_t type[2];
	struct tmsg m;
} __attribute__((packed));

static const uint8_t mgroup[6] = { 0x55, 0x55, 0x0A, 0x0B, 0x0C, 0x0D };
static const uint8_t bcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

static void
frame_init(struct tframe *f, const struct nic *nic, const uint8_t *dst,
	   uint8_t op, uint32_t seq)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->dst, dst, 6);
	memcpy(f->src, nic->mac, 6);
	f->type[0] = ETYPE >> 8;
	f->type[1] = ETYPE & 0xFF;
	f->m.op = op;
	f->m.seq = seq;
}

static bool
is_test_frame(const uint8_t *frame, size_t len)
{
	return len >= sizeof(struct tframe) && frame[12] == (ETYPE >> 8) &&
	       frame[13] == (ETYPE & 0xFF);
}

/* ---- the echo node ------------------------------------------------------ */

struct echo_state {
	uint8_t *seen;          /* burst bitmap */
	uint32_t got, dups, disorder, next;
	uint32_t mprobes;
	volatile bool final;
};

static struct echo_state echo_st;
static nic_rx_fn saved_rx[NIC_MAX];     /* the hooks (FLIP) to restore */
static void *saved_arg[NIC_MAX];

static void
echo_reply(struct nic *nic, struct tframe *f, size_t len, uint8_t op)
{
	memcpy(f->dst, f->src, 6);
	memcpy(f->src, nic->mac, 6);
	f->m.op = op;
	nic_send(nic, f, len);
}

static void
echo_burst(struct echo_state *st, uint32_t seq)
{
	if (seq >= BURST_MAX)
		return;
	if (st->seen[seq >> 3] & (1u << (seq & 7))) {
		st->dups++;
		return;
	}
	st->seen[seq >> 3] |= (uint8_t)(1u << (seq & 7));
	st->got++;
	if (seq != st->next)
		st->disorder++;
	st->next = seq + 1;
}

static void
echo_stats(struct nic *nic, struct echo_state *st, struct tframe *f)
{
	struct nic_stats s;

	nic_get_stats(nic, &s);
	f->m.arg[0] = st->got;
	f->m.arg[1] = st->dups;
	f->m.arg[2] = st->disorder;
	f->m.arg[3] = st->mprobes;
	f->m.arg[4] = s.rx_filtered;
	f->m.arg[5] = s.rx_drops;
}

static void
echo_control(struct nic *nic, struct tframe *f, size_t len)
{
	struct echo_state *st = &echo_st;

	switch (f->m.op) {
	case OP_HELLO:
		strcpy((char *)f->m.data, nic->model);
		f->m.arg[0] = (uint32_t)nic->nrx;
		echo_reply(nic, f, sizeof(*f) + 16, OP_HELLO_ACK);
		break;
	case OP_RESET:
		memset(st->seen, 0, BURST_MAX / 8);
		st->got = st->dups = st->disorder = st->next = 0;
		echo_reply(nic, f, sizeof(*f), OP_RESET);
		break;
	case OP_JOIN:
	case OP_LEAVE:
		f->m.arg[0] = (uint32_t)(f->m.op == OP_JOIN ?
			nic_multicast_add(nic, f->m.data) :
			nic_multicast_remove(nic, f->m.data));
		echo_reply(nic, f, sizeof(*f), OP_JOINED);
		break;
	case OP_STATS:
		echo_stats(nic, st, f);
		echo_reply(nic, f, sizeof(*f), OP_STATS_REPLY);
		break;
	case OP_DONE:
		echo_reply(nic, f, sizeof(*f), OP_DONE_ACK);
		if (f->m.final)
			st->final = true;
		thread_wakeup(st);
		break;
	default:
		(void)len;
		break;
	}
}

/* Replies are built in a copy: the driver's buffer is read-only. */
static void
echo_rx(struct nic *nic, const uint8_t *frame, size_t len, void *arg)
{
	static uint32_t copy[(ETH_FRAME_MAX + 64 + 3) / 4 + 1];
	struct tframe *f = (struct tframe *)copy;

	(void)arg;
	if (!is_test_frame(frame, len))
		return;
	memcpy(copy, frame, len);
	memset((uint8_t *)copy + len, 0, 64);
	if (cmdline_get("nicdebug") && f->m.op != OP_BURST &&
	    f->m.op != OP_ECHO)
		kprintf("# echo %s: op %u seq %u len %u at %u ms\n", nic->name,
			f->m.op, f->m.seq, (unsigned)len, arch_milli());
	switch (f->m.op) {
	case OP_ECHO:
		echo_reply(nic, f, len, OP_ECHO_REPLY);
		break;
	case OP_BURST:
		echo_burst(&echo_st, f->m.seq);
		break;
	case OP_SYNC:
		f->m.arg[0] = echo_st.got;
		echo_reply(nic, f, sizeof(*f), OP_SYNC_ACK);
		break;
	case OP_MPROBE:
		echo_st.mprobes++;
		echo_reply(nic, f, sizeof(*f), OP_MPROBE_ACK);
		break;
	default:
		echo_control(nic, f, len);
		break;
	}
}

static void
run_echo(void)
{
	uint32_t limit = (uint32_t)cmdline_int("nictimeout", 300) * 1000;
	uint32_t start = arch_milli(), f;

	echo_st.seen = (uint8_t *)page_alloc(BURST_MAX / 8 / PAGE_SIZE);
	KT_ASSERT(echo_st.seen != NULL);
	for (int i = 0; i < nic_count() && i < NIC_MAX; i++) {
		saved_rx[i] = nic_get(i)->rx;
		saved_arg[i] = nic_get(i)->rx_arg;
		nic_set_rx(nic_get(i), echo_rx, NULL);
	}
	kprintf("# echo: serving %d nic(s)\n", nic_count());
	f = arch_irq_save();
	while (!echo_st.final && arch_milli() - start < limit)
		thread_sleep(&echo_st, 1000);
	arch_irq_restore(f);
	KT_CHECK(echo_st.final);
	for (int i = 0; i < nic_count(); i++) {
		struct nic_stats s;

		nic_get_stats(nic_get(i), &s);
		kprintf("# %s %s: rx %llu tx %llu drops %u filtered %u "
			"errors %u irqs %u\n", nic_get(i)->name,
			nic_get(i)->model, s.rx_frames, s.tx_frames,
			s.rx_drops, s.rx_filtered, s.rx_errors, s.interrupts);
		if (!cmdline_int("nicflood", 0))
			KT_EQ(s.rx_drops, 0);   /* a flood may fill the ring */
		KT_EQ(s.rx_errors, 0);
		nic_set_rx(nic_get(i), saved_rx[i], saved_arg[i]);
	}
}

/* ---- the sender --------------------------------------------------------- */

struct mbox {
	uint8_t buf[MB_SLOTS][ETH_FRAME_MAX];
	uint16_t len[MB_SLOTS];
	volatile unsigned head, tail;   /* irq thread writes head */
	uint32_t overflow;
};

struct sender {
	struct nic *nic;
	struct mbox *mb;
	uint8_t peer[6];
	char peer_model[16];
	uint32_t peer_nrx;              /* full-size frames it can buffer */
	struct tframe *f;               /* a scratch frame of ETH_FRAME_MAX */
	uint8_t *in;                    /* last frame received */
};

static void
send_rx(struct nic *nic, const uint8_t *frame, size_t len, void *arg)
{
	struct mbox *mb = arg;

	(void)nic;
	if (!is_test_frame(frame, len))
		return;
	if (mb->head - mb->tail == MB_SLOTS) {
		mb->overflow++;
		return;
	}
	memcpy(mb->buf[mb->head % MB_SLOTS], frame, len);
	mb->len[mb->head % MB_SLOTS] = (uint16_t)len;
	mb->head++;
	thread_wakeup(mb);
}

/* Wait for a frame with this op (and seq, unless ~0); its length or -1. */
static int
mb_wait(struct sender *s, uint8_t op, uint32_t seq, uint32_t ms)
{
	struct mbox *mb = s->mb;
	uint32_t start = arch_milli();

	for (;;) {
		uint32_t f = arch_irq_save();

		while (mb->head == mb->tail && arch_milli() - start < ms)
			thread_sleep(mb, ms - (arch_milli() - start) + 1);
		arch_irq_restore(f);
		if (mb->head == mb->tail)
			return -1;
		unsigned slot = mb->tail % MB_SLOTS;
		const struct tframe *t = (const struct tframe *)mb->buf[slot];
		int len = mb->len[slot];

		memcpy(s->in, mb->buf[slot], (size_t)len);
		mb->tail++;
		if (t->m.op == op && (seq == ~0u || t->m.seq == seq))
			return len;
	}
}

/* Send op to the peer and wait for the answer rop; false on timeout. */
static bool
transact(struct sender *s, uint8_t op, uint32_t seq, uint8_t rop)
{
	for (int tries = 0; tries < 5; tries++) {
		s->f->m.op = op;
		s->f->m.seq = seq;
		memcpy(s->f->dst, s->peer, 6);
		nic_send(s->nic, s->f, sizeof(*s->f) + 16);
		if (mb_wait(s, rop, seq, 1000) >= 0)
			return true;
		kprintf("# %s: no answer to op %u seq %u at %u ms\n",
			s->nic->name, op, seq, arch_milli());
	}
	return false;
}

static bool
discover(struct sender *s)
{
	for (int tries = 0; tries < 150; tries++) {
		frame_init(s->f, s->nic, bcast, OP_HELLO, (uint32_t)tries);
		nic_send(s->nic, s->f, sizeof(*s->f));
		if (mb_wait(s, OP_HELLO_ACK, ~0u, 200) >= 0) {
			memcpy(s->peer, s->in + 6, 6);
			memcpy(s->peer_model, ((struct tframe *)s->in)->m.data,
			       15);
			s->peer_nrx = ((struct tframe *)s->in)->m.arg[0];
			return true;
		}
	}
	return false;
}

static void
pattern(uint8_t *p, size_t n, uint32_t seq)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seq * 7 + i);
}

static void
test_echo(struct sender *s)
{
	int bad = 0;
	uint64_t t0 = arch_micro();

	for (uint32_t i = 0; i < 200; i++) {
		size_t len = 60 + (i * 37) % (ETH_FRAME_MAX - 60 + 1);
		size_t n = len - sizeof(struct tframe);
		int got;

		if (i == 1)
			len = ETH_FRAME_MAX, n = len - sizeof(struct tframe);
		frame_init(s->f, s->nic, s->peer, OP_ECHO, i);
		pattern(s->f->m.data, n, i);
		nic_send(s->nic, s->f, len);
		got = mb_wait(s, OP_ECHO_REPLY, i, 2000);
		if (got != (int)len || memcmp(((struct tframe *)s->in)->m.data,
					       s->f->m.data, n) != 0)
			bad++;
	}
	kprintf("# %s: 200 echoes (60..1514 bytes), %d bad, %llu us/rtt\n",
		s->nic->name, bad, (arch_micro() - t0) / 200);
	KT_EQ(bad, 0);
}

/* Send n frames of len bytes, syncing every win; returns elapsed us. */
static uint64_t
burst(struct sender *s, uint32_t n, size_t len, uint32_t win, int *lost_sync)
{
	uint64_t t0 = arch_micro();

	for (uint32_t seq = 0; seq < n; seq++) {
		frame_init(s->f, s->nic, s->peer, OP_BURST, seq);
		nic_send(s->nic, s->f, len);
		if ((seq + 1) % win == 0 || seq + 1 == n) {
			if (!transact(s, OP_SYNC, seq, OP_SYNC_ACK))
				(*lost_sync)++;
		}
	}
	return arch_micro() - t0;
}

static void
check_burst(struct sender *s, uint32_t n, size_t len)
{
	uint32_t win = (uint32_t)cmdline_int("nicwin", 32);
	int lost_sync = 0;
	uint64_t us;
	uint32_t a[6];

	/*
	 * Pace by what the peer can buffer, as FLIP's credits do: QEMU holds
	 * back frames that find a receiver full and delivers them only when
	 * the next frame arrives (ne2k_pci has room for 20 full-size ones).
	 */
	if (len > ETH_ZLEN && s->peer_nrx > 4)
		win = MIN(win, s->peer_nrx - 4);
	KT_ASSERT(transact(s, OP_RESET, 0, OP_RESET));
	us = burst(s, n, len, win, &lost_sync);
	KT_ASSERT(transact(s, OP_STATS, 1, OP_STATS_REPLY));
	memcpy(a, ((struct tframe *)s->in)->m.arg, sizeof(a));
	kprintf("# %s: burst %u x %u bytes to %s: got %u dups %u disorder %u "
		"in %llu ms (%llu frames/s), peer drops %u\n", s->nic->name, n,
		(unsigned)len, s->peer_model, a[0], a[1], a[2], us / 1000,
		(uint64_t)n * 1000000 / (us ? us : 1), a[5]);
	KT_EQ(a[0], n);
	KT_EQ(a[1], 0);
	KT_EQ(a[2], 0);
	KT_EQ(a[5], 0);
	KT_EQ(lost_sync, 0);
	if (len == ETH_ZLEN && strcmp(s->peer_model, s->nic->model) == 0)
		kprintf("bench: nic_%s_fps %llu frames/s\n", s->nic->model,
			(uint64_t)n * 1000000 / (us ? us : 1));
}

/* Send k probes to the group; how many did the echo node answer? */
static int
mprobe(struct sender *s, int k)
{
	int acks = 0;

	for (int i = 0; i < k; i++) {
		frame_init(s->f, s->nic, mgroup, OP_MPROBE, 1000u + i);
		nic_send(s->nic, s->f, sizeof(*s->f));
		if (mb_wait(s, OP_MPROBE_ACK, 1000u + i, 300) >= 0)
			acks++;
	}
	return acks;
}

static bool
join(struct sender *s, uint8_t op)
{
	frame_init(s->f, s->nic, s->peer, op, 77);
	memcpy(s->f->m.data, mgroup, 6);
	nic_send(s->nic, s->f, sizeof(*s->f) + 16);
	return mb_wait(s, OP_JOINED, 77, 2000) >= 0 &&
	       ((struct tframe *)s->in)->m.arg[0] == STD_OK;
}

static void
test_multicast(struct sender *s)
{
	uint32_t filtered0, filtered1;
	int before, during, after;

	KT_ASSERT(transact(s, OP_STATS, 2, OP_STATS_REPLY));
	filtered0 = ((struct tframe *)s->in)->m.arg[4];
	before = mprobe(s, 3);
	KT_ASSERT(transact(s, OP_STATS, 3, OP_STATS_REPLY));
	filtered1 = ((struct tframe *)s->in)->m.arg[4];
	KT_ASSERT(join(s, OP_JOIN));
	during = mprobe(s, 5);
	KT_ASSERT(join(s, OP_LEAVE));
	after = mprobe(s, 3);
	kprintf("# %s: multicast acks before/joined/after %d/%d/%d, "
		"chip passed %u unjoined\n", s->nic->name, before, during,
		after, filtered1 - filtered0);
	KT_EQ(before, 0);
	KT_EQ(during, 5);
	KT_EQ(after, 0);
	KT_EQ(filtered1 - filtered0, 0);    /* the chip's own filter held */
}

/*
 * An unpaced flood of n frames: the switch and the receiver may drop
 * some, but neither driver may fail, and the pair must work afterwards.
 */
static void
test_flood(struct sender *s, uint32_t n)
{
	uint64_t t0 = arch_micro();
	errstat err = STD_OK;

	for (uint32_t seq = 0; seq < n && err == STD_OK; seq++) {
		frame_init(s->f, s->nic, s->peer, OP_BURST,
			   seq % BURST_MAX);
		err = nic_send(s->nic, s->f, seq & 1 ? ETH_FRAME_MAX
						     : ETH_ZLEN);
	}
	KT_EQ(err, STD_OK);
	kprintf("# %s: flood of %u frames sent in %llu ms\n", s->nic->name, n,
		(arch_micro() - t0) / 1000);
	thread_msleep(2000);
	KT_ASSERT(transact(s, OP_STATS, 4, OP_STATS_REPLY));
	kprintf("# %s: peer saw %u, its chip dropped %u\n", s->nic->name,
		((struct tframe *)s->in)->m.arg[0],
		((struct tframe *)s->in)->m.arg[5]);
	test_echo(s);                   /* still working */
}

static void
run_sender_on(struct nic *nic, bool final)
{
	static struct sender s;

	s.nic = nic;
	s.mb = (struct mbox *)page_alloc(ALIGN_UP(sizeof(struct mbox),
						  PAGE_SIZE) / PAGE_SIZE);
	s.f = kzalloc(ETH_FRAME_MAX + 4);
	s.in = kzalloc(ETH_FRAME_MAX + 4);
	KT_ASSERT(s.mb && s.f && s.in);
	saved_rx[nic->index] = nic->rx;
	saved_arg[nic->index] = nic->rx_arg;
	nic_set_rx(nic, send_rx, s.mb);
	KT_ASSERT(nic_link_up(nic));
	KT_ASSERT(discover(&s));
	kprintf("# %s %s: peer %s %02x:%02x:%02x:%02x:%02x:%02x\n", nic->name,
		nic->model, s.peer_model, s.peer[0], s.peer[1], s.peer[2],
		s.peer[3], s.peer[4], s.peer[5]);
	if (cmdline_int("nicecho", 1))
		test_echo(&s);
	if (cmdline_int("nicburst", 10000))
		check_burst(&s, (uint32_t)cmdline_int("nicburst", 10000),
			    ETH_ZLEN);
	if (cmdline_int("nicbig", 2000))
		check_burst(&s, (uint32_t)cmdline_int("nicbig", 2000),
			    ETH_FRAME_MAX);
	if (cmdline_int("nicmcast", 1))
		test_multicast(&s);
	if (cmdline_int("nicflood", 0))
		test_flood(&s, (uint32_t)cmdline_int("nicflood", 0));
	frame_init(s.f, nic, s.peer, OP_DONE, 99);
	s.f->m.final = final;
	nic_send(nic, s.f, sizeof(*s.f));
	KT_CHECK(mb_wait(&s, OP_DONE_ACK, 99, 2000) >= 0);
	KT_EQ(s.mb->overflow, 0);
	nic_set_rx(nic, saved_rx[nic->index], saved_arg[nic->index]);
}

static void
run_sender(void)
{
	long only = cmdline_int("nicdev", -1);
	int n = nic_count();

	KT_ASSERT(n > 0);
	for (int i = 0; i < n; i++) {
		if (only >= 0 && i != only)
			continue;
		run_sender_on(nic_get(i), only >= 0 || i == n - 1);
	}
	for (int i = 0; i < n; i++) {
		struct nic_stats st;

		nic_get_stats(nic_get(i), &st);
		kprintf("# %s %s: rx %llu tx %llu drops %u tx_drops %u "
			"errors %u irqs %u\n", nic_get(i)->name,
			nic_get(i)->model, st.rx_frames, st.tx_frames,
			st.rx_drops, st.tx_drops, st.rx_errors, st.interrupts);
		KT_EQ(st.rx_drops, 0);
		KT_EQ(st.tx_drops, 0);
	}
}

KTEST_FLAGS(nic_pingpong, KTEST_MANUAL)
{
	const char *role = cmdline_get("nicrole");

	KT_ASSERT(role != NULL);
	if (strcmp(role, "echo") == 0)
		run_echo();
	else
		run_sender();
}

/* ---- nic_link ----------------------------------------------------------- */

/* Wait up to ms for the NIC's link to become up (or down). */
static bool
link_wait(struct nic *nic, bool up, uint32_t ms)
{
	uint32_t start = arch_milli();

	while (nic_link_up(nic) != up)
		if (arch_milli() - start > ms)
			return false;
		else
			thread_msleep(10);
	return true;
}

/*
 * nic_link, driven by t_nic.py through QEMU's monitor (set_link): every
 * NIC with a link indication sees its link go down and come back.
 */
KTEST_FLAGS(nic_link, KTEST_MANUAL)
{
	for (int i = 0; i < nic_count(); i++) {
		struct nic *nic = nic_get(i);

		if (strcmp(nic->model, "ne2k_pci") == 0)
			continue;       /* the DP8390 reports no link */
		KT_CHECK(nic_link_up(nic));
		kprintf("# %s link wait down\n", nic->name);
		KT_CHECK(link_wait(nic, false, 30000));
		kprintf("# %s link down\n", nic->name);
		KT_CHECK(link_wait(nic, true, 30000));
		kprintf("# %s link up\n", nic->name);
	}
}

/* ---- nic_unit: the NIC layer without hardware --------------------------- */

static uint8_t fake_frame[ETH_FRAME_MAX];
static size_t fake_len;
static int fake_filters, fake_rx;

static errstat
fake_send(struct nic *nic, const void *frame, size_t len)
{
	(void)nic;
	memcpy(fake_frame, frame, len);
	fake_len = len;
	return STD_OK;
}

static void
fake_set_filter(struct nic *nic)
{
	(void)nic;
	fake_filters++;
}

static void
fake_hook(struct nic *nic, const uint8_t *frame, size_t len, void *arg)
{
	(void)nic;
	(void)frame;
	(void)len;
	(void)arg;
	fake_rx++;
}

static const struct nic_ops fake_ops = {
	.send = fake_send,
	.set_filter = fake_set_filter,
};

static uint32_t
bit_reverse(uint32_t v)
{
	uint32_t r = 0;

	for (int i = 0; i < 32; i++, v >>= 1)
		r = (r << 1) | (v & 1);
	return r;
}

/* Padding, length checks, the multicast list and the software filter. */
static void
unit_send_filter(struct nic *nic)
{
	uint8_t f[ETH_FRAME_MAX + 1], g[6] = { 0x55, 0x55, 1, 2, 3, 4 };

	memset(f, 0xAB, sizeof(f));
	KT_EQ(nic_send(nic, f, 20), STD_OK);
	KT_EQ(fake_len, ETH_ZLEN);
	KT_CHECK(fake_frame[19] == 0xAB && fake_frame[20] == 0 &&
		 fake_frame[ETH_ZLEN - 1] == 0);
	KT_EQ(nic_send(nic, f, ETH_HLEN - 1), STD_ARGBAD);
	KT_EQ(nic_send(nic, f, ETH_FRAME_MAX + 1), STD_ARGBAD);
	KT_EQ(nic->stats.tx_frames, 1);
	KT_EQ(nic->stats.tx_bytes, ETH_ZLEN);
	KT_EQ(nic_multicast_add(nic, nic->mac), STD_ARGBAD);
	KT_EQ(nic_multicast_add(nic, g), STD_OK);
	KT_EQ(nic_multicast_add(nic, g), STD_OK);
	KT_EQ(nic->nmcast, 1);
	KT_EQ(fake_filters, 1);
	KT_CHECK(nic_wants(nic, g) && nic_wants(nic, nic->mac) &&
		 nic_wants(nic, bcast));
	g[5] = 5;
	KT_CHECK(!nic_wants(nic, g));
	KT_CHECK(!nic_wants(nic, mgroup));
	g[5] = 4;
	KT_EQ(nic_multicast_remove(nic, g), STD_OK);
	KT_EQ(nic_multicast_remove(nic, g), STD_NOTFOUND);
	KT_CHECK(!nic_wants(nic, g));
	for (int i = 0; i < NIC_MCAST_MAX; i++) {
		g[5] = (uint8_t)i;
		KT_EQ(nic_multicast_add(nic, g), STD_OK);
	}
	g[5] = 0xFF;
	KT_EQ(nic_multicast_add(nic, g), STD_NOSPACE);
	nic_set_promisc(nic, true);
	KT_CHECK(nic_wants(nic, g) && nic_wants(nic, mgroup));
	nic_set_promisc(nic, false);
}

static void
unit_input(struct nic *nic)
{
	uint8_t f[ETH_ZLEN] = { 0 };

	nic_set_rx(nic, fake_hook, NULL);
	memcpy(f, nic->mac, 6);
	nic_input(nic, f, sizeof(f));
	KT_EQ(fake_rx, 1);
	f[5] ^= 1;                      /* someone else's unicast */
	nic_input(nic, f, sizeof(f));
	KT_EQ(fake_rx, 1);
	KT_EQ(nic->stats.rx_filtered, 1);
	nic_input(nic, bcast, 10);      /* runt */
	KT_EQ(nic->stats.rx_errors, 1);
	memcpy(f, bcast, 6);
	nic_input(nic, f, sizeof(f));
	KT_EQ(fake_rx, 2);
	KT_EQ(nic->stats.rx_frames, 2);
}

KTEST(nic_unit)
{
	static struct nic nic;
	const char *v = "123456789";

	/* MSB-first CRC, reflected and inverted, is the usual CRC-32. */
	KT_EQ(bit_reverse(nic_ether_crc((const uint8_t *)v, 9)) ^ 0xFFFFFFFFu,
	      0xCBF43926u);
	memset(&nic, 0, sizeof(nic));
	nic.model = "fake";
	nic.ops = &fake_ops;
	memcpy(nic.mac, "\x52\x54\x00\x00\x00\x01", 6);
	unit_send_filter(&nic);
	unit_input(&nic);
}
