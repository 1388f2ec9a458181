#!/usr/bin/env python3
# vx-timeout: 400
"""t_powercut.py - files survive power cuts (issue 9 item 9).

A node boots on a copy of the `make fs-image` disk, opened by QEMU with
cache=writethrough (every write the guest sees completed is in the host
file), so killing QEMU is a power cut that loses exactly what the disk
had not acknowledged.  The kernel starts Bullet and SOAP; init is
`test_powercut run SEED`, which first prints the state of /pc, BS_FSCK's
count and the check of the one file committed but not yet named, then
creates, modifies (BS_SAFETY commits, sp_replace), renames (sp_append or
sp_replace onto the new name, sp_delete of the old) and deletes files,
printing each step before it starts and each acknowledgement after it.
This script kills QEMU at a random instant, boots again and compares:

- every name whose update was acknowledged holds exactly the content
  acknowledged last (an update in flight may have happened or not);
- no other name exists (nothing else changed);
- a file committed with BS_SAFETY (acknowledged) but not yet named
  holds its exact content;
- the boot-time check cleared no inode and BS_FSCK finds 0 problems.

    t_powercut.py [--cuts N] [--seed S]   N cuts (default 20)

The last line before the closing one is the summary:
    powercut: cuts N, files checked F, files lost L
"""
import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, Node  # noqa: E402

results = []


def check(ok, name):
    results.append(bool(ok))
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), name))
    sys.stdout.flush()
    return ok


class Model:
    """What the acknowledged operations say the disk holds."""

    def __init__(self):
        self.names = {}       # name -> hash of its acknowledged content
        self.inflight = None  # (op, name, hash) begun, not acknowledged
        self.commit = None    # (cap, size, hash) committed, not yet named

    def feed(self, lines):
        """Apply the complete lines of one run's log."""
        for line in lines:
            w = line.split()
            if not w:
                continue
            if w[0] == "begin":
                self.inflight = (w[1], w[2], w[3] if len(w) > 3 else None)
            elif w[0] == "commit":
                self.commit = (w[1], w[2], w[3])
            elif w[0] == "ack" and w[1] in ("add", "set"):
                self.names[w[2]] = w[3]
                self.inflight = self.commit = None
            elif w[0] == "ack" and w[1] == "del":
                self.names.pop(w[2], None)
                self.inflight = None

    def allowed(self, name):
        """The hashes name may have now (None: absent)."""
        ok = {self.names.get(name)}
        if self.inflight and self.inflight[1] == name:
            op, _, h = self.inflight
            ok.add(None if op == "del" else h)
        return ok

    def settle(self, state):
        """After a boot: the in-flight update's outcome is what is seen."""
        if self.inflight:
            name = self.inflight[1]
            if state.get(name) is None:
                self.names.pop(name, None)
            else:
                self.names[name] = state[name]
        self.inflight = None


def complete_lines(log):
    """Lines of the guest's output that were printed whole."""
    text = log if log.endswith("\n") else log[:log.rfind("\n") + 1]
    return text.splitlines()


def boot(disk, args):
    n = Node("pc", append="node=pc init=test_powercut " + args,
             drives=["file=%s,format=raw,if=ide,index=0,"
                     "cache=writethrough" % disk])
    n.start()
    return n


def read_state(n):
    """The state lines the program prints at start; None if it failed."""
    n.expect(r"^# state done", 120)
    state, fsck, capcheck = {}, None, None
    for line in n.log.splitlines():
        w = line.split()
        if len(w) >= 3 and w[0] == "state":
            state[w[1]] = w[3] if len(w) > 3 else "unreadable"
        elif len(w) == 2 and w[0] == "fsck":
            fsck = int(w[1])
        elif len(w) == 2 and w[0] == "capcheck":
            capcheck = w[1]
    cleared = re.search(r"^bullet: \S+: \d+ files, (\d+) inodes cleared",
                        n.log, re.M)
    return state, fsck, capcheck, int(cleared.group(1)) if cleared else None


class Tally:
    def __init__(self):
        self.cuts = self.checked = self.lost = self.extra = 0
        self.bad_fsck = self.acks = 0


def compare(model, state, fsck, capcheck, cleared, t):
    """Check one boot's state against the model; returns problems."""
    problems = []
    for name in sorted(set(model.names) | set(state) |
                       ({model.inflight[1]} if model.inflight else set())):
        have = state.get(name)
        if have is None and name not in model.names:
            continue
        t.checked += 1
        if have not in model.allowed(name):
            problems.append("%s is %s, expected one of %s"
                            % (name, have, model.allowed(name)))
            if name in model.names:
                t.lost += 1
            else:
                t.extra += 1
    if model.commit:
        t.checked += 1
        if capcheck != "ok":
            t.lost += 1
            problems.append("committed file %s: %s" % (model.commit[0],
                                                       capcheck))
    if fsck != 0 or cleared != 0:
        t.bad_fsck += 1
        problems.append("fsck %s, boot check cleared %s" % (fsck, cleared))
    return problems


def one_cycle(disk, model, rnd, t, last):
    """Boot, check the state, run until a random cut (or exit if last)."""
    cap = " ".join(model.commit) if model.commit else ""
    args = ("check " + cap) if last else \
        "run %d %s" % (rnd.randrange(1, 1 << 30), cap)
    n = boot(disk, args)
    try:
        state, fsck, capcheck, cleared = read_state(n)
        problems = compare(model, state, fsck, capcheck, cleared, t)
        model.settle(state)
        if model.commit and capcheck == "ok":
            model.commit = None   # known to be there; now unnamed garbage
        if last:
            n.wait_exit(60)
            return problems
        n.expect(r"^# workload$", 60)
        time.sleep(rnd.uniform(0.05, 2.5))  # the random instant of the cut
    finally:
        n.kill()
    if "# workload failed" in n.log:
        problems.append("workload failed: " + n.tail(5))
    start = n.log.find("# workload\n")
    lines = complete_lines(n.log[start:])
    t.acks += sum(1 for x in lines if x.startswith("ack "))
    model.feed(lines)
    t.cuts += 1
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cuts", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    print("# seed %d" % seed)
    rnd = random.Random(seed)
    t = Tally()
    model = Model()
    with tempfile.TemporaryDirectory(prefix="vx-pcut-") as tmp:
        disk = os.path.join(tmp, "fs.img")
        shutil.copy(os.path.join(BUILD, "vx-fs.img"), disk)
        for i in range(a.cuts + 1):
            try:
                problems = one_cycle(disk, model, rnd, t, i == a.cuts)
            except (TimeoutError, AssertionError) as e:
                problems = ["boot %d: %s" % (i, e)]
            what = "cut %d" % i if i < a.cuts else "final boot"
            check(not problems, "%s: acknowledged files and names intact, "
                  "disk consistent" % what)
            for p in problems:
                print("#   " + p)
            if problems and "boot" in problems[0]:
                break
    print("powercut: cuts %d, files checked %d, files lost %d, "
          "unexpected names %d, inconsistent disks %d, name updates "
          "acknowledged %d" % (t.cuts, t.checked, t.lost, t.extra,
                               t.bad_fsck, t.acks))
    check(t.cuts == a.cuts, "%d power cuts made" % a.cuts)
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
