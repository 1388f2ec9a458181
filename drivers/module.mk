# drivers/ - the one entry point that starts every built-in driver.
KERNEL_SRCS += drivers/drivers.c
