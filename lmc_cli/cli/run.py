"""Running the app for the console script: stream guards, Click's errors in lmc's words, the exit code."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

import typer

from lmc_cli.cli import app, plainhelp
from lmc_cli.cli.exits import exit_code
from lmc_cli.errors import ExitCode

plainhelp.install()


def build_command(typer_app: typer.Typer | None = None) -> Any:
    """The Click command tree the console script runs: Typer's, with fastparse's coercion.
    In-process tests build it here too (tests/conftest.py), so both run the same code."""
    from lmc_cli.cli.fastparse import install

    command = typer.main.get_command(typer_app or app)
    install(command)
    return command


def run_app() -> int:
    """Run the app as `app()` does, with Pydantic-free coercion of arguments (see fastparse).

    Click's own errors (unknown option, bad value) come back as exceptions, so that `main`
    prints them with control characters made visible like every other message.
    """
    code = build_command()(prog_name="lmc", standalone_mode=False)
    return code if isinstance(code, int) and not isinstance(code, bool) else ExitCode.OK


def guard_streams() -> None:
    """Make closed standard streams and non-UTF-8 terminals harmless before anything runs.

    A closed fd 0/1/2 is reopened on /dev/null so that no file lmc opens can take its number
    (sys.stdout stays None: `emit` treats that as a closed pipe). Text that a non-UTF-8
    stdout cannot encode is written as \\uXXXX escapes instead of raising UnicodeEncodeError.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                if os.open(os.devnull, os.O_RDWR) != fd:
                    break
            except OSError:
                break
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if stream is not None and not encoding.startswith("utf"):
            with contextlib.suppress(AttributeError, ValueError, OSError):
                stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def plain_completion_help() -> None:
    """Typer passes completion help (zsh, fish) through Rich to strip [markup]; lmc's help is
    plain text (rich_markup_mode=None), so skip Rich and keep Tab fast."""
    try:
        from typer import _completion_classes

        setattr(_completion_classes, "_sanitize_help_text", str)  # noqa: B010 - a private name of Typer's
    except (ImportError, AttributeError):
        pass


def main() -> None:
    """The console entry point: everything that escapes a command ends here, in one line."""
    if "_LMC_COMPLETE" in os.environ:
        plain_completion_help()
    guard_streams()
    try:
        code = run_app()
    except Exception as exc:  # noqa: BLE001 - every failure ends here, in one line (cli/exits.py)
        from lmc_cli.app import signal_received

        if signal_received():  # an exception a signal caused: the console entry ends it as an interrupt
            raise
        sys.exit(exit_code(exc))
    sys.exit(code)
