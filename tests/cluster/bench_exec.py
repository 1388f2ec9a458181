#!/usr/bin/env python3
"""bench_exec.py - start-to-exit of hello, locally and on another node
(tests/user/bench_exec.c, the way ax does it, and through ax itself).

Two nodes on a private VDE switch: n1 without a disk (its monitor), n0
with a small file-system disk (boot/mkfsimg.sh: /bin/hello, /bin/ax)
running `bench_exec -n 10 n1` as init.  Prints its `bench: NAME VALUE
UNIT` lines for tests/bench.py and exits 0 when every run worked:

    exec_local_min/median    hello on n0 itself, ms
    exec_remote_min/median   hello on n1 (its text and data read from
                             n0's file server by n1), ms
    ax_local_min/median      `ax -m n0 hello` started on n0, ms
    ax_remote_min/median     `ax -m n1 hello` started on n0, ms
    exec_remote_vs_local     the medians' ratio (aim: at most 2)
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vxqemu import BUILD, ROOT, Node, VdeSwitch, closing_line  # noqa: E402

MKFS = os.path.join(BUILD, "tools", "mkfs_bullet")
BENCH = re.compile(r"^bench: \S+ -?[0-9.]+ \S+", re.M)


def main():
    with tempfile.TemporaryDirectory(prefix="vx-bexec-") as tmp:
        img = os.path.join(tmp, "fs.img")
        mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img,
                             MKFS, os.path.join(BUILD, "user", "hello"),
                             os.path.join(BUILD, "user", "ax")],
                            capture_output=True, text=True,
                            env=dict(os.environ, FS_MB="12"))
        if mk.returncode != 0:
            sys.stderr.write(mk.stdout + mk.stderr)
            return 1
        with VdeSwitch() as sw:
            n1 = Node("n1", append="node=n1 nofs", nics=[("e1000", sw)])
            n0 = Node("n0", append="node=n0 init=bench_exec -n 10 n1",
                      nics=[("e1000", sw)],
                      drives=["file=%s,format=raw,if=ide,index=0" % img])
            try:
                n1.start()
                n1.expect(r"^n1> ", 60)
                n0.start()
                n0.wait_exit(600)
            except (TimeoutError, AssertionError) as e:
                sys.stderr.write(str(e) + "\n")
            finally:
                n0.kill()
                n1.kill()
    for line in BENCH.findall(n0.log):
        print(line)
    if closing_line(n0.log) != (len(re.findall(r"^ok \d+", n0.log, re.M)),
                                0):
        sys.stderr.write(n0.tail(40) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
