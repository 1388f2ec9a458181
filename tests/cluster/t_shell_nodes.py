#!/usr/bin/env python3
# vx-timeout: 400
"""t_shell_nodes.py - the shell across two nodes on a private VDE switch:
node alpha boots a copy of the `make fs-image` disk with init=sh, node
beta is diskless (its monitor on its console).  From alpha's shell:

- `-m beta cat FILE | cat`: the writer on beta, the reader on alpha;
- `echo ... | -m beta cat > FILE`: a built-in into a reader on beta,
  its output into a file on alpha's file server;
- a pipeline of three whose middle runs on beta;
- `-m beta sleep 3 &`: beta's monitor `ps` shows sleep running there
  (the command ran on beta, not on alpha), and `wait` collects it;
- $VXHOST=beta makes beta the default node for programs;
- `-m` with a node that does not exist: a message and status 126.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, Node, Tap, VdeSwitch  # noqa: E402
from vxshell import Shell  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

tap = Tap()


def expect(sh, line, want, name, exact=True, timeout=60):
    try:
        out = sh.run(line, timeout)
    except (TimeoutError, AssertionError) as e:
        tap.report(name, False, str(e))
        return None
    ok = out == want if exact else re.search(want, out, re.M) is not None
    tap.report(name, ok, "typed: %r\ngot: %r\nwanted: %r" % (line, out, want))
    return out


def ps_shows(node, what):
    """Type ps at node's monitor; whether a line names what."""
    start = len(node.log)
    node.send("ps\n")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if re.search(r"\b%s\b" % what, node.log[start:]):
            return True
        node._pump(0.2)
    return False


def session(sh, beta):
    expect(sh, "echo one > /tmp/x; echo two >> /tmp/x", "", "a file on alpha")
    expect(sh, "-m beta cat /tmp/x | cat", "one\ntwo\n",
           "writer on beta, reader on alpha")
    expect(sh, "echo across | -m beta cat > /tmp/y; cat /tmp/y", "across\n",
           "a built-in into a reader on beta, into a file")
    expect(sh, "cat /tmp/x | -m beta cat | cat", "one\ntwo\n",
           "the middle of three on beta")
    expect(sh, "-m beta sleep 3 &", r"^\[1\] -m beta sleep 3$", "a job on beta",
           exact=False)
    tap.report("beta's ps shows sleep", ps_shows(beta, "sleep"), beta.tail())
    expect(sh, "wait", r"^\[1\] Done  -m beta sleep 3$", "wait collects it",
           exact=False)
    expect(sh, "VXHOST=beta; sleep 3 &", r"^\[1\] sleep 3$",
           "VXHOST=beta: a job", exact=False)
    tap.report("VXHOST: beta's ps shows sleep", ps_shows(beta, "sleep"),
               beta.tail())
    expect(sh, "wait; unset VXHOST", r"Done", "wait for it", exact=False)
    expect(sh, "-m nowhere cat /tmp/x; echo $?",
           r"^sh: nowhere: no such node.*\n126$", "-m with an unknown node",
           exact=False)


def main():
    with tempfile.TemporaryDirectory(prefix="vx-shn-") as tmp, \
            VdeSwitch() as sw:
        disk = os.path.join(tmp, "fs.img")
        shutil.copy(os.path.join(BUILD, "vx-fs.img"), disk)
        alpha = Node("alpha", append="node=alpha init=sh", nics=[("e1000", sw)],
                     drives=["file=%s,format=raw,if=ide,index=0" % disk])
        beta = Node("beta", append="node=beta monitor", nics=[("e1000", sw)])
        try:
            alpha.start()
            beta.start()
            beta.expect(r"VX monitor on beta", 120)
            sh = Shell(alpha, start=False)
            session(sh, beta)
            tap.report("exit", sh.exit("exit 0") == 0, alpha.tail())
        except (TimeoutError, AssertionError) as e:
            tap.report("the session ran to the end", False, str(e))
        finally:
            alpha.kill()
            beta.kill()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
