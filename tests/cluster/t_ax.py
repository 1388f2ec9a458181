#!/usr/bin/env python3
# vx-timeout: 600
"""t_ax.py - programs on any node: ax, aps, kill and stun on three nodes.

Three nodes on a private VDE switch: n0 with a small file-system disk
(boot/mkfsimg.sh: /bin/hello, /bin/test_exec, /home/notexec), whose
kernel starts the Bullet and SOAP servers at boot; n1 and n2 without a
disk, which find n0's directory server.  Each node enters itself as
/hosts/NODE.  The nodes run the kernel monitor; the script types
`run ax ...` (ax, aps, kill come from the boot image, the programs they
start from n0's /bin) and reads each command's output and the monitor's
"[NAME: exit N]" line:

1. `ax -m nK hello ...` from n0 on each of the three nodes, and from n1
   onto n2: the program's output on the caller's console, exit 0; an
   exit status (test_exec child with the wrong arguments exits 10) is
   ax's; a fault gives a message and 128 + 14; ax without -m;
2. aps lists processes of all three nodes (a sleeping test_exec on n2,
   started by ax on n1, with its owner); a node that does not answer is
   listed as down;
3. kill by program name and by node:pid (from aps), stun: the ax on n1
   reports the stun and its detail;
4. bad input: unknown node, unknown program, not an executable, usage;
5. n2 is switched off while an ax on n1 waits for a program on it: that
   ax ends with a message, and aps lists n2 as down.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vxqemu import (Tap, fs_cluster, monitor_case,  # noqa: E402
                    monitor_run as run, monitor_wait as wait_done)

tap = Tap(tail=40)


def case(node, line, want, texts, timeout=60):
    return monitor_case(tap, node, line, want, texts, timeout)


def notexec(fsdir):
    with open(os.path.join(fsdir, "notexec"), "w") as f:
        f.write("not an executable\n")


def start_sleeper(caller, node):
    """`ax -m node test_exec sleep` on caller, not waited for."""
    pos = len(caller.log)
    caller.send("run ax -m %s test_exec sleep\r" % node)
    return pos


def sleeper_pid(n0, node):
    """The pid of test_exec on node, from aps on n0 (or None)."""
    for _ in range(20):  # until ax on the other node has started it
        status, out = run(n0, "aps %s" % node)
        m = re.search(r"^%s\s+(\d+)\s+test_exec\s+running\s+\d+\s+\d+\s+yes"
                      % node, out, re.M)
        if m:
            return int(m.group(1)), out
    return None, out


def session(n0, n1, n2):
    for k in ("n0", "n1", "n2"):
        case(n0, "ax -m %s hello on-%s" % (k, k), 0,
             ["hello from VX user space", "argv[1] = on-%s" % k,
              "VX_NODE=%s" % k])
    case(n1, "ax -m n2 hello from-n1", 0, ["argv[1] = from-n1"])
    case(n0, "ax -m n1 test_exec child x", 10, [])
    case(n2, "ax -m n1 test_exec fault", 142,
         ["ax: test_exec: fault (exception 14)"])
    case(n2, "ax hello any", 0, ["argv[1] = any"])
    case(n0, "ax -s 128k -m n2 hello big", 0, ["argv[1] = big"])

    pos = start_sleeper(n1, "n2")
    pid, out = sleeper_pid(n0, "n2")
    tap.report("aps n2 shows test_exec started by ax on n1, with owner",
               pid is not None, out)
    out = case(n0, "aps", 0, ["NODE", "PROGRAM"])
    for k in ("n0", "n1", "n2"):
        tap.report("aps lists processes of %s" % k,
                   re.search(r"^%s\s+\d+\s+\S+\s+running" % k, out, re.M)
                   is not None, out)
    tap.report("aps shows n0's servers (bullet, soap)",
               re.search(r"^n0\s+\d+\s+bullet\s", out, re.M) and
               re.search(r"^n0\s+\d+\s+soap\s", out, re.M), out)
    case(n0, "aps n2 nosuchnode", 1, ["down"])
    case(n0, "kill test_exec", 0, [])
    status, out = wait_done(n1, pos, 30)
    tap.report("kill by name: the ax on n1 reports the stun (exit 137)",
               status == 137 and "ax: test_exec: stunned (detail 9)" in out,
               "exit %s\n%s" % (status, out))

    pos = start_sleeper(n1, "n2")
    pid, out = sleeper_pid(n0, "n2")
    if pid is None:
        tap.report("second sleeper started", False, out)
    else:
        case(n2, "kill -s 5 n2:%d" % pid, 0, [])
        status, out = wait_done(n1, pos, 30)
        tap.report("kill -s 5 node:pid: the ax on n1 exits 133",
                   status == 133 and "stunned (detail 5)" in out,
                   "exit %s\n%s" % (status, out))

    pos = start_sleeper(n1, "n0")
    pid, out = sleeper_pid(n2, "n0")
    if pid is None:
        tap.report("third sleeper started", False, out)
    else:
        case(n2, "stun n0:%d" % pid, 0, [])
        status, out = wait_done(n1, pos, 30)
        tap.report("stun node:pid ends the program on n0", status == 137,
                   "exit %s\n%s" % (status, out))

    case(n0, "ax -m nosuchnode hello", 1, ["ax: node nosuchnode: not found"])
    case(n0, "ax -m n1 nosuchprog", 1, ["ax: nosuchprog: not found"])
    case(n1, "ax -m n2 /home/notexec", 1,
         ["ax: /home/notexec: not an executable"])
    case(n0, "ax", 2, ["usage: ax [-m node | -near object] [-s stacksize] "
                         "program"])
    case(n0, "ax -s zz hello", 2, ["usage: ax"])
    case(n0, "kill nosuchprog", 1, ["kill: nosuchprog: no such process"])
    case(n0, "kill nosuchnode:3", 1,
         ["kill: nosuchnode:3: unknown node or node down"])
    case(n0, "kill n1:77", 1, ["kill: n1:77: no such process"])
    case(n0, "kill", 2, ["usage: kill [-s signal] node:pid | program"])
    case(n0, "aps -z", 2, ["usage: aps [-a] [-c] [node ...]"])

    pos = start_sleeper(n1, "n2")
    pid, out = sleeper_pid(n0, "n2")
    tap.report("a sleeper on n2 before n2 goes down", pid is not None, out)
    n2.kill()
    status, out = wait_done(n1, pos, 60)
    tap.report("n2 down: the ax on n1 waiting for it ends (exit 1, "
               "its node is down)", status == 1 and
               "ax: test_exec: its node is down" in out,
               "exit %s\n%s" % (status, out))
    case(n0, "aps", 1, ["down"], timeout=90)


def main():
    return fs_cluster(tap, "vx-ax-", ("n0", "n1", "n2"),
                      lambda nodes, *_: session(*nodes),
                      ("hello", "test_exec"), notexec)


if __name__ == "__main__":
    sys.exit(main())
