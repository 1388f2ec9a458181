#!/usr/bin/env python3
# vx-timeout: 500
"""t_shell.py - the shell (userland/cmd/sh) typed at over the serial
console of a node booted with a copy of the `make fs-image` disk and
init=sh:

1. session   files made with echo > and >>, read back with cat and <,
             a pipeline of three, 2>, a background job and wait, $?,
             && || ;, a script run with `sh file` (with an exported
             variable and a NAME=value prefix), globbing, cd and pwd
             (relative paths in programs follow cd), quoting, line
             editing (backspace, ^U, left arrow, up arrow = history),
             `exit 3` ends the shell (and the node) with status 3;
             commands from a pipe (`... | sh`), `sh -c`, a program
             reading the terminal until ^D; ^C stops a foreground
             program (one reading the terminal too) and drops a line
             at the prompt;
2. bad input an unknown command, a missing file, a file that is not a
             program, a missing < file, an unclosed quote, `|` at the
             end, `>` without a file, a bad ${...}: a message on
             stderr, status != 0, and the shell goes on;
3. reboot    the same disk booted again: the files are there; ^D on an
             empty line ends the shell.
"""
import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vxqemu import BUILD, Node, Tap  # noqa: E402
from vxshell import Shell  # noqa: E402

tap = Tap()


def expect(sh, line, want, name, exact=True):
    """Run line; check the output equals want (or matches the regex)."""
    try:
        out = sh.run(line)
    except (TimeoutError, AssertionError) as e:
        tap.report(name, False, str(e))
        return None
    ok = out == want if exact else re.search(want, out, re.M) is not None
    tap.report(name, ok, "typed: %r\ngot: %r\nwanted: %r" % (line, out, want))
    return out


def status(sh, want, name):
    expect(sh, "echo status=$?", "status=%d\n" % want, name + " (status %d)" % want)


def interrupt(sh, line, name):
    """Start line, type ^C once it runs: the prompt comes back, $? = 130."""
    try:
        sh.type(line + "\n")
        sh.wait_for(re.escape(line) + "\n", 10)
        time.sleep(1)       # the program starts; nothing to wait for
        t0 = time.monotonic()
        sh.type("\x03")
        sh.wait_prompt(20)
        took = time.monotonic() - t0
        tap.report(name + " (%.1f s)" % took, took < 5)
    except (TimeoutError, AssertionError) as e:
        tap.report(name, False, str(e))
    status(sh, 130, name)


