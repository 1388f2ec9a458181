#!/usr/bin/env python3
"""bench_afs.py - reading a cached 1 MiB file from AFS (the file server in
ML, vam/afs) beside the C Bullet server on the same node (make bench,
tests/benches.txt).

One node with a file-system disk (tests/vam/vamdisk.py: its Bullet and
SOAP servers start from it); its monitor runs `vam_tclient afsbench`
(vam/vam_tclient), which starts AFS there (`ocamlrun /home/afs.byte -P
vx:afs:bench`), writes and checks a 1 MiB file on each server and times
20 reads of it with the same C client code.  Prints the client's
`bench:` lines (afs_read_1m beside bullet_read_1m_same), its ok lines,
and the closing line; exit status 0 when every step succeeded.
t_afs.py runs the same as a test.
"""
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from vxqemu import Node, Tap, monitor_run  # noqa: E402
from vamdisk import make_disk  # noqa: E402

BENCH = re.compile(r"^bench: .*$", re.M)


def afs_on_node(tap, phase):
    """Run `vam_tclient afsbench` on a disk node; relay its ok lines
    under phase; its output (or None when nothing ran)."""
    with tempfile.TemporaryDirectory(prefix="vx-afs-") as tmp:
        img, _, err = make_disk(tmp, afs=True)
        if not tap.check(img is not None, "a disk with the bytecode files"):
            print("# " + err)
            return None
        n = Node("afs", append="node=afs monitor",
                 drives=["file=%s,format=raw,if=ide,index=0,snapshot=on"
                         % img])
        n.start()
        try:
            n.expect(r"^VX monitor on afs", 120)
            status, out = monitor_run(n, "vam_tclient afsbench", 500)
        except (TimeoutError, AssertionError) as e:
            status, out = None, n.log + "\n" + str(e)
        finally:
            n.kill()
    tap.relay(phase, out, status, "vam_tclient afsbench")
    return out


def main():
    tap = Tap()
    out = afs_on_node(tap, "AFS beside Bullet")
    for b in BENCH.findall(out or ""):
        print(b)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
