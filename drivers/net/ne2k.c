/*
 * ne2k.c - NE2000-compatible PCI Ethernet (RTL8029, QEMU's ne2k_pci):
 * a DP8390 core with 32 KiB of on-card memory reached by programmed I/O.
 *
 * Card memory: pages 0x40-0x45 hold the one transmit buffer, pages
 * 0x46-0xBF the receive ring.  All data moves through the data port with
 * "remote DMA": load the card address and count, then insw/outsw.  The
 * ring holds about 20 full-size frames (nic->nrx); QEMU's model holds
 * back frames that find it full and delivers them only when the next
 * frame arrives, so senders should pace by nrx, as FLIP's credits do.
 * Receive overflow (ISR.OVW) is counted but the DP8390 stop/restart
 * recovery is not implemented (QEMU never signals it).
 *
 * Entry point: ne2k_pci_driver (probe), then the nic ops.
 *
 * Concurrency: the interrupt handler only masks the card (IMR = 0) and
 * wakes the interrupt thread, which reads and acknowledges ISR, drains
 * the ring and unmasks.  Register page 1 is selected only with interrupts
 * off, so the handler always finds page 0.  Remote DMA is used by the
 * sender and by the thread; neither sleeps in the middle of one and the
 * kernel is non-preemptive, so transfers never interleave.
 */
#include <stdint.h>
#include <string.h>

#include <stderr.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/mem.h"
#include "drivers/net/nic.h"
#include "kernel/thread.h"
#include "kernel/arch/i386/x86.h"
#include "drivers/net/net.h"
#include "drivers/pci/pci.h"

enum {  /* page 0 unless noted */
	R_CR = 0x00, R_PSTART = 0x01, R_PSTOP = 0x02, R_BNRY = 0x03,
	R_TPSR = 0x04, R_TBCR0 = 0x05, R_TBCR1 = 0x06, R_ISR = 0x07,
	R_RSAR0 = 0x08, R_RSAR1 = 0x09, R_RBCR0 = 0x0A, R_RBCR1 = 0x0B,
	R_RCR = 0x0C, R_TCR = 0x0D, R_DCR = 0x0E, R_IMR = 0x0F,
	R_CNTR2 = 0x0F,          /* read: missed-packet counter */
	R_PAR0 = 0x01, R_CURR = 0x07, R_MAR0 = 0x08,   /* page 1 */
	R_DATA = 0x10, R_RESET = 0x1F,
};

#define CR_STP 0x01
#define CR_STA 0x02
#define CR_TXP 0x04
#define CR_RREAD 0x08
#define CR_RWRITE 0x10
#define CR_NODMA 0x20
#define CR_PAGE1 0x40
#define ISR_PRX 0x01
#define ISR_PTX 0x02
#define ISR_RXE 0x04
#define ISR_TXE 0x08
#define ISR_OVW 0x10
#define ISR_CNT 0x20
#define ISR_RDC 0x40
#define ISR_RST 0x80
#define IMR_ON (ISR_PRX | ISR_RXE | ISR_TXE | ISR_OVW | ISR_CNT)
#define RCR_AB 0x04
#define RCR_AM 0x08
#define RCR_PRO 0x10
#define DCR_WORD 0x49           /* word transfers, normal mode, FIFO 8 */

#define TX_PAGE 0x40
#define RX_START 0x46
#define RX_STOP 0xC0

struct ne2k {
	struct nic nic;                 /* must be first */
	struct pci_dev *pci;
	uint16_t io;                    /* BAR0 port base */
	uint8_t next;                   /* next ring page to read (thread) */
	uint8_t frame[ETH_FRAME_MAX + 1]; /* receive copy (thread) */
	volatile bool pending;          /* interrupt seen (irq-off) */
};

/* ---- remote DMA --------------------------------------------------------- */

static bool
rdma_wait(struct ne2k *sc)
{
	for (int spin = 0; spin < 100000; spin++) {
		if (inb(sc->io + R_ISR) & ISR_RDC) {
			outb(sc->io + R_ISR, ISR_RDC);
			return true;
		}
	}
	return false;
}

