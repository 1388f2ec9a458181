#!/usr/bin/env python3
"""amoeba_tests.py - build Amoeba 5.3's own test programs unchanged and
run them on VX nodes.

    python3 tests/amoeba/amoeba_tests.py TREE [--no-run] [NAME ...]

TREE is a checkout of the Amoeba 5.3 tree (for example the public
repository yeonsh/Amoeba); it is read, never copied into the project,
which is why this is not part of `make test`.  Each program is a variable
of an Amake.srclist under TREE/src/test (NAME = file.c, or NAME = { files
}); it is built with scripts/amcc from those sources unchanged, with the
include folders Amoeba's build gives tests (the program's own folder and
src/test/h).  Every program that builds is then booted on a node as
`init=PROGRAM` and passes when it exits with status 0 within
RUN_TIMEOUT seconds (programs that need arguments or peers fail that way, and the table
says so).  Prints a table, then `N passed, N failed` over all programs
(a program that does not build counts as failed).
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vxqemu import BUILD, ROOT, Node  # noqa: E402

AMCC = os.path.join(ROOT, "scripts", "amcc")
MKBOOTIMG = os.path.join(BUILD, "tools", "mkbootimg")
RUN_TIMEOUT = 30      # seconds a program may run
VAR = re.compile(r"^(T_\w+)\s*=\s*(\{[^}]*\}|[^;]*);", re.M | re.S)


def programs(tree):
    """(name, folder, [sources]) for every test program of the tree."""
    out = []
    for srclist in sorted(glob.glob(os.path.join(tree, "src", "test", "**",
                                                 "Amake.srclist"),
                                    recursive=True)):
        folder = os.path.dirname(srclist)
        with open(srclist, errors="replace") as f:
            text = f.read()
        for name, value in VAR.findall(text):
            files = re.findall(r"\$PWD/([\w.]+\.c)", value)
            if files:
                out.append((name[2:].lower(), folder,
                            [os.path.join(folder, x) for x in files]))
    return out


def build(tree, prog, outdir):
    name, folder, srcs = prog
    out = os.path.join(outdir, name)
    cmd = [AMCC, "-o", out, "-I", folder,
           "-I", os.path.join(tree, "src", "test", "h")] + srcs
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if p.returncode == 0:
        return out, ""
    why = [ln for ln in p.stderr.splitlines() if "error" in ln]
    return None, (why[0] if why else p.stderr.strip()[-160:])


def run(prog_path, image):
    name = os.path.basename(prog_path)
    n = Node("am", append="init=" + name, modules=[image])
    n.start()
    try:
        code = n.wait_exit(RUN_TIMEOUT)
    except TimeoutError:
        return False, "no exit within %d s" % RUN_TIMEOUT
    return code == 0, "exit status %s" % code


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tree")
    ap.add_argument("--no-run", action="store_true")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    progs = [p for p in programs(args.tree)
             if not args.names or p[0] in args.names]
    results = []
    with tempfile.TemporaryDirectory(prefix="vx-amoeba-") as tmp:
        built = []
        for prog in progs:
            path, why = build(args.tree, prog, tmp)
            results.append([prog[0], path is not None, None, why])
            if path:
                built.append((len(results) - 1, path))
        if built and not args.no_run:
            image = os.path.join(tmp, "amoeba-tests.img")
            subprocess.run([MKBOOTIMG, "-o", image] + [p for _, p in built],
                           check=True)
            for i, path in built:
                results[i][2], results[i][3] = run(path, image)
    for name, ok_build, ok_run, why in results:
        if not ok_build:
            state = "no build"
        elif ok_run is None:
            state = "built"
        else:
            state = "passed" if ok_run else "failed"
        print("%-22s %-9s %s" % (name, state, why))
    nbuild = sum(1 for r in results if r[1])
    npass = sum(1 for r in results if r[2])
    print("# %d programs, %d build, %d pass" % (len(results), nbuild, npass))
    print("%d passed, %d failed" % (npass, len(results) - npass))
    return 0


if __name__ == "__main__":
    sys.exit(main())
