#!/bin/sh
# fsdir.sh - the directory part of a VX file-system image, run by
# boot/mkfsimg.sh as  fsdir.sh OUT.img OUT.caps P2_START P2_SECTORS:
# build/tools/mksoapfs writes the SOAP super file into partition 2 and
# the directories (/, /bin, /home, /hosts, /tmp, /profile/cap/bulletsvr/default)
# as Bullet files into partition 1 (through mkfs_bullet -k).
# MKSOAPFS and MKFS_BULLET override the tools' paths; SOAP=NAME makes the
# directories of directory server NAME (a second disk node, soap=NAME).
set -eu
HERE=$(dirname "$0")
BUILD=${BUILD:-$HERE/../build}
"${MKSOAPFS:-$BUILD/tools/mksoapfs}" "$1" "$2" \
    "${MKFS_BULLET:-$BUILD/tools/mkfs_bullet}"
