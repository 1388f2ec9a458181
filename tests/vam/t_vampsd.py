#!/usr/bin/env python3
# vx-timeout: 600
"""t_vampsd.py - the VAM in process-server mode: a Linux PC runs bytecode
started by PS_EXEC from a node (vam/vampsd).

build/vam/vampsd -n linux runs on this machine on a private VDE switch
($VX_NET): it serves the kernel directory of the node name "linux" and a
process server that runs bytecode with build/vam/ocamlrun-amunix.  Node
n0 (a file-system disk from tests/vam/vamdisk.py, the kernel monitor)
types:

1. `ax -m linux /home/vam_hello.byte a b`: the program runs on Linux
   (its os_type is Unix, its VX_NODE "linux"), its output reaches n0's
   console through ax's terminal, ax exits 0;
2. `ax -m linux /home/vam_raise.byte`: the runtime's "Fatal error" line
   on n0's console and exit status 2 back to ax;
3. `ax -m linux /bin/hello` (a native i386 program): refused, ax says
   "a native program: this host runs only bytecode" and exits 1, and
   vampsd names it on its own output;
4. vam_hello runs once more (vampsd still serves) and vampsd has not
   crashed at the end.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from vxqemu import BUILD, Node, Tap, VdeSwitch, monitor_run  # noqa: E402
from vamdisk import make_disk  # noqa: E402

tap = Tap(tail=40)
VAMPSD = os.path.join(BUILD, "vam", "vampsd")


def case(node, line, want, texts, timeout=180):
    status, out = monitor_run(node, line, timeout)
    missing = [t for t in texts if t not in out]
    tap.report("%s -> exit %s" % (line, want),
               status == want and not missing,
               "exit %s, missing %r\n%s" % (status, missing, out))


def session(n0):
    case(n0, "ax -m linux /home/vam_hello.byte a b", 0,
         ["hello from OCaml", "(Unix, ", "argv[1]=a", "argv[2]=b",
          "VX_NODE=linux"])
    case(n0, "ax -m linux /home/vam_raise.byte", 2,
         ['Fatal error: exception Vam_raise.Boom("uncaught")'])
    case(n0, "ax -m linux /bin/hello", 1,
         ["a native program: this host runs only bytecode"])
    case(n0, "ax -m linux /home/vam_hello.byte again", 0, ["argv[1]=again"])


def main():
    with tempfile.TemporaryDirectory(prefix="vx-vampsd-") as tmp:
        img, count, err = make_disk(tmp)
        tap.report("mkfsimg with %d bytecode files" % count,
                   img is not None, err)
        if img is None:
            return tap.done()
        with VdeSwitch() as sw:
            psd = subprocess.Popen([VAMPSD, "-n", "linux"],
                                   env=dict(os.environ,
                                            VX_NET="vde:" + sw.sock),
                                   stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
            first = psd.stdout.readline()
            tap.report("vampsd serves", "vampsd: process server of linux"
                       in first, first)
            n0 = Node("n0", append="node=n0 monitor", nics=[("e1000", sw)],
                      drives=["file=%s,format=raw,if=ide,index=0" % img])
            try:
                n0.start()
                n0.expect(r"^n0> ", 120)
                session(n0)
            except (TimeoutError, AssertionError) as e:
                tap.report("the node ran to the end", False,
                           str(e) + "\n" + n0.log[-3000:])
            finally:
                n0.kill()
                psd.kill()
                rest, _ = psd.communicate()
            tap.report("vampsd names the refused native program",
                       "vampsd: /bin/hello: a native program refused" in rest,
                       first + rest)
            tap.report("vampsd still ran at the end (no crash)",
                       psd.returncode == -9, "returncode %s" % psd.returncode)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