static void
rdma_setup(struct ne2k *sc, uint16_t addr, uint16_t count, uint8_t dir)
{
	outb(sc->io + R_CR, CR_NODMA | CR_STA);
	outb(sc->io + R_ISR, ISR_RDC);
	outb(sc->io + R_RBCR0, count & 0xFF);
	outb(sc->io + R_RBCR1, count >> 8);
	outb(sc->io + R_RSAR0, addr & 0xFF);
	outb(sc->io + R_RSAR1, addr >> 8);
	outb(sc->io + R_CR, dir | CR_STA);
}

/* Read count bytes of card memory at addr (count even, or one spare). */
static bool
card_read(struct ne2k *sc, uint16_t addr, void *buf, uint16_t count)
{
	uint16_t words = (uint16_t)((count + 1) / 2);

	rdma_setup(sc, addr, (uint16_t)(words * 2), CR_RREAD);
	insw(sc->io + R_DATA, buf, words);
	return rdma_wait(sc);
}

static bool
card_write(struct ne2k *sc, uint16_t addr, const void *buf, uint16_t count)
{
	uint16_t words = (uint16_t)((count + 1) / 2);

	rdma_setup(sc, addr, (uint16_t)(words * 2), CR_RWRITE);
	outsw(sc->io + R_DATA, buf, words);
	return rdma_wait(sc);
}

/* ---- nic ops ------------------------------------------------------------ */

static errstat
ne2k_send(struct nic *nic, const void *frame, size_t len)
{
	struct ne2k *sc = nic->priv;
	uint32_t start = arch_milli();
	uint8_t tmp[ETH_FRAME_MAX + 1];

	while (inb(sc->io + R_CR) & CR_TXP)
		if (arch_milli() - start > 20)
			return STD_NOSPACE;
	memcpy(tmp, frame, len);        /* the odd byte of the last word */
	if (!card_write(sc, TX_PAGE << 8, tmp, (uint16_t)len)) {
		nic->stats.tx_errors++;
		return STD_SYSERR;
	}
	outb(sc->io + R_TPSR, TX_PAGE);
	outb(sc->io + R_TBCR0, len & 0xFF);
	outb(sc->io + R_TBCR1, (len >> 8) & 0xFF);
	outb(sc->io + R_CR, CR_NODMA | CR_TXP | CR_STA);
	return STD_OK;
}

/* Page-1 register access, with interrupts off meanwhile. */
static void
page1_write(struct ne2k *sc, uint8_t reg, uint8_t v)
{
	uint32_t f = arch_irq_save();

	outb(sc->io + R_CR, CR_NODMA | CR_PAGE1 | CR_STA);
	outb(sc->io + reg, v);
	outb(sc->io + R_CR, CR_NODMA | CR_STA);
	arch_irq_restore(f);
}

static uint8_t
page1_read(struct ne2k *sc, uint8_t reg)
{
	uint32_t f = arch_irq_save();
	uint8_t v;

	outb(sc->io + R_CR, CR_NODMA | CR_PAGE1 | CR_STA);
	v = inb(sc->io + reg);
	outb(sc->io + R_CR, CR_NODMA | CR_STA);
	arch_irq_restore(f);
	return v;
}

static void
ne2k_set_filter(struct nic *nic)
{
	struct ne2k *sc = nic->priv;
	uint8_t mar[8] = { 0 };

	for (int i = 0; i < nic->nmcast; i++) {
		unsigned h = nic_ether_crc(nic->mcast[i], ETH_ALEN) >> 26;

		mar[h >> 3] |= (uint8_t)(1u << (h & 7));
	}
	if (nic->promisc)
		memset(mar, 0xFF, sizeof(mar));
	for (int i = 0; i < 8; i++)
		page1_write(sc, (uint8_t)(R_MAR0 + i), mar[i]);
	outb(sc->io + R_RCR, RCR_AB | RCR_AM | (nic->promisc ? RCR_PRO : 0));
}

