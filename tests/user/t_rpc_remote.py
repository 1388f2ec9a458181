#!/usr/bin/env python3
# vx-timeout: 600
"""t_rpc_remote.py - the user-level RPC benchmark programs across two nodes.

Node "srv" runs userland/bench/rpc_server (a user process serving get-port
"rpcsvr").  Node "kd" runs tests/user/test_kdir against srv's kernel
directory (found by node name) and writes on srv's console through its
tty server.  Nodes "cliN" run userland/bench/rpc_client against it, by port alone
(FLIP locate over a private VDE switch): null RPCs, 1 KiB and 1 MiB
requests and 1 MiB replies (-r).  Each client run must exit 0 and print
its `bench: rpc_remote_...` line; the values are passed on as
`# bench: ...` lines.  Prints ok/not ok lines and "N passed, N failed".
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vxqemu import Node, VdeSwitch, Tap  # noqa: E402

tap = Tap(tail=30)
BENCH = re.compile(r"^bench: (\S+) (\S+) (\S+)\s*$", re.M)

CLIENTS = [
    ("remote null RPCs", "-q -m 200 -l remote rpcsvr 0 5"),
    ("remote 1 KiB requests", "-q -m 100 -l remote rpcsvr 1k 5"),
    ("remote 1 MiB requests", "-q -t -m 5 -l remote rpcsvr 1m 3"),
    ("remote 1 MiB replies (-r)", "-q -t -r -m 5 -l remoterev rpcsvr 1m 3"),
]


report = tap.report


def kdir_remote(sw, srv):
    """test_kdir on another node uses srv's kernel servers by its name."""
    name = "test_kdir on node kd reaches the kernel servers of srv"
    cli = Node("kd", append="node=kd init=test_kdir srv", nics=[("e1000", sw)])
    cli.start()
    try:
        code = cli.wait_exit(120)
    except TimeoutError as e:
        report(name, False, str(e))
        return
    finally:
        cli.kill()
    report(name, code == 0, cli.log)
    try:
        srv.expect(r"test_kdir: hello from process \d+ on the console of srv",
                   10)
        report("its TTQ_WRITE shows on srv's console", True)
    except (AssertionError, TimeoutError) as e:
        report("its TTQ_WRITE shows on srv's console", False, str(e))


def main():
    with VdeSwitch() as sw:
        srv = Node("srv", append="node=srv init=rpc_server -t 2 rpcsvr 1m 0",
                   nics=[("e1000", sw)])
        srv.start()
        try:
            srv.expect(r"rpc_server: port", 60)
            report("rpc_server runs on node srv", True)
        except (AssertionError, TimeoutError) as e:
            report("rpc_server runs on node srv", False, str(e))
            srv.kill()
            return
        try:
            kdir_remote(sw, srv)
            for i, (name, args) in enumerate(CLIENTS):
                cli = Node("cli%d" % i,
                           append="node=cli%d init=rpc_client %s" % (i, args),
                           nics=[("e1000", sw)])
                cli.start()
                try:
                    code = cli.wait_exit(180)
                except TimeoutError as e:
                    report(name, False, str(e))
                    continue
                finally:
                    cli.kill()
                rows = BENCH.findall(cli.log)
                report(name, code == 0 and len(rows) == 1, cli.log)
                for n, v, u in rows:
                    print("# bench: %s %s %s" % (n, v, u))
        finally:
            srv.kill()


if __name__ == "__main__":
    main()
    sys.exit(tap.done())
