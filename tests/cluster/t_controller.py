#!/usr/bin/env python3
# vx-timeout: 400
"""t_controller.py - the controller node (issue 12, item 5a) on three
QEMU nodes on a private VDE switch, with the simulated tank
(scripts/tanksim.py) on the controller node's COM2.

- ctl  boots a test disk (boot/mkfsimg.sh: /bin of make fs-image, and
       userland/servers/ctlsvr/boot.conf as /home/ctl.conf) with
       uartuser=2 bootconf=/home/ctl.conf: its boot server starts the
       serial driver ctlser (granted ports and IRQ 3 only), the
       controller server ctlsvr and a shell on the console (whose prompt
       may begin a line of the others' output: no ^ in those patterns);
- op   diskless, its monitor runs the control program `ctl loop`;
- log  diskless, its monitor runs the logger `ctl log`, the observer's
       attempts and the kill of the driver.

Checked:
1. the logger's table: every row, at the fixed period (no row before its
   time, the last within a period of its time, all but two within half
   a period), the sample numbers rising;
2. an observer's capability (/home/ctl.ro): reads, but the valve gets
   STD_DENIED ("operation denied", exit 1); one made by std_restrict
   (mask 1) cannot set the band; std_info answers;
3. from the simulator's own record: from the loop's first valve action,
   at least 30 simulated seconds with the level inside the band 40..60
   and the valve opened and closed at least twice each;
4. the driver killed (`kill ctlser` from log): the control program gets
   the server's clear error (not now: the sensor driver is unavailable),
   the boot server starts the driver again (the simulator hears its
   hello), the loop reads again and, in the record, holds the level in
   the band for another 10 simulated seconds with the valve moving.
"""
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from vxqemu import (BUILD, ROOT, BOOTIMG, Node, Tap, VdeSwitch,  # noqa: E402
                    monitor_run)

tap = Tap()
MKFS = os.path.join(BUILD, "tools", "mkfs_bullet")
CONF = os.path.join(ROOT, "userland", "servers", "ctlsvr", "boot.conf")
TANKSIM = os.path.join(ROOT, "scripts", "tanksim.py")
LOW, HIGH = 40.0, 60.0          # the band of boot.conf
HOLD = 30.0                     # simulated seconds in band before the kill
AFTER = 10.0                    # and after the driver's restart
LOG_ROWS, LOG_PERIOD = 12, 500  # the logger's table


def programs():
    with open(os.path.join(BUILD, "vx-fs.caps")) as f:
        names = re.findall(r"^file \S+ \d+ bin/(\S+)$", f.read(), re.M)
    return [os.path.join(BUILD, "user", n) for n in names]


def make_disk(tmp):
    fsdir = os.path.join(tmp, "fsdir")
    os.makedirs(fsdir)
    shutil.copy(CONF, os.path.join(fsdir, "ctl.conf"))
    img = os.path.join(tmp, "ctl.img")
    mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img, MKFS]
                        + programs(), capture_output=True, text=True,
                        env=dict(os.environ, FSDIR=fsdir, FS_MB="32"))
    tap.report("a test disk with /bin and /home/ctl.conf", mk.returncode == 0,
               mk.stderr)
    return img if mk.returncode == 0 else None


