#!/usr/bin/env python3
"""t_amcc.py - scripts/amcc as an Amoeba programmer meets it.

Compiles small programs with amcc and checks: AMOEBA and i80386 are
defined and "random/random.h" is found (Amoeba's -I h/server); Amoeba's
32-bit time assumption (`long t; time(&t);`) stays a warning, and amcc
adds a note naming the cause; a real error still fails the build.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vxqemu import ROOT, Tap  # noqa: E402

AMCC = os.path.join(ROOT, "scripts", "amcc")


def amcc(tmp, name, text):
    src = os.path.join(tmp, name)
    with open(src, "w") as f:
        f.write(text)
    p = subprocess.run([AMCC, "-c", src, "-o", src + ".o"], cwd=tmp,
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stderr


def main():
    tap = Tap()
    with tempfile.TemporaryDirectory(prefix="vx-amcc-") as tmp:
        rc, err = amcc(tmp, "defs.c", '#include "random/random.h"\n'
                       "#if !defined(AMOEBA) || !defined(i80386)\n"
                       "#error no AMOEBA\n#endif\n"
                       "const char *n = RANDOM_SVR_NAME;\n")
        tap.report("AMOEBA, i80386 defined; \"random/random.h\" found",
                   rc == 0, err)
        rc, err = amcc(tmp, "oldtime.c", "#include <time.h>\n"
                       "long f(void) { long t; time(&t); return t; }\n")
        tap.report("long t; time(&t): a warning, not an error", rc == 0,
                   err)
        tap.report("... with a note naming the 64-bit time_t",
                   "incompatible pointer" in err and
                   "amcc: note:" in err and "time_t is 64 bits" in err, err)
        rc, err = amcc(tmp, "bad.c", "int f(void) { return undeclared; }\n")
        tap.report("a real error still fails the build", rc != 0, err)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
