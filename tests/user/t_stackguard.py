#!/usr/bin/env python3
"""t_stackguard.py - thread stacks have guard pages.

Boots `init=test_stackovf`: a thread with a 16 KiB stack recurses with
1 KiB frames.  The process must end with a page fault at an address just
below that thread's stack (its guard page), promptly and without the
node hanging; nothing may be overwritten first.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import Node, Tap  # noqa: E402


def main():
    tap = Tap()
    n = Node("stk", append="init=test_stackovf")
    n.start()
    try:
        code = n.wait_exit(60)
    except TimeoutError as e:
        code, n.log = None, n.log + "\n" + str(e)
    tap.report("the thread runs on its own stack", "ok 1 - " in n.log,
               n.log)
    fault = re.search(r"fault: page fault \(trap 14\) at eip \S+ addr "
                      r"(0x[0-9a-f]+)", n.log)
    near = re.search(r"stack: near (0x[0-9a-f]+)", n.log)
    ok = fault is not None and near is not None and \
        0 < int(near.group(1), 16) - int(fault.group(1), 16) <= 20 * 1024
    tap.report("overrun: page fault in the guard page below the stack",
               ok, n.log)
    tap.report("the process ends with its fault report (no hang)",
               code == 1 and "vx: init exited fault 14" in n.log, n.log)
    tap.report("nothing was overwritten before the fault",
               "overwrote" not in n.log, n.log)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
