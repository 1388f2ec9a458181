/*
 * rtl8139.c - a user-space driver for the Realtek RTL8139 (QEMU's
 * -device rtl8139, 10ec:8139), started by the kernel when it was booted
 * with `usernic=rtl8139` (kernel/svr/unicsvr.c), built on the driver
 * library (module/driver.h).  It uses only its grants: the function's
 * I/O ports, its interrupt line, bus mastering and DMA memory for the
 * 64 KiB receive ring and four 2 KiB transmit buffers.
 *
 * Frames go to and from the kernel's proxy network (server/unic/unic.h;
 * its capability is UNIC in the environment the kernel gives the
 * process), over the local IPC (module/lipc.h: the kernel reads and
 * writes the batches where they lie): UNIC_HELLO gives it the station
 * address; the interrupt thread drains the receive ring into batches of
 * frames sent with UNIC_RX, whose reply brings the frames the kernel
 * sent meanwhile (an RPC's answer, say), which it puts out at once; a
 * transmit thread asks UNIC_TX for the other frames FLIP queued.  Each
 * frame goes into the next of the four descriptors.  The chip logic is drivers/net/rtl8139_core.c, the same
 * source the kernel's driver is built from: this file fills its struct
 * drv_res from the grants (drv_res) and implements the NIC interface's
 * nic_input as the hand-over to the proxy.
 *
 * The process serves std_info and std_status on its own port (counters).
 * If it ends, the kernel revokes its grants and its watchdog starts it
 * again; the new process resets the chip and says hello again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <semaphore.h>
#include <thread.h>
#include <module/driver.h>
#include <module/lipc.h>
#include <module/syscall.h>
#include <server/unic/unic.h>

#include "drivers/net/nic.h"
#include "drivers/net/rtl8139_core.h"

#define TX_WAIT_MS 1000         /* UNIC_TX: one wait */

static const struct drv_conf conf = {
	.name = "rtl8139", .irq = DRV_PCI_IRQ, .pci = "10ec:8139",
	.dma = RTL_DMA,
};

static struct drv drv;
static struct rtl chip;         /* the chip logic's state */
static capability unic;         /* the kernel's proxy */
/* the batches: each in whole pages of the data segment (local IPC) */
static uint8_t rxbatch[UNIC_BATCH] __attribute__((aligned(4096)));
static uint32_t rxlen;          /* interrupt thread: bytes in rxbatch */
static uint8_t rxreply[UNIC_BATCH] __attribute__((aligned(4096)));
static uint8_t txbatch[UNIC_BATCH] __attribute__((aligned(4096)));
static semaphore tx_mu;         /* the transmit slots: one sender */
static volatile uint32_t rx_batches, unic_errors;

/*
 * One request to the proxy, over the local IPC: the kernel reaches req
 * and rep where they lie (pinned for the call), nothing is copied.
 * STD_OK or the error.
 */
static errstat
unic_call(command cmd, int32 off, const void *req, uint32_t reqlen,
	  void *rep, uint32_t repmax, uint32_t *replen, bufsize *count)
{
	header h;
	int32_t n;

	memset(&h, 0, sizeof(h));
	h.h_port = unic.cap_port;
	h.h_priv = unic.cap_priv;
	h.h_command = cmd;
	h.h_offset = off;
	n = lipc_trans(&h, req, reqlen, &h, rep, repmax);
	if (n < 0)
		return (errstat)n;
	if (replen)
		*replen = (uint32_t)n;
	if (count)
		*count = h.h_size;
	return (errstat)h.h_status;
}

/* ---- transmit ----------------------------------------------------------- */

/*
 * Put a batch of frames from the proxy (records as in unic.h) into the
 * transmit slots; from the transmit thread and, for the frames a
 * UNIC_RX reply carries, the interrupt thread: one at a time (tx_mu).
 */
static void
send_batch(const uint8_t *b, uint32_t n)
{
	uint32_t off = 0;

	sema_down(&tx_mu);
	while (off + 2 <= n) {
		uint32_t len = (uint32_t)(b[off] | b[off + 1] << 8);

		if (len > ETH_FRAME_MAX || off + 2 + len > n)
			break;
		if (rtl_send(&chip.nic, b + off + 2, len) != STD_OK) {
			chip.nic.stats.tx_drops++;
		} else {
			chip.nic.stats.tx_frames++;
			chip.nic.stats.tx_bytes += len;
		}
		off += 2 + len;
	}
	sema_up(&tx_mu);
}

static void
tx_thread(char *param, int psize)
{
	(void)param;
	(void)psize;
	for (;;) {
		uint32_t n = 0;

		if (unic_call(UNIC_TX, TX_WAIT_MS, NULL, 0, txbatch,
			      sizeof(txbatch), &n, NULL) != STD_OK) {
			unic_errors++;
			continue;
		}
		send_batch(txbatch, n);
	}
}

