"""vxqemu - start VX nodes in QEMU for tests and benchmarks.

Every QEMU test boots the real image under TCG with a bounded timeout.

    from vxqemu import Node, VdeSwitch
    with VdeSwitch() as sw:
        a = Node("a", append="node=a ktest=net_send", nics=[("e1000", sw)])
        b = Node("b", append="node=b", nics=[("rtl8139", sw)])
        a.start(); b.start()
        b.expect(r"vx: ready", 30)
        out = a.wait_exit(60)      # returns the guest's exit code
    a.log                          # everything the node printed

Exit codes: the kernel writes a code to isa-debug-exit and QEMU exits with
(code << 1) | 1; Node.wait_exit returns the guest's code, or None when QEMU
exited some other way (status 0 = guest reset or triple fault).
"""

import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
KERNEL = os.path.join(BUILD, "vx.elf")          # what users boot
TEST_KERNEL = os.path.join(BUILD, "vx-test.elf")  # + in-kernel tests
BOOTIMG = os.path.join(BUILD, "vx-boot.img")     # the user's programs
TEST_BOOTIMG = os.path.join(BUILD, "vx-test.img")  # + test programs


def kernel_for(append):
    """The test kernel for `ktest`/`kbench` runs, else the real one."""
    words = [w.split("=")[0] for w in append.split()]
    if "init" in words:
        words = words[:words.index("init")]
    return TEST_KERNEL if ("ktest" in words or "kbench" in words) \
        else KERNEL


def default_modules():
    """The test image when built (make test), else the boot image."""
    for img in (TEST_BOOTIMG, BOOTIMG):
        if os.path.exists(img):
            return [img]
    return []
PANIC = "vx: panic"
RESULT = re.compile(r"^(ok|not ok) \d+ - (.*?)\s*$", re.M)  # a guest's lines
QEMU = "qemu-system-i386"

BASE_ARGS = ["-display", "none", "-monitor", "none", "-no-reboot",
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
             "-m", "128"]

_mac_counter = [0]


def next_mac():
    """A fresh locally administered MAC for a test NIC."""
    _mac_counter[0] += 1
    n = (os.getpid() & 0xFF, _mac_counter[0] & 0xFF)
    return "52:54:00:%02x:%02x:%02x" % (0x10 + (n[0] >> 4), n[0] & 0xF, n[1])


