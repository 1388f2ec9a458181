#!/usr/bin/env python3
"""amoeba_tests.py - build Amoeba 5.3's own test programs unchanged and
run them on VX nodes.

    python3 tests/amoeba/amoeba_tests.py TREE [--no-run] [--logs DIR] [NAME ...]

TREE is a checkout of the Amoeba 5.3 tree (for example the public
repository yeonsh/Amoeba); it is read, never copied into the project,
which is why this is not part of `make test`.  Each program is a variable
of an Amake.srclist under TREE/src/test (NAME = file.c, or NAME = { files
}); it is built with scripts/amcc from those sources unchanged, with the
include folders Amoeba's build gives tests (the program's own folder and
src/test/h), and BUILD_FLAGS.

Running: one node "am" with a file-system disk (boot/mkfsimg.sh: Bullet
and SOAP start at boot, the node enters itself as /hosts/am) and a boot
image holding the node's usual programs and every program that built;
the script types `run PROGRAM ARGS` at its kernel monitor, ARGS as
CLIENT_ARGS gives them from each program's usage (its servers by path,
e.g. /hosts/am/proc, /hosts/am/random).  The servers of the RPC tests
run each on a node of their own (SERVERS: pserver and rpc_server, two
of each, for the clients and the comparisons) and the clients on "am"
reach them by port alone, across the VDE switch; interactive programs
are typed their answers (STDIN).  A program passes when it exits with
status 0 within its time (RUN_TIMEOUT or TIMEOUTS; those in
EXPECT_FAULT when they end with the memory fault they announce); a
server passes when its node still serves after its clients passed.  A
program that hangs costs a reboot of "am".  Prints a table, then `N passed, N failed` over
all programs (a program that does not build counts as failed).
"""
import argparse
import glob
import os
import re
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vxqemu import (BUILD, ROOT, MONITOR_DONE, Node,  # noqa: E402
                    VdeSwitch, monitor_run)

AMCC = os.path.join(ROOT, "scripts", "amcc")
# Extra compiler flags: the stack-overflow tests recurse without end or
# with a sum gcc -O2 turns into a loop (main becomes `jmp .`, nothing
# overflows); Amoeba's compiler kept the recursion, -O0 does too.
BUILD_FLAGS = {"process_st_ovf1": ["-O0"], "process_st_ovf2": ["-O0"]}
MKBOOTIMG = os.path.join(BUILD, "tools", "mkbootimg")
RUN_TIMEOUT = 30      # seconds a program may run, unless TIMEOUTS says
TIMEOUTS = {"bullet_bullet": 300, "bullet_parallel": 300, "soap_soap": 120,
            "tats": 120}
VAR = re.compile(r"^(T_\w+)\s*=\s*(\{[^}]*\}|[^;]*);", re.M | re.S)


def programs(tree):
    """(name, folder, [sources]) for every test program of the tree."""
    out = []
    for srclist in sorted(glob.glob(os.path.join(tree, "src", "test", "**",
                                                 "Amake.srclist"),
                                    recursive=True)):
        folder = os.path.dirname(srclist)
        with open(srclist, errors="replace") as f:
            text = f.read()
        for name, value in VAR.findall(text):
            files = re.findall(r"\$PWD/([\w.]+\.c)", value)
            if files:
                out.append((name[2:].lower(), folder,
                            [os.path.join(folder, x) for x in files]))
    return out


def build(tree, prog, outdir):
    name, folder, srcs = prog
    out = os.path.join(outdir, name)
    cmd = [AMCC, "-o", out] + BUILD_FLAGS.get(name, []) + [
           "-I", folder, "-I", os.path.join(tree, "src", "test", "h")] + srcs
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if p.returncode == 0:
        return out, ""
    why = [ln for ln in p.stderr.splitlines() if "error" in ln]
    return None, (why[0] if why else p.stderr.strip()[-160:])


# Arguments for `run NAME ARGS` on node "am", from each program's usage.
CLIENT_ARGS = {
    "pclient": "pp1 1024 200",
    "pcomp": "pp1 pp2 1024 200",
    "rpc_client": "rp1 1024 200",
    "rpc_comp": "rp1 rp2 1024 200",
    "process_getdef": "/hosts/am/proc",
    "process_getload": "/hosts/am/proc",
    "rnd": "/hosts/am/random",
    "rnd2": "/hosts/am/random",
    "bullet_parallel": "/profile/cap/bulletsvr/default",
    "bullet_restrict": "/tmp/Trestrict.file",
    "soap_soap": "/tmp",
    "diskperf": "-d 2 /hosts/am/vdisk:hd0p1",
    "floatp": "100",
    "prio_test1": "3",
}
# What interactive programs are typed: bullet_parallel asks for its tests
# ("x": all 14, 2 threads each: 28, under VX's 32 threads a process),
# then again ("x", 0 threads: done, exit 0).
STDIN = {"bullet_parallel": "x\r2\rx\r0\r"}
# Programs that exit 0 whatever happened: they fail when their output
# reports a difference.
FAIL_TEXT = {"bullet_parallel": re.compile(r"failed|[Ww]rong result")}
# Programs whose usage says they must end with a memory fault (their
# message "Expect ... Memory fault" / "Reference to non-existent memory").
EXPECT_FAULT = {"floatp", "process_st_ovf1", "process_st_ovf2"}
# Servers, each on its own node named after its first argument.
SERVERS = {
    "pserver": ["pp1", "pp2"],
    "rpc_server": ["rp1 30000 0", "rp2 30000 0"],
}
FS_MB = "16"


def make_disk(tmp):
    img = os.path.join(tmp, "fs.img")
    env = dict(os.environ, FS_MB=FS_MB)
    subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img,
                    os.path.join(BUILD, "tools", "mkfs_bullet")],
                   check=True, capture_output=True, env=env)
    return img


