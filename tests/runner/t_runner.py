#!/usr/bin/env python3
# vx-timeout: 300
"""t_runner.py - the test runner's self-test.

Shows that a failing test makes the run fail, through the same functions
tests/run.py uses for the real suites: a kernel test that fails
(ktest=selftest_fail), a kernel panic (ktest=selftest_panic), and fake
QEMUs (fake_qemu.py) that hang, reset the guest, or leave out or miscount
the closing line; a host program that crashes; a script without a closing
line or that hangs; fuzzers that crash or say nothing; and run.py itself,
which must exit non-zero when a suite fails.  Each expected failure is
one passing test here; positive controls show the checks do not fail
everything.
"""
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import run  # noqa: E402

FAKE = [sys.executable, os.path.join(HERE, "fake_qemu.py")]
passed = failed = 0


def check(cond, what, out=None):
    """One result line; on failure show what the runner said."""
    global passed, failed
    if cond:
        passed += 1
        print("ok %d - %s" % (passed + failed, what))
    else:
        failed += 1
        print("not ok %d - %s" % (passed + failed, what))
        if out is not None:
            print("# problems: %s" % out.problems)
            for line in out.log.splitlines()[-15:]:
                print("#   " + line)
    sys.stdout.flush()


def has(out, text):
    return any(text in p for p in out.problems)


def kernel_cases():
    out = run.run_qemu("selftest", "ktest=selftest_pass", 60)
    check(not out.failed and out.results == [(True, "selftest_pass")],
          "control: ktest=selftest_pass passes", out)
    out = run.run_qemu("selftest", "ktest=selftest_fail", 60)
    check(out.failed and (False, "selftest_fail") in out.results,
          "ktest=selftest_fail is reported as a failure", out)
    out = run.run_qemu("selftest", "ktest=selftest_panic", 60)
    check(out.failed and has(out, "kernel panic"),
          "ktest=selftest_panic is reported as a panic", out)


def fake_qemu_cases():
    out = run.run_qemu("fake", "", 30, qemu=FAKE + ["pass"])
    check(not out.failed and len(out.results) == 2,
          "control: fake QEMU with a good run passes", out)
    start = time.monotonic()
    out = run.run_qemu("fake", "", 3, qemu=FAKE + ["hang"])
    took = time.monotonic() - start
    check(out.failed and has(out, "timeout") and took < 15,
          "fake QEMU that hangs: timeout (%.1f s)" % took, out)
    out = run.run_qemu("fake", "", 30, qemu=FAKE + ["reset"])
    check(out.failed and has(out, "exit status 0"),
          "fake QEMU that exits 0 (guest reset) fails", out)
    out = run.run_qemu("fake", "", 30, qemu=FAKE + ["noclose"])
    check(out.failed and has(out, "no closing"),
          "fake QEMU without a closing line fails", out)
    out = run.run_qemu("fake", "", 30, qemu=FAKE + ["miscount"])
    check(out.failed and has(out, "closing line says"),
          "fake QEMU whose closing line miscounts fails", out)


def program_cases(tmp):
    fake = os.path.join(HERE, "fake_qemu.py")
    out = run.run_host(fake, FAKE + ["exit0"])
    check(not out.failed, "control: good host program passes", out)
    out = run.run_host(fake, FAKE + ["segv"])
    check(out.failed and has(out, "SIGSEGV"),
          "host program that crashes fails", out)
    out = run.run_host(fake, FAKE + ["pass"])
    check(out.failed and has(out, "exit status 1"),
          "host program that exits 1 fails", out)
    script = os.path.join(tmp, "t_noclose.py")
    with open(script, "w") as f:
        f.write("#!%s\nprint('ok 1 - x')\n" % sys.executable)
    os.chmod(script, 0o755)
    out = run.run_script(script)
    check(out.failed and has(out, "no closing"),
          "script without a closing line fails", out)
    script = os.path.join(tmp, "t_hang.py")
    with open(script, "w") as f:
        f.write("#!%s\n# vx-timeout: 2\nimport time\nprint('ok 1 - x')\n"
                "time.sleep(600)\n" % sys.executable)
    os.chmod(script, 0o755)
    out = run.run_script(script)
    check(out.failed and has(out, "timeout after 2 s"),
          "script that hangs is stopped by its vx-timeout", out)


def fake_fuzzer(tmp, name, body):
    """An executable fuzz_NAME that checks its -max_total_time argument."""
    path = os.path.join(tmp, "fuzz_" + name)
    with open(path, "w") as f:
        f.write("#!%s\nimport sys\n"
                "assert '-max_total_time=2' in sys.argv, sys.argv\n%s\n"
                % (sys.executable, body))
    os.chmod(path, 0o755)
    return path


def fuzz_cases(tmp):
    out = run.run_fuzz(fake_fuzzer(tmp, "good", "print('1 passed, 0 failed')"),
                       2)
    check(not out.failed, "control: fuzzer with a closing line passes", out)
    out = run.run_fuzz(fake_fuzzer(tmp, "libfuzzer",
                                   "print('Done 1234 runs in 2 second(s)')"),
                       2)
    check(not out.failed and out.results == [(True, "1234 runs")],
          "control: libFuzzer's 'Done N runs' passes", out)
    out = run.run_fuzz(fake_fuzzer(tmp, "crash",
                                   "print('==1==ERROR: AddressSanitizer')\n"
                                   "sys.exit(77)"), 2)
    check(out.failed and has(out, "exit status 77"),
          "fuzzer that finds a crash fails", out)
    out = run.run_fuzz(fake_fuzzer(tmp, "silent", "pass"), 2)
    check(out.failed and has(out, "no closing"),
          "fuzzer without a closing line fails", out)


def whole_run(tmp, lines):
    """run.py on a suites file; (exit status, output)."""
    suites = os.path.join(tmp, "suites.txt")
    with open(suites, "w") as f:
        f.write("# test\n" + "".join(l + "\n" for l in lines))
    argv = [sys.executable, os.path.join(run.TESTS, "run.py"), "-j", "1",
            "--suites", suites, "--logs", os.path.join(tmp, "logs"), "qemu"]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=240)
    return p.returncode, p.stdout + p.stderr


def runner_cases(tmp):
    rc, text = whole_run(tmp, ["good | ktest=selftest_pass | 60"])
    last = text.strip().splitlines()[-1] if text.strip() else ""
    check(rc == 0 and last == "1 passed, 0 failed",
          "control: run.py with a passing suite exits 0")
    if rc != 0:
        print("\n".join("#   " + l for l in text.splitlines()[-15:]))
    rc, text = whole_run(tmp, ["good | ktest=selftest_pass | 60",
                               "bad | ktest=selftest_fail | 60"])
    last = text.strip().splitlines()[-1] if text.strip() else ""
    check(rc != 0 and last == "1 passed, 1 failed"
          and "not ok 2 - bad: selftest_fail" in text,
          "run.py with a failing suite exits %d, ends '%s'" % (rc, last))


def main():
    with tempfile.TemporaryDirectory(prefix="vx-runner-") as tmp:
        kernel_cases()
        fake_qemu_cases()
        program_cases(tmp)
        fuzz_cases(tmp)
        runner_cases(tmp)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