static bool
ne2k_link_up(struct nic *nic)
{
	(void)nic;
	return true;    /* the DP8390 has no link indication */
}

static const struct nic_ops ne2k_ops = {
	.send = ne2k_send,
	.set_filter = ne2k_set_filter,
	.link_up = ne2k_link_up,
	.update_stats = NULL,
};

/* ---- receive and interrupts --------------------------------------------- */

/*
 * Copy a frame out of the ring, in two pieces if it wraps at RX_STOP.
 * Frames start 4 bytes into a page, so a wrapping first piece is even.
 */
static bool
ring_read(struct ne2k *sc, uint16_t addr, uint16_t len)
{
	uint16_t first = (uint16_t)MIN(len, (RX_STOP << 8) - addr);

	if (!card_read(sc, addr, sc->frame, first))
		return false;
	return len == first ||
	       card_read(sc, RX_START << 8, sc->frame + first,
			 (uint16_t)(len - first));
}

/*
 * The ring is inconsistent (the card overran it): skip everything the
 * card has written.  The frames are lost to the overrun, so they count
 * as drops, not as receive errors.
 */
static void
ring_resync(struct ne2k *sc, uint8_t curr)
{
	sc->nic.stats.rx_drops++;
	sc->next = curr;
	outb(sc->io + R_BNRY, curr == RX_START ? RX_STOP - 1 : curr - 1);
}

static void
rx_one(struct ne2k *sc, uint8_t curr)
{
	uint8_t hdr[4];
	uint16_t len, addr = (uint16_t)(sc->next << 8);

	if (!card_read(sc, addr, hdr, 4)) {
		ring_resync(sc, curr);
		return;
	}
	len = (uint16_t)((hdr[2] | hdr[3] << 8) - 4);
	if (hdr[1] < RX_START || hdr[1] >= RX_STOP || len < ETH_HLEN ||
	    len > ETH_FRAME_MAX) {
		ring_resync(sc, curr);
		return;
	}
	addr += 4;
	if (addr >= RX_STOP << 8)
		addr = (uint16_t)(addr - ((RX_STOP - RX_START) << 8));
	if ((hdr[0] & 0x01) && ring_read(sc, addr, len))
		nic_input(&sc->nic, sc->frame, len);
	else
		sc->nic.stats.rx_errors++;
	sc->next = hdr[1];
	outb(sc->io + R_BNRY, sc->next == RX_START ? RX_STOP - 1
						   : sc->next - 1);
}

/* Drain the ring; other interrupt threads get a turn every 32 frames. */
static void
rx_process(struct ne2k *sc)
{
	unsigned done = 0;
	uint8_t curr;

	while ((curr = page1_read(sc, R_CURR)) != sc->next) {
		rx_one(sc, curr);
		if (++done % 32 == 0)
			thread_yield();
	}
}

static void
ne2k_intr(int irq, void *arg)
{
	struct ne2k *sc = arg;

	(void)irq;
	if (!(inb(sc->io + R_ISR) & IMR_ON))
		return;
	outb(sc->io + R_IMR, 0);
	sc->pending = true;
	sc->nic.stats.interrupts++;
	thread_wakeup(sc);
}

static void
ne2k_thread(void *arg)
{
	struct ne2k *sc = arg;

	for (;;) {
		uint32_t f = arch_irq_save();
		uint8_t isr;

		while (!sc->pending)
			thread_sleep(sc, 0);
		sc->pending = false;
		arch_irq_restore(f);
		isr = inb(sc->io + R_ISR);
		outb(sc->io + R_ISR, isr & (uint8_t)~ISR_RDC);
		if (isr & ISR_OVW)
			sc->nic.stats.rx_drops++;
		if (isr & ISR_RXE)
			sc->nic.stats.rx_errors++;
		if (isr & ISR_TXE)
			sc->nic.stats.tx_errors++;
		if (isr & ISR_CNT)
			sc->nic.stats.rx_drops += inb(sc->io + R_CNTR2);
		rx_process(sc);
		outb(sc->io + R_IMR, IMR_ON);
	}
}

