# userland/servers/soap - the SOAP directory server (spec 7): the VX
# program soap (all .c here, main.c being its VX-only part) and, built
# from the portable core, its host tests and fuzzers.
USER_PROGS += userland/servers/soap

SOAP_CORE := userland/servers/soap/sps_dir.c userland/servers/soap/sps_super.c \
	     userland/servers/soap/sps_req.c libamoeba/stubs/sp_port.c
SOAP_STUBS := libamoeba/stubs/capset.c libamoeba/stubs/soap.c \
	      libamoeba/stubs/sp_dir.c libamoeba/stubs/name.c
SOAP_HOSTFLAGS := -Iuserland/servers/soap -Ilibamoeba/stubs -Itests/host \
		  -Itests/host/soap

# soap_host_rule(output, main source, extra sources)
define soap_host_rule
$(1): $(2) $(3) $(SOAP_CORE) $(BUILD)/host/libvxport.a \
      userland/servers/soap/sps.h tests/host/soap/fake_io.h
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(HOSTCFLAGS) $$(SOAP_HOSTFLAGS) -o $$@ $(2) $(3) \
		$$(SOAP_CORE) $$(BUILD)/host/libvxport.a
endef
$(eval $(call soap_host_rule,$(BUILD)/host/test_soap,tests/host/soap/test_soap.c,))
$(eval $(call soap_host_rule,$(BUILD)/host/test_sp_stubs,tests/host/soap/test_sp_stubs.c,$(SOAP_STUBS)))
$(eval $(call soap_host_rule,$(BUILD)/fuzz/fuzz_soap_dir,tests/fuzz/fuzz_soap_dir.c,tests/fuzz/driver.c))
$(eval $(call soap_host_rule,$(BUILD)/fuzz/fuzz_soap_req,tests/fuzz/fuzz_soap_req.c,tests/fuzz/driver.c))

host-tests: $(BUILD)/host/test_soap $(BUILD)/host/test_sp_stubs \
	    $(BUILD)/fuzz/fuzz_soap_dir $(BUILD)/fuzz/fuzz_soap_req

# the directory part of make fs-image (boot/fsdir.sh runs it)
$(BUILD)/tools/mksoapfs: userland/servers/soap/host/mksoapfs.c $(SOAP_CORE) \
			 $(BUILD)/host/libvxport.a userland/servers/soap/sps.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTCFLAGS) -Iuserland/servers/soap -o $@ $< \
		$(SOAP_CORE) $(BUILD)/host/libvxport.a
$(BUILD)/vx-fs.img: $(BUILD)/tools/mksoapfs boot/fsdir.sh
host-tests: $(BUILD)/tools/mksoapfs
