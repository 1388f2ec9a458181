KERNEL_SRCS += drivers/char/kbd.c
