# userland/drivers - user-space device drivers over device grants and the
# driver library (module/driver.h): edu, QEMU's teaching PCI device.
USER_PROGS += userland/drivers/edu
# userland/drivers/rtl8139 - the RTL8139 NIC as a user process
# (usernic=rtl8139), frames to and from the kernel's proxy network
# (kernel/svr/unicsvr.c, server/unic/unic.h); its chip logic is the
# kernel driver's own source, built in here.
USER_PROGS += userland/drivers/rtl8139
rtl8139_LINK := drivers/net/rtl8139_core.c
rtl8139_CFLAGS := -I$(CURDIR)
