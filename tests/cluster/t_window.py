#!/usr/bin/env python3
# vx-timeout: 1200
"""t_window.py - windowed transfers between nodes over a slow link
(issue 14, item 4; seed 002, Tables 5.1 and 5.3: the copy program with
n transport ships, a windowed file transfer).

Two switches joined by vde2's wirefilter: n0 (A) on the first, with a
file-system disk (the default Bullet and SOAP servers; /home/src 1 MiB
of random bytes), n1 (B) on the second, with a disk of its own (its
Bullet server, directory server `n1`, entered as /n1 by `mkd -s`).  The
copies run on B (`cp -w N -b B's Bullet`): the reads cross the link, N
requests outstanding (a thread and a transaction each), the writes stay
on B.

1. 10 ms delay each way: `cp -w 1` and `cp -w 2` of 1 MiB both give the
   source's content (sum: CRC-32 from the host); their times are bench
   rows (the issue aims at window 2 at least 1.35 times faster: a speed,
   measured, not asserted);
2. 10 ms delay and 5 % loss each way: `cp -w 2` still gives the right
   content.
"""
import os
import random
import re
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vxqemu import (Tap, VdeSwitch, WireFilter, boot_monitor,  # noqa: E402
                    make_fs_disk, monitor_case, monitor_run as run,
                    run_cluster)

MIB = 1 << 20
BSVR = "/n1/profile/cap/bulletsvr/default"
tap = Tap(tail=40)
DATA = random.Random(145).randbytes(MIB)
CRC = "%08x %d" % (zlib.crc32(DATA), MIB)


def fill_a(fsdir):
    with open(os.path.join(fsdir, "src"), "wb") as f:
        f.write(DATA)


def bench(name, value, unit):
    print("bench: %s %g %s" % (name, value, unit))


def copy(b, window, dst, timeout=300):
    """cp -w window of /home/src to /n1/home/dst on b: (ok, seconds);
    ok when it exited 0 and sum gives the source's CRC-32 and size."""
    t0 = time.monotonic()
    status, out = run(b, "cp -w %d -b %s /home/src /n1/home/%s"
                      % (window, BSVR, dst), timeout)
    secs = time.monotonic() - t0
    s2, out2 = run(b, "sum /n1/home/%s" % dst, 120)
    m = re.search(r"^([0-9a-f]{8} \d+) ", out2, re.M)
    ok = status == 0 and s2 == 0 and m is not None and m.group(1) == CRC
    return ok, secs, "exit %s %s\n%s\n%s" % (status, s2, out, out2)


def delayed(b):
    ok1, t1, d1 = copy(b, 1, "w1")
    ok2, t2, d2 = copy(b, 2, "w2")
    tap.report("10 ms each way: cp -w 1 (%.2f s) and cp -w 2 (%.2f s) "
               "copy 1 MiB A -> B, content as on the host" % (t1, t2),
               ok1 and ok2, d1 + "\n" + d2)
    bench("window1_s", round(t1, 3), "s")
    bench("window2_s", round(t2, 3), "s")
    bench("window2_speedup", round(t1 / t2, 2), "x")


def lossy(b):
    ok, t, d = copy(b, 2, "wl", 900)
    tap.report("10 ms each way and 5 %% loss: cp -w 2 copies 1 MiB A -> B "
               "(%.1f s), content as on the host" % t, ok, d)
    bench("window2_loss5_s", round(t, 3), "s")


def main():
    with tempfile.TemporaryDirectory(prefix="vx-window-") as tmp:
        img_a = make_fs_disk(tmp, tap, (), fill_a, 12)
        img_b = make_fs_disk(tmp, tap, (), None, 12, "fs2", "n1")
        if not img_a or not img_b:
            return tap.done()
        with VdeSwitch() as swa, VdeSwitch() as swb:
            link = [WireFilter(swa, swb, delay_ms=10)]

            def relink(**how):
                link[0].stop()
                link[0] = WireFilter(swa, swb, **how)

            def session(nodes):
                a, b = nodes
                monitor_case(tap, b, "mkd -s n1 /n1", 0, [])
                delayed(b)
                relink(delay_ms=10, loss=5)
                lossy(b)
            try:
                run_cluster(tap, [
                    lambda: boot_monitor("n0", swa, img_a),
                    lambda: boot_monitor("n1", swb, img_b, None, "soap=n1")],
                    session)
            finally:
                link[0].stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
