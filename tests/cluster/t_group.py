#!/usr/bin/env python3
# vx-timeout: 900
"""t_group.py - group communication across nodes, from user programs.

Each member runs tests/user/test_group.c's member mode: node 0 creates
the group (resilience 1), the others join it by its port alone, every
member sends its messages while a second thread delivers, and every
member must deliver all of them in one total order (the same hash):

  - three nodes on one VDE switch, 10 messages each;
  - four nodes, 300 messages each, the sequencer's node killed half way:
    the others get BC_ABORT, grp_reset to three and go on (spec 4.4),
    and deliver every survivor's message in one order;
  - five nodes on two switches joined by vde2's wirefilter dropping 10 %
    of the frames between them, 2,000 messages each (about 100 s; left
    out with `--quick`).

The members end with a DONE round and grp_leave, so that no member's
exit (the sequencer's least) comes before every member delivered all.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import Node, Tap, VdeSwitch, WireFilter  # noqa: E402


def run_group(tap, what, name, switches, nsend, timeout, kill=False):
    """One member per switch in switches; with kill, the creator's node
    (the sequencer) is killed once member 1 has sent half its messages,
    and the others must reset and go on."""
    nmem = len(switches)
    nodes = []
    codes = []
    t0 = time.monotonic()
    try:
        for i, sw in enumerate(switches):
            role = ("create" if i == 0 else "") + (" reset" if kill else "")
            args = ("member %s %d %d %s" % (name, nmem, nsend, role)).strip()
            n = Node("g%d" % i, append="node=g%d init=test_group %s" % (i, args),
                     nics=[("e1000", sw)])
            n.start()
            if i == 0:
                n.expect(r"group: created gid \d+", 60)
            nodes.append(n)
        if kill:
            nodes[1].expect(r"group: half sent", timeout)
            nodes[0].kill()
        for n in nodes[1 if kill else 0:]:
            try:
                codes.append(n.wait_exit(timeout))
            except TimeoutError as e:
                codes.append(None)
                n.log += "\n" + str(e)
    finally:
        for n in nodes:
            n.kill()
    print("# %s: %.0f s" % (what, time.monotonic() - t0))
    for n, code in zip(nodes[1 if kill else 0:], codes):
        lines = re.findall(r"^(?:group|order): .*$", n.log, re.M)
        print("# %s: exit %s; %s" % (n.name, code, "; ".join(lines)))
    logs = "\n".join(n.tail(12) for n in nodes)
    tap.report("%s: %d members, one created, the others joined by port"
               % (what, nmem),
               all("group: %d members" % nmem in n.log for n in nodes), logs)
    if kill:
        nodes = nodes[1:]
    orders = [re.search(r"order: ([0-9a-f]+) bad 0", n.log) for n in nodes]
    if kill:
        tap.report("%s: the survivors got BC_ABORT and grp_reset to %d "
                   "members" % (what, nmem - 1),
                   all(re.search(r"order: .* resets [1-9]", n.log) and
                       "of %d, sequencer" % (nmem - 1) in n.log
                       for n in nodes), logs)
    tap.report("%s: every member delivered all %s messages"
               % (what, "the survivors'" if kill else nmem * nsend),
               all(orders) and codes == [0] * len(nodes), logs)
    tap.report("%s: ... in the same total order on every member" % what,
               all(orders) and len({o.group(1) for o in orders}) == 1, logs)


def main():
    tap = Tap()
    with VdeSwitch() as sw:
        run_group(tap, "one switch", "grpTst", [sw] * 3, 10, 120)
    with VdeSwitch() as sw:
        run_group(tap, "sequencer killed", "grpKil", [sw] * 4, 300, 300,
                  kill=True)
    if "--quick" in sys.argv:
        return tap.done()
    with VdeSwitch() as swa, VdeSwitch() as swb:
        wf = WireFilter(swa, swb, loss=10)
        try:
            run_group(tap, "10 % loss", "grpLos", [swa, swa, swb, swb, swb],
                      2000, 600)
        finally:
            wf.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
