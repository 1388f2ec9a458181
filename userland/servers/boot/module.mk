# userland/servers/boot - the boot server (spec 9): /bin/boot, which the
# kernel starts as the first user process of a node with a file system
# (kernel/fsboot.c).  conf.c is portable (tests/host/boot/test_bootconf.c).
USER_PROGS += userland/servers/boot
