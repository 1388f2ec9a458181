# boot/boot.mk - boot media (included by the top-level Makefile).
#
#   make iso       build/vx.iso        GRUB ISO (boot with -cdrom)
#   make cf-image  build/vx-cf.img     CompactFlash/IDE disk: MBR + GRUB,
#                                      p1 FAT16 boot, p2 (0xda) raw data
#   make netboot   build/netboot/      boot.ipxe, vx.elf, vx-boot.img for
#                                      iPXE over QEMU user-net TFTP
#
# CMDLINE=... adds kernel options to every medium (and to make run).  The
# boot image build/vx-boot.img (make bootimg) goes in as a multiboot module.
# boot/mkboot.sh does the work; nothing needs root or loop devices.

CMDLINE ?=
export CMDLINE

BOOT_KERNEL := $(BUILD)/vx.elf
BOOT_IMG    := $(BUILD)/vx-boot.img
BOOT_STAMP  := $(BUILD)/boot/cmdline.txt

.PHONY: boot-cmdline

# The boot image comes from scripts/user.mk (make bootimg).
BOOT_DEPS := $(BOOT_KERNEL) $(BOOT_IMG) $(BOOT_STAMP) boot/mkboot.sh

# The command line is a file that changes only when CMDLINE does, so the
# media are rebuilt when it changes and not otherwise.
$(BOOT_STAMP): boot-cmdline
	@mkdir -p $(dir $@)
	@printf '%s\n' "$$CMDLINE" > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/vx.iso: $(BOOT_DEPS) boot/grub.cfg.in
	$(Q)echo "  ISO     $@"
	$(Q)boot/mkboot.sh iso $@ $(BOOT_KERNEL) $(BOOT_IMG)

$(BUILD)/vx-cf.img: $(BOOT_DEPS) boot/grub.cfg.in boot/early.cfg
	$(Q)echo "  CF      $@"
	$(Q)boot/mkboot.sh cf $@ $(BOOT_KERNEL) $(BOOT_IMG)

$(BUILD)/netboot/boot.ipxe: $(BOOT_DEPS) boot/boot.ipxe.in
	$(Q)echo "  NETBOOT $(dir $@)"
	$(Q)boot/mkboot.sh netboot $(dir $@) $(BOOT_KERNEL) $(BOOT_IMG)

iso: $(BUILD)/vx.iso
cf-image: $(BUILD)/vx-cf.img
netboot: $(BUILD)/netboot/boot.ipxe

# ---- the file-system disk ---------------------------------------------------
#   make fs-image  build/vx-fs.img     MBR disk: p1 Bullet file system with
#                                      every userland program (bin/NAME)
#                                      and FSDIR's files (home/...); p2
#                                      reserved for the directory server
# boot/mkfsimg.sh does the work (list of files in build/vx-fs.caps).
FSDIR ?=
FS_PROGS := $(patsubst %,$(BUILD)/user/%,$(notdir $(USER_PROGS)))
.PHONY: fs-image
$(BUILD)/vx-fs.img: $(FS_PROGS) $(BUILD)/tools/mkfs_bullet boot/mkfsimg.sh \
		    $(if $(FSDIR),$(shell find $(FSDIR) -type f))
	$(Q)echo "  FSIMG   $@"
	$(Q)FSDIR=$(FSDIR) boot/mkfsimg.sh $@ $(BUILD)/tools/mkfs_bullet \
		$(FS_PROGS)
fs-image: $(BUILD)/vx-fs.img
