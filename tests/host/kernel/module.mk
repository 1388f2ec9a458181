HOST_TESTS += tests/host/kernel/test_cmdline.c
