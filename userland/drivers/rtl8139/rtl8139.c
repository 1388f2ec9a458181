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
 * process): UNIC_HELLO gives it the
 * station address; the interrupt thread drains the receive ring into
 * batches of frames sent with UNIC_RX; a transmit thread asks UNIC_TX
 * for the frames FLIP queued and puts each into the next of the four
 * descriptors.  The chip logic follows drivers/net/rtl8139.c, which is
 * kernel code (its own allocator, sleeps and nic layer), so it is not
 * shared.
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
#include <thread.h>
#include <module/driver.h>
#include <module/rpc.h>
#include <module/syscall.h>
#include <server/unic/unic.h>

enum {
	R_IDR0 = 0x00, R_MAR0 = 0x08, R_TSD0 = 0x10, R_TSAD0 = 0x20,
	R_RBSTART = 0x30, R_CR = 0x37, R_CAPR = 0x38, R_IMR = 0x3C,
	R_ISR = 0x3E, R_TCR = 0x40, R_RCR = 0x44, R_MPC = 0x4C,
	R_CONFIG1 = 0x52,
};

#define CR_BUFE 0x01
#define CR_TE 0x04
#define CR_RE 0x08
#define CR_RST 0x10
#define ISR_ROK 0x0001
#define ISR_RER 0x0002
#define ISR_TER 0x0008
#define ISR_LINK 0x0020
#define RCR_APM 0x02
#define RCR_AM 0x04
#define RCR_AB 0x08
#define RCR_RBLEN_64K (3u << 11)
#define RCR_MXDMA (7u << 8)
#define RCR_RXFTH (7u << 13)
#define TSD_OWN (1u << 13)
#define TSD_ABORTS (1u << 30)
#define RXS_ROK 0x0001

#define FRAME_MAX 1514
#define RXRING 65536u
#define RXAREA 0x11000u         /* ring + 16 + a wrapped frame, pages */
#define NTX 4
#define TXBUF 2048
#define TX_WAIT_MS 1000         /* UNIC_TX: one wait */
#define SLOT_WAIT_US 20000      /* a transmit slot: at most */

static const struct drv_conf conf = {
	.name = "rtl8139", .irq = DRV_PCI_IRQ, .pci = "10ec:8139",
	.dma = RXAREA + NTX * TXBUF,
};

static struct drv drv;
static capability unic;         /* the kernel's proxy */
static uint16_t io;             /* BAR0 */
static uint8_t *rxring, *txbuf; /* in the DMA memory */
static uint32_t rxring_pa, txbuf_pa;
static uint32_t rx_off;         /* interrupt thread */
static unsigned tx_next;        /* transmit thread */
static uint8_t rxbatch[UNIC_BATCH]; /* interrupt thread */
static uint8_t txbatch[UNIC_BATCH]; /* transmit thread */
static volatile uint32_t rx_frames, rx_errors, rx_batches, tx_frames,
	tx_drops, tx_errors, unic_errors;

static unsigned long long
now_us(void)
{
	unsigned long long t = 0;

	sys_micro(&t);
	return t;
}

/* One request to the proxy; STD_OK or the error. */
static errstat
unic_call(command cmd, int32 off, const void *req, uint32_t reqlen,
	  void *rep, uint32_t repmax, uint32_t *replen, bufsize *count)
{
	header h;
	int32 n;

	memset(&h, 0, sizeof(h));
	h.h_port = unic.cap_port;
	h.h_priv = unic.cap_priv;
	h.h_command = cmd;
	h.h_offset = off;
	n = rpc_trans(&h, (bufptr)req, reqlen, &h, rep, repmax);
	if (n < 0)
		return (errstat)n;
	if (replen)
		*replen = (uint32_t)n;
	if (count)
		*count = h.h_size;
	return (errstat)h.h_status;
}

/* ---- receive ------------------------------------------------------------ */

static void
rx_flush(uint32_t *len)
{
	if (*len == 0)
		return;
	if (unic_call(UNIC_RX, 0, rxbatch, *len, NULL, 0, NULL, NULL) !=
	    STD_OK)
		unic_errors++;
	rx_batches++;
	*len = 0;
}

static void
ring_restart(uint32_t rcr)
{
	dev_outl(io + R_RCR, rcr);
	rx_off = 0;
	dev_outw(io + R_CAPR, (uint16_t)(0 - 16));
}

/* Drain the ring into batches for the proxy. */
static void
rx_process(void)
{
	uint32_t blen = 0;

	while (!(dev_inb(io + R_CR) & CR_BUFE)) {
		uint8_t *h = rxring + rx_off;
		uint32_t status = (uint32_t)(h[0] | h[1] << 8);
		uint32_t len = (uint32_t)(h[2] | h[3] << 8); /* with CRC */
		uint32_t off = (rx_off + 4) % RXRING, flen;

		if (!(status & RXS_ROK) || len < 14 + 4 ||
		    len > FRAME_MAX + 4) {
			rx_errors++;
			ring_restart(dev_inl(io + R_RCR));
			break;
		}
		flen = len - 4;
		if (blen + 2 + flen > sizeof(rxbatch))
			rx_flush(&blen);
		rxbatch[blen] = (uint8_t)flen;
		rxbatch[blen + 1] = (uint8_t)(flen >> 8);
		if (off + flen <= RXRING) {
			memcpy(rxbatch + blen + 2, rxring + off, flen);
		} else {
			uint32_t first = RXRING - off;

			memcpy(rxbatch + blen + 2, rxring + off, first);
			memcpy(rxbatch + blen + 2 + first, rxring,
			       flen - first);
		}
		blen += 2 + flen;
		rx_frames++;
		rx_off = ((rx_off + len + 4 + 3) & ~3u) % RXRING;
		dev_outw(io + R_CAPR, (uint16_t)(rx_off - 16));
	}
	rx_flush(&blen);
}