class VdeSwitch:
    """A private vde_switch in its own temporary folder (no root, no IP)."""

    def __init__(self, tmp=None):
        self.dir = tmp or tempfile.mkdtemp(prefix="vx-vde-")
        self.sock = os.path.join(self.dir, "vde.ctl")
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["vde_switch", "-sock", self.sock, "-mgmt",
             os.path.join(self.dir, "vde.mgmt")],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        for _ in range(100):
            if os.path.exists(os.path.join(self.sock, "ctl")):
                return self
            time.sleep(0.02)
        raise RuntimeError("vde_switch did not come up")

    def stop(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class WireFilter:
    """Two switches joined by vde2's wirefilter, which drops/delays frames
    (loss in percent, delay_ms each way) and limits the bandwidth (band:
    bytes/s each way, frames queued, not dropped)."""

    def __init__(self, sw_a, sw_b, loss=0, delay_ms=0, band=0):
        args = ["dpipe", "vde_plug", sw_a.sock, "=", "wirefilter"]
        if loss:
            args += ["-l", str(loss)]
        if delay_ms:
            args += ["-d", str(delay_ms)]
        if band:
            args += ["-b", str(band)]
        args += ["=", "vde_plug", sw_b.sock]
        # dpipe makes itself a process-group leader (killed with killpg
        # below); it fails ("cannot create pgrp") as a session leader,
        # so no start_new_session here.
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        time.sleep(0.2)
        if self.proc.poll() is not None:
            raise RuntimeError("wirefilter pipeline ended at once (%s)"
                               % self.proc.returncode)

    def stop(self):
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
            self.proc = None


class Node:
    """One QEMU guest; its serial console is read line by line."""

    def __init__(self, name="vx", append="", kernel=None, modules=None,
                 nics=(), drives=(), extra=(), memory=128, boot=None,
                 qemu=None, pcap=None, com2=None):
        self.name = name
        # com2: a UNIX socket path; the node's COM2 connects to it (a QEMU
        # socket chardev, the client side), e.g. scripts/tanksim.py's
        self.com2 = com2
        # pcap: a file prefix; each NIC's traffic goes to PREFIX-nI.pcap
        # (QEMU's filter-dump).  $VX_PCAP=DIR does it for every node as
        # DIR/NAME-nI.pcap (the cluster tests on request).
        if pcap is None and os.environ.get("VX_PCAP"):
            pcap = os.path.join(os.environ["VX_PCAP"], name)
        self.pcap = pcap
        self.qemu = qemu or QEMU  # program (str) or argv prefix (list)
        self.append = append
        self.kernel = kernel or kernel_for(append)
        self.modules = modules if modules is not None else default_modules()
        self.nics = list(nics)
        self.drives = list(drives)
        self.extra = list(extra)
        self.memory = memory
        self.boot = boot          # None = -kernel; else full custom args
        self.proc = None
        self.log = ""
        self._buf = b""
        self.macs = []

    def args(self):
        a = [self.qemu] if isinstance(self.qemu, str) else list(self.qemu)
        a += BASE_ARGS[:-1] + [str(self.memory)]
        a += ["-serial", "stdio"]
        if self.com2:
            a += ["-chardev", "socket,id=com2,path=%s" % self.com2,
                  "-serial", "chardev:com2"]
        if self.boot is None:
            a += ["-kernel", self.kernel]
            if self.modules:
                a += ["-initrd", ",".join(self.modules)]
            a += ["-append", self.append]
        else:
            a += self.boot
        own = (self.boot or []) + self.extra
        if not self.nics and not any(x in ("-nic", "-netdev", "-net")
                                     for x in own):
            a += ["-nic", "none"]
        for i, nic in enumerate(self.nics):
            model, net = nic[0], nic[1]
            mac = nic[2] if len(nic) > 2 else next_mac()
            self.macs.append(mac)
            if isinstance(net, VdeSwitch):
                a += ["-netdev", "vde,id=n%d,sock=%s" % (i, net.sock)]
            else:
                a += ["-netdev", "%s,id=n%d" % (net, i)]
            a += ["-device", "%s,netdev=n%d,mac=%s,romfile=" % (model, i, mac)]
            if self.pcap:
                a += ["-object", "filter-dump,id=d%d,netdev=n%d,file=%s-n%d.pcap"
                      % (i, i, self.pcap, i)]
        for d in self.drives:
            a += ["-drive", d]
        return a + self.extra

    def start(self):
        self.proc = subprocess.Popen(self.args(), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        return self

    def _pump(self, timeout):
        """Read what is available within timeout; False at end of output."""
        if self.proc is None:
            return False
        r, _, _ = select.select([self.proc.stdout], [], [], max(timeout, 0))
        if not r:
            return True
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            return False
        self._buf += data
        text = self._buf.decode("utf-8", "replace")
        self._buf = b""
        self.log += text.replace("\r", "")
        return True

    def expect(self, pattern, timeout):
        """Wait for a regex in the output; returns the match or raises."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        pos = 0
        while True:
            m = rx.search(self.log, pos)
            if m:
                return m
            if PANIC in self.log:
                raise AssertionError("%s panicked:\n%s" % (self.name, self.tail()))
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("%s: no /%s/ within %ss:\n%s"
                                   % (self.name, pattern, timeout, self.tail()))
            if not self._pump(min(left, 0.5)) and self.proc.poll() is not None:
                m = rx.search(self.log, pos)
                if m:
                    return m
                raise AssertionError("%s exited (status %s) before /%s/:\n%s"
                                     % (self.name, self.proc.returncode,
                                        pattern, self.tail()))

    def send(self, text):
        """Type text on the node's serial console."""
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def wait_exit(self, timeout):
        """Wait for QEMU to end; the guest's isa-debug-exit code or None."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise TimeoutError("%s: still running after %ss:\n%s"
                                   % (self.name, timeout, self.tail()))
            self._pump(min(left, 0.5))
        while self._pump(0):
            pass
        rc = self.proc.returncode
        return (rc >> 1) if rc & 1 else None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc:
            while self._pump(0):
                pass

    def tail(self, n=40):
        return "\n".join(self.log.splitlines()[-n:])

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()


def tap_lines(text):
    """(passed, failed, names of failed) from ok/not ok lines in text."""
    passed = len(re.findall(r"^ok \d+ - ", text, re.M))
    failed = re.findall(r"^not ok \d+ - (.*)$", text, re.M)
    return passed, len(failed), failed


def closing_line(text):
    """The last 'N passed, N failed' line as (passed, failed), or None."""
    m = re.findall(r"^(\d+) passed, (\d+) failed", text, re.M)
    return (int(m[-1][0]), int(m[-1][1])) if m else None


class Tap:
    """The output protocol of a test script: `ok N - name` or `not ok N -
    name` (with the tail of a log as `# ` lines), then `N passed, N
    failed`.  Usage: tap = Tap(); tap.report(name, ok, log); return tap.done().
    """

    def __init__(self, tail=30):
        self.results = []
        self.tail = tail

    def report(self, name, ok, detail=""):
        self.results.append(bool(ok))
        print("%s %d - %s" % ("ok" if ok else "not ok", len(self.results), name))
        if not ok and detail:
            for line in str(detail).splitlines()[-self.tail:]:
                print("# " + line)
        import sys
        sys.stdout.flush()

    def check(self, ok, name):
        """report() without detail, in (ok, name) order; returns ok."""
        self.report(name, ok)
        return ok

    def relay(self, phase, log, code, what="the program"):
        """Report a guest program's own ok/not ok lines under phase, then
        whether it ran to the end (exit code 0, every line ok); on
        failure the log's tail.  Returns that last verdict."""
        inner = RESULT.findall(log)
        for status, name in inner:
            self.report("%s: %s" % (phase, name), status == "ok")
        ok = code == 0 and bool(inner) and all(s == "ok" for s, _ in inner)
        self.report("%s: %s ran to the end (exit code %s)"
                    % (phase, what, code), ok, log)
        return ok

    def done(self):
        """Print the closing line; the exit status for the script."""
        failed = self.results.count(False)
        print("%d passed, %d failed" % (len(self.results) - failed, failed))
        return 1 if failed else 0


def fs_programs():
    """The programs make fs-image puts in /bin (from build/vx-fs.caps)."""
    with open(os.path.join(BUILD, "vx-fs.caps")) as f:
        names = re.findall(r"^file \S+ \d+ bin/(\S+)$", f.read(), re.M)
    return [os.path.join(BUILD, "user", n) for n in names]


def make_home_disk(img, home, mb=32):
    """A test disk by boot/mkfsimg.sh at img: every program of make
    fs-image in /bin, and in /home the entries of home (name: text, or
    name: None for the file build/user/NAME).  (ok, mkfsimg's stderr)."""
    fsdir = img + ".home"
    os.makedirs(fsdir)
    for name, text in home.items():
        if text is None:
            shutil.copy(os.path.join(BUILD, "user", name), fsdir)
        else:
            with open(os.path.join(fsdir, name), "w") as f:
                f.write(text)
    mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img,
                         os.path.join(BUILD, "tools", "mkfs_bullet")]
                        + fs_programs(), capture_output=True, text=True,
                        env=dict(os.environ, FSDIR=fsdir, FS_MB=str(mb)))
    return mk.returncode == 0, mk.stderr


