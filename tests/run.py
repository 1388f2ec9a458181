#!/usr/bin/env python3
"""run.py - the VX test runner (`make test` runs `python3 tests/run.py all`).

    python3 tests/run.py [-j N] [--suites FILE] [--logs DIR] [--fuzz-time S]
                         [WHAT ...]

WHAT selects suites (default all):
    all       everything below
    host      every build/host/test_* binary (make host-tests)
    fuzz      every build/fuzz/fuzz_* binary, FUZZ_TIME seconds each
    qemu      every line of tests/suites.txt
    scripts   every executable tests/*/t_*.py
    NAME      the tests/suites.txt line called NAME, or the scripts in
              tests/NAME/ (boot, runner, ...), or a script or binary path

Every suite prints `ok N - name` / `not ok N - name` lines and a closing
line `N passed, N failed`.  The runner re-numbers the results as
`ok N - suite: name`, shows the reasons and the log tail of each failed
suite (full logs in build/test-logs/), and ends with one line
`N passed, N failed`.  The exit status is 0 only when nothing failed.

A suite's run fails - and counts as one more `not ok` - when it crashes,
times out, exits with the wrong status, prints `vx: panic`, lacks the
closing line, or its closing line disagrees with its result lines.  (Exit
code 1 after `not ok` lines and a matching closing line is expected, not
one more failure.)  A QEMU run must end through isa-debug-exit with guest
code 0 (status 1); status 0 means the guest reset.  A script may set its
timeout in its first lines with `# vx-timeout: SECONDS` (default 600).
tests/runner/t_runner.py checks these rules against deliberately failing
runs through the same functions.

Suites run JOBS at a time (-j, VX_JOBS, default 2); results are printed in
a fixed order.
"""

import argparse
import concurrent.futures
import glob
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TESTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TESTS)
import vxqemu  # noqa: E402

ROOT = vxqemu.ROOT
BUILD = vxqemu.BUILD
LOGDIR = os.path.join(BUILD, "test-logs")   # --logs DIR to change
SUITES_FILE = os.path.join(TESTS, "suites.txt")
RESULT = re.compile(r"^(ok|not ok) \d+ - (.*?)\s*$", re.M)
HOST_TIMEOUT = 120       # seconds for one host test binary
SCRIPT_TIMEOUT = 600     # default for a t_*.py script (# vx-timeout: N)
TAIL = 30                # log lines shown for a failed suite
LIVE = set()             # processes running now, stopped on Ctrl-C/SIGTERM


class Outcome:
    """What one suite run produced and what was wrong with it."""

    def __init__(self, suite):
        self.suite = suite       # e.g. "kernel", "host/test_cap"
        self.results = []        # (passed, test name) in order
        self.problems = []       # why the run itself failed
        self.log = ""            # everything the suite printed
        self.seconds = 0.0

    @property
    def failed(self):
        return bool(self.problems) or any(not ok for ok, _ in self.results)

    def lines(self):
        """The suite's result lines, with a `not ok` for a failed run."""
        out = [(ok, "%s: %s" % (self.suite, name))
               for ok, name in self.results]
        if self.problems:
            out.append((False, "%s: run failed (%s)"
                        % (self.suite, "; ".join(self.problems))))
        return out


def judge(out, text, need_closing=True):
    """Collect result lines and check the closing line of text.  A fuzzer
    (need_closing False) may print the closing line without result lines."""
    out.log = text
    out.results = [(m.group(1) == "ok", m.group(2))
                   for m in RESULT.finditer(text)]
    npass = sum(1 for ok, _ in out.results if ok)
    nfail = len(out.results) - npass
    closing = vxqemu.closing_line(text)
    if closing is None:
        if need_closing:
            out.problems.append("no closing 'N passed, N failed' line")
        return
    if not need_closing and not out.results:
        out.results.append((closing[1] == 0, "%d passed, %d failed"
                            % closing))
    elif closing != (npass, nfail):
        out.problems.append("closing line says %d passed, %d failed but "
                            "%d ok and %d not ok lines were printed"
                            % (closing + (npass, nfail)))
    elif npass + nfail == 0:
        out.problems.append("no tests ran")


def reported_failure(out):
    """Did the suite report its own failed tests, consistently?  Then its
    exit code 1 ("some test failed") is not one more failure."""
    return (not out.problems and any(not ok for ok, _ in out.results))


