#!/usr/bin/env python3
# vx-timeout: 300
"""t_dissect.py - the Wireshark dissector (host/wireshark/vx.lua) on
traffic captured from real nodes (QEMU's filter-dump, Node(pcap=...)).

  RPC: a node runs the kernel's echo server; the Linux host (amecho from
  make host) calls it with 0 B .. 1 MiB.  tshark reads the node's pcap
  with the dissector and the checks compare what it decodes with what
  the protocol requires: every frame is FLIP (ethertype 0x8146) with a
  flow-control type; RPC locates are null-destination MULTIDATA with
  protocol id 1 and each HEREIS echoes a LOCATE's tid; every REPLY and
  ACK answers a REQUEST's tid; the client made its 9 transactions;
  replies have status 0 and h_offset = the request's + 1 (the echo
  protocol); request headers carry the amphdr's put-port; fragments of
  each message sit at multiples of 1458 and add up to its total.

  Group: two nodes run tests/user/test_group.c's member mode (5 messages
  each); the joiner's capture holds a group locate (protocol id 2,
  bchdr LOCATE), JOINREQ/JOIN, and BCASTs whose sequence numbers cover
  the 10 messages.

Needs tshark (scripts/deps.sh installs it).  Prints ok/not ok lines and a
closing "N passed, N failed" line.
"""
import collections
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, Node, Tap, VdeSwitch  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LUA = os.path.join(ROOT, "host", "wireshark", "vx.lua")
FRAG = 1458
tap = Tap()


def fields(pcap, names, dfilter=None):
    """tshark -T fields of names for each frame (list of dicts)."""
    cmd = ["tshark", "-n", "-X", "lua_script:" + LUA, "-r", pcap, "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=f"]
    if dfilter:
        cmd += ["-Y", dfilter]
    for n in names:
        cmd += ["-e", n]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    if r.returncode != 0:
        raise AssertionError("tshark: " + r.stderr.decode()[-500:])
    rows = []
    for line in r.stdout.decode().splitlines():
        vals = line.split("\t")
        rows.append(dict(zip(names, vals + [""] * (len(names) - len(vals)))))
    return rows


def num(s):
    return int(s, 0) if s else None


def check_rpc(pcap):
    rows = fields(pcap, ["frame.number", "eth.type", "amflip.fc_type",
                         "amflip.type", "amflip.dst", "amflip.src",
                         "amflip.messid", "amflip.length", "amflip.offset",
                         "amflip.total", "amflip.protocol", "amrpc.type",
                         "amrpc.tid", "amrpc.port", "amhdr.port",
                         "amhdr.command", "amhdr.status", "amhdr.offset"])
    tap.check(len(rows) > 100 and all(r["eth.type"] == "0x8146" and
                                      r["amflip.fc_type"] != "" for r in rows),
              "dissector: every captured frame is FLIP with a flow-control "
              "type (%d frames)" % len(rows))
    data = [r for r in rows if r["amflip.fc_type"] == "0"]
    locates = [r for r in data if r["amrpc.type"] == "1"]
    tap.check(locates and all(r["amflip.type"] == "4" and
                              r["amflip.dst"] == "0" * 16 and
                              r["amflip.protocol"] == "1" for r in locates),
              "dissector: RPC LOCATE is null-destination MULTIDATA with "
              "protocol id 1 (%d)" % len(locates))
    ltids = {r["amrpc.tid"] for r in locates}
    hereis = [r for r in data if r["amrpc.type"] == "2"]
    tap.check(hereis and all(r["amrpc.tid"] in ltids for r in hereis),
              "dissector: every RPC HEREIS echoes a LOCATE's tid (%d)"
              % len(hereis))
    reqs = {}
    for r in data:
        if r["amrpc.type"] == "3":
            reqs.setdefault(r["amrpc.tid"], r)
    reps = [r for r in data if r["amrpc.type"] == "4"]
    acks = [r for r in data if r["amrpc.type"] == "5"]
    tap.check(len(reqs) == 9 and reps and
              all(r["amrpc.tid"] in reqs for r in reps + acks),
              "dissector: 9 REQUEST tids, every REPLY and ACK answers one "
              "(%d requests, %d replies, %d acks)" % (len(reqs), len(reps),
                                                    len(acks)))
    tap.check(all(r["amhdr.status"] == "0" and
                  num(r["amhdr.offset"]) ==
                  num(reqs[r["amrpc.tid"]]["amhdr.offset"]) + 1
                  and reqs[r["amrpc.tid"]]["amhdr.command"] in ("0", "1")
                  for r in reps),
              "dissector: replies have status 0 and h_offset = request's + 1")
    tap.check(all(r["amhdr.port"] == r["amrpc.port"] for r in reqs.values()),
              "dissector: a request's header port is the amphdr put-port")
    msgs = collections.defaultdict(list)
    for r in data:
        if r["amflip.type"] == "3":
            msgs[(r["amflip.src"], r["amflip.messid"])].append(r)
    big = [m for m in msgs.values() if num(m[0]["amflip.total"]) > FRAG]
    ok = bool(big)
    for m in big:
        offs = {num(r["amflip.offset"]): num(r["amflip.length"]) for r in m}
        total = num(m[0]["amflip.total"])
        ok = ok and all(o % FRAG == 0 and 0 < n <= FRAG and o + n <= total
                        for o, n in offs.items())
        ok = ok and sum(offs.values()) == total
    tap.check(ok, "dissector: fragments sit at multiples of %d and add up "
              "to the message total (%d multi-fragment messages)"
              % (FRAG, len(big)))


