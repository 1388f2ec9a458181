/*
 * rtl8139_core.c - the Realtek RTL8139's chip logic (QEMU's -device
 * rtl8139), built into the kernel driver and into the user-space driver
 * (rtl8139_core.h says how).
 *
 * Receive: the chip writes frames, each behind a 4-byte header (status,
 * length including the CRC), into one 64 KiB ring buffer; rtl_service
 * copies each frame out (in two pieces when it wraps), hands it to
 * nic_input and moves CAPR on.  Transmit: four descriptors used round
 * robin, each with a 2 KiB buffer the frame is copied into.  Writing RCR
 * restarts the ring at offset 0, so a filter change that needs one
 * (promiscuous on/off) drops what the ring still holds.
 */
#include <stdint.h>
#include <string.h>

#include <stderr.h>
#include <module/drvio.h>

#include "drivers/net/nic.h"
#include "drivers/net/rtl8139_core.h"

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
#define ISR_TER 0x0008
#define ISR_RXOVW 0x0010
#define ISR_FOVW 0x0040
#define RCR_AAP 0x01            /* all physical (promiscuous) */
#define RCR_APM 0x02            /* physical match */
#define RCR_AM 0x04             /* multicast (hash) */
#define RCR_AB 0x08             /* broadcast */
#define RCR_RBLEN_64K (3u << 11)
#define RCR_MXDMA (7u << 8)
#define RCR_RXFTH (7u << 13)
#define TSD_OWN (1u << 13)
#define TSD_ABORTS (1u << 30)
#define BMSR_LINK 0x0004
#define RXS_ROK 0x0001

#define RESET_US 100000         /* a reset: at most */
#define SLOT_US 20000           /* a transmit slot to free: at most */

/* The ring at the start of the DMA memory, the slots after it. */
#define RXRING(sc) ((sc)->res.dma_va)
#define TXBUF(sc, i) ((sc)->res.dma_va + RTL_RXAREA + (i) * RTL_TXBUF)
#define TXBUF_PA(sc, i) ((sc)->res.dma_pa + RTL_RXAREA + (i) * RTL_TXBUF)

/*
 * Writing RCR restarts the chip's ring at offset 0 (QEMU's model and the
 * chip alike), so a resync and a filter change both come here.
 */
static void
ring_restart(struct rtl *sc, uint32_t rcr)
{
	dev_outl(sc->res.io + R_RCR, rcr);
	sc->rx_off = 0;
	dev_outw(sc->res.io + R_CAPR, (uint16_t)(0 - 16));
}

bool
rtl_chip_reset(struct rtl *sc)
{
	uint64_t t0 = drv_clock_us();

	dev_outb(sc->res.io + R_CONFIG1, 0);    /* power on */
	dev_outb(sc->res.io + R_CR, CR_RST);
	while (dev_inb(sc->res.io + R_CR) & CR_RST) {
		if (drv_clock_us() - t0 > RESET_US)
			return false;
		drv_yield();
	}
	return true;
}

void
rtl_chip_start(struct rtl *sc)
{
	uint16_t io = sc->res.io;

	for (int i = 0; i < ETH_ALEN; i++)
		sc->nic.mac[i] = dev_inb(io + R_IDR0 + i);
	dev_outl(io + R_RBSTART, sc->res.dma_pa);
	dev_outb(io + R_CR, CR_TE | CR_RE);
	dev_outl(io + R_TCR, 6u << 8);  /* max DMA burst 1024 */
	for (int i = 0; i < 8; i++)
		dev_outb(io + R_MAR0 + i, 0);
	ring_restart(sc, RCR_APM | RCR_AB | RCR_AM | RCR_RBLEN_64K |
			 RCR_MXDMA | RCR_RXFTH);
	dev_outl(io + R_MPC, 0);
}

/*
 * Not RXOVW: with that unmasked QEMU's model accepts frames into a full
 * ring and drops them; masked, it holds them back instead.
 */
void
rtl_intr_enable(struct rtl *sc)
{
	dev_outw(sc->res.io + R_IMR,
		 ISR_ROK | ISR_RER | ISR_TER | RTL_ISR_LINK);
}

uint16_t
rtl_intr_causes(struct rtl *sc)
{
	uint16_t isr = dev_inw(sc->res.io + R_ISR);

	if (isr == 0 || isr == 0xFFFF)
		return 0;
	dev_outw(sc->res.io + R_ISR, isr);
	sc->nic.stats.interrupts++;
	return isr;
}

