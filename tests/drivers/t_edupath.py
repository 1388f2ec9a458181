#!/usr/bin/env python3
# vx-timeout: 600
"""t_edupath.py - the edu driver serving by path (userland/drivers/edu,
`edu PATH`), as a node's boot server runs it.

One node with QEMU's edu device boots from a test disk (make fs-image's
/bin and /home/edu.conf) with bootconf=/home/edu.conf: the boot server
starts `edu /home/edu`, which takes its grants, publishes its service
capability as /home/edu and serves; then `edu client /home/edu`, a
process with no grants, finds the service by that path and checks it:
std_info and std_status, factorial and DMA round trips through the
device's interrupt, a raised interrupt, bad sizes and requests, a
forged capability, and that the device's PCI grant is refused to it
while the driver holds it.  Its ok lines are relayed here.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vxqemu import BOOTIMG, Node, RESULT, Tap, make_fs_disk  # noqa: E402

CONF = """# t_edupath: the edu driver served by path, and a client of it
edu { program { "/bin/edu"; argv { "edu", "/home/edu" }; }; };
client {
\tafter edu; bootrate 600000;
\tprogram { "/bin/edu"; argv { "edu", "client", "/home/edu" }; };
};
"""


def main():
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "edu.img")
        ok, err = make_fs_disk(disk, {"edu.conf": CONF})
        tap.report("a test disk with /bin and /home/edu.conf", ok, err)
        if not ok:
            return tap.done()
        n = Node("edu", append="node=edu bootconf=/home/edu.conf",
                 modules=[BOOTIMG], extra=["-device", "edu"],
                 drives=["file=%s,format=raw,if=ide,index=0" % disk])
        try:
            n.start()
            n.expect(r"^\d+ passed, \d+ failed", 400)
        except (TimeoutError, AssertionError) as e:
            n.log += "\n" + str(e)
        finally:
            n.kill()
    tap.report("the driver serves under its path (edu: serving)",
               re.search(r"^edu: serving, irq \d+", n.log, re.M), n.log)
    tap.report("no publishing error",
               "cannot publish" not in n.log, n.log)
    inner = RESULT.findall(n.log)
    for status, what in inner:
        tap.report("client: " + what, status == "ok")
    m = re.search(r"^(\d+) passed, (\d+) failed", n.log, re.M)
    tap.report("the client ran to the end: %s"
               % (m.group(0) if m else "no closing line"),
               m and int(m.group(1)) >= 13 and m.group(2) == "0", n.log)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
