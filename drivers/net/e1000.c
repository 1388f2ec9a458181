/*
 * e1000.c - Intel 82540EM gigabit Ethernet (QEMU's -device e1000).
 *
 * DMA descriptor rings of 256 receive and 256 transmit descriptors, each
 * with its own 2 KiB buffer.  The interrupt handler reads ICR (which
 * acknowledges the chip), records the causes and wakes the driver's
 * interrupt thread; the thread hands every completed receive descriptor
 * to nic_input and gives the batch back to the chip with one RDT write.
 * While the ring is full the chip holds frames back (QEMU queues them)
 * rather than dropping them.  Transmission copies the frame (or header
 * and payload, send2) into the tail descriptor's buffer; TDT is written
 * once per burst (send2 with more, then flush); finished descriptors are
 * reclaimed lazily by the next send.
 *
 * Entry point: e1000_pci_driver (probe), then the nic ops.
 *
 * Concurrency: the handler touches only ICR and sc->pending (irq-off).
 * The receive ring belongs to the interrupt thread, the transmit ring to
 * whichever thread is in send; the kernel is non-preemptive and neither
 * path sleeps, so they never interleave with themselves.
 */
#include <stdint.h>
#include <string.h>

#include <stderr.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/mem.h"
#include "drivers/net/nic.h"
#include "kernel/thread.h"
#include "drivers/net/net.h"
#include "drivers/pci/pci.h"

enum {
	R_CTRL = 0x0000, R_STATUS = 0x0008, R_EERD = 0x0014,
	R_ICR = 0x00C0, R_IMS = 0x00D0, R_IMC = 0x00D8,
	R_RCTL = 0x0100, R_TCTL = 0x0400, R_TIPG = 0x0410,
	R_RDBAL = 0x2800, R_RDBAH = 0x2804, R_RDLEN = 0x2808,
	R_RDH = 0x2810, R_RDT = 0x2818, R_RDTR = 0x2820,
	R_TDBAL = 0x3800, R_TDBAH = 0x3804, R_TDLEN = 0x3808,
	R_TDH = 0x3810, R_TDT = 0x3818,
	R_CRCERRS = 0x4000, R_MPC = 0x4010, R_RLEC = 0x4040,
	R_MTA = 0x5200, R_RAL = 0x5400, R_RAH = 0x5404,
};

#define CTRL_LRST (1u << 3)	/* link reset */
#define CTRL_ASDE (1u << 5)	/* auto-speed detection */
#define CTRL_SLU (1u << 6)	/* set link up */
#define CTRL_ILOS (1u << 7)	/* invert loss-of-signal */
#define CTRL_RST (1u << 26)	/* device reset */
#define CTRL_PHY_RST (1u << 31)	/* PHY reset */
#define STATUS_LU (1u << 1)
#define EERD_START 1u
#define EERD_DONE (1u << 4)
#define RCTL_EN (1u << 1)
#define RCTL_UPE (1u << 3)
#define RCTL_MPE (1u << 4)
#define RCTL_BAM (1u << 15)
#define RCTL_SECRC (1u << 26)
#define TCTL_EN (1u << 1)
#define TCTL_PSP (1u << 3)
#define TCTL_CT (0x0Fu << 4)
#define TCTL_COLD (0x40u << 12)
#define ICR_TXDW (1u << 0)
#define ICR_LSC (1u << 2)
#define ICR_RXSEQ (1u << 3)
#define ICR_RXDMT0 (1u << 4)
#define ICR_RXO (1u << 6)
#define ICR_RXT0 (1u << 7)
#define RAH_AV (1u << 31)
/* Transmit inter-packet gap for IEEE 802.3 (the manual's values). */
#define TIPG_IPGT 10u
#define TIPG_IPGR1 (8u << 10)
#define TIPG_IPGR2 (6u << 20)
#define NRAR 16			/* receive-address registers */
#define NMTA 128		/* multicast-table words */
#define EERD_SPIN 100000	/* EEPROM read polls before giving up */
#define RESET_MS 1000		/* wait for CTRL_RST to clear, ms */
#define RXD_DD 0x01
#define RXD_EOP 0x02
#define TXD_EOP 0x01
#define TXD_IFCS 0x02
#define TXD_RS 0x08
#define TXD_DD 0x01

#define NRX 256
#define NTX 256
#define BUFSZ 2048
#define RX_BATCH 32             /* frames between yields */
#define TX_BATCH 32             /* frames held back before telling the chip */

struct rxd {
	uint64_t addr;
	uint16_t len;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
};
_Static_assert(sizeof(struct rxd) == 16, "e1000 rx descriptor");

struct txd {
	uint64_t addr;
	uint16_t len;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
};
_Static_assert(sizeof(struct txd) == 16, "e1000 tx descriptor");

