#!/usr/bin/env python3
# vx-timeout: 600
"""t_vam_exec.py - bytecode programs are started like native programs.

exec_file (libamoeba/user/exec.c) starts an OCaml bytecode file (no PD,
OCaml's trailer at its end) with /bin/ocamlrun as its interpreter, the
file passed as VAMPROG (vam/ocamlrun/vam_main.c).  Two nodes on a
private VDE switch: n0 with a file-system disk (tests/vam/vamdisk.py:
/home/*.byte, and in /bin the bytecode vam_hello as `vamhello` and
vam_cat as `vamcat`, no suffix, beside ocamlrun, boot, hello), which
runs the boot server with /home/vx.conf and the kernel monitor; n1
diskless.  Through the monitor (`run LINE`):

1. the shell: `/home/vam_hello.byte a b` and `vamhello x` (found on
   PATH without a suffix) typed to sh: arguments, exit 0;
2. standard input, output and exit status: `sh -c vamcat` with three
   lines typed: each line echoed, exit status 3; an uncaught exception
   (vam_raise.byte) gives the runtime's message and exit 2;
3. ax from the other node: `ax -m n0 /home/vam_hello.byte ...` from n1
   and `ax -m n1 vamhello ...` from n0 (VX_NODE in its environment);
4. the boot server started the bytecode server `vam_echo.byte serve`
   (argv[0] "vamecho", not the file's name) on n0; from n1 the ML client
   has 0 B .. 1 MiB echoed by it;
5. bad input: a file that is neither a PD nor bytecode ("not an
   executable"), bytecode with no interpreter ($VAM_OCAMLRUN naming
   no file: "no interpreter"), both with ax exit 1; the nodes do not
   fault.
"""
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from vxqemu import BUILD, Node, Tap, VdeSwitch, monitor_run  # noqa: E402
from vamdisk import make_disk  # noqa: E402

tap = Tap(tail=40)

VX_CONF = """# t_vam_exec: a bytecode server started by the boot server
echo { program { "/home/vam_echo.byte";
               argv { "vamecho", "serve", "vambs", "9" }; };
       bootrate 600000; };
"""


def case(node, line, want, texts, timeout=120, stdin=None, what=None):
    status, out = monitor_run(node, line, timeout, stdin)
    missing = [t for t in texts if t not in out]
    tap.report("%s: %s -> exit %s" % (node.name, what or line, want),
               status == want and not missing,
               "exit %s, missing %r\n%s" % (status, missing, out))
    return out


def boot(name, sw, img=None):
    """n0 (img): the boot server runs, no monitor; n1: the monitor."""
    drives = ["file=%s,format=raw,if=ide,index=0" % img] if img else []
    extra = " bootconf=/home/vx.conf" if img else " monitor"
    n = Node(name, append="node=%s%s" % (name, extra),
             nics=[("e1000", sw)], drives=drives)
    n.name = name
    n.start()
    n.expect(r"^vx: fs: registered as /hosts/%s$" % name, 120)
    if img is None:
        n.expect(r"^%s> " % name, 60)
    return n


def session(n0, n1):
    case(n1, "sh", 0, ["hello from OCaml", "argv[0]=/home/vam_hello.byte",
                       "argv[1]=a", "argv[2]=b", "VX_NODE=n1"],
         stdin="/home/vam_hello.byte a b\r",
         what="sh: /home/vam_hello.byte a b")
    case(n1, "sh", 0, ["argv[0]=vamhello", "argv[1]=x"],
         stdin="vamhello x\r", what="sh: vamhello x")
    case(n1, "sh -c vamcat", 3,
         ["cat: one", "cat: two", "cat: three", "cat: 3 lines"],
         stdin="one\rtwo\rthree\r", what="sh -c vamcat (3 lines typed)")
    case(n1, "sh -c /home/vam_raise.byte", 2,
         ['Fatal error: exception Vam_raise.Boom("uncaught")'])
    case(n1, "ax -m n0 /home/vam_hello.byte from-n1", 0,
         ["argv[0]=/home/vam_hello.byte", "argv[1]=from-n1", "VX_NODE=n0"])
    case(n1, "ax -m n0 vamhello on-n0", 0,
         ["argv[0]=vamhello", "argv[1]=on-n0", "VX_NODE=n0"])
    case(n1, "ax -m n0 vamcat", 2, ["cat: in", "cat: 2 lines"],
         stdin="in\rput\r", what="ax -m n0 vamcat (2 lines typed)")
    n0.expect(r"^vam_echo: serving vambs", 120)
    tap.report("boot server: it started the bytecode server on n0",
               re.search(r"^boot: started echo on n0", n0.log, re.M),
               n0.tail())
    case(n1, "ocamlrun /home/vam_echo.byte client vambs", 0,
         ["ok 9 - ML client: 1048576 bytes echoed by vambs",
          "9 passed, 0 failed"], timeout=240,
         what="ML client of the boot server's bytecode server")
    n0.expect(r"^9 passed, 0 failed", 60)
    case(n1, "ax -m n0 /home/notexec", 1,
         ["ax: /home/notexec: not an executable"])
    case(n1, "sh", 1, ["no interpreter"],
         stdin="export VAM_OCAMLRUN=/bin/none\rax -m n0 vamhello\r",
         what="sh: ax of bytecode with no interpreter")
    case(n1, "ax -m n0 vamhello again", 0, ["argv[1]=again"])
    for n in (n0, n1):
        tap.report("%s: no fault, no panic" % n.name,
                   "fault" not in n.log and "panic" not in n.log, n.tail())


def main():
    vam = os.path.join(BUILD, "vam")
    with tempfile.TemporaryDirectory(prefix="vx-vamexec-") as tmp:
        img, count, err = make_disk(
            tmp, bins={"vamhello": os.path.join(vam, "vam_hello.byte"),
                       "vamcat": os.path.join(vam, "vam_cat.byte"),
                       "boot": os.path.join(BUILD, "user", "boot"),
                       "sh": os.path.join(BUILD, "user", "sh"),
                       "ax": os.path.join(BUILD, "user", "ax")},
            files={"vx.conf": VX_CONF,
                   "notexec": "neither a PD nor bytecode\n"})
        tap.report("mkfsimg with %d bytecode files" % count,
                   img is not None and count >= 4, err)
        if img is None:
            return tap.done()
        with VdeSwitch() as sw:
            nodes = []
            try:
                nodes.append(boot("n0", sw, img))
                nodes.append(boot("n1", sw))
                session(*nodes)
            except (TimeoutError, AssertionError) as e:
                tap.report("the nodes ran to the end", False,
                           str(e) + "\n" + "\n".join(n.log[-3000:]
                                                     for n in nodes))
            finally:
                for n in nodes:
                    n.kill()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
