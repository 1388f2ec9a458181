# (These rules come before the top-level 'all'; keep it the default goal.)
.DEFAULT_GOAL := all
# tests/host/bullet - host test and fuzz target of the Bullet disk format
# (libamoeba/bullet/bs_disk.c).  bs_disk.c is user-side code (not
# PORTABLE_SRCS, so not in the kernel); these rules build it in directly.
BS_DISK_SRC := libamoeba/bullet/bs_disk.c
BULLET_HOST_BINS := $(BUILD)/host/test_bs_disk $(BUILD)/fuzz/fuzz_bullet_disk

$(BUILD)/host/test_bs_disk: tests/host/bullet/test_bs_disk.c $(BS_DISK_SRC) \
			    tests/host/check.h $(BUILD)/host/libvxport.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTCFLAGS) -Itests/host -o $@ $< $(BS_DISK_SRC) \
		$(BUILD)/host/libvxport.a

$(BUILD)/fuzz/fuzz_bullet_disk: tests/fuzz/fuzz_bullet_disk.c $(BS_DISK_SRC) \
				$(FUZZ_DRIVER)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_DRIVER) $(BS_DISK_SRC)

host-tests: $(BULLET_HOST_BINS)

# The server's request decoding and store on the host (memory disk).
BULLET_SVR_SRC := userland/servers/bullet/cmds.c userland/servers/bullet/store.c
$(BUILD)/fuzz/fuzz_bullet_req: tests/fuzz/fuzz_bullet_req.c $(BS_DISK_SRC) \
			       $(BULLET_SVR_SRC) userland/servers/bullet/bsvr.h \
			       $(FUZZ_DRIVER) $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_DRIVER) $(BS_DISK_SRC) \
		$(BULLET_SVR_SRC) $(FUZZ_LIB)
host-tests: $(BUILD)/fuzz/fuzz_bullet_req
