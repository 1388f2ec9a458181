#!/bin/sh
#
# build-ocaml.sh - build OCaml's bytecode runtime (libcamlrun) for VX.
#
# Usage: scripts/build-ocaml.sh [BUILD-DIR]      (default: build)
#
# The source is Debian's ocaml-source package of the SAME version as the
# host's ocamlc (/usr/src/ocaml-source-VERSION.tar), so bytecode compiled
# on the host runs unchanged under VX's ocamlrun.  Nothing of OCaml is kept
# in the tree: the tarball is unpacked under BUILD/ocaml/src, OCaml's
# configure is not run; instead VX's hand-written vam/config/m.h and s.h
# are copied in, the generated headers and the primitive table are made
# with the same text transformations as runtime/Makefile, and each runtime
# source is compiled with newlib's i686 wrapper (scripts/build-newlib.sh).
#
# Result: BUILD/ocaml/libcamlrun.a (the runtime), BUILD/ocaml/main.o,
# BUILD/ocaml/prims.o (the table of primitives: the runtime's own plus
# vam/prims.extra, the stubs VX links in, and systhreads' primitives,
# compiled from OCaml's st_stubs.c over vam/ocamlrun/st_vx.h),
# BUILD/ocaml/include/caml (the
# headers, for VX's stubs).  scripts/ocaml.mk links build/user/ocamlrun.
#
# Cached: nothing is done when BUILD/ocaml/.stamp holds the hash of this
# script and of vam/config.  Logs go to BUILD/ocaml/build.log.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
OC=$BUILD/ocaml
XCC=$BUILD/newlib/xbin/i686-elf-gcc
NL=$BUILD/newlib/install/i686-elf
HASH=$(cat "$0" "$TOP"/vam/config/* "$TOP"/vam/include/sys/* "$TOP"/vam/prims.extra \
	"$TOP"/vam/ocamlrun/st_vx.h | sha256sum |
	cut -d' ' -f1)
JOBS=${OCAML_JOBS:-2}

if [ -f "$OC/.stamp" ] && [ "$(cat "$OC/.stamp")" = "$HASH" ] &&
   [ -f "$OC/libcamlrun.a" ] && [ -f "$OC/prims.o" ]; then
	exit 0
fi
command -v ocamlc > /dev/null 2>&1 || {
	echo "build-ocaml: ocamlc missing (apt-get install ocaml)" >&2
	exit 1
}
VERSION=$(ocamlc -version)
TARBALL=/usr/src/ocaml-source-$VERSION.tar
if [ ! -f "$TARBALL" ]; then
	echo "build-ocaml: $TARBALL missing (apt-get install ocaml-source" \
	     "of the same version as ocamlc, $VERSION)" >&2
	exit 1
fi
[ -x "$XCC" ] || {
	echo "build-ocaml: $XCC missing (make newlib first)" >&2
	exit 1
}

echo "  OCAML   $OC (runtime $VERSION, about a minute)"
rm -rf "$OC"
mkdir -p "$OC/src" "$OC/obj" "$OC/include"
LOG=$OC/build.log
: > "$LOG"
fail() {
	echo "build-ocaml: $1 failed; last lines of $LOG:" >&2
	tail -n 30 "$LOG" >&2
	exit 1
}

# ---- unpack: the Debian tarball holds the upstream tarball -----------------
tar -C "$OC/src" -xf "$TARBALL" >> "$LOG" 2>&1 || fail "unpack" 
ORIG=$(find "$OC/src" -name "ocaml_$VERSION.orig.tar.gz" | head -n 1)
[ -n "$ORIG" ] || fail "finding ocaml_$VERSION.orig.tar.gz"
tar -C "$OC/src" -xzf "$ORIG" >> "$LOG" 2>&1 || fail "unpack orig"
RT=$OC/src/ocaml-$VERSION/runtime
[ -d "$RT" ] || fail "finding runtime/"

# ---- configuration and generated files (as runtime/Makefile) ---------------
cp "$TOP/vam/config/m.h" "$TOP/vam/config/s.h" "$RT/caml/"
cd "$RT"
sh ../tools/make-version-header.sh ../VERSION > caml/version.h
tr -d '\r' < caml/instruct.h | sed -e '/\/\*/d' -e '/^#/d' \
	-e 's/enum /static char * names_of_/' -e 's/{$/[] = {/' \
	-e 's/\([[:upper:]][[:upper:]_0-9]*\)/"\1"/g' > caml/opnames.h
tr -d '\r' < caml/instruct.h |
	sed -n -e '/^  /s/ \([A-Z]\)/ \&\&lbl_\1/gp' -e '/^}/q' > caml/jumptbl.h
{
	echo '/* VX: bytecode libraries are not loaded from a directory */'
	echo '#define OCAML_STDLIB_DIR "/lib/ocaml"'
	echo '#define HOST "i686-pc-vx"'
} > build_config.h
{ sh ./gen_primitives.sh; cat "$TOP/vam/prims.extra"; } |
	LC_ALL=C sort | uniq > primitives
{
	echo '#define CAML_INTERNALS'
	echo '#include "caml/mlvalues.h"'
	echo '#include "caml/prims.h"'
	sed -e 's/.*/extern value &();/' primitives
	echo 'c_primitive caml_builtin_cprim[] = {'
	sed -e 's/.*/  &,/' primitives
	echo '  0 };'
	echo 'char * caml_names_of_builtin_cprim[] = {'
	sed -e 's/.*/  "&",/' primitives
	echo '  0 };'
} > prims.c

# ---- compile ---------------------------------------------------------------
SRCS="interp misc stacks fix_code startup_aux startup_byt freelist major_gc
minor_gc memory alloc roots_byt globroots fail_byt signals signals_byt
printexc backtrace_byt backtrace compare ints eventlog floats str array io
extern intern hash sys meta parsing gc_ctrl md5 obj lexing callback
debugger weak compact finalise custom dynlink afl unix bigarray main
memprof domain skiplist codefrag"
CFLAGS="-O2 -g -fno-strict-aliasing -fwrapv -ffunction-sections
-fdata-sections -D__VX__ -D__DYNAMIC_REENT__ -isystem $NL/include
-I$TOP/vam/include -I$TOP/libamoeba/include -I$RT -DCAMLDLLIMPORT= -DCAML_NAME_SPACE
-D_FILE_OFFSET_BITS=64"
# shellcheck disable=SC2086  # word splitting of the lists is wanted
printf '%s\n' $SRCS prims | xargs -P "$JOBS" -I{} \
	"$XCC" $CFLAGS -c "$RT/{}.c" -o "$OC/obj/{}.o" >> "$LOG" 2>&1 ||
	fail "compiling the runtime"
# systhreads (Thread, Mutex, Condition, the master lock): OCaml's
# st_stubs.c beside VX's own system layer vam/ocamlrun/st_vx.h under the
# name it includes (st_posix.h)
mkdir -p "$OC/st"
cp "$OC/src/ocaml-$VERSION/otherlibs/systhreads/st_stubs.c" "$OC/st/"
cp "$TOP/vam/ocamlrun/st_vx.h" "$OC/st/st_posix.h"
# shellcheck disable=SC2086
"$XCC" $CFLAGS -c "$OC/st/st_stubs.c" -o "$OC/obj/st_stubs.o" \
	>> "$LOG" 2>&1 || fail "compiling systhreads"
mv "$OC/obj/prims.o" "$OC/obj/main.o" "$OC/"
ar rcs "$OC/libcamlrun.a" "$OC"/obj/*.o >> "$LOG" 2>&1 || fail "ar"
mkdir -p "$OC/include/caml"
cp "$RT"/caml/*.h "$RT/caml/domain_state.tbl" "$OC/include/caml/"
cp "$RT/primitives" "$OC/primitives"
echo "$HASH" > "$OC/.stamp"
