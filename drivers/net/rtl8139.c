/*
 * rtl8139.c - Realtek RTL8139 Fast Ethernet (QEMU's -device rtl8139).
 *
 * Receive: the chip writes frames, each behind a 4-byte header (status,
 * length including the CRC), into one 64 KiB ring buffer; the driver's
 * interrupt thread copies each frame out (in two pieces when it wraps),
 * hands it to nic_input and moves CAPR on.  Transmit: four descriptors
 * used round robin, each with a 2 KiB buffer the frame is copied into.
 * Writing RCR restarts the ring at offset 0, so a filter change that
 * needs one (promiscuous on/off) drops what the ring still holds.
 *
 * Entry point: rtl8139_pci_driver (probe), then the nic ops.  With
 * `usernic=rtl8139` the probe leaves the chip to a user process
 * (userland/drivers/rtl8139, kernel/svr/unicsvr.c).
 *
 * Concurrency: the handler reads and acknowledges ISR, records the causes
 * in sc->pending (irq-off) and wakes the thread; the receive ring belongs
 * to the thread, the transmit slots to the sender.  Neither path sleeps,
 * and the kernel is non-preemptive.
 */
#include <stdint.h>
#include <string.h>

#include <stderr.h>

#include "kernel/arch/arch.h"
#include "kernel/cmdline.h"
#include "kernel/klib.h"
#include "kernel/mem.h"
#include "drivers/net/nic.h"
#include "kernel/thread.h"
#include "kernel/arch/i386/x86.h"
#include "drivers/net/net.h"
#include "drivers/pci/pci.h"

enum {
	R_IDR0 = 0x00, R_MAR0 = 0x08, R_TSD0 = 0x10, R_TSAD0 = 0x20,
	R_RBSTART = 0x30, R_CR = 0x37, R_CAPR = 0x38, R_IMR = 0x3C,
	R_ISR = 0x3E, R_TCR = 0x40, R_RCR = 0x44, R_MPC = 0x4C,
	R_CONFIG1 = 0x52, R_BMSR = 0x64,
};

#define CR_BUFE 0x01
#define CR_TE 0x04
#define CR_RE 0x08
#define CR_RST 0x10
#define ISR_ROK 0x0001
#define ISR_RER 0x0002
#define ISR_TOK 0x0004
#define ISR_TER 0x0008
#define ISR_RXOVW 0x0010
#define ISR_LINK 0x0020
#define ISR_FOVW 0x0040
#define RCR_APM 0x02            /* physical match */
#define RCR_AAP 0x01            /* all physical (promiscuous) */
#define RCR_AM 0x04             /* multicast (hash) */
#define RCR_AB 0x08             /* broadcast */
#define RCR_RBLEN_64K (3u << 11)
#define RCR_MXDMA (7u << 8)
#define RCR_RXFTH (7u << 13)
#define TSD_OWN (1u << 13)
#define TSD_TOK (1u << 15)
#define TSD_ABORTS (1u << 30)
#define BMSR_LINK 0x0004
#define RXS_ROK 0x0001

#define RXRING 65536u
#define RXALLOC (RXRING + 16 + 2048)
#define NTX 4
#define TXBUF 2048

struct rtl {
	struct nic nic;                 /* must be first */
	struct pci_dev *pci;
	uint16_t io;                    /* BAR0 port base */
	uint8_t *rxring;                /* interrupt thread */
	uint32_t rx_off;                /* read offset in the ring */
	uint8_t rxframe[ETH_FRAME_MAX + 4]; /* a wrapped frame, reassembled */
	uint8_t *txbuf;                 /* sender */
	unsigned tx_next;               /* next slot to use */
	volatile uint16_t pending;      /* ISR causes (irq-off) */
};

/* ---- nic ops ------------------------------------------------------------ */

/*
 * Writing RCR restarts the chip's ring at offset 0 (QEMU's model and the
 * chip alike), so a resync and a filter change both come here.
 */
static void
ring_restart(struct rtl *sc, uint32_t rcr)
{
	outl(sc->io + R_RCR, rcr);
	sc->rx_off = 0;
	outw(sc->io + R_CAPR, (uint16_t)(0 - 16));
}

/* Wait (bounded) until slot i's previous frame left the chip. */
static bool
tx_slot_free(struct rtl *sc, unsigned i)
{
	uint32_t start = arch_milli();

	for (;;) {
		uint32_t tsd = inl(sc->io + R_TSD0 + 4 * i);

		if (tsd & TSD_OWN) {
			if (tsd & TSD_ABORTS)
				sc->nic.stats.tx_errors++;
			return true;
		}
		if (arch_milli() - start > 20)
			return false;
	}
}

