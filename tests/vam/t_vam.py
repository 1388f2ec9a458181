#!/usr/bin/env python3
# vx-timeout: 400
"""t_vam.py - OCaml bytecode compiled by the host's ocamlc runs on a node.

The bytecode files (build/vam/*.byte, from vam/test/*.ml) go into the
home folder of a fresh file-system disk (boot/mkfsimg.sh with FSDIR), the
node boots with it and its monitor runs `ocamlrun /home/PROG.byte`
(ocamlrun from the boot image):

1. vam_hello   prints its arguments (exit 0);
2. vam_std     the standard library's own checks (its ok lines are
               relayed): Printf, Buffer, Hashtbl, exceptions, Marshal, GC
               under allocation pressure, files in /tmp, Sys.time;
3. vam_am      the Amoeba library for ML on one node (its ok lines):
               F, private parts, marshalling, getcap, std_info to the
               directory server, a transaction to nobody;
4. vam_raise   an uncaught exception: the runtime's "Fatal error:
               exception ..." line and exit status 2; the same for
               Stack_overflow from endless recursion;
5. vam_oom     allocates until memory runs out: "Out_of_memory" and exit
               status 2;
6. bad input   no file, a missing file, a native program instead of
               bytecode: one clear line each, no fault;
7. the node is still fine: vam_hello runs again after all that.
"""
import os
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from vxqemu import Node, Tap, monitor_run  # noqa: E402
from vamdisk import make_disk  # noqa: E402

tap = Tap()


def run(node, line, timeout=240):
    """`run LINE` on node's monitor (vxqemu.monitor_run)."""
    return monitor_run(node, line, timeout)


def expect_run(node, line, want, texts, what):
    status, out = run(node, line)
    ok = status == want and all(t in out for t in texts)
    tap.report("%s (exit %s, want %s)" % (what, status, want), ok, out)
    return out


def disk(tmp):
    """A file-system disk with ocamlrun, hello and the bytecode files."""
    img, count, err = make_disk(tmp)
    tap.report("mkfsimg with %d bytecode files" % count,
               img is not None and count >= 4, err)
    return img


def main():
    with tempfile.TemporaryDirectory(prefix="vx-vam-") as tmp:
        img = disk(tmp)
        if img is None:
            return tap.done()
        n = Node("vam", append="node=vam monitor",
                 drives=["file=%s,format=raw,if=ide,index=0" % img])
        n.start()
        try:
            n.expect(r"^VX monitor on vam", 120)
            tests(n)
        except (TimeoutError, AssertionError) as e:
            tap.report("the node boots and its monitor answers", False, e)
        finally:
            n.kill()
    return tap.done()


def tests(n):
    expect_run(n, "ocamlrun /home/vam_hello.byte a b", 0,
               ["hello from OCaml", "32-bit words", "argv[2]=b"],
               "vam_hello: a bytecode file from the host's ocamlc runs")
    status, out = run(n, "ocamlrun /home/vam_std.byte /tmp")
    tap.relay("vam_std", out, status, "vam_std")
    status, out = run(n, "ocamlrun /home/vam_am.byte")
    tap.relay("vam_am", out, status, "vam_am")
    expect_run(n, "ocamlrun /home/vam_raise.byte", 2,
               ["vam_raise: raising",
                'Fatal error: exception Vam_raise.Boom("uncaught")'],
               "uncaught exception: the runtime's message, exit 2")
    expect_run(n, "ocamlrun /home/vam_raise.byte stack", 2,
               ["vam_raise: recursing",
                "Fatal error: exception Stack_overflow"],
               "endless recursion: Stack_overflow, exit 2")
    expect_run(n, "ocamlrun /home/vam_oom.byte", 2,
               ["vam_oom: 16 MiB", "Fatal error: exception Out_of_memory"],
               "out of memory: Out_of_memory, exit 2")
    expect_run(n, "ocamlrun", 127, ["no bytecode file specified"],
               "no file: a clear error")
    expect_run(n, "ocamlrun /home/none.byte", 127,
               ["cannot find file '/home/none.byte'"],
               "a missing file: a clear error")
    expect_run(n, "ocamlrun /bin/hello", 127,
               ["the file '/bin/hello' has not the right magic number"],
               "a native program is not bytecode: a clear error")
    expect_run(n, "ocamlrun /home/vam_hello.byte again", 0,
               ["argv[1]=again"], "the node still runs bytecode after that")
    tap.report("no fault and no panic on the node",
               "fault" not in n.log and "vx: panic" not in n.log, n.tail())


if __name__ == "__main__":
    sys.exit(main())
