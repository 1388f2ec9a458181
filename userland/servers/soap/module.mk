# userland/servers/soap - the SOAP directory server (spec 7): the VX
# program soap (every .c here; main.c is its VX-only part, sps_*.c the
# portable core) and, in host/, the host tool mksoapfs that writes the
# directories of make fs-image (boot/fsdir.sh).  The core's host tests
# and fuzzers are in tests/host/soap/module.mk.
USER_PROGS += userland/servers/soap

SOAP_TOOL_SRCS := userland/servers/soap/sps_dir.c \
		  userland/servers/soap/sps_super.c \
		  userland/servers/soap/sps_req.c libamoeba/stubs/sp_port.c

$(BUILD)/tools/mksoapfs: userland/servers/soap/host/mksoapfs.c \
			 $(SOAP_TOOL_SRCS) $(BUILD)/host/libvxport.a \
			 userland/servers/soap/sps.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTCFLAGS) -Iuserland/servers/soap -o $@ $< \
		$(SOAP_TOOL_SRCS) $(BUILD)/host/libvxport.a
$(BUILD)/vx-fs.img: $(BUILD)/tools/mksoapfs boot/fsdir.sh
host-tests: $(BUILD)/tools/mksoapfs