static void
nic_interrupt(struct drv *d)
{
	uint16_t isr = dev_inw(io + R_ISR);

	(void)d;
	/* frames that came during the hand-over are taken in the same turn */
	for (int turn = 0; turn < 16; turn++) {
		if (isr == 0 || isr == 0xFFFF)
			return;
		dev_outw(io + R_ISR, isr);      /* the chip lowers its line */
		rx_process();
		isr = dev_inw(io + R_ISR);
	}
}

/* ---- transmit ----------------------------------------------------------- */

/* Wait (bounded) until slot i's last frame left the chip. */
static int
slot_free(unsigned i)
{
	unsigned long long t0 = now_us();

	for (;;) {
		uint32_t tsd = dev_inl(io + R_TSD0 + 4 * i);

		if (tsd & TSD_OWN) {
			if (tsd & TSD_ABORTS)
				tx_errors++;
			return 1;
		}
		if (now_us() - t0 > SLOT_WAIT_US)
			return 0;
	}
}

static void
send_frame(const uint8_t *f, uint32_t len)
{
	unsigned i = tx_next;

	if (!slot_free(i)) {
		tx_drops++;
		return;
	}
	memcpy(txbuf + i * TXBUF, f, len);
	dev_outl(io + R_TSAD0 + 4 * i, txbuf_pa + i * TXBUF);
	dev_outl(io + R_TSD0 + 4 * i, len);     /* clears OWN: go */
	tx_next = (i + 1) % NTX;
	tx_frames++;
}

static void
tx_thread(char *param, int psize)
{
	(void)param;
	(void)psize;
	for (;;) {
		uint32_t n = 0, off = 0;
		bufsize count = 0;

		if (unic_call(UNIC_TX, TX_WAIT_MS, NULL, 0, txbatch,
			      sizeof(txbatch), &n, &count) != STD_OK) {
			unic_errors++;
			continue;
		}
		while (off + 2 <= n) {
			uint32_t len = (uint32_t)(txbatch[off] |
						  txbatch[off + 1] << 8);

			if (len > FRAME_MAX || off + 2 + len > n)
				break;
			send_frame(txbatch + off + 2, len);
			off += 2 + len;
		}
	}
}

/* ---- the chip ----------------------------------------------------------- */

static int
chip_reset(void)
{
	unsigned long long t0 = now_us();

	dev_outb(io + R_CONFIG1, 0);    /* power on */
	dev_outb(io + R_CR, CR_RST);
	while (dev_inb(io + R_CR) & CR_RST) {
		if (now_us() - t0 > 100000)
			return 0;
	}
	return 1;
}

static void
chip_start(uint8_t mac[6])
{
	for (int i = 0; i < 6; i++)
		mac[i] = dev_inb(io + R_IDR0 + i);
	dev_outl(io + R_RBSTART, rxring_pa);
	dev_outb(io + R_CR, CR_TE | CR_RE);
	dev_outl(io + R_TCR, 6u << 8);
	for (int i = 0; i < 8; i++)     /* every multicast: the kernel sorts */
		dev_outb(io + R_MAR0 + i, 0xFF);
	ring_restart(RCR_APM | RCR_AB | RCR_AM | RCR_RBLEN_64K | RCR_MXDMA |
		     RCR_RXFTH);
	dev_outl(io + R_MPC, 0);
	dev_outw(io + R_IMR, ISR_ROK | ISR_RER | ISR_TER | ISR_LINK);
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
	return snprintf(buf, (size_t)max,
			"rx %lu (batches %lu, errors %lu)\n"
			"tx %lu (drops %lu, errors %lu)\nproxy errors %lu\n",
			(unsigned long)rx_frames, (unsigned long)rx_batches,
			(unsigned long)rx_errors, (unsigned long)tx_frames,
			(unsigned long)tx_drops, (unsigned long)tx_errors,
			(unsigned long)unic_errors);
}

static const struct drv_ops ops = {
	.request = nic_request,
	.interrupt = nic_interrupt,
	.status = nic_status,
};

int
main(void)
{
	uint8_t mac[6];
	errstat err;

	if (drv_open(&drv, &conf) != STD_OK)
		return 1;
	if (drv.info.nbar < 1 || !drv.info.bar[0].io) {
		fprintf(stderr, "rtl8139: BAR0 is not an I/O BAR\n");
		return 1;
	}
	io = (uint16_t)drv.info.bar[0].base;
	rxring = (uint8_t *)drv.dma_va;
	rxring_pa = drv.dma_phys;
	txbuf = rxring + RXAREA;
	txbuf_pa = rxring_pa + RXAREA;
	if (getcap(UNIC_CAPENV) == NULL) {
		fprintf(stderr, "rtl8139: no %s capability: started by the "
			"kernel with usernic=rtl8139 only\n", UNIC_CAPENV);
		return 1;
	}
	unic = *getcap(UNIC_CAPENV);
	if ((err = dev_pci_busmaster(&drv.pci, 1)) != STD_OK) {
		fprintf(stderr, "rtl8139: bus mastering: %s\n", err_why(err));
		return 1;
	}
	if (!chip_reset()) {
		fprintf(stderr, "rtl8139: reset timed out\n");
		return 1;
	}
	chip_start(mac);
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
