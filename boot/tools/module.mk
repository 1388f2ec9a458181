# boot/tools - host tools of the build: mkpd (ELF -> Amoeba executable)
# and mkbootimg (the boot image).  Their test: tests/host/boot/.
HOST_TOOLS += boot/tools/mkpd.c boot/tools/mkbootimg.c
