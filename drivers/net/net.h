/*
 * net.h - private to drivers/net: the PCI drivers and their common
 * attach step.
 */
#ifndef DRIVERS_NET_NET_H
#define DRIVERS_NET_NET_H

#include "kernel/arch/arch.h"
#include "drivers/net/nic.h"
#include "drivers/pci/pci.h"

extern const struct pci_driver e1000_pci_driver;
extern const struct pci_driver rtl8139_pci_driver;
extern const struct pci_driver ne2k_pci_driver;

/*
 * net_attach: start the driver's interrupt thread fn(arg), chain intr on
 * the device's interrupt line and register the NIC.  The driver enables
 * the chip's interrupt mask afterwards.  STD_OK, or STD_NOMEM (no
 * thread), STD_NOTFOUND (no interrupt line), STD_NOSPACE (NIC table full).
 */
errstat net_attach(struct nic *nic, struct pci_dev *pci, irq_handler_t intr,
	       void (*fn)(void *), void *arg);

#endif /* DRIVERS_NET_NET_H */
