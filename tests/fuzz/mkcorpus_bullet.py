#!/usr/bin/env python3
"""mkcorpus_bullet.py - seed inputs of fuzz_bullet_disk and fuzz_bullet_req.

Layouts: see the heads of tests/fuzz/fuzz_bullet_disk.c (selector byte,
superblock, inode table) and fuzz_bullet_req.c (12-byte requests plus
data).  Run from the repository root: python3 tests/fuzz/mkcorpus_bullet.py
"""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
CMD = {n: i for i, n in enumerate(
    "CREATE DELETE FSCK INSERT MODIFY READ SIZE COMPACT SYNC AGE COPY "
    "DESTROY INFO RESTRICT STATUS TOUCH NTOUCH GETPARAMS SETPARAMS".split())}
COMMIT, SAFETY = 1, 2


def req(cmd, cap=0, off=0, size=0, extra=0, data=b"", flags=0):
    return (bytes([CMD[cmd], cap]) + struct.pack("<iHH", off, size, extra) +
            bytes([len(data), flags]) + data)


def superblock(shift=9, ninodes=64, nblocks=512, top=2):
    blk = bytearray(512)
    struct.pack_into(">5I", blk, 0, 0x70BDCE21, shift, ninodes, nblocks, top)
    blk[20:36] = b"GETPRT\0\0\0\xffCHECKS"
    s = 0
    for i in range(0, 512, 2):
        s ^= blk[i] << 8 | blk[i + 1]
    struct.pack_into(">H", blk, 36, s)
    return bytes(blk)


def inode(addr, size, life=24):
    return struct.pack(">II", addr, size) + b"random" + bytes([life, 0])


def write(name, seeds):
    d = os.path.join(ROOT, name)
    os.makedirs(d, exist_ok=True)
    for i, s in enumerate(seeds):
        with open(os.path.join(d, "seed%02d" % i), "wb") as f:
            f.write(s)


def main():
    table = inode(0, 0, 0) + inode(3, 1000) + inode(10, 600) + \
        inode(11, 100) + inode(0, 0) + inode(600, 10)
    write("bullet_disk", [b"\0" + superblock() + table,
                          b"\x07" + superblock() + table,
                          b"\0" + superblock(shift=12, top=1) + table])
    a = b"A" * 100
    write("bullet_req", [
        req("CREATE", data=a) + req("MODIFY", 1, 50, data=a, extra=COMMIT) +
        req("READ", 1, 0, 500) + req("INSERT", 1, 10, data=a[:20],
                                     extra=COMMIT | SAFETY) +
        req("DELETE", 2, 0, 4, COMMIT, struct.pack("<i", 5)) +
        req("DESTROY", 1) + req("COMPACT") + req("FSCK"),
        req("CREATE", data=a, extra=COMMIT) + req("CREATE", 1, data=a,
                                                   extra=COMMIT) +
        req("AGE") * 24 + req("SIZE", 1) + req("STATUS", size=1000),
        req("CREATE", data=a * 2, flags=2) + req("CREATE", data=a,
                                                 extra=COMMIT, flags=4) +
        req("CREATE", data=a) + req("INFO", 2, size=100, flags=1) * 10 +
        req("RESTRICT", 1, 2) + req("TOUCH", 1) + req("SYNC", 1),
    ])


if __name__ == "__main__":
    main()
