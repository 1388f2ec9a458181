# drivers/pci - PCI configuration, bus scan and driver binding.
KERNEL_SRCS += drivers/pci/pci.c
