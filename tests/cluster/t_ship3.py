#!/usr/bin/env python3
# vx-timeout: 900
"""t_ship3.py - a copy from a file on one node to a file on another,
started from a third (issue 14, item 4; the Ship Model's copy with the
reader next to the source, seed 002 chapter 2): the file data should
cross the network once.

Three nodes on a private VDE switch, each capturing its NIC (QEMU
filter-dump): n0 (A) with a file-system disk (the default Bullet and
SOAP servers; /home/src, 1 MiB of random bytes), n1 (B) with a disk of
its own (its Bullet server and a second directory server, `soap=n1`,
the disk made with SOAP=n1),
n2 (C) without a disk, where the user types.  `mkd -s n1 /n1` on C
enters B's root in the graph, so /n1/home is a directory on B and
/n1/profile/cap/bulletsvr/default B's Bullet server (cp -b: new files
there).  The bytes on the wire are what the three nodes sent (each
frame once, by its source address) while the command ran.

1. plain: `cp -b B /home/src /n1/home/plain` on C: the data goes A -> C
   -> B, at least twice its size on the wire;
2. moved: `ax -near /home/src cp -b B /home/src /n1/home/near` on C runs
   cp on A (next to the source): the data goes A -> B once, at most 1.1
   times its size on the wire;
3. `sum` of both copies (on C) gives the source's CRC-32 (zlib's, from
   the host) and 1 MiB; the source is unchanged;
4. bad input: an unknown directory server for mkd -s, a missing source,
   a bad window.

Prints `bench: NAME VALUE UNIT` lines (make bench, row `ship3`): both
ways' times and bytes, and the thesis's times for a copy between two
machines (Table 5.1: 12.1 s stop-and-wait, 8.4 s windowed).
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
from vxqemu import (Tap, VdeSwitch, boot_monitor, make_fs_disk,  # noqa: E402
                    monitor_case, monitor_run as run, pcap_size,
                    run_cluster, sent_bytes)

MIB = 1 << 20
BSVR = "/n1/profile/cap/bulletsvr/default"
THESIS = (12.1, 8.4)    # Table 5.1, A to B: stop-and-wait, windowed copy
tap = Tap(tail=40)
DATA = random.Random(143).randbytes(MIB)


def fill(fsdir):
    with open(os.path.join(fsdir, "src"), "wb") as f:
        f.write(DATA)


def measure(nodes, node, line, timeout=300):
    """Run line on node; (status, output, seconds, bytes the nodes sent
    meanwhile)."""
    starts = [pcap_size(n) for n in nodes]
    t0 = time.monotonic()
    status, out = run(node, line, timeout)
    secs = time.monotonic() - t0
    node._pump(0.2)  # the last frames reach the captures
    wire = sum(sent_bytes(n, s)[0] for n, s in zip(nodes, starts))
    return status, out, secs, wire


def bench(name, value, unit):
    print("bench: %s %g %s" % (name, value, unit))


def session(nodes):
    a, b, c = nodes
    monitor_case(tap, c, "mkd -s n1 /n1", 0, [])
    monitor_case(tap, c, "dir /n1", 0, ["home", "profile"])
    s1, o1, t_plain, w_plain = measure(
        nodes, c, "cp -b %s /home/src /n1/home/plain" % BSVR)
    tap.report("plain cp on C: %d KiB on the wire (at least twice the "
               "1 MiB), %.2f s" % (w_plain // 1024, t_plain),
               s1 == 0 and w_plain >= 2 * MIB, "exit %s\n%s" % (s1, o1))
    s2, o2, t_near, w_near = measure(
        nodes, c, "ax -near /home/src cp -b %s /home/src /n1/home/near"
        % BSVR)
    tap.report("ax -near cp (runs on A): %d KiB on the wire (at most 1.1 "
               "times the 1 MiB), %.2f s" % (w_near // 1024, t_near),
               s2 == 0 and w_near <= 1.1 * MIB, "exit %s\n%s" % (s2, o2))
    status, out = run(c, "sum /home/src /n1/home/plain /n1/home/near", 120)
    want = "%08x %d" % (zlib.crc32(DATA), MIB)
    sums = re.findall(r"^([0-9a-f]{8} \d+) (\S+)$", out, re.M)
    tap.report("sum: both copies and the source hold the 1 MiB written on "
               "the host (CRC-32 %s)" % want.split()[0],
               status == 0 and len(sums) == 3 and
               all(s == want for s, _ in sums), "exit %s\n%s" % (status, out))
    monitor_case(tap, c, "mkd -s nosuchsoap /n9", 1, ["mkd: /n9: "], 120)
    monitor_case(tap, c, "cp /home/nosuch /n1/home/x", 1,
                 ["cp: /home/nosuch: "])
    monitor_case(tap, c, "cp -w 0 /home/src /n1/home/x", 1, ["usage: cp"])
    monitor_case(tap, c, "cp -w 2 -b /nosuch /home/src /home/y", 1,
                 ["cp: /nosuch: no such Bullet server"])
    bench("ship3_plain_s", round(t_plain, 3), "s")
    bench("ship3_plain_wire", w_plain // 1024, "KiB")
    bench("ship3_near_s", round(t_near, 3), "s")
    bench("ship3_near_wire", w_near // 1024, "KiB")
    bench("ship3_thesis_stopwait_s", THESIS[0], "s")
    bench("ship3_thesis_windowed_s", THESIS[1], "s")


def main():
    with tempfile.TemporaryDirectory(prefix="vx-ship3-") as tmp:
        img_a = make_fs_disk(tmp, tap, ("cp", "sum"), fill, 12)
        img_b = make_fs_disk(tmp, tap, (), None, 12, "fs2", "n1")
        if not img_a or not img_b:
            return tap.done()
        with VdeSwitch() as sw:
            def boot(name, img, append=""):
                return lambda: boot_monitor(name, sw, img,
                                            os.path.join(tmp, name), append)
            run_cluster(tap, [boot("n0", img_a), boot("n1", img_b, "soap=n1"),
                              boot("n2", None)], session)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
