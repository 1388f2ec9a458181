# VX - top-level Makefile.
#
# One non-recursive Makefile.  Each directory has a small module.mk that
# only lists its sources in these variables:
#
#   KERNEL_SRCS    built into the kernel only (.c and .S)
#   KTEST_SRCS     in-kernel tests and benchmarks: linked only into the
#                  test kernel build/vx-test.elf, never into build/vx.elf
#   PORTABLE_SRCS  built into the kernel, into the host library used by
#                  host tests and fuzzers, and into libamoeba for user programs
#   HOST_PORT_SRCS host-only implementation of the portable code's port layer
#   HOST_TESTS     host unit-test programs (one .c each, with main())
#   FUZZ_TARGETS   fuzz targets (one .c each, defining LLVMFuzzerTestOneInput)
#   LIBAM_SRCS     user-only libamoeba sources (crt0, system-call stubs, glue)
#   HOST_TOOLS     host programs used by the build (one .c each)
#   USER_PROGS     native VX programs put into the boot image (dir per program)
#   USER_TESTS     test programs (one .c each): only in the test image
#   USER_BENCH     benchmark programs (one .c each): only in the test image
#   BENCH_PROGS    benchmark programs (dir per program): only in the test image
#   AMUNIX_*       the Linux side (host/module.mk): libamunix, commands
#
# Main targets: all (default), run, test, bench, iso, cf-image, netboot,
# powercut, cluster, debug, image, testkernel, testimg, host, fuzz, clean.
# See README.md.

BUILD    ?= build
Q        ?= @
PYTHON   ?= python3

# ---- toolchain --------------------------------------------------------------
CC       := gcc
GCCINC   := $(shell $(CC) -m32 -print-file-name=include)
LIBGCC32 := $(shell $(CC) -m32 -print-libgcc-file-name)
WARN     := -Wall -Wextra -Werror
KCFLAGS  := -std=c11 -m32 -march=i686 -ffreestanding -fno-pie -fno-pic \
	    -fno-stack-protector -fno-asynchronous-unwind-tables \
	    -fno-omit-frame-pointer -fno-builtin -O2 -g $(WARN) \
	    -nostdinc -isystem $(GCCINC) \
	    -Ikernel/libc -Ilibamoeba/include -I. -MMD -MP
KASFLAGS := -m32 -march=i686 -fno-pie -g \
	    -Ilibamoeba/include -I. -MMD -MP
HOSTCFLAGS := -std=c11 -O1 -g $(WARN) -fsanitize=address,undefined \
	    -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	    -D_DEFAULT_SOURCE -Ilibamoeba/include -I. -MMD -MP

# Fuzz targets: clang's libFuzzer when clang is installed, else gcc and
# our driver.  FUZZ_CC, FUZZ_FLAGS, FUZZ_DRIVER (a source to link in) and
# FUZZ_LIB (the portable library of the same build) serve every folder's
# fuzz rules.
CLANG    := $(shell command -v clang 2>/dev/null)
comma    := ,
FUZZCFLAGS := $(patsubst -fsanitize=%,-fsanitize=fuzzer-no-link$(comma)%,$(HOSTCFLAGS))
ifneq ($(CLANG),)
FUZZ_CC     := $(CLANG)
FUZZ_FLAGS  := $(FUZZCFLAGS) -fsanitize=fuzzer
FUZZ_DRIVER :=
FUZZ_LIB    := $(BUILD)/fz/libvxport.a
else
FUZZ_CC     := $(CC)
FUZZ_FLAGS  := $(HOSTCFLAGS)
FUZZ_DRIVER := tests/fuzz/driver.c
FUZZ_LIB    := $(BUILD)/host/libvxport.a
endif

