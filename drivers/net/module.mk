# drivers/net - NICs (nic.h): e1000, rtl8139, ne2k_pci.  rtl8139_core.c is
# the RTL8139's chip logic, built into the user-space driver too
# (userland/drivers/rtl8139/module.mk).
KERNEL_SRCS += drivers/net/nic.c drivers/net/e1000.c drivers/net/rtl8139.c \
	drivers/net/rtl8139_core.c drivers/net/ne2k.c