/* ---- receive ------------------------------------------------------------ */

/* The batch to the proxy; the frames its reply carries go out at once. */
static void
rx_flush(void)
{
	uint32_t n = 0;

	if (rxlen == 0)
		return;
	if (unic_call(UNIC_RX, 0, rxbatch, rxlen, rxreply, sizeof(rxreply),
		      &n, NULL) != STD_OK)
		unic_errors++;
	else
		send_batch(rxreply, n);
	rx_batches++;
	rxlen = 0;
}

/*
 * The NIC interface's hand-up (nic.h), called by the chip logic for each
 * received frame: the frame joins the batch for the proxy, which filters
 * by address as the kernel's nic_input does.
 */
void
nic_input(struct nic *nic, const uint8_t *frame, size_t len)
{
	if (rxlen + 2 + len > sizeof(rxbatch))
		rx_flush();
	rxbatch[rxlen] = (uint8_t)len;
	rxbatch[rxlen + 1] = (uint8_t)(len >> 8);
	memcpy(rxbatch + rxlen + 2, frame, len);
	rxlen += 2 + (uint32_t)len;
	nic->stats.rx_frames++;
	nic->stats.rx_bytes += len;
}

static void
nic_interrupt(struct drv *d)
{
	uint16_t causes = rtl_intr_causes(&chip);

	(void)d;
	/* frames that came during the hand-over are taken in the same turn */
	for (int turn = 0; turn < 16 && causes != 0; turn++) {
		rtl_service(&chip, causes);
		rx_flush();
		causes = rtl_intr_causes(&chip);
	}
}

static int32
nic_request(struct drv *d, header *h, char *req, int32 reqlen, char *rep,
	    int32 repmax)
{
	(void)d;
	(void)req;
	(void)reqlen;
	(void)rep;
	(void)repmax;
	h->h_status = STD_COMBAD;
	return 0;
}

static int
nic_status(struct drv *d, char *buf, int max)
{
	(void)d;
	const struct nic_stats *st = &chip.nic.stats;

	return snprintf(buf, (size_t)max,
			"rx %lu (batches %lu, errors %lu, drops %lu)\n"
			"tx %lu (drops %lu, errors %lu)\nproxy errors %lu\n",
			(unsigned long)st->rx_frames,
			(unsigned long)rx_batches,
			(unsigned long)st->rx_errors,
			(unsigned long)st->rx_drops,
			(unsigned long)st->tx_frames,
			(unsigned long)st->tx_drops,
			(unsigned long)st->tx_errors,
			(unsigned long)unic_errors);
}

static const struct drv_ops ops = {
	.request = nic_request,
	.interrupt = nic_interrupt,
	.status = nic_status,
};

/* The chip from the grants: reset, started, every multicast let in. */
static errstat
chip_up(void)
{
	static const uint8_t all[8] = {
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	};
	errstat err;

	drv_res(&drv, &chip.res);
	if (chip.res.io == 0 || drv.dma_va == NULL) {
		fprintf(stderr, "rtl8139: no I/O BAR or no DMA memory\n");
		return STD_NOTFOUND;
	}
	chip.nic.model = "rtl8139";
	chip.nic.priv = &chip;
	if ((err = dev_pci_busmaster(&drv.pci, 1)) != STD_OK) {
		fprintf(stderr, "rtl8139: bus mastering: %s\n", err_why(err));
		return err;
	}
	if (!rtl_chip_reset(&chip)) {
		fprintf(stderr, "rtl8139: reset timed out\n");
		return STD_SYSERR;
	}
	rtl_chip_start(&chip);
	rtl_load_filter(&chip, all, false);     /* the kernel sorts */
	rtl_intr_enable(&chip);
	return STD_OK;
}

int
main(void)
{
	const uint8_t *mac = chip.nic.mac;
	errstat err;

	if (drv_open(&drv, &conf) != STD_OK)
		return 1;
	if (getcap(UNIC_CAPENV) == NULL) {
		fprintf(stderr, "rtl8139: no %s capability: started by the "
			"kernel with usernic=rtl8139 only\n", UNIC_CAPENV);
		return 1;
	}
	unic = *getcap(UNIC_CAPENV);
	sema_init(&tx_mu, 1);
	if (chip_up() != STD_OK)
		return 1;
	err = unic_call(UNIC_HELLO, 0, mac, 6, NULL, 0, NULL, NULL);
	if (err != STD_OK) {
		fprintf(stderr, "rtl8139: hello: %s\n", err_why(err));
		return 1;
	}
	if (!thread_newthread(tx_thread, 16384, NULL, 0)) {
		fprintf(stderr, "rtl8139: no transmit thread\n");
		return 1;
	}
	printf("rtl8139: user driver up, %02x:%02x:%02x:%02x:%02x:%02x\n",
	       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	fflush(stdout);
	drv_serve(&drv, &ops);
}
