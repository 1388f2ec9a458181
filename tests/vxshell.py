"""vxshell - type commands at a VX node's shell over its serial console.

    from vxshell import Shell
    n = Node("a", append="node=a init=sh", drives=[...])
    sh = Shell(n)            # starts the node, waits for the first prompt
    out = sh.run("echo hi")  # the output between the command and the prompt
    sh.exit("exit 3")        # the guest's exit code

The prompt is `NODE:DIRECTORY$ ` (userland/cmd/sh); the typed line is
echoed by the shell's line editor, so the output of a command is what
comes after the echoed line up to the next prompt.
"""

import re
import time

PROMPT = r"(?m)^[\w.-]+:[^\n]*\$ $"


class Shell:
    def __init__(self, node, boot_timeout=120, start=True):
        self.node = node
        if start:
            node.start()
        self.pos = 0
        self.wait_prompt(boot_timeout)

    def wait_prompt(self, timeout):
        """Wait for a prompt after self.pos; returns the text before it."""
        rx = re.compile(PROMPT)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.node.log, self.pos)
            if m and m.end() == len(self.node.log):
                text = self.node.log[self.pos:m.start()]
                self.pos = m.end()
                return text
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("%s: no prompt within %ss:\n%s" % (
                    self.node.name, timeout, self.node.tail()))
            if not self.node._pump(min(left, 0.2)) and \
                    self.node.proc.poll() is not None:
                raise AssertionError("%s exited:\n%s" % (
                    self.node.name, self.node.tail()))

    def wait_for(self, pattern, timeout):
        """Wait for a regex in the output after the last prompt."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        while not rx.search(self.node.log, self.pos):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("%s: no /%s/ within %ss:\n%s" % (
                    self.node.name, pattern, timeout, self.node.tail()))
            if not self.node._pump(min(left, 0.2)) and \
                    self.node.proc.poll() is not None:
                raise AssertionError("%s exited:\n%s" % (
                    self.node.name, self.node.tail()))

    def type(self, keys):
        self.node.send(keys)

    def run(self, line, timeout=60):
        """Type line and Enter; the output after the echoed line."""
        self.node.send(line + "\n")
        text = self.wait_prompt(timeout)
        first, _, rest = text.partition("\n")
        return rest

    def exit(self, line="exit", timeout=60):
        """Type line (exit, or "\\x04" for ^D); the guest's exit code."""
        self.node.send(line if line.startswith("\x04") else line + "\n")
        return self.node.wait_exit(timeout)
