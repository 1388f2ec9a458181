# userland/drivers - user-space device drivers over device grants and the
# driver library (module/driver.h): edu, QEMU's teaching PCI device.
USER_PROGS += userland/drivers/edu
# userland/drivers/rtl8139 - the RTL8139 NIC as a user process
# (usernic=rtl8139), frames to and from the kernel's proxy network
# (kernel/svr/unicsvr.c, server/unic/unic.h).
USER_PROGS += userland/drivers/rtl8139
