#!/usr/bin/env python3
"""bench.py - run the registered benchmarks (make bench).

    python3 tests/bench.py [NAME ...]

tests/benches.txt lists them, one per line:

    name | kernel command line | timeout seconds | extra qemu args (optional)
    name | script:tests/DIR/t_X.py | timeout seconds

Each boots build/vx.elf (with build/vx-boot.img when present) under TCG
and collects the guest's lines `bench: NAME VALUE UNIT`.  The runner adds
two host-clock measurements: `ready`, seconds from starting QEMU to
`vx: ready`, and `exit`, seconds until QEMU ended.  Prints one table and
writes build/bench.json.  There are no assertions on speed; the exit
status is non-zero only when a run failed (timeout, panic, wrong exit
status, never ready).  A `script:` line runs a script instead (for
multi-node measurements) and collects the bench lines it prints; it must
exit 0.
"""
import json
import os
import re
import sys
import time

TESTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TESTS)
import run     # noqa: E402
import vxqemu  # noqa: E402

BENCHES = os.path.join(TESTS, "benches.txt")
BENCH = re.compile(r"^bench: (\S+) (-?[0-9.eE+-]+) ?(\S*)\s*$", re.M)


def script_bench(b):
    """Run a benchmark script; (rows, problems, log)."""
    path = os.path.join(vxqemu.ROOT, b["cmdline"][len("script:"):].strip())
    out = run.run_program(b["name"], [path], b["timeout"],
                          need_closing=False)
    rows = [(name, float(value), unit)
            for name, value, unit in BENCH.findall(out.log)]
    rows.append(("exit", round(out.seconds, 3), "s"))
    problems = [p for p in out.problems if not p.startswith("closing line")]
    if not BENCH.search(out.log):
        problems.append("no 'bench: NAME VALUE UNIT' lines")
    return rows, problems, out.log


def run_bench(b):
    """Boot one benchmark; (rows, problems, log)."""
    if b["cmdline"].startswith("script:"):
        return script_bench(b)
    node = vxqemu.Node(b["name"], append=b["cmdline"], extra=b["extra"])
    start = time.monotonic()
    ready = None
    node.start()
    timed_out = False
    while node.proc.poll() is None:
        if ready is None and "vx: ready" in node.log:
            ready = time.monotonic() - start
        if time.monotonic() - start > b["timeout"]:
            timed_out = True
            break
        if vxqemu.PANIC in node.log:
            break
        node._pump(0.05 if ready is None else 0.5)
    ended = time.monotonic() - start
    node.kill()
    rows = [(name, float(value), unit)
            for name, value, unit in BENCH.findall(node.log)]
    problems = []
    if ready is not None:
        rows.insert(0, ("ready", round(ready, 3), "s"))
    if not timed_out:
        rows.insert(1 if ready is not None else 0,
                    ("exit", round(ended, 3), "s"))
    if ready is None:
        problems.append("no 'vx: ready' line")
    if timed_out:
        problems.append("timeout after %d s" % b["timeout"])
    elif vxqemu.PANIC in node.log:
        problems.append("kernel panic")
    else:
        why = run.qemu_exit_problem(node.proc.returncode)
        if why:
            problems.append(why)
    return rows, problems, node.log


def main():
    benches = run.parse_suites(BENCHES)
    if sys.argv[1:]:
        benches = [b for b in benches if b["name"] in sys.argv[1:]]
    results, failed = {}, 0
    table = []
    for b in benches:
        rows, problems, log = run_bench(b)
        results[b["name"]] = {
            "cmdline": b["cmdline"],
            "results": [{"name": n, "value": v, "unit": u}
                        for n, v, u in rows],
            "problems": problems}
        for n, v, u in rows:
            table.append((b["name"], n, "%g" % v, u))
        if problems:
            failed += 1
            table.append((b["name"], "FAILED", "", "; ".join(problems)))
            for line in log.splitlines()[-10:]:
                print("# %s: %s" % (b["name"], line))
    head = ("benchmark", "measure", "value", "unit")
    widths = [max(len(r[i]) for r in table + [head]) for i in range(4)]
    fmt = "%-{}s  %-{}s  %{}s  %s".format(*widths[:3])
    print(fmt % head)
    print(fmt % tuple("-" * w for w in widths))
    for r in table:
        print(fmt % r)
    os.makedirs(vxqemu.BUILD, exist_ok=True)
    out = os.path.join(vxqemu.BUILD, "bench.json")
    with open(out, "w") as f:
        json.dump({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                   "benchmarks": results}, f, indent=2)
        f.write("\n")
    print("# %d benchmarks, %d failed; %s" % (len(benches), failed,
                                             os.path.relpath(out)))
    return 1 if failed or not benches else 0


if __name__ == "__main__":
    sys.exit(main())
