#!/usr/bin/env python3
"""t_console.py - console input and output of a node, both ways.

1. serial: a line typed on the serial port reaches the kernel monitor
   (interrupt-driven UART input, line editing) and its answer comes back;
2. keyboard: keys sent with QEMU's monitor `sendkey` reach the same
   console input through the PS/2 driver;
3. a second serial port as a QEMU chardev on a file (COM2) is not the
   console: the console output does not leak there;
4. COM2 is a terminal of its own, served as tty:01: a line typed on it
   comes back through the tty server;
5. a user program's stdin and stdout (newlib over its STDIN/STDOUT
   capabilities, i.e. the tty server): `cat` copies typed lines until ^D.
"""
import os
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import Node, Tap, monitor_cmd  # noqa: E402

tap = Tap(tail=20)


report = tap.report




def com2_terminal():
    name = "COM2 terminal through its tty server (tty:01)"
    with tempfile.TemporaryDirectory(prefix="vx-com2-") as tmp:
        sock = os.path.join(tmp, "com2.sock")
        n = Node("c2", append="node=c2 ktest=tty_com2_echo",
                 extra=["-chardev", "socket,id=c2,path=%s,server=on,wait=off" % sock,
                        "-device", "isa-serial,chardev=c2"])
        n.start()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            for _ in range(100):
                try:
                    s.connect(sock)
                    break
                except OSError:
                    time.sleep(0.05)
            s.settimeout(30)
            got = b""
            while b"hello com2" not in got:
                chunk = s.recv(256)
                if not chunk:
                    break
                got += chunk
            s.sendall(b"ping\r")
            while b"echo: ping" not in got:
                chunk = s.recv(256)
                if not chunk:
                    break
                got += chunk
            code = n.wait_exit(60)
            report(name, code == 0 and b"echo: ping" in got, n.log + repr(got))
        except (OSError, TimeoutError, AssertionError) as e:
            report(name, False, str(e) + n.log)
        finally:
            s.close()
            n.kill()


def user_stdio():
    name = "user stdin/stdout through the tty server: cat until ^D"
    n = Node("cat", append="node=cat init=cat")
    n.start()
    try:
        n.expect(r"^vx: ready cat$", 60)
        n.send("line one\r")
        n.expect(r"line one\nline one", 30)   # the echo, then cat's copy
        n.send("\x04")
        code = n.wait_exit(30)
        report(name, code == 0 and "vx: init exited 0" in n.log, n.log)
    except (TimeoutError, AssertionError) as e:
        report(name, False, str(e))
    finally:
        n.kill()


def main():
    with tempfile.TemporaryDirectory(prefix="vx-con-") as tmp:
        mon = os.path.join(tmp, "mon.sock")
        com2 = os.path.join(tmp, "com2.txt")
        n = Node("con", append="node=con",
                 extra=["-chardev", "socket,id=m,path=%s,server=on,wait=off" % mon,
                        "-mon", "chardev=m,mode=readline",
                        "-chardev", "file,id=c2,path=%s" % com2,
                        "-device", "isa-serial,chardev=c2"])
        n.start()
        try:
            n.expect(r"con> ", 60)
            n.send("hepl\x7f\x7flp\r")     # typo fixed with two DELs
            m = n.expect(r"commands: help", 30)
            report("serial line with editing reaches the monitor", bool(m), n.log)
            mark = len(n.log)
            for key in ["m", "e", "m", "ret"]:
                monitor_cmd(mon, "sendkey " + key)
            m = n.expect(r"KiB free of", 30)
            report("PS/2 keyboard input reaches the console",
                   m is not None and m.start() >= mark, n.log)
            with open(com2, "rb") as f:
                data = f.read()
            report("console output stays off COM2", b"con>" not in data, repr(data[:200]))
        except (TimeoutError, AssertionError) as e:
            report("console", False, str(e))
        finally:
            n.kill()
    com2_terminal()
    user_stdio()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
