#!/usr/bin/env python3
"""mkcorpus.py - write the seed inputs of fuzz_flip, fuzz_rpc and fuzz_grp.

Seeds are built from the wire formats of spec 2.2-2.4, 3.2-3.4 and 4.2, in
the input layouts the targets expect (see the head of each target).
Run from the repository root: python3 tests/fuzz/mkcorpus.py
"""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def amphdr(typ, flags=0, tid=1000, dest=0, frm=0, kid=b"\x11" * 8,
           port=b"\0" * 6):
    return kid + port + bytes([typ, flags]) + struct.pack("<IHH", tid, dest,
                                                          frm)


def amoeba_header(cmd=1, off=0, size=0, extra=0):
    return b"P" * 6 + b"\0" * 6 + b"\0" * 10 + struct.pack("<HiHH", cmd, off,
                                                           size, extra)


def flip_hdr(typ, flags=0, act=3, mx=25, dst=b"\0" * 8, src=b"\x05" * 8,
             messid=1, length=0, offset=0, total=None, big=False):
    if total is None:
        total = offset + length
    fmt = ">" if big else "<"
    ints = struct.pack(fmt + "HH", act, mx)
    tail = struct.pack(fmt + "IIII", messid, length, offset, total)
    return bytes([1, typ, flags | (1 if big else 0), 0]) + ints + dst + \
        src + tail


def ether(body, fctype=0, cnt=0):
    f = bytes([2, 0, 0, 0, 0, 2, 2, 0xde, 0xad, 0, 0, 0x99, 0x81, 0x46,
               fctype, cnt]) + body
    return f + b"\0" * max(0, 60 - len(f))