def session(sh):
    expect(sh, "echo hello > /tmp/a", "", "echo > makes a file")
    expect(sh, "echo world >> /tmp/a", "", "echo >> appends")
    expect(sh, "cat /tmp/a", "hello\nworld\n", "cat reads both lines")
    expect(sh, "cat < /tmp/a", "hello\nworld\n", "< feeds a program's stdin")
    expect(sh, "cat /tmp/a | cat | cat > /tmp/b; cat /tmp/b",
           "hello\nworld\n", "a pipeline of three into a file")
    expect(sh, "echo piped | cat", "piped\n", "a built-in into a pipe")
    expect(sh, "cat /tmp/nosuch 2> /tmp/err; cat /tmp/err",
           r"nosuch", "2> sends stderr to a file", exact=False)
    expect(sh, "sleep 1 &", r"^\[1\] sleep 1$", "& prints the job line",
           exact=False)
    expect(sh, "wait", r"^\[1\] Done  sleep 1$", "wait waits for the job",
           exact=False)
    expect(sh, "sleep 2 &", r"^\[1\] sleep 2$", "a second job", exact=False)
    expect(sh, "jobs", r"^\[1\] (Running|Done)  sleep 2$", "jobs lists it",
           exact=False)
    expect(sh, "wait %1", r"^\[1\] Done  sleep 2$", "wait %1", exact=False)
    expect(sh, "false; echo $?; true; echo $?", "1\n0\n", "$? of false, true")
    expect(sh, "false && echo no || echo yes; true && echo and",
           "yes\nand\n", "&& and ||")
    expect(sh, "echo 'echo in script $X $Y $# $2' > /tmp/s; "
           "echo 'exit 4' >> /tmp/s", "", "a script file written")
    expect(sh, "export X=ex; Y=pre sh /tmp/s a 'b c'; echo $?",
           "in script ex pre 2 b c\n4\n", "sh file args: exported and prefix "
           "variables, arguments, its exit status")
    expect(sh, "echo 'echo via stdin; exit 6' | sh; echo $?",
           "via stdin\n6\n", "sh reads commands from a pipe")
    expect(sh, "cat /tmp/s | sh -c 'cat | wc -l'", "2\n",
           "sh -c, and a pipe through a nested shell")
    try:
        sh.type("cat\n")
        sh.wait_for(r"cat\n", 10)
        sh.type("typed line\n")
        sh.wait_for(r"typed line\ntyped line\n", 30)
        sh.type("\x04")
        out = sh.wait_prompt(30)
        tap.report("a program reads the terminal; ^D ends its input",
                   out.endswith("typed line\ntyped line\n"), out)
    except (TimeoutError, AssertionError) as e:
        tap.report("a program reads the terminal", False, str(e))
    interrupt(sh, "sleep 30", "^C stops a foreground program")
    interrupt(sh, "cat", "^C stops a program reading the terminal")
    expect(sh, "echo after", "after\n", "the next line is the shell's")
    try:
        sh.type("echo no\x03")
        out = sh.wait_prompt(10)
        tap.report("^C at the prompt drops the line", out == "echo no^C\n", out)
    except (TimeoutError, AssertionError) as e:
        tap.report("^C at the prompt drops the line", False, str(e))
    expect(sh, "echo yes", "yes\n", "a new line after ^C")
    expect(sh, "echo /bin/ca? /bin/[d]*", "/bin/cat /bin/del /bin/dir\n",
           "globbing with ? and [..]")
    expect(sh, "cd /tmp; pwd", "/tmp\n", "cd and pwd")
    expect(sh, "echo *", "a b err s\n", "globbing in the current directory")
    expect(sh, "cat b", "hello\nworld\n", "a program's relative path follows cd")
    expect(sh, "echo 'a  b' \"$X\"\\ c '$X'", "a  b ex c $X\n", "quoting")
    expect(sh, "echo ${X}y $NOSUCH.", "exy .\n", "${X} and an unset variable")
    expect(sh, "echo abx\x7fc", "abc\n", "line editing: backspace")
    expect(sh, "junk\x15echo killed", "killed\n", "line editing: ^U")
    expect(sh, "echo ac\x1b[Db", "abc\n", "line editing: left arrow")
    expect(sh, "\x1b[A", "abc\n", "history: up arrow runs the last line")
    expect(sh, "history", r"^ +\d+  echo abc\n +\d+  history$",
           "history lists lines", exact=False)


def bad_input(sh):
    cases = [
        ("nosuch", r"^sh: nosuch: command not found$", 127),
        ("cat /tmp/nosuch", r"nosuch", 1),
        ("/tmp/a", r"^sh: /tmp/a: cannot run", 126),
        ("cat < /tmp/nosuch", r"^sh: /tmp/nosuch: No such file", 1),
        ("echo 'abc", r"^sh: unclosed ' quote$", 2),
        ("cat /tmp/a |", r"^sh: syntax error: `\|' at the end$", 2),
        ("echo >", r"^sh: syntax error: `>' without a file name$", 2),
        ("echo ${X", r"^sh: bad substitution", 1),
        ("cd /nosuch", r"^sh: cd: /nosuch: No such file", 1),
        ("-m nosuchnode cat", r"^sh: nosuchnode: no such node", 126),
    ]
    for line, msg, st in cases:
        expect(sh, line, msg, "bad input %r: message" % line, exact=False)
        status(sh, st, "bad input %r" % line)
    expect(sh, "echo still here", "still here\n", "the shell goes on")


def main():
    with tempfile.TemporaryDirectory(prefix="vx-shell-") as tmp:
        disk = os.path.join(tmp, "fs.img")
        shutil.copy(os.path.join(BUILD, "vx-fs.img"), disk)
        drive = "file=%s,format=raw,if=ide,index=0" % disk
        n = Node("alpha", append="node=alpha init=sh", drives=[drive])
        try:
            sh = Shell(n)
            tap.report("session: the first prompt", True)
            session(sh)
            bad_input(sh)
            code = sh.exit("exit 3")
            tap.report("exit 3 ends the shell with status 3", code == 3,
                       n.tail())
        except (TimeoutError, AssertionError) as e:
            tap.report("session ran to the end", False, str(e))
        finally:
            n.kill()
        n = Node("alpha", append="node=alpha init=sh", drives=[drive])
        try:
            sh = Shell(n)
            expect(sh, "cat /tmp/a /tmp/b", "hello\nworld\nhello\nworld\n",
                   "reboot: the files are still there")
            sh.run("false")
            code = sh.exit("\x04")
            tap.report("reboot: ^D on an empty line ends the shell "
                       "(with the last status, 1)", code == 1, n.tail())
        except (TimeoutError, AssertionError) as e:
            tap.report("reboot ran to the end", False, str(e))
        finally:
            n.kill()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