# The kernel monitor's line after a program it ran: [NAME: exit N] or
# [NAME: fault ...].
MONITOR_DONE = re.compile(r"^\[(\S+): (?:exit (-?\d+)|(fault[^\]]*))\]\s*$",
                          re.M)


def monitor_wait(node, pos, timeout):
    """The monitor's [NAME: exit N] line after log position pos:
    (exit status, or None for a fault or no line in time; the output
    before it).  Stops early at a panic or when QEMU ended."""
    deadline = time.monotonic() + timeout
    m = None
    while True:
        m = MONITOR_DONE.search(node.log, pos)
        if m or time.monotonic() > deadline or "vx: panic" in node.log[pos:]:
            break
        if not node._pump(0.5) and node.proc.poll() is not None:
            break
    if not m:
        return None, node.log[pos:]
    status = int(m.group(2)) if m.group(2) is not None else None
    return status, node.log[pos:m.start()]


def monitor_run(node, line, timeout=60, stdin=None):
    """`run LINE` at node's kernel monitor (typing stdin and ^D when
    given); (exit status or None, its output), as monitor_wait."""
    pos = len(node.log)
    node.send("run %s\r" % line)
    if stdin is not None:
        node.send(stdin + "\x04")
    return monitor_wait(node, pos, timeout)


def monitor_cmd(path, cmd, settle=0.2):
    """One command on a QEMU human-monitor UNIX socket."""
    import socket
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for _ in range(100):
        try:
            s.connect(path)
            break
        except OSError:
            time.sleep(0.05)
    s.sendall(cmd.encode() + b"\n")
    time.sleep(settle)
    s.close()


# ---- clusters of monitor nodes (the cluster tests' shared setup) ----

MKFS = os.path.join(BUILD, "tools", "mkfs_bullet")


def make_fs_disk(tmp, tap, progs=(), fill=None, fs_mb=12, name="fs",
                 soap=None):
    """A file-system disk made by boot/mkfsimg.sh in tmp: BUILD/user/PROG
    for each of progs in /bin, and whatever fill(fsdir) writes in /home;
    its directories those of directory server soap (a node booted with
    soap=NAME) when given; reported on tap.  Its path, or None when
    mkfsimg.sh failed."""
    fsdir = os.path.join(tmp, name + "dir")
    os.makedirs(fsdir)
    if fill is not None:
        fill(fsdir)
    img = os.path.join(tmp, name + ".img")
    env = dict(os.environ, FS_MB=str(fs_mb), FSDIR=fsdir)
    env.pop("SOAP", None)
    if soap:
        env["SOAP"] = soap
    mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img, MKFS]
                        + [os.path.join(BUILD, "user", p) for p in progs],
                        capture_output=True, text=True, env=env)
    tap.report("mkfsimg.sh makes the disk%s" % ("" if name == "fs" else
                                                " " + name),
               mk.returncode == 0, mk.stdout + mk.stderr)
    return img if mk.returncode == 0 else None


