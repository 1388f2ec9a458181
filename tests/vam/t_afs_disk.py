#!/usr/bin/env python3
# vx-timeout: 600
"""t_afs_disk.py - AFS keeps its files on disk (afs -d FILE, its own
layout, vam/afs/afs.ml) and they survive a restart of the server.

AFS runs as bytecode under build/vam/ocamlrun-amunix on this machine with
a host file as its disk, on a private VDE switch ($VX_NET); its client
is the bytecode build/vam/vam_afsdisk.byte under the same runtime:

1. `afs -d FILE -m 16 -p`: a fresh 16 MiB layout; the client writes
   files of 0 B, 1 B, 1500 B and 1 MiB and destroys a fifth, and keeps
   their capabilities;
2. AFS is killed (SIGKILL: no chance to write anything more) and started
   again on the same file without -m: the same super-capability answers,
   every file reads back the same, the destroyed one stays destroyed;
   and once more after a second kill (restart twice);
3. test_bullet's remote phase from a diskless node against AFS on that
   disk (the Bullet client tests: what AFS commits now goes to disk);
4. a damaged layout gives one clear line and exit status 1, no crash:
   a wrong magic number, a table entry with a bad checksum, a file cut
   short, a file that is not there; -m without -d is a usage error;
5. on a node: the boot server of node n0 (file-system disk hd0 from
   tests/vam/vamdisk.py, a blank second disk hd1) runs
   `/home/afs.byte -p -P vx:afs:disk -D AFSDISK` with AFSDISK =
   "kdir:n0/vdisk:hd1" (the disk server's virtual disk, as Bullet uses
   one): AFS makes its layout on the blank disk; the same client
   (ocamlrun on the diskless node n1) writes the files; n0 is switched
   off (QEMU killed) and booted again: the boot server starts AFS, which
   serves the same super-capability with the files, and they read back.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from vxqemu import BUILD, Node, Tap, VdeSwitch, monitor_run  # noqa: E402
from vamdisk import make_disk  # noqa: E402

tap = Tap()
RUNTIME = os.path.join(BUILD, "vam", "ocamlrun-amunix")
AFS = os.path.join(BUILD, "vam", "afs.byte")
CLIENT = os.path.join(BUILD, "vam", "vam_afsdisk.byte")
BLK = 512


def start_afs(sw, args):
    """AFS with args on switch sw: (process, super-capability or None,
    first lines).  -p prints the capability, then "afs: serving"."""
    proc = subprocess.Popen([RUNTIME, AFS, "-p"] + args,
                            env=dict(os.environ, VX_NET="vde:" + sw.sock),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines = []
    for _ in range(2):
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
    cap = lines[0].strip() if lines and len(lines[0].strip()) == 32 else None
    ok = len(lines) == 2 and "afs: serving" in lines[1]
    return proc, cap if ok else None, "".join(lines)


def stop(proc):
    proc.kill()
    rest, _ = proc.communicate()
    return rest


def client(sw, mode, cap, listfile):
    try:
        r = subprocess.run([RUNTIME, CLIENT, mode, cap, listfile],
                           env=dict(os.environ, VX_NET="vde:" + sw.sock),
                           stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=240)
        return r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired as e:
        return None, str(e)


def restarts(tmp, sw, disk):
    listfile = os.path.join(tmp, "caps.txt")
    proc, cap, out = start_afs(sw, ["-d", disk, "-m", "16"])
    tap.report("afs -d FILE -m 16: a fresh layout, serving", cap is not None,
               out)
    if cap is None:
        stop(proc)
        return None
    code, out = client(sw, "write", cap, listfile)
    tap.relay("write", out, code, "the client writes the files")
    out = stop(proc)
    for round_ in ("first", "second"):
        proc, cap2, out = start_afs(sw, ["-d", disk])
        tap.report("%s restart: serving with the files from the disk, the "
                   "same super-capability" % round_,
                   cap2 == cap and "4 files" in out, out)
        if cap2 is None:
            stop(proc)
            return None
        code, out = client(sw, "read", cap, listfile)
        tap.relay("read", out, code,
                  "%s restart: every file reads back" % round_)
        stop(proc)
    return cap


def bullet_tests(sw, disk):
    """test_bullet remote from a diskless node against AFS on disk."""
    proc, cap, out = start_afs(sw, ["-d", disk])
    code = None
    cli = Node("cli", append="node=cli init=test_bullet remote",
               nics=[("e1000", sw)])
    try:
        if cap is not None:
            cli.start()
            code = cli.wait_exit(300)
    except (TimeoutError, AssertionError, OSError) as e:
        cli.log += "\n" + str(e)
    finally:
        cli.kill()
        out += stop(proc)
    tap.report("AFS on disk started for test_bullet", cap is not None, out)
    tap.relay("AFS", cli.log, code, "test_bullet remote against AFS on disk")


def damaged(tmp, disk):
    def run(args, what, want_code, text):
        try:
            r = subprocess.run([RUNTIME, AFS] + args, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, timeout=60)
            code, out = r.returncode, r.stdout + r.stderr
        except subprocess.TimeoutExpired as e:
            code, out = None, str(e)
        tap.report("%s: a clear error, exit %d (exit %s)" % (what, want_code,
                                                             code),
                   code == want_code and text in out and
                   "Fatal error" not in out, out)

    def copy(name, patch):
        p = os.path.join(tmp, name)
        shutil.copy(disk, p)
        with open(p, "r+b") as f:
            patch(f)
        return p

    def magic(f):
        f.write(b"XXX")

    def entry(f):
        f.seek(BLK + 12)  # the first table entry's size field
        f.write(b"\x77")

    def cut(f):
        f.truncate(8 * 1024 * 1024)

    run(["-d", copy("magic.img", magic)], "a wrong magic number", 1,
        "damaged layout: no AFS layout")
    run(["-d", copy("entry.img", entry)], "a table entry with a bad checksum",
        1, "damaged layout: table entry 0: checksum")
    run(["-d", copy("cut.img", cut)], "a file cut short", 1,
        "damaged layout: superblock says 32768 blocks, the store has 16384")
    run(["-d", os.path.join(tmp, "none.img")], "no such file", 1,
        "afs: %s: " % os.path.join(tmp, "none.img"))
    run(["-m", "4"], "-m without -d", 2, "afs: -m needs -d FILE")


AFS_CONF = """# t_afs_disk: AFS on the second disk of this node
afs { program { "/home/afs.byte";
                argv { "afs", "-p", "-P", "vx:afs:disk", "-D", "AFSDISK" };
                capv { STDIN, STDOUT, STDERR, ROOT, WORK,
                       AFSDISK = "kdir:n0/vdisk:hd1" }; };
      bootrate 2000; };
