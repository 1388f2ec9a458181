#!/bin/sh
# debug.sh - boot VX in QEMU stopped at the first instruction, with the
# gdb stub on a TCP port, and attach gdb with the kernel's symbols
# (make debug).  The serial console goes to build/debug-serial.log
# (SERIAL=... to change; `tail -f` it in another terminal).
#
#   scripts/debug.sh [--print] [kernel options...]
#
# --print only prints the two commands (also done when stdin is not a
# terminal, so it never hangs in a script).  GDBPORT (default 1234),
# CMDLINE, MEM and BUILD as for scripts/qemu.sh.
set -eu

BUILD=${BUILD:-build}
PORT=${GDBPORT:-1234}
HERE=$(dirname "$0")
print=
if [ "${1:-}" = "--print" ]; then
	print=1
	shift
fi
[ -t 0 ] || print=1

qemu=$(SERIAL=${SERIAL:-file:$BUILD/debug-serial.log} PRINT=1 \
    "$HERE/qemu.sh" "$@" -- -monitor none -S -gdb "tcp:127.0.0.1:$PORT")
gdbcmd="gdb -q -x $HERE/vx.gdb -ex 'target remote 127.0.0.1:$PORT' $BUILD/vx.elf"

if [ -n "$print" ]; then
	echo "$qemu &"
	echo "$gdbcmd"
	exit 0
fi
eval "$qemu -daemonize -pidfile $BUILD/debug-qemu.pid"
trap 'kill "$(cat "$BUILD/debug-qemu.pid")" 2>/dev/null || true' EXIT INT TERM
echo "debug.sh: QEMU waits for gdb on port $PORT; serial in $BUILD/debug-serial.log"
eval "$gdbcmd"
