#!/usr/bin/env python3
"""t_layers.py - the tree's layering rules, checked on the sources.

Arrows point down (DESIGN.md): each rule names a folder and the folders
its files may not include from.  A last check reads build/vx.elf: the
production kernel defines none of the symbols of the in-kernel tests and
benchmarks (build/k/tests/), which only the test kernel links.
"""
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vxqemu import BUILD, ROOT, Tap  # noqa: E402

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# (what, files, forbidden include prefixes)
RULES = [
    ("portable protocols reach the system only through flip_port.h",
     ["flip/*", "rpc/*", "grp/*"],
     ["kernel/", "drivers/", "host/", "tests/", "userland/"]),
    ("libamoeba uses no kernel, driver or test code",
     ["libamoeba/**/*"], ["kernel/", "drivers/", "tests/", "host/"]),
    ("kernel core calls no network glue, server or driver",
     ["kernel/*", "kernel/arch/**/*", "kernel/libc/*"],
     ["kernel/net/", "kernel/svr/", "drivers/", "tests/"]),
    ("drivers call no network glue or server",
     ["drivers/**/*"], ["kernel/net/", "kernel/svr/", "tests/"]),
    ("network glue calls no server",
     ["kernel/net/*"], ["kernel/svr/", "tests/"]),
    ("servers use no test code", ["kernel/svr/*"], ["tests/"]),
]
# The top of the kernel: the boot flow and the console monitor start
# everything, so they may include every layer.
TOP = {"kernel/main.c", "kernel/monitor.c"}


def sources(patterns):
    out = set()
    for p in patterns:
        for f in glob.glob(os.path.join(ROOT, p), recursive=True):
            if f.endswith((".c", ".h", ".S")) and os.path.isfile(f):
                out.add(os.path.relpath(f, ROOT))
    return sorted(out - TOP)


def check_rule(tap, what, patterns, forbidden):
    bad = []
    files = sources(patterns)
    for f in files:
        with open(os.path.join(ROOT, f), errors="replace") as fh:
            for inc in INCLUDE.findall(fh.read()):
                if any(inc.startswith(p) for p in forbidden):
                    bad.append("%s includes %s" % (f, inc))
    tap.report("%s (%d files)" % (what, len(files)), files and not bad,
               "\n".join(bad))


def defined_symbols(path):
    out = subprocess.run(["nm", "--defined-only", "-g", path],
                         capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


def check_no_test_code(tap):
    kernel = os.path.join(BUILD, "vx.elf")
    objs = glob.glob(os.path.join(BUILD, "k", "tests", "**", "*.o"),
                     recursive=True)
    if not os.path.exists(kernel) or not objs:
        tap.report("production kernel links no test code", False,
                   "build/vx.elf or the test objects are missing (make "
                   "kernel testkernel)")
        return
    test_syms = set()
    for o in objs:
        test_syms |= defined_symbols(o)
    leaked = sorted(test_syms & defined_symbols(kernel))
    tap.report("production kernel links none of %d test symbols"
               % len(test_syms), test_syms and not leaked,
               " ".join(leaked[:20]))


def check_empty_sets(tap):
    """The kernel's linker sets of tests and boot hooks are empty."""
    out = subprocess.run(["nm", os.path.join(BUILD, "vx.elf")],
                         capture_output=True, text=True).stdout
    addr = {line.split()[-1]: line.split()[0] for line in out.splitlines()
            if len(line.split()) == 3}
    pairs = [("ktest_start", "ktest_end"), ("boothook_start", "boothook_end")]
    bad = [a for a, b in pairs if a not in addr or addr[a] != addr.get(b)]
    tap.report("production kernel: no test cases, no boot hooks", not bad,
               "non-empty: " + " ".join(bad))


def main():
    tap = Tap()
    for what, patterns, forbidden in RULES:
        check_rule(tap, what, patterns, forbidden)
    check_no_test_code(tap)
    check_empty_sets(tap)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
