/*
 * pci.c - PCI enumeration with configuration mechanism 1, BAR sizing,
 * driver binding and shared interrupt lines (see pci.h).
 *
 * Entry points: pci_init, pci_register_driver, pci_bind, pci_list,
 * pci_find, pci_cfg_*, pci_enable, pci_irq_attach.
 *
 * Concurrency: pci_init and pci_bind run in the boot thread before any
 * driver thread exists; the tables are read-only afterwards.  The shared
 * IRQ chains are written with interrupts disabled and walked from
 * interrupt context.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/arch/i386/x86.h"
#include "drivers/pci/pci.h"
#include <stderr.h>

#define CFG_ADDR 0xCF8
#define CFG_DATA 0xCFC
#define ELCR_PORT 0x4D0         /* edge/level control of the 8259 pair */
#define PCI_MAX_DRIVERS 16
#define PCI_IRQ_CHAIN 4         /* handlers sharing one line */

static struct pci_dev devs[PCI_MAX_DEVS];   /* boot thread, then read-only */
static int ndevs;
static const struct pci_driver *drivers[PCI_MAX_DRIVERS];
static int ndrivers;
static uint8_t next_bus;                    /* for bridges firmware skipped */

static struct irq_chain {
	int n;                                  /* handlers on this line */
	irq_handler_t fn[PCI_IRQ_CHAIN];
	void *arg[PCI_IRQ_CHAIN];
} chains[16];                               /* irq-off */

/* ---- configuration space ------------------------------------------------ */

static uint32_t
cfg_addr(uint8_t bus, uint8_t slot, uint8_t func, uint8_t off)
{
	return 0x80000000u | ((uint32_t)bus << 16) | ((uint32_t)slot << 11) |
	       ((uint32_t)func << 8) | (off & 0xFC);
}

static uint32_t
raw_read32(uint8_t bus, uint8_t slot, uint8_t func, uint8_t off)
{
	uint32_t f = arch_irq_save();
	uint32_t v;

	outl(CFG_ADDR, cfg_addr(bus, slot, func, off));
	v = inl(CFG_DATA);
	arch_irq_restore(f);
	return v;
}

static void
raw_write32(uint8_t bus, uint8_t slot, uint8_t func, uint8_t off, uint32_t v)
{
	uint32_t f = arch_irq_save();

	outl(CFG_ADDR, cfg_addr(bus, slot, func, off));
	outl(CFG_DATA, v);
	arch_irq_restore(f);
}

uint32_t
pci_cfg_read32(const struct pci_dev *d, uint8_t off)
{
	return raw_read32(d->bus, d->slot, d->func, off);
}

uint16_t
pci_cfg_read16(const struct pci_dev *d, uint8_t off)
{
	return (uint16_t)(pci_cfg_read32(d, off) >> ((off & 2) * 8));
}

uint8_t
pci_cfg_read8(const struct pci_dev *d, uint8_t off)
{
	return (uint8_t)(pci_cfg_read32(d, off) >> ((off & 3) * 8));
}

void
pci_cfg_write32(const struct pci_dev *d, uint8_t off, uint32_t v)
{
	raw_write32(d->bus, d->slot, d->func, off, v);
}

/* Sub-word writes are read-modify-write of the dword (mechanism 1). */
void
pci_cfg_write16(const struct pci_dev *d, uint8_t off, uint16_t v)
{
	uint32_t shift = (off & 2) * 8;
	uint32_t w = pci_cfg_read32(d, off);

	w = (w & ~(0xFFFFu << shift)) | ((uint32_t)v << shift);
	pci_cfg_write32(d, off, w);
}

void
pci_cfg_write8(const struct pci_dev *d, uint8_t off, uint8_t v)
{
	uint32_t shift = (off & 3) * 8;
	uint32_t w = pci_cfg_read32(d, off);

	w = (w & ~(0xFFu << shift)) | ((uint32_t)v << shift);
	pci_cfg_write32(d, off, w);
}

/* ---- BARs --------------------------------------------------------------- */

/*
 * Size BAR i by writing all ones and reading back the mask, with decoding
 * off meanwhile so that the probe value is never decoded on the bus.
 * Returns the number of slots used (2 for a 64-bit memory BAR).
 */
