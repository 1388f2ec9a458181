#!/usr/bin/env python3
# vx-timeout: 900
"""t_boot.py - the boot server (userland/servers/boot) on real nodes.

A test disk is made with boot/mkfsimg.sh: every program of make fs-image
in /bin, and in /home the test service build/user/test_bootsvc and the
configuration files below.

1. services  node t1 boots from that disk with bootconf=/home/t1.conf: the
             kernel starts /bin/boot from the file server; the bad line of
             the configuration is named with its line number and the other
             services start; the checker service (test_bootsvc check) kills
             the served service's process, measures that the boot server
             starts it again and it answers within 5 s, and reads the
             table of std_status, then stops and starts the service with
             /bin/bootctl and lists the table (its ok lines are relayed
             here).
2. persist   the make run machinery (boot/rundisk.sh) twice on one disk: the
             first boot makes /home/keep (mkd, a boot service), the
             second, after a changed program was stored and listed for
             install, finds /home/keep (dir) and the boot server installs
             the program into /bin.
3. netboot   a diskless node booted by iPXE (a TFTP folder with the kernel
             and no boot image) finds the file-system node's directory
             server over a VDE switch, starts /bin/boot from it, which
             runs /bin/hello from the other node's file server; the
             file-system node's boot server starts a service on the
             diskless node (`machine "nb"`).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vxqemu import BUILD, ROOT, BOOTIMG, Node, Tap, VdeSwitch  # noqa: E402

tap = Tap()
MKFS = os.path.join(BUILD, "tools", "mkfs_bullet")
FROMFS = "vx: boot: /bin/boot started from the file server"

T1_CONF = """# t_boot: services of node t1
svc1 {
\tprogram { "/home/test_bootsvc"; argv { "svc1", "serve", "svc1" }; };
\tpollrate 1000; bootrate 500;
};
bad { progrm { "/bin/hello" }; };
checker {
\tafter svc1;
\tprogram { "/home/test_bootsvc";
\t\targv { "test_bootsvc", "check", "svc1", "t1" }; };
};
"""
BAD_LINE = 6

P1_CONF = """mk { program { "/bin/mkd"; argv { "mkd", "/home/keep" }; };
     bootrate 600000; };
"""
P2_CONF = """ls { program { "/bin/dir"; argv { "dir", "/home" }; };
     bootrate 600000; };
"""
NB_CONF = """hi { machine "nb"; program { "/bin/hello"; argv { "hello", "from-nb" }; };
     bootrate 600000; };
"""
FS_CONF = """# the file-system node: one service on the diskless node nb
far { machine "nb"; bootrate 2000;
      program { "/bin/hello"; argv { "hello", "started-from-fs" }; }; };
