#!/usr/bin/env python3
"""t_cfdata.py - the CompactFlash image boots through GRUB and its data
partition is used through vdisk in PIO-only mode.

Builds a private copy of the CF image (boot/mkboot.sh, as `make
cf-image` does) whose kernel command line is `ide=pio ktest=vdisk_cf`,
boots it as QEMU's IDE primary master and waits for the kernel test.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, ROOT, Node, closing_line  # noqa: E402


def main():
    ok = False
    detail = ""
    with tempfile.TemporaryDirectory(prefix="vx-cf-") as tmp:
        img = os.path.join(tmp, "cf.img")
        env = dict(os.environ, CMDLINE="node=cf ide=pio ktest=vdisk_cf")
        subprocess.run([os.path.join(ROOT, "boot", "mkboot.sh"), "cf", img,
                        os.path.join(BUILD, "vx-test.elf"),
                        os.path.join(BUILD, "vx-boot.img")],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        n = Node("cf", boot=["-drive", "file=%s,format=raw,if=ide" % img])
        n.start()
        try:
            code = n.wait_exit(120)
            ok = code == 0 and closing_line(n.log) == (1, 0) and \
                "vx: ready cf" in n.log
            detail = n.log
        except TimeoutError as e:
            detail = str(e)
    print("%s 1 - CF image: GRUB boot, data partition via vdisk in PIO mode"
          % ("ok" if ok else "not ok"))
    if not ok:
        for line in detail.splitlines()[-25:]:
            print("# " + line)
    print("%d passed, %d failed" % (int(ok), int(not ok)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
