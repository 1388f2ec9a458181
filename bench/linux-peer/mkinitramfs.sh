#!/usr/bin/env bash
# Build build/initramfs.cpio (uncompressed newc) for the linux-peer guests:
# busybox-static, the static benchmark programs from src/, the NIC modules of
# the Debian kernel, and init.sh as /init.  Also builds the host helper
# build/bootwatch.  Usage: ./mkinitramfs.sh [KERNEL_VERSION]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
KVER=${1:-${KVER:-$(ls /boot/vmlinuz-* 2>/dev/null | sed 's|.*/vmlinuz-||' | sort -V | tail -1)}}
[ -n "$KVER" ] || { echo "no kernel in /boot (apt-get install linux-image-amd64)" >&2; exit 1; }
BUSYBOX=${BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || { echo "need busybox-static ($BUSYBOX)" >&2; exit 1; }
if command -v musl-gcc >/dev/null; then GCC=(musl-gcc -static); else GCC=(gcc -static); fi
CFLAGS=(-O2 -Wall -Wextra)
B="$HERE/build"
mkdir -p "$B"

gcc "${CFLAGS[@]}" -o "$B/bootwatch" "$HERE/src/bootwatch.c"

ROOT=$(mktemp -d /tmp/lpb-initramfs.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT"/{bin,bench,dev,proc,sys,tmp,lib/modules}
for p in udp_pingpong tcp_bulk ipc_pingpong nfs_read spawn hello; do
    "${GCC[@]}" "${CFLAGS[@]}" -o "$ROOT/bench/$p" "$HERE/src/$p.c"
done
cp "$BUSYBOX" "$ROOT/bin/busybox"
for app in $("$BUSYBOX" --list); do
    [ "$app" = busybox ] || ln -sf busybox "$ROOT/bin/$app"
done
for m in e1000 virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net; do
    f=$(modinfo -k "$KVER" -F filename "$m")
    case "$f" in
        *.ko) cp "$f" "$ROOT/lib/modules/$m.ko" ;;
        *.ko.xz) xz -dc "$f" >"$ROOT/lib/modules/$m.ko" ;;
        *.ko.zst) zstd -dcq "$f" >"$ROOT/lib/modules/$m.ko" ;;
        *) echo "module $m not found for $KVER" >&2; exit 1 ;;
    esac
done
# The NFS server and client (roles nfsserver, nfsclient), when Debian's
# nfs-kernel-server is installed: the kernel modules in load order
# (lib/modules/nfs/order), rpc.nfsd, rpc.mountd and exportfs with the
# shared libraries they use, and the few files in /etc they read.
if [ -x /usr/sbin/rpc.mountd ]; then
    mkdir -p "$ROOT/lib/modules/nfs" "$ROOT/sbin" "$ROOT/etc" "$ROOT/var/lib/nfs" \
        "$ROOT/run" "$ROOT/export" "$ROOT/mnt"
    for m in nfsd nfsv4; do modprobe -S "$KVER" --show-depends "$m"; done |
        awk '$1 == "insmod" { print $2 }' |
        awk '!seen[$0]++' | while read -r f; do
            b=$(basename "$f"); b=${b%.xz}; b=${b%.zst}
            case "$f" in
                *.xz) xz -dc "$f" >"$ROOT/lib/modules/nfs/$b" ;;
                *.zst) zstd -dcq "$f" >"$ROOT/lib/modules/nfs/$b" ;;
                *) cp "$f" "$ROOT/lib/modules/nfs/$b" ;;
            esac
            echo "$b" >>"$ROOT/lib/modules/nfs/order"
        done
    for b in rpc.nfsd rpc.mountd exportfs; do
        cp /usr/sbin/$b "$ROOT/sbin/"
        ldd /usr/sbin/$b | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'
    done | sort -u | while read -r lib; do
        [ -f "$lib" ] || continue
        mkdir -p "$ROOT$(dirname "$lib")"
        cp -L "$lib" "$ROOT$lib"
    done
    [ -e "$ROOT/lib64" ] || ln -s lib "$ROOT/lib64" 2>/dev/null || true
    mkdir -p "$ROOT/lib64"
    cp -L /lib64/ld-linux-x86-64.so.2 "$ROOT/lib64/" 2>/dev/null || true
    cp /etc/netconfig "$ROOT/etc/"
    printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$ROOT/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOT/etc/group"
    printf 'hosts: files\npasswd: files\ngroup: files\n' >"$ROOT/etc/nsswitch.conf"
    printf '127.0.0.1 localhost\n10.99.0.1 srv\n10.99.0.2 cli\n' >"$ROOT/etc/hosts"
fi
install -m 0755 "$HERE/init.sh" "$ROOT/init"
# /dev/console is needed before init runs; mknod needs root, else init falls
# back to the devtmpfs it mounts (the kernel then warns about the console).
mknod -m 600 "$ROOT/dev/console" c 5 1 2>/dev/null || true
if command -v cpio >/dev/null; then CPIO=(cpio -o -H newc -R 0:0 --quiet); else CPIO=("$BUSYBOX" cpio -o -H newc -R 0:0); fi
( cd "$ROOT" && find . | LC_ALL=C sort | "${CPIO[@]}" ) >"$B/initramfs.cpio.tmp"
mv "$B/initramfs.cpio.tmp" "$B/initramfs.cpio"
echo "$KVER" >"$B/kernel-version"
echo "built $B/initramfs.cpio ($(du -k "$B/initramfs.cpio" | cut -f1) KiB) for kernel $KVER"
