#!/usr/bin/env python3
# vx-timeout: 1500
"""t_unic.py - remote RPC through the user-space RTL8139 driver.

The server node boots with `usernic=rtl8139`: its kernel leaves the
RTL8139 alone, starts userland/drivers/rtl8139 from the boot image and
makes the kernel's proxy network (kernel/svr/unicsvr.c) a FLIP network
whose frames go through that process.  The client node uses the kernel's
own e1000 driver.  Cases: echo 0 B .. 1 MiB and 2000 at-most-once
transactions through the user driver (the same kernel halves as
t_rpc.py); the driver process killed under load (`unickill=`): the
watchdog restarts it, and the client sees at most RPC_FAILURE for a
transaction in flight, then every transaction succeeds; a bad usernic=
value is refused with a clear line and the node boots without it.
The driver's frames go over the local IPC (its hello is seen there).
`t_unic.py NAME...` runs the tests whose names contain NAME.  Prints
ok/not ok lines and a closing "N passed, N failed" line.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import Node, Tap, VdeSwitch, closing_line  # noqa: E402

tap = Tap(tail=40)
report = tap.report


def user_server(name, sw, extra=""):
    """A node serving the echo port through the user-space driver."""
    s = Node(name, append="node=%s usernic=rtl8139 ktest=net_echo_server %s"
             % (name, extra), nics=[("rtl8139", sw)])
    s.start()
    s.expect(r"rtl8139: .* left to user space", 60)
    s.expect(r"unic: hello over the local IPC", 120)
    s.expect(r"knet: user rtl8139 \S+ is FLIP network \d+", 60)
    s.expect(r"rtl8139: user driver up", 60)
    return s


def run_client(name, sw, append, timeout=300):
    c = Node(name, append="node=%s %s" % (name, append), nics=[("e1000", sw)])
    c.start()
    try:
        code = c.wait_exit(timeout)
    except TimeoutError as e:
        c.kill()
        return False, str(e)
    return code == 0 and closing_line(c.log) == (1, 0), c.log


def test_echo_sizes():
    with VdeSwitch() as sw:
        s = user_server("usrv", sw)
        try:
            ok, log = run_client("ucli", sw, "ktest=net_echo_client")
            report("remote RPC through the user-space rtl8139, 0 B to 1 MiB",
                   ok, log + "\n--- server\n" + s.tail(20))
        finally:
            s.kill()


def test_at_most_once():
    with VdeSwitch() as sw:
        s = user_server("usrv", sw)
        try:
            ok, log = run_client("ucnt", sw,
                                 "ktest=net_echo_count netcount=2000", 600)
            report("2000 transactions through the user driver, each "
                   "executed once", ok, log + "\n--- server\n" + s.tail(20))
        finally:
            s.kill()


def test_driver_killed():
    """The driver is killed under load; restarted; the node serves on."""
    name = ("driver killed under load: restarted, at most RPC_FAILURE in "
            "flight, then every trans succeeds")
    with VdeSwitch() as sw:
        s = user_server("usrv", sw, "unickill=2000")
        try:
            ok, log = run_client("ukill", sw,
                                 "ktest=net_echo_survive netcount=3000 "
                                 "netfail=3", 900)
            try:   # the server's console is read only on demand
                s.expect(r"unic: killing driver rtl8139 after \d+ frames", 30)
                s.expect(r"(?s)ended \(killed.*unic: hello over the local "
                         r"IPC.*rtl8139: user driver up", 60)
                restarted = True
            except (TimeoutError, AssertionError):
                restarted = False
            m = re.search(r"survive: (\d+) failed", log)
            if m:
                print("# %s transactions failed around the kill" % m.group(1))
            report(name, ok and restarted,
                   log + "\n--- server\n" + s.tail(30))
        finally:
            s.kill()


def test_bad_option():
    n = Node("ubad", append="node=ubad usernic=ne2000 monitor",
             nics=[])
    n.start()
    try:
        n.expect(r"unic: usernic=ne2000: no user-space driver", 60)
        n.expect(r"vx: ready ubad", 60)
        report("usernic= with an unknown model: a clear line, no driver",
               True)
    except (TimeoutError, AssertionError) as e:
        report("usernic= with an unknown model: a clear line, no driver",
               False, str(e) + "\n" + n.tail(20))
    finally:
        n.kill()


TESTS = [test_echo_sizes, test_at_most_once, test_driver_killed,
         test_bad_option]


def main():
    want = sys.argv[1:]
    for t in TESTS:
        if not want or any(w in t.__name__ for w in want):
            t()
    if not tap.results:
        tap.report("a test ran (names: %s)" % " ".join(want), False)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
