#!/usr/bin/env python3
# vx-timeout: 600
"""t_near.py - computation moved to its data: `ax -near` and a program
that moves itself (migrate_self).

Three nodes on a private VDE switch: n0 (A) with a small file-system disk
(its kernel starts the Bullet and SOAP servers; /bin holds hello,
test_migrate and migrate), n1 (B) and n2 (C) without.  The script types
on the nodes' kernel monitors (`run ...`, as t_ax.py does):

1. `ax -near /bin/hello hello` on B runs hello on A, where the Bullet
   server of the file runs (VX_NODE=n0 in its output, on B's console);
   `ax -near /hosts/n2/sys` on A runs on C (a kernel server); a server
   process on B (test_migrate serve) named by a capability with its
   port: ax -near runs next to it on B, and, after migrate moved it to
   C, on C;
2. bad input: an unknown path, a server that runs nowhere, -near with
   -m, -near without an object;
3. `ax -m n0 test_migrate self n1` on C: the program prints on C's
   console on A, moves itself to B (migrate_self), prints again, its
   heap intact, its PD naming the file server for its text (a move
   fetches text there); aps lists it on B only while it waits for a line; the
   line typed on C's console reaches it on B, its answer appears on C,
   and the ax on C (told of the move by PS_SWAPPROC) exits 0;
4. a move to a node that does not exist: the program says why and goes
   on where it was;
5. the target dies in the middle of a move: `test_migrate serve 16384`
   (16 MiB of heap) on A is being moved to B by `migrate` on C; when B's
   NIC has taken in 2 MiB of it (B's pcap, QEMU filter-dump) B is
   switched off: migrate says so (exit 1, "it goes on on n0") within
   5 s, the process answers on A by its port, counter going on and heap
   intact; B is started again and the same migrate command moves it.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vxqemu import (Tap, aps_running, boot_monitor,  # noqa: E402
                    fs_cluster, monitor_case, pcap_size,
                    monitor_run as run, monitor_wait as wait_done)

tap = Tap(tail=40)


def case(node, line, want, texts, timeout=60):
    return monitor_case(tap, node, line, want, texts, timeout)


def where(node, prog):
    """The nodes aps (on node) lists prog on as running."""
    at, out = aps_running(node, prog)
    return [n for n, _ in at], out


def near(a, b, c):
    case(b, "ax -near /bin/hello hello near-file", 0,
         ["VX_NODE=n0", "argv[1] = near-file"])
    case(a, "ax -near /hosts/n2/sys hello near-sys", 0,
         ["VX_NODE=n2", "argv[1] = near-sys"])
    b.send("run test_migrate serve\r")
    port = b.expect(r"migtest: port ([0-9a-f]{12})", 60).group(1)
    cap = port + "0" * 20
    case(a, "ax -near %s hello near-server" % cap, 0, ["VX_NODE=n1"])
    status, out = run(c, "migrate -m n1 test_migrate n2", 120)
    tap.report("migrate moves the server from B to C", status == 0 and
               "moved from n1 to n2" in out, "exit %s\n%s" % (status, out))
    case(a, "ax -near %s hello near-moved" % cap, 0, ["VX_NODE=n2"])
    case(a, "kill test_migrate", 0, [])
    case(a, "ax -near /nosuch hello", 1, ["ax: /nosuch: "])
    case(a, "ax -near %s hello" % ("0123456789ab" + "0" * 20), 1,
         ["its server runs on no node of /hosts"], timeout=90)
    case(a, "ax -m n1 -near /bin/hello hello", 2, ["usage: ax"])
    case(a, "ax -near", 2, ["usage: ax"])


def moves_itself(a, b, c):
    pos = len(c.log)
    c.send("run ax -m n0 test_migrate self n1\r")
    c.expect(r"migtest: waiting for a line", 120)
    out = c.log[pos:]
    tap.report("the program printed on C's console before (on n0) and "
               "after (on n1) moving itself, heap intact",
               "migtest: on n0" in out and
               re.search(r"migtest: moved to n1: [^,]*, on n1 pid \d+ "
                         r"heap ok", out) is not None, out)
    tap.report("after the move its PD names the file server for its text "
               "(a next move fetches it there, not from the node)",
               re.search(r"migtest: moved to n1: .* text file", out)
               is not None, out)
    at, out = where(a, "test_migrate")
    tap.report("aps: it runs on B only", at == ["n1"], out)
    c.send("typed-on-C\r")
    status, out = wait_done(c, pos, 60)
    tap.report("a line typed on C's console reaches it on B, its answer "
               "appears on C and ax exits 0",
               status == 0 and "migtest: read typed-on-C" in out,
               "exit %s\n%s" % (status, out))
    pos = len(c.log)
    c.send("run ax -m n0 test_migrate self nosuchnode\r")
    c.expect(r"migtest: waiting for a line", 120)
    c.send("x\r")
    status, out = wait_done(c, pos, 60)
    tap.report("a move to an unknown node: migrate says why, the "
               "program goes on on A (exit 1)",
               status == 1 and "nosuchnode: unknown node" in out and
               re.search(r"moved to nosuchnode: [^,]*, on n0", out)
               is not None, "exit %s\n%s" % (status, out))


ASK = re.compile(r"migtest: counter (\d+) heap (ok|BAD)")


def ask(node, port):
    status, out = run(node, "test_migrate ask %s" % port, 60)
    m = ASK.search(out)
    return (int(m.group(1)) if status == 0 and m and m.group(2) == "ok"
            else None), out


def target_dies(a, b, c, sw, tmp):
    a.send("run test_migrate serve 16384\r")
    port = a.expect(r"migtest: port ([0-9a-f]{12})", 60).group(1)
    first, out = ask(c, port)
    tap.report("a 16 MiB server runs on A", first is not None, out)
    line = "migrate -m n0 test_migrate n1"
    start = pcap_size(b)
    pos = len(c.log)
    c.send("run %s\r" % line)
    deadline = time.time() + 120
    while pcap_size(b) - start < 2 << 20 and time.time() < deadline:
        c._pump(0.05)  # the move under way: B's NIC fills its pcap
    mid = pcap_size(b) - start
    b.kill()
    killed = time.time()
    status, out = wait_done(c, pos, 60)
    took = time.time() - killed
    tap.report("B switched off after %d KiB of the move: migrate says so "
               "within 5 s (%.1f s), exit 1, it goes on on A"
               % (mid // 1024, took),
               mid >= 2 << 20 and status == 1 and took <= 5.0 and
               "it goes on on n0" in out, "exit %s\n%s" % (status, out))
    second, out = ask(c, port)
    at, out2 = where(c, "test_migrate")
    tap.report("the process answers on A by its port, counter going on, "
               "heap intact", second is not None and first is not None and
               second > first and at == ["n0"], out + out2)
    b2 = boot_monitor("n1", sw, pcap=os.path.join(tmp, "b2"))
    status, out = run(c, line, 180)
    at, out2 = where(c, "test_migrate")
    third, out3 = ask(c, port)
    tap.report("B started again: the same migrate moves it (exit 0), it "
               "answers on B, heap intact",
               status == 0 and at == ["n1"] and third is not None and
               second is not None and third > second,
               "exit %s\n%s\n%s\n%s" % (status, out, out2, out3))
    return b2


def session(nodes, sw, tmp, img):
    near(*nodes)
    moves_itself(*nodes)
    nodes.append(target_dies(*nodes, sw, tmp))


def main():
    return fs_cluster(tap, "vx-near-", ("n0", "n1", "n2"), session,
                      ("hello", "test_migrate", "migrate"), pcaps=("n1",))


if __name__ == "__main__":
    sys.exit(main())