def write(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def flip_seeds():
    req = amphdr(3, dest=10, frm=1) + amoeba_header() + b"hello"
    loc = b"\0\0\0\1" + amphdr(1, tid=5)
    raw = {
        "locate": flip_hdr(1, mx=3, dst=b"\x01" * 7 + b"\0"),
        "locate_inval": flip_hdr(1, mx=26, dst=b"\x01" * 7 + b"\0"),
        "hereis": flip_hdr(2, act=0, mx=3, dst=b"\x01" * 7 + b"\0",
                           length=4) + struct.pack("<HH", 1, 1),
        "unidata": flip_hdr(3, dst=b"\x01" * 7 + b"\0", length=len(req)) +
        req,
        "unidata_big": flip_hdr(3, dst=b"\x01" * 7 + b"\0",
                                length=len(req), big=True) + req,
        "multidata_null": flip_hdr(4, length=len(loc)) + loc,
        "nothere": flip_hdr(5, dst=b"\x01" * 7 + b"\0", length=5) + b"data!",
        "untrusted": flip_hdr(6, flags=0x14, dst=b"\x02" * 8, length=0),
        "frag2": flip_hdr(3, dst=b"\x01" * 7 + b"\0", length=100,
                          offset=1458, total=3000) + b"x" * 100,
    }
    for name, pkt in raw.items():
        write("flip", "raw_" + name, b"\0" + ether(pkt))
    for fc in (1, 2, 3, 4, 5, 6):
        write("flip", "fc_%d" % fc, bytes([3, fc, 4]))
    grp = bytes([0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0])
    mloc = bytes([0x55, 0x55]) + grp[2:6] + b"\0\0"
    write("flip", "raw_mcreq", b"\0" + ether(mloc + grp, fctype=3))
    write("flip", "raw_mcack", b"\0" + ether(grp, fctype=4))
    write("flip", "raw_mcnak", b"\0" + ether(grp, fctype=5))
    # mode 2: fields -> header; d[4] bit0 = dst is B, bit3/4 = B's port
    for typ, sel, body in ((3, 0x11, req), (4, 0x0a, loc), (1, 0x01, b""),
                           (2, 0x01, b"\1\0\1\0"), (5, 0x01, req)):
        d = bytes([typ, 0x04, 3, 25, sel, 7, 0, 0]) + b"\0" * 8 + \
            b"\x07" * 8 + body
        write("flip", "hdr_t%d" % typ, b"\2" + d)


def rpc_seeds():
    # sel bits: 1 notdeliver, 2/4 dst (0 = null, 2 = B), 0x10 B's port,
    # 0x20 offset given, 0x40 total given, 0x80 src = node A
    req = amphdr(3, dest=10, frm=1) + amoeba_header(size=4) + b"data"
    seeds = {
        "request": (0x12, req),
        "request_retrans": (0x12, amphdr(3, 2, dest=10, frm=1) +
                            amoeba_header()),
        "request_multi": (0x52, req),
        "locate": (0x10, b"\0\0\0\1" + amphdr(1, tid=77)),
        "hereis": (0x92, amphdr(2, dest=0, frm=0)),
        "reply": (0x82, amphdr(4, dest=0, frm=0) + amoeba_header()),
        "ack": (0x82, amphdr(5)),
        "nak": (0x82, amphdr(6)),
        "enquire": (0x02, amphdr(7, 0x10)),
        "alive": (0x82, amphdr(8)),
        "received_req": (0x02, amphdr(9, 0x04)),
        "received_rep": (0x82, amphdr(9, 0x08)),
        "forward": (0x82, amphdr(10) + b"\1" * 8),
        "fail": (0x82, amphdr(11)),
        "frag": (0x62, b"z" * 200),
        "notdeliver_req": (0x13, req),
        "notdeliver_rep": (0x03, amphdr(4) + amoeba_header()),
    }
    for name, (sel, pay) in seeds.items():
        total = len(pay) + (3000 if sel & 0x40 else 0)
        off = 56 if sel & 0x20 else 0
        hdr = bytes([sel]) + struct.pack("<III", 9, off, total)
        write("rpc", name, hdr + pay)


def bchdr(typ, cpu=0, inc=0, seqno=0, messid=1, expect=1, big=False):
    fmt = ">" if big else "<"
    return bytes([typ, 1 if big else 0]) + struct.pack(
        fmt + "HHHIII", 0, cpu, inc, seqno, messid, expect)


def grp_seeds():
    # sel bits: 0-1 dst (null, g_addr, g_addr_all, member), 2-3 src (A =
    # sequencer, C, stranger, B), 0x10 aim at A, 0x20 fragment, 0x40 patch
    # cpu/incarnation/seqno to plausible values, 0x80 notdeliver
    msg = amoeba_header(cmd=1) + b"group data"
    seeds = {
        "bcast": (0x41, bchdr(7, seqno=4) + msg),
        "bcast_short": (0x41, bchdr(7, seqno=4)),
        "bcast_big": (0x41, bchdr(7, seqno=4, big=True) + msg),
        "tentative": (0x41, bchdr(6, seqno=4) + msg),
        "bb_req": (0x46, bchdr(6, cpu=2, messid=9) + msg),
        "pb_req": (0x17, bchdr(6, cpu=1, messid=9) + msg),
        "leavereq": (0x17, bchdr(4, cpu=1, messid=9) + amoeba_header()),
        "joinreq": (0x1b, bchdr(2, cpu=3, messid=1) + amoeba_header()),
        "join": (0x41, bchdr(3, cpu=3, seqno=4) + amoeba_header() +
                 b"\1" * 8 + b"\0" * 200),
        "leave": (0x41, bchdr(5, cpu=2, seqno=4) + amoeba_header() +
                  b"\0\0"),
        "ack": (0x17, bchdr(8, cpu=1, seqno=4)),
        "state": (0x17, bchdr(11, cpu=1, seqno=4)),
        "retrans": (0x43, bchdr(9, seqno=3)),
        "sync": (0x41, bchdr(10, seqno=5, messid=6, expect=4)),
        "alivereq": (0x43, bchdr(17, messid=1)),
        "alive": (0x43, bchdr(16)),
        "dead": (0x47, bchdr(18, cpu=2)),
        "reformreq": (0x47, bchdr(12, cpu=2, inc=1, seqno=4)),
        "vote": (0x47, bchdr(13, cpu=2, inc=1, seqno=4)),
        "result": (0x47, bchdr(14, cpu=2, inc=1, seqno=4) +
                   amoeba_header() + b"\0" * 64),
        "resultack": (0x47, bchdr(15, cpu=2)),
        "hereis": (0x43, bchdr(1) + struct.pack("<HHHHIHH", 4, 5, 12, 1,
                                                10000, 2, 0) + b"\2" * 16),
        "locate": (0x10, b"\0\0\0\2" + bchdr(0) + b"fuzzgr" +
                   b"\0" * 26 + b"\3" * 16),
        "frag": (0x61, bchdr(7, seqno=4) + b"z" * 200),
        "notdeliver": (0x81, bchdr(7, seqno=4) + msg),
    }
    for name, (sel, pay) in seeds.items():
        off, total = (0, len(pay) + 3000) if sel & 0x20 else (0, len(pay))
        hdr = bytes([sel]) + struct.pack("<III", 7, off, total)
        write("grp", name, hdr + pay)


flip_seeds()
rpc_seeds()
grp_seeds()
