"""Long terminal output through a pager: `$LMC_PAGER`, then `$PAGER`, then `less -FRX`.

Only when stdout is a terminal and the text is taller than the screen; never in a pipe,
never with `--no-pager`, and not when LMC_PAGER (or PAGER) is set but empty. A pager that
cannot be started is skipped: the text is written as it would be without one. As git does,
a `less` started without a LESS variable gets LESS=FRX, so that colours and short output work.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys

DEFAULT = ("less", "-FRX")
_enabled = True


def set_enabled(enabled: bool) -> None:
    global _enabled
    _enabled = enabled


def enabled() -> bool:
    return _enabled


def pager_command(environ: dict[str, str] | None = None) -> list[str] | None:
    """The pager to run, from the environment; None for none (an empty or unparsable value)."""
    environ = dict(os.environ) if environ is None else environ
    for name in ("LMC_PAGER", "PAGER"):
        if name in environ:
            try:
                words = shlex.split(environ[name])
            except ValueError:
                return None
            return words or None
    return list(DEFAULT)


def screen_height() -> int:
    """The terminal's rows; 0 when it does not say (a pty of size 0x0): then no pager."""
    try:
        return max(os.get_terminal_size(sys.stdout.fileno()).lines, 0)
    except (OSError, ValueError, AttributeError):
        return 0


def wanted(text: str) -> bool:
    """Whether `text` goes through a pager: a terminal, taller than it, pager not turned off."""
    if not _enabled or sys.stdout is None:
        return False
    try:
        if not sys.stdout.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    height = screen_height()
    return height > 0 and text.count("\n") >= height


def page(text: str) -> bool:
    """Show `text` through the pager; False if there is none to run (the caller writes it)."""
    command = pager_command()
    if not command or shutil.which(command[0]) is None:
        return False
    environ = dict(os.environ)
    if command[0] == "less" and "LESS" not in environ:
        environ["LESS"] = "FRX"
    # The pager reads Ctrl-C itself (less: stop searching); lmc waits for it rather than dying.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, env=environ)
    except OSError:
        signal.signal(signal.SIGINT, previous)
        return False
    try:
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):  # the reader quit early: that is fine
            process.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "backslashreplace"))
        with contextlib.suppress(BrokenPipeError, OSError):
            process.stdin.close()
        process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return True