"""


def afs_node(fs, hd1, sw):
    n = Node("n0", append="node=n0 bootconf=/home/vx.conf",
             nics=[("e1000", sw)],
             drives=["file=%s,format=raw,if=ide,index=0" % fs,
                     "file=%s,format=raw,if=ide,index=1" % hd1])
    n.start()
    n.expect(r"^afs: serving with \d+ threads \(.*\)", 240)
    m = re.search(r"^([0-9a-f]{32})\r?$", n.log, re.M)
    return n, m.group(1) if m else None


def on_node(tmp):
    fs, count, err = make_disk(tmp, afs=True,
                               bins={"boot": os.path.join(BUILD, "user",
                                                          "boot")},
                               files={"vx.conf": AFS_CONF})
    tap.report("node: a file-system disk with afs.byte", fs is not None, err)
    if fs is None:
        return
    hd1 = os.path.join(tmp, "hd1.img")
    with open(hd1, "wb") as f:
        f.truncate(8 * 1024 * 1024)
    nodes = []
    with VdeSwitch() as sw:
        try:
            n0, cap = afs_node(fs, hd1, sw)
            nodes.append(n0)
            tap.report("node: the boot server starts AFS on the blank "
                       "virtual disk", cap is not None and
                       "a blank disk, made an empty layout" in n0.log,
                       n0.tail())
            n1 = Node("n1", append="node=n1 monitor", nics=[("e1000", sw)])
            nodes.append(n1)
            n1.start()
            n1.expect(r"^n1> ", 120)
            status, out = monitor_run(
                n1, "ocamlrun /home/vam_afsdisk.byte write %s /tmp/afscaps"
                % cap, 240)
            tap.relay("node write", out, status, "node: the client on n1 "
                      "writes the files")
            n0.kill()
            nodes.remove(n0)
            n0, cap2 = afs_node(fs, hd1, sw)
            nodes.append(n0)
            tap.report("node: n0 rebooted, AFS serves the same "
                       "super-capability with the files from hd1",
                       cap2 == cap and "4 files" in n0.log and
                       "blank disk" not in n0.log, n0.tail())
            status, out = monitor_run(
                n1, "ocamlrun /home/vam_afsdisk.byte read %s /tmp/afscaps"
                % cap, 240)
            tap.relay("node read", out, status, "node: every file reads "
                      "back after the reboot")
        except (TimeoutError, AssertionError) as e:
            tap.report("node: the nodes ran to the end", False,
                       str(e) + "\n" + "\n".join(n.log[-3000:]
                                                  for n in nodes))
        finally:
            for n in nodes:
                n.kill()


def main():
    with tempfile.TemporaryDirectory(prefix="vx-afsdisk-") as tmp:
        disk = os.path.join(tmp, "afs.img")
        with VdeSwitch() as sw:
            cap = restarts(tmp, sw, disk)
            if cap is not None:
                bullet_tests(sw, disk)
        if os.path.exists(disk):
            damaged(tmp, disk)
        os.mkdir(os.path.join(tmp, "node"))
        on_node(os.path.join(tmp, "node"))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
