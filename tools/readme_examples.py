"""Regenerate the README's examples from real output: `python tools/readme_examples.py`.

Every ```console block of README.md is a list of `$ command` lines, each followed by what
it printed. This runs each command with bash on a pseudo-terminal of 80 columns (so a
terminal view looks as a user at an 80-column terminal sees it, and `| cut` sees a pipe),
without colour or pager, from the repository root with this Python's `lmc` first on PATH,
and writes the output back under its command. tests/test_readme.py fails when the README
and the real output differ; run this after a change to the facts or the views.

`--check` exits 1 (and prints a diff) instead of writing.
"""

from __future__ import annotations

import difflib
import fcntl
import os
import pty
import re
import struct
import sys
import termios
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"^```console\n(.*?)^```$", re.M | re.S)
COLUMNS, ROWS = 80, 500


def run_on_terminal(command: str) -> str:
    """What `command` shows on an 80-column terminal: stdout and stderr as they interleave."""
    environ = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": os.environ.get("HOME", "/tmp"), "TERM": "dumb", "NO_COLOR": "1", "LMC_PAGER": "",
        "COLUMNS": str(COLUMNS), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
    }
    for name in ("XDG_CACHE_HOME",):
        if name in os.environ:
            environ[name] = os.environ[name]
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        os.chdir(ROOT)
        os.execve("/bin/bash", ["bash", "--noprofile", "--norc", "-c", command], environ)
    screen = b""
    try:
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            screen += data
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    text = screen.decode("utf-8", "replace").replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n"))


def commands_of(block: str) -> list[str]:
    return [line[2:] for line in block.split("\n") if line.startswith("$ ")]


def render_block(block: str) -> str:
    parts = [f"$ {command}\n{run_on_terminal(command)}" for command in commands_of(block)]
    return "\n\n".join(parts) + "\n"


def regenerate(text: str) -> str:
    return BLOCK.sub(lambda found: "```console\n" + render_block(found.group(1)) + "```", text)


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    fresh = regenerate(current)
    if "--check" in argv:
        if fresh != current:
            sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), fresh.splitlines(True),
                                                       "README.md", "real output"))
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
