#!/usr/bin/env python3
# vx-timeout: 300
"""t_cmds.py - the file and directory commands (userland/cmd) and POSIX
files (tests/user/test_posix), on a file-server node and from a
diskless node, over the Bullet and SOAP servers.

A small disk from boot/mkfsimg.sh (8 MiB: partition 1 Bullet with
/bin/hello and FSDIR's note, partition 2 SOAP with /, /bin, /home, /tmp,
/profile/cap/bulletsvr/default) is attached to node "vx", which is on a
private VDE switch with the diskless node "cli".  Both run the kernel
monitor; the script types `run PROGRAM args` on their consoles and
reads each program's output and exit status (the monitor's
"[PROGRAM: exit N]" line):

1. vx: `dir /` fails cleanly while no directory server runs;
   `test_posix start` starts both servers and enters the Bullet
   super-capability as /tmp/bsuper; `test_posix check` runs the POSIX
   tests (each of its ok lines counts here);
2. vx: every command, with its errors, usage line and exit status;
3. cli: the same servers found over the network: a file put on vx is
   read by path, files are written, copied and moved, the POSIX tests
   run again; then vx reads what cli wrote.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, ROOT, Node, Tap, VdeSwitch, monitor_run  # noqa: E402

MKFS = os.path.join(BUILD, "tools", "mkfs_bullet")
RESULT = re.compile(r"^(ok|not ok) \d+ - (.*?)\s*$", re.M)
tap = Tap()

# (command line, standard input or None, exit status, texts the output
#  must hold) - run in this order on node vx.
LOCAL = [
    ("dir /", None, 0, ["bin", "home", "profile", "tmp"]),
    ("dir -l /bin", None, 0, ["hello", "-   "]),
    ("dir -d -l /tmp", None, 0, ["/tmp", "/dw1234"]),
    ("dir /nope", None, 1, ["dir: /nope: not found"]),
    ("dir -z", None, 1, ["usage: dir [-cdklrux] [pathname ...]"]),
    ("mkd /tmp/c", None, 0, []),
    ("mkd /tmp/c", None, 1, ["mkd: /tmp/c: exists"]),
    ("mkd -c a -c b /tmp/c2", None, 0, []),
    ("dir -c /tmp/c2", None, 0, ["a      b"]),
    ("mkd /nodir/x", None, 1, ["mkd: /nodir/x: not found"]),
    ("mkd", None, 1, ["usage: mkd [-c column] ... pathname ..."]),
    ("put /tmp/c/f", "alpha\rbeta\r", 0, []),
    ("get /tmp/c/f", None, 0, ["alpha\nbeta\n"]),
    ("put /tmp/c/f", "again\r", 1, ["put: /tmp/c/f: exists"]),
    ("put -f /tmp/c/f", "gamma\r", 0, []),
    ("get /tmp/c/f", None, 0, ["gamma\n"]),
    ("put /nodir/f", "x\r", 1, ["put: /nodir/f: not found"]),
    ("put", None, 1, ["usage: put [-f] pathname"]),
    ("get /tmp/c/none", None, 1, ["get: /tmp/c/none: not found"]),
    ("get /tmp/c", None, 1, ["get: /tmp/c: is a directory"]),
    ("cat /tmp /tmp/c/f", None, 1, ["cat: /tmp: is a directory", "gamma"]),
    ("get", None, 1, ["usage: get pathname"]),
    ("cat /tmp/c/f /home/note", None, 0, ["gamma\nnote-from-fsdir\n"]),
    ("cat /tmp/c/none /tmp/c/f", None, 1,
     ["cat: /tmp/c/none: not found", "gamma"]),
    ("cat", "typed line\r", 0, ["typed line\ntyped line"]),
    ("cat -z", None, 1, ["usage: cat [-u] [file ...]"]),
    ("cp /tmp/c/f /tmp/c/g", None, 0, []),
    ("cat /tmp/c/g", None, 0, ["gamma"]),
    ("cp /home/note /tmp/c/g", None, 0, []),
    ("cat /tmp/c/g", None, 0, ["note-from-fsdir"]),
    ("cp /tmp/c/f /tmp/c/f", None, 1,
     ["cp: /tmp/c/f: cannot copy a file to itself"]),
    ("cp /tmp/c/none /tmp/x", None, 1, ["cp: /tmp/c/none: not found"]),
    ("cp /tmp/c/f /tmp/c/g /tmp/c/f", None, 1,
     ["cp: /tmp/c/f: not a directory"]),
    ("cp /tmp /tmp/y", None, 1, ["cp: /tmp: not a file"]),
    ("cp /tmp/c/f /tmp/c2", None, 0, []),
    ("cat /tmp/c2/f", None, 0, ["gamma"]),
    ("cp /tmp/c/f", None, 1, ["usage: cp [-b server] [-w window] file1 file2"]),
    ("mv /tmp/c/g /tmp/c/h", None, 0, []),
    ("cat /tmp/c/h", None, 0, ["note-from-fsdir"]),
    ("get /tmp/c/g", None, 1, ["get: /tmp/c/g: not found"]),
    ("mv /tmp/c/h /tmp/c2", None, 0, []),
    ("dir /tmp/c2", None, 0, ["f", "h"]),
    ("mv /tmp/none /tmp/x", None, 1, ["mv: /tmp/none: not found"]),
    ("mv /tmp/c2/h /tmp/c2/h", None, 1,
     ["mv: /tmp/c2/h: source and target are the same"]),
    ("mv /tmp/c2/h", None, 1, ["usage: mv obj1 obj2"]),
    ("chm ff:2:0 /tmp/c/f", None, 0, []),
    ("dir -c /tmp/c", None, 0, ["owner  group  other",
                                "f                    ff     2      0"]),
    ("chm ff:2 /tmp/c/f", None, 1, ["chm: /tmp/c/f: invalid argument"]),
    ("chm zz /tmp/c/f", None, 1, ["chm: zz: invalid argument"]),
    ("chm ff:2:4 /tmp/c/none", None, 1, ["chm: /tmp/c/none: not found"]),
    ("chm ff", None, 1, ["usage: chm mask pathname ..."]),
    ("std_info /tmp/c/f /tmp /tmp/bsuper", None, 0,
     ["/tmp/c/f: -   6 bytes", "/tmp: /dw1234", "/tmp/bsuper: bullet server"]),
    ("std_info /none", None, 1, ["std_info: /none: not found"]),
    ("std_info", None, 1, ["usage: std_info object ..."]),
    ("std_status /tmp/bsuper", None, 0, ["bullet server on vdisk:hd0p1"]),
    ("std_status /none", None, 1, ["std_status: /none: not found"]),
    ("std_status", None, 1, ["usage: std_status server"]),
    ("std_restrict /tmp/bsuper f /tmp/bweak", None, 0, []),
    ("std_info /tmp/bweak", None, 0, ["bullet server"]),
    ("std_restrict /tmp/c/f zz /tmp/x", None, 1,
     ["std_restrict: zz: invalid argument"]),
    ("std_restrict /tmp/c/f 2 /tmp/bweak", None, 1,
     ["std_restrict: /tmp/bweak: exists"]),
    ("std_restrict /tmp/c/f", None, 1,
     ["usage: std_restrict original mask newcap"]),
    ("std_age /tmp/bsuper", None, 0, []),
    ("std_age /tmp/bweak", None, 1, ["std_age: /tmp/bweak: operation denied"]),
    ("std_age", None, 1, ["usage: std_age server_cap"]),
    ("bfsck", None, 0, []),
    ("bfsck /tmp/bsuper", None, 0, []),
    ("bfsck /tmp/bweak", None, 1, ["bfsck: /tmp/bweak: operation denied"]),
    ("bfsck -x", None, 1, ["usage: bfsck [-n node] [bullet_server]"]),
    ("del /tmp/c", None, 1, ["del: /tmp/c: is a directory (use -d)"]),
    ("del -d -f /tmp/c", None, 1, ["del: /tmp/c: directory not empty"]),
    ("del /tmp/none", None, 1, ["del: /tmp/none: not found"]),
    ("del", None, 1, ["usage: del [-df] pathname ..."]),
    ("del /tmp/c2/h", None, 0, []),
    ("cat /home/note", None, 0, ["note-from-fsdir"]),
    ("del -f /tmp/c2/f", None, 0, []),
    ("dir /tmp/c2", None, 0, []),
    ("del -d /tmp/c2", None, 0, []),
    ("std_destroy /tmp/c/f", None, 0, []),
    ("get /tmp/c/f", None, 1, ["get: /tmp/c/f: not found"]),
    ("std_destroy /none", None, 1, ["std_destroy: /none: not found"]),
    ("std_destroy", None, 1, ["usage: std_destroy objectcap ..."]),
    ("put /tmp/fromA", "written on A\r", 0, []),
]

# Run on the diskless node cli, then (BACK) on vx again.
REMOTE = [
    ("cat /tmp/fromA", None, 0, ["written on A"]),
    ("put /tmp/fromB", "written on B\r", 0, []),
    ("cp /tmp/fromA /tmp/copyB", None, 0, []),
    ("mkd /tmp/dB", None, 0, []),
    ("mv /tmp/copyB /tmp/dB", None, 0, []),
    ("dir -l /tmp/dB", None, 0, ["copyB", "-   13 bytes"]),
    ("get /tmp/nope", None, 1, ["get: /tmp/nope: not found"]),
    ("std_info /tmp/fromA /bin/hello", None, 0,
     ["/tmp/fromA: -   13 bytes", "/bin/hello: -   "]),
    ("bfsck -n vx", None, 0, []),
    ("del /tmp/dB", None, 1, ["del: /tmp/dB: is a directory (use -d)"]),
]
BACK = [
    ("cat /tmp/fromB /tmp/dB/copyB", None, 0, ["written on B\nwritten on A"]),
]


def run(node, line, stdin=None, timeout=60):
    """`run LINE` on node's monitor (vxqemu.monitor_run)."""
    return monitor_run(node, line, timeout, stdin)


