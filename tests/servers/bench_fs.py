#!/usr/bin/env python3
"""bench_fs.py - file-system benchmark rows (make bench, issue 9 item 11).

Every node boots a copy of the `make fs-image` disk or none; the kernel
starts Bullet and SOAP on the disk node.  Prints `bench:` lines:

  fs_read_1m_L          MB/s   20 b_reads of a cached 1 MiB file
  fs_create_L           files/s  1,000 small files created and committed
  fs_lookup3_L          us     sp_lookup of /tmp/b1/b2 (depth 3)
  fs_safety_write_L     MB/s   256 KiB files committed with BS_SAFETY
  rpc_read_L_1m         MB/s   1 MiB RPC replies (rpc_client -r), the
                               same transfer without a file server
  fs_read_vs_rpc_L      %      fs_read_1m_L / rpc_read_L_1m (aims: 80 %
                               local, 90 % remote)
for L = local (program and servers on one node), icount (the same in
instruction time, -icount shift=0: host load cannot move it) and remote
(a diskless node on a VDE switch with the disk node, e1000; the RPC
server there has 3 threads, as Bullet has).  With the Linux peer
built (bench/linux-peer, Debian packages only) it adds
  linux_nfs_read_1m     MB/s   or, without an NFS server guest,
  linux_tcp_1m          MB/s   1 MiB TCP messages between two Debian
                               guests over a VDE switch, e1000
  fs_read_vs_linux      ratio  fs_read_1m_remote / that figure
Exit status 0 when every VX run worked (the Linux rows are optional).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, ROOT, Node, VdeSwitch  # noqa: E402

ICOUNT = ["-icount", "shift=0,sleep=off"]   # instruction time: no host noise
BENCH = re.compile(r"^bench: (\S+) (-?[0-9.]+) (\S+)", re.M)
values = {}
problems = []


def collect(n, what, code):
    for name, value, unit in BENCH.findall(n.log):
        values[name] = (float(value), unit)
    if code != 0:
        problems.append(what)
        sys.stderr.write("--- %s\n%s\n" % (what, n.tail(20)))


def run(n, what, timeout=300):
    n.start()
    try:
        code = n.wait_exit(timeout)
    except (TimeoutError, AssertionError) as e:
        code, n.log = None, n.log + "\n" + str(e)
    n.kill()
    collect(n, what, code)


def drive(disk):
    return ["file=%s,format=raw,if=ide,index=0" % disk]


def local(disk, label="local", extra=()):
    run(Node("fsl", append="node=fsl init=bench_fs " + label,
             drives=drive(disk), extra=list(extra)), "fs " + label)
    run(Node("rpcl", append="node=rpcl init=rpc_client -S -q -t -r -m 20 "
             "-l read_%s rpcsvr 1m 5" % label, extra=list(extra)),
        "rpc " + label)


def remote(disk):
    with VdeSwitch() as sw:
        srv = Node("fs", append="node=fs init=rpc_server -t 3 rpcsvr 1m",
                   drives=drive(disk), nics=[("e1000", sw)])
        srv.start()
        try:
            srv.expect(r"^rpc_server: port", 120)
            run(Node("cli", append="node=cli init=rpc_client -q -t -r -m 20"
                     " -l read_remote rpcsvr 1m 5",
                     nics=[("e1000", sw)]), "rpc remote")
            run(Node("cli", append="node=cli init=bench_fs remote",
                     nics=[("e1000", sw)]), "fs remote")
        except (TimeoutError, AssertionError) as e:
            problems.append("remote server: %s" % e)
        finally:
            srv.kill()


def linux():
    """The Linux peer's figure, if its guests can be built here."""
    peer = os.path.join(ROOT, "bench", "linux-peer", "nfs.sh")
    if not os.access(peer, os.X_OK):
        return
    r = subprocess.run([peer], capture_output=True, text=True, timeout=600)
    for name, value, unit in BENCH.findall(r.stdout):
        values[name] = (float(value), unit)
    if r.returncode != 0:
        print("# linux peer: %s" % (r.stdout + r.stderr).strip()[-300:])


def ratios():
    for where in ("local", "icount", "remote"):
        fs = values.get("fs_read_1m_" + where)
        rpc = values.get("rpc_read_%s_1m" % where)
        if fs and rpc and rpc[0] > 0:
            print("bench: fs_read_vs_rpc_%s %.1f %%"
                  % (where, 100.0 * fs[0] / rpc[0]))
    lin = values.get("linux_nfs_read_1m") or values.get("linux_tcp_1m")
    fs = values.get("fs_read_1m_remote")
    if lin and fs and lin[0] > 0:
        print("bench: fs_read_vs_linux %.2f x" % (fs[0] / lin[0]))


def main():
    with tempfile.TemporaryDirectory(prefix="vx-bfs-") as tmp:
        disk = os.path.join(tmp, "fs.img")
        shutil.copy(os.path.join(BUILD, "vx-fs.img"), disk)
        local(disk)
        local(disk, "icount", ICOUNT)
        remote(disk)
    linux()
    for name, (value, unit) in sorted(values.items()):
        print("bench: %s %g %s" % (name, value, unit))
    ratios()
    if problems:
        print("# failed: %s" % ", ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