class Record:
    """The simulator's record: steps (step, time, level, valve) and
    events (step, time, what)."""

    def __init__(self, path):
        self.path = path

    def read(self):
        steps, events = [], []
        try:
            with open(self.path) as f:
                text = f.read()
        except FileNotFoundError:
            return steps, events
        for line in text.split("\n")[:-1]:     # whole lines only
            w = line.split(None, 3)
            try:
                if len(w) == 4 and w[0] == "S":
                    lv, v = w[3].split()
                    steps.append((int(w[1]), float(w[2]), float(lv), int(v)))
                elif len(w) == 4 and w[0] == "E":
                    events.append((int(w[1]), float(w[2]), w[3].strip()))
            except ValueError:
                raise AssertionError("bad record line %r" % line)
        return steps, events

    def wait(self, cond, timeout, nodes):
        """Wait until cond(steps, events) holds; pump the nodes' output."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            steps, events = self.read()
            if cond(steps, events):
                return True
            for n in nodes:
                n._pump(0.05)
        return False


def first_event(events, prefix, after=0):
    """The first event at or after step after whose text starts so."""
    for e in events:
        if e[0] >= after and e[2].startswith(prefix):
            return e
    return None


def hold(steps, events, start, end):
    """(simulated seconds in band from step start to end, opens, closes,
    the first step out of band or None)."""
    inside = [s for s in steps if start <= s[0] <= end]
    out = next((s for s in inside if not LOW <= s[2] <= HIGH), None)
    opens = sum(1 for e in events if start <= e[0] <= end and
                e[2] == "valve 1")
    closes = sum(1 for e in events if start <= e[0] <= end and
                 e[2] == "valve 0")
    span = inside[-1][1] - inside[0][1] if inside else 0.0
    return span, opens, closes, out


def check_table(out):
    rows = re.findall(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+\.\d\d)\s+([01])"
                      r"\s+(\d+)\s*$", out, re.M)
    times = [int(r[1]) for r in rows]
    seqs = [int(r[5]) for r in rows]
    ok = len(rows) == LOG_ROWS and [int(r[0]) for r in rows] == \
        list(range(LOG_ROWS))
    # at its period: no row before its time, the table's end on time
    # (within a period), and all but two rows within half a period of
    # their times (a row may be late on a loaded machine; the next ones
    # catch up, the logger keeps a fixed rate)
    late = [t - i * LOG_PERIOD for i, t in enumerate(times)]
    ok = ok and min(late) >= 0 and late[-1] < LOG_PERIOD and \
        sum(1 for x in late if x < LOG_PERIOD / 2) >= len(late) - 2
    ok = ok and all(b >= a for a, b in zip(seqs, seqs[1:])) and \
        seqs[-1] > seqs[0]
    tap.report("logger: %d rows every %d ms (each row late by %s ms), "
               "sample numbers rising" % (len(rows), LOG_PERIOD,
                                          ",".join(map(str, late))), ok, out)


def observer(log):
    st, out = monitor_run(log, "ctl read /home/ctl.ro", 60)
    tap.report("observer: reads with the read right", st == 0 and
               re.search(r"^seq \d+ time \d+ level \d+\.\d\d valve [01] "
                         r"band 40\.00 \.\. 60\.00", out, re.M), out)
    st, out = monitor_run(log, "ctl valve 1 /home/ctl.ro", 60)
    tap.report("observer: the valve without the control right: "
               "STD_DENIED (exit 1)", st == 1 and
               "ctl: valve: operation denied" in out, out)
    st, out = monitor_run(log, "std_restrict /home/ctl 1 /tmp/ctl.obs", 60)
    tap.report("std_restrict makes a read-only capability", st == 0, out)
    st, out = monitor_run(log, "ctl band 10 90 /tmp/ctl.obs", 60)
    tap.report("observer: the band with the restricted capability: "
               "STD_DENIED", st == 1 and "ctl: band: operation denied" in out,
               out)
    st, out = monitor_run(log, "std_info /home/ctl", 60)
    tap.report("std_info of the controller answers", st == 0 and
               "tank controller" in out, out)


def closed_loop(rec, nodes):
    """The loop's first valve action, then HOLD simulated seconds."""
    def enough(steps, events):
        e = first_event(events, "valve")
        return e is not None and steps and steps[-1][1] - e[1] >= HOLD + 1
    ok = rec.wait(enough, 150, nodes)
    steps, events = rec.read()
    e = first_event(events, "valve")
    start = e[0] if e else 0
    span, opens, closes, out = hold(steps, events, start,
                                    steps[-1][0] if steps else 0)
    tap.report("closed loop: %.1f simulated s in the band %g..%g (from the "
               "record), valve opened %d and closed %d times"
               % (span, LOW, HIGH, opens, closes),
               ok and out is None and span >= HOLD and opens >= 2 and
               closes >= 2, "first out of band: %s\nrecord ends %s"
               % (out, steps[-3:]))
    return steps[-1][0] if steps else 0


def expect(node, pattern, timeout, name):
    """node.expect as a test line; the match or None."""
    try:
        m = node.expect(pattern, timeout)
    except (TimeoutError, AssertionError) as e:
        tap.report(name, False, str(e))
        return None
    tap.report(name, True)
    return m