def commands(node, who, cases):
    """Run each case; one result per case."""
    for line, stdin, want, texts in cases:
        status, out = run(node, line, stdin)
        missing = [t for t in texts if t not in out]
        about = ", " + texts[0].replace("\n", "\\n") if texts else ""
        tap.report("%s: %s -> exit %d%s" % (who, line, want, about),
                   status == want and not missing,
                   "exit %s, missing %r\n%s" % (status, missing, out))


def posix(node, who):
    """test_posix check: each of its results, and its closing line."""
    status, out = run(node, "test_posix check", timeout=180)
    inner = RESULT.findall(out)
    for st, name in inner:
        tap.report("%s posix: %s" % (who, name), st == "ok")
    tap.report("%s posix: test_posix ran to the end" % who,
               status == 0 and inner and
               re.search(r"^\d+ passed, 0 failed", out, re.M), out)


def make_disk(tmp):
    fsdir = os.path.join(tmp, "fsdir")
    os.makedirs(fsdir)
    with open(os.path.join(fsdir, "note"), "w") as f:
        f.write("note-from-fsdir\n")
    img = os.path.join(tmp, "fs.img")
    env = dict(os.environ, FS_MB="8", FSDIR=fsdir)
    mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img, MKFS,
                         os.path.join(BUILD, "user", "hello")],
                        capture_output=True, text=True, env=env)
    tap.report("mkfsimg.sh makes an 8 MiB Bullet + SOAP disk",
               mk.returncode == 0, mk.stdout + mk.stderr)
    return img if mk.returncode == 0 else None


