#!/usr/bin/env python3
# vx-timeout: 900
"""t_nic - PCI and Ethernet driver tests on QEMU nodes joined by VDE.

  pci_probe         one node with e1000, rtl8139, ne2k_pci, virtio-net
                    (a 64-bit BAR) and nested PCI-PCI bridges with a second
                    rtl8139 and e1000 behind them: the host bridge and every
                    NIC are found with the right BARs and bound
  nic_macs          each NIC reports the MAC QEMU was given
  nic_link          QEMU's set_link takes e1000's and rtl8139's link down
                    and up again; the drivers see both
  pingpong A->B     for every ordered pair of models: node with NIC A
                    (nicrole=send) against node with NIC B (nicrole=echo):
                    broadcast discovery, 200 echoes of 60..1514 bytes, a
                    burst of 10,000 minimum-size and 2,000 full-size frames
                    with none lost, duplicated or reordered, and the
                    multicast filter (55:55:0a:0b:0c:0d seen only while
                    joined); neither side's driver may drop a frame
  flood e1000->B    20,000 frames (60 and 1514 bytes) without pacing:
                    drops allowed (switch, receiver ring), driver errors
                    and hangs not; 200 echoes work afterwards
  two_nics          both nodes have two NICs on two switches (sharing an
                    interrupt line on the sender): the tests run on each

Usage: t_nic.py [--bench] [--quick]
  --bench  only the same-model pairs; prints `bench: nic_<model>_fps`
  --quick  smaller bursts (1,000 / 200 frames)
At most two QEMU processes run at a time.
"""

import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vxqemu import Node, VdeSwitch, closing_line, Tap, monitor_cmd  # noqa: E402

MODELS = ["e1000", "rtl8139", "ne2k_pci"]
tap = Tap(tail=25)
bench = []


report = tap.report


def node_macs(log):
    return re.findall(r"^nic: eth\d+ \S+ ([0-9a-f:]{17})", log, re.M)


def test_pci():
    with VdeSwitch() as sw:
        n = Node("pci", append="ktest=pci_probe "
                 "pciexpect=8086:100e,10ec:8139,10ec:8029 "
                 "pcibridged=8086:100e,10ec:8139",
                 nics=[("e1000", sw), ("rtl8139", sw), ("ne2k_pci", sw)],
                 extra=["-device", "pci-bridge,id=br1,chassis_nr=1",
                        "-device", "pci-bridge,id=br2,chassis_nr=2,"
                        "bus=br1,addr=5",
                        "-netdev", "vde,id=nb,sock=" + sw.sock,
                        "-device", "e1000,netdev=nb,bus=br2,addr=3,"
                        "mac=52:54:00:aa:bb:01,romfile=",
                        "-netdev", "vde,id=nc,sock=" + sw.sock,
                        "-device", "rtl8139,netdev=nc,bus=br1,addr=7,"
                        "mac=52:54:00:aa:bb:02,romfile=",
                        "-netdev", "vde,id=nd,sock=" + sw.sock,
                        "-device", "virtio-net-pci,netdev=nd,romfile="])
        n.start()
        try:
            rc = n.wait_exit(60)
        except TimeoutError:
            rc = None
        n.kill()
        ok = rc == 0 and closing_line(n.log) == (1, 0)
        report("pci_probe", ok, n.log)
        want = n.macs + ["52:54:00:aa:bb:01", "52:54:00:aa:bb:02"]
        got = node_macs(n.log)
        report("nic_macs", sorted(got) == sorted(want),
               "want %s\ngot %s" % (want, got))




def test_link():
    tmp = tempfile.mkdtemp(prefix="vx-mon-")
    mon = os.path.join(tmp, "mon.sock")
    ok = True
    with VdeSwitch() as sw:
        n = Node("link", append="ktest=nic_link",
                 nics=[("e1000", sw), ("rtl8139", sw)],
                 extra=["-monitor", "unix:%s,server,nowait" % mon])
        n.start()
        try:
            for i in range(2):
                n.expect(r"# eth%d link wait down" % i, 30)
                monitor_cmd(mon, "set_link n%d off" % i)
                n.expect(r"# eth%d link down" % i, 30)
                monitor_cmd(mon, "set_link n%d on" % i)
                n.expect(r"# eth%d link up" % i, 30)
            rc = n.wait_exit(30)
            ok = rc == 0 and closing_line(n.log) == (1, 0)
        except (TimeoutError, AssertionError, OSError):
            ok = False
        n.kill()
    shutil.rmtree(tmp, ignore_errors=True)
    report("nic_link e1000 rtl8139", ok, n.log)


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
        test_link()
    for a in MODELS:
        for b in MODELS:
            if only_bench and a != b:
                continue
            with VdeSwitch() as sw:
                pingpong("pingpong %s->%s" % (a, b), [(a, sw)], [(b, sw)],
                         opts)
    if not only_bench:
        for m in MODELS:
            with VdeSwitch() as sw:
                pingpong("flood e1000->%s" % m, [("e1000", sw)], [(m, sw)],
                         "nicecho=0 nicburst=0 nicbig=0 nicmcast=0 "
                         "nicflood=20000")
        with VdeSwitch() as sw1, VdeSwitch() as sw2:
            pingpong("two_nics e1000+rtl8139 -> ne2k_pci+e1000",
                     [("e1000", sw1), ("rtl8139", sw2)],
                     [("ne2k_pci", sw1), ("e1000", sw2)], opts)
    for line in bench:
        print(line)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
