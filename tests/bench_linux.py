#!/usr/bin/env python3
"""bench_linux.py - VX and two Debian Linux guests side by side, in one
run on the same host load (make bench-linux).

    python3 tests/bench_linux.py [--linux-only | --vx-only]

First the VX rows (tests/bench.py with the benchmarks named in ROWS),
then bench/linux-peer/run.sh (Linux guests from Debian packages, on a VDE
switch as VX's clusters use: NETDEV=vde, TCG, e1000), then one table:

    metric | VX | Linux | VX/Linux | better

Lower is better for times, higher for throughput; the ratio is always
VX divided by Linux.  The Linux run's logs go to build/linux-peer/STAMP.
No assertions: a missing figure prints n/a and makes the exit status 1.
"""
import json
import os
import subprocess
import sys
import time

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
BUILD = os.path.join(ROOT, "build")
PEER = os.path.join(ROOT, "bench", "linux-peer")

# label, VX benchmark, its row, Linux key (results.kv), unit, scale of the
# VX row to that unit (exec rows are in ms)
ROWS = [
    ("boot to ready (s)", "boot", "ready", "boot_ms", "s", 1.0),
    ("remote null RPC / UDP 8 B round trip (us)", "rpc", "rpc_remote_null",
     "udp_e1000_median_us", "us", 1.0),
    ("host to host null RPC, unix:DIR / UDP 8 B round trip (us)",
     "host_rpc", "hostu_host_null", "udp_e1000_median_us", "us", 1.0),
    ("remote 1 MiB RPC / TCP 1 MiB messages (MB/s)", "rpc", "rpc_remote_1mib",
     "tcp_e1000_MBps", "MB/s", 1.0),
    ("local null RPC / pipe 1 B round trip (us)", "rpc_null", "rpc_local_null",
     "ipc_pipe_1B_median_us", "us", 1.0),
    ("start hello to exit, local (us)", "exec", "exec_local_median",
     "spawn_median_us", "us", 1000.0),
    ("start hello to exit, on another node (us)", "exec",
     "exec_remote_median", "spawn_median_us", "us", 1000.0),
    ("ax hello on another node (us)", "exec", "ax_remote_median",
     "spawn_median_us", "us", 1000.0),
]


def vx_rows():
    names = sorted({r[1] for r in ROWS})
    known = set()
    with open(os.path.join(TESTS, "benches.txt")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                known.add(line.split("|")[0].strip())
    names = [n for n in names if n in known]
    subprocess.run([sys.executable, os.path.join(TESTS, "bench.py")] + names,
                   check=False)
    with open(os.path.join(BUILD, "bench.json")) as f:
        data = json.load(f)["benchmarks"]
    vals = {}
    for bench, b in data.items():
        for r in b["results"]:
            vals[(bench, r["name"])] = r["value"]
    return vals


def linux_rows():
    out = os.path.join(BUILD, "linux-peer", time.strftime("%Y%m%dT%H%M%S"))
    env = dict(os.environ, ACCEL="tcg", NETDEV="vde", NICS="e1000",
               BOOTS=os.environ.get("BOOTS", "3"), OUT=out)
    subprocess.run([os.path.join(PEER, "run.sh")], env=env, cwd=PEER,
                   check=False)
    vals = {}
    try:
        with open(os.path.join(out, "results.kv")) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    try:
                        vals[parts[0]] = float(parts[1])
                    except ValueError:
                        pass
        with open(os.path.join(out, "summary.txt")) as f:
            for line in f:
                if line.startswith("boot: qemu start"):
                    words = line.split()
                    i = words.index("median")
                    vals["boot_ms"] = float(words[i + 1]) / 1000.0
    except (OSError, ValueError, IndexError):
        pass
    return vals


def main():
    args = sys.argv[1:]
    vx = {} if "--linux-only" in args else vx_rows()
    lx = {} if "--vx-only" in args else linux_rows()
    print()
    print("%-46s %12s %12s %9s" % ("metric", "VX", "Linux", "VX/Linux"))
    missing = 0
    for label, bench, row, key, unit, scale in ROWS:
        v = vx.get((bench, row))
        v = v * scale if v is not None else None
        lv = lx.get(key)
        ratio = "%.2f" % (v / lv) if v is not None and lv else "n/a"
        missing += v is None or lv is None
        print("%-46s %12s %12s %9s" % (label,
                                       "%.1f" % v if v is not None else "n/a",
                                       "%.1f" % lv if lv is not None else "n/a",
                                       ratio))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
