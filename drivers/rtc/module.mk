KERNEL_SRCS += drivers/rtc/rtc.c
