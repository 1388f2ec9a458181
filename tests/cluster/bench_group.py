#!/usr/bin/env python3
"""bench_group.py - group communication between QEMU nodes (make bench).

For each configuration (members, resilience) a private VDE switch gets
that many nodes running tests/user/test_group.c in its bench mode: the
creator times null sends until it delivers its own message, then 1 KiB
and 8 KiB messages; the others deliver.  Prints the creator's
`bench: grp_* VALUE UNIT` lines; exits 0 when every configuration ran.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import Node, VdeSwitch  # noqa: E402

CONFIGS = [(3, 0), (3, 1), (3, 2), (5, 0)]
BENCH = re.compile(r"^bench: (\S+) (\S+) (\S+)", re.M)


def run(nmem, r, idx):
    name = "gB%d" % idx
    with VdeSwitch() as sw:
        nodes = []
        try:
            for i in range(nmem):
                role = "create" if i == 0 else ""
                n = Node("g%d" % i, append=("node=g%d init=test_group bench "
                                            "%s %d %d %s" % (i, name, nmem,
                                                             r, role)).strip(),
                         nics=[("e1000", sw)])
                n.start()
                if i == 0:
                    n.expect(r"group: created gid \d+", 60)
                nodes.append(n)
            code = nodes[0].wait_exit(300)
            lines = BENCH.findall(nodes[0].log)
            if code != 0 or not lines:
                sys.stderr.write(nodes[0].tail(20) + "\n")
                return False
            for name_, value, unit in lines:
                print("bench: %s %s %s" % (name_, value, unit))
            return True
        except (TimeoutError, AssertionError) as e:
            sys.stderr.write("%s\n" % e)
            return False
        finally:
            for n in nodes:
                n.kill()


def main():
    ok = all([run(m, r, i) for i, (m, r) in enumerate(CONFIGS)])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
