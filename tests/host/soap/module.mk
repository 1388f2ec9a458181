# tests/host/soap - host tests and fuzz targets of the SOAP directory
# server's portable core (userland/servers/soap/sps_*.c, with the
# in-memory Bullet and vdisk of fake_io.h) and of the SOAP client stubs
# (libamoeba/stubs, user-only code built in here against the core).
SOAP_CORE := userland/servers/soap/sps_dir.c userland/servers/soap/sps_super.c \
	     userland/servers/soap/sps_req.c userland/servers/soap/sps_rep.c \
	     libamoeba/stubs/sp_port.c
SOAP_STUBS := libamoeba/stubs/capset.c libamoeba/stubs/soap.c \
	      libamoeba/stubs/sp_dir.c libamoeba/stubs/name.c
SOAP_HOSTFLAGS := -Iuserland/servers/soap -Ilibamoeba/stubs -Itests/host \
		  -Itests/host/soap

# soap_host_rule(output, main source, extra sources)
define soap_host_rule
$(1): $(2) $(3) $(SOAP_CORE) $(BUILD)/host/libvxport.a \
      userland/servers/soap/sps.h tests/host/soap/fake_io.h tests/host/check.h
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(HOSTCFLAGS) $$(SOAP_HOSTFLAGS) -o $$@ $(2) $(3) \
		$$(SOAP_CORE) $$(BUILD)/host/libvxport.a
endef
$(eval $(call soap_host_rule,$(BUILD)/host/test_soap,tests/host/soap/test_soap.c,))
$(eval $(call soap_host_rule,$(BUILD)/host/test_soaprep,tests/host/soap/test_soaprep.c,))
$(eval $(call soap_host_rule,$(BUILD)/host/test_sp_stubs,tests/host/soap/test_sp_stubs.c,$(SOAP_STUBS)))
# soap_fuzz_rule(output, main source): libFuzzer or the driver (Makefile)
define soap_fuzz_rule
$(1): $(2) $(SOAP_CORE) $(FUZZ_DRIVER) $(FUZZ_LIB) \
      userland/servers/soap/sps.h tests/host/soap/fake_io.h
	@mkdir -p $$(dir $$@)
	$$(Q)$$(FUZZ_CC) $$(FUZZ_FLAGS) $$(SOAP_HOSTFLAGS) -o $$@ $(2) \
		$(FUZZ_DRIVER) $$(SOAP_CORE) $(FUZZ_LIB)
endef
$(eval $(call soap_fuzz_rule,$(BUILD)/fuzz/fuzz_soap_dir,tests/fuzz/fuzz_soap_dir.c))
$(eval $(call soap_fuzz_rule,$(BUILD)/fuzz/fuzz_soap_req,tests/fuzz/fuzz_soap_req.c))
$(eval $(call soap_fuzz_rule,$(BUILD)/fuzz/fuzz_soap_rep,tests/fuzz/fuzz_soap_rep.c))

host-tests: $(BUILD)/host/test_soap $(BUILD)/host/test_sp_stubs \
	    $(BUILD)/host/test_soaprep $(BUILD)/fuzz/fuzz_soap_dir \
	    $(BUILD)/fuzz/fuzz_soap_req $(BUILD)/fuzz/fuzz_soap_rep
