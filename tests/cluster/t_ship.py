#!/usr/bin/env python3
# vx-timeout: 900
"""t_ship.py - the Ship Model's experiments (seed 002, chapter 5): moving
the computation to its data against moving the data, on two QEMU nodes,
with the bytes and the requests on the wire counted from pcap (QEMU
filter-dump, the FLIP/RPC dissector host/wireshark/vx.lua through
tshark).

n0 (B) holds the data: a file-system disk (Bullet and SOAP servers) with
/home/big (1 MiB) and the directories /home/d50, /home/d100, /home/d200
(50, 100, 200 small files); n1 (A) has no disk and is where the user
types.  Both capture their NIC's traffic; n1's capture is everything
that crosses between the two nodes.  Each command is typed on n1's
monitor; its window of n1's capture is cut out and counted.

1. copy of a 1 MiB file into another file on B, started from A (Table
   5.1, "A to A from B"): `ax -near /home/big cp /home/big /home/n1c`
   moves at most 64 KiB, `cp /home/big /home/p1c` (the data through A)
   at least 2 MiB; both copies are 1 MiB.  The times are reported, not
   compared: on QEMU nodes on one host the moved copy runs both ends of
   the copy on one emulated CPU (the plain one on two), and VX's local
   1 MiB transactions are not faster than remote ones, so the moved copy
   is not reliably faster here (see README);
2. a long listing of a remote directory with 50, 100, 200 entries
   (Table 5.5): `ax -near /home/dN dir -l /home/dN` costs a constant
   number of cross-node requests (within 8 of each other, and fewer than
   50), plain `dir -l /home/dN` at least one per entry;
3. the data node killed in the middle of a moved copy: `ax -near
   /home/big4 cp /home/big4 /home/k4` (4 MiB) on A; once A's capture
   shows the PS_EXEC that starts cp on B, B is switched off: ax says its
   node is down (exit 1) within 8 s (a liveness bound; the issue aims at
   5 s: run_wait checks the process every 300 ms and gives a node that
   is silent for two 1 s checks up, so about 2.5-4 s; bench row
   ship_killed_error_s); B is started again on its disk:
   no /home/k4 (nothing partial committed), /home/big4 still 4 MiB, and
   the same command then makes a 4 MiB /home/k4.

Prints `bench: NAME VALUE UNIT` lines (make bench, row `ship`): each
experiment's time, bytes and requests, the moved and the plain way,
and the thesis's times (`_thesis_`) beside them.
"""
import os
import random
import re
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vxqemu import (ROOT, Tap, boot_monitor, fs_cluster,  # noqa: E402
                    monitor_run as run, monitor_wait as wait_done,
                    pcap_records)

LUA = os.path.join(ROOT, "host", "wireshark", "vx.lua")
MIB = 1 << 20
SIZES = (50, 100, 200)
# the thesis's figures (seed 002, Tables 5.1 and 5.5), printed beside ours
THESIS_COPY = (4.2, 8.0)          # ships (3.3 to 4.2 s), NFS
THESIS_DIR = {50: (0.15, 0.49), 100: (0.34, 0.78), 200: (0.74, 1.3)}
tap = Tap(tail=40)


def fill(fsdir):
    """/home/big (1 MiB), big4 (4 MiB), dN with N small files."""
    rnd = random.Random(14)
    with open(os.path.join(fsdir, "big"), "wb") as f:
        f.write(rnd.randbytes(MIB))
    with open(os.path.join(fsdir, "big4"), "wb") as f:
        f.write(rnd.randbytes(4 * MIB))
    for n in SIZES:
        d = os.path.join(fsdir, "d%d" % n)
        os.makedirs(d)
        for i in range(n):
            with open(os.path.join(d, "f%03d" % i), "w") as f:
                f.write("file %d of %d\n" % (i, n))


