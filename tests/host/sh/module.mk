# tests/host/sh - host test and fuzz target of the shell's portable core
# (userland/cmd/sh: parser, expansion and globbing, variables, editor).
SH_CORE := userland/cmd/sh/sh_parse.c userland/cmd/sh/sh_expand.c \
	   userland/cmd/sh/sh_vars.c userland/cmd/sh/sh_edit.c

$(BUILD)/host/test_sh: tests/host/sh/test_sh.c $(SH_CORE) \
		       userland/cmd/sh/sh.h tests/host/check.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTCFLAGS) -Iuserland/cmd/sh -Itests/host -o $@ $< $(SH_CORE)
$(BUILD)/fuzz/fuzz_sh_parse: tests/fuzz/fuzz_sh_parse.c $(SH_CORE) \
			     $(FUZZ_DRIVER) userland/cmd/sh/sh.h
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -Iuserland/cmd/sh -o $@ $< $(FUZZ_DRIVER) \
		$(SH_CORE)

host-tests: $(BUILD)/host/test_sh $(BUILD)/fuzz/fuzz_sh_parse
