/*
 * unicsvr.c - a NIC driven by a user process (`usernic=rtl8139`): the
 * kernel's proxy FLIP network for it, the server its driver talks to
 * (server/unic/unic.h) and the watchdog that starts the driver from the
 * boot image and restarts it when it ends.  The server's capability is
 * listed nowhere: the watchdog gives it to the driver alone, as UNIC in
 * its capability environment, so no other process can pose as the NIC.
 *
 * Transmit: FLIP's send ops copy each frame into a queue of UNIC_TXQ
 * frames (a full queue drops the frame, as a full NIC ring would; FLIP
 * and RPC retransmit) and wake the server thread that waits in the
 * driver's UNIC_TX, which replies with every queued frame it can carry.
 * The driver makes these requests over the local IPC, served in its own
 * thread (unic_direct), so the frames are not copied between its memory
 * and the kernel's and no server thread runs between them.
 * Receive: UNIC_RX hands each FLIP frame of its body to knet_input; the
 * software address filter of nic.c is applied here.  The network is
 * made by the driver's first UNIC_HELLO (its MAC); a restarted driver
 * finds it again.
 *
 * Watchdog (no boot server is needed): a kernel thread runs
 * `rtl8139 ARGS` from the boot image, waits for its end and starts it
 * again after UNIC_RESTART_MS.  The test option `unickill=N` makes a
 * second thread kill the driver process, as an outside kill would, once
 * it has handed the kernel N FLIP frames since its hello (so the kill
 * comes under load).
 *
 * Entry point: unicsvr_init.  Concurrency: the kernel is non-preemptive
 * and nothing here runs in interrupt context; the queue is touched by
 * FLIP's senders and the server threads, each step without sleeping.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/bootimg.h"
#include "kernel/cmdline.h"
#include "kernel/fsboot.h"
#include "kernel/klib.h"
#include "kernel/lipc.h"
#include "kernel/mem.h"
#include "kernel/net/knet.h"
#include "kernel/proc.h"
#include "kernel/svr/ksvr.h"
#include "kernel/thread.h"
#include <module/prv.h>
#include <server/unic/unic.h>
#include <stderr.h>

#define UNIC_TXQ 256             /* queued transmit frames */
#define UNIC_FRAME_MAX 1514
#define UNIC_ZLEN 60
/*
 * FLIP receive buffers: FLIP grants senders a window of a quarter of
 * them.  128 gives 32 frames (48 KiB, inside the 64 KiB ring), so the
 * credits' longer way back through the driver process does not stall
 * a sender (43, the in-kernel driver's figure, halves the throughput).
 */
#define UNIC_NRX 128
#define UNIC_RESTART_MS 200
#define ETHERTYPE_FLIP 0x8146

struct txframe {
	uint16_t len;
	uint8_t data[UNIC_FRAME_MAX];
};

static struct txframe *txq;      /* UNIC_TXQ frames, a ring */
static uint32_t tx_head, tx_tail; /* next to take, next to fill */
static int ntw = -1;             /* the FLIP network, -1: none yet */
static uint8_t mac[6];
static const char *model;        /* usernic= value */
static struct proc *drv_proc;    /* the running driver, or NULL */
static uint32_t hellos, starts;
static uint32_t since_hello, kill_at; /* unickill= */
static uint32_t rx_calls, tx_calls, lipc_calls, tx_piggy;
static uint32_t tx_frames, tx_drops, rx_frames, rx_foreign, rx_filtered;

/* ---- the proxy network (FLIP's side) ------------------------------------ */

static struct txframe *
tx_slot(void)
{
	if (tx_tail - tx_head == UNIC_TXQ) {
		tx_drops++;
		return NULL;
	}
	return &txq[tx_tail % UNIC_TXQ];
}

static void
tx_queued(struct txframe *f, size_t len)
{
	if (len < UNIC_ZLEN) {
		memset(f->data + len, 0, UNIC_ZLEN - len);
		len = UNIC_ZLEN;
	}
	f->len = (uint16_t)len;
	tx_tail++;
	tx_frames++;
	thread_wakeup(&tx_tail);
}

static void
unic_send(void *drv, const uint8_t *frame, size_t len)
{
	struct txframe *f;

	(void)drv;
	if (len < 14 || len > UNIC_FRAME_MAX || (f = tx_slot()) == NULL)
		return;
	memcpy(f->data, frame, len);
	tx_queued(f, len);
}

static void
unic_send2(void *drv, const uint8_t *hdr, size_t hlen, const uint8_t *data,
	   size_t dlen, int more)
{
	struct txframe *f;

	(void)drv;
	(void)more;
	if (hlen < 14 || hlen + dlen > UNIC_FRAME_MAX ||
	    (f = tx_slot()) == NULL)
		return;
	memcpy(f->data, hdr, hlen);
	memcpy(f->data + hlen, data, dlen);
	tx_queued(f, hlen + dlen);
}

