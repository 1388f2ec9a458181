"""vamdisk - a file-system disk holding the bytecode test programs.

make_disk(tmp) writes TMP/fs.img with boot/mkfsimg.sh: /bin has ocamlrun
and hello (and what bins= adds), /home every build/vam/*.byte (from
vam/test/*.ml; afs.byte only with afs=True) and the files= texts.  Returns
(image or None, number of bytecode files, mkfsimg's error output).
"""
import glob
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, ROOT  # noqa: E402


def make_disk(tmp, afs=False, bins=None, files=None, env=None):
    """afs: also build/vam/afs.byte (the file server in ML, vam/afs); left
    out otherwise, so the other tests' disks stay as they were (t_vam's
    out-of-memory test reaches 16 MiB only with the smaller disk).
    bins: more files for /bin, {name in /bin: source path}; files: more
    files for /home, {name: text}; env: more for mkfsimg.sh's environment
    (FS_MB ...)."""
    fsdir = os.path.join(tmp, "fsdir")
    os.mkdir(fsdir)
    progs = sorted(p for p in glob.glob(os.path.join(BUILD, "vam", "*.byte"))
                   if afs or os.path.basename(p) != "afs.byte")
    for p in progs:
        shutil.copy(p, fsdir)
    for name, text in (files or {}).items():
        with open(os.path.join(fsdir, name), "w") as f:
            f.write(text)
    extra = []
    if bins:
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        for name, src in bins.items():
            extra.append(os.path.join(bindir, name))
            shutil.copy(src, extra[-1])
    img = os.path.join(tmp, "fs.img")
    mk = subprocess.run([os.path.join(ROOT, "boot", "mkfsimg.sh"), img,
                         os.path.join(BUILD, "tools", "mkfs_bullet"),
                         os.path.join(BUILD, "user", "ocamlrun"),
                         os.path.join(BUILD, "user", "hello")] + extra,
                        env=dict(os.environ, FSDIR=fsdir, **(env or {})),
                        capture_output=True, text=True)
    return (img if mk.returncode == 0 else None), len(progs), mk.stderr
