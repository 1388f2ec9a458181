#!/usr/bin/env python3
"""bench_bullet.py - Bullet file server benchmark rows (make bench).

Makes a 64 MiB Bullet disk with build/tools/mkfs_bullet and boots
`test_bullet bench` on it (the server on the same node), then prints its
lines: bullet_read_1m (MB/s, 20 reads of a cached 1 MiB file),
bullet_create_small (files/s, create+commit of 1,000 100-byte files) and
bullet_safety_write (MB/s, 16 files of 256 KiB committed with BS_SAFETY,
data and inode written before each reply).
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, Node  # noqa: E402


def main():
    with tempfile.TemporaryDirectory(prefix="vx-bbullet-") as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(64 << 20)
        subprocess.run([os.path.join(BUILD, "tools", "mkfs_bullet"), disk],
                       check=True, stdout=subprocess.DEVNULL)
        n = Node("bbullet", append="init=test_bullet bench",
                 drives=["file=%s,format=raw,if=ide,index=0" % disk])
        n.start()
        try:
            code = n.wait_exit(500)
        except (TimeoutError, AssertionError) as e:
            code, n.log = None, n.log + "\n" + str(e)
    for line in re.findall(r"^bench: .*$", n.log, re.M):
        print(line)
    if code != 0:
        print("\n".join(n.log.splitlines()[-20:]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
