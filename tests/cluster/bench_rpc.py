#!/usr/bin/env python3
"""bench_rpc.py - RPC and raw-frame benchmarks on real VX nodes (TCG).

Prints `bench: NAME VALUE UNIT` lines for tests/bench.py (a `script:`
line in tests/benches.txt) and exits 0 when every run worked:

    rpc_local_null   null RPC between two kernel threads of one node, us
    rpc_remote_null  null RPC between two nodes on a VDE switch, us
    rpc_remote_1mib  1 MiB requests (empty replies) between them, MB/s
    raw_e1000        full-size frames sent as fast as the same e1000
                     driver can, counted at the receiver, MB/s
    rpc_vs_raw       rpc_remote_1mib as a share of raw_e1000, %
    raw_paced_min/median/max  full-size frames with at most 8 in flight
                     (acknowledged by the receiver's driver every 4, as
                     FLIP's credits), PACED_RUNS runs, MB/s: the stable
                     throughput floor
    rpc_vs_paced     rpc_remote_1mib as a share of raw_paced_median, %
    raw_rtt_min/median/max  a 60-byte frame's round trip between the two
                     nodes' drivers (no FLIP), us: the floor of a null RPC
    rpc_vs_rawrtt    rpc_remote_null / raw_rtt_median
    rpc_remote_null_min/median  1,000 null RPCs timed one by one, us
    rpc_remote_null_frames  FLIP frames sent and received per null RPC
    rpc_vs_rawrtt_median  rpc_remote_null_median / raw_rtt_median (like
                     with like: medians of single round trips)

The kernel halves are in tests/kernel/test_net.c (net_bench_local,
net_bench_client, net_echo_server, net_raw_send, net_raw_recv).  At most
two QEMU nodes run at a time.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import Node, VdeSwitch, closing_line  # noqa: E402

BENCH = re.compile(r"^bench: (\S+) (-?[0-9.]+) (\S+)", re.M)
values = {}
problems = []


def collect(node, what):
    """Record node's bench lines; note a problem if it did not pass."""
    for name, value, unit in BENCH.findall(node.log):
        values[name] = (float(value), unit)
    if closing_line(node.log) != (1, 0):
        problems.append(what)
        sys.stderr.write("--- %s\n%s\n" % (what, node.tail(20)))


def run(node, what, timeout):
    node.start()
    try:
        node.wait_exit(timeout)
    except TimeoutError:
        pass
    node.kill()
    collect(node, what)


def bench_local():
    run(Node("local", append="node=local ktest=net_bench_local"),
        "rpc_local", 180)


def bench_remote():
    with VdeSwitch() as sw:
        srv = Node("srv", append="node=srv ktest=net_echo_server",
                   nics=[("e1000", sw)])
        srv.start()
        try:
            srv.expect(r"echo: serving", 60)
            run(Node("cli", append="node=cli ktest=net_bench_client",
                     nics=[("e1000", sw)]), "rpc_remote", 300)
        finally:
            srv.kill()


def bench_raw():
    with VdeSwitch() as sw:
        rcv = Node("rcv", append="node=rcv ktest=net_raw_recv",
                   nics=[("e1000", sw)])
        snd = Node("snd", append="node=snd ktest=net_raw_send",
                   nics=[("e1000", sw)])
        rcv.start()
        try:
            rcv.expect(r"raw: ready", 60)
            run(snd, "raw_send", 300)
            rcv.wait_exit(60)
        except (TimeoutError, AssertionError):
            pass
        finally:
            rcv.kill()
        collect(rcv, "raw_recv")


PACED_RUNS = 5


def bench_paced():
    runs = []
    for i in range(PACED_RUNS):
        with VdeSwitch() as sw:
            rcv = Node("prcv", append="node=prcv ktest=net_raw_precv",
                       nics=[("e1000", sw)])
            snd = Node("psnd", append="node=psnd ktest=net_raw_psend",
                       nics=[("e1000", sw)])
            rcv.start()
            try:
                rcv.expect(r"rawp: ready", 60)
                snd.start()
                snd.wait_exit(120)
                rcv.wait_exit(60)
            except (TimeoutError, AssertionError):
                pass
            finally:
                snd.kill()
                rcv.kill()
            m = re.search(r"^bench: raw_paced ([0-9.]+)", rcv.log, re.M)
            if m and closing_line(snd.log) == (1, 0):
                runs.append(float(m.group(1)))
            else:
                problems.append("raw_paced run %d" % (i + 1))
                sys.stderr.write("--- raw_paced\n%s\n%s\n"
                                 % (snd.tail(10), rcv.tail(10)))
    if runs:
        runs.sort()
        values["raw_paced_min"] = (runs[0], "MB/s")
        values["raw_paced_median"] = (runs[len(runs) // 2], "MB/s")
        values["raw_paced_max"] = (runs[-1], "MB/s")


def bench_rawrtt():
    with VdeSwitch() as sw:
        pong = Node("pong", append="node=pong ktest=net_raw_pong",
                    nics=[("e1000", sw)])
        pong.start()
        try:
            pong.expect(r"pong: ready", 60)
            run(Node("ping", append="node=ping ktest=net_raw_ping",
                     nics=[("e1000", sw)]), "raw_ping", 300)
        except (TimeoutError, AssertionError):
            problems.append("raw_pong")
        finally:
            pong.kill()


def main():
    bench_local()
    bench_remote()
    bench_raw()
    bench_rawrtt()
    bench_paced()
    for name, (value, unit) in values.items():
        print("bench: %s %g %s" % (name, value, unit))
    if "rpc_remote_1mib" in values and values.get("raw_e1000", (0,))[0]:
        print("bench: rpc_vs_raw %.1f %%" % (100.0 * values["rpc_remote_1mib"][0]
                                            / values["raw_e1000"][0]))
    if "rpc_remote_1mib" in values and values.get("raw_paced_median", (0,))[0]:
        print("bench: rpc_vs_paced %.1f %%" % (100.0 * values["rpc_remote_1mib"][0]
                                              / values["raw_paced_median"][0]))
    if "rpc_remote_null" in values and values.get("raw_rtt_median", (0,))[0]:
        print("bench: rpc_vs_rawrtt %.2f x" % (values["rpc_remote_null"][0]
                                               / values["raw_rtt_median"][0]))
    if "rpc_remote_null_median" in values and \
            values.get("raw_rtt_median", (0,))[0]:
        print("bench: rpc_vs_rawrtt_median %.2f x"
              % (values["rpc_remote_null_median"][0]
                 / values["raw_rtt_median"][0]))
    if problems:
        print("# failed: %s" % ", ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
