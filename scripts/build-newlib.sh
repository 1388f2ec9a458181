#!/bin/sh
#
# build-newlib.sh - build newlib 3.3.0 for bare i686 (VX user programs).
#
# Usage: scripts/build-newlib.sh [BUILD-DIR]      (default: build)
#
# Follows shared/reference/toolchain.md section 5: the Debian source
# tarball is unpacked under BUILD/newlib/src, configured out of tree for
# i686-elf with wrapper scripts around the host "gcc -m32" (generated in
# BUILD/newlib/xbin, also used by scripts/amcc and scripts/user.mk), and
# installed into BUILD/newlib/install/i686-elf/{include,lib}.
#
# VX additions to the recipe: retargetable locking (libamoeba supplies the
# locks), global stdio streams and __DYNAMIC_REENT__ (one struct _reent
# per thread, found by libamoeba's __getreent).
#
# Cached: nothing is done when BUILD/newlib/install/.stamp holds the hash
# of this script.  Logs go to BUILD/newlib/*.log; only failures are shown.
set -eu

TARBALL=/usr/src/newlib/newlib-3.3.0.tar.xz
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
NL=$BUILD/newlib
PREFIX=$NL/install
XBIN=$NL/xbin
HASH=$(sha256sum "$0" | cut -d' ' -f1)
JOBS=${NEWLIB_JOBS:-2}

if [ -f "$PREFIX/.stamp" ] && [ "$(cat "$PREFIX/.stamp")" = "$HASH" ] &&
   [ -f "$PREFIX/i686-elf/lib/libc.a" ] && [ -x "$XBIN/i686-elf-gcc" ]; then
	exit 0
fi
if [ ! -f "$TARBALL" ]; then
	echo "build-newlib: $TARBALL missing (apt-get install newlib-source)" >&2
	exit 1
fi

echo "  NEWLIB  $PREFIX (about a minute)"
rm -rf "$NL"
mkdir -p "$XBIN" "$NL/src" "$NL/obj"

# ---- wrapper scripts (toolchain.md section 5) ------------------------------
GINC=$(gcc -m32 -print-file-name=include)
cat > "$XBIN/i686-elf-gcc" <<EOW
#!/bin/sh
exec gcc -m32 -march=i686 -fno-pie -no-pie -fno-stack-protector \\
  -fno-asynchronous-unwind-tables \\
  -U__linux__ -U__linux -Ulinux -U__gnu_linux__ -U__unix__ -U__unix -Uunix \\
  -Wa,--noexecstack -nostdinc -isystem $GINC "\$@"
EOW
printf '#!/bin/sh\nexec as --32 "$@"\n' > "$XBIN/i686-elf-as"
printf '#!/bin/sh\nexec ld -m elf_i386 "$@"\n' > "$XBIN/i686-elf-ld"
for t in ar ranlib nm objcopy objdump strip readelf; do
	printf '#!/bin/sh\nexec %s "$@"\n' $t > "$XBIN/i686-elf-$t"
done
chmod +x "$XBIN"/i686-elf-*

# ---- unpack, configure, build, install -------------------------------------
fail() {
	echo "build-newlib: $1 failed; last lines of $2:" >&2
	tail -n 30 "$2" >&2
	exit 1
}

tar -C "$NL/src" -xJf "$TARBALL"
cd "$NL/obj"
PATH=$XBIN:$PATH "$NL/src/newlib-salsa/configure" --target=i686-elf \
	--prefix="$PREFIX" --disable-newlib-supplied-syscalls \
	--disable-multilib --disable-nls \
	--enable-newlib-io-long-long --enable-newlib-io-c99-formats \
	--enable-newlib-retargetable-locking \
	--enable-newlib-global-stdio-streams \
	CFLAGS_FOR_TARGET="-O2 -g -ffunction-sections -fdata-sections -D__DYNAMIC_REENT__ -DGETREENT_PROVIDED" \
	> "$NL/configure.log" 2>&1 || fail configure "$NL/configure.log"
PATH=$XBIN:$PATH make -j"$JOBS" > "$NL/make.log" 2>&1 ||
	fail make "$NL/make.log"
PATH=$XBIN:$PATH make install > "$NL/install.log" 2>&1 ||
	fail "make install" "$NL/install.log"
rm -rf "$NL/src" "$NL/obj"
echo "$HASH" > "$PREFIX/.stamp"
