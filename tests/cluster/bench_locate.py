#!/usr/bin/env python3
"""bench_locate.py - the cost of an RPC locate as a node serves more ports.

Two QEMU nodes on a VDE switch: the server runs the kernel echo server
(tests/kernel/test_net.c net_echo_server) with `netdummies=N` more ports
served by call objects in getreq; the client (net_bench_locate) runs null
transactions with the port cached, then the same number each after
dropping the port-cache entry, so each one locates the server first.
Prints `bench: NAME VALUE UNIT` lines for tests/bench.py:

    find_listener_N    one lookup of a port the node does not serve
                       (what every LOCATE on the LAN costs it) among
                       N ports, measured in the server's kernel, ns
    locate_ports_N     median null RPC including a locate, with N ports
                       on the server's node (4 echo threads + dummies), us
    null_cached_N      median null RPC with the port cached, same run, us
    locate_cost_N      the difference: what the locate adds, us
    find_listener_1000_vs_4   the lookup's growth (flat: ~1)
    locate_1000_vs_4   locate_cost at 1000 ports / at 4 ports (flat: ~1;
                       the network medians move with the machine's load)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import Node, VdeSwitch, closing_line  # noqa: E402
import re  # noqa: E402

BENCH = re.compile(r"^bench: (\S+) (-?[0-9.]+) (\S+)", re.M)


def one(dummies):
    """(located us, cached us) with `dummies` more ports, or None."""
    with VdeSwitch() as sw:
        srv = Node("lsrv%d" % dummies, append="node=srv ktest=net_echo_server "
                   "netdummies=%d" % dummies, nics=[("e1000", sw)])
        cli = Node("lcli%d" % dummies, append="node=cli ktest=net_bench_locate",
                   nics=[("e1000", sw)])
        srv.start()
        try:
            srv.expect(r"echo: serving", 120)
            cli.start()
            cli.wait_exit(300)
        except (TimeoutError, AssertionError):
            pass
        finally:
            cli.kill()
            srv.kill()
        rows = {name: float(v) for name, v, _ in BENCH.findall(cli.log)}
        srows = {name: float(v) for name, v, _ in BENCH.findall(srv.log)}
        if "find_listener_absent" in srows:
            find[dummies + 4] = srows["find_listener_absent"]
            print("bench: find_listener_%d %.0f ns"
                  % (dummies + 4, srows["find_listener_absent"]))
        if closing_line(cli.log) != (1, 0) or \
                "rpc_null_located" not in rows:
            sys.stderr.write("--- %d ports\n%s\n%s\n"
                             % (dummies, srv.tail(10), cli.tail(20)))
            return None
        return rows["rpc_null_located"], rows["rpc_null_cached"]


def main():
    cost = {}
    find = {}
    failed = []
    for dummies in (0, 996):
        r = one(dummies)
        if r is None:
            failed.append(str(dummies))
            continue
        located, cached = r
        ports = dummies + 4
        cost[ports] = located - cached
        print("bench: locate_ports_%d %.1f us" % (ports, located))
        print("bench: null_cached_%d %.1f us" % (ports, cached))
        print("bench: locate_cost_%d %.1f us" % (ports, cost[ports]))
    if 4 in cost and 1000 in cost and cost[4] > 0:
        print("bench: locate_1000_vs_4 %.2f x" % (cost[1000] / cost[4]))
    if find.get(4) and 1000 in find:
        print("bench: find_listener_1000_vs_4 %.2f x" % (find[1000] / find[4]))
    if failed:
        print("# failed: dummies %s" % ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