def boot_monitor(name, sw, img=None, pcap=None, append=""):
    """Start node name on switch sw (e1000) with the kernel monitor, on
    disk img when given; returns once it has entered itself under
    /hosts and shows its prompt."""
    drives = ["file=%s,format=raw,if=ide,index=0" % img] if img else []
    n = Node(name, append=("node=%s monitor %s" % (name, append)).strip(),
             nics=[("e1000", sw)], drives=drives, pcap=pcap)
    n.start()
    n.expect(r"^vx: fs: registered as /hosts/%s$" % name, 120)
    n.expect(r"^%s> " % name, 30)
    return n


def run_cluster(tap, starts, session, logs=None):
    """Boot a node with each of starts (functions returning a started
    Node) and call session(nodes); session may append nodes it starts.
    A timeout or a failed expectation is one failed result with the
    nodes' log tails; every node is killed at the end (its log written
    to logs/NAME.log when logs is a folder)."""
    nodes = []
    try:
        for start in starts:
            nodes.append(start())
        session(nodes)
    except (TimeoutError, AssertionError) as e:
        tap.report("the nodes ran to the end", False,
                   str(e) + "\n" + "\n".join(n.log[-3000:] for n in nodes))
    finally:
        for n in nodes:
            n.kill()
            if logs:
                with open(os.path.join(logs, n.name + ".log"), "w") as f:
                    f.write(n.log)
    return nodes


def monitor_case(tap, node, line, want, texts, timeout=60):
    """`run LINE` on node: reported ok when it exits want and its output
    holds every one of texts; returns the output."""
    status, out = monitor_run(node, line, timeout)
    missing = [t for t in texts if t not in out]
    about = ", " + texts[0] if texts else ""
    tap.report("%s: %s -> exit %d%s" % (node.name, line, want, about),
               status == want and not missing,
               "exit %s, missing %r\n%s" % (status, missing, out))
    return out


def aps_running(node, prog):
    """aps on node: [(node name, pid)] of the processes prog running,
    and aps's output."""
    status, out = monitor_run(node, "aps", 60)
    return re.findall(r"^(\S+)\s+(\d+)\s+%s\s+running" % re.escape(prog),
                      out, re.M), out


def pcap_size(node, nic=0):
    """The size of node's capture of NIC nic so far (0 before any)."""
    try:
        return os.path.getsize("%s-n%d.pcap" % (node.pcap, nic))
    except OSError:
        return 0


def fs_cluster(tap, prefix, names, session, progs=(), fill=None, fs_mb=12,
               pcaps=(), logs=None):
    """The cluster tests' main: a file-system disk (make_fs_disk) for the
    first of names, the others diskless, all on one private switch
    (boot_monitor; those in pcaps captured as TMP/NAME-n0.pcap), then
    session(nodes, sw, tmp, img) (run_cluster).  Returns tap.done()."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        img = make_fs_disk(tmp, tap, progs, fill, fs_mb)
        if not img:
            return tap.done()
        with VdeSwitch() as sw:
            def starter(name, disk):
                pcap = os.path.join(tmp, name) if name in pcaps else None
                return lambda: boot_monitor(name, sw, disk, pcap)
            run_cluster(tap, [starter(n, img if i == 0 else None)
                              for i, n in enumerate(names)],
                        lambda nodes: session(nodes, sw, tmp, img), logs)
    return tap.done()


def pcap_records(path, start=0):
    """The records of a pcap file from byte offset start (24 = the first;
    0 means the same): a list of (original length, captured bytes), and
    the offset after the last whole record (a capture being written may
    end in the middle of one)."""
    import struct
    with open(path, "rb") as f:
        f.seek(max(start, 24))
        body = f.read()
    recs, off = [], 0
    while off + 16 <= len(body):
        incl, orig = struct.unpack_from("<II", body, off + 8)
        if off + 16 + incl > len(body):
            break
        recs.append((orig, body[off + 16:off + 16 + incl]))
        off += 16 + incl
    return recs, max(start, 24) + off


def sent_bytes(node, start=0, nic=0):
    """(bytes, frames) node's NIC nic sent (its MAC the source) in its
    capture from offset start: summed over the nodes of a switch, every
    frame on the wire once."""
    mac = bytes.fromhex(node.macs[nic].replace(":", ""))
    recs, _ = pcap_records("%s-n%d.pcap" % (node.pcap, nic), start)
    mine = [orig for orig, data in recs if data[6:12] == mac]
    return sum(mine), len(mine)
