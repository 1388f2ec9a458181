# tests/host/kernel - host tests of portable kernel code (the command line).
HOST_TESTS += tests/host/kernel/test_cmdline.c
