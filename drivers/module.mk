# drivers/: device drivers built into the kernel.
KERNEL_SRCS += drivers/char/uart.c drivers/char/vga.c
KERNEL_SRCS += drivers/rtc/rtc.c