static const struct flip_netops unic_ops = {
	.send = unic_send,
	.send2 = unic_send2,
};

/* nic.c's filter: our address, broadcast, multicast (FLIP sorts groups). */
static int
wanted(const uint8_t *dst)
{
	return (dst[0] & 1) || memcmp(dst, mac, 6) == 0;
}

/* ---- the server (the driver's side) ------------------------------------- */

static uint32_t
do_hello(struct ksvr_req *r)
{
	if (r->reqlen != 6)
		return STD_ARGBAD;
	if (ntw >= 0)
		return memcmp(mac, r->req, 6) == 0 ? STD_OK : STD_ARGBAD;
	memcpy(mac, r->req, 6);
	ntw = knet_attach(&unic_ops, NULL, mac, UNIC_NRX);
	if (ntw < 0) {
		kprintf("unic: cannot attach to FLIP\n");
		return STD_NOSPACE;
	}
	kprintf("knet: user %s %02x:%02x:%02x:%02x:%02x:%02x is FLIP "
		"network %d\n", model, mac[0], mac[1], mac[2], mac[3], mac[4],
		mac[5], ntw);
	return STD_OK;
}

static uint32_t
do_rx(struct ksvr_req *r)
{
	uint32_t off = 0;

	if (ntw < 0)
		return STD_NOTNOW;
	rx_calls++;
	while (off + 2 <= r->reqlen) {
		const uint8_t *f = r->req + off + 2;
		uint32_t len = (uint32_t)(r->req[off] | r->req[off + 1] << 8);

		if (len < 14 || len > UNIC_FRAME_MAX ||
		    off + 2 + len > r->reqlen)
			return STD_ARGBAD;
		off += 2 + len;
		if (!wanted(f)) {
			rx_filtered++;
			continue;
		}
		if (((f[12] << 8) | f[13]) != ETHERTYPE_FLIP) {
			rx_foreign++;
			continue;
		}
		rx_frames++;
		if (++since_hello == kill_at)
			thread_wakeup(&kill_at);
		knet_input(ntw, f, len);
	}
	return off == r->reqlen ? STD_OK : STD_ARGBAD;
}

/* Queued frames into the reply, as many as fit; h_size their number. */
static uint32_t
take_tx(struct ksvr_req *r)
{
	uint32_t n = 0, out = 0;

	while (tx_head != tx_tail) {
		struct txframe *t = &txq[tx_head % UNIC_TXQ];

		if (out + 2 + t->len > r->repmax)
			break;
		r->rep[out] = (uint8_t)t->len;
		r->rep[out + 1] = (uint8_t)(t->len >> 8);
		memcpy(r->rep + out + 2, t->data, t->len);
		out += 2 + t->len;
		tx_head++;
		n++;
	}
	r->h->h_size = (bufsize)n;
	r->h->h_status = STD_OK;
	return out;
}

/* Wait (bounded) for queued frames; reply with as many as fit. */
static uint32_t
do_tx(struct ksvr_req *r)
{
	uint32_t ms = r->h->h_offset > 0 ? (uint32_t)r->h->h_offset : 0;
	uint32_t f;

	tx_calls++;
	if (ms > UNIC_WAIT_MAX)
		ms = UNIC_WAIT_MAX;
	f = arch_irq_save();
	if (tx_head == tx_tail && ms > 0)
		thread_sleep(&tx_tail, ms);
	arch_irq_restore(f);
	return take_tx(r);
}

static uint32_t
unic_handle(struct ksvr *s, struct ksvr_req *r)
{
	uint32_t st, n;

	if (ksvr_check(s, r->h, NULL) != STD_OK) {
		r->h->h_status = (command)STD_CAPBAD;
		return 0;
	}
	switch (r->h->h_command) {
	case UNIC_HELLO:
		st = do_hello(r);
		if (st == STD_OK) {
			since_hello = 0;
			hellos++;
			thread_wakeup(&hellos);
		}
		break;
	case UNIC_RX:
		st = do_rx(r);
		if (st != STD_OK || r->repmax == 0)
			break;
		/* the threads the frames woke answer first; their frames
		 * go back in this reply (no wait for the driver's UNIC_TX) */
		thread_yield();
		n = take_tx(r);
		if (r->h->h_size > 0)
			tx_piggy++;
		return n;
	case UNIC_TX:
		return do_tx(r);
	default:
		st = (uint32_t)STD_COMBAD;
		break;
	}
	r->h->h_status = (command)st;
	r->h->h_size = 0;
	return 0;
}