def status_text(rc):
    if rc is None:
        return "no exit status"
    if rc < 0:
        return "killed by signal %s" % signal.Signals(-rc).name
    return "exit status %d" % rc


# ---- QEMU suites ------------------------------------------------------------

def parse_suites(path=SUITES_FILE):
    """Lines `name | cmdline | timeout | extra qemu args` of a suites file."""
    suites = []
    if not os.path.exists(path):
        return suites
    with open(path) as f:
        for num, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 3 or not parts[0] or not parts[2].isdigit():
                raise SystemExit("%s:%d: want 'name | cmdline | timeout "
                                 "[| qemu args]'" % (path, num))
            suites.append({"name": parts[0], "cmdline": parts[1],
                           "timeout": int(parts[2]),
                           "extra": shlex.split(parts[3]) if len(parts) > 3
                           else []})
    return suites


def qemu_exit_problem(rc):
    """None if QEMU's status says the guest passed, else the reason."""
    if rc == 1:
        return None
    if rc == 0:
        return "QEMU exit status 0: the guest reset or triple-faulted"
    if rc is not None and rc > 0 and rc & 1:
        return "QEMU exit status %d: guest exit code %d" % (rc, rc >> 1)
    return "QEMU %s (want status 1)" % status_text(rc)


def run_qemu(suite, cmdline, timeout, extra=(), qemu=None, kernel=None):
    """Boot the kernel with cmdline under TCG; an Outcome."""
    out = Outcome(suite)
    node = vxqemu.Node(suite, append=cmdline, extra=list(extra), qemu=qemu,
                       kernel=kernel)
    if qemu is None and not os.path.exists(node.kernel):
        out.problems.append("no kernel %s (make kernel)" % node.kernel)
        return out
    start = time.monotonic()
    node.start()
    LIVE.add(node.proc)
    timed_out = stopped = False
    panic_at = None
    while node.proc.poll() is None:
        now = time.monotonic()
        if now - start > timeout:
            timed_out = True
            break
        if panic_at is None and vxqemu.PANIC in node.log:
            panic_at = now
        if panic_at is not None and now - panic_at > 5:
            stopped = True        # it panicked and did not exit: stop it
            break
        node._pump(0.2)
    node.kill()
    LIVE.discard(node.proc)
    out.seconds = time.monotonic() - start
    judge(out, node.log)
    if vxqemu.PANIC in node.log:
        out.problems.insert(0, "kernel panic")
    if timed_out:
        out.problems.insert(0, "timeout after %d s" % timeout)
    elif not stopped:
        why = qemu_exit_problem(node.proc.returncode)
        if why and not (node.proc.returncode == 3 and reported_failure(out)):
            out.problems.append(why)
    return out


# ---- host binaries, fuzzers and scripts -------------------------------------

def run_program(suite, argv, timeout, need_closing=True, cwd=ROOT):
    """Run a host program; an Outcome judged by its status and output."""
    out = Outcome(suite)
    start = time.monotonic()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.setdefault("ASAN_OPTIONS", "abort_on_error=0:detect_leaks=1")
    try:
        proc = subprocess.Popen(argv, cwd=cwd, env=env,
                                stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT,
                                start_new_session=True)
    except OSError as e:
        out.problems.append("cannot run %s: %s" % (argv[0], e))
        return out
    LIVE.add(proc)
    try:
        data, _ = proc.communicate(timeout=timeout)
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        data, _ = proc.communicate()
        rc = None
    LIVE.discard(proc)
    out.seconds = time.monotonic() - start
    judge(out, data.decode("utf-8", "replace").replace("\r", ""),
          need_closing)
    if rc is None:
        out.problems.insert(0, "timeout after %d s" % timeout)
    elif rc != 0 and not (rc == 1 and reported_failure(out)):
        out.problems.insert(0, status_text(rc))
    return out


def run_host(path, argv=None):
    return run_program("host/" + os.path.basename(path), argv or [path],
                       HOST_TIMEOUT)


