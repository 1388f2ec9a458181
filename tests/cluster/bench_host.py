#!/usr/bin/env python3
"""bench_host.py - RPC between the Linux host (libamunix) and VX nodes.

Prints `bench: NAME VALUE UNIT` lines for tests/bench.py (a `script:`
line in tests/benches.txt) and exits 0 when every run worked:

    host_node_null     null RPC, host client -> node kernel server, us
    host_node_1mib     1 MiB requests host -> node, MB/s
    node_host_null     null RPC, node kernel client -> host server, us
    node_host_1mib     1 MiB requests node -> host, MB/s
    host_host_null     null RPC between two Linux processes on one
                       VDE switch, us
    host_host_1mib     1 MiB requests between them, MB/s
    hostu_host_null    the same two processes on a unix:DIR network
    hostu_host_1mib    (host/net_unix.c: datagrams, no switch process)
    node_node_null     the same pair of kernel halves node to node on
    node_node_1mib     the same kind of link, for comparison
    host_node_vs_node_null   host_node_null / node_node_null (x)
    host_node_vs_node_1mib   host_node_1mib / node_node_1mib (%)

Host halves: build/host/bin/amecho (-O2, no sanitizers; make host);
kernel halves: tests/kernel/test_net.c (net_echo_server,
net_bench_client).  All on private VDE switches; nodes under TCG.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, Node, VdeSwitch, closing_line  # noqa: E402

AMECHO = os.path.join(BUILD, "host", "bin", "amecho")
BENCH = re.compile(r"^bench: (\S+) (-?[0-9.]+) (\S+)", re.M)
values = {}
problems = []


def record(text, what, rename=None):
    found = BENCH.findall(text)
    for name, value, unit in found:
        values[(rename or {}).get(name, name)] = (float(value), unit)
    if not found:
        problems.append(what)
        sys.stderr.write("--- %s\n%s\n" % (what, text[-3000:]))


def host_server(name, net):
    p = subprocess.Popen([AMECHO, "serve", name], env=dict(os.environ, VX_NET=net),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    if not p.stdout.readline().startswith(b"echo: serving"):
        problems.append("host server " + name)
    return p


def host_bench(tag, port, net, nnull=5000, nbig=100):
    r = subprocess.run([AMECHO, "bench", port, tag, str(nnull), str(nbig)],
                       env=dict(os.environ, VX_NET=net), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=600)
    record(r.stdout.decode("utf-8", "replace"), tag)


def node_bench(sw, port, rename, what):
    c = Node("cli", append="node=cli ktest=net_bench_client netport=%s" % port,
             nics=[("e1000", sw)])
    c.start()
    try:
        c.wait_exit(600)
    except TimeoutError:
        pass
    c.kill()
    if closing_line(c.log) != (1, 0):
        problems.append(what)
    record(c.log, what, rename)


def main():
    with VdeSwitch() as sw:
        net = "vde:" + sw.sock
        srv = Node("srv", append="node=srv ktest=net_echo_server",
                   nics=[("e1000", sw)])
        srv.start()
        try:
            srv.expect(r"echo: serving", 90)
            host_bench("host_node", "echo", net)
            node_bench(sw, "echo", {"rpc_remote_null": "node_node_null",
                                    "rpc_remote_1mib": "node_node_1mib"},
                       "node_node")
        finally:
            srv.kill()
        hs = host_server("hbench", net)
        try:
            node_bench(sw, "hbench", {"rpc_remote_null": "node_host_null",
                                      "rpc_remote_1mib": "node_host_1mib"},
                       "node_host")
            host_bench("host_host", "hbench", net)
        finally:
            hs.kill()
            hs.wait()
    with tempfile.TemporaryDirectory(prefix="vx-unixnet-") as d:
        hs = host_server("ubench", "unix:" + d)
        try:
            host_bench("hostu_host", "ubench", "unix:" + d)
        finally:
            hs.kill()
            hs.wait()
    for name, (value, unit) in sorted(values.items()):
        print("bench: %s %g %s" % (name, value, unit))
    if "host_node_null" in values and "node_node_null" in values:
        print("bench: host_node_vs_node_null %.2f x" %
              (values["host_node_null"][0] / values["node_node_null"][0]))
    if "host_node_1mib" in values and "node_node_1mib" in values:
        print("bench: host_node_vs_node_1mib %.0f %%" %
              (100 * values["host_node_1mib"][0] / values["node_node_1mib"][0]))
    if problems:
        print("# failed: %s" % ", ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
