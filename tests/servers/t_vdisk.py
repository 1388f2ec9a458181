#!/usr/bin/env python3
"""t_vdisk.py - the vdisk server on a real IDE disk with two partitions.

Makes a 16 MiB disk image with an MBR (sfdisk, no root), boots a node
with it as the primary master and runs the kernel's vdisk tests, once
with DMA and once in PIO-only (CompactFlash) mode; then the disk stubs
of module/disk.h from a user program (tests/user/test_disk.c).
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import Node, closing_line  # noqa: E402


def make_disk(path):
    with open(path, "wb") as f:
        f.truncate(16 << 20)
    table = "label: dos\nunit: sectors\nstart=2048, size=8192, type=da\nstart=10240, type=da\n"
    subprocess.run(["sfdisk", "-q", path], input=table.encode(), check=True)


def main():
    results = []
    with tempfile.TemporaryDirectory(prefix="vx-vdisk-") as tmp:
        disk = os.path.join(tmp, "disk.img")
        make_disk(disk)
        for mode in ("", "ide=pio"):
            n = Node("vd", append="ktest=vdisk_partitions " + mode,
                     drives=["file=%s,format=raw,if=ide,index=0" % disk])
            n.start()
            try:
                code = n.wait_exit(120)
            except TimeoutError as e:
                code, n.log = None, str(e)
            ok = code == 0 and closing_line(n.log) == (1, 0)
            results.append(ok)
            print("%s %d - vdisk partition bounds and rights (%s)"
                  % ("ok" if ok else "not ok", len(results), mode or "dma"))
            if not ok:
                for line in n.log.splitlines()[-25:]:
                    print("# " + line)
        n = Node("vd", append="init=test_disk",
                 drives=["file=%s,format=raw,if=ide,index=0" % disk])
        n.start()
        try:
            code = n.wait_exit(120)
        except TimeoutError as e:
            code, n.log = None, str(e)
        counts = closing_line(n.log)
        ok = code == 0 and counts is not None and counts[1] == 0 and \
            counts[0] >= 15
        results.append(ok)
        print("%s %d - module/disk.h stubs from a user program (%s)"
              % ("ok" if ok else "not ok", len(results),
                 "%d checks" % counts[0] if counts else "no closing line"))
        if not ok:
            for line in n.log.splitlines()[-25:]:
                print("# " + line)
    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