# libFuzzer runs: seed (0: random) and at most this many inputs (0: no
# limit) besides the time, so that make test runs the same inputs on any
# machine; make fuzz sets both to 0.  (The gcc driver keeps its own fixed
# seed and runs for the time.)  fuzz_grp held for 400,000 inputs from
# several seeds; more than 30,000 here would take it past 15 s.
FUZZ_SEED = os.environ.get("FUZZ_SEED", "1")
FUZZ_RUNS = os.environ.get("FUZZ_RUNS", "30000")


def is_libfuzzer(path):
    """Was the fuzzer linked with libFuzzer (else tests/fuzz/driver.c)?"""
    try:
        with open(path, "rb") as f:
            return b"LLVMFuzzerRunDriver" in f.read()
    except OSError:
        return False


def run_fuzz(path, seconds):
    """A fuzzer for a bounded time: its status and closing line decide.
    libFuzzer (clang builds) writes the inputs it finds to a temporary
    first corpus folder, never to the seeds in the tree, and crashing
    inputs to build/fuzz-artifacts/NAME/; its result line carries the
    runs, the coverage and the executions per second."""
    name = os.path.basename(path)
    corpus = os.path.join(TESTS, "fuzz", "corpus", name[len("fuzz_"):])
    found = tempfile.mkdtemp(prefix="vx-fuzz-")
    crashes = os.path.join(BUILD, "fuzz-artifacts", name)
    os.makedirs(crashes, exist_ok=True)
    argv = [path, "-max_total_time=%d" % seconds]
    if is_libfuzzer(path):
        argv += ["-seed=" + FUZZ_SEED, "-artifact_prefix=" + crashes + "/"]
        if FUZZ_RUNS != "0":
            argv.append("-runs=" + FUZZ_RUNS)
    argv.append(found)
    if os.path.isdir(corpus):
        argv.append(corpus)
    try:
        out = run_program("fuzz/" + name, argv, seconds * 3 + 60,
                          need_closing=False)
    finally:
        shutil.rmtree(found, ignore_errors=True)
    if vxqemu.closing_line(out.log) is None:
        m = re.search(r"^Done (\d+) runs", out.log, re.M)   # libFuzzer
        st = re.findall(r"^#\d+\s+DONE\s+cov: (\d+) ft: (\d+) .*exec/s: "
                        r"(\d+)", out.log, re.M)
        if m and not out.problems:
            out.results.append((True, "%s runs" % m.group(1) + (
                ", cov: %s, ft: %s, exec/s: %s" % st[-1] if st else "")))
        else:
            out.problems.append("no closing 'N passed, N failed' line")
    return out


def script_timeout(path):
    """`# vx-timeout: N` in a script's first lines, else SCRIPT_TIMEOUT."""
    try:
        with open(path) as f:
            for _, line in zip(range(30), f):
                m = re.match(r"#\s*vx-timeout:\s*(\d+)", line)
                if m:
                    return int(m.group(1))
    except OSError:
        pass
    return SCRIPT_TIMEOUT


def run_script(path):
    rel = os.path.relpath(path, TESTS)
    if rel.startswith(".."):
        rel = os.path.basename(path)
    return run_program(os.path.splitext(rel)[0], [os.path.abspath(path)],
                       script_timeout(path))


# ---- selection and reporting ------------------------------------------------

def find_scripts(folder="*"):
    """Executable tests/FOLDER/t_*.py; a note for those not executable."""
    found = []
    for p in sorted(glob.glob(os.path.join(TESTS, folder, "t_*.py"))):
        if os.access(p, os.X_OK):
            found.append(p)
        else:
            print("# skipped %s: not executable" % os.path.relpath(p, ROOT))
    return found


