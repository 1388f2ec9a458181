#!/usr/bin/env python3
"""bench_mesh.py - RPC figures as the switch fills: 2 nodes, then 8.

N QEMU nodes on one VDE switch each run tests/kernel/test_net.c's
net_mesh: each serves its own port (meshKK) and is a client of every
other node's, all at once, so with 8 nodes 56 client-server pairs share
the switch (each node works through its peers one at a time, starting at
a different one).  Prints `bench: NAME VALUE UNIT` lines for
tests/bench.py:

    meshN_null_median   median over the pairs of each pair's median
                        null RPC, us
    meshN_1mib_median   median over the pairs of 1 MiB requests, MB/s
    meshN_1mib_min      the slowest pair, MB/s
    mesh8_vs_2_null, mesh8_vs_2_1mib   8-node figure / 2-node figure
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import Node, VdeSwitch  # noqa: E402

MESH = re.compile(r"^mesh: (\d+) (\d+) (\d+) ([0-9.]+)", re.M)


def median(v):
    v = sorted(v)
    return v[len(v) // 2]


def mesh(n, timeout):
    """{(i, j): (null_us, mbps)} of an n-node run, or None."""
    with VdeSwitch() as sw:
        nodes = [Node("mesh%d_%d" % (n, k),
                      append="node=m%d ktest=net_mesh meshid=%d meshn=%d "
                      "netport=mesh%02d" % (k, k, n, k),
                      nics=[("e1000", sw)], memory=64)
                 for k in range(n)]
        try:
            for nd in nodes:
                nd.start()
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                if all("mesh: done" in nd.log for nd in nodes):
                    break
                if any(nd.proc.poll() is not None for nd in nodes):
                    break
                for nd in nodes:
                    nd._pump(0.05)
        finally:
            for nd in nodes:
                nd.kill()
        pairs = {}
        for nd in nodes:
            for i, j, us, mbps in MESH.findall(nd.log):
                pairs[(int(i), int(j))] = (float(us), float(mbps))
        if len(pairs) != n * (n - 1):
            for nd in nodes:
                if "mesh: done" not in nd.log:
                    sys.stderr.write("--- %s\n%s\n" % (nd.name, nd.tail(15)))
            return None
        return pairs


def main():
    got = {}
    failed = []
    for n, timeout in ((2, 300), (8, 900)):
        pairs = mesh(n, timeout)
        if pairs is None:
            failed.append("%d nodes" % n)
            continue
        null = median([p[0] for p in pairs.values()])
        mbps = [p[1] for p in pairs.values()]
        got[n] = (null, median(mbps))
        print("bench: mesh%d_null_median %.0f us" % (n, null))
        print("bench: mesh%d_1mib_median %.1f MB/s" % (n, median(mbps)))
        print("bench: mesh%d_1mib_min %.1f MB/s" % (n, min(mbps)))
    if 2 in got and 8 in got:
        print("bench: mesh8_vs_2_null %.2f x" % (got[8][0] / got[2][0]))
        print("bench: mesh8_vs_2_1mib %.2f x" % (got[8][1] / got[2][1]))
    if failed:
        print("# failed: %s" % ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
