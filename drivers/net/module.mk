# drivers/net - NICs (nic.h): e1000, rtl8139, ne2k_pci.
KERNEL_SRCS += drivers/net/nic.c drivers/net/e1000.c drivers/net/rtl8139.c \
	drivers/net/ne2k.c
