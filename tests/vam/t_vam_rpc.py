#!/usr/bin/env python3
# vx-timeout: 600
"""t_vam_rpc.py - ML programs and C programs talk Amoeba RPC across nodes.

Two nodes on a private VDE switch each time; the bytecode (vam_echo, from
vam/test/vam_echo.ml) runs as init from a file-system disk on its node
(tests/vam/vamdisk.py), the C side is the kernel's echo test
(tests/kernel/test_net.c, netport=NAME):

1. ML client, C server: node srv serves the port "vamc"
   (ktest=net_echo_server); `vam_echo client vamc` on node mlc finds it by
   port alone and has 0 B .. 1 MiB echoed, data compared;
2. C client, ML server: `vam_echo serve vams 9` on node mls; node cli
   (ktest=net_echo_client netport=vams) has 0 B .. 1 MiB echoed by it,
   data and h_offset checked by the C side;
3. the same bytecode on Linux: build/vam/vam_echo.byte (the file copied
   to the disk above) run by build/vam/ocamlrun-amunix (Debian's runtime
   with the Amoeba stubs over libamunix) on this machine, on the same
   switch ($VX_NET), reaches node srv's C echo server ("vaml").
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from vxqemu import BUILD, Node, Tap, VdeSwitch, closing_line  # noqa: E402
from vamdisk import make_disk  # noqa: E402

tap = Tap()


def disk_node(name, img, init, sw):
    return Node(name, append="node=%s init=ocamlrun %s" % (name, init),
                drives=["file=%s,format=raw,if=ide,index=0,snapshot=on"
                        % img], nics=[("e1000", sw)])


def wait(node, timeout):
    try:
        return node.wait_exit(timeout)
    except (TimeoutError, AssertionError) as e:
        node.log += "\n" + str(e)
        return None


def ml_client(img):
    with VdeSwitch() as sw:
        srv = Node("srv", append="node=srv ktest=net_echo_server netport=vamc",
                   nics=[("e1000", sw)])
        cli = disk_node("mlc", img, "/home/vam_echo.byte client vamc", sw)
        try:
            srv.start()
            srv.expect(r"echo: serving", 60)
            cli.start()
            code = wait(cli, 300)
        except (TimeoutError, AssertionError) as e:
            code, cli.log = None, cli.log + "\n" + str(e)
        finally:
            cli.kill()
            srv.kill()
    tap.relay("ML client, C server", cli.log, code, "vam_echo client")


def ml_server(img):
    with VdeSwitch() as sw:
        srv = disk_node("mls", img, "/home/vam_echo.byte serve vams 9", sw)
        cli = Node("cli", append="node=cli ktest=net_echo_client netport=vams",
                   nics=[("e1000", sw)])
        ccode = scode = None
        try:
            srv.start()
            srv.expect(r"^vam_echo: serving vams", 120)
            cli.start()
            ccode = wait(cli, 200)
            scode = wait(srv, 60)
        except (TimeoutError, AssertionError) as e:
            srv.log += "\n" + str(e)
        finally:
            cli.kill()
            srv.kill()
    tap.report("C client, ML server: the C client's checks passed "
               "(exit code %s)" % ccode,
               ccode == 0 and closing_line(cli.log) is not None, cli.log)
    tap.relay("C client, ML server", srv.log, scode, "vam_echo serve")


def linux_client():
    runtime = os.path.join(BUILD, "vam", "ocamlrun-amunix")
    prog = os.path.join(BUILD, "vam", "vam_echo.byte")
    with VdeSwitch() as sw:
        srv = Node("srv", append="node=srv ktest=net_echo_server netport=vaml",
                   nics=[("e1000", sw)])
        try:
            srv.start()
            srv.expect(r"echo: serving", 60)
            r = subprocess.run([runtime, prog, "client", "vaml"],
                               env=dict(os.environ, VX_NET="vde:" + sw.sock),
                               stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=120)
            code, out = r.returncode, r.stdout + r.stderr
        except (TimeoutError, AssertionError, OSError,
                subprocess.TimeoutExpired) as e:
            code, out = None, str(e)
        finally:
            srv.kill()
    tap.relay("Linux ML client, node C server", out, code,
              "ocamlrun-amunix vam_echo.byte client")


def main():
    with tempfile.TemporaryDirectory(prefix="vx-vamrpc-") as tmp:
        img, count, err = make_disk(tmp)
        if not tap.check(img is not None and count > 0,
                         "a disk with the bytecode files"):
            print("# " + err)
            return tap.done()
        ml_client(img)
        ml_server(img)
        linux_client()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