/* ---- initialisation ----------------------------------------------------- */

static bool
chip_reset(struct ne2k *sc)
{
	outb(sc->io + R_RESET, inb(sc->io + R_RESET));
	for (int i = 0; i < 100; i++) {
		if (inb(sc->io + R_ISR) & ISR_RST) {
			outb(sc->io + R_ISR, 0xFF);
			return true;
		}
		thread_msleep(1);
	}
	return false;
}

/* The station address PROM sits at card address 0, each byte doubled. */
static void
chip_init(struct ne2k *sc)
{
	uint16_t prom[6];

	outb(sc->io + R_CR, CR_NODMA | CR_STP);
	outb(sc->io + R_DCR, DCR_WORD);
	outb(sc->io + R_RBCR0, 0);
	outb(sc->io + R_RBCR1, 0);
	outb(sc->io + R_RCR, 0x20);     /* monitor while setting up */
	outb(sc->io + R_TCR, 0x02);     /* internal loopback */
	outb(sc->io + R_ISR, 0xFF);
	outb(sc->io + R_IMR, 0);
	card_read(sc, 0, prom, sizeof(prom));
	for (int i = 0; i < ETH_ALEN; i++)
		sc->nic.mac[i] = prom[i] & 0xFF;
	outb(sc->io + R_CR, CR_NODMA | CR_STP);
	outb(sc->io + R_TPSR, TX_PAGE);
	outb(sc->io + R_PSTART, RX_START);
	outb(sc->io + R_PSTOP, RX_STOP);
	outb(sc->io + R_BNRY, RX_STOP - 1);
	outb(sc->io + R_CR, CR_NODMA | CR_PAGE1 | CR_STP);
	for (int i = 0; i < ETH_ALEN; i++)
		outb(sc->io + R_PAR0 + i, sc->nic.mac[i]);
	for (int i = 0; i < 8; i++)
		outb(sc->io + R_MAR0 + i, 0);
	outb(sc->io + R_CURR, RX_START);
	sc->next = RX_START;
	outb(sc->io + R_CR, CR_NODMA | CR_STA);
	outb(sc->io + R_ISR, 0xFF);
	outb(sc->io + R_TCR, 0x00);
	outb(sc->io + R_RCR, RCR_AB | RCR_AM);
}

static errstat
ne2k_probe(struct pci_dev *pci)
{
	struct ne2k *sc;

	if (pci->bar[0].type != PCI_BAR_IO)
		return STD_NOTFOUND;
	sc = kzalloc(sizeof(*sc));
	if (sc == NULL)
		return STD_NOMEM;
	sc->pci = pci;
	sc->io = (uint16_t)pci->bar[0].base;
	pci_enable(pci, false);
	if (!chip_reset(sc)) {
		kprintf("ne2k: %s: reset timed out\n", pci->name);
		kfree(sc);
		return STD_SYSERR;
	}
	chip_init(sc);
	sc->nic.model = "ne2k_pci";
	sc->nic.ops = &ne2k_ops;
	sc->nic.priv = sc;
	sc->nic.nrx = (RX_STOP - RX_START) * 256 / ETH_FRAME_MAX;
	pci->drvdata = sc;
	if (net_attach(&sc->nic, pci, ne2k_intr, ne2k_thread, sc) != STD_OK)
		return STD_SYSERR;
	outb(sc->io + R_IMR, IMR_ON);
	return STD_OK;
}

static const struct pci_id ne2k_ids[] = {
	{ 0x10EC, 0x8029 },     /* RTL8029(AS) */
	{ 0, 0 },
};

const struct pci_driver ne2k_pci_driver = {
	.name = "ne2k_pci",
	.ids = ne2k_ids,
	.probe = ne2k_probe,
};
