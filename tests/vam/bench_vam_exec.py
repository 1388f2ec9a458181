#!/usr/bin/env python3
"""bench_vam_exec.py - starting bytecode like a native program costs what
(make bench row vam_exec, tests/benches.txt).

One node with a file-system disk (tests/vam/vamdisk.py; /bin/vamhello is
vam/test/vam_hello.ml's bytecode without a suffix); its monitor runs
`ax -m vx /bin/hello x` (native) and `ax -m vx /bin/vamhello x`
(bytecode: exec_file starts /bin/ocamlrun with VAMPROG) 7 times each,
interleaved; the host's wall clock from typing the line to the
monitor's exit line, median of each.  Prints
`bench: exec_native_median N ms`, `bench: exec_bytecode_median N ms`
and the ratio; exit status 0 when every run exited 0.
"""
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from vxqemu import BUILD, Node, Tap, monitor_run  # noqa: E402
from vamdisk import make_disk  # noqa: E402

RUNS = 7


def timed(n, line):
    t = time.time()
    status, out = monitor_run(n, line, 120)
    return (time.time() - t) * 1000.0, status == 0


def main():
    tap = Tap()
    times = {"native": [], "bytecode": []}
    with tempfile.TemporaryDirectory(prefix="vx-vamexec-") as tmp:
        img, _, err = make_disk(tmp, bins={"vamhello": os.path.join(
            BUILD, "vam", "vam_hello.byte")})
        if not tap.check(img is not None, "a disk with /bin/vamhello"):
            print("# " + err)
            return tap.done()
        n = Node("vx", append="node=vx monitor",
                 drives=["file=%s,format=raw,if=ide,index=0,snapshot=on"
                         % img])
        n.start()
        ok = True
        try:
            n.expect(r"^vx: fs: registered as /hosts/vx$", 120)
            n.expect(r"^vx> ", 60)
            for _ in range(RUNS):
                for kind, prog in (("native", "/bin/hello"),
                                   ("bytecode", "/bin/vamhello")):
                    ms, good = timed(n, "ax -m vx %s x" % prog)
                    times[kind].append(ms)
                    ok = ok and good
        except (TimeoutError, AssertionError) as e:
            ok = False
            print("# " + str(e))
        finally:
            n.kill()
    tap.check(ok and len(times["bytecode"]) == RUNS,
              "%d runs of each exited 0" % RUNS)
    if ok and times["native"]:
        nat = statistics.median(times["native"])
        byt = statistics.median(times["bytecode"])
        print("bench: exec_native_median %.0f ms" % nat)
        print("bench: exec_bytecode_median %.0f ms" % byt)
        print("bench: exec_bytecode_ratio %.2f x" % (byt / nat))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
