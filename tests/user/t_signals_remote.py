#!/usr/bin/env python3
# vx-timeout: 600
"""t_signals_remote.py - signals to a process on another node through its
process server (PS_SIGNAL): pro_signal and `kill -s signal`.

Two nodes on a private VDE switch.  Node "tgt" runs
`test_signals_remote target` as init: it catches signal 76 in its main
thread and 77 in its main thread and in a worker blocked in getreq, and
prints its pid.  Node "snd" runs the kernel monitor; the script types:

1. `test_signals_remote send tgt PID`: pro_signal's answers for bad
   signals, a capability without the kill right and a damaged one, then
   signal 76: the target's main thread catches it, its worker (no
   catcher for 76) stays in getreq;
2. `kill -s 77 tgt:PID`: both threads catch it, the worker's getreq
   ends with RPC_ABORTED;
3. bad input: `kill -s 0`, a pid tgt does not run;
4. `kill -s 78 tgt:PID`: nobody catches 78, so the process is stunned
   with detail 78 (Amoeba's default); without an owner it ends with
   status 78, which the kernel reports ("vx: init exited 78").
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vxqemu import Node, Tap, VdeSwitch, monitor_run as run  # noqa: E402

tap = Tap(tail=40)
PROG = "test_signals_remote"


def case(node, line, want, texts, timeout=60):
    status, out = run(node, line, timeout)
    missing = [t for t in texts if t not in out]
    tap.report("%s: %s -> exit %d" % (node.name, line, want),
               status == want and not missing,
               "exit %s, missing %r\n%s" % (status, missing, out))
    return out


def expect(node, pattern, what, timeout=30):
    try:
        node.expect(pattern, timeout)
        tap.report(what, True)
        return True
    except (AssertionError, TimeoutError) as e:
        tap.report(what, False, str(e))
        return False


def session(tgt, snd):
    m = tgt.expect(r"^%s: pid (\d+) ready$" % PROG, 120)
    pid = int(m.group(1))
    snd.expect(r"^snd> ", 120)
    out = case(snd, "%s send tgt %d" % (PROG, pid), 0, ["7 passed, 0 failed"])
    tap.report("the sender's own checks passed",
               re.search(r"^not ok", out, re.M) is None, out)
    expect(tgt, r"^%s: main thread caught 76, worker still in getreq$" % PROG,
           "pro_signal 76: the main thread caught it, the worker (no "
           "catcher for 76) is still in getreq")
    case(snd, "kill -s 77 tgt:%d" % pid, 0, [])
    expect(tgt, r"^%s: main thread caught 77$" % PROG,
           "kill -s 77: the main thread caught it")
    expect(tgt, r"^%s: worker's getreq ended with RPC_ABORTED, caught 77: "
           r"yes$" % PROG,
           "kill -s 77: the worker's getreq ended with RPC_ABORTED, its "
           "catcher ran")
    case(snd, "kill -s 0 tgt:%d" % pid, 2,
         ["usage: kill [-s signal] node:pid"])
    case(snd, "kill -s 77 tgt:%d" % (pid + 100), 1,
         ["kill: tgt:%d: no such process" % (pid + 100)])
    expect(tgt, r"^%s: all caught, waiting for 78$" % PROG,
           "the target waits for 78")
    case(snd, "kill -s 78 tgt:%d" % pid, 0, [])
    expect(tgt, r"^vx: init exited 78$",
           "kill -s 78, caught by nobody: the process is stunned with "
           "detail 78 and ends with status 78")
    try:
        code = tgt.wait_exit(30)
    except TimeoutError as e:
        code = str(e)
    tap.report("node tgt's QEMU exits with the init's status 78",
               code == 78, "exit code %r" % (code,))


def main():
    with VdeSwitch() as sw:
        tgt = Node("tgt", append="node=tgt init=%s target" % PROG,
                   nics=[("e1000", sw)])
        snd = Node("snd", append="node=snd monitor", nics=[("e1000", sw)])
        tgt.name, snd.name = "tgt", "snd"
        try:
            tgt.start()
            snd.start()
            session(tgt, snd)
        except (TimeoutError, AssertionError) as e:
            tap.report("the nodes ran to the end", False,
                       str(e) + "\n" + tgt.log[-3000:] + "\n" +
                       snd.log[-3000:])
        finally:
            tgt.kill()
            snd.kill()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