static uint32_t
unic_status(struct ksvr *s, char *buf, uint32_t max)
{
	(void)s;
	return (uint32_t)ksnprintf(buf, max,
		"user %s: network %d, driver %s, started %u, hellos %u\n"
		"tx %u in %u replies, queued %u, dropped %u\n"
		"rx %u in %u requests, foreign %u, filtered %u\n"
		"local IPC requests %u, rx replies carrying tx %u\n",
		model, ntw,
		drv_proc ? "running" : "down", starts, hellos, tx_frames,
		tx_calls, tx_tail - tx_head, tx_drops, rx_frames, rx_calls,
		rx_foreign, rx_filtered, lipc_calls, tx_piggy);
}

static struct ksvr unic_svr = {
	.name = UNIC_SVR_NAME, .info = "user-space NIC proxy",
	.nthreads = 3, .handle = unic_handle, .status = unic_status,
};

/*
 * The frame path: the same requests over the local IPC (module/lipc.h)
 * on the server's own port, served in the driver's own calling thread
 * (lipc_direct): its batches are read and written where they lie in its
 * pages, and neither a copy nor a switch to a server thread is made.
 * The RPC threads of ksvr still answer std_info and std_status, and
 * UNIC_* from elsewhere.
 */
static int32_t
unic_direct(void *arg, header *h, const struct lipc_req *r)
{
	(void)arg;
	if (h->h_command == UNIC_HELLO)
		kprintf("unic: hello over the local IPC\n");
	lipc_calls++;
	return (int32_t)unic_handle(&unic_svr, &(struct ksvr_req){
		.h = h, .req = r->req, .reqlen = r->reqlen,
		.rep = r->rep, .repmax = r->replen });
}

/* ---- the driver process: start, restart, test kill ---------------------- */

static void
watchdog(void *arg)
{
	const char *argv[] = { model, NULL };
	struct cap_env caps[TTYSVR_NCAPENV + FSBOOT_NCAPENV + 1];

	(void)arg;
	for (;;) {
		int n = ttysvr_capenv(caps);
		struct proc_exit ex;
		struct proc *p;
		errstat err;

		n += fsboot_capenv(caps + n);
		caps[n].name = UNIC_CAPENV;
		ksvr_cap(&unic_svr, PRV_ALL_RIGHTS, &caps[n++].cap);
		p = bootimg_start(argv, caps, n, &err);
		if (p == NULL) {
			kprintf("unic: cannot start %s: %d\n", model, err);
			thread_msleep(5000);
			continue;
		}
		starts++;
		drv_proc = p;
		proc_wait(p, &ex);
		drv_proc = NULL;
		kprintf("unic: driver %s ended (%s %d); restart in %d ms\n",
			model, ex.how == PROC_FAULTED ? "fault" :
			ex.how == PROC_KILLED ? "killed" : "exit",
			ex.how == PROC_FAULTED ? ex.trapno : ex.status,
			UNIC_RESTART_MS);
		thread_msleep(UNIC_RESTART_MS);
	}
}

/* unickill=N: kill the driver once, after N frames it received. */
static void
killer(void *arg)
{
	uint32_t f = arch_irq_save();

	(void)arg;
	while (since_hello < kill_at || drv_proc == NULL)
		thread_sleep(&kill_at, 1000);
	arch_irq_restore(f);
	kprintf("unic: killing driver %s after %u frames (unickill)\n", model,
		since_hello);
	proc_kill(drv_proc, PROC_KILLED, -1);
}

void
unicsvr_init(void)
{
	model = cmdline_get("usernic");
	if (model == NULL)
		return;
	if (strcmp(model, "rtl8139") != 0) {
		kprintf("unic: usernic=%s: no user-space driver for it (only "
			"rtl8139)\n", model);
		return;
	}
	txq = (struct txframe *)page_alloc(ALIGN_UP(UNIC_TXQ *
		sizeof(struct txframe), PAGE_SIZE) / PAGE_SIZE);
	if (txq == NULL) {
		kprintf("unic: no memory for the transmit queue\n");
		return;
	}
	ksvr_start(&unic_svr);  /* not listed: only the driver has its cap */
	if (lipc_direct(&unic_svr.getport, unic_direct, NULL) != STD_OK)
		kprintf("unic: no local IPC server\n");
	if (thread_create_kernel("unicwd", watchdog, NULL, PRIO_NORM) == NULL)
		kprintf("unic: no watchdog thread\n");
	kill_at = (uint32_t)cmdline_int("unickill", 0);
	if (kill_at > 0)
		thread_create_kernel("unickill", killer, NULL, PRIO_HIGH);
}
