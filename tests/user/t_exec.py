#!/usr/bin/env python3
# vx-timeout: 300
"""t_exec.py - the exec library (exec_file, pro_exec, pro_list and
module/run.h) on a node with a file system.

A small disk from boot/mkfsimg.sh holds /bin/hello, /bin/test_exec (the
test program itself, which the test execs as its own child) and
/home/notexec (a text file).  The kernel starts the Bullet and SOAP
servers at boot, registers the node as /hosts/vx, and runs
tests/user/test_exec as init, whose ok lines are passed on.  Two more
boots on the same disk: the node replaces its /hosts entry, and (after
the second run deleted /hosts) the kernel makes /hosts again.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from vxqemu import BUILD, ROOT, Node, Tap  # noqa: E402

MKFS = os.path.join(BUILD, "tools", "mkfs_bullet")
tap = Tap(tail=40)


def main():
    with tempfile.TemporaryDirectory(prefix="vx-exec-") as tmp:
        fsdir = os.path.join(tmp, "fsdir")
        os.makedirs(fsdir)
        with open(os.path.join(fsdir, "notexec"), "w") as f:
            f.write("just some text, not an Amoeba executable\n")
        img = os.path.join(tmp, "fs.img")
        env = dict(os.environ, FS_MB="12", FSDIR=fsdir)
        mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img,
                             MKFS, os.path.join(BUILD, "user", "hello"),
                             os.path.join(BUILD, "user", "test_exec")],
                            capture_output=True, text=True, env=env)
        tap.check(mk.returncode == 0, "mkfsimg.sh makes the disk")
        if mk.returncode != 0:
            print(mk.stderr)
            return tap.done()
        for phase, args, line in (
                ("exec", "", "the node entered itself in /hosts"),
                ("again", "nodes drop", "a second boot replaces its entry"),
                ("made", "nodes", "a boot without /hosts makes it")):
            n = Node("vx", append="node=vx init=test_exec " + args,
                     drives=["file=%s,format=raw,if=ide,index=0" % img])
            n.start()
            try:
                code = n.wait_exit(200)
            except (TimeoutError, AssertionError) as e:
                code, n.log = None, n.log + "\n" + str(e)
            finally:
                n.kill()
            tap.check(re.search(r"^vx: fs: registered as /hosts/vx$", n.log,
                                re.M), phase + ": " + line)
            if phase == "exec":
                tap.check("argv[1] = x" in n.log,
                          "hello ran with its argument")
            tap.relay(phase, n.log, code, "test_exec")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
