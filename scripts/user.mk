# scripts/user.mk - the user side (included by the top-level Makefile).
#
#   make newlib              build/newlib/install (scripts/build-newlib.sh)
#   build/user/libamoeba.a   LIBAM_SRCS + PORTABLE_SRCS built for VX user
#                            mode against newlib's headers
#   build/user/<name>        one VX program (Amoeba executable, via amcc)
#                            for each USER_PROGS folder and each USER_TESTS
#                            source; <name>.elf beside it for debugging
#   make bootimg             build/vx-boot.img: the USER_PROGS (what a
#                            user's node runs) plus the paths in
#                            EXTRA="p1 p2" (under their base names);
#                            `image` is an alias
#   make testimg             build/vx-test.img: the same plus the test
#                            and benchmark programs (USER_TESTS,
#                            USER_BENCH, BENCH_PROGS), booted by make
#                            test and make bench

NEWLIB_DIR   := $(BUILD)/newlib
NL_PREFIX    := $(NEWLIB_DIR)/install/i686-elf
NEWLIB_STAMP := $(NEWLIB_DIR)/install/.stamp
XCC          := $(NEWLIB_DIR)/xbin/i686-elf-gcc
UCFLAGS      := -std=gnu11 -O2 -g -ffreestanding -ffunction-sections \
		-fdata-sections -fno-omit-frame-pointer -D__VX__ \
		-D__DYNAMIC_REENT__ $(WARN) -isystem $(NL_PREFIX)/include \
		-Ilibamoeba/include -I. -MMD -MP

.PHONY: newlib bootimg image testimg user-progs

newlib: $(NEWLIB_STAMP)
$(NEWLIB_STAMP): scripts/build-newlib.sh
	$(Q)scripts/build-newlib.sh $(BUILD)
	$(Q)touch $@

# ---- libamoeba for user programs --------------------------------------------
UOBJS := $(patsubst %,$(BUILD)/u/%.o,$(LIBAM_SRCS) $(PORTABLE_SRCS))

$(BUILD)/u/%.c.o: %.c $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(XCC) $(UCFLAGS) -c $< -o $@
$(BUILD)/u/%.S.o: %.S $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(XCC) $(UCFLAGS) -c $< -o $@
$(BUILD)/user/libamoeba.a: $(UOBJS)
	@mkdir -p $(dir $@)
	$(Q)echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $(UOBJS)
$(BUILD)/user/crt0.o: libamoeba/user/crt0.S $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(XCC) $(UCFLAGS) -c $< -o $@

# ---- programs -----------------------------------------------------------------
AMCC_DEPS := $(BUILD)/user/libamoeba.a $(BUILD)/user/crt0.o \
	     $(BUILD)/tools/mkpd scripts/amcc libamoeba/user/user.ld \
	     $(wildcard libamoeba/include/*.h libamoeba/include/*/*.h)
AMCC_FLAGS := -O2 -g $(WARN)

# user_prog_rule(name, sources, extra flags); a program's module.mk may set
# NAME_CFLAGS (more compiler flags) and NAME_LINK (objects and archives
# linked in, also prerequisites), e.g. vam/module.mk for ocamlrun.
define user_prog_rule
$(BUILD)/user/$(1): $(2) $($(1)_LINK) $(AMCC_DEPS)
	@mkdir -p $$(dir $$@)
	$$(Q)echo "  AMCC    $$@"
	$$(Q)VX_BUILD=$(BUILD) scripts/amcc $(AMCC_FLAGS) $(3) $($(1)_CFLAGS) \
		-o $$@ $(2) $($(1)_LINK)
endef
$(foreach d,$(USER_PROGS) $(BENCH_PROGS),\
	$(eval $(call user_prog_rule,$(notdir $(d)),\
	$(sort $(wildcard $(d)/*.c $(d)/*.S)))))
# Test programs share the host tests' check.h.
$(foreach t,$(USER_TESTS) $(USER_BENCH),\
	$(eval $(call user_prog_rule,$(basename $(notdir $(t))),$(t),\
	-Itests/host)))

USER_BINS := $(patsubst %,$(BUILD)/user/%,$(notdir $(USER_PROGS)))
TEST_BINS := $(patsubst %,$(BUILD)/user/%,$(notdir $(BENCH_PROGS)) \
	     $(basename $(notdir $(USER_TESTS) $(USER_BENCH))))
user-progs: $(USER_BINS) $(TEST_BINS)

# ---- the boot image -----------------------------------------------------------
# EXTRA is recorded in a file that changes only when EXTRA does, so the
# image is rebuilt when the list changes.
EXTRA ?=
BOOTIMG_LIST := $(BUILD)/user/extra.list
$(BOOTIMG_LIST): user-force
	@mkdir -p $(dir $@)
	@printf '%s\n' "$(EXTRA)" > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/vx-boot.img: $(USER_BINS) $(EXTRA) $(BUILD)/tools/mkbootimg \
		      $(BOOTIMG_LIST)
	$(Q)echo "  BOOTIMG $@"
	$(Q)$(BUILD)/tools/mkbootimg -o $@ $(USER_BINS) $(EXTRA)

$(BUILD)/vx-test.img: $(USER_BINS) $(TEST_BINS) $(EXTRA) \
		      $(BUILD)/tools/mkbootimg $(BOOTIMG_LIST)
	$(Q)echo "  BOOTIMG $@"
	$(Q)$(BUILD)/tools/mkbootimg -o $@ $(USER_BINS) $(TEST_BINS) $(EXTRA)

bootimg: $(BUILD)/vx-boot.img
image: bootimg
testimg: $(BUILD)/vx-test.img

.PHONY: user-force
user-force:
