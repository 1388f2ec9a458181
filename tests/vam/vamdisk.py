"""vamdisk - a file-system disk holding the bytecode test programs.

make_disk(tmp) writes TMP/fs.img with boot/mkfsimg.sh: /bin has ocamlrun
and hello, /home every build/vam/*.byte (from vam/test/*.ml; afs.byte
only with afs=True).  Returns
(image or None, number of bytecode files, mkfsimg's error output).
"""
import glob
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, ROOT  # noqa: E402


def make_disk(tmp, afs=False):
    """afs: also build/vam/afs.byte (the file server in ML, vam/afs); left
    out otherwise, so the other tests' disks stay as they were (t_vam's
    out-of-memory test reaches 16 MiB only with the smaller disk)."""
    fsdir = os.path.join(tmp, "fsdir")
    os.mkdir(fsdir)
    progs = sorted(p for p in glob.glob(os.path.join(BUILD, "vam", "*.byte"))
                   if afs or os.path.basename(p) != "afs.byte")
    for p in progs:
        shutil.copy(p, fsdir)
    img = os.path.join(tmp, "fs.img")
    mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img,
                         os.path.join(BUILD, "tools", "mkfs_bullet"),
                         os.path.join(BUILD, "user", "ocamlrun"),
                         os.path.join(BUILD, "user", "hello")],
                        env=dict(os.environ, FSDIR=fsdir),
                        capture_output=True, text=True)
    return (img if mk.returncode == 0 else None), len(progs), mk.stderr