def select(whats, suites_file, fuzz_time):
    """Jobs (callables returning an Outcome) for the selectors."""
    hosts = sorted(glob.glob(os.path.join(BUILD, "host", "test_*")))
    hosts = [p for p in hosts if os.access(p, os.X_OK)
             and not p.endswith(".d")]
    fuzzers = sorted(p for p in glob.glob(os.path.join(BUILD, "fuzz",
                                                       "fuzz_*"))
                     if os.access(p, os.X_OK) and not p.endswith(".d"))
    suites = parse_suites(suites_file)
    jobs = []

    def add_qemu(s):
        jobs.append(lambda s=s: run_qemu(s["name"], s["cmdline"],
                                         s["timeout"], s["extra"]))

    for what in whats:
        found = False
        if what in ("all", "host"):
            jobs += [lambda p=p: run_host(p) for p in hosts]
            found = True
        if what in ("all", "fuzz"):
            jobs += [lambda p=p: run_fuzz(p, fuzz_time) for p in fuzzers]
            found = True
        if what in ("all", "qemu"):
            for s in suites:
                add_qemu(s)
            found = True
        if what in ("all", "scripts"):
            jobs += [lambda p=p: run_script(p) for p in find_scripts()]
            found = True
        for s in suites:
            if s["name"] == what:
                add_qemu(s)
                found = True
        if what not in ("all", "scripts") and re.match(r"^[\w-]+$", what):
            for p in find_scripts(what):
                jobs.append(lambda p=p: run_script(p))
                found = True
        if not found and os.path.isfile(what) and os.access(what, os.X_OK):
            if what.endswith(".py"):
                jobs.append(lambda p=what: run_script(p))
            else:
                jobs.append(lambda p=what: run_host(os.path.abspath(p)))
            found = True
        if not found:
            raise SystemExit("run.py: nothing called '%s' (see --help)"
                             % what)
    return jobs


def save_log(out, logdir):
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, out.suite.replace("/", "_") + ".log")
    with open(path, "w") as f:
        f.write(out.log)
    return path


def report(out, number, logdir=LOGDIR):
    """Print an Outcome's lines from number on; the next number."""
    log = save_log(out, logdir)
    lines = out.lines()
    for ok, name in lines:
        print("%s %d - %s" % ("ok" if ok else "not ok", number, name))
        number += 1
    npass = sum(1 for ok, _ in lines if ok)
    print("# %s: %d passed, %d failed in %.1f s"
          % (out.suite, npass, len(lines) - npass, out.seconds))
    if out.failed:
        for p in out.problems:
            print("# %s: %s" % (out.suite, p))
        lines = out.log.rstrip("\n").splitlines()
        for i, line in enumerate(lines[:-TAIL]):
            if line.startswith("not ok "):     # context of an early failure
                print("# %s: lines %d-%d:" % (out.suite, max(i - 5, 0) + 1,
                                              i + 1))
                for ctx in lines[max(i - 5, 0):i + 1]:
                    print("#   " + ctx)
        print("# %s: last %d of %d lines of %s:"
              % (out.suite, min(TAIL, len(lines)), len(lines),
                 os.path.relpath(log, ROOT)))
        for line in lines[-TAIL:]:
            print("#   " + line)
    sys.stdout.flush()
    return number


def stop_all(signum=None, frame=None):
    """Kill every running suite (with its children) and leave."""
    for proc in list(LIVE):
        try:
            os.killpg(proc.pid, signal.SIGKILL)   # own session: a script
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.kill()
        except ProcessLookupError:
            pass
    print("# interrupted")
    sys.stdout.flush()
    os._exit(130)


def main():
    ap = argparse.ArgumentParser(
        description="Run VX test suites.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("what", nargs="*", default=["all"])
    ap.add_argument("-j", "--jobs", type=int,
                    default=int(os.environ.get("VX_JOBS", "2")))
    ap.add_argument("--suites", default=SUITES_FILE,
                    help="QEMU suites file (default tests/suites.txt)")
    ap.add_argument("--logs", default=LOGDIR,
                    help="folder for the suites' logs (build/test-logs)")
    ap.add_argument("--fuzz-time", type=int,
                    default=int(os.environ.get("FUZZ_TIME", "15")))
    args = ap.parse_args()

    signal.signal(signal.SIGINT, stop_all)
    signal.signal(signal.SIGTERM, stop_all)
    start = time.monotonic()
    jobs = select(args.what, args.suites, args.fuzz_time)
    number, passed, failed, bad = 1, 0, 0, []
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = [pool.submit(job) for job in jobs]
        for fut in futures:
            try:
                out = fut.result()
            except Exception as e:      # a runner bug: still a failure
                out = Outcome("runner")
                out.problems.append("internal error: %r" % e)
            number = report(out, number, args.logs)
            for ok, _ in out.lines():
                passed += ok
                failed += not ok
            if out.failed:
                bad.append(out.suite)
    print("# %d suites in %.0f s%s" % (len(jobs), time.monotonic() - start,
                                       "; failed: " + ", ".join(bad)
                                       if bad else ""))
    if not jobs:
        print("# no suites found")
        failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
