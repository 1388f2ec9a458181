#!/usr/bin/env python3
# vx-timeout: 400
"""t_fsboot.py - the file system at boot, without configuration.

1. disk      a node with a copy of the `make fs-image` disk: the kernel
             finds the Bullet superblock, starts bullet and soap before
             init, and init (test_powercut env) has ROOT, WORK and
             VX_NODE and reads /bin/hello by path;
2. diskless  a node without a disk on a VDE switch with the disk node
             (which runs only its monitor: option `monitor`): its init gets ROOT and WORK
             from the other node's directory server and reads /bin/hello;
             a second disk node booted with soap=fs2 serves its own
             directory server, which the diskless node reaches by the
             name fs2 alone;
3. nothing   no file system anywhere (a NIC on an empty switch; no NIC):
             the kernel says so in one line within a bounded time and
             init still runs;
4. cf        a CompactFlash image made as `make cf-image` does (the
             fs-image's file system in partitions 2 and 3) boots through
             GRUB with the same result as 1.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, ROOT, TEST_BOOTIMG, Node, VdeSwitch, Tap  # noqa: E402

tap = Tap()
check = tap.check


def inner(phase, n, code):
    """Report the guest's own ok lines and its exit code."""
    tap.relay(phase, n.log, code, "init")


def run(n, timeout=200):
    n.start()
    try:
        return n.wait_exit(timeout)
    except (TimeoutError, AssertionError) as e:
        n.log += "\n" + str(e)
        return None


def disk_node(disk):
    n = Node("fs1", append="node=fs1 init=test_powercut env fs1",
             drives=["file=%s,format=raw,if=ide,index=0" % disk])
    inner("disk", n, run(n))
    check(re.search(r"^vx: fs: Bullet file system on hd0p1: starting "
                    r"bullet and soap$", n.log, re.M),
          "disk: the kernel found the Bullet disk by its magic number")
    starts = [n.log.find(s) for s in ("bullet: vdisk:hd0p1: serving",
                                      "soap: vdisk:hd0p2: serving",
                                      "vx: fs: ROOT and WORK", "ok 1 -")]
    check(all(s >= 0 for s in starts) and starts == sorted(starts),
          "disk: bullet and soap serve before init starts")


def diskless(disk, disk2):
    with VdeSwitch() as sw:
        srv = Node("fs", append="node=fs monitor",
                   drives=["file=%s,format=raw,if=ide,index=0" % disk],
                   nics=[("e1000", sw)])
        srv2 = Node("fs2", append="node=fs2 soap=fs2 monitor",
                    drives=["file=%s,format=raw,if=ide,index=0" % disk2],
                    nics=[("e1000", sw)])
        cli = Node("cli", append="node=cli init=test_powercut env cli fs2",
                   nics=[("e1000", sw)])
        srv.start()
        srv2.start()
        try:
            srv.expect(r"^VX monitor on fs", 120)
            srv2.expect(r"^VX monitor on fs2", 120)
            code = run(cli)
        except (TimeoutError, AssertionError) as e:
            code, cli.log = None, cli.log + "\n" + str(e)
        finally:
            srv.kill()
            srv2.kill()
            cli.kill()
    check('soap: vdisk:hd0p2: serving "fs2"' in srv2.log and
          re.search(r"^vx: fs: ROOT and WORK", srv2.log, re.M),
          "second: soap=fs2 serves its own directories; ROOT is the "
          "default server's")
    inner("diskless", cli, code)
    check("vx: fs: Bullet file system" not in cli.log and
          re.search(r"^vx: fs: ROOT and WORK", cli.log, re.M),
          "diskless: ROOT found on the other node by the public port")


def nothing():
    with VdeSwitch() as sw:
        n = Node("lone", append="node=lone init=hello", nics=[("e1000", sw)])
        code = run(n, 120)
    m = re.search(r"^vx: fs: no directory server answered in (\d+) ms",
                  n.log, re.M)
    check(code == 0 and m and int(m.group(1)) <= 3000,
          "nothing: one boot line, at most 3 s waited (%s ms), init runs"
          % (m.group(1) if m else "?"))
    n = Node("alone", append="node=alone init=hello")
    code = run(n, 120)
    check(code == 0 and re.search(r"^vx: fs: no file-system disk and no "
                                  r"network", n.log, re.M),
          "nothing: without disk or network, no wait at all")


def compactflash(tmp):
    img = os.path.join(tmp, "cf.img")
    env = dict(os.environ, CMDLINE="node=cf init=test_powercut env cf",
               FSIMG=os.path.join(BUILD, "vx-fs.img"))
    mk = subprocess.run([os.path.join(ROOT, "boot", "mkboot.sh"), "cf", img,
                         os.path.join(BUILD, "vx.elf"), TEST_BOOTIMG],
                        env=env, capture_output=True, text=True)
    if not check(mk.returncode == 0, "cf: mkboot.sh cf with FSIMG"):
        print("# " + mk.stderr)
        return
    n = Node("cf", boot=["-drive", "file=%s,format=raw,if=ide" % img])
    inner("cf", n, run(n, 300))
    check(re.search(r"^vx: fs: Bullet file system on hd0p2", n.log, re.M)
          and "soap: vdisk:hd0p3: serving" in n.log,
          "cf: Bullet on partition 2, SOAP on partition 3")


def main():
    with tempfile.TemporaryDirectory(prefix="vx-fsboot-") as tmp:
        disk = os.path.join(tmp, "fs.img")
        shutil.copy(os.path.join(BUILD, "vx-fs.img"), disk)
        disk2 = os.path.join(tmp, "fs2.img")
        shutil.copy(disk, disk2)
        disk_node(disk)
        diskless(disk, disk2)
        nothing()
        compactflash(tmp)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
