# (These rules come before the top-level 'all'; keep it the default goal.)
.DEFAULT_GOAL := all
# userland/servers/bullet - the Bullet file server (build/user/bullet);
# its disk format and vdisk helpers are in libamoeba/bullet.
USER_PROGS += userland/servers/bullet

# mkfs for Bullet: the VX program (userland/mkfs) and the host tool
# build/tools/mkfs_bullet (boot/tools/mkfs_bullet.c + the format code).
USER_PROGS += userland/mkfs
$(BUILD)/tools/mkfs_bullet: boot/tools/mkfs_bullet.c \
			    libamoeba/bullet/bs_disk.c $(BUILD)/host/libvxport.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTCFLAGS) -o $@ $< libamoeba/bullet/bs_disk.c \
		$(BUILD)/host/libvxport.a
all: $(BUILD)/tools/mkfs_bullet
