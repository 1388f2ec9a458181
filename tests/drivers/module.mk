# tests/drivers - in-kernel driver tests (test kernel only), run by the
# t_*.py scripts here with the devices they need.
KTEST_SRCS += tests/drivers/test_nic.c tests/drivers/test_pci.c \
	tests/drivers/test_ide.c
