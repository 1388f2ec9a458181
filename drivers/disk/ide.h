/*
 * ide.h - private to drivers/: the ATA/IDE driver's entry points.
 */
#ifndef DRIVERS_DISK_IDE_H
#define DRIVERS_DISK_IDE_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci/pci.h"

/* The PIIX IDE function: legacy channels with bus-master DMA. */
extern const struct pci_driver ide_pci_driver;

/* ide_legacy_init: probe 0x1F0/0x170 in PIO if no PCI controller did. */
void ide_legacy_init(void);

/* IDENTIFY DEVICE decisions (exposed for the tests). */
bool ide_id_is_cfa(const uint16_t *id);
bool ide_id_wants_dma(const uint16_t *id, bool has_bm, bool force_pio);

#endif /* DRIVERS_DISK_IDE_H */
