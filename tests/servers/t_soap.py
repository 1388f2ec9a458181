#!/usr/bin/env python3
# vx-timeout: 600
"""t_soap.py - the SOAP directory server over the Bullet server, on an
IDE disk made by boot/mkfsimg.sh (partition 1 Bullet, partition 2 left
zero for SOAP), across a reboot.

1. main    partition 2 zeroed; tests/user/test_soap starts both servers
           from its own copies (they find their partitions and SOAP
           formats the empty one),
           then checks every command and error through the stubs;
2. reboot  the node boots again on the same disk: the directories and
           the file entered in phase 1 are there, a deleted name is not;
3. image   boot/mkfsimg.sh with FSDIR (make fs-image) writes the
           directories through boot/fsdir.sh: /bin, /home, /tmp and
           /profile/cap/bulletsvr/default work on the node;
4. remote  two nodes on a private VDE switch: the one with the disk
           serves, the diskless one finds the root by the SOAP server's
           public port, reads a file by path and makes a directory that
           the server node then sees.
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
    """Run test_soap ARGS on a node with disk; returns its log."""
    n = Node("soap", append="nofs init=test_soap " + args,
             drives=["file=%s,format=raw,if=ide,index=0" % disk])
    n.start()
    try:
        code = n.wait_exit(timeout)
    except (TimeoutError, AssertionError) as e:
        code, n.log = None, n.log + "\n" + str(e)
    tap.relay(phase, n.log, code, "test_soap")
    return n.log


def zero_partition2(img):
    """Undo fsdir.sh: partition 2 all zero, for the server to format."""
    with open(img, "r+b") as f:
        mbr = f.read(512)
        start, count = struct.unpack("<II", mbr[0x1CE + 8:0x1CE + 16])
        f.seek(start * 512)
        f.write(bytes(count * 512))


def remote(disk):
    """A diskless node uses the directory server of another node."""
    with VdeSwitch() as sw:
        srv = Node("fs", append="nofs init=test_soap serve",
                   drives=["file=%s,format=raw,if=ide,index=0" % disk],
                   nics=[("e1000", sw)])
        cli = Node("cli", append="node=cli init=test_soap remote",
                   nics=[("e1000", sw)])
        srv.start()
        code = scode = None
        try:
            srv.expect(r"# serving", 120)
            cli.start()
            code = cli.wait_exit(300)
            scode = srv.wait_exit(120)
        except (TimeoutError, AssertionError) as e:
            cli.log = cli.log + "\n" + str(e)
        finally:
            srv.kill()
            cli.kill()
    for who, n, c in (("remote", cli, code), ("serve", srv, scode)):
        tap.relay(who, n.log, c, "test_soap")


def main():
    with tempfile.TemporaryDirectory(prefix="vx-soap-") as tmp:
        img = os.path.join(tmp, "fs.img")
        env = dict(os.environ, FS_MB="12")
        mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img,
                             MKFS, os.path.join(BUILD, "user", "hello")],
                            capture_output=True, text=True, env=env)
        check(mk.returncode == 0, "mkfsimg.sh makes a Bullet + SOAP disk")
        if mk.returncode == 0:
            zero_partition2(img)
            log = boot("main", img, "main")
            check(re.search(r"^soap: vdisk:hd0p2: serving \"soap\", 1 "
                            r"directories", log, re.M),
                  "main: SOAP formatted the empty partition 2")
            log = boot("reboot", img, "reboot")
            m = re.search(r"^soap: vdisk:hd0p2: serving \"soap\", (\d+) "
                          r"directories", log, re.M)
            check(m and int(m.group(1)) >= 4,
                  "reboot: SOAP found its directories on partition 2")
        fsdir = os.path.join(tmp, "fsdir")
        os.makedirs(os.path.join(fsdir, "sub"))
        with open(os.path.join(fsdir, "sub", "note"), "w") as f:
            f.write("hello-note\n")
        img2 = os.path.join(tmp, "fs2.img")
        env = dict(os.environ, FS_MB="12", FSDIR=fsdir)
        mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img2,
                             MKFS, os.path.join(BUILD, "user", "hello")],
                            capture_output=True, text=True, env=env)
        check(mk.returncode == 0 and "directories written" in mk.stdout,
              "mkfsimg.sh with FSDIR writes the directories (fsdir.sh)")
        if mk.returncode == 0:
            boot("image", img2, "image")
            remote(img2)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
