#!/bin/sh
# mkboot.sh - build the VX boot media (called by boot/boot.mk).
#
#   boot/mkboot.sh iso     OUT.iso  KERNEL [BOOTIMG]   GRUB El Torito ISO
#   boot/mkboot.sh cf      OUT.img  KERNEL [BOOTIMG]   CompactFlash/IDE disk
#                  (with $FSIMG, a make fs-image disk: its two partitions,
#                  the Bullet file system and the SOAP super file, become
#                  partitions 2 and 3 of the CompactFlash image)
#   boot/mkboot.sh netboot OUTDIR   KERNEL [BOOTIMG]   iPXE TFTP folder
#
# The kernel command line is $CMDLINE.  BOOTIMG (the multiboot module with
# the programs) is optional: it is put in only when the file exists.
# Nothing here needs root or loop devices (see shared/reference/toolchain.md
# sections 2-4).
set -eu

GRUBLIB=${GRUBLIB:-/usr/lib/grub/i386-pc}
CF_MB=${CF_MB:-64}          # whole CompactFlash image, MiB
CF_BOOT_MB=${CF_BOOT_MB:-32} # partition 1 (FAT16, GRUB + kernel), MiB
CF_LABEL=VXBOOT
HERE=$(dirname "$0")

die() { echo "mkboot: $*" >&2; exit 1; }

[ $# -ge 3 ] || die "usage: $0 iso|cf|netboot OUT KERNEL [BOOTIMG]"
what=$1 out=$2 kernel=$3 bootimg=${4:-}
[ -f "$kernel" ] || die "no kernel $kernel"
if [ -n "$bootimg" ] && [ ! -f "$bootimg" ]; then
	bootimg=
fi
cmdline=${CMDLINE:-}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vx-mkboot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# fill TEMPLATE OUT MODULE-LINE: substitute @CMDLINE@ and @MODULE@.
fill() {
	CMDLINE_SUB=$cmdline MODULE_SUB=$3 awk '
		{ gsub(/@CMDLINE@/, ENVIRON["CMDLINE_SUB"]);
		  gsub(/@MODULE@/, ENVIRON["MODULE_SUB"]); print }' "$1" |
	    sed 's/[ \t]*$//' | grep -v '^$' > "$2"
}

grub_cfg() {
	mod=
	[ -n "$bootimg" ] && mod="module /boot/vx-boot.img vx-boot.img"
	fill "$HERE/grub.cfg.in" "$1" "$mod"
}

# A bootable ISO made by grub-mkrescue (BIOS only).
mk_iso() {
	mkdir -p "$tmp/iso/boot/grub"
	cp "$kernel" "$tmp/iso/boot/vx.elf"
	[ -n "$bootimg" ] && cp "$bootimg" "$tmp/iso/boot/vx-boot.img"
	grub_cfg "$tmp/iso/boot/grub/grub.cfg"
	if ! grub-mkrescue -o "$out.tmp" "$tmp/iso" > "$tmp/log" 2>&1; then
		cat "$tmp/log" >&2
		die "grub-mkrescue failed"
	fi
	mv "$out.tmp" "$out"
}

# fs_parts FSIMG: "START1 SIZE1 START2 SIZE2" of a make fs-image disk.
fs_parts() {
	sfdisk -d "$1" 2>/dev/null | sed -n 's/.*start= *\([0-9]*\), size= *\([0-9]*\).*/\1 \2/p' |
	    tr '\n' ' '
}

# An MBR disk: GRUB boot.img in the MBR, core.img in the gap before
# partition 1, partition 1 FAT16 (kernel, boot image, grub.cfg), partition
# 2 type 0xda kept raw for the file server.  An existing image of the
# same size is updated in place, so partition 2's data survives a rebuild.
# With $FSIMG, partitions 2 and 3 are the file system of that image
# (Bullet, then SOAP), copied in on every build.
mk_cf() {
	p1=2048
	p1n=$((CF_BOOT_MB * 2048))
	p2=$((p1 + p1n))
	fsparts=
	if [ -n "${FSIMG:-}" ]; then
		fsparts=$(fs_parts "$FSIMG")
		set -- $fsparts
		[ $# -eq 4 ] || die "$FSIMG: not a make fs-image disk"
		fs1=$1 fs1n=$2 fs2=$3 fs2n=$4
		p3=$((p2 + fs1n))
		sectors=$((p3 + fs2n))
	else
		sectors=$((CF_MB * 2048))
	fi
	[ $p2 -lt $sectors ] || die "CF_MB must be larger than CF_BOOT_MB + 1"
	if [ ! -f "$out" ] || [ "$(stat -c %s "$out")" -ne $((sectors * 512)) ]; then
		rm -f "$out"
		truncate -s $((sectors * 512)) "$out"
	fi
	if [ -n "$fsparts" ]; then
		parts="start=$p2, size=$fs1n, type=da
start=$p3, size=$fs2n, type=da"
	else
		parts="start=$p2, type=da"
	fi
	printf 'label: dos\nlabel-id: 0x56584346\nunit: sectors\n%s\n%s\n' \
	    "start=$p1, size=$p1n, type=6, bootable" "$parts" |
	    sfdisk -q --no-reread --no-tell-kernel "$out" > "$tmp/log" 2>&1 ||
	    { cat "$tmp/log" >&2; die "sfdisk failed"; }
	if [ -n "$fsparts" ]; then
		dd if="$FSIMG" of="$out" bs=512 skip=$fs1 seek=$p2 \
		    count=$((fs1n + fs2n)) conv=notrunc status=none ||
		    die "cannot copy the file system"
	fi
	img="$out@@$((p1 * 512))"
	export MTOOLS_SKIP_CHECK=1
	mformat -i "$img" -T $p1n -h 16 -s 63 -H $p1 -v $CF_LABEL :: ||
	    die "mformat failed"
	mmd -i "$img" ::/boot ::/boot/grub
	mcopy -i "$img" "$kernel" ::/boot/vx.elf
	[ -n "$bootimg" ] && mcopy -i "$img" "$bootimg" ::/boot/vx-boot.img
	grub_cfg "$tmp/grub.cfg"
	mcopy -i "$img" "$tmp/grub.cfg" ::/boot/grub/grub.cfg
	grub-mkimage -O i386-pc -o "$tmp/core.img" -c "$HERE/early.cfg" \
	    -p '(hd0,msdos1)/boot/grub' biosdisk part_msdos fat search \
	    search_label multiboot normal configfile serial terminal echo test
	core=$(stat -c %s "$tmp/core.img")
	[ "$core" -le $(((p1 - 1) * 512)) ] || die "core.img too big ($core)"
	# 440 bytes: boot code only, keeping disk id and partition table.
	dd if="$GRUBLIB/boot.img" of="$out" bs=440 count=1 conv=notrunc \
	    status=none
	dd if="$tmp/core.img" of="$out" bs=512 seek=1 conv=notrunc status=none
}

# The TFTP folder for QEMU user networking: boot.ipxe plus the files.
mk_netboot() {
	mkdir -p "$out"
	cp "$kernel" "$out/vx.elf"
	mod=
	if [ -n "$bootimg" ]; then
		cp "$bootimg" "$out/vx-boot.img"
		mod="module vx-boot.img vx-boot.img"
	else
		rm -f "$out/vx-boot.img"
	fi
	fill "$HERE/boot.ipxe.in" "$out/boot.ipxe" "$mod"
}

case $what in
iso) mk_iso ;;
cf) mk_cf ;;
netboot) mk_netboot ;;
*) die "unknown medium '$what'" ;;
esac