static errstat
rtl_send(struct nic *nic, const void *frame, size_t len)
{
	struct rtl *sc = nic->priv;
	unsigned i = sc->tx_next;
	uint8_t *buf = sc->txbuf + i * TXBUF;

	if (!tx_slot_free(sc, i))
		return STD_NOSPACE;
	memcpy(buf, frame, len);
	outl(sc->io + R_TSAD0 + 4 * i, (uint32_t)buf);
	outl(sc->io + R_TSD0 + 4 * i, (uint32_t)len); /* clears OWN: go */
	sc->tx_next = (i + 1) % NTX;
	return STD_OK;
}

/* Frames still in the ring when RCR must change are dropped (rare). */
static void
rtl_set_filter(struct nic *nic)
{
	struct rtl *sc = nic->priv;
	uint8_t mar[8] = { 0 };
	uint32_t rcr = inl(sc->io + R_RCR) & ~(uint32_t)RCR_AAP;

	for (int i = 0; i < nic->nmcast; i++) {
		unsigned h = nic_ether_crc(nic->mcast[i], ETH_ALEN) >> 26;

		mar[h >> 3] |= (uint8_t)(1u << (h & 7));
	}
	if (nic->promisc) {
		memset(mar, 0xFF, sizeof(mar));
		rcr |= RCR_AAP;
	}
	for (int i = 0; i < 8; i++)
		outb(sc->io + R_MAR0 + i, mar[i]);
	if (rcr != inl(sc->io + R_RCR)) {
		if (!(inb(sc->io + R_CR) & CR_BUFE))
			sc->nic.stats.rx_drops++;
		ring_restart(sc, rcr);
	}
}

/* The PHY's basic mode status: bit 2 is the link (QEMU models this one). */
static bool
rtl_link_up(struct nic *nic)
{
	struct rtl *sc = nic->priv;

	return (inw(sc->io + R_BMSR) & BMSR_LINK) != 0;
}

static void
rtl_update_stats(struct nic *nic)
{
	struct rtl *sc = nic->priv;

	nic->stats.rx_drops += inl(sc->io + R_MPC) & 0xFFFFFF;
	outl(sc->io + R_MPC, 0);
}

static const struct nic_ops rtl_ops = {
	.send = rtl_send,
	.set_filter = rtl_set_filter,
	.link_up = rtl_link_up,
	.update_stats = rtl_update_stats,
};

/* ---- receive and interrupts --------------------------------------------- */

/* Copy len bytes at ring offset off, following the wrap. */
static const uint8_t *
ring_frame(struct rtl *sc, uint32_t off, uint32_t len)
{
	uint32_t first;

	if (off + len <= RXRING)
		return sc->rxring + off;
	first = RXRING - off;
	memcpy(sc->rxframe, sc->rxring + off, first);
	memcpy(sc->rxframe + first, sc->rxring, len - first);
	return sc->rxframe;
}

/* A broken header means the ring is lost: start it again. */
static void
rx_reset(struct rtl *sc)
{
	sc->nic.stats.rx_errors++;
	ring_restart(sc, inl(sc->io + R_RCR));
}

/* Drain the ring; other interrupt threads get a turn every 32 frames. */
static void
rx_process(struct rtl *sc)
{
	unsigned done = 0;

	while (!(inb(sc->io + R_CR) & CR_BUFE)) {
		uint8_t *h = sc->rxring + sc->rx_off;
		uint16_t status = (uint16_t)(h[0] | h[1] << 8);
		uint32_t len = (uint32_t)(h[2] | h[3] << 8); /* with CRC */

		if (!(status & RXS_ROK) || len < ETH_HLEN + 4 ||
		    len > ETH_FRAME_MAX + 4) {
			rx_reset(sc);
			return;
		}
		nic_input(&sc->nic,
			  ring_frame(sc, (sc->rx_off + 4) % RXRING, len - 4),
			  len - 4);
		sc->rx_off = (sc->rx_off + len + 4 + 3) & ~3u;
		sc->rx_off %= RXRING;
		outw(sc->io + R_CAPR, (uint16_t)(sc->rx_off - 16));
		if (++done % 32 == 0)
			thread_yield();
	}
}