def test_rpc(tmp):
    amecho = os.path.join(BUILD, "host", "san", "bin", "amecho")
    with VdeSwitch() as sw:
        n = Node("srv", append="node=srv ktest=net_echo_server",
                 nics=[("e1000", sw)], pcap=os.path.join(tmp, "srv"))
        try:
            n.start()
            n.expect(r"echo: serving", 90)
            r = subprocess.run([amecho, "client", "echo"],
                               env=dict(os.environ, VX_NET="vde:" + sw.sock),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=120)
            out = r.stdout.decode()
            tap.report("host amecho client against a node (captured)",
                       r.returncode == 0 and out.count("echoed") == 9, out)
        finally:
            n.kill()
    check_rpc(os.path.join(tmp, "srv-n0.pcap"))


def test_group(tmp):
    with VdeSwitch() as sw:
        nodes = []
        try:
            for i in range(2):
                args = "member dis 2 5" + (" create" if i == 0 else "")
                n = Node("g%d" % i, append="node=g%d init=test_group %s" % (i, args),
                         nics=[("e1000", sw)], pcap=os.path.join(tmp, "g%d" % i))
                n.start()
                if i == 0:
                    n.expect(r"group: created gid \d+", 60)
                nodes.append(n)
            codes = [n.wait_exit(180) for n in nodes]
            tap.report("two group members deliver (captured)",
                       codes == [0, 0], "\n".join(n.tail(15) for n in nodes))
        finally:
            for n in nodes:
                n.kill()
    rows = fields(os.path.join(tmp, "g1-n0.pcap"),
                  ["amflip.type", "amflip.dst", "amflip.protocol",
                   "amflip.offset", "amgrp.type", "amgrp.seqno"])
    loc = [r for r in rows if r["amgrp.type"] == "0"]
    tap.check(loc and all(r["amflip.protocol"] == "2" and r["amflip.type"] == "4"
                          and r["amflip.dst"] == "0" * 16 for r in loc),
              "dissector: group LOCATE is null-destination MULTIDATA with "
              "protocol id 2 (%d)" % len(loc))
    types = {r["amgrp.type"] for r in rows}
    tap.check({"2", "3"} <= types,
              "dissector: JOINREQ and JOIN seen (types %s)" % sorted(types))
    seqs = {num(r["amgrp.seqno"]) for r in rows
            if r["amgrp.type"] == "7" and r["amflip.offset"] == "0"}
    tap.check(len(seqs) >= 10,
              "dissector: BCASTs carry at least 10 distinct sequence numbers "
              "(%s)" % sorted(seqs))


def main():
    if shutil.which("tshark") is None:
        tap.report("tshark is installed (scripts/deps.sh)", False)
        return tap.done()
    with tempfile.TemporaryDirectory(prefix="vx-pcap-") as tmp:
        for t in (test_rpc, test_group):
            try:
                t(tmp)
            except (TimeoutError, AssertionError, OSError) as e:
                tap.report(t.__name__, False, str(e))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