class Window:
    """The frames node's capture got while one command ran."""

    def __init__(self, node, tmp):
        self.path = node.pcap + "-n0.pcap"
        self.tmp = tmp
        self.start = os.path.getsize(self.path)

    def cut(self):
        """A pcap file of the window; (its path, wire bytes, frames)."""
        with open(self.path, "rb") as f:
            head = f.read(24)
            f.seek(self.start)
            body = f.read()
        wire, frames, off = 0, 0, 0
        while off + 16 <= len(body):
            incl, orig = struct.unpack_from("<II", body, off + 8)
            if off + 16 + incl > len(body):
                break
            wire += orig
            frames += 1
            off += 16 + incl
        out = os.path.join(self.tmp, "win.pcap")
        with open(out, "wb") as f:
            f.write(head + body[:off])
        return out, wire, frames


PS_EXEC = 2303


def exec_answered(node, peer, start):
    """Has peer answered node's PS_EXEC since capture offset start (the
    program runs there now)?  After node's PS_EXEC REQUEST, an RPC REPLY
    (type 4) with status STD_OK from peer to node.  Read from the frames
    themselves (tshark takes a second or more to start, longer than a
    moved copy may run): the RPC type byte, and 32 bytes on, the Amoeba
    header's command (status in a reply)."""
    mac = bytes.fromhex(node.macs[0].replace(":", ""))
    pmac = bytes.fromhex(peer.macs[0].replace(":", ""))
    want = struct.pack("<H", PS_EXEC)
    recs, _ = pcap_records(node.pcap + "-n0.pcap", start)
    asked = False
    for _, data in recs:
        for p in range(14, min(len(data) - 34, 160)):
            if (not asked and data[6:12] == mac and data[p] == 3 and
                    data[p + 32:p + 34] == want):
                asked = True
                break
            if (asked and data[0:6] == mac and data[6:12] == pmac and
                    data[p] == 4 and data[p + 32:p + 34] == b"\0\0"):
                return True
    return False