struct e1000 {
	struct nic nic;                 /* must be first */
	struct pci_dev *pci;
	volatile uint8_t *regs;         /* BAR0 */
	volatile struct rxd *rxd;       /* interrupt thread */
	uint8_t *rxbuf;
	unsigned rx_next;               /* next descriptor to look at */
	volatile struct txd *txd;       /* sender */
	uint8_t *txbuf;
	unsigned tx_tail;               /* next free descriptor */
	unsigned tx_clean;              /* oldest not yet reclaimed */
	unsigned tx_told;               /* TDT as last written */
	volatile uint32_t pending;      /* ICR causes not handled (irq-off) */
	bool mpc_known;                 /* MPC semantics found out */
	bool mpc_total;                 /* MPC is a running total (QEMU) */
	uint32_t mpc_last;              /* last total read */
};

static uint32_t
rd(struct e1000 *sc, uint32_t reg)
{
	return *(volatile uint32_t *)(sc->regs + reg);
}

static void
wr(struct e1000 *sc, uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(sc->regs + reg) = v;
}

/* ---- nic ops ------------------------------------------------------------ */

static void
tx_reclaim(struct e1000 *sc)
{
	while (sc->tx_clean != sc->tx_tail &&
	       (sc->txd[sc->tx_clean].status & TXD_DD))
		sc->tx_clean = (sc->tx_clean + 1) % NTX;
}

/* Tell the chip about every queued descriptor (one register write). */
static void
tx_kick(struct e1000 *sc)
{
	if (sc->tx_told == sc->tx_tail)
		return;
	__asm__ volatile("" ::: "memory");
	wr(sc, R_TDT, sc->tx_tail);
	sc->tx_told = sc->tx_tail;
}

/* Is there a free descriptor?  Waits up to 20 ms for the chip. */
static bool
tx_room(struct e1000 *sc)
{
	uint32_t start = arch_milli();

	for (;;) {
		tx_reclaim(sc);
		if ((sc->tx_tail + 1) % NTX != sc->tx_clean)
			return true;
		tx_kick(sc);	/* it cannot finish what it was not told */
		if (arch_milli() - start > 20)
			return false;
	}
}

/*
 * Queue the frame already copied into descriptor tail's buffer; tell the
 * chip unless more frames follow (each TDT write is a VM exit).
 */
static void
tx_queue(struct e1000 *sc, size_t len, bool more)
{
	unsigned i = sc->tx_tail;
	volatile struct txd *d = &sc->txd[i];

	d->addr = (uint32_t)(sc->txbuf + i * BUFSZ);
	d->len = (uint16_t)len;
	d->cso = 0;
	d->css = 0;
	d->special = 0;
	d->status = 0;
	d->cmd = TXD_EOP | TXD_IFCS | TXD_RS;
	sc->tx_tail = (i + 1) % NTX;
	if (!more || (sc->tx_tail - sc->tx_told + NTX) % NTX >= TX_BATCH)
		tx_kick(sc);
}

static errstat
e1000_send(struct nic *nic, const void *frame, size_t len)
{
	struct e1000 *sc = nic->priv;

	if (!tx_room(sc))
		return STD_NOSPACE;
	memcpy(sc->txbuf + sc->tx_tail * BUFSZ, frame, len);
	tx_queue(sc, len, false);
	return STD_OK;
}

/* Gather straight into the DMA buffer: no intermediate frame copy. */
static errstat
e1000_send2(struct nic *nic, const void *hdr, size_t hlen, const void *data,
	    size_t dlen, bool more)
{
	struct e1000 *sc = nic->priv;
	uint8_t *b;

	if (!tx_room(sc))
		return STD_NOSPACE;
	b = sc->txbuf + sc->tx_tail * BUFSZ;
	memcpy(b, hdr, hlen);
	memcpy(b + hlen, data, dlen);
	tx_queue(sc, hlen + dlen, more);
	return STD_OK;
}

static void
e1000_flush(struct nic *nic)
{
	tx_kick(nic->priv);
}

/* MTA hash with RCTL.MO = 0: destination address bits 47..36. */
static unsigned
mta_hash(const uint8_t *mac)
{
	return (((unsigned)mac[5] << 8 | mac[4]) >> 4) & 0xFFF;
}

static void
e1000_set_filter(struct nic *nic)
{
	struct e1000 *sc = nic->priv;
	uint32_t mta[128] = { 0 };
	uint32_t rctl = rd(sc, R_RCTL) & ~(RCTL_UPE | RCTL_MPE);

	for (int i = 0; i < nic->nmcast; i++) {
		unsigned h = mta_hash(nic->mcast[i]);

		mta[h >> 5] |= 1u << (h & 31);
	}
	for (int i = 0; i < 128; i++)
		wr(sc, R_MTA + 4 * i, mta[i]);
	if (nic->promisc)
		rctl |= RCTL_UPE | RCTL_MPE;
	/* QEMU's model holds frames back for a second after RCTL changes. */
	if (rctl != rd(sc, R_RCTL))
		wr(sc, R_RCTL, rctl);
}

