#!/usr/bin/env python3
# vx-timeout: 600
"""t_ide - ATA/IDE and block-device tests on QEMU disk images.

Disk images are sparse temporary files (truncate), attached with
-drive file=...,format=raw,if=ide,index=N (hd<N> in the guest).

  ide_dma_rw        hd0 master, hd1 slave, hd3 secondary slave (the default
                    CD-ROM is the secondary master and is skipped): sizes
                    and DMA mode right; write/read/verify of the last 16 MiB
                    of hd0 including the last sector; unaligned buffers;
                    requests past the end fail
  ide_dma_rw_hd3    the same on the secondary slave (4 MiB)
  ide_pio_rw        the same with ide=pio (QEMU's disk in PIO-only mode)
  ide_legacy_pio    nopci: legacy channels without bus master, PIO
  ide_pio16_lba48   PIO with 16-bit data port accesses and 48-bit commands
  ide_dma_lba48     DMA with 48-bit commands on a small disk
  ide_concurrent    one thread per disk (hd0, hd1 share a channel), DMA
  ide_concurrent_pio  the same in PIO
  ide_partitions    an MBR with two primaries, one out of bounds (ignored)
                    and an extended partition with two logicals
  ide_lba48         a 200 GiB sparse disk: requests across sector 2^28
  ide_fail          blkdebug makes sector 100 fail: error, no hang, the
                    drive keeps working
  ide_missing       -nodefaults, one slave-only disk: empty channel and
                    missing master probed without hanging
  ide_cfa_decode    CompactFlash recognition and PIO/DMA choice
Every run also fails on an "ide: ... lost interrupt" line.
Usage: t_ide.py [--bench]   (--bench: only the DMA and PIO 16 MiB runs)
Prints bench: ide_{dma,pio}_{read,write}_MBps lines.  One QEMU at a time.
"""

import os
import re
import shutil
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vxqemu import Node, closing_line, Tap  # noqa: E402

tap = Tap(tail=30)
bench = []
TMP = tempfile.mkdtemp(prefix="vx-ide-")


report = tap.report


def image(name, size):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def drive(path, index, extra=""):
    return "file=%s,format=raw,if=ide,index=%d%s" % (path, index, extra)


def boot(name, append, drives=(), extra=(), timeout=240, want=1):
    n = Node(name, append=append, drives=drives, extra=extra)
    t0 = time.monotonic()
    n.start()
    try:
        rc = n.wait_exit(timeout)
    except (TimeoutError, AssertionError):
        rc = None
    n.kill()
    ok = rc == 0 and closing_line(n.log) == (want, 0) \
        and "lost interrupt" not in n.log
    bench.extend(re.findall(r"^(bench: .*)$", n.log, re.M))
    report(name, ok, n.log)
    return n, time.monotonic() - t0


def mbr(entries):
    """A sector 0 with up to four (type, start, count) entries."""
    sec = bytearray(512)
    for i, (typ, start, count) in enumerate(entries):
        struct.pack_into("<B3sB3sII", sec, 446 + 16 * i, 0, b"\0\0\0", typ,
                         b"\0\0\0", start, count)
    sec[510:512] = b"\x55\xaa"
    return bytes(sec)


def write_at(path, lba, data):
    with open(path, "r+b") as f:
        f.seek(lba * 512)
        f.write(data)


def main():
    only_bench = "--bench" in sys.argv
    d0 = image("d0.img", 64 << 20)
    d1 = image("d1.img", 20 << 20)
    d3 = image("d3.img", 8 << 20)
    disks = [drive(d0, 0), drive(d1, 1), drive(d3, 3)]
    expect = "hd0:131072:%s,hd1:40960:%s,hd3:16384:%s"
    boot("ide_dma_rw", "ktest=ide_probe,ide_rw ideexpect=" +
         expect % ("dma", "dma", "dma") +
         " idedev=hd0 idemb=16 idemode=dma idebench=dma", disks, want=2)
    boot("ide_pio_rw", "ktest=ide_probe,ide_rw ide=pio ideexpect=" +
         expect % ("pio", "pio", "pio") +
         " idedev=hd0 idemb=16 idemode=pio idebench=pio", disks, want=2)
    if only_bench:
        return finish()
    boot("ide_dma_rw_hd3", "ktest=ide_rw idedev=hd3 idemb=4 idemode=dma",
         disks)
    boot("ide_legacy_pio", "ktest=ide_rw nopci idedev=hd1 idemb=4 "
         "idemode=pio", disks)
    boot("ide_pio16_lba48", "ktest=ide_rw ide=pio,pio16,lba48 idedev=hd0 "
         "idemb=4 idemode=pio", disks)
    boot("ide_dma_lba48", "ktest=ide_rw ide=lba48 idedev=hd1 idemb=4 "
         "idemode=dma", disks)
    boot("ide_concurrent", "ktest=ide_concurrent idedevs=hd0,hd1,hd3",
         disks)
    boot("ide_concurrent_pio", "ktest=ide_concurrent ide=pio "
         "idedevs=hd0,hd1,hd3", disks)

    p = image("part.img", 16 << 20)
    write_at(p, 0, mbr([(0x83, 2048, 4096), (0x93, 8192, 1024),
                        (0x05, 10240, 4096), (0x83, 1000000, 10)]))
    write_at(p, 10240, mbr([(0x83, 64, 1000), (0x05, 2048, 1024)]))
    write_at(p, 12288, mbr([(0x83, 32, 500)]))
    boot("ide_partitions", "ktest=ide_part idedev=hd0 idepart="
         "hd0p1:2048:4096,hd0p2:8192:1024,hd0p5:10304:1000,"
         "hd0p6:12320:500", [drive(p, 0)])

    big = image("big.img", 200 << 30)
    boot("ide_lba48", "ktest=ide_lba48 idedev=hd0", [drive(big, 0)])

    f = image("fail.img", 8 << 20)
    conf = os.path.join(TMP, "blkdebug.conf")
    with open(conf, "w") as c:
        c.write('[inject-error]\nevent = "read_aio"\nerrno = "5"\n'
                'sector = "100"\nonce = "off"\n')
    boot("ide_fail", "ktest=ide_fail idedev=hd0 idebad=100",
         ["file=blkdebug:%s:%s,format=raw,if=ide,index=0,"
          "rerror=report,werror=report" % (conf, f)])

    s = image("slave.img", 4 << 20)
    n, secs = boot("ide_missing", "ktest=ide_probe ideexpect=hd1:8192:dma",
                   [drive(s, 1)], extra=["-nodefaults"])
    report("ide_missing_boot_time", secs < 30, "took %.1f s" % secs)

    boot("ide_cfa_decode", "ktest=ide_cfa_decode")
    return finish()


def finish():
    shutil.rmtree(TMP, ignore_errors=True)
    for line in bench:
        print(line)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