def requests(pcap):
    """RPC requests in a capture: distinct (source, message) REQUESTs."""
    r = subprocess.run(["tshark", "-n", "-X", "lua_script:" + LUA, "-r",
                        pcap, "-T", "fields", "-E", "separator=\t",
                        "-E", "occurrence=f", "-Y", "amrpc.type == 3",
                        "-e", "amflip.src", "-e", "amflip.messid"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    if r.returncode != 0:
        raise AssertionError("tshark: " + r.stderr.decode()[-500:])
    return len(set(r.stdout.decode().split("\n")) - {""})


def measure(node, line, tmp, timeout=180):
    """Run line on node; (status, output, seconds, bytes, requests)."""
    w = Window(node, tmp)
    t0 = time.monotonic()
    status, out = run(node, line, timeout)
    secs = time.monotonic() - t0
    node._pump(0.2)  # frames of the last reply reach the capture
    pcap, wire, _ = w.cut()
    return status, out, secs, wire, requests(pcap)


def bench(name, value, unit):
    print("bench: %s %g %s" % (name, value, unit))


def copy(a, tmp):
    s1, o1, t_near, b_near, _ = measure(
        a, "ax -near /home/big cp /home/big /home/n1c", tmp)
    s2, o2, t_plain, b_plain, _ = measure(
        a, "cp /home/big /home/p1c", tmp)
    status, out = run(a, "dir -l /home", 60)
    sizes = dict(re.findall(r"^(n1c|p1c)\s.*?\b(\d+) bytes", out, re.M))
    tap.report("copy of 1 MiB on B started from A: ax -near moves %d KiB "
               "(at most 64), cp through A %d KiB; %.2f s against %.2f s"
               % (b_near // 1024, b_plain // 1024, t_near, t_plain),
               s1 == 0 and s2 == 0 and b_near <= 64 * 1024 and
               b_plain >= 2 * MIB,
               "exit %s %s\n%s\n%s" % (s1, s2, o1, o2))
    tap.report("both copies hold 1 MiB", sizes.get("n1c") == str(MIB) and
               sizes.get("p1c") == str(MIB), out)
    bench("ship_copy_near_s", round(t_near, 3), "s")
    bench("ship_copy_near_wire", b_near // 1024, "KiB")
    bench("ship_copy_plain_s", round(t_plain, 3), "s")
    bench("ship_copy_plain_wire", b_plain // 1024, "KiB")
    bench("ship_copy_thesis_ships_s", THESIS_COPY[0], "s")
    bench("ship_copy_thesis_nfs_s", THESIS_COPY[1], "s")


def listing(a, tmp):
    near = {}
    for n in SIZES:
        d = "/home/d%d" % n
        s1, o1, t1, _, r1 = measure(a, "ax -near %s dir -l %s" % (d, d), tmp)
        s2, o2, t2, _, r2 = measure(a, "dir -l %s" % d, tmp)
        lines1 = len(re.findall(r"^f\d{3}\s", o1, re.M))
        lines2 = len(re.findall(r"^f\d{3}\s", o2, re.M))
        near[n] = r1
        tap.report("dir -l of %d entries: ax -near %d requests %.2f s, "
                   "plain %d requests %.2f s" % (n, r1, t1, r2, t2),
                   s1 == 0 and s2 == 0 and lines1 == n and lines2 == n and
                   r2 >= n and r1 < 50,
                   "exit %s %s, %d and %d lines\n%s\n%s"
                   % (s1, s2, lines1, lines2, o1[-1500:], o2[-1500:]))
        bench("ship_dir%d_near_s" % n, round(t1, 3), "s")
        bench("ship_dir%d_near_requests" % n, r1, "")
        bench("ship_dir%d_plain_s" % n, round(t2, 3), "s")
        bench("ship_dir%d_plain_requests" % n, r2, "")
        bench("ship_dir%d_thesis_ships_s" % n, THESIS_DIR[n][0], "s")
        bench("ship_dir%d_thesis_unix_s" % n, THESIS_DIR[n][1], "s")
    tap.report("ax -near dir -l costs a constant number of requests "
               "(%s)" % near, max(near.values()) - min(near.values()) <= 8,
               str(near))


def killed_copy(b, a, sw, tmp, img):
    line = "ax -near /home/big4 cp /home/big4 /home/k4"
    w = Window(a, tmp)
    pos = len(a.log)
    a.send("run %s\r" % line)
    deadline = time.monotonic() + 60
    # switched off once cp runs there: after B answered the PS_EXEC (a
    # node dying during the exec itself is the exec's failure, not this)
    while time.monotonic() < deadline and not exec_answered(a, b, w.start):
        a._pump(0.02)
    started = time.monotonic() < deadline
    b.kill()
    killed = time.monotonic()
    status, out = wait_done(a, pos, 60)
    took = time.monotonic() - killed
    tap.report("B switched off while cp runs there: ax says its node is "
               "down within 8 s (%.1f s), exit 1" % took,
               started and status == 1 and took <= 8.0 and
               "its node is down" in out, "exit %s\n%s" % (status, out))
    bench("ship_killed_error_s", round(took, 2), "s")
    b2 = boot_monitor("n0", sw, img, os.path.join(tmp, "b2"))
    status, out = run(a, "dir -l /home", 60)
    sizes = dict(re.findall(r"^(big4|k4)\s.*?\b(\d+) bytes", out, re.M))
    tap.report("B back on its disk: no partial /home/k4, /home/big4 still "
               "4 MiB", status == 0 and "k4" not in sizes and
               sizes.get("big4") == str(4 * MIB), out)
    status, out = run(a, line, 180)
    status2, out2 = run(a, "dir -l /home", 60)
    sizes = dict(re.findall(r"^(big4|k4)\s.*?\b(\d+) bytes", out2, re.M))
    tap.report("the same command then copies it (exit 0, 4 MiB)",
               status == 0 and sizes.get("k4") == str(4 * MIB),
               "exit %s\n%s\n%s" % (status, out, out2))
    return b2


def session(nodes, sw, tmp, img):
    copy(nodes[1], tmp)
    listing(nodes[1], tmp)
    nodes.append(killed_copy(nodes[0], nodes[1], sw, tmp, img))


def main():
    return fs_cluster(tap, "vx-ship-", ("n0", "n1"), session, ("cp", "dir"),
                      fill, 48, pcaps=("n0", "n1"))


if __name__ == "__main__":
    sys.exit(main())
