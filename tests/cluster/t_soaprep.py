#!/usr/bin/env python3
# vx-timeout: 900
"""t_soaprep.py - the SOAP directory server replicated on the group layer
(userland/servers/soap/rep.c) across four QEMU nodes on one VDE switch.

r1, r2, r3 each boot a copy of the `make fs-image` disk with
`soaprep=3 monitor`: the kernel starts bullet and `soap -r 3`; r1 finds
no group and creates it, r2 and r3 join and catch up from a living
replica.  The diskless node c runs tests/user/test_soaprep.c:

  - `stream 120 A`: a signed SP_APPEND sent twice is done once, then a
    stream of appends and deletes; half way the test kills the replica
    that serves the client (the one printing `updates from clients`);
    every update is acknowledged and present, or failed to the client,
    none lost or doubled (the client checks its listing);
  - the two survivors agree (the same `soaprep: seq N hash H` line);
  - the killed replica's node is booted again on its own (stale) disk:
    it joins, catches up (state from a living replica) and agrees;
  - `more 20 B` from a new client: all acknowledged, and then all three
    replicas agree again.

Each replica's `soaprep: seq N hash H dirs D` lines are compared; such a
line may follow the monitor's prompt (`rK> `) on the console.

The replica killed is the one serving the client, or the one named by
VX_SOAPREP_VICTIM (r1 is the sequencer; r2 or r3 is the case that once
failed: a replica restarted beside a living sequencer caught up but got
no later update, because the sequencer's FLIP still counted the dead
node's route to the group address as a member's and never located the
new one; grp/ now locates afresh after a JOIN, host test_grp "rejoin").
VX_SOAPREP_LOGS=DIR keeps each node's console log there.
"""
import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, Node, Tap, VdeSwitch  # noqa: E402

# (a line may follow the monitor's prompt "rK> " that has no newline)
STATE = re.compile(r"^(?:\S+> )?soaprep: seq (\d+) hash ([0-9a-f]+) "
                   r"dirs (\d+)$", re.M)


def replica(name, sw, disk):
    return Node(name, append="node=%s soaprep=3 monitor" % name,
                nics=[("e1000", sw)],
                drives=["file=%s,format=raw,if=ide,index=0" % disk])


def client(name, sw, args):
    return Node(name, append="node=%s fswait=60000 init=test_soaprep %s"
                % (name, args), nics=[("e1000", sw)])


def last_state(node):
    node._pump(0)
    m = STATE.findall(node.log)
    return m[-1] if m else None


def agree(nodes, timeout):
    """Wait (bounded) until every node's last state line is the same."""
    deadline = time.monotonic() + timeout
    shown = time.monotonic()
    while True:
        states = [last_state(n) for n in nodes]
        if states[0] is not None and all(s == states[0] for s in states):
            return True, states
        if time.monotonic() > deadline:
            return False, states
        if time.monotonic() - shown > 15:    # progress, for a failure
            shown = time.monotonic()
            print("# still waiting: %s" % [s and s[0] for s in states])
        for n in nodes:
            n._pump(0.2)


def run_client(tap, c, what, timeout):
    try:
        code = c.wait_exit(timeout)
    except TimeoutError as e:
        code = None
        c.log += "\n" + str(e)
    for line in re.findall(r"^(?:(?:not )?ok \d+ - .*|stream: .*|listing: .*"
                           r"|# .*)$", c.log, re.M):
        print("# %s: %s" % (c.name, line))
    tap.report("%s: the client's checks pass (exit 0)" % what, code == 0,
               c.tail(30))


def main():
    tap = Tap()
    with tempfile.TemporaryDirectory(prefix="vx-srep-") as tmp, \
            VdeSwitch() as sw:
        disks = {}
        for r in ("r1", "r2", "r3"):
            disks[r] = os.path.join(tmp, r + ".img")
            shutil.copy(os.path.join(BUILD, "vx-fs.img"), disks[r])
        reps = {}
        extra = []
        try:
            reps["r1"] = replica("r1", sw, disks["r1"]).start()
            reps["r1"].expect(r"soaprep: created the group", 180)
            reps["r1"].expect(STATE.pattern, 60)
            for r in ("r2", "r3"):
                reps[r] = replica(r, sw, disks[r]).start()
            for r in ("r2", "r3"):
                reps[r].expect(r"soaprep: caught up, serving", 180)
            ok, states = agree(list(reps.values()), 60)
            print("# states: %s" % states)
            tap.report("three replicas: r1 created the group, r2 and r3 "
                       "joined and caught up; all agree", ok,
                       "\n".join(n.tail(15) for n in reps.values()))

            c = client("c1", sw, "stream 120 A").start()
            extra.append(c)
            c.expect(r"stream: half", 600)
            victim = None
            for r in ("r1", "r2", "r3"):
                reps[r]._pump(0)
                if "updates from clients" in reps[r].log:
                    victim = r
            victim = os.environ.get("VX_SOAPREP_VICTIM") or victim or "r2"
            print("# killing %s (it served the client)" % victim)
            reps[victim].kill()
            run_client(tap, c, "a replica killed mid-stream", 600)
            alive = [reps[r] for r in reps if r != victim]
            ok, states = agree(alive, 120)
            print("# survivors: %s" % states)
            tap.report("the two survivors agree after the stream", ok,
                       "\n".join(n.tail(20) for n in alive))

            reps[victim] = replica(victim, sw, disks[victim]).start()
            reps[victim].expect(r"soaprep: caught up, serving", 300)
            ok, states = agree(list(reps.values()), 120)
            print("# after the restart: %s" % states)
            tap.report("the restarted replica %s caught up: all three "
                       "agree" % victim, ok,
                       "\n".join(n.tail(20) for n in reps.values()))

            c2 = client("c2", sw, "more 20 B").start()
            extra.append(c2)
            run_client(tap, c2, "updates after the restart", 600)
            ok, states = agree(list(reps.values()), 120)
            print("# at the end: %s" % states)
            tap.report("all three replicas apply the later updates and "
                       "agree", ok,
                       "\n".join(n.tail(20) for n in reps.values()))
        except (TimeoutError, AssertionError) as e:
            tap.report("the scenario ran to the end", False, str(e) + "\n" +
                       "\n".join("== %s\n%s" % (n.name, n.tail(25))
                                 for n in list(reps.values()) + extra))
        finally:
            for n in list(reps.values()) + extra:
                n.kill()
                if os.environ.get("VX_SOAPREP_LOGS"):
                    with open(os.path.join(os.environ["VX_SOAPREP_LOGS"],
                                           n.name + ".log"), "a") as f:
                        f.write(n.log)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
