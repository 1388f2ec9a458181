#!/usr/bin/env bash
# nfs.sh - the Linux figure for VX's file-read benchmark (tests/servers/
# bench_fs.py): two Debian guests (this folder's initramfs, Debian's
# kernel) on a private VDE switch with e1000 NICs, the link VX clusters
# use.  The server guest exports a 1 MiB file from tmpfs over NFSv4
# (Debian's nfs-kernel-server: rpc.nfsd, rpc.mountd, exportfs, no
# rpcbind); the client guest mounts it and reads it whole COUNT times
# with O_DIRECT (every read crosses the link; the server has the file in
# memory, as Bullet has its cached file).  Prints
#     bench: linux_nfs_read_1m MB/s
# or, when no NFS server could be built or mounted, the 1 MiB TCP message
# rate between the same two guests (src/tcp_bulk.c):
#     bench: linux_tcp_1m MB/s
# Exit status 0 when one of them was measured.  Knobs: COUNT=20 TO=240.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
COUNT=${COUNT:-20}
TO=${TO:-240}
QEMU=${QEMU:-qemu-system-x86_64}
say() { echo "# linux-peer: $*" >&2; }

KVER=$(ls /boot/vmlinuz-* 2>/dev/null | sed 's|.*/vmlinuz-||' | sort -V | tail -1)
[ -n "$KVER" ] || { say "no Debian kernel (apt-get install linux-image-amd64)"; exit 1; }
if [ ! -f build/initramfs.cpio ] || [ mkinitramfs.sh -nt build/initramfs.cpio ] ||
   [ init.sh -nt build/initramfs.cpio ] || [ src/nfs_read.c -nt build/initramfs.cpio ]; then
    ./mkinitramfs.sh >&2 || { say "mkinitramfs.sh failed"; exit 1; }
fi
command -v vde_switch >/dev/null || { say "needs vde2"; exit 1; }
OUT=$(mktemp -d /tmp/lpb-nfs.XXXXXX)
W=()
cleanup() {
    for p in "${W[@]}"; do kill -0 "$p" 2>/dev/null && kill -TERM "$p"; done
    for p in "${W[@]}"; do wait "$p" 2>/dev/null; done
    [ -f "$OUT/vde.pid" ] && kill "$(cat "$OUT/vde.pid")" 2>/dev/null
    rm -rf "$OUT"
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap "cp $OUT/*.log $KEEP/ 2>/dev/null; cleanup" EXIT
vde_switch -sock "$OUT/sw" -daemon -pidfile "$OUT/vde.pid" >/dev/null 2>&1 ||
    { say "vde_switch did not start"; exit 1; }

# guest NAME SIDE APPEND... : start one guest under bootwatch, in the background
guest() {
    local name=$1 side=$2; shift 2
    build/bootwatch -t "$TO" -l "$OUT/$name.log" -p "$OUT/$name.pid" \
        -m LPB-DONE -- "$QEMU" -m 256 -nographic -no-reboot \
        -kernel "/boot/vmlinuz-$KVER" -initrd build/initramfs.cpio \
        -append "console=ttyS0 quiet panic=-1 ipv6.disable=1 lpb.nic=e1000 $*" \
        -netdev "vde,id=n0,sock=$OUT/sw" \
        -device "e1000,netdev=n0,mac=52:54:00:99:00:0$((side + 1))" \
        >"$OUT/$name.watch" 2>&1 &
    W+=($!)
}

# pair SRVROLE CLIROLE EXTRA : run a server and a client guest to the end
pair() {
    W=()
    guest srv 0 lpb.role=$1 lpb.ip=10.99.0.1 lpb.peer=10.99.0.2 $3
    guest cli 1 lpb.role=$2 lpb.ip=10.99.0.2 lpb.peer=10.99.0.1 $3
    wait "${W[1]}"
    for _ in $(seq 1 40); do kill -0 "${W[0]}" 2>/dev/null || break; sleep 0.5; done
    kill -0 "${W[0]}" 2>/dev/null && kill -TERM "${W[0]}"
    wait "${W[0]}"
}

field() { tr -d '\r' <"$1" | grep -a "^RESULT $2 " | head -1 | grep -o "$3=[0-9.]*" | cut -d= -f2; }

pair nfsserver nfsclient "lpb.count=$COUNT"
v=$(field "$OUT/cli.log" nfs_read_1048576B MBps)
if [ -n "$v" ]; then
    echo "bench: linux_nfs_read_1m $v MB/s"
    exit 0
fi
say "no NFS figure; client said: $(tr -d '\r' <"$OUT/cli.log" | grep -a -E 'ERROR|nfs' | head -3 | tr '\n' ' ')"
say "server said: $(tr -d '\r' <"$OUT/srv.log" | grep -a -E 'ERROR|LPB-NFS' | head -8 | tr '\n' ' ')"
pair server client "lpb.count=32 lpb.n=100 lpb.warm=10"
v=$(field "$OUT/cli.log" tcp_bulk_msg_1048576B MBps)
[ -n "$v" ] || { say "no TCP figure either"; exit 1; }
echo "bench: linux_tcp_1m $v MB/s"