def boot_files(tmp):
    """The node's usual programs, taken out of build/vx-boot.img."""
    with open(os.path.join(BUILD, "vx-boot.img"), "rb") as f:
        data = f.read()
    n = struct.unpack_from("<I", data, 8)[0]
    out = []
    for i in range(n):
        name, off, size = struct.unpack_from("<32sII", data, 12 + 40 * i)
        name = name.split(b"\0")[0].decode()
        if name == "ocamlrun":
            continue        # large, and no Amoeba test needs it
        path = os.path.join(tmp, "boot-" + name)
        with open(path, "wb") as f:
            f.write(data[off:off + size])
        out.append("%s=%s" % (name, path))
    return out


class Am:
    """Node "am": the file-system node whose monitor runs the programs."""

    def __init__(self, sw, disk, image):
        self.sw, self.disk, self.image, self.node = sw, disk, image, None
        self.outputs = {}   # program -> its output at the monitor

    def up(self):
        if self.node is not None and self.node.proc.poll() is None:
            return self.node
        self.node = Node("am", append="node=am monitor",
                         nics=[("e1000", self.sw)], modules=[self.image],
                         drives=["file=%s,format=raw,if=ide,index=0"
                                 % self.disk])
        self.node.start()
        self.node.expect(r"^vx: fs: registered as /hosts/am$", 180)
        self.node.expect(r"^am> ", 60)
        return self.node

    def run(self, name):
        line = (name + " " + CLIENT_ARGS.get(name, "")).strip()
        node = self.up()
        pos = len(node.log)
        limit = TIMEOUTS.get(name, RUN_TIMEOUT)
        status, out = monitor_run(node, line, limit, STDIN.get(name))
        m = MONITOR_DONE.search(node.log, pos)
        self.outputs[name] = node.log[pos:]
        if m is None:
            node.kill()     # it hangs: the next program gets a new node
            return False, "no exit within %d s (%s)" % (limit, line)
        self.outputs[name] = out
        if status is None:
            return name in EXPECT_FAULT, "%s (%s)" % (m.group(3), line)
        if name in EXPECT_FAULT:
            return False, "exit %s, not the fault it expects (%s)" \
                % (status, line)
        bad = FAIL_TEXT.get(name)
        if status == 0 and bad and bad.search(out):
            n = len(bad.findall(out))
            return False, "exit 0, but %d lines report a difference (%s)" \
                % (n, line)
        return status == 0, "exit %s (%s)" % (status, line)

    def kill(self):
        if self.node is not None:
            self.node.kill()


def start_servers(sw, image, built):
    """A node per server instance; {name: [nodes]}."""
    nodes = {}
    for name, args in SERVERS.items():
        if name not in built:
            continue
        for a in args:
            peer = a.split()[0]
            n = Node(peer, append="node=%s init=%s %s" % (peer, name, a),
                     nics=[("e1000", sw)], modules=[image])
            n.start()
            nodes.setdefault(name, []).append(n)
    return nodes


def run_all(tmp, built, results, logdir=None):
    """Run every built program (results[i] updated in place)."""
    image = os.path.join(tmp, "amoeba-tests.img")
    subprocess.run([MKBOOTIMG, "-o", image] + boot_files(tmp) +
                   [p for _, p in built], check=True, capture_output=True)
    disk = make_disk(tmp)
    names = {os.path.basename(p): i for i, p in built}
    with VdeSwitch() as sw:
        servers = start_servers(sw, image, names)
        am = Am(sw, disk, image)
        try:
            for name, i in names.items():
                if name in SERVERS:
                    continue
                try:
                    results[i][2], results[i][3] = am.run(name)
                except (TimeoutError, AssertionError) as e:
                    am.kill()
                    results[i][2], results[i][3] = False, str(e)[:80]
            for name, nodes in servers.items():
                alive = all(n.proc.poll() is None for n in nodes)
                clients = [results[names[c]][2] for c in CLIENT_ARGS
                           if c in names and
                           CLIENT_ARGS[c].split()[0] in
                           [a.split()[0] for a in SERVERS[name]]]
                results[names[name]][2] = alive and any(clients)
                results[names[name]][3] = "served %d client(s) on %d node(s)" \
                    % (sum(1 for c in clients if c), len(nodes)) \
                    if alive else "its node ended"
        finally:
            am.kill()
            if logdir:
                os.makedirs(logdir, exist_ok=True)
                for name, out in am.outputs.items():
                    with open(os.path.join(logdir, name + ".log"), "w") as f:
                        f.write(out)
            for nodes in servers.values():
                for n in nodes:
                    n.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tree")
    ap.add_argument("--no-run", action="store_true")
    ap.add_argument("--logs", help="folder for each program's output")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    progs = [p for p in programs(args.tree)
             if not args.names or p[0] in args.names]
    results = []
    with tempfile.TemporaryDirectory(prefix="vx-amoeba-") as tmp:
        built = []
        for prog in progs:
            path, why = build(args.tree, prog, tmp)
            results.append([prog[0], path is not None, None, why])
            if path:
                built.append((len(results) - 1, path))
        if built and not args.no_run:
            run_all(tmp, built, results, args.logs)
    for name, ok_build, ok_run, why in results:
        if not ok_build:
            state = "no build"
        elif ok_run is None:
            state = "built"
        else:
            state = "passed" if ok_run else "failed"
        print("%-22s %-9s %s" % (name, state, why))
    nbuild = sum(1 for r in results if r[1])
    npass = sum(1 for r in results if r[2])
    print("# %d programs, %d build, %d pass" % (len(results), nbuild, npass))
    print("%d passed, %d failed" % (npass, len(results) - npass))
    return 0


if __name__ == "__main__":
    sys.exit(main())
