#!/usr/bin/env python3
"""bench_unic.py - remote RPC through the user-space RTL8139 driver
beside the kernel's own RTL8139 driver (tests/benches.txt `unic`).

The server node runs net_echo_server on an RTL8139, first with the
in-kernel driver, then with `usernic=rtl8139` (userland/drivers/rtl8139
through kernel/svr/unicsvr.c); the client node (e1000, kernel driver)
runs net_bench_client against it.  Prints `bench: NAME VALUE UNIT`:

    unic_kernel_null, unic_user_null   remote null RPC, us
    unic_kernel_1mib, unic_user_1mib   1 MiB requests, MB/s
    unic_null_ratio    user / kernel null RPC time, x (aim <= 1.3)
    unic_1mib_share    user / kernel 1 MiB throughput, % (aim >= 80)

`bench_unic.py N` takes the median of N runs of each (default 3).
At most two QEMU nodes run at a time.
"""
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import Node, VdeSwitch, closing_line  # noqa: E402

BENCH = re.compile(r"^bench: (\S+) (-?[0-9.]+) (\S+)", re.M)
problems = []


def one_run(kind):
    """(null us, 1 MiB MB/s) with the server's RTL8139 driven by kind."""
    extra = " usernic=rtl8139" if kind == "user" else ""
    with VdeSwitch() as sw:
        srv = Node("srv", append="node=srv ktest=net_echo_server" + extra,
                   nics=[("rtl8139", sw)])
        cli = Node("cli", append="node=cli ktest=net_bench_client",
                   nics=[("e1000", sw)])
        try:
            srv.start()
            srv.expect(r"echo: serving", 60)
            if kind == "user":
                srv.expect(r"rtl8139: user driver up", 120)
            cli.start()
            try:
                cli.wait_exit(300)
            except TimeoutError:
                pass
        finally:
            cli.kill()
            srv.kill()
    vals = {n: float(v) for n, v, _ in BENCH.findall(cli.log)}
    if closing_line(cli.log) != (1, 0) or "rpc_remote_null" not in vals \
            or "rpc_remote_1mib" not in vals:
        problems.append(kind)
        sys.stderr.write("--- %s\n%s\n" % (kind, cli.tail(20)))
        return None
    return vals["rpc_remote_null"], vals["rpc_remote_1mib"]


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    res = {"kernel": [], "user": []}
    for _ in range(runs):          # interleaved: load drifts alike
        for kind in ("kernel", "user"):
            r = one_run(kind)
            if r:
                res[kind].append(r)
    med = {}
    for kind, rs in res.items():
        if rs:
            med[kind] = (statistics.median(r[0] for r in rs),
                         statistics.median(r[1] for r in rs))
            print("bench: unic_%s_null %.1f us" % (kind, med[kind][0]))
            print("bench: unic_%s_1mib %.2f MB/s" % (kind, med[kind][1]))
    if "kernel" in med and "user" in med and med["kernel"][0] and med["kernel"][1]:
        print("bench: unic_null_ratio %.2f x" % (med["user"][0] / med["kernel"][0]))
        print("bench: unic_1mib_share %.1f %%"
              % (100.0 * med["user"][1] / med["kernel"][1]))
    if problems:
        print("# failed: %s" % ", ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
