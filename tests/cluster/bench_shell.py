#!/usr/bin/env python3
"""bench_shell.py - the shell's latency and pipe throughput (make bench).

Node alpha boots a copy of the `make fs-image` disk with init=sh, node
beta is diskless on the same VDE switch.  Prints `bench: NAME VALUE
UNIT` lines for tests/bench.py and exits 0 when every run worked:

    sh_dir_bin_min, sh_dir_bin_median
                     `dir /bin` typed at alpha's console: from the
                     Enter key to the next prompt on the host's clock,
                     ms, 20 runs
    sh_true_median   the same for the built-in `true` (the console and
                     the shell's own share of the round trip), ms
    sh_pipe_1mib_local, sh_pipe_1mib_remote
                     `cat -u /tmp/big | wc -c` of a 1 MiB file (64-byte
                     lines) with wc on alpha / on beta (`-m beta wc
                     -c`): 1 MiB over the whole command's time (both
                     programs' starts included), MB/s, best of 3
    sh_pipe_1mib_lines_local
                     the same without -u: stdout into a pipe is fully
                     buffered (fstat says FIFO for a stream whose
                     std_info is not a terminal's '+'), so this is
                     close to the -u rows
"""
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, Node, VdeSwitch  # noqa: E402
from vxshell import Shell  # noqa: E402


def timed(sh, line, runs):
    """Host seconds from typing line to the prompt, per run; outputs."""
    times, outs = [], []
    for _ in range(runs):
        t0 = time.monotonic()
        outs.append(sh.run(line, 120))
        times.append(time.monotonic() - t0)
    return times, outs


def make_big(sh):
    """/tmp/big: 1 MiB made by doubling a 64-byte line 14 times."""
    sh.run("echo 0123456789abcdef0123456789abcdef0123456789abcdef"
           "0123456789abcde > /tmp/big")
    for _ in range(14):
        sh.run("cat /tmp/big /tmp/big > /tmp/t; cat /tmp/t > /tmp/big", 300)
    return sh.run("wc -c < /tmp/big").strip()


def main():
    ok = True
    with tempfile.TemporaryDirectory(prefix="vx-bsh-") as tmp, \
            VdeSwitch() as sw:
        disk = os.path.join(tmp, "fs.img")
        shutil.copy(os.path.join(BUILD, "vx-fs.img"), disk)
        alpha = Node("alpha", append="node=alpha init=sh", nics=[("e1000", sw)],
                     drives=["file=%s,format=raw,if=ide,index=0" % disk])
        beta = Node("beta", append="node=beta monitor", nics=[("e1000", sw)])
        try:
            alpha.start()
            beta.start()
            beta.expect(r"VX monitor on beta", 120)
            sh = Shell(alpha, start=False)
            sh.run("dir /bin")                      # warm the caches
            t, outs = timed(sh, "dir /bin", 20)
            ok &= all("cat" in o for o in outs)
            print("bench: sh_dir_bin_min %.1f ms" % (min(t) * 1000))
            print("bench: sh_dir_bin_median %.1f ms"
                  % (statistics.median(t) * 1000))
            t, _ = timed(sh, "true", 20)
            print("bench: sh_true_median %.1f ms"
                  % (statistics.median(t) * 1000))
            size = make_big(sh)
            if size != "1048576":
                sys.stderr.write("big file: %r\n" % size)
                ok = False
            for name, line in (("local", "cat -u /tmp/big | wc -c"),
                               ("remote",
                                "cat -u /tmp/big | -m beta wc -c"),
                               ("lines_local", "cat /tmp/big | wc -c")):
                t, outs = timed(sh, line, 3)
                ok &= all(o.strip() == "1048576" for o in outs)
                print("bench: sh_pipe_1mib_%s %.2f MB/s"
                      % (name, 1.048576 / min(t)))
                sys.stdout.flush()
        except (TimeoutError, AssertionError) as e:
            sys.stderr.write("%s\n" % e)
            ok = False
        finally:
            alpha.kill()
            beta.kill()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