static int
bar_decode(struct pci_dev *d, int i)
{
	uint8_t off = (uint8_t)(0x10 + 4 * i);
	uint32_t orig = pci_cfg_read32(d, off), mask;
	uint16_t cmd = pci_cfg_read16(d, PCI_COMMAND);
	struct pci_bar *b = &d->bar[i];

	pci_cfg_write16(d, PCI_COMMAND, cmd & ~(PCI_CMD_IO | PCI_CMD_MEM));
	pci_cfg_write32(d, off, 0xFFFFFFFFu);
	mask = pci_cfg_read32(d, off);
	pci_cfg_write32(d, off, orig);
	pci_cfg_write16(d, PCI_COMMAND, cmd);
	if (mask == 0 || mask == 0xFFFFFFFFu)
		return 1;
	if (orig & 1) {
		b->type = PCI_BAR_IO;
		b->base = orig & ~3u;
		b->size = (~(mask & 0xFFFCu) + 1) & 0xFFFFu;
		return 1;
	}
	b->type = PCI_BAR_MEM;
	b->base = orig & ~0xFu;
	b->size = ~(mask & ~0xFu) + 1;
	b->prefetch = (orig & 8) != 0;
	b->is64 = ((orig >> 1) & 3) == 2;
	if (b->is64 && i + 1 < PCI_NBAR && pci_cfg_read32(d, off + 4) != 0)
		b->type = PCI_BAR_NONE; /* above 4 GiB: unusable on i386 */
	return b->is64 ? 2 : 1;
}

static void
bars_decode(struct pci_dev *d)
{
	int nbar = d->hdr == 0 ? 6 : d->hdr == 1 ? 2 : 0;

	for (int i = 0; i < nbar;)
		i += bar_decode(d, i);
}

/* ---- enumeration -------------------------------------------------------- */

static void scan_bus(uint8_t bus);

static void
log_dev(const struct pci_dev *d)
{
	kprintf("pci: %s %04x:%04x class %02x.%02x.%02x", d->name, d->vendor,
		d->device, d->class, d->subclass, d->progif);
	if (d->irq_pin && d->irq_line < 16)
		kprintf(" irq %u", d->irq_line);
	for (int i = 0; i < PCI_NBAR; i++) {
		const struct pci_bar *b = &d->bar[i];

		if (b->type != PCI_BAR_NONE)
			kprintf(" bar%d %s 0x%x/0x%x", i,
				b->type == PCI_BAR_IO ? "io" : "mem", b->base,
				b->size);
	}
	if (d->hdr == 1)
		kprintf(" bridge to bus %u", d->secondary);
	kprintf("\n");
}

/*
 * A PCI-PCI bridge: use the bus numbers firmware gave it, or give it the
 * next free one (forwarding everything above it until the buses behind
 * it are counted); true if we numbered it.
 */
static bool
bridge_setup(struct pci_dev *d)
{
	uint32_t buses = pci_cfg_read32(d, 0x18);
	uint8_t sec = (uint8_t)(buses >> 8), sub = (uint8_t)(buses >> 16);

	if (sec > d->bus && sub >= sec) {
		d->secondary = sec;
		next_bus = MAX(next_bus, sub);
		return false;
	}
	d->secondary = ++next_bus;
	buses &= 0xFF000000u;           /* keep the secondary latency timer */
	buses |= 0xFF0000u | ((uint32_t)d->secondary << 8) | d->bus;
	pci_cfg_write32(d, 0x18, buses);
	return true;
}

/* After the scan behind a bridge we numbered: close its bus range. */
static void
bridge_finish(struct pci_dev *d)
{
	uint32_t buses = pci_cfg_read32(d, 0x18) & ~0xFF0000u;

	pci_cfg_write32(d, 0x18, buses | (uint32_t)next_bus << 16);
}

static void
add_function(uint8_t bus, uint8_t slot, uint8_t func, uint32_t id)
{
	struct pci_dev *d;
	uint32_t cls, intr;
	bool numbered;

	if (ndevs == PCI_MAX_DEVS) {
		kprintf("pci: too many devices, %02x:%02x.%u ignored\n", bus,
			slot, func);
		return;
	}
	d = &devs[ndevs++];
	memset(d, 0, sizeof(*d));
	d->bus = bus, d->slot = slot, d->func = func;
	ksnprintf(d->name, sizeof(d->name), "%02x:%02x.%u", bus, slot, func);
	d->vendor = id & 0xFFFF, d->device = id >> 16;
	cls = pci_cfg_read32(d, 0x08);
	d->rev = cls & 0xFF, d->progif = (cls >> 8) & 0xFF;
	d->subclass = (cls >> 16) & 0xFF, d->class = cls >> 24;
	d->hdr = pci_cfg_read8(d, 0x0E) & 0x7F;
	intr = pci_cfg_read32(d, 0x3C);
	d->irq_line = intr & 0xFF, d->irq_pin = (intr >> 8) & 0xFF;
	bars_decode(d);
	numbered = d->hdr == 1 && bridge_setup(d);
	log_dev(d);
	if (d->hdr != 1)
		return;
	scan_bus(d->secondary);
	if (numbered)
		bridge_finish(d);
}

