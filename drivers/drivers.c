/*
 * drivers.c - drivers_init: find the hardware and start every driver.
 *
 * Called once by kmain after the clock is running (interrupts on, threads
 * working): enumerates PCI, offers each function to the NIC and disk
 * drivers, then probes the legacy IDE channels if no PCI IDE function
 * took them (a second call does nothing).  Options: `nopci` skips PCI,
 * `ide=off` skips the disks, `ide=pio` keeps them in PIO.
 */
#include <stdbool.h>

#include "kernel/cmdline.h"
#include "kernel/klib.h"
#include "drivers/drivers.h"
#include "drivers/disk/ide.h"
#include "drivers/net/net.h"
#include "drivers/pci/pci.h"

void
drivers_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	if (cmdline_get("nopci") == NULL) {
		pci_init();
		pci_register_driver(&e1000_pci_driver);
		pci_register_driver(&rtl8139_pci_driver);
		pci_register_driver(&ne2k_pci_driver);
		pci_register_driver(&ide_pci_driver);
		pci_bind();
	}
	ide_legacy_init();
}
