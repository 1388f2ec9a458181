/*
 * drivers.h - the one entry point the kernel calls to start the drivers.
 */
#ifndef DRIVERS_DRIVERS_H
#define DRIVERS_DRIVERS_H

/* drivers_init: probe PCI and the disks, start every driver (once). */
void drivers_init(void);

#endif /* DRIVERS_DRIVERS_H */
