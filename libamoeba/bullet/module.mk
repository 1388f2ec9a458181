# libamoeba/bullet - the Bullet disk format (bs_disk.c, also built for
# the host by tests/host/bullet/module.mk and boot/tools/mkfs) and the
# vdisk helpers that find a node's Bullet file system (bs_find.c).
LIBAM_SRCS += libamoeba/bullet/bs_disk.c libamoeba/bullet/bs_find.c