# ---- source lists -----------------------------------------------------------
KERNEL_SRCS    :=
KTEST_SRCS     :=
PORTABLE_SRCS  :=
HOST_PORT_SRCS :=
HOST_TESTS     :=
FUZZ_TARGETS   :=
LIBAM_SRCS     :=
HOST_TOOLS     :=
USER_PROGS     :=
AMUNIX_SRCS    :=
AMUNIX_CMDS    :=
AMUNIX_TESTS   :=
AMUNIX_TOOLS   :=
USER_TESTS     :=
USER_BENCH     :=
BENCH_PROGS    :=
include $(sort $(wildcard */module.mk */*/module.mk */*/*/module.mk))

.PHONY: all kernel testkernel bootimg run test bench iso cf-image netboot \
	powercut cluster debug image clean deps host-tests newlib host fuzz \
	bench-linux
all: kernel bootimg

deps:
	$(Q)scripts/deps.sh

# ---- kernel -----------------------------------------------------------------
KOBJS := $(patsubst %,$(BUILD)/k/%.o,$(KERNEL_SRCS) $(PORTABLE_SRCS))
KTOBJS := $(patsubst %,$(BUILD)/k/%.o,$(KTEST_SRCS))
KLDS  := kernel/arch/i386/kernel.ld

$(BUILD)/k/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@
$(BUILD)/k/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

# The kernel is linked twice: the first link gives the addresses, from which
# scripts/ksyms.sh writes the symbol table used by panic backtraces; the
# table lives after .bss, so adding it moves nothing else.
KLDFLAGS := -m32 -nostdlib -no-pie -static -Wl,--build-id=none \
	    -Wl,-z,noexecstack -Wl,-z,norelro -T $(KLDS)
# klink(output, objects)
define klink
	$(Q)echo "  LD      $(1)"
	$(Q)printf '\t.section .ksyms,"a"\n\t.globl ksyms_table\nksyms_table:\n\t.long 0\n' > $(1).ksyms0.S
	$(Q)$(CC) $(KASFLAGS) -c $(1).ksyms0.S -o $(1).ksyms0.o
	$(Q)$(CC) $(KLDFLAGS) -o $(1).pass1 $(2) $(1).ksyms0.o $(LIBGCC32)
	$(Q)scripts/ksyms.sh $(1).pass1 > $(1).ksyms.S
	$(Q)$(CC) $(KASFLAGS) -c $(1).ksyms.S -o $(1).ksyms.o
	$(Q)$(CC) $(KLDFLAGS) -o $(1) $(2) $(1).ksyms.o $(LIBGCC32)
	$(Q)rm -f $(1).pass1 $(1).ksyms0.* $(1).ksyms.*
endef
$(BUILD)/vx.elf: $(KOBJS) $(KLDS) scripts/ksyms.sh
	$(call klink,$@,$(KOBJS))
# The test kernel: the same objects plus the in-kernel tests and benchmarks.
$(BUILD)/vx-test.elf: $(KOBJS) $(KTOBJS) $(KLDS) scripts/ksyms.sh
	$(call klink,$@,$(KOBJS) $(KTOBJS))
kernel: $(BUILD)/vx.elf
testkernel: $(BUILD)/vx-test.elf

# ---- host side: portable library, unit tests, fuzzers, tools ---------------
HOBJS := $(patsubst %,$(BUILD)/h/%.o,$(PORTABLE_SRCS) $(HOST_PORT_SRCS))
$(BUILD)/h/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTCFLAGS) -c $< -o $@
$(BUILD)/host/libvxport.a: $(HOBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

HOST_TEST_BINS := $(patsubst %.c,$(BUILD)/host/%,$(notdir $(HOST_TESTS)))
define host_test_rule
$(BUILD)/host/$(basename $(notdir $(1))): $(1) $(BUILD)/host/libvxport.a tests/host/check.h
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(HOSTCFLAGS) -Itests/host -o $$@ $(1) $(BUILD)/host/libvxport.a
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))

# Fuzz targets: with clang's libFuzzer when present (the library built
# again by clang with coverage instrumentation), else with our own
# bounded random driver (tests/fuzz/driver.c) under gcc's sanitizers.
FUZZ_BINS := $(patsubst %.c,$(BUILD)/fuzz/%,$(notdir $(FUZZ_TARGETS)))
ifneq ($(CLANG),)
$(BUILD)/fz/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZCFLAGS) -c $< -o $@
$(BUILD)/fz/libvxport.a: $(patsubst %,$(BUILD)/fz/%.o,$(PORTABLE_SRCS) $(HOST_PORT_SRCS))
	$(Q)rm -f $@ && ar rcs $@ $^
endif
define fuzz_rule
$(BUILD)/fuzz/$(basename $(notdir $(1))): $(1) $(FUZZ_LIB) $(FUZZ_DRIVER)
	@mkdir -p $$(dir $$@)
	$$(Q)$$(FUZZ_CC) $$(FUZZ_FLAGS) -Itests/host -o $$@ $(1) $(FUZZ_DRIVER) $(FUZZ_LIB)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

HOST_TOOL_BINS := $(patsubst %.c,$(BUILD)/tools/%,$(notdir $(HOST_TOOLS)))
define host_tool_rule
$(BUILD)/tools/$(basename $(notdir $(1))): $(1) $(BUILD)/host/libvxport.a
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(HOSTCFLAGS) -o $$@ $(1) $(BUILD)/host/libvxport.a
endef
$(foreach t,$(HOST_TOOLS),$(eval $(call host_tool_rule,$(t))))

host-tests: $(HOST_TEST_BINS) $(FUZZ_BINS) host

# ---- Linux side: libamunix and the commands (host/module.mk) ---------------
# Two builds of the same sources: build/amunix (-O2: build/host/bin, make
# bench, scripts/amunix-cc) and build/amunix-san (sanitizers: the tests).
AMUNIX_OPT := -std=c11 -O2 -g $(WARN) -pthread -D_DEFAULT_SOURCE \
	    -Ilibamoeba/include -Ihost/include -I. -MMD -MP
AMUNIX_SAN := $(HOSTCFLAGS) -pthread -Ihost/include
AMUNIX_LIBS := -lvdeplug -ldl -pthread
AMUNIX_LIBSRCS := $(PORTABLE_SRCS) $(AMUNIX_SRCS)
$(BUILD)/amunix/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(AMUNIX_OPT) -c $< -o $@
$(BUILD)/amunix-san/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(AMUNIX_SAN) -c $< -o $@
$(BUILD)/amunix/libamunix.a: $(patsubst %,$(BUILD)/amunix/%.o,$(AMUNIX_LIBSRCS))
	$(Q)rm -f $@ && ar rcs $@ $^
$(BUILD)/amunix-san/libamunix.a: $(patsubst %,$(BUILD)/amunix-san/%.o,$(AMUNIX_LIBSRCS))
	$(Q)rm -f $@ && ar rcs $@ $^
# amunix_rule(output, source, flavour, flags, extra sources)
# (one compiler run for several sources keeps only the last one's
# dependency file, so the commands' own headers are listed here)
define amunix_rule
$(1): $(2) $(AMUNIX_CMDLIB) $(5) $(BUILD)/$(3)/libamunix.a \
		$(wildcard userland/cmd/*.h)
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $(4) -Itests/host -MF $(BUILD)/$(3)/$$(notdir $$@).d \
		-o $$@ $(2) $(AMUNIX_CMDLIB) $(5) \
		$(BUILD)/$(3)/libamunix.a $$(AMUNIX_LIBS)
endef
name = $(basename $(notdir $(1)))
AMUNIX_BINS := $(foreach c,$(AMUNIX_CMDS) $(AMUNIX_TOOLS),$(BUILD)/host/bin/$(call name,$(c))) \
	$(foreach c,$(AMUNIX_CMDS) $(AMUNIX_TOOLS),$(BUILD)/host/san/bin/$(call name,$(c))) \
	$(foreach c,$(AMUNIX_TESTS),$(BUILD)/host/$(call name,$(c)))
$(foreach c,$(AMUNIX_CMDS) $(AMUNIX_TOOLS),$(eval $(call amunix_rule,$(BUILD)/host/bin/$(call name,$(c)),$(c),amunix,$(AMUNIX_OPT))))
$(foreach c,$(AMUNIX_CMDS) $(AMUNIX_TOOLS),$(eval $(call amunix_rule,$(BUILD)/host/san/bin/$(call name,$(c)),$(c),amunix-san,$(AMUNIX_SAN),$(AMUNIX_SANEXTRA))))
$(foreach c,$(AMUNIX_TESTS),$(eval $(call amunix_rule,$(BUILD)/host/$(call name,$(c)),$(c),amunix-san,$(AMUNIX_SAN),$(AMUNIX_SANEXTRA))))
# The unit tests once more under ThreadSanitizer (one compiler run each).
define amunix_tsan_rule
$(BUILD)/host/$(call name,$(1))_tsan: $(1) $(AMUNIX_LIBSRCS)
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) -std=c11 -O1 -g $$(WARN) -fsanitize=thread -pthread \
		-D_DEFAULT_SOURCE -Ilibamoeba/include -Ihost/include -I. \
		-Itests/host -o $$@ $(1) $$(AMUNIX_LIBSRCS) $$(AMUNIX_LIBS)
endef
$(foreach c,$(AMUNIX_TESTS),$(eval $(call amunix_tsan_rule,$(c))))
AMUNIX_BINS += $(foreach c,$(AMUNIX_TESTS),$(BUILD)/host/$(call name,$(c))_tsan)
host: deps $(AMUNIX_BINS)

# ---- user side: newlib, libamoeba, programs, boot image ---------------------
include scripts/user.mk

# ---- boot paths and running -------------------------------------------------
include boot/boot.mk

# make run: one node on the persistent disk build/vx-run.img (made from
# make fs-image on first use, kept; new programs go into its /bin by
# boot/rundisk.sh's install step), landing in the shell on the console.
RUNDISK := $(BUILD)/vx-run.img
run: deps all fs-image
	$(Q)inst=$$(boot/rundisk.sh $(RUNDISK) $(BUILD)/vx-fs.img \
		$(BUILD)/tools/mkfs_bullet $(FS_PROGS)) && \
		DISK=$(RUNDISK) scripts/qemu.sh $$inst $(RUNARGS)

debug: deps all
	$(Q)scripts/debug.sh $(RUNARGS)

test: deps
	$(Q)$(MAKE) --no-print-directory all host-tests iso cf-image netboot \
		testkernel testimg
	$(Q)$(PYTHON) tests/run.py all

# make fuzz: every fuzz target for FUZZ_TIME seconds (default 300) each,
# from a random seed (libFuzzer builds).
fuzz: deps
	$(Q)$(MAKE) --no-print-directory $(FUZZ_BINS)
	$(Q)FUZZ_SEED=$(or $(FUZZ_SEED),0) FUZZ_RUNS=$(or $(FUZZ_RUNS),0) \
		$(PYTHON) tests/run.py --fuzz-time $(or $(FUZZ_TIME),300) fuzz

bench: deps
	$(Q)$(MAKE) --no-print-directory all testkernel testimg fs-image host
	$(Q)$(PYTHON) tests/bench.py

# VX beside two Debian Linux guests in one run (tests/bench_linux.py).
bench-linux: deps
	$(Q)$(MAKE) --no-print-directory all testkernel testimg fs-image host
	$(Q)$(PYTHON) tests/bench_linux.py

# 100 power cuts of a node writing files (tests/servers/t_powercut.py);
# prints the count of cuts, files checked and files lost.
powercut: deps
	$(Q)$(MAKE) --no-print-directory all testkernel testimg fs-image
	$(Q)$(PYTHON) tests/servers/t_powercut.py --cuts $(or $(CUTS),100)

cluster: deps all fs-image
	$(Q)PCAP=$(PCAP) scripts/cluster.sh $(or $(N),3)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