def session(img, sw):
    srv = Node("vx", append="node=vx nofs", nics=[("e1000", sw)],
               drives=["file=%s,format=raw,if=ide,index=0" % img])
    cli = Node("cli", append="node=cli nofs", nics=[("e1000", sw)])
    try:
        srv.start()
        srv.expect(r"^vx> ", 60)
        status, out = run(srv, "dir /")
        tap.report("vx: dir / before any server runs -> exit 1, "
                   "no directory server answers", status == 1 and
                   "dir: /: no directory server answers" in out, out)
        status, out = run(srv, "test_posix start")
        tap.report("vx: test_posix start: both servers up",
                   status == 0 and "# serving" in out, out)
        if status != 0:
            return
        posix(srv, "vx")
        commands(srv, "vx", LOCAL)
        cli.start()
        cli.expect(r"^cli> ", 60)
        commands(cli, "cli", REMOTE)
        posix(cli, "cli")
        commands(srv, "vx", BACK)
    except (TimeoutError, AssertionError) as e:
        tap.report("the nodes ran to the end", False, str(e))
    finally:
        srv.kill()
        cli.kill()


def main():
    with tempfile.TemporaryDirectory(prefix="vx-cmds-") as tmp:
        img = make_disk(tmp)
        if img:
            with VdeSwitch() as sw:
                session(img, sw)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
