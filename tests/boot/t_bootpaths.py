#!/usr/bin/env python3
# vx-timeout: 900
"""t_bootpaths.py - every way of booting VX reaches a running node.

One test per boot path, each waiting for `vx: ready` with a bounded
timeout under TCG: QEMU -kernel, the GRUB ISO as a CD-ROM, the
CompactFlash image as an IDE disk (-snapshot, so it stays unchanged) and
iPXE net-boot over QEMU's user-net TFTP.  Each checks the command line the
kernel saw (make's CMDLINE, in build/boot/cmdline.txt) and that it got the
boot module when build/vx-boot.img exists.  Then scripts/qemu.sh (make
run), the CF image's layout, the gdb stub as scripts/debug.sh starts it,
and scripts/cluster.sh.

Build first: make kernel iso cf-image netboot.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
import vxqemu  # noqa: E402

ROOT, BUILD = vxqemu.ROOT, vxqemu.BUILD
ISO = os.path.join(BUILD, "vx.iso")
CF = os.path.join(BUILD, "vx-cf.img")
NETDIR = os.path.join(BUILD, "netboot")
BOOTLINE = re.compile(
    r"^VX kernel: .*?(\d+) boot module\(s\), cmdline '(.*)'$", re.M)
READY = re.compile(r"^vx: ready (\S*)\n", re.M)
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", passed + failed, what))
    if not ok and detail:
        for line in detail.rstrip().splitlines():
            print("#   " + line)
    sys.stdout.flush()


def media_cmdline():
    """The kernel options make put into the media (CMDLINE)."""
    try:
        with open(os.path.join(BUILD, "boot", "cmdline.txt")) as f:
            return f.read().strip()
    except OSError:
        return ""


def want_modules():
    return 1 if os.path.exists(vxqemu.BOOTIMG) else 0


def boot(what, node, timeout, want_cmdline, need=None):
    """Start node, wait for `vx: ready`, check modules and command line."""
    if need and not os.path.exists(need):
        check(False, "%s: %s is missing (make kernel iso cf-image netboot)"
              % (what, os.path.relpath(need, ROOT)))
        return
    start = time.monotonic()
    node.start()
    try:
        node.expect(READY.pattern, timeout)
        took = time.monotonic() - start
        m = BOOTLINE.search(node.log)
        problems = []
        if not m:
            problems.append("no 'VX kernel: ... boot module(s)' line")
        else:
            if int(m.group(1)) != want_modules():
                problems.append("%s boot module(s), want %d"
                                % (m.group(1), want_modules()))
            if m.group(2) != want_cmdline:
                problems.append("cmdline '%s', want '%s'"
                                % (m.group(2), want_cmdline))
        check(not problems, "%s: vx: ready in %.1f s, %d module(s)"
              % (what, took, want_modules()),
              "\n".join(problems) + "\n" + node.tail(15))
    except (AssertionError, TimeoutError) as e:
        check(False, "%s: no vx: ready" % what, str(e))
    finally:
        node.kill()


def test_direct():
    node = vxqemu.Node("direct", append="node=bootdirect")
    line = vxqemu.KERNEL + " node=bootdirect"   # QEMU puts the path first
    boot("direct -kernel", node, 30, line, vxqemu.KERNEL)
    check(re.search(r"^vx: ready bootdirect$", node.log, re.M) is not None,
          "direct -kernel: node name from node=bootdirect")


def test_qemu_sh():
    """make run's scripts/qemu.sh boots and passes CMDLINE and its options."""
    env = dict(os.environ, CMDLINE="node=viaqemush")
    try:
        p = subprocess.run([os.path.join(ROOT, "scripts", "qemu.sh"),
                            "init=hello"], cwd=ROOT, env=env,
                           stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=60)
        out, rc = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = str(e), None
    out = out.replace("\r", "")
    check(rc == 1 and "vx: ready viaqemush\n" in out
          and "hello from VX user space" in out
          and "vx: init exited 0\n" in out,
          "make run: scripts/qemu.sh node=... init=hello (status %s)"
          % rc, out)


def test_iso():
    node = vxqemu.Node("iso", boot=["-cdrom", ISO])
    boot("GRUB ISO (-cdrom)", node, 60, media_cmdline(), ISO)


def test_cf():
    drive = "file=%s,format=raw,if=ide" % CF
    node = vxqemu.Node("cf", boot=["-drive", drive, "-snapshot"])
    boot("CompactFlash image (IDE disk)", node, 60, media_cmdline(), CF)


