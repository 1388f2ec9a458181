#!/usr/bin/env python3
"""t_nic - PCI and Ethernet driver tests on QEMU nodes joined by VDE.

  pci_probe         one node with e1000, rtl8139, ne2k_pci and a PCI-PCI
                    bridge with a second e1000 behind it: the host bridge
                    and every NIC are found with the right BARs, bound, and
                    each NIC reports the MAC QEMU was given
  pingpong A->B     for every ordered pair of models: node with NIC A
                    (nicrole=send) against node with NIC B (nicrole=echo):
                    broadcast discovery, 200 echoes of 60..1514 bytes, a
                    burst of 10,000 minimum-size and 2,000 full-size frames
                    with none lost, duplicated or reordered, and the
                    multicast filter (55:55:0a:0b:0c:0d seen only while
                    joined); neither side's driver may drop a frame
  two_nics          both nodes have two NICs on two switches (sharing an
                    interrupt line on the sender): the tests run on each

Usage: t_nic.py [--bench] [--quick]
  --bench  only the same-model pairs; prints `bench: nic_<model>_fps`
  --quick  smaller bursts (1,000 / 200 frames)
At most two QEMU processes run at a time.
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vxqemu import Node, VdeSwitch, closing_line  # noqa: E402

MODELS = ["e1000", "rtl8139", "ne2k_pci"]
results = []
bench = []


def report(name, ok, detail=""):
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), name))
    if not ok and detail:
        for line in detail.splitlines()[-25:]:
            print("# " + line)
    sys.stdout.flush()


def node_macs(log):
    return re.findall(r"^nic: eth\d+ \S+ ([0-9a-f:]{17})", log, re.M)


def test_pci():
    with VdeSwitch() as sw:
        n = Node("pci", append="ktest=pci_probe "
                 "pciexpect=8086:100e,10ec:8139,10ec:8029 "
                 "pcibridged=8086:100e",
                 nics=[("e1000", sw), ("rtl8139", sw), ("ne2k_pci", sw)],
                 extra=["-device", "pci-bridge,id=br1,chassis_nr=1",
                        "-netdev", "vde,id=nb,sock=" + sw.sock,
                        "-device", "e1000,netdev=nb,bus=br1,addr=3,"
                        "mac=52:54:00:aa:bb:01,romfile="])
        n.start()
        try:
            rc = n.wait_exit(60)
        except TimeoutError:
            rc = None
        n.kill()
        ok = rc == 0 and closing_line(n.log) == (1, 0)
        report("pci_probe", ok, n.log)
        want = n.macs + ["52:54:00:aa:bb:01"]
        got = node_macs(n.log)
        report("nic_macs", sorted(got) == sorted(want),
               "want %s\ngot %s" % (want, got))


def pingpong(name, send_nics, echo_nics, opts):
    """Run one sender against one echo node; True if both passed."""
    echo = Node("echo", append="ktest=nic_pingpong nicrole=echo "
                "nictimeout=200 " + opts, nics=echo_nics)
    send = Node("send", append="ktest=nic_pingpong nicrole=send " + opts,
                nics=send_nics)
    echo.start()
    send.start()
    rcs = [None, None]
    try:
        rcs[0] = send.wait_exit(240)
        rcs[1] = echo.wait_exit(30)
    except (TimeoutError, AssertionError):
        pass
    finally:
        send.kill()
        echo.kill()
    ok = rcs == [0, 0] and closing_line(send.log) == (1, 0) \
        and closing_line(echo.log) == (1, 0)
    for m in re.finditer(r"^(bench: .*)$", send.log, re.M):
        bench.append(m.group(1))
    notes = [l for l in send.log.splitlines() if l.startswith("# ")]
    report(name, ok, "\n".join(notes) + "\n--- sender\n" + send.tail(15) +
           "\n--- echo\n" + echo.tail(15))
    return ok


def main():
    quick = "--quick" in sys.argv
    only_bench = "--bench" in sys.argv
    opts = "nicburst=1000 nicbig=200" if quick else ""
    if not only_bench:
        test_pci()
    for a in MODELS:
        for b in MODELS:
            if only_bench and a != b:
                continue
            with VdeSwitch() as sw:
                pingpong("pingpong %s->%s" % (a, b), [(a, sw)], [(b, sw)],
                         opts)
    if not only_bench:
        with VdeSwitch() as sw1, VdeSwitch() as sw2:
            pingpong("two_nics e1000+rtl8139 -> ne2k_pci+e1000",
                     [("e1000", sw1), ("rtl8139", sw2)],
                     [("ne2k_pci", sw1), ("e1000", sw2)], opts)
    for line in bench:
        print(line)
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
