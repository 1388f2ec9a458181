/*
 * rtl8139.c - the kernel's Realtek RTL8139 driver: the PCI probe, the
 * interrupt handler and thread, the nic ops table; the chip logic is
 * rtl8139_core.c, which the user-space driver (userland/drivers/rtl8139)
 * builds too.
 *
 * Entry point: rtl8139_pci_driver (probe).  With `usernic=rtl8139` the
 * probe leaves the chip to a user process (kernel/svr/unicsvr.c).
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
#include "kernel/thread.h"
#include "drivers/net/net.h"
#include "drivers/net/nic.h"
#include "drivers/net/rtl8139_core.h"
#include "drivers/pci/pci.h"

struct krtl {
	struct rtl chip;                /* must be first */
	volatile uint16_t pending;      /* ISR causes (irq-off) */
};

/* The chip's 64-bit hash filter from the joined groups. */
static void
krtl_set_filter(struct nic *nic)
{
	uint8_t mar[8] = { 0 };

	for (int i = 0; i < nic->nmcast; i++) {
		unsigned h = nic_ether_crc(nic->mcast[i], ETH_ALEN) >> 26;

		mar[h >> 3] |= (uint8_t)(1u << (h & 7));
	}
	rtl_load_filter(nic->priv, mar, nic->promisc);
}

static const struct nic_ops krtl_ops = {
	.send = rtl_send,
	.set_filter = krtl_set_filter,
	.link_up = rtl_link_up,
	.update_stats = rtl_update_stats,
};

static void
krtl_intr(int irq, void *arg)
{
	struct krtl *sc = arg;
	uint16_t causes = rtl_intr_causes(&sc->chip);

	(void)irq;
	if (causes == 0)
		return;
	sc->pending |= causes;
	thread_wakeup(sc);
}

static void
krtl_thread(void *arg)
{
	struct krtl *sc = arg;

	for (;;) {
		uint32_t f = arch_irq_save();
		uint16_t causes;

		while (sc->pending == 0)
			thread_sleep(sc, 0);
		causes = sc->pending;
		sc->pending = 0;
		arch_irq_restore(f);
		if (causes & RTL_ISR_LINK)
			kprintf("rtl8139: %s link %s\n", sc->chip.nic.name,
				rtl_link_up(&sc->chip.nic) ? "up" : "down");
		rtl_service(&sc->chip, causes);
	}
}

static errstat
krtl_probe(struct pci_dev *pci)
{
	struct krtl *sc;
	const char *model;
	uint32_t dma;

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
	dma = page_alloc(RTL_DMA / PAGE_SIZE);
	if (dma == 0)
		return STD_NOMEM;  /* boot-time only: leaks are not worth undoing */
	sc->chip.res.io = (uint16_t)pci->bar[0].base;
	sc->chip.res.dma_va = (uint8_t *)dma;  /* the kernel maps 1:1 */
	sc->chip.res.dma_pa = dma;
	sc->chip.res.dma_size = RTL_DMA;
	pci_enable(pci, true);
	if (!rtl_chip_reset(&sc->chip)) {
		kprintf("rtl8139: %s: reset timed out\n", pci->name);
		return STD_SYSERR;
	}
	rtl_chip_start(&sc->chip);
	sc->chip.nic.model = "rtl8139";
	sc->chip.nic.ops = &krtl_ops;
	sc->chip.nic.priv = &sc->chip;
	sc->chip.nic.nrx = RTL_RXRING / ETH_FRAME_MAX;
	pci->drvdata = sc;
	if (net_attach(&sc->chip.nic, pci, krtl_intr, krtl_thread, sc) !=
	    STD_OK)
		return STD_SYSERR;
	rtl_intr_enable(&sc->chip);
	return STD_OK;
}

static const struct pci_id krtl_ids[] = {
	{ 0x10EC, 0x8139 },     /* RTL8139 */
	{ 0, 0 },
};

const struct pci_driver rtl8139_pci_driver = {
	.name = "rtl8139",
	.ids = krtl_ids,
	.probe = krtl_probe,
};
