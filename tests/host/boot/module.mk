# tests/host/boot - host tests of the boot tools (boot/tools/)
HOST_TESTS += tests/host/boot/test_mkpd.c tests/host/boot/test_mkbootimg.c \
	      tests/host/boot/test_bootconf.c
