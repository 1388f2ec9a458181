#!/usr/bin/env python3
"""fake_qemu.py MODE [ignored QEMU arguments] - a stand-in for QEMU (or a
test program) that misbehaves on purpose, for tests/runner/t_runner.py.

    pass     ok lines, closing line, exit 1 (= guest code 0): a good run
    exit0    ok lines, closing line, exit 0 (a good host test program)
    hang     ok lines, then never exits (the runner's timeout must fire)
    reset    ok lines and closing line, exit 0 (a guest reset)
    noclose  ok lines, exit 1, but no closing line
    miscount closing line that disagrees with the result lines, exit 1
    segv     ok lines, closing line, then dies of SIGSEGV (a crash)
"""
import os
import signal
import sys
import time

mode = sys.argv[1]
print("VX kernel: fake, 0 boot module(s), cmdline 'fake'")
print("vx: ready fake")
print("ok 1 - fake_one")
print("ok 2 - fake_two")
sys.stdout.flush()
if mode == "hang":
    while True:
        time.sleep(1)
if mode in ("pass", "exit0", "reset", "segv"):
    print("2 passed, 0 failed")
if mode == "miscount":
    print("3 passed, 0 failed")
sys.stdout.flush()
if mode == "segv":
    os.kill(os.getpid(), signal.SIGSEGV)
sys.exit(0 if mode in ("reset", "exit0") else 1)