def test_netboot():
    nic = "user,model=e1000,tftp=%s,bootfile=boot.ipxe" % NETDIR
    node = vxqemu.Node("net", boot=["-boot", "n", "-nic", nic])
    line = "tftp://10.0.2.2/vx.elf"
    if media_cmdline():
        line += " " + media_cmdline()
    boot("iPXE net-boot (user-net TFTP)", node, 90, line,
         os.path.join(NETDIR, "boot.ipxe"))


def test_cf_layout():
    """p1 FAT16 active with the files, p2 and p3 type 0xda: the file
    system of make fs-image (Bullet, then SOAP)."""
    if not os.path.exists(CF):
        check(False, "CF layout: no image")
        return
    dump = subprocess.run(["sfdisk", "-d", CF], capture_output=True,
                          text=True).stdout
    parts = re.findall(r"start=\s*(\d+), size=\s*(\d+), type=(\w+)(.*)", dump)
    ok = (len(parts) == 3 and parts[0][2] == "6" and "bootable" in parts[0][3]
          and parts[1][2] == "da" and parts[2][2] == "da")
    if ok:
        with open(CF, "rb") as f:
            f.seek(int(parts[1][0]) * 512)
            ok = f.read(4) == bytes.fromhex("70bdce21")  # Bullet magic
    check(ok, "CF layout: p1 FAT16 bootable, p2 Bullet file system, "
          "p3 type 0xda (SOAP)", dump)
    if not ok:
        return
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    img = "%s@@%d" % (CF, int(parts[0][0]) * 512)
    files = subprocess.run(["mdir", "-i", img, "-b", "::/boot"], env=env,
                           capture_output=True, text=True).stdout
    info = subprocess.run(["minfo", "-i", img, "::"], env=env,
                          capture_output=True, text=True).stdout
    want = ["::/boot/vx.elf", "::/boot/grub/"]
    if want_modules():
        want.append("::/boot/vx-boot.img")
    ok = all(w in files for w in want) and "FAT16" in info
    check(ok, "CF layout: FAT16 holds %s" % ", ".join(want), files + info)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_debug():
    """scripts/debug.sh's QEMU and gdb commands stop in kmain."""
    with tempfile.TemporaryDirectory(prefix="vx-debug-") as tmp:
        env = dict(os.environ, GDBPORT=str(free_port()),
                   SERIAL="file:" + os.path.join(tmp, "serial.log"))
        p = subprocess.run([os.path.join(ROOT, "scripts", "debug.sh"),
                            "--print"], cwd=ROOT, env=env,
                           stdin=subprocess.DEVNULL, capture_output=True,
                           text=True)
        lines = p.stdout.strip().splitlines()
        if p.returncode or len(lines) != 2:
            check(False, "debug: scripts/debug.sh --print",
                  p.stdout + p.stderr)
            return
        qemu = subprocess.Popen(lines[0].rstrip(" &"), shell=True, cwd=ROOT,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            # gdb retries the connection until QEMU's stub listens
            # (tcp auto-retry, on by default)
            g = subprocess.run(lines[1] + " -batch -ex continue -ex 'bt 1'"
                               " -ex kill", shell=True, cwd=ROOT,
                               stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=60)
            out = g.stdout + g.stderr
        except subprocess.TimeoutExpired as e:
            out = "gdb timed out: %s" % e
        finally:
            qemu.kill()
            qemu.wait()
        check("Breakpoint 1, kmain" in out,
              "debug: gdb on QEMU's stub stops at kmain with symbols", out)


def test_cluster():
    """make cluster N=3: n1 with the file system, n2 and n3 diskless (no
    boot image): each one's boot server comes from n1's file server."""
    p = subprocess.run([os.path.join(ROOT, "scripts", "cluster.sh"),
                        "--check", "3"], cwd=ROOT, capture_output=True,
                       text=True, timeout=400)
    fromfs = "vx: boot: /bin/boot started from the file server"
    check(p.returncode == 0 and "n2: vx: ready n2" in p.stdout and
          all(re.search(r"^n%d: vx: ready n%d; %s" % (k, k, fromfs),
                        p.stdout, re.M) for k in (1, 2, 3)),
          "cluster: scripts/cluster.sh --check 3 (VDE switch, one "
          "file-system node, two diskless): every boot server from n1's "
          "file server", p.stdout + p.stderr)


def main():
    for test in (test_direct, test_qemu_sh, test_iso, test_cf, test_netboot,
                 test_cf_layout, test_debug, test_cluster):
        try:
            test()
        except Exception as e:       # a broken test is a failed test
            check(False, "%s: %r" % (test.__name__, e))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
