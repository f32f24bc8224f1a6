"""The `lmc` console script: Ctrl-C is handled from the first moment, imports included."""

from __future__ import annotations

import contextlib
import signal
import sys
from typing import Any

from lmc_cli.errors import ExitCode, Interrupted


def _interrupted(signum: int, frame: Any) -> None:
    raise Interrupted


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted)
    try:
        from lmc_cli.cli import main as run
    except Interrupted:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write("lmc: interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)
    run()
