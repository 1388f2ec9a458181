#!/bin/sh
# mkfsimg.sh - build the VX file-system disk image (make fs-image), with
# no root and no loop device.
#
#   boot/mkfsimg.sh OUT.img MKFS_BULLET PROGRAM...
#
# OUT.img is an MBR disk of $FS_MB MiB (default 64) with
#   partition 1 (type 0xda): a Bullet file system (spec 6.3) holding
#                            every PROGRAM and, when $FSDIR is set, every
#                            file under $FSDIR;
#   partition 2 (type 0xda, $FS_DIR_MB MiB, default 4): zeroed, reserved
#                            for the SOAP directory server's super file.
# The node serves them as vdisk:hdNp1 and vdisk:hdNp2; the Bullet server
# finds partition 1 by its magic number without configuration.
#
# OUT.caps lists what was stored, one line each:
#     supercap CAP                       the Bullet super-capability
#     file CAP SIZE NAME                 bin/PROGRAM, home/PATH-IN-FSDIR
# (CAP: 32 hex digits, the capability's 16 bytes in order.)
#
# Hook for the directory part: if boot/fsdir.sh exists it is run as
#     boot/fsdir.sh OUT.img OUT.caps P2_START_SECTOR P2_SECTORS
# after the files are in; it is meant to write the directories (/, /bin,
# /home, /tmp) from OUT.caps into partition 2 (and into Bullet files
# with `MKFS_BULLET -k -o START -n SECTORS OUT.img FILE`, which prints
# the new file's capability).
set -eu

FS_MB=${FS_MB:-64}
FS_DIR_MB=${FS_DIR_MB:-4}
HERE=$(dirname "$0")

die() { echo "mkfsimg: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: $0 OUT.img MKFS_BULLET [PROGRAM...]"
out=$1 mkfs=$2
shift 2
caps=${out%.img}.caps

sectors=$((FS_MB * 2048))
p1=2048
p2n=$((FS_DIR_MB * 2048))
p1n=$((sectors - p1 - p2n))
p2=$((p1 + p1n))
[ $p1n -gt 2048 ] || die "FS_MB too small"

rm -f "$out.tmp"
truncate -s "${FS_MB}M" "$out.tmp"
printf 'label: dos\nunit: sectors\nstart=%s, size=%s, type=da\nstart=%s, size=%s, type=da\n' \
    $p1 $p1n $p2 $p2n |
    sfdisk -q --no-reread --no-tell-kernel "$out.tmp" > /dev/null ||
    die "sfdisk failed"

"$mkfs" -o $p1 -n $p1n "$out.tmp" | grep '^supercap ' > "$caps.tmp" ||
    die "mkfs_bullet failed"

# add FILE NAME: store one file and record it under NAME.
add() {
	line=$("$mkfs" -k -o $p1 -n $p1n "$out.tmp" "$1" | grep '^file ') ||
	    die "cannot store $1"
	set -- $line "$2"
	echo "file $2 $3 $5" >> "$caps.tmp"
}

for prog in "$@"; do
	add "$prog" "bin/$(basename "$prog")"
done
if [ -n "${FSDIR:-}" ]; then
	[ -d "$FSDIR" ] || die "FSDIR=$FSDIR is not a folder"
	find "$FSDIR" -type f | sort | while read -r f; do
		add "$f" "home/${f#"$FSDIR"/}"
	done
fi

if [ -x "$HERE/fsdir.sh" ]; then
	"$HERE/fsdir.sh" "$out.tmp" "$caps.tmp" $p2 $p2n ||
	    die "fsdir.sh failed"
fi
mv "$caps.tmp" "$caps"
mv "$out.tmp" "$out"
echo "mkfsimg: $out: $(grep -c '^file ' "$caps") files; list in $caps"
