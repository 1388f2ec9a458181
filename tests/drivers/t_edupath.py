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
while the driver holds it.  Its ok lines are relayed here.  Then
`migrate -m edu edu edu` must refuse to move the driver (its grants
are of this machine), say why and exit 1, and the client's second run
shows the driver serving on with its grants.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vxqemu import BOOTIMG, Node, RESULT, Tap, make_home_disk  # noqa: E402

CONF = """# t_edupath: the edu driver served by path, and a client of it
edu { program { "/bin/edu"; argv { "edu", "/home/edu" }; }; };
client {
\tafter edu; bootrate 600000;
\tprogram { "/bin/sh"; argv { "sh", "-c",
\t\t"edu client /home/edu; migrate -m edu edu edu; echo migrate exit $?; edu client /home/edu" }; };
};
"""
CLOSING = re.compile(r"^(\d+) passed, (\d+) failed", re.M)


def main():
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "edu.img")
        ok, err = make_home_disk(disk, {"edu.conf": CONF})
        tap.report("a test disk with /bin and /home/edu.conf", ok, err)
        if not ok:
            return tap.done()
        n = Node("edu", append="node=edu bootconf=/home/edu.conf",
                 modules=[BOOTIMG], extra=["-device", "edu"],
                 drives=["file=%s,format=raw,if=ide,index=0" % disk])
        try:
            n.start()
            n.expect(r"(?s)^\d+ passed, \d+ failed.*migrate exit.*"
                     r"^\d+ passed, \d+ failed", 500)
        except (TimeoutError, AssertionError) as e:
            n.log += "\n" + str(e)
        finally:
            n.kill()
    tap.report("the driver serves under its path (edu: serving)",
               re.search(r"^edu: serving, irq \d+", n.log, re.M), n.log)
    tap.report("no publishing error", "cannot publish" not in n.log, n.log)
    runs = CLOSING.findall(n.log)
    first, _, second = n.log.partition("migrate exit")
    for status, what in RESULT.findall(first):
        tap.report("client: " + what, status == "ok")
    tap.report("the client ran to the end: %s" % (runs[:1],),
               runs and int(runs[0][0]) >= 13 and runs[0][1] == "0", n.log)
    tap.report("migrate refuses the grant holder and says why",
               re.search(r"^migrate: the process holds [1-9]\d* device "
                         r"grants? on edu \(ports, interrupts, PCI devices "
                         r"and DMA memory stay with the machine\)", n.log,
                         re.M), n.log)
    tap.report("migrate exits 1 and the driver goes on at home",
               re.search(r"^migrate exit 1\s*$", n.log, re.M) and
               re.search(r"it goes on on edu", n.log), n.log)
    tap.report("after the refusal the driver serves with its grants: %s"
               % (runs[1:2],), len(runs) > 1 and runs[1][1] == "0" and
               int(runs[1][0]) >= 13 and "not ok" not in second, n.log)
    tap.report("no process faulted", not re.search(r"fault|vx: panic",
                                                   n.log), n.log)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
