#!/bin/bash
# cluster.sh - run N VX nodes on one private VDE switch (make cluster N=3).
#
#   scripts/cluster.sh [--detach | --check] N [kernel options...]
#   scripts/cluster.sh attach DIR/nK.sock    type on node K's console
#   scripts/cluster.sh stop DIR              stop a detached cluster
#
# Everything lives in a fresh temporary folder DIR: the switch (vde.ctl),
# and per node K a serial console socket nK.sock and its log nK.log.
# Node 1 is the file-system node: build/vx.elf with build/vx-boot.img and
# a copy of the make fs-image disk (DIR/fs.img; FSIMG=... names another
# disk).  Nodes 2..N are diskless: the kernel alone, no boot image; each
# finds node 1's directory server (waiting up to fswait ms), starts its
# boot server from /bin/boot there and so a shell on its console, every
# program read from node 1's file server.  Every node gets `node=nK` plus
# CMDLINE and the options given, and one e1000 NIC with MAC
# 52:54:00:56:58:0K on the switch.  Without --detach the cluster runs
# until Ctrl-C; --check waits until every node's boot server serves
# (`boot: serving as /boot/nK`, 240 s at most), then stops the cluster
# and exits 0 only if all did.  PCAP=1 (make cluster PCAP=1) writes each
# node's traffic to DIR/nK.pcap (QEMU filter-dump); read it with
# `tshark -X lua_script:host/wireshark/vx.lua -r DIR/nK.pcap`.
# N1OPTS adds kernel options for node 1 only; COM2=PATH connects node 1's
# COM2 to the UNIX socket PATH (e.g. scripts/tanksim.py's, for the
# controller node: README "The controller node").
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

fsimg=${FSIMG:-$BUILD/vx-fs.img}
[ -f "$fsimg" ] || { echo "cluster.sh: no $fsimg (make fs-image)" >&2; exit 1; }
cp "$fsimg" "$dir/fs.img"
for k in $(seq 1 "$n"); do
	mac=$(printf '52:54:00:56:58:%02x' "$k")
	mods=() disk=() extra=" fswait=120000" dump=() com2=()
	[ "${PCAP:-}" = 1 ] &&
		dump=(-object "filter-dump,id=dump,netdev=lan,file=$dir/n$k.pcap")
	if [ "$k" = 1 ]; then
		[ -f "$BUILD/vx-boot.img" ] && mods=(-initrd "$BUILD/vx-boot.img")
		disk=(-drive "file=$dir/fs.img,format=raw,if=ide,index=0")
		extra=${N1OPTS:+ $N1OPTS}
		if [ -n "${COM2:-}" ]; then
			com2=(-chardev "socket,id=com2,path=$COM2"
			      -serial chardev:com2)
		fi
	fi
	qemu-system-i386 -display none -monitor none -no-reboot -m 128 \
	    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	    -chardev "socket,id=con,path=$dir/n$k.sock,server=on,wait=off,logfile=$dir/n$k.log" \
	    -serial chardev:con "${com2[@]}" \
	    -netdev "vde,id=lan,sock=$dir/vde.ctl" \
	    -device "e1000,netdev=lan,mac=$mac,romfile=" "${dump[@]}" \
	    -kernel "$kernel" "${mods[@]}" "${disk[@]}" \
	    -append "node=n$k$extra${opts:+ $opts}" \
	    -daemonize -pidfile "$dir/n$k.pid"
done

if [ "$mode" = check ]; then
	for k in $(seq 1 "$n"); do
		want="boot: serving as /boot/n$k\b"
		for _ in $(seq 1 2400); do
			grep -qa "$want" "$dir/n$k.log" 2>/dev/null && break
			sleep 0.1
		done
		if grep -qa "$want" "$dir/n$k.log"; then
			echo "n$k: $(grep -a 'vx: ready' "$dir/n$k.log" | tr -d '\r');" \
			    "$(grep -a 'vx: boot:' "$dir/n$k.log" | head -1 | tr -d '\r')"
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
  n1 has the file system (a copy of $fsimg); n2..n$n are diskless
  and start their programs from n1's file server.  Consoles (a shell
  each once its boot server is up; Ctrl-] leaves):
$(for k in $(seq 1 "$n"); do echo "    n$k:  $0 attach $dir/n$k.sock"; done)
  console of node K:  $0 attach $dir/nK.sock
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
