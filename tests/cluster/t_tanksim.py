#!/usr/bin/env python3
# vx-timeout: 120
"""t_tanksim.py - scripts/tanksim.py, the controller node's simulated
tank, on the host alone (no QEMU): the line protocol and its errors, the
plant's direction with the valve open and closed, one step per sample,
the same answers for the same seed (what t_controller.py relies on), the
record, a second connection after the first one ends, bad options.
"""
import os
import select
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from vxqemu import ROOT, Tap  # noqa: E402

TANKSIM = os.path.join(ROOT, "scripts", "tanksim.py")
tap = Tap()


class Sim:
    """A tanksim process on a UNIX socket in tmp, and one connection."""

    def __init__(self, tmp, name, *args):
        self.sock = os.path.join(tmp, name + ".sock")
        self.record = os.path.join(tmp, name + ".rec")
        self.proc = subprocess.Popen(
            [sys.executable, TANKSIM, "--unix", self.sock, "--record",
             self.record] + list(args), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        # "tanksim: listening on ...", within a bound
        r, _, _ = select.select([self.proc.stdout], [], [], 20)
        if not r or not self.proc.stdout.readline().startswith("tanksim:"):
            self.proc.kill()
            raise OSError("tanksim did not start listening")
        self.connect()

    def connect(self):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(10)
        self.s.connect(self.sock)
        self.f = self.s.makefile("rw", newline="\n")

    def ask(self, line):
        self.f.write(line + "\r\n")
        self.f.flush()
        return self.f.readline().rstrip("\n")

    def close(self):
        self.f.close()
        self.s.close()

    def stop(self):
        self.close()
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise OSError("tanksim did not end on SIGTERM")


def levels(sim, n):
    out = []
    for _ in range(n):
        a = sim.ask("L?")
        out.append(float(a[2:]) if a.startswith("L ") else None)
    return out


def protocol(tmp):
    sim = Sim(tmp, "p", "--seed", "3")
    try:
        tap.check(sim.ask("I") == "I tanksim 1", "I: the hello answer")
        tap.check(sim.ask("V?") == "V 0", "V?: the valve starts closed")
        tap.check(sim.ask("xx") == "E unknown command",
                  "an unknown command: E unknown command")
        tap.check(sim.ask("L" * 300) == "E line too long",
                  "an overlong line: E line too long")
        tap.check(sim.ask("V?") == "V 0",
                  "after an overlong line the next command is answered")
        up = levels(sim, 60)
        tap.check(None not in up and up[-1] > up[0] + 3,
                  "closed: the level rises (%.2f -> %.2f in 60 steps)"
                  % (up[0], up[-1]))
        tap.check(sim.ask("V 1") == "V 1" and sim.ask("V?") == "V 1",
                  "V 1 opens the valve")
        down = levels(sim, 60)
        tap.check(down[-1] < down[0] - 5,
                  "open: the level falls (%.2f -> %.2f in 60 steps)"
                  % (down[0], down[-1]))
        tap.check(sim.ask("V 0") == "V 0", "V 0 closes it")
        sim.close()
        sim.connect()                        # as a restarted QEMU would
        tap.check(sim.ask("V?") == "V 0" and levels(sim, 1)[0] is not None,
                  "a second connection is served, the tank kept")
    finally:
        sim.stop()
    with open(sim.record) as f:
        rec = f.read().splitlines()
    steps = [r for r in rec if r.startswith("S ")]
    tap.check(len(steps) == 121 and steps[-1].split()[1:3] == ["121",
                                                                "12.10"],
              "the record: one step per L? (121, 0.1 s each)")
    events = [r.split(None, 3)[3] for r in rec if r.startswith("E ")]
    tap.check(events.count("hello") == 1 and "valve 1" in events and
              "valve 0" in events and "overlong line dropped" in events and
              events.count("connect") == 2,
              "the record's events: hello, valves, the dropped line, "
              "two connections")


def same_seed(tmp):
    runs = []
    for i, seed in enumerate(("7", "7", "8")):
        sim = Sim(tmp, "s%d" % i, "--seed", seed)
        try:
            got = levels(sim, 20)
            sim.ask("V 1")
            got += levels(sim, 20)
        finally:
            sim.stop()
        runs.append(got)
    tap.check(runs[0] == runs[1], "the same seed and valve steps: the same "
              "levels")
    tap.check(runs[0] != runs[2], "another seed: other levels (noise)")


def bad_options():
    r = subprocess.run([sys.executable, TANKSIM, "--unix", "/nonexistent/x",
                        "--dt", "0"], capture_output=True, text=True,
                       timeout=20)
    tap.check(r.returncode == 2 and "--dt must be positive" in r.stderr,
              "--dt 0: a usage error (exit 2)")
    r = subprocess.run([sys.executable, TANKSIM], capture_output=True,
                       text=True, timeout=20)
    tap.check(r.returncode == 2 and "--unix" in r.stderr,
              "no socket given: a usage error (exit 2)")


def main():
    with tempfile.TemporaryDirectory(prefix="vx-tank-") as tmp:
        try:
            protocol(tmp)
            same_seed(tmp)
        except (OSError, ValueError) as e:
            tap.report("the simulator answered every request", False, str(e))
    bad_options()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
