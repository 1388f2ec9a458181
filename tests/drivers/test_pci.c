/*
 * test_pci.c - in-kernel PCI tests (run by tests/drivers/t_nic.py).
 *
 * pci_probe checks the host bridge, the PIIX IDE function and the BARs
 * of every NIC QEMU models; `pciexpect=vvvv:dddd,...` lists functions
 * that must be present and bound to a driver, `pcibridged=vvvv:dddd` one
 * that must sit behind a PCI-PCI bridge (on a bus other than 0).  A
 * virtio-net function, if present, checks a 64-bit memory BAR.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/cmdline.h"
#include "kernel/klib.h"
#include "tests/kernel/ktest.h"
#include "drivers/pci/pci.h"

struct bar_rule {
	uint16_t vendor, device;
	int bar;
	uint8_t type;
	uint32_t size;
	bool is64;
};

static const struct bar_rule rules[] = {
	{ 0x8086, 0x100E, 0, PCI_BAR_MEM, 0x20000, false }, /* e1000 regs */
	{ 0x8086, 0x100E, 1, PCI_BAR_IO, 0x40, false },  /* e1000 I/O */
	{ 0x10EC, 0x8139, 0, PCI_BAR_IO, 0x100, false }, /* rtl8139 ports */
	{ 0x10EC, 0x8139, 1, PCI_BAR_MEM, 0x100, false }, /* rtl8139 MMIO */
	{ 0x10EC, 0x8029, 0, PCI_BAR_IO, 0x100, false }, /* ne2k_pci */
	{ 0x8086, 0x7010, 4, PCI_BAR_IO, 0x10, false },  /* PIIX3 BM */
	{ 0x1AF4, 0x1000, 4, PCI_BAR_MEM, 0x4000, true }, /* virtio, 64-bit */
};

static uint32_t
parse_hex(const char **pp)
{
	uint32_t v = 0;
	const char *p = *pp;

	for (;; p++) {
		char c = *p;

		if (c >= '0' && c <= '9')
			v = v * 16 + (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (uint32_t)(c - 'A' + 10);
		else
			break;
	}
	*pp = p;
	return v;
}

/* The first function with this id, on a bus other than 0 if bridged. */
static struct pci_dev *
find(uint16_t v, uint16_t d, bool bridged)
{
	struct pci_dev *dev;

	for (int k = 0; (dev = pci_find(v, d, k)) != NULL; k++)
		if (!bridged || dev->bus != 0)
			return dev;
	return NULL;
}

/* Each vvvv:dddd of list must be present and bound to a driver. */
static void
check_list(const char *list, bool bridged)
{
	const char *p = list;

	while (p && *p) {
		uint16_t v = (uint16_t)parse_hex(&p), d;
		struct pci_dev *dev;

		if (*p++ != ':')
			break;
		d = (uint16_t)parse_hex(&p);
		dev = find(v, d, bridged);
		if (dev == NULL)
			ktest_fail(__FILE__, __LINE__, "%04x:%04x missing%s", v,
				   d, bridged ? " behind a bridge" : "");
		else
			KT_CHECK(dev->driver != NULL);
		if (*p == ',')
			p++;
	}
}

KTEST(pci_probe)
{
	const struct pci_dev *devs[PCI_MAX_DEVS];
	int n = pci_list(devs, PCI_MAX_DEVS);
	struct pci_dev *host = pci_find(0x8086, 0x1237, 0);

	KT_ASSERT(n > 0);
	KT_ASSERT(host != NULL);
	KT_EQ(host->bus, 0);
	KT_EQ(host->slot, 0);
	KT_EQ(host->class, 0x06);
	KT_EQ(host->subclass, 0x00);
	for (unsigned r = 0; r < ARRAY_SIZE(rules); r++) {
		for (int k = 0;; k++) {
			struct pci_dev *d = pci_find(rules[r].vendor,
						     rules[r].device, k);
			const struct pci_bar *b;

			if (d == NULL)
				break;
			b = &d->bar[rules[r].bar];
			KT_EQ(b->type, rules[r].type);
			KT_EQ(b->size, rules[r].size);
			KT_EQ(b->is64, rules[r].is64);
			KT_CHECK(b->base != 0);
			KT_CHECK((b->base & (b->size - 1)) == 0);
			if (d->class == 0x02)
				KT_CHECK(d->irq_line > 0 && d->irq_line < 16);
		}
	}
	check_list(cmdline_get("pciexpect"), false);
	check_list(cmdline_get("pcibridged"), true);
}
