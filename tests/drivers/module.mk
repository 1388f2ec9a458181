# tests/drivers/: in-kernel driver tests (run by the t_*.py scripts here).
KERNEL_SRCS += tests/drivers/kt_nic.c tests/drivers/kt_pci.c
KERNEL_SRCS += tests/drivers/kt_ide.c
