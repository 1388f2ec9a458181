#!/usr/bin/env python3
"""tanksim.py - a simulated physical process for the controller node: a
tank whose level rises with a noisy inflow and falls when its outlet valve
is open, served on a serial line (the node's COM2 through a QEMU socket
chardev).

    scripts/tanksim.py --unix PATH [--record FILE] [--level 50] [--seed 1]
    qemu-system-i386 ... -chardev socket,id=com2,path=PATH -serial chardev:com2

tanksim listens on the UNIX socket PATH (or --tcp PORT on 127.0.0.1) and
QEMU connects to it; a new connection is accepted when one ends.

The line protocol (ASCII, one command per line, "\\n" ends a line, "\\r"
is ignored; every command gets exactly one answer line):

    I        ->  I tanksim 1          hello (a driver that starts says it)
    L?       ->  L 52.31              the level (0..100), one time step
    V?       ->  V 0 | V 1            the valve state
    V 1      ->  V 1                  open the valve
    V 0      ->  V 0                  close the valve
    other    ->  E unknown command
    a line longer than 256 bytes  ->  E line too long

Simulated time is driven by the requests: every `L?` advances the tank by
one fixed step (--dt seconds, default 0.1) before it is measured.  A real
clock would make the plant depend on how fast QEMU runs under TCG on a
loaded machine; one step per sample makes a run depend only on the seed
and on when (in samples) the valve moved, so the controller node's
sampling period sets the pace and a test can assert on simulated seconds.
While nobody samples (the driver is gone), the tank stands still.

With --record FILE every step and every event is appended to FILE, one
line each, so a test can judge the loop from the plant's own record:

    S STEP TIME LEVEL VALVE        a step (TIME in simulated seconds)
    E STEP TIME WHAT               an event: hello, valve 0/1, connect, ...
"""
import argparse
import os
import random
import select
import socket
import sys

MAXLINE = 256           # longer lines are answered "E line too long"

class Tank:
    """The plant: level in 0..100, inflow with noise, outflow when open."""

    def __init__(self, level, seed, dt, inflow, outflow, noise):
        self.level = level
        self.valve = 0
        self.step = 0
        self.dt = dt
        self.inflow = inflow        # units per second
        self.outflow = outflow      # units per second when open
        self.noise = noise          # standard deviation of the inflow
        self.rng = random.Random(seed)

    def advance(self):
        q = self.inflow + self.rng.gauss(0.0, self.noise)
        if self.valve:
            q -= self.outflow
        self.level = min(100.0, max(0.0, self.level + q * self.dt))
        self.step += 1

    def time(self):
        return self.step * self.dt


class Sim:
    """The serial side: one connection at a time, one answer per line."""

    def __init__(self, tank, record):
        self.tank = tank
        self.record = record

    def log(self, line):
        if self.record:
            self.record.write(line + "\n")
            self.record.flush()

    def event(self, what):
        t = self.tank
        self.log("E %d %.2f %s" % (t.step, t.time(), what))

    def answer(self, cmd):
        t = self.tank
        if cmd == "I":
            self.event("hello")
            return "I tanksim 1"
        if cmd == "L?":
            t.advance()
            self.log("S %d %.2f %.3f %d" % (t.step, t.time(), t.level,
                                            t.valve))
            return "L %.2f" % t.level
        if cmd == "V?":
            return "V %d" % t.valve
        if cmd in ("V 0", "V 1"):
            v = int(cmd[2])
            if v != t.valve:
                t.valve = v
                self.event("valve %d" % v)
            return "V %d" % v
        self.event("bad %r" % cmd[:40])
        return "E unknown command"

    def serve(self, conn):
        buf, skipping = b"", False
        while True:
            data = conn.recv(4096)
            if not data:
                return
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if skipping or len(line) > MAXLINE:
                    if not skipping:
                        self.event("overlong line dropped")
                    skipping = False
                    conn.sendall(b"E line too long\n")
                    continue
                cmd = line.replace(b"\r", b"").decode("ascii", "replace")
                cmd = cmd.strip()
                if not cmd:
                    continue
                conn.sendall((self.answer(cmd) + "\n").encode())
            if len(buf) > MAXLINE:          # no newline in sight
                if not skipping:
                    self.event("overlong line dropped")
                buf, skipping = b"", True


def listener(args):
    if args.unix:
        try:
            os.unlink(args.unix)
        except FileNotFoundError:
            pass
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(args.unix)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", args.tcp))
    s.listen(1)
    return s


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawTextHelpFormatter)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--unix", metavar="PATH", help="listen on a UNIX socket")
    where.add_argument("--tcp", metavar="PORT", type=int,
                       help="listen on 127.0.0.1:PORT")
    p.add_argument("--record", metavar="FILE", help="append steps and events")
    p.add_argument("--level", type=float, default=50.0, help="start level")
    p.add_argument("--seed", type=int, default=1, help="noise seed")
    p.add_argument("--dt", type=float, default=0.1,
                   help="simulated seconds per L? (default 0.1)")
    p.add_argument("--inflow", type=float, default=1.0, help="units/s")
    p.add_argument("--outflow", type=float, default=2.5,
                   help="units/s through the open valve")
    p.add_argument("--noise", type=float, default=0.5,
                   help="inflow noise (standard deviation, units/s)")
    args = p.parse_args()
    if args.dt <= 0 or not 0 <= args.level <= 100:
        p.error("--dt must be positive and --level in 0..100")

    record = open(args.record, "a") if args.record else None
    # SIGTERM keeps its default action (the process ends at once; every
    # record line is already flushed): a Python-level handler only runs
    # between bytecodes, and one arriving just before select() was lost
    # until the next connection
    sim = Sim(Tank(args.level, args.seed, args.dt, args.inflow,
                   args.outflow, args.noise), record)
    s = listener(args)
    print("tanksim: listening on %s" % (args.unix or args.tcp), flush=True)
    while True:
        select.select([s], [], [])
        conn, _ = s.accept()
        sim.event("connect")
        try:
            sim.serve(conn)
        except OSError as e:
            sim.event("connection error %s" % e)
        conn.close()
        sim.event("disconnect")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
