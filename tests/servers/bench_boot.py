#!/usr/bin/env python3
"""bench_boot.py - a full node's memory and its boot time to the shell
(make bench rows boot_*).

One node boots from a copy of a `make fs-image` disk with /home holding
the probe (build/user/test_bootsvc) and a boot configuration: the
console shell /bin/sh (as the built-in default; `test_bootsvc serve` in
its place while /bin/sh is not built) and, after it, the probe, which
prints the status of the node's sys and proc servers.

    boot_to_shell_s   QEMU start to the shell's prompt (`bb:/$ `), or to
                      the boot server's "started sh" line for the stand-in
    boot_mem_used_kib pages in use ((total - free) x 4 KiB from the sys
                      server) plus the kernel image (its PT_LOAD
                      segments): kernel, bullet, soap, boot, the shell and
                      the probe; the boot image module is not counted
                      (a diskless node needs none)
    boot_processes    live processes on the node
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vxqemu import BUILD, ROOT, BOOTIMG, KERNEL, Node  # noqa: E402

MKFS = os.path.join(BUILD, "tools", "mkfs_bullet")


def kernel_kib():
    """The memory the kernel image occupies: its PT_LOAD segments."""
    with open(KERNEL, "rb") as f:
        elf = f.read()
    phoff, = struct.unpack_from("<I", elf, 28)
    phentsize, phnum = struct.unpack_from("<HH", elf, 42)
    total = 0
    for i in range(phnum):
        ptype, _, _, _, _, memsz = struct.unpack_from(
            "<IIIIII", elf, phoff + i * phentsize)
        if ptype == 1:
            total += memsz
    return (total + 4095) // 4096 * 4


def main():
    with open(os.path.join(BUILD, "vx-fs.caps")) as f:
        names = re.findall(r"^file \S+ \d+ bin/(\S+)$", f.read(), re.M)
    shell = ('"/bin/sh"; argv { "sh" }' if "sh" in names else
             '"/home/test_bootsvc"; argv { "sh", "serve", "shell" }')
    conf = ("sh { program { %s; }; };\n"
            "mem { after sh; program { \"/home/test_bootsvc\"; "
            "argv { \"test_bootsvc\", \"mem\" }; }; bootrate 600000; };\n"
            % shell)
    with tempfile.TemporaryDirectory(prefix="vx-bboot-") as tmp:
        fsdir = os.path.join(tmp, "fsdir")
        os.makedirs(fsdir)
        shutil.copy(os.path.join(BUILD, "user", "test_bootsvc"), fsdir)
        with open(os.path.join(fsdir, "bench.conf"), "w") as f:
            f.write(conf)
        img = os.path.join(tmp, "fs.img")
        subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img, MKFS]
                       + [os.path.join(BUILD, "user", n) for n in names],
                       check=True, capture_output=True,
                       env=dict(os.environ, FSDIR=fsdir))
        n = Node("bb", append="node=bb bootconf=/home/bench.conf",
                 modules=[BOOTIMG],
                 drives=["file=%s,format=raw,if=ide,index=0" % img])
        t0 = time.monotonic()
        n.start()
        try:
            n.expect(r"^boot: started sh on bb", 300)
            if "sh" in names:           # the shell's prompt: bb:/$
                n.expect(r"bb:\S*\$ ", 60)
            shell_s = time.monotonic() - t0
            n.expect(r"^mem: end", 120)
        finally:
            n.kill()
    m = re.search(r"^mem: memory: (\d+) of (\d+) pages free", n.log, re.M)
    procs = re.findall(r"^mem: \d+ (\S+) threads", n.log, re.M)
    if not m:
        print(n.tail())
        return 1
    used = (int(m.group(2)) - int(m.group(1))) * 4 + kernel_kib()
    print("# processes: %s" % " ".join(procs))
    print("bench: boot_to_shell_s %.2f s" % shell_s)
    print("bench: boot_mem_used_kib %d KiB" % used)
    print("bench: boot_processes %d" % len(procs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
