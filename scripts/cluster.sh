#!/bin/bash
# cluster.sh - run N VX nodes on one private VDE switch (make cluster N=3).
#
#   scripts/cluster.sh [--detach | --check] N [kernel options...]
#   scripts/cluster.sh attach DIR/nK.sock    type on node K's console
#   scripts/cluster.sh stop DIR              stop a detached cluster
#
# Everything lives in a fresh temporary folder DIR: the switch (vde.ctl),
# and per node K a serial console socket nK.sock and its log nK.log.
# Node K boots build/vx.elf (and build/vx-boot.img if present) with
# `node=nK` plus CMDLINE and the options given, and one e1000 NIC with MAC
# 52:54:00:56:58:0K on the switch.  Without --detach the cluster runs until
# Ctrl-C; --check waits until every node prints `vx: ready nK` (60 s at
# most), then stops it and exits 0 only if all did.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(dirname "$HERE")/build}

attach() {
	exec python3 - "$1" <<'PY'
import os, socket, sys, termios, tty, select
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
print("attached to %s; Ctrl-] leaves" % sys.argv[1], flush=True)
fd = sys.stdin.fileno()
old = termios.tcgetattr(fd) if os.isatty(fd) else None
if old:
    tty.setraw(fd)
try:
    while True:
        r, _, _ = select.select([s, fd], [], [])
        if s in r:
            data = s.recv(4096)
            if not data:
                break
            os.write(1, data)
        if fd in r:
            data = os.read(fd, 1024)
            if not data or b"\x1d" in data:
                break
            s.sendall(data)
finally:
    if old:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
PY
}

stop() {
	local dir=$1 pid
	for f in "$dir"/n*.pid "$dir"/vde.pid; do
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		kill "$pid" 2>/dev/null || true
	done
	sleep 0.2
	rm -rf "$dir"
}

case ${1:-} in
attach) attach "$2"; exit ;;
stop) stop "$2"; exit ;;
esac

mode=run
case ${1:-} in
--detach) mode=detach; shift ;;
--check) mode=check; shift ;;
esac
n=${1:-3}
shift || true
if ! [[ $n =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt 99 ]; then
	echo "cluster.sh: N must be 1..99" >&2
	exit 1
fi
kernel=$BUILD/vx.elf
[ -f "$kernel" ] || { echo "cluster.sh: no $kernel (make kernel)" >&2; exit 1; }
opts="${CMDLINE:-} $*"
opts=$(printf '%s\n' "$opts" | tr -s ' ' | sed 's/^ //; s/ $//')

dir=$(mktemp -d "${TMPDIR:-/tmp}/vx-cluster.XXXXXX")
[ "$mode" = detach ] || trap 'stop "$dir"' EXIT
trap 'exit 130' INT TERM

vde_switch -sock "$dir/vde.ctl" -mgmt "$dir/vde.mgmt" -daemon \
    -pidfile "$dir/vde.pid"
for _ in $(seq 1 50); do
	[ -e "$dir/vde.ctl/ctl" ] && break
	sleep 0.05
done

mods=()
[ -f "$BUILD/vx-boot.img" ] && mods=(-initrd "$BUILD/vx-boot.img")
for k in $(seq 1 "$n"); do
	mac=$(printf '52:54:00:56:58:%02x' "$k")
	qemu-system-i386 -display none -monitor none -no-reboot -m 128 \
	    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	    -chardev "socket,id=con,path=$dir/n$k.sock,server=on,wait=off,logfile=$dir/n$k.log" \
	    -serial chardev:con \
	    -netdev "vde,id=lan,sock=$dir/vde.ctl" \
	    -device "e1000,netdev=lan,mac=$mac,romfile=" \
	    -kernel "$kernel" "${mods[@]}" -append "node=n$k${opts:+ $opts}" \
	    -daemonize -pidfile "$dir/n$k.pid"
done

if [ "$mode" = check ]; then
	for k in $(seq 1 "$n"); do
		for _ in $(seq 1 600); do
			grep -qa "vx: ready n$k\b" "$dir/n$k.log" 2>/dev/null && break
			sleep 0.1
		done
		if grep -qa "vx: ready n$k\b" "$dir/n$k.log"; then
			echo "n$k: $(grep -a 'vx: ready' "$dir/n$k.log" | tr -d '\r')"
		else
			echo "n$k: not ready; its log:"
			sed 's/^/  /' "$dir/n$k.log" 2>/dev/null || true
			exit 1
		fi
	done
	exit 0
fi

cat <<MSG
VX cluster of $n nodes in $dir (switch $dir/vde.ctl)
  console of node K:  $0 attach $dir/nK.sock   (Ctrl-] leaves)
  its log:            tail -f $dir/nK.log
  the switch:         $dir/vde.ctl  (vde_plug, wirefilter, a host endpoint)
  another node:       NIC=e1000 NET=$dir/vde.ctl scripts/qemu.sh node=n$((n + 1))
MSG
if [ "$mode" = detach ]; then
	echo "  stop:               $0 stop $dir"
	exit 0
fi
echo "Ctrl-C stops the cluster."
while :; do
	alive=0
	for k in $(seq 1 "$n"); do
		kill -0 "$(cat "$dir/n$k.pid" 2>/dev/null)" 2>/dev/null && alive=1
	done
	[ $alive = 1 ] || { echo "all nodes have stopped"; exit 0; }
	sleep 1
done
