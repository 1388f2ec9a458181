#!/bin/sh
# qemu.sh - boot one VX node in QEMU (make run) with its serial console on
# this terminal.  Ctrl-A X quits, Ctrl-A C switches to the QEMU monitor.
#
#   scripts/qemu.sh [kernel options...] [-- extra qemu arguments...]
#
# Environment:
#   CMDLINE   more kernel options (make run CMDLINE=...; also RUNARGS)
#   NIC       a network card model: e1000, rtl8139, ... (default none)
#   NET       with NIC: "user" (QEMU user networking, the default) or the
#             vde.ctl socket of a switch (see scripts/cluster.sh)
#   DISK      a raw disk image attached as the first IDE disk (make run:
#             build/vx-run.img, see boot/rundisk.sh)
#   MEM       guest memory in MiB (default 128)
#   BUILD     build folder (default build)
#   SERIAL    where the serial console goes (default mon:stdio)
#   QEMU      the emulator (default qemu-system-i386; TCG, never KVM)
#   PRINT=1   print the command instead of running it
set -eu

BUILD=${BUILD:-build}
QEMU=${QEMU:-qemu-system-i386}
kernel=$BUILD/vx.elf
bootimg=$BUILD/vx-boot.img

opts=${CMDLINE:-}
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	opts="$opts $1"
	shift
done
[ "${1:-}" = "--" ] && shift
opts=$(printf '%s\n' "$opts" | tr -s ' ' | sed 's/^ //; s/ $//')

[ -f "$kernel" ] || { echo "qemu.sh: no $kernel (make kernel)" >&2; exit 1; }
set -- -display none -serial "${SERIAL:-mon:stdio}" -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -m "${MEM:-128}" \
    -kernel "$kernel" -append "$opts" "$@"
[ -f "$bootimg" ] && set -- -initrd "$bootimg" "$@"
[ -n "${DISK:-}" ] && set -- -drive "file=$DISK,format=raw,if=ide,index=0" "$@"
if [ -n "${NIC:-}" ]; then
	case ${NET:-user} in
	user) set -- -nic "user,model=$NIC" "$@" ;;
	*) set -- -netdev "vde,id=n0,sock=$NET" \
	    -device "$NIC,netdev=n0,romfile=" "$@" ;;
	esac
else
	set -- -nic none "$@"
fi
if [ -n "${PRINT:-}" ]; then
	line=$QEMU
	for a in "$@"; do
		case $a in
		'' | *[!A-Za-z0-9_.,:/=@%+-]*) a="'$a'" ;;
		esac
		line="$line $a"
	done
	echo "$line"
	exit 0
fi
exec "$QEMU" "$@"