static void
scan_slot(uint8_t bus, uint8_t slot)
{
	uint32_t id = raw_read32(bus, slot, 0, 0);
	int nfunc;

	if ((id & 0xFFFF) == 0xFFFF)
		return;
	nfunc = (raw_read32(bus, slot, 0, 0x0C) >> 16) & 0x80 ? 8 : 1;
	for (uint8_t f = 0; f < nfunc; f++) {
		id = raw_read32(bus, slot, f, 0);
		if ((id & 0xFFFF) != 0xFFFF)
			add_function(bus, slot, f, id);
	}
}

static void
scan_bus(uint8_t bus)
{
	for (uint8_t slot = 0; slot < 32; slot++)
		scan_slot(bus, slot);
}

void
pci_init(void)
{
	if (ndevs)
		return;
	outl(CFG_ADDR, 0x80000000u);
	if (inl(CFG_ADDR) != 0x80000000u) {
		kprintf("pci: no configuration mechanism 1\n");
		return;
	}
	next_bus = 0;
	scan_bus(0);
	kprintf("pci: %d function(s)\n", ndevs);
}

/* ---- drivers ------------------------------------------------------------ */

errstat
pci_register_driver(const struct pci_driver *drv)
{
	for (int i = 0; i < ndrivers; i++)
		if (drivers[i] == drv)
			return STD_OK;
	if (ndrivers == PCI_MAX_DRIVERS)
		return STD_NOSPACE;
	drivers[ndrivers++] = drv;
	return STD_OK;
}

static bool
id_match(const struct pci_driver *drv, const struct pci_dev *d)
{
	for (const struct pci_id *id = drv->ids; id->vendor; id++)
		if (id->vendor == d->vendor && id->device == d->device)
			return true;
	return false;
}

void
pci_bind(void)
{
	for (int i = 0; i < ndevs; i++) {
		struct pci_dev *d = &devs[i];

		for (int k = 0; k < ndrivers && d->driver == NULL; k++) {
			if (!id_match(drivers[k], d))
				continue;
			if (drivers[k]->probe(d) == STD_OK) {
				d->driver = drivers[k];
				kprintf("pci: %s bound to %s\n", d->name,
					drivers[k]->name);
			} else {
				kprintf("pci: %s: %s declined\n", d->name,
					drivers[k]->name);
			}
		}
	}
}

int
pci_list(const struct pci_dev **out, int max)
{
	int n = MIN(max, ndevs);

	for (int i = 0; i < n; i++)
		out[i] = &devs[i];
	return ndevs;
}

struct pci_dev *
pci_find(uint16_t vendor, uint16_t device, int n)
{
	for (int i = 0; i < ndevs; i++)
		if (devs[i].vendor == vendor && devs[i].device == device &&
		    n-- == 0)
			return &devs[i];
	return NULL;
}

void
pci_enable(struct pci_dev *d, bool master)
{
	uint16_t cmd = pci_cfg_read16(d, PCI_COMMAND);

	for (int i = 0; i < PCI_NBAR; i++) {
		if (d->bar[i].type == PCI_BAR_IO)
			cmd |= PCI_CMD_IO;
		else if (d->bar[i].type == PCI_BAR_MEM)
			cmd |= PCI_CMD_MEM;
	}
	if (master)
		cmd |= PCI_CMD_MASTER;
	cmd &= ~PCI_CMD_INTX_OFF;
	pci_cfg_write16(d, PCI_COMMAND, cmd);
}

/* ---- shared interrupt lines --------------------------------------------- */

static void
chain_dispatch(int irq, void *arg)
{
	struct irq_chain *c = arg;

	for (int i = 0; i < c->n; i++)
		c->fn[i](irq, c->arg[i]);
}

/* PCI INTx is level-triggered: tell the 8259 pair so (ELCR). */
static void
irq_set_level(int irq)
{
	uint16_t port = (uint16_t)(ELCR_PORT + (irq >> 3));

	outb(port, (uint8_t)(inb(port) | (1u << (irq & 7))));
}

errstat
pci_irq_attach(struct pci_dev *d, irq_handler_t fn, void *arg)
{
	int irq = d->irq_line;
	struct irq_chain *c;
	uint32_t f;

	if (d->irq_pin == 0 || irq <= 0 || irq >= 16 || irq == 2)
		return STD_NOTFOUND;
	c = &chains[irq];
	if (c->n == PCI_IRQ_CHAIN)
		return STD_NOSPACE;
	f = arch_irq_save();
	if (c->n == 0 && arch_irq_register(irq, chain_dispatch, c) != STD_OK) {
		arch_irq_restore(f);
		return STD_NOTNOW;
	}
	c->fn[c->n] = fn;
	c->arg[c->n] = arg;
	c->n++;
	irq_set_level(irq);
	arch_irq_restore(f);
	arch_irq_unmask(irq);
	return STD_OK;
}