static bool
e1000_link_up(struct nic *nic)
{
	return (rd(nic->priv, R_STATUS) & STATUS_LU) != 0;
}

/*
 * Missed packets (no free descriptor).  The chip's MPC clears on read;
 * QEMU's model keeps a running total instead.  The first nonzero value
 * is read twice to tell which: the same value again means a total.
 */
static uint32_t
missed_frames(struct e1000 *sc)
{
	uint32_t v = rd(sc, R_MPC), delta;

	if (v == 0)
		return 0;
	if (!sc->mpc_known) {
		uint32_t again = rd(sc, R_MPC);

		sc->mpc_known = true;
		sc->mpc_total = again >= v && again != 0;
		if (!sc->mpc_total)
			return v + again;
	}
	if (!sc->mpc_total)
		return v;
	delta = v - sc->mpc_last;
	sc->mpc_last = v;
	return delta;
}

static void
e1000_update_stats(struct nic *nic)
{
	struct e1000 *sc = nic->priv;

	nic->stats.rx_drops += missed_frames(sc);
	nic->stats.rx_errors += rd(sc, R_CRCERRS) + rd(sc, R_RLEC);
}

static const struct nic_ops e1000_ops = {
	.send = e1000_send,
	.send2 = e1000_send2,
	.flush = e1000_flush,
	.set_filter = e1000_set_filter,
	.link_up = e1000_link_up,
	.update_stats = e1000_update_stats,
};

/* ---- receive and interrupts --------------------------------------------- */

/* Give every descriptor before rx_next back to the chip. */
static void
rx_give_back(struct e1000 *sc)
{
	__asm__ volatile("" ::: "memory");
	wr(sc, R_RDT, (sc->rx_next + NRX - 1) % NRX);
}

/*
 * Hand every completed descriptor up; the buffers go back to the chip
 * with one RDT write per batch (each register write is a VM exit under
 * emulation).  Other interrupt threads (other NICs, disks) get a turn
 * every RX_BATCH frames.
 */
static void
rx_process(struct e1000 *sc)
{
	unsigned done = 0;

	while (sc->rxd[sc->rx_next].status & RXD_DD) {
		volatile struct rxd *d = &sc->rxd[sc->rx_next];

		if (d->errors || !(d->status & RXD_EOP))
			sc->nic.stats.rx_errors++;
		else
			nic_input(&sc->nic, sc->rxbuf + sc->rx_next * BUFSZ,
				  d->len);
		d->status = 0;
		sc->rx_next = (sc->rx_next + 1) % NRX;
		if (++done % RX_BATCH == 0) {
			rx_give_back(sc);
			thread_yield();
		}
	}
	if (done % RX_BATCH)
		rx_give_back(sc);
}

static void
e1000_intr(int irq, void *arg)
{
	struct e1000 *sc = arg;
	uint32_t icr = rd(sc, R_ICR);

	(void)irq;
	if (icr == 0)
		return;
	sc->pending |= icr;
	sc->nic.stats.interrupts++;
	thread_wakeup(sc);
}

static void
e1000_thread(void *arg)
{
	struct e1000 *sc = arg;

	for (;;) {
		uint32_t f = arch_irq_save(), causes;

		while (sc->pending == 0)
			thread_sleep(sc, 0);
		causes = sc->pending;
		sc->pending = 0;
		arch_irq_restore(f);
		if (causes & ICR_LSC)
			kprintf("e1000: %s link %s\n", sc->nic.name,
				e1000_link_up(&sc->nic) ? "up" : "down");
		rx_process(sc);
	}
}

/* ---- initialisation ----------------------------------------------------- */

static bool
eeprom_read(struct e1000 *sc, uint8_t word, uint16_t *out)
{
	wr(sc, R_EERD, ((uint32_t)word << 8) | EERD_START);
	for (int spin = 0; spin < EERD_SPIN; spin++) {
		uint32_t v = rd(sc, R_EERD);

		if (v & EERD_DONE) {
			*out = (uint16_t)(v >> 16);
			return true;
		}
	}
	return false;
}

