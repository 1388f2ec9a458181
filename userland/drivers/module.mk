# userland/drivers - user-space device drivers over device grants and the
# driver library (module/driver.h): edu, QEMU's teaching PCI device.
USER_PROGS += userland/drivers/edu
