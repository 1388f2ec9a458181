# drivers/disk - block devices (blkdev.h) and the ATA/IDE driver.
KERNEL_SRCS += drivers/disk/blkdev.c drivers/disk/ide.c
