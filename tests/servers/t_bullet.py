#!/usr/bin/env python3
# vx-timeout: 900
"""t_bullet.py - the Bullet file server on an IDE disk, across reboots.

Makes a 4 MiB disk with build/tools/mkfs_bullet (no root, no loop
device) and boots a node with it four times, each running
tests/user/test_bullet (which starts the server from its own copy):

1. main    every command and error case; the files it keeps are printed
           as "# keep CAP SIZE SEED";
2. reboot  the node is started again on the same disk: the kept files
           (one committed with BS_SAFETY, one committed then b_sync'ed,
           and one put in by mkfs_bullet on the host) are there with
           their exact bytes, BS_FSCK finds the disk consistent;
3. gone    the inode table is damaged on the host (the second kept file
           made to overlap the first, a garbage inode beyond the disk):
           the server's boot-time check clears all three with messages
           naming them, and BS_FSCK is clean afterwards;
4. image   boot/mkfsimg.sh (make fs-image) with FSDIR makes an MBR disk;
           the server finds its partition 1 and the FSDIR file is intact;
5. vx-mkfs mkfs run on the node itself formats a blank disk that the
           server then accepts;
6. remote  two nodes on a private VDE switch: `init=bullet` on the disk
           node, and a diskless node that finds it with
           bullet_default_cap (FLIP locate of a well-known port) and runs
           the basic, change, rights and argument tests against it;
7. refuse  one bit of the superblock is flipped: the server refuses the
           disk with a message and ends.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, ROOT, Node, VdeSwitch, Tap  # noqa: E402

MKFS = os.path.join(BUILD, "tools", "mkfs_bullet")
tap = Tap()
check = tap.check


def boot(phase, disk, args, timeout=400):
    """Run test_bullet ARGS on a node with disk; its log and exit code."""
    n = Node("bullet", append="nofs init=test_bullet " + args,
             drives=["file=%s,format=raw,if=ide,index=0" % disk])
    n.start()
    try:
        code = n.wait_exit(timeout)
    except (TimeoutError, AssertionError) as e:
        code, n.log = None, n.log + "\n" + str(e)
    tap.relay(phase, n.log, code, "test_bullet")
    return n.log


def pattern(n, seed):
    """test_bullet's fill(): bits 16-23 of a 32-bit LCG."""
    out = bytearray(n)
    for i in range(n):
        seed = (seed * 1103515245 + 12345) & 0xFFFFFFFF
        out[i] = (seed >> 16) & 0xFF
    return bytes(out)


def superblock(disk):
    with open(disk, "rb") as f:
        blk = f.read(512)
    magic, shift, ninodes, nblocks, top = struct.unpack(">5I", blk[:20])
    return shift, ninodes, nblocks


def inode_offset(disk, n):
    return (1 << superblock(disk)[0]) + 16 * n


def damage_inodes(disk, cap_a, cap_b):
    """Make file b overlap file a; add a garbage inode; their numbers."""
    ia = int.from_bytes(bytes.fromhex(cap_a)[6:9], "little")
    ib = int.from_bytes(bytes.fromhex(cap_b)[6:9], "little")
    ninodes = superblock(disk)[1]
    junk = ninodes - 3
    with open(disk, "r+b") as f:
        f.seek(inode_offset(disk, ia))
        addr_a = f.read(4)
        f.seek(inode_offset(disk, ib))
        f.write(addr_a)
        f.seek(inode_offset(disk, junk))
        f.write(struct.pack(">II", 0x7FFFFF00, 4096) + b"junkjk" +
                bytes([24, 0]))
    return ia, ib, junk


def fs_image(tmp, host_file):
    """boot/mkfsimg.sh (make fs-image) with FSDIR: partition 1 served."""
    img = os.path.join(tmp, "fs.img")
    fsdir = os.path.join(tmp, "fsdir")
    os.makedirs(fsdir)
    os.link(host_file, os.path.join(fsdir, "pattern"))
    env = dict(os.environ, FS_MB="16", FSDIR=fsdir)
    mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img, MKFS,
                         os.path.join(BUILD, "user", "hello")],
                        capture_output=True, text=True, env=env)
    caps = open(img[:-4] + ".caps").read() if mk.returncode == 0 else ""
    pat = re.search(r"^file ([0-9a-f]{32}) 20000 home/pattern$", caps, re.M)
    check(pat and re.search(r"^file [0-9a-f]{32} \d+ bin/hello$", caps,
                            re.M), "mkfsimg.sh: an MBR disk with bin/hello "
          "and FSDIR's home/pattern in partition 1")
    if pat:
        log = boot("image", img, "reboot %s 20000 31" % pat.group(1))
        check("bullet: vdisk:hd0p1:" in log,
              "image: the server found the Bullet partition hd0p1")


