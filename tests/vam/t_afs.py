#!/usr/bin/env python3
# vx-timeout: 600
"""t_afs.py - AFS, the file server in ML (vam/afs/afs.ml), passes the
Bullet client tests.

AFS runs as bytecode under build/vam/ocamlrun-amunix on this machine, on
a private VDE switch ($VX_NET); a diskless node on the same switch runs
`test_bullet remote` (tests/user/test_bullet.c), which finds the file
server through bullet_default_cap (FLIP locate of Bullet's well-known
port) and runs the Bullet client tests against it: basics (create,
commit, size, read split at BS_REQBUFSZ, reads past the end, uncommitted
files, modify in place, STD_TOUCH), changes (insert, delete, modify,
compare mode), rights (restrict, STD_DENIED and STD_CAPBAD cases, forged
capabilities, unknown command) and arguments (bad offsets and sizes).
Its ok lines are relayed.  The node is diskless so no C Bullet server is
there to answer instead.  Also: AFS refuses a bad argument with a usage
line and exit status 2; and AFS on a node (bench_afs.afs_on_node: a disk
node whose own Bullet server runs too, `vam_tclient afsbench` starts
`ocamlrun /home/afs.byte -P vx:afs:bench`, finds it on that public port,
tells it from Bullet by STD_STATUS, writes, checks and reads a 1 MiB
file on both).
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from vxqemu import BUILD, Node, Tap, VdeSwitch  # noqa: E402
from bench_afs import afs_on_node  # noqa: E402

tap = Tap()
RUNTIME = os.path.join(BUILD, "vam", "ocamlrun-amunix")
AFS = os.path.join(BUILD, "vam", "afs.byte")


def bad_args():
    try:
        r = subprocess.run([RUNTIME, AFS, "-t", "0"], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=60)
        code, out = r.returncode, r.stdout + r.stderr
    except (OSError, subprocess.TimeoutExpired) as e:
        code, out = None, str(e)
    tap.report("afs -t 0: a clear error, exit 2 (exit %s)" % code,
               code == 2 and "afs: -t wants 1..16" in out, out)


def remote():
    out = ""
    code = None
    with VdeSwitch() as sw:
        proc = None
        cli = Node("cli", append="node=cli init=test_bullet remote",
                   nics=[("e1000", sw)])
        try:
            proc = subprocess.Popen([RUNTIME, AFS],
                                    env=dict(os.environ,
                                             VX_NET="vde:" + sw.sock),
                                    stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)
            out = proc.stdout.readline()
            if "afs: serving" in out:
                cli.start()
                code = cli.wait_exit(300)
        except (TimeoutError, AssertionError, OSError) as e:
            cli.log += "\n" + str(e)
        finally:
            cli.kill()
            if proc is not None:
                proc.kill()
                rest, _ = proc.communicate()
                out += rest
    tap.report("AFS started on Linux", "afs: serving" in out, out)
    tap.relay("AFS", cli.log, code, "test_bullet remote against AFS")


def main():
    bad_args()
    remote()
    afs_on_node(tap, "AFS on a node")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
