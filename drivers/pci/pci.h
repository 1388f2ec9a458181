/*
 * pci.h - the PCI bus: enumeration, configuration space, BARs, drivers.
 *
 * pci_init() walks every bus reachable from bus 0 (behind PCI-PCI
 * bridges too) with configuration mechanism 1, sizes every BAR and logs
 * one line per function.  Drivers register a vendor:device table with
 * pci_register_driver(); pci_bind() then calls each driver's probe for
 * each matching function that has no driver yet.  pci_list() gives the
 * device table to the sys server and to tests.
 *
 * PCI interrupt lines may be shared by several functions, so drivers
 * attach their handlers with pci_irq_attach(), which chains them on the
 * line; every handler must check its own device and return quietly if
 * it did not interrupt.
 *
 * Concurrency: enumeration and binding run once at boot in one thread;
 * afterwards the device table is read-only.  Configuration-space access
 * disables interrupts around the address/data port pair.
 */
#ifndef DRIVERS_PCI_PCI_H
#define DRIVERS_PCI_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/arch.h"

#define PCI_MAX_DEVS 64
#define PCI_NBAR 6

/* Configuration-space registers used outside pci.c. */
#define PCI_COMMAND 0x04
#define PCI_CMD_IO 0x0001       /* I/O space decoding */
#define PCI_CMD_MEM 0x0002      /* memory space decoding */
#define PCI_CMD_MASTER 0x0004   /* bus master (DMA) */
#define PCI_CMD_INTX_OFF 0x0400 /* INTx disable */

enum pci_bar_type { PCI_BAR_NONE = 0, PCI_BAR_IO, PCI_BAR_MEM };

struct pci_bar {
	uint32_t base;          /* bus address (== CPU address here) */
	uint32_t size;          /* decoded size in bytes, 0 if absent */
	uint8_t type;           /* enum pci_bar_type */
	bool prefetch;          /* prefetchable memory */
	bool is64;              /* 64-bit memory BAR (uses the next slot) */
};

struct pci_driver;

struct pci_dev {
	uint8_t bus, slot, func;        /* geographical address */
	char name[8];                   /* "bb:ss.f" for log lines */
	uint16_t vendor, device;        /* identity */
	uint8_t class, subclass, progif, rev;
	uint8_t hdr;                    /* header type without the MF bit */
	uint8_t irq_line;               /* firmware's routing, 0xFF = none */
	uint8_t irq_pin;                /* 1..4 = INTA..INTD, 0 = none */
	uint8_t secondary;              /* bridges: bus behind it */
	struct pci_bar bar[PCI_NBAR];   /* decoded BARs */
	const struct pci_driver *driver; /* bound driver or NULL */
	void *drvdata;                  /* the driver's per-device state */
};

struct pci_id {
	uint16_t vendor, device;        /* {0, 0} ends a table */
};

struct pci_driver {
	const char *name;               /* for the boot log */
	const struct pci_id *ids;       /* devices it handles */
	/* probe: take the device (STD_OK), or decline with an error. */
	errstat (*probe)(struct pci_dev *dev);
};

/* pci_init: enumerate all buses; safe to call more than once. */
void pci_init(void);
/* pci_register_driver: add a driver for the next pci_bind(); STD_OK or
 * STD_NOSPACE. */
errstat pci_register_driver(const struct pci_driver *drv);
/* pci_bind: offer each unbound device to the registered drivers. */
void pci_bind(void);
/* pci_list: up to max device pointers into devs; returns the count. */
int pci_list(const struct pci_dev **devs, int max);
/* pci_find: the n-th (0-based) function with this id, or NULL. */
struct pci_dev *pci_find(uint16_t vendor, uint16_t device, int n);

uint32_t pci_cfg_read32(const struct pci_dev *d, uint8_t off);
uint16_t pci_cfg_read16(const struct pci_dev *d, uint8_t off);
uint8_t pci_cfg_read8(const struct pci_dev *d, uint8_t off);
void pci_cfg_write32(const struct pci_dev *d, uint8_t off, uint32_t v);
void pci_cfg_write16(const struct pci_dev *d, uint8_t off, uint16_t v);
void pci_cfg_write8(const struct pci_dev *d, uint8_t off, uint8_t v);

/* pci_enable: turn on decoding of the BARs and, if master, bus mastering. */
void pci_enable(struct pci_dev *d, bool master);
/*
 * pci_irq_attach: chain fn on the device's interrupt line and unmask it.
 * STD_NOTFOUND: no usable line; STD_NOSPACE: chain full; STD_NOTNOW: the
 * line is taken by an ISA driver.
 */
errstat pci_irq_attach(struct pci_dev *d, irq_handler_t fn, void *arg);
#endif /* DRIVERS_PCI_PCI_H */
