# libamoeba/portable - capabilities, ports, marshalling, error text
PORTABLE_SRCS += libamoeba/portable/des.c libamoeba/portable/one_way.c \
		 libamoeba/portable/prv.c libamoeba/portable/buffers.c \
		 libamoeba/portable/err_why.c
# Host tests of this code (tests/host/*/module.mk is not picked up by the
# top-level Makefile's */module.mk */*/module.mk pattern, so they are
# listed here).
HOST_TESTS += tests/host/cap/test_cap.c
