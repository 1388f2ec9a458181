# drivers/: device drivers built into the kernel.
KERNEL_SRCS += drivers/char/uart.c drivers/char/vga.c
ifeq ($(wildcard drivers/rtc/module.mk),)
KERNEL_SRCS += drivers/rtc/rtc.c
endif
KERNEL_SRCS += drivers/drivers.c drivers/pci/pci.c
KERNEL_SRCS += drivers/net/nic.c drivers/net/e1000.c \
	drivers/net/rtl8139.c drivers/net/ne2k.c
KERNEL_SRCS += drivers/disk/blkdev.c drivers/disk/ide.c
