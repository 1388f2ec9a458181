#!/usr/bin/env python3
# vx-timeout: 600
"""t_vam_threads.py - Amoeba threads from ML (Thread, Mutex, Condition).

The bytecode is vam/test/vam_threads.ml, on a file-system disk
(tests/vam/vamdisk.py); the C clients are vam/vam_tclient (test image):

1. on a node: `vam_threads local` - four threads adding under a Mutex,
   a producer and a consumer through Condition, try_lock, unlocking a
   mutex not held, Thread.delay, an exception ending its thread alone
   (its ok lines are relayed);
2. the same on Linux under build/vam/ocamlrun-amunix (POSIX threads);
3. on a node: `vam_threads serve vamt 4`, an ML server with 4 threads in
   getreq; node cli runs `vam_tclient vamt`: one C client thread's
   request is slept on for 3 s by one server thread while three other
   client threads have fast requests answered by the other server
   threads during that sleep (the server says how many requests it is
   sleeping on in each fast reply); then a quit request ends the server;
4. the same server bytecode on Linux (ocamlrun-amunix on the node's VDE
   switch, $VX_NET) with the C clients on a node.
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

tap = Tap()
RUNTIME = os.path.join(BUILD, "vam", "ocamlrun-amunix")
PROG = os.path.join(BUILD, "vam", "vam_threads.byte")


def wait(node, timeout):
    try:
        return node.wait_exit(timeout)
    except (TimeoutError, AssertionError) as e:
        node.log += "\n" + str(e)
        return None


def local_node(img):
    n = Node("vth", append="node=vth monitor",
             drives=["file=%s,format=raw,if=ide,index=0,snapshot=on" % img])
    n.start()
    try:
        n.expect(r"^VX monitor on vth", 120)
        status, out = monitor_run(n, "ocamlrun /home/vam_threads.byte local",
                                  240)
    except (TimeoutError, AssertionError) as e:
        status, out = None, str(e)
    finally:
        n.kill()
    tap.relay("node", out, status, "vam_threads local")
    tap.report("no fault and no panic on the node",
               "fault" not in n.log and "vx: panic" not in n.log, n.tail())


def local_linux():
    try:
        r = subprocess.run([RUNTIME, PROG, "local"], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=120)
        code, out = r.returncode, r.stdout + r.stderr
    except (OSError, subprocess.TimeoutExpired) as e:
        code, out = None, str(e)
    tap.relay("Linux", out, code, "ocamlrun-amunix vam_threads local")


def client_node(name, sw):
    return Node("cli", append="node=cli init=vam_tclient %s" % name,
                nics=[("e1000", sw)])


def server_node(img):
    with VdeSwitch() as sw:
        srv = Node("mls", append="node=mls init=ocamlrun "
                   "/home/vam_threads.byte serve vamt 4",
                   drives=["file=%s,format=raw,if=ide,index=0,snapshot=on"
                           % img], nics=[("e1000", sw)])
        cli = client_node("vamt", sw)
        ccode = scode = None
        try:
            srv.start()
            srv.expect(r"^vam_threads: serving vamt with 4 threads", 120)
            cli.start()
            ccode = wait(cli, 200)
            scode = wait(srv, 60)
        except (TimeoutError, AssertionError) as e:
            srv.log += "\n" + str(e)
        finally:
            cli.kill()
            srv.kill()
    tap.relay("node server", cli.log, ccode, "vam_tclient vamt")
    tap.report("the ML server on a node ends after quit (exit %s)" % scode,
               scode == 0 and "requests served" in srv.log, srv.tail())


def server_linux():
    with VdeSwitch() as sw:
        proc = None
        cli = client_node("vamu", sw)
        ccode = None
        out = ""
        try:
            proc = subprocess.Popen(
                [RUNTIME, PROG, "serve", "vamu", "4"],
                env=dict(os.environ, VX_NET="vde:" + sw.sock),
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True)
            first = proc.stdout.readline()
            out = first
            if "serving vamu" in first:
                cli.start()
                ccode = wait(cli, 200)
            rest, _ = proc.communicate(timeout=60)
            out += rest
        except (TimeoutError, AssertionError, OSError,
                subprocess.TimeoutExpired) as e:
            out += "\n" + str(e)
        finally:
            cli.kill()
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
    tap.relay("Linux server", cli.log, ccode, "vam_tclient vamu")
    tap.report("the ML server on Linux ends after quit (exit %s)"
               % (proc.returncode if proc else None),
               proc is not None and proc.returncode == 0
               and "requests served" in out, out)


def main():
    with tempfile.TemporaryDirectory(prefix="vx-vamth-") as tmp:
        img, count, err = make_disk(tmp)
        if not tap.check(img is not None and count > 0,
                         "a disk with the bytecode files"):
            print("# " + err)
            return tap.done()
        local_node(img)
        local_linux()
        server_node(img)
        server_linux()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