/* MAC from the EEPROM; if that fails, what firmware left in RAL0/RAH0. */
static void
read_mac(struct e1000 *sc)
{
	uint8_t *m = sc->nic.mac;
	uint16_t w[3];

	if (eeprom_read(sc, 0, &w[0]) && eeprom_read(sc, 1, &w[1]) &&
	    eeprom_read(sc, 2, &w[2])) {
		for (int i = 0; i < 3; i++) {
			m[2 * i] = w[i] & 0xFF;
			m[2 * i + 1] = w[i] >> 8;
		}
		return;
	}
	uint32_t lo = rd(sc, R_RAL), hi = rd(sc, R_RAH);

	for (int i = 0; i < 4; i++)
		m[i] = (uint8_t)(lo >> (8 * i));
	m[4] = hi & 0xFF;
	m[5] = (hi >> 8) & 0xFF;
}

static void
chip_reset(struct e1000 *sc)
{
	wr(sc, R_IMC, 0xFFFFFFFFu);
	wr(sc, R_CTRL, rd(sc, R_CTRL) | CTRL_RST);
	thread_msleep(2);
	for (int spin = 0; spin < RESET_MS && (rd(sc, R_CTRL) & CTRL_RST);
	     spin++)
		thread_msleep(1);
	wr(sc, R_IMC, 0xFFFFFFFFu);
	(void)rd(sc, R_ICR);
	wr(sc, R_CTRL, (rd(sc, R_CTRL) | CTRL_SLU | CTRL_ASDE) &
			       ~(CTRL_LRST | CTRL_ILOS | CTRL_PHY_RST));
}

static bool
rings_alloc(struct e1000 *sc)
{
	sc->rxd = (volatile struct rxd *)page_alloc(1);
	sc->txd = (volatile struct txd *)page_alloc(1);
	sc->rxbuf = (uint8_t *)page_alloc(NRX * BUFSZ / PAGE_SIZE);
	sc->txbuf = (uint8_t *)page_alloc(NTX * BUFSZ / PAGE_SIZE);
	return sc->rxd && sc->txd && sc->rxbuf && sc->txbuf;
}

static void
rings_init(struct e1000 *sc)
{
	for (int i = 0; i < NRX; i++)
		sc->rxd[i].addr = (uint32_t)(sc->rxbuf + i * BUFSZ);
	wr(sc, R_RDBAL, (uint32_t)sc->rxd);
	wr(sc, R_RDBAH, 0);
	wr(sc, R_RDLEN, NRX * sizeof(struct rxd));
	wr(sc, R_RDH, 0);
	wr(sc, R_RDT, NRX - 1);
	wr(sc, R_RDTR, 0);
	wr(sc, R_TDBAL, (uint32_t)sc->txd);
	wr(sc, R_TDBAH, 0);
	wr(sc, R_TDLEN, NTX * sizeof(struct txd));
	wr(sc, R_TDH, 0);
	wr(sc, R_TDT, 0);
	wr(sc, R_TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
	wr(sc, R_TIPG, TIPG_IPGT | TIPG_IPGR1 | TIPG_IPGR2);
	wr(sc, R_RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC);
}

static void
station_init(struct e1000 *sc)
{
	const uint8_t *m = sc->nic.mac;

	wr(sc, R_RAL, m[0] | m[1] << 8 | m[2] << 16 | (uint32_t)m[3] << 24);
	wr(sc, R_RAH, m[4] | m[5] << 8 | RAH_AV);
	for (int i = 1; i < NRAR; i++)
		wr(sc, R_RAH + 8 * i, 0);
	for (int i = 0; i < NMTA; i++)
		wr(sc, R_MTA + 4 * i, 0);
}

static errstat
e1000_probe(struct pci_dev *pci)
{
	struct e1000 *sc;

	if (pci->bar[0].type != PCI_BAR_MEM)
		return STD_NOTFOUND;
	sc = kzalloc(sizeof(*sc));
	if (sc == NULL || !rings_alloc(sc))
		return STD_NOMEM;  /* boot-time only: leaks are not worth undoing */
	sc->pci = pci;
	sc->regs = (volatile uint8_t *)pci->bar[0].base;
	pci_enable(pci, true);
	chip_reset(sc);
	read_mac(sc);
	station_init(sc);
	rings_init(sc);
	sc->nic.model = "e1000";
	sc->nic.ops = &e1000_ops;
	sc->nic.priv = sc;
	sc->nic.nrx = NRX - 1;
	pci->drvdata = sc;
	if (net_attach(&sc->nic, pci, e1000_intr, e1000_thread, sc) != STD_OK)
		return STD_SYSERR;
	wr(sc, R_IMS, ICR_RXT0 | ICR_RXO | ICR_RXDMT0 | ICR_LSC | ICR_RXSEQ);
	return STD_OK;
}

static const struct pci_id e1000_ids[] = {
	{ 0x8086, 0x100E },     /* 82540EM, QEMU's e1000 */
	{ 0x8086, 0x100F },     /* 82545EM copper */
	{ 0, 0 },
};

const struct pci_driver e1000_pci_driver = {
	.name = "e1000",
	.ids = e1000_ids,
	.probe = e1000_probe,
};
