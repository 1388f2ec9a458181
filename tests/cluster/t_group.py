#!/usr/bin/env python3
"""t_group.py - group communication across nodes, from user programs.

Three nodes on a private VDE switch run tests/user/test_group.c as one
member each: node A creates the group (resilience 1), B and C join it by
its port alone, every member sends 10 messages at once, and every member
must deliver all 30 in the same total order (the same order hash).
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import Node, Tap, VdeSwitch  # noqa: E402

NAME, NMEM, NSEND = "grpTst", 3, 10


def main():
    tap = Tap()
    with VdeSwitch() as sw:
        nodes = []
        for i, role in enumerate(["create", "", ""]):
            args = "member %s %d %d %s" % (NAME, NMEM, NSEND, role)
            n = Node("g%d" % i, append="node=g%d init=test_group %s"
                     % (i, args.strip()), nics=[("e1000", sw)])
            n.start()
            if role == "create":
                n.expect(r"group: created gid \d+", 60)
            nodes.append(n)
        codes = []
        for n in nodes:
            try:
                codes.append(n.wait_exit(120))
            except TimeoutError as e:
                codes.append(None)
                n.log += "\n" + str(e)
        orders = [re.search(r"order: ([0-9a-f]+) bad 0", n.log)
                  for n in nodes]
        logs = "\n".join(n.tail(15) for n in nodes)
        tap.report("three members: one created, two joined by port",
                   all("group: 3 members" in n.log for n in nodes), logs)
        tap.report("every member delivered all 30 messages",
                   all(orders) and codes == [0, 0, 0], logs)
        tap.report("... in the same total order on every member",
                   all(orders) and len({o.group(1) for o in orders}) == 1,
                   logs)
        for n in nodes:
            n.kill()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