def kill_driver(rec, ctl, op, log, killed_at):
    st, out = monitor_run(log, "kill ctlser", 60)
    tap.report("kill ctlser (exit 0)", st == 0, out)
    expect(ctl, r"boot: ctlser on ctl ended \(.*\); restart in", 60,
           "the boot server sees the driver end")
    expect(ctl, r"ctlsvr: driver gone", 60,
           "the controller server says its driver is gone")
    expect(op, r"^ctl loop: read: not now: the controller's sensor "
           r"driver is unavailable", 60,
           "the control program gets the server's clear error")
    ok = rec.wait(lambda s, e: first_event(e, "hello", killed_at), 60,
                  [ctl, op, log])
    if not ok:
        steps, events = rec.read()
        print("# killed after step %d; the record ends at %s; its events "
              "from there: %s; hellos: %s" % (
                  killed_at, steps[-1:],
                  [e for e in events if e[0] >= killed_at][:10],
                  [e for e in events if "hello" in e[2]]))
    tap.report("the boot server starts the driver again (its hello "
               "reaches the simulator)", ok, ctl.tail())
    expect(ctl, r"ctlsvr: driver answers again", 60,
           "the controller server finds the new driver")
    expect(op, r"^ctl loop: readings again", 60,
           "the control program reads again")
    _, events = rec.read()
    hello = first_event(events, "hello", killed_at)
    at = hello[0] if hello else killed_at

    def enough(steps, evs):
        return steps and steps[-1][0] > at and \
            steps[-1][1] - hello[1] >= AFTER + 1 if hello else False
    rec.wait(enough, 90, [ctl, op, log])
    steps, events = rec.read()
    span, opens, closes, out = hold(steps, events, at + 1, steps[-1][0])
    tap.report("after the restart: %.1f simulated s in the band, %d valve "
               "changes" % (span, opens + closes), out is None and
               span >= AFTER and opens + closes >= 1,
               "first out of band: %s" % (out,))


def run(tmp, disk, sw):
    sock = os.path.join(tmp, "tank.sock")
    rec = Record(os.path.join(tmp, "tank.rec"))
    sim = subprocess.Popen([sys.executable, TANKSIM, "--unix", sock,
                            "--record", rec.path, "--seed", "12"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    r, _, _ = select.select([sim.stdout], [], [], 30)
    if not r or not sim.stdout.readline().startswith(b"tanksim:"):
        sim.kill()
        sim.wait()
        tap.report("the simulator listens", False)
        return
    ctl = Node("ctl", append="node=ctl uartuser=2 bootconf=/home/ctl.conf",
               modules=[BOOTIMG], nics=[("e1000", sw)], com2=sock,
               drives=["file=%s,format=raw,if=ide,index=0" % disk])
    op = Node("op", append="node=op monitor fswait=240000",
              nics=[("e1000", sw)])
    log = Node("log", append="node=log monitor fswait=240000",
               nics=[("e1000", sw)])
    nodes = [ctl, op, log]
    try:
        for n in nodes:
            n.start()
        ctl.expect(r"ctlsvr: serving as /home/ctl", 240)
        tap.report("ctl: the driver and the controller server start",
                   re.search(r"ctlser: UART 0x2f8 IRQ 3: device says "
                             r"\"I tanksim 1\"", ctl.log, re.M), ctl.log)
        op.expect(r"VX monitor on op", 240)
        log.expect(r"VX monitor on log", 240)
        op.send("run ctl loop -n 0 -p 40\r")
        op.expect(r"^ctl loop: keeping the level", 60)
        st, out = monitor_run(log, "ctl log -n %d -p %d" %
                              (LOG_ROWS, LOG_PERIOD), 120)
        print("# the logger's table:")
        for line in out.splitlines():
            print("#   " + line)
        check_table(out)
        observer(log)
        killed_at = closed_loop(rec, nodes)
        kill_driver(rec, ctl, op, log, killed_at)
    except (TimeoutError, AssertionError) as e:
        tap.report("the scenario ran to the end", False, str(e))
    finally:
        for n in nodes:
            n.kill()
        sim.kill()
        sim.wait()
    for n in nodes:
        tap.report("%s: no panic" % n.name, "vx: panic" not in n.log,
                   n.tail())


def main():
    with tempfile.TemporaryDirectory(prefix="vx-ctl-") as tmp, \
            VdeSwitch() as sw:
        disk = make_disk(tmp)
        if disk:
            run(tmp, disk, sw)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
