# drivers/rtc - the CMOS real-time clock.
KERNEL_SRCS += drivers/rtc/rtc.c
