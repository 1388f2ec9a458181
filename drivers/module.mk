# drivers/ - the one entry point that starts every built-in driver, and
# the kernel's side of module/drvio.h (chip logic shared with user space).
KERNEL_SRCS += drivers/drivers.c drivers/drvio.c
