#!/usr/bin/env python3
"""bench_vam.py - RPC from ML beside C (make bench, tests/benches.txt).

Node srv runs C's rpc_server (userland/bench) on port "vamb"; node cli,
on the same VDE switch, has the bytecode files on its disk
(tests/vam/vamdisk.py) and runs from its monitor, against that server:

    rpc_client -q -m 1000 -l c_remote vamb 0 3       C, null RPC
    rpc_client -q -t -m 20 -l c_remote vamb 1m 3     C, 1 MiB requests
    ocamlrun /home/vam_bench.byte vamb ml_remote 3000 60   the same from ML

Prints their `bench:` lines (rpc_c_remote_null/_1m beside
rpc_ml_remote_null/_1m), then one ok line per run and the closing line;
exit status 0 when every run succeeded.
"""
import os
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from vxqemu import Node, Tap, VdeSwitch, monitor_run  # noqa: E402
from vamdisk import make_disk  # noqa: E402

BENCH = re.compile(r"^bench: .*$", re.M)
tap = Tap()

RUNS = ["rpc_client -q -m 1000 -l c_remote vamb 0 3",
        "rpc_client -q -t -m 20 -l c_remote vamb 1m 3",
        "ocamlrun /home/vam_bench.byte vamb ml_remote 3000 60"]


def run(node, line, timeout=300):
    """`run LINE` on node's monitor (vxqemu.monitor_run)."""
    return monitor_run(node, line, timeout)


def main():
    with tempfile.TemporaryDirectory(prefix="vx-vambench-") as tmp:
        img, _, err = make_disk(tmp)
        if not tap.check(img is not None, "a disk with the bytecode files"):
            print("# " + err)
            return tap.done()
        with VdeSwitch() as sw:
            srv = Node("srv", append="node=srv init=rpc_server -t 2 vamb 1m",
                       nics=[("e1000", sw)])
            cli = Node("cli", append="node=cli monitor",
                       drives=["file=%s,format=raw,if=ide,index=0,"
                               "snapshot=on" % img], nics=[("e1000", sw)])
            try:
                srv.start()
                cli.start()
                srv.expect(r"vx: ready", 120)
                cli.expect(r"^VX monitor on cli", 120)
                for line in RUNS:
                    status, out = run(cli, line)
                    for b in BENCH.findall(out):
                        print(b)
                    tap.report(line, status == 0 and BENCH.search(out), out)
            except (TimeoutError, AssertionError) as e:
                tap.report("the nodes boot", False, e)
            finally:
                cli.kill()
                srv.kill()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
