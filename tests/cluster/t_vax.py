#!/usr/bin/env python3
# vx-timeout: 300
"""t_vax.py - vax (host/vax.c): native VX programs from the Linux file
system run on a node, their terminal on the Linux side; and the Linux
builds of the file, directory and process commands against a node.

One node (no disk) on a private VDE switch; the sanitized vax of make
host starts programs of build/user on it:

  hello with arguments: its argv and environment come back on stdout,
      exit status 0
  cat with no file: vax's standard input reaches the program through
      TTQ_READ, every byte comes back, end of file ends it (status 0)
  cat of a file it cannot open: its message on stderr, exit status 1
  a file that is not a VX executable, a missing file, an unknown node,
      a usage error: a message (or usage) and exit status 1, 1, 1, 2

Commands (make host) against a node with a copy of build/vx-fs.img:
  put from Linux standard input, cat back, mkd, dir -l, del; aps lists
  the node's servers; ax runs a program of the node's /bin with its
  output and standard input on the Linux side (host/term.c) and its exit
  status; ax -near /bin/hello runs it on the node of the file's server
  (run_near from Linux), -near of a missing path fails; aps -c prints process capabilities and kill by one ends that
  process (its ax reports the stun); kill of an unknown process or path
  fails cleanly.

Prints ok/not ok lines and a closing "N passed, N failed" line.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, Node, Tap, VdeSwitch  # noqa: E402

VAX = os.path.join(BUILD, "host", "san", "bin", "vax")
USER = os.path.join(BUILD, "user")
tap = Tap()


def vax(args, net, stdin=b"", timeout=120, prog=VAX, node=None):
    """(status, stdout, stderr) of one vax (or prog) run."""
    env = dict(os.environ, VX_NET=net)
    if node:
        env["VX_NODE"] = node
    try:
        r = subprocess.run([prog] + args, env=env,
                           input=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", "timeout after %d s" % timeout
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def cmd(name, args, net, stdin=b""):
    return vax(args, net, stdin=stdin, node="fs1",
               prog=os.path.join(BUILD, "host", "san", "bin", name))


def test_commands():
    with tempfile.TemporaryDirectory(prefix="vx-vax-") as tmp, \
            VdeSwitch() as sw:
        net = "vde:" + sw.sock
        disk = os.path.join(tmp, "fs.img")
        shutil.copy(os.path.join(BUILD, "vx-fs.img"), disk)
        n = Node("fs1", append="node=fs1", nics=[("e1000", sw)],
                 drives=["file=%s,format=raw,if=ide" % disk])
        try:
            n.start()
            n.expect(r"vx: fs: ROOT and WORK", 120)
            rc, out, err = cmd("put", ["/home/notes"], net, b"written from Linux\n")
            rc2, out2, err2 = cmd("cat", ["/home/notes"], net)
            tap.report("Linux put and cat: a file through the node's servers",
                       rc == 0 and rc2 == 0 and out2 == "written from Linux\n",
                       err + out2 + err2)
            rc, out, err = cmd("mkd", ["/home/d1"], net)
            rc2, out2, err2 = cmd("dir", ["-l", "/home"], net)
            tap.report("Linux mkd and dir -l", rc == 0 and rc2 == 0 and
                       "d1" in out2 and "notes" in out2 and "19 bytes" in out2,
                       out2 + err + err2)
            rc, out, err = cmd("del", ["-f", "/home/notes"], net)
            rc2, out2, err2 = cmd("cat", ["/home/notes"], net)
            tap.report("Linux del -f, then cat fails with a message",
                       rc == 0 and rc2 == 1 and "/home/notes" in err2, err + err2)
            rc, out, err = cmd("aps", [], net)
            tap.report("Linux aps lists the node's servers",
                       rc == 0 and "bullet" in out and "soap" in out and
                       "fs1" in out, out + err)
            rc, out, err = cmd("ax", ["-m", "fs1", "hello", "x y"], net)
            tap.report("Linux ax: /bin/hello on the node, output here",
                       rc == 0 and "argv[1] = x y" in out, out + err)
            rc, out, err = cmd("ax", ["-near", "/bin/hello", "hello", "near"], net)
            tap.report("Linux ax -near /bin/hello: runs on the node of the "
                       "file's server", rc == 0 and "VX_NODE=fs1" in out and
                       "argv[1] = near" in out, "rc %s\n%s%s" % (rc, out, err))
            rc, out, err = cmd("ax", ["-near", "/nosuch", "hello"], net)
            tap.report("Linux ax -near of a path that names nothing fails "
                       "with a message", rc == 1 and "ax: /nosuch: " in err,
                       "rc %s\n%s%s" % (rc, out, err))
            rc, out, err = cmd("ax", ["-m", "fs1", "cat"], net, b"in and out\n")
            tap.report("Linux ax: standard input from here to the node",
                       rc == 0 and out == "in and out\n", out + err)
            rc, out, err = cmd("ax", ["-m", "fs1", "cat", "/nonexistent"], net)
            tap.report("Linux ax returns the program's exit status",
                       rc == 1 and "/nonexistent" in err, "rc %s %s" % (rc, err))
            env = dict(os.environ, VX_NET=net, VX_NODE="fs1")
            bg = subprocess.Popen([os.path.join(BUILD, "host", "san", "bin", "ax"),
                                   "-m", "fs1", "sleep", "60"], env=env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
            line = None
            for _ in range(50):
                rc, out, err = cmd("aps", ["-c", "fs1"], net)
                line = next((x for x in out.splitlines()
                             if " sleep " in x and "running" in x), None)
                if line:
                    break
            capstr = line.split()[-1] if line else ""
            rc, out, err = cmd("kill", [capstr], net)
            try:
                bout, berr = bg.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                bg.kill()
                bout, berr = bg.communicate()
            tap.report("aps -c shows a process capability; kill by it ends "
                       "the process (its ax: stunned, status 137)",
                       len(capstr) == 32 and rc == 0 and bg.returncode == 137
                       and b"stunned (detail 9)" in berr,
                       "%s\nkill rc %s %s\nax %s %s" % (line, rc, err,
                                                         bg.returncode, berr))
            rc, out, err = cmd("kill", ["/no/such/process"], net)
            tap.report("kill of a path that names nothing", rc == 1 and
                       "/no/such/process" in err, err)
            rc, out, err = cmd("kill", ["nosuchprog"], net)
            tap.report("Linux kill of an unknown process", rc == 1 and
                       "no such process" in err, err)
        except (TimeoutError, AssertionError) as e:
            tap.report("Linux commands against a node", False,
                       str(e) + "\n" + n.tail(20))
        finally:
            n.kill()


def main():
    test_commands()
    with VdeSwitch() as sw:
        net = "vde:" + sw.sock
        n = Node("vn1", append="node=vn1", nics=[("e1000", sw)])
        try:
            n.start()
            n.expect(r"vx: ready", 90)
            rc, out, err = vax(["-m", "vn1", os.path.join(USER, "hello"), "a",
                                "b c"], net)
            tap.report("vax hello: argv, environment and exit status 0",
                       rc == 0 and "hello from VX user space" in out
                       and "argv[1] = a\n" in out and "argv[2] = b c\n" in out
                       and "envp[0] = VX_NODE=vn1" in out, out + err)
            text = "".join("line %d of the input\n" % i for i in range(200))
            rc, out, err = vax(["-m", "vn1", os.path.join(USER, "cat")], net,
                               stdin=text.encode())
            tap.report("vax cat: standard input through to the node and "
                       "back, end of file ends it", rc == 0 and out == text,
                       "rc %s\n%s\n%s" % (rc, out[-300:], err))
            rc, out, err = vax(["-m", "vn1", os.path.join(USER, "cat"),
                                "/no/such/file"], net)
            tap.report("vax cat of a missing file: the program's message on "
                       "stderr and its exit status 1",
                       rc == 1 and "/no/such/file" in err, "rc %s\n%s" % (rc, err))
            rc, out, err = vax(["-m", "vn1", os.path.join(BUILD, "vx.elf")], net)
            tap.report("vax of a file that is not a VX executable",
                       rc == 1 and "not a VX executable" in err, err)
            rc, out, err = vax(["-m", "vn1", "/no/such/program"], net)
            tap.report("vax of a missing file", rc == 1 and
                       "/no/such/program" in err, err)
            rc, out, err = vax(["-m", "nosuchnode", os.path.join(USER, "hello")],
                               net)
            tap.report("vax on an unknown node", rc == 1 and
                       "node nosuchnode: not found" in err, "rc %s %s" % (rc, err))
            rc, out, err = vax(["-x"], net)
            tap.report("vax usage error", rc == 2 and "usage" in err, err)
        except (TimeoutError, AssertionError) as e:
            tap.report("vax against a node", False, str(e) + "\n" + n.tail(20))
        finally:
            n.kill()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