def remote(disk):
    """A diskless node uses the file server of another node (VDE)."""
    with VdeSwitch() as sw:
        srv = Node("fs", append="node=fs nofs init=bullet -n fs",
                   drives=["file=%s,format=raw,if=ide,index=0" % disk],
                   nics=[("e1000", sw)])
        cli = Node("cli", append="node=cli init=test_bullet remote",
                   nics=[("e1000", sw)])
        srv.start()
        try:
            srv.expect(r"bullet: vdisk:hd0: serving", 120)
            cli.start()
            code = cli.wait_exit(300)
        except (TimeoutError, AssertionError) as e:
            code, cli.log = None, cli.log + "\n" + str(e)
        finally:
            srv.kill()
            cli.kill()
    tap.relay("remote", srv.log + cli.log if code != 0 else cli.log, code,
              "test_bullet on the diskless node")


def vx_mkfs(tmp):
    """The VX mkfs on a blank disk; the server then serves it."""
    disk = os.path.join(tmp, "blank.img")
    with open(disk, "wb") as f:
        f.truncate(4 << 20)
    n = Node("mkfs", append="init=mkfs vdisk:hd0",
             drives=["file=%s,format=raw,if=ide,index=0" % disk])
    n.start()
    try:
        code = n.wait_exit(120)
    except (TimeoutError, AssertionError) as e:
        code, n.log = None, n.log + "\n" + str(e)
    with open(disk, "rb") as f:
        blk = f.read(512)
    words = struct.unpack(">256H", blk)
    xor = 0
    for w in words:
        xor ^= w
    check(code == 0 and "mkfs: vdisk:hd0: 8192 blocks of 512 bytes, 512 "
          "inodes" in n.log and blk[:4] == b"\x70\xbd\xce\x21" and
          xor == 0 and struct.unpack(">4I", blk[4:20]) == (9, 512, 8192, 16),
          "vx-mkfs: mkfs on the node writes the superblock of spec 6.3")
    boot("vx-mkfs", disk, "reboot")


def main():
    with tempfile.TemporaryDirectory(prefix="vx-bullet-") as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(4 << 20)
        host_file = os.path.join(tmp, "pattern")
        with open(host_file, "wb") as f:
            f.write(pattern(20000, 31))
        mk = subprocess.run([MKFS, disk, host_file], capture_output=True,
                            text=True)
        added = re.findall(r"^file ([0-9a-f]{32}) (\d+) ", mk.stdout, re.M)
        check(mk.returncode == 0 and "supercap" in mk.stdout and
              len(added) == 1, "mkfs_bullet makes a 4 MiB Bullet disk "
              "holding one file from the host")

        log = boot("main", disk, "main " + " ".join(a[0] for a in added))
        keep = re.findall(r"^# keep ([0-9a-f]{32}) (\d+) (\d+)$", log, re.M)
        check(len(keep) == 2, "main: two files kept for the reboot")

        if len(keep) == 2:
            files = keep + [(added[0][0], "20000", "31")] if added else keep
            boot("reboot", disk, "reboot " + " ".join(" ".join(k)
                                                     for k in files))
            ia, ib, junk = damage_inodes(disk, keep[0][0], keep[1][0])
            log = boot("gone", disk, "gone %s %s" % (keep[0][0], keep[1][0]))
            pair = re.search(r"inode (%d|%d) overlaps inode (%d|%d), both "
                             "cleared" % (ia, ib, ia, ib), log)
            check(pair is not None, "gone: boot-time check names the "
                  "overlapping inodes %d and %d" % (ia, ib))
            check(re.search(r"inode %d: blocks beyond the end of the disk, "
                            "cleared" % junk, log) is not None,
                  "gone: boot-time check names the garbage inode %d" % junk)

        fs_image(tmp, host_file)
        vx_mkfs(tmp)
        remote(disk)

        with open(disk, "r+b") as f:
            f.seek(200)
            b = f.read(1)
            f.seek(200)
            f.write(bytes([b[0] ^ 0x04]))
        log = boot("refuse", disk, "refuse")
        check("superblock checksum wrong: disk refused" in log,
              "refuse: the server says why it refuses the disk")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
