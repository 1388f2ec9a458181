#!/bin/sh
# deps.sh - install the Debian packages VX needs to build, boot and test.
# Idempotent and silent when everything is there; otherwise runs
# apt-get update and installs only what is missing (as root, or via sudo).
set -eu

PACKAGES="qemu-system-x86 qemu-utils grub-pc-bin grub-common xorriso mtools
fdisk vde2 libvdeplug-dev newlib-source gcc-multilib ipxe-qemu python3 gdb clang make
tshark ocaml ocaml-source
binutils"

missing=
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo > /dev/null 2>&1; then
	sudo="sudo -n"
else
	echo "deps.sh: need root (or sudo) to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086  # word splitting of the package list is wanted
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends $missing
