#!/usr/bin/env python3
"""bench_migrate.py - how long a process with 1 MiB of data takes to move
between two nodes (`migrate`, tests/user/test_migrate.c).

Three nodes on a private VDE switch: n0 with a small file-system disk (so
/hosts names every node), n1 and n2 without.  `test_migrate serve 1024`
(a 1 MiB heap, three threads) runs on n0; `migrate` on n2 moves it to n1
and back, MOVES times each way, and reports how long the process was
stopped each time ("moved ... in N ms": from PS_SETOWNER to the end of
the old copy).  Prints `bench: NAME VALUE UNIT` lines for tests/bench.py
and exits 0 when every move worked and the process still answered with
its heap intact:

    migrate_1mib_min/median/max   ms per move
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vxqemu import BUILD, ROOT, Node, VdeSwitch, monitor_run  # noqa: E402

MKFS = os.path.join(BUILD, "tools", "mkfs_bullet")
MOVED = re.compile(r"moved from (n\d) to (n\d) in (\d+) ms")
MOVES = 3


def run(node, line, timeout=120):
    """`run LINE` on node's monitor (vxqemu.monitor_run)."""
    return monitor_run(node, line, timeout)


def boot(name, sw, img=None):
    drives = ["file=%s,format=raw,if=ide,index=0" % img] if img else []
    n = Node(name, append="node=%s monitor" % name, nics=[("e1000", sw)],
             drives=drives)
    n.start()
    n.expect(r"^vx: fs: registered as /hosts/%s$" % name, 120)
    n.expect(r"^%s> " % name, 30)
    return n


def measure(a, c):
    a.send("run test_migrate serve 1024\r")
    port = a.expect(r"migtest: port ([0-9a-f]{12})", 60).group(1)
    times = []
    where = "n0"
    for _ in range(MOVES):
        for to in ("n1", "n0"):
            status, out = run(c, "migrate -m %s test_migrate %s"
                              % (where, to))
            m = MOVED.search(out)
            if status != 0 or not m:
                sys.stderr.write("migrate failed:\n%s\n" % out)
                return None
            times.append(int(m.group(3)))
            where = to
    status, out = run(c, "test_migrate ask %s" % port)
    if status != 0 or "heap ok" not in out:
        sys.stderr.write("after the moves:\n%s\n" % out)
        return None
    return times


def main():
    with tempfile.TemporaryDirectory(prefix="vx-bmig-") as tmp:
        img = os.path.join(tmp, "fs.img")
        fsdir = os.path.join(tmp, "fsdir")
        os.makedirs(fsdir)
        mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img,
                             MKFS, os.path.join(BUILD, "user", "hello")],
                            capture_output=True, text=True,
                            env=dict(os.environ, FS_MB="12", FSDIR=fsdir))
        if mk.returncode != 0:
            sys.stderr.write(mk.stdout + mk.stderr)
            return 1
        times = None
        with VdeSwitch() as sw:
            nodes = []
            try:
                nodes.append(boot("n0", sw, img))
                nodes.append(boot("n1", sw))
                nodes.append(boot("n2", sw))
                times = measure(nodes[0], nodes[2])
            except (TimeoutError, AssertionError) as e:
                sys.stderr.write(str(e) + "\n")
            finally:
                for n in nodes:
                    n.kill()
    if not times:
        return 1
    print("bench: migrate_1mib_min %d ms" % min(times))
    print("bench: migrate_1mib_median %g ms" % statistics.median(times))
    print("bench: migrate_1mib_max %d ms" % max(times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