"""


def programs():
    """The programs make fs-image puts in /bin (from build/vx-fs.caps)."""
    with open(os.path.join(BUILD, "vx-fs.caps")) as f:
        names = re.findall(r"^file \S+ \d+ bin/(\S+)$", f.read(), re.M)
    return [os.path.join(BUILD, "user", n) for n in names]


def make_disk(tmp):
    fsdir = os.path.join(tmp, "fsdir")
    os.makedirs(fsdir)
    shutil.copy(os.path.join(BUILD, "user", "test_bootsvc"), fsdir)
    for name, text in (("t1.conf", T1_CONF), ("p1.conf", P1_CONF),
                       ("p2.conf", P2_CONF), ("nb.conf", NB_CONF),
                       ("fs.conf", FS_CONF)):
        with open(os.path.join(fsdir, name), "w") as f:
            f.write(text)
    img = os.path.join(tmp, "fresh.img")
    mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img, MKFS]
                        + programs(), capture_output=True, text=True,
                        env=dict(os.environ, FSDIR=fsdir, FS_MB="32"))
    ok = tap.check(mk.returncode == 0, "mkfsimg.sh: a test disk with /bin "
                   "and /home/test_bootsvc and the configurations")
    if not ok:
        print("# " + mk.stderr.replace("\n", "\n# "))
    return img if ok else None


def disk_node(name, disk, append):
    return Node(name, append="node=%s %s" % (name, append),
                modules=[BOOTIMG],
                drives=["file=%s,format=raw,if=ide,index=0" % disk])


def services(tmp, fresh):
    disk = os.path.join(tmp, "t1.img")
    shutil.copy(fresh, disk)
    n = disk_node("t1", disk, "bootconf=/home/t1.conf")
    try:
        n.start()
        n.expect(r"^\d+ passed, \d+ failed", 400)
    except (TimeoutError, AssertionError) as e:
        n.log += "\n" + str(e)
    finally:
        n.kill()
    tap.report("services: the kernel starts /bin/boot from the file server",
               FROMFS in n.log, n.log)
    tap.report("services: the bad line is named with its number",
               re.search(r"^boot: configuration line %d: unknown option "
                         r"'progrm'" % BAD_LINE, n.log, re.M), n.log)
    tap.report("services: the other services start (svc1, checker)",
               "boot: started svc1 on t1" in n.log and
               "boot: started checker on t1" in n.log, n.log)
    tap.report("services: the kill is logged with the restart",
               re.search(r"^boot: svc1 on t1 ended \(.*\); restart in \d+ ms",
                         n.log, re.M), n.log)
    m = re.search(r"^bootsvc: restarted and serving again in (-?\d+) ms",
                  n.log, re.M)
    tap.report("services: from the kill to an answer of the new run: %s ms"
               % (m.group(1) if m else "?"),
               m and 0 <= int(m.group(1)) <= 5000, n.log)
    tap.report("services: bootctl list prints the table (svc1 running, "
               "started 3 times)",
               re.search(r"^bootctl list:\n(?:.*\n)*?svc1\s+t1\s+running\s+3"
                         r"\s", n.log, re.M), n.log)
    inner = re.findall(r"^(ok|not ok) \d+ - (.*?)\s*$", n.log, re.M)
    for status, what in inner:
        tap.report("services: " + what, status == "ok")
    tap.report("services: the checker ran to the end",
               len(inner) >= 6 and re.search(r"^\d+ passed, 0 failed",
                                             n.log, re.M), n.log)


def boot_until(name, disk, append, pattern):
    n = disk_node(name, disk, append)
    try:
        n.start()
        n.expect(pattern, 240)
    except (TimeoutError, AssertionError) as e:
        n.log += "\n" + str(e)
    finally:
        n.kill()
    return n.log


def persist(tmp, fresh):
    disk = os.path.join(tmp, "run.img")
    rundisk = [os.path.join(ROOT, "boot", "rundisk.sh"), disk, fresh, MKFS]
    progs = programs()
    first = subprocess.run(rundisk + progs, capture_output=True, text=True)
    tap.check(first.returncode == 0 and os.path.exists(disk) and
              first.stdout.strip() == "",
              "persist: rundisk.sh makes the disk on first use")
    log1 = boot_until("p1", disk, "bootconf=/home/p1.conf",
                      r"^boot: mk on p1 ended \([^)\n]*\)")
    tap.report("persist: first boot: mkd /home/keep ran as a service",
               re.search(r"^boot: mk on p1 ended \(exit 0\)", log1, re.M),
               log1)
    # a changed program: hello with a byte more at the end
    changed = os.path.join(tmp, "hello")
    shutil.copy(os.path.join(BUILD, "user", "hello"), changed)
    with open(changed, "ab") as f:
        f.write(b"\0")
    progs = [changed if os.path.basename(p) == "hello" else p for p in progs]
    second = subprocess.run(rundisk + progs, capture_output=True, text=True)
    m = re.match(r"^install=([0-9a-f]{32})$", second.stdout.strip())
    tap.report("persist: rundisk.sh stores the changed program and prints "
               "install=CAP", second.returncode == 0 and m,
               second.stdout + second.stderr)
    opt = "install=%s " % m.group(1) if m else ""
    log2 = boot_until("p2", disk, opt + "bootconf=/home/p2.conf",
                      r"^boot: ls on p2 ended")
    tap.report("persist: second boot: /home/keep is still there",
               re.search(r"^keep\b", log2, re.M), log2)
    tap.report("persist: the boot server installed the changed program",
               "boot: installed 1 program(s) into /bin" in log2, log2)


def netboot(tmp, fresh):
    disk = os.path.join(tmp, "fs.img")
    shutil.copy(fresh, disk)
    tftp = os.path.join(tmp, "tftp")
    env = dict(os.environ, CMDLINE="node=nb fswait=180000 "
               "bootconf=/home/nb.conf")
    mk = subprocess.run([os.path.join(ROOT, "boot", "mkboot.sh"), "netboot",
                         tftp, os.path.join(BUILD, "vx.elf")], env=env,
                        capture_output=True, text=True)
    if not tap.check(mk.returncode == 0 and not os.path.exists(
            os.path.join(tftp, "vx-boot.img")),
            "netboot: a TFTP folder with the kernel and no boot image"):
        return
    with VdeSwitch() as sw:
        fs = Node("fs", append="node=fs bootconf=/home/fs.conf",
                  modules=[BOOTIMG], nics=[("e1000", sw)],
                  drives=["file=%s,format=raw,if=ide,index=0" % disk])
        nb = Node("nb", nics=[("e1000", sw)], modules=[],
                  boot=["-boot", "n", "-nic", "user,model=e1000,tftp=%s,"
                        "bootfile=boot.ipxe" % tftp])
        try:
            fs.start()
            nb.start()
            nb.expect(r"argv\[1\] = from-nb", 400)
            fs.expect(r"^boot: far on nb ended", 120)
        except (TimeoutError, AssertionError) as e:
            nb.log += "\n" + str(e)
        finally:
            nb.kill()
            fs.kill()
    tap.report("netboot: the diskless node has no boot module",
               re.search(r"^VX kernel: .* 0 boot module\(s\)", nb.log, re.M),
               nb.log)
    tap.report("netboot: its boot server comes from the other node's file "
               "server", FROMFS in nb.log, nb.log)
    tap.report("netboot: it runs /bin/hello stored on the file-server node",
               "boot: started hi on nb" in nb.log and
               "hello from VX user space" in nb.log, nb.log)
    tap.report("netboot: the file-system node's boot server starts a service "
               "on nb (machine \"nb\"); its output comes to the starter's "
               "console", "boot: started far on nb" in fs.log and
               "argv[1] = started-from-fs" in fs.log and
               "VX_NODE=nb" in fs.log, fs.log)


def main():
    with tempfile.TemporaryDirectory(prefix="vx-boot-") as tmp:
        fresh = make_disk(tmp)
        if fresh:
            services(tmp, fresh)
            persist(tmp, fresh)
            netboot(tmp, fresh)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