/* Frames still in the ring when RCR must change are dropped (rare). */
void
rtl_load_filter(struct rtl *sc, const uint8_t mar[8], bool promisc)
{
	uint16_t io = sc->res.io;
	uint32_t rcr = dev_inl(io + R_RCR) & ~(uint32_t)RCR_AAP;

	if (promisc)
		rcr |= RCR_AAP;
	for (int i = 0; i < 8; i++)
		dev_outb(io + R_MAR0 + i, promisc ? 0xFF : mar[i]);
	if (rcr != dev_inl(io + R_RCR)) {
		if (!(dev_inb(io + R_CR) & CR_BUFE))
			sc->nic.stats.rx_drops++;
		ring_restart(sc, rcr);
	}
}

/* ---- transmit ----------------------------------------------------------- */

/* Wait (bounded) until slot i's previous frame left the chip. */
static bool
tx_slot_free(struct rtl *sc, unsigned i)
{
	uint64_t t0 = drv_clock_us();

	for (;;) {
		uint32_t tsd = dev_inl(sc->res.io + R_TSD0 + 4 * i);

		if (tsd & TSD_OWN) {
			if (tsd & TSD_ABORTS)
				sc->nic.stats.tx_errors++;
			return true;
		}
		if (drv_clock_us() - t0 > SLOT_US)
			return false;
	}
}

errstat
rtl_send(struct nic *nic, const void *frame, size_t len)
{
	struct rtl *sc = nic->priv;
	unsigned i = sc->tx_next;

	if (len > RTL_TXBUF)
		return STD_ARGBAD;
	if (!tx_slot_free(sc, i))
		return STD_NOSPACE;
	memcpy(TXBUF(sc, i), frame, len);
	dev_outl(sc->res.io + R_TSAD0 + 4 * i, TXBUF_PA(sc, i));
	dev_outl(sc->res.io + R_TSD0 + 4 * i, (uint32_t)len); /* go */
	sc->tx_next = (i + 1) % RTL_NTX;
	return STD_OK;
}

/* The PHY's basic mode status: bit 2 is the link (QEMU models this one). */
bool
rtl_link_up(struct nic *nic)
{
	struct rtl *sc = nic->priv;

	return (dev_inw(sc->res.io + R_BMSR) & BMSR_LINK) != 0;
}

void
rtl_update_stats(struct nic *nic)
{
	struct rtl *sc = nic->priv;

	nic->stats.rx_drops += dev_inl(sc->res.io + R_MPC) & 0xFFFFFF;
	dev_outl(sc->res.io + R_MPC, 0);
}

/* ---- receive ------------------------------------------------------------ */

/* The len bytes at ring offset off, copied together when they wrap. */
static const uint8_t *
ring_frame(struct rtl *sc, uint32_t off, uint32_t len)
{
	uint32_t first;

	if (off + len <= RTL_RXRING)
		return RXRING(sc) + off;
	first = RTL_RXRING - off;
	memcpy(sc->rxframe, RXRING(sc) + off, first);
	memcpy(sc->rxframe + first, RXRING(sc), len - first);
	return sc->rxframe;
}

/* Drain the ring; other threads get a turn every 32 frames. */
static void
rx_process(struct rtl *sc)
{
	uint16_t io = sc->res.io;
	unsigned done = 0;

	while (!(dev_inb(io + R_CR) & CR_BUFE)) {
		uint8_t *h = RXRING(sc) + sc->rx_off;
		uint16_t status = (uint16_t)(h[0] | h[1] << 8);
		uint32_t len = (uint32_t)(h[2] | h[3] << 8); /* with CRC */

		if (!(status & RXS_ROK) || len < ETH_HLEN + 4 ||
		    len > ETH_FRAME_MAX + 4) {
			/* a broken header: the ring is lost, start again */
			sc->nic.stats.rx_errors++;
			ring_restart(sc, dev_inl(io + R_RCR));
			return;
		}
		nic_input(&sc->nic,
			  ring_frame(sc, (sc->rx_off + 4) % RTL_RXRING,
				     len - 4), len - 4);
		sc->rx_off = ((sc->rx_off + len + 4 + 3) & ~3u) % RTL_RXRING;
		dev_outw(io + R_CAPR, (uint16_t)(sc->rx_off - 16));
		if (++done % 32 == 0)
			drv_yield();
	}
}

void
rtl_service(struct rtl *sc, uint16_t causes)
{
	if (causes & (ISR_RXOVW | ISR_FOVW))
		sc->nic.stats.rx_drops++;
	rx_process(sc);
}
