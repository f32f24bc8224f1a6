"""The `lmc` console script: Ctrl-C is handled from the first moment, imports included."""

from __future__ import annotations

import contextlib
import signal
import sys
from typing import Any

from lmc_cli.errors import ExitCode, Interrupted


def _interrupted(signum: int, frame: Any) -> None:
    raise Interrupted


def install_interrupt_handler() -> None:
    """Ctrl-C raises Interrupted (a BaseException no layer swallows): exit 130, one line."""
    signal.signal(signal.SIGINT, _interrupted)


def main() -> None:
    install_interrupt_handler()
    try:
        from lmc_cli.cli.app import main as run
    except Interrupted:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write("lmc: interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)
    run()