static void
rtl_intr(int irq, void *arg)
{
	struct rtl *sc = arg;
	uint16_t isr = inw(sc->io + R_ISR);

	(void)irq;
	if (isr == 0 || isr == 0xFFFF)
		return;
	outw(sc->io + R_ISR, isr);
	sc->pending |= isr;
	sc->nic.stats.interrupts++;
	thread_wakeup(sc);
}

static void
rtl_thread(void *arg)
{
	struct rtl *sc = arg;

	for (;;) {
		uint32_t f = arch_irq_save();
		uint16_t causes;

		while (sc->pending == 0)
			thread_sleep(sc, 0);
		causes = sc->pending;
		sc->pending = 0;
		arch_irq_restore(f);
		if (causes & ISR_LINK)
			kprintf("rtl8139: %s link %s\n", sc->nic.name,
				rtl_link_up(&sc->nic) ? "up" : "down");
		if (causes & (ISR_RXOVW | ISR_FOVW))
			sc->nic.stats.rx_drops++;
		rx_process(sc);
	}
}

/* ---- initialisation ----------------------------------------------------- */

static bool
chip_reset(struct rtl *sc)
{
	outb(sc->io + R_CONFIG1, 0);    /* power on */
	outb(sc->io + R_CR, CR_RST);
	for (int i = 0; i < 100; i++) {
		if (!(inb(sc->io + R_CR) & CR_RST))
			return true;
		thread_msleep(1);
	}
	return false;
}

static void
chip_start(struct rtl *sc)
{
	for (int i = 0; i < ETH_ALEN; i++)
		sc->nic.mac[i] = inb(sc->io + R_IDR0 + i);
	outl(sc->io + R_RBSTART, (uint32_t)sc->rxring);
	outb(sc->io + R_CR, CR_TE | CR_RE);
	outl(sc->io + R_TCR, 6u << 8);  /* max DMA burst 1024 */
	for (int i = 0; i < 8; i++)
		outb(sc->io + R_MAR0 + i, 0);
	ring_restart(sc, RCR_APM | RCR_AB | RCR_AM | RCR_RBLEN_64K |
				 RCR_MXDMA | RCR_RXFTH);
	outl(sc->io + R_MPC, 0);
}

static errstat
rtl_probe(struct pci_dev *pci)
{
	struct rtl *sc;
	const char *model;

	if (pci->bar[0].type != PCI_BAR_IO)
		return STD_NOTFOUND;
	if ((model = cmdline_get("usernic")) != NULL &&
	    strcmp(model, "rtl8139") == 0) {
		kprintf("rtl8139: %s left to user space (usernic)\n",
			pci->name);
		return STD_NOTFOUND;
	}
	sc = kzalloc(sizeof(*sc));
	if (sc == NULL)
		return STD_NOMEM;
	sc->rxring = (uint8_t *)page_alloc(ALIGN_UP(RXALLOC, PAGE_SIZE) /
					   PAGE_SIZE);
	sc->txbuf = (uint8_t *)page_alloc(NTX * TXBUF / PAGE_SIZE);
	if (sc->rxring == NULL || sc->txbuf == NULL)
		return STD_NOMEM;  /* boot-time only: leaks are not worth undoing */
	sc->pci = pci;
	sc->io = (uint16_t)pci->bar[0].base;
	pci_enable(pci, true);
	if (!chip_reset(sc)) {
		kprintf("rtl8139: %s: reset timed out\n", pci->name);
		return STD_SYSERR;
	}
	chip_start(sc);
	sc->nic.model = "rtl8139";
	sc->nic.ops = &rtl_ops;
	sc->nic.priv = sc;
	sc->nic.nrx = RXRING / ETH_FRAME_MAX;
	pci->drvdata = sc;
	if (net_attach(&sc->nic, pci, rtl_intr, rtl_thread, sc) != STD_OK)
		return STD_SYSERR;
	/*
	 * Not RXOVW: with that unmasked QEMU's model accepts frames into a
	 * full ring and drops them; masked, it holds them back instead.
	 */
	outw(sc->io + R_IMR, ISR_ROK | ISR_RER | ISR_TER | ISR_LINK);
	return STD_OK;
}

static const struct pci_id rtl_ids[] = {
	{ 0x10EC, 0x8139 },     /* RTL8139 */
	{ 0, 0 },
};

const struct pci_driver rtl8139_pci_driver = {
	.name = "rtl8139",
	.ids = rtl_ids,
	.probe = rtl_probe,
};
