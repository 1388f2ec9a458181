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
  - three members sending 200 messages each (100 ms apart) while a
    fourth node joins, delivers 40 messages, leaves, and does it again:
    each of its two runs is a contiguous run of the members' one
    sequence;
  - three members sending 300 messages each (100 ms apart) while a
    storm of malformed group frames (class Storm) hits the switch;
  - five nodes on two switches joined by vde2's wirefilter dropping 10 %
    of the frames between them, 2,000 messages each (about 100 s; left
    out with `--quick`).

The members end with a DONE round and grp_leave, so that no member's
exit (the sequencer's least) comes before every member delivered all.
"""
import os
import random
import re
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import Node, Tap, VdeSwitch, WireFilter  # noqa: E402


def run_group(tap, what, name, switches, nsend, timeout, kill=False,
              storm=False):
    """One member per switch in switches; with kill, the creator's node
    (the sequencer) is killed once member 1 has sent half its messages,
    and the others must reset and go on; with storm, malformed group
    frames are sent on the first switch the whole time (the members
    sending 100 ms apart, so that it hits the traffic for its length)."""
    nmem = len(switches)
    nodes = []
    codes = []
    st = None
    t0 = time.monotonic()
    try:
        for i, sw in enumerate(switches):
            role = ("create" if i == 0 else "") + (" reset" if kill else "") \
                + (" pace" if storm else "")
            args = ("member %s %d %d %s" % (name, nmem, nsend, role)).strip()
            n = Node("g%d" % i, append="node=g%d init=test_group %s" % (i, args),
                     nics=[("e1000", sw)])
            n.start()
            if i == 0:
                n.expect(r"group: created gid \d+", 60)
            nodes.append(n)
        if storm:
            for n in nodes:
                n.expect(r"group: %d members" % nmem, 120)
            st = Storm(switches[0])
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
        if st:
            sent = st.stop()
            print("# %s: %d malformed frames sent (from %d seen)"
                  % (what, sent, len(st.seen)))
            tap.report("%s: the storm ran (over 1000 frames)" % what,
                       sent > 1000)
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


class HubSwitch(VdeSwitch):
    """A VDE switch acting as a hub (-x): every frame reaches every port,
    so the storm sees the unicast group traffic too, and frames sent with
    a member's MAC do not move that MAC to the storm's port."""

    def start(self):
        self.proc = subprocess.Popen(
            ["vde_switch", "-x", "-sock", self.sock, "-mgmt",
             os.path.join(self.dir, "vde.mgmt")],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        for _ in range(100):
            if os.path.exists(os.path.join(self.sock, "ctl")):
                return self
            time.sleep(0.02)                # the switch's socket appears
        raise RuntimeError("vde_switch did not come up")


class Storm:
    """Malformed group frames on a VDE switch, through vde_plug (frames on
    its stdin/stdout, each after a 2-byte big-endian length).  It keeps
    the FLIP frames it sees and sends them back changed: random bytes
    after the group header (the group header kept, so only a duplicate
    of what was sent), lying FLIP sizes and offsets, sequence numbers
    far outside any window, random types, members and incarnations,
    the byte-order flags, truncated frames, random frames; and some
    unchanged duplicates.  Never a plausible new message: that would be
    a forgery, which no unauthenticated protocol can refuse: so the
    group header is kept with random contents only on data messages
    (BCASTREQ, BCAST) seen over a second ago (long ordered: a
    duplicate), other random contents come with a random type, member
    and incarnation, and the storm starts once every member has joined
    (join frames replayed with changed addresses would be joins)."""

    ETH, FC, FLIPHDR = 14, 2, 40
    BC = ETH + FC + FLIPHDR             # the group header's offset

    KINDS = tuple(range(8))

    def __init__(self, sw, seed=11, rate=500):
        self.rng = random.Random(seed)
        self.rate = rate
        self.seen = []
        self.sent = 0
        self.stop_ev = threading.Event()
        self.proc = subprocess.Popen(["vde_plug", sw.sock],
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.rd = threading.Thread(target=self._read, daemon=True)
        self.wr = threading.Thread(target=self._write, daemon=True)
        self.rd.start()
        self.wr.start()

    def _read(self):
        out = self.proc.stdout
        while not self.stop_ev.is_set():
            hdr = out.read(2)
            if len(hdr) < 2:
                return
            n = struct.unpack(">H", hdr)[0]
            f = out.read(n)
            if len(f) >= self.BC + 20 and f[12:14] == b"\x81\x46" and \
                    f[14] == 0:
                got = (time.monotonic(), f)
                if len(self.seen) < 200:
                    self.seen.append(got)
                else:
                    self.seen[self.rng.randrange(200)] = got

    def _mutate(self, seen):
        r = self.rng
        f = bytearray(seen[1])     # from the sender's own MAC: FLIP takes
        #                             the source MAC as the address's place
        kind = r.choice(self.KINDS)
        if kind == 0 and (time.monotonic() - seen[0] < 1.0 or
                          f[self.BC] not in (6, 7)):
            kind = 2    # too young or no BCAST: random contents would be
            #             a well-formed message (a join, a state) forged
        bc = self.BC
        if kind == 0:                       # random bytes after bchdr
            for i in range(bc + 20, len(f)):
                f[i] = r.randrange(256)
        elif kind == 1:                     # seqno far out of any window
            seq = struct.unpack_from("<I", f, bc + 8)[0]
            far = r.choice([0xffffffff, 0x7fffffff, seq + 100000 + r.randrange(1 << 20),
                            (seq - 50000) & 0xffffffff])
            struct.pack_into("<I", f, bc + 8, far & 0xffffffff)
            struct.pack_into("<I", f, bc + 16, r.randrange(1 << 32))
        elif kind == 2:                     # type, member, incarnation
            f[bc] = r.randrange(256)
            struct.pack_into("<HH", f, bc + 4, r.randrange(1 << 16),
                             r.randrange(1 << 16))
            for i in range(bc + 20, len(f)):
                f[i] = r.randrange(256)
        elif kind == 3:                     # lying FLIP sizes
            off = self.ETH + self.FC
            struct.pack_into("<III", f, off + 28, r.randrange(1 << 32),
                             r.choice([0, r.randrange(1 << 32)]),
                             r.randrange(1 << 32))
        elif kind == 4:                     # cut short
            f = f[:r.randrange(self.ETH, len(f))]
        elif kind == 5:                     # random after the fc header
            for i in range(self.ETH + self.FC, len(f)):
                f[i] = r.randrange(256)
        elif kind == 6:                     # the byte-order flags
            f[self.ETH + self.FC + 2] ^= 1
            f[bc + 1] ^= 1
        return bytes(f)                     # kind 7: a duplicate

    def _write(self):
        while not self.stop_ev.is_set():
            if self.seen:
                f = self._mutate(self.rng.choice(self.seen))
                if len(f) < 60:
                    f += bytes(60 - len(f))
                try:
                    self.proc.stdin.write(struct.pack(">H", len(f)) + f)
                    self.proc.stdin.flush()
                except OSError:
                    return
                self.sent += 1
            self.stop_ev.wait(1.0 / self.rate)   # the storm's rate

    def stop(self):
        self.stop_ev.set()
        self.wr.join(5)
        self.proc.kill()
        self.proc.wait()
        return self.sent


def seq_of(log, tag):
    """The ids on `tag` lines of a log, in order."""
    ids = []
    for line in re.findall(r"^%s(.*)$" % re.escape(tag), log, re.M):
        ids += [int(x, 16) for x in line.split()]
    return ids


def is_run(part, whole):
    """Is part a non-empty contiguous run of whole?"""
    if not part:
        return False
    try:
        i = whole.index(part[0])
    except ValueError:
        return False
    return whole[i:i + len(part)] == part


def run_join_leave(tap, sw):
    """Three paced members; a fourth joins and leaves twice mid-traffic."""
    what = "join and leave"
    nodes = []
    t0 = time.monotonic()
    try:
        for i in range(3):
            args = "member grpJnl 3 200 pace list" + (" create" if i == 0
                                                     else "")
            n = Node("m%d" % i, append="node=m%d init=test_group %s"
                     % (i, args), nics=[("e1000", sw)])
            n.start()
            if i == 0:
                n.expect(r"group: created gid \d+", 60)
            nodes.append(n)
        j = Node("jn", append="node=jn init=test_group joiner grpJnl 2 40",
                 nics=[("e1000", sw)])
        j.start()
        nodes.append(j)
        codes = []
        for n in nodes:
            try:
                codes.append(n.wait_exit(300))
            except TimeoutError as e:
                codes.append(None)
                n.log += "\n" + str(e)
    finally:
        for n in nodes:
            n.kill()
    print("# %s: %.0f s, exits %s" % (what, time.monotonic() - t0, codes))
    logs = "\n".join("== %s\n" % n.name + "\n".join(
        [x for x in n.log.splitlines() if not re.match(r"(j?seq|pci)", x)][-14:])
        for n in nodes)
    seqs = [seq_of(n.log, "seq:") for n in nodes[:3]]
    whole = seqs[0]
    tap.report("%s: the three members delivered all 600 messages, in one "
               "order" % what, codes[:3] == [0, 0, 0] and len(whole) == 600
               and len(set(whole)) == 600 and seqs[1] == whole and
               seqs[2] == whole, logs)
    runs = [seq_of(j.log, "jseq %d:" % c) for c in range(2)]
    print("# joiner: runs of %s messages; where: %s" % (
        [len(r) for r in runs],
        [whole.index(r[0]) if r and r[0] in whole else None for r in runs]))
    tap.report("%s: the joiner joined and left twice while traffic flowed"
               % what, codes[3] == 0 and "joiner: done, bad 0" in j.log,
               j.tail(20))
    tap.report("%s: each of its runs is a contiguous run of the members' "
               "sequence (nothing missing, doubled or reordered)" % what,
               all(len(r) >= 40 and is_run(r, whole) for r in runs), logs)
    tap.report("%s: its second run began and ended while the members "
               "were sending" % what, is_run(runs[1], whole) and
               0 < whole.index(runs[1][0]) and
               whole.index(runs[1][0]) + len(runs[1]) < len(whole), logs)


def main():
    tap = Tap()
    with VdeSwitch() as sw:
        run_group(tap, "one switch", "grpTst", [sw] * 3, 10, 120)
    with VdeSwitch() as sw:
        run_group(tap, "sequencer killed", "grpKil", [sw] * 4, 300, 300,
                  kill=True)
    with VdeSwitch() as sw:
        run_join_leave(tap, sw)
    with HubSwitch() as sw:
        run_group(tap, "malformed-frame storm", "grpStm", [sw] * 3, 300,
                  300, storm=True)
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
