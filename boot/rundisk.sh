#!/bin/sh
# rundisk.sh - the persistent file-system disk of `make run`: made on
# first use from a fresh `make fs-image` disk and kept between runs, so
# files made in /home (or anywhere) survive; newly built programs reach
# its /bin through an install step instead of a new disk.
#
#   boot/rundisk.sh DISK FRESH.img MKFS_BULLET PROGRAM...
#
# DISK absent: a copy of FRESH.img (which holds every PROGRAM in /bin).
# DISK present: each PROGRAM whose contents changed since it was last
# put on DISK (sha1 sums in DISK.sums) is stored in DISK's Bullet file
# system with `MKFS_BULLET -k`, then a list of them ("NAME CAP" lines)
# too; the script prints the kernel option `install=LISTCAP`, which the
# kernel hands to the boot server (boot -i), and the boot server enters
# each program as /bin/NAME (destroying the former file) before it
# starts any service.  Nothing is printed when nothing changed.
set -eu

die() { echo "rundisk: $*" >&2; exit 1; }

[ $# -ge 3 ] || die "usage: $0 DISK FRESH.img MKFS_BULLET PROGRAM..."
disk=$1 fresh=$2 mkfs=$3
shift 3
sums=$disk.sums

sum_of() { sha1sum "$1" | cut -d' ' -f1; }

record() {
	: > "$sums.tmp"
	for prog in "$@"; do
		echo "$(basename "$prog") $(sum_of "$prog")" >> "$sums.tmp"
	done
	mv "$sums.tmp" "$sums"
}

if [ ! -f "$disk" ]; then
	[ -f "$fresh" ] || die "no $fresh (make fs-image)"
	cp "$fresh" "$disk.tmp"
	mv "$disk.tmp" "$disk"
	record "$@"
	echo "rundisk: new disk $disk (kept between runs; delete it for a" \
	    "fresh one)" >&2
	exit 0
fi

progs=$*
parts=$(sfdisk -d "$disk" 2>/dev/null |
    sed -n 's/.*start= *\([0-9]*\), size= *\([0-9]*\).*/\1 \2/p' | head -1)
[ -n "$parts" ] || die "$disk: no partition table"
p1=${parts% *} p1n=${parts#* }

list=$(mktemp "${TMPDIR:-/tmp}/vx-install.XXXXXX")
trap 'rm -f "$list"' EXIT
for prog in "$@"; do
	name=$(basename "$prog")
	new=$(sum_of "$prog")
	old=$(sed -n "s/^$name \\(.*\\)/\\1/p" "$sums" 2>/dev/null || true)
	[ "$new" = "$old" ] && continue
	line=$("$mkfs" -k -o "$p1" -n "$p1n" "$disk" "$prog" | grep '^file ') ||
	    die "cannot store $prog in $disk (full? delete it for a fresh one)"
	set -- $line
	echo "$name $2" >> "$list"
done
record $progs
[ -s "$list" ] || exit 0
line=$("$mkfs" -k -o "$p1" -n "$p1n" "$disk" "$list" | grep '^file ') ||
    die "cannot store the install list in $disk"
set -- $line
echo "rundisk: $(wc -l < "$list") new program(s) for /bin" >&2
echo "install=$2"
