"""The one place an error becomes its message on stderr and lmc's exit code.

Commands (cli/root.py handle_errors) and the console script (cli/run.py main) both end here, so
a usage error, no match, bad data, a closed pipe, a failed write and a bug each read the same
and exit the same however lmc was run.
"""

from __future__ import annotations

import sys

import typer

from lmc_cli.errors import ExitCode, LmcError, NoMatch
from lmc_cli.output.streams import PipeClosed, message

try:  # Typer 0.2x vendors Click as typer._click; older Typer uses Click itself
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - depends on the Typer version installed
    from click.exceptions import ClickException  # type: ignore[no-redef, assignment, unused-ignore]


def exit_code(exc: BaseException) -> int:
    """Say what went wrong, in one line per message, and return the exit code it means."""
    if isinstance(exc, typer.Abort):  # Click's own abort (EOF at a prompt): an interrupt without the signal
        message("lmc: interrupted")
        return ExitCode.INTERRUPTED
    if isinstance(exc, ClickException):
        from lmc_cli.cli.usage import usage_line

        message(usage_line(exc))
        return exc.exit_code
    if isinstance(exc, (PipeClosed, BrokenPipeError)):  # the reader went away: not a failure
        return ExitCode.OK
    if isinstance(exc, LmcError):
        message(f"lmc: {exc.message}")
        if isinstance(exc, NoMatch):
            for line in suggestion_lines(exc.suggestions):
                message(line)
        return exc.code
    if isinstance(exc, OSError):  # a file lmc or Typer writes (--install-completion): I/O, not a bug
        where = f": {exc.filename}" if exc.filename else ""
        message(f"lmc: cannot write output: {exc.strerror or exc}{where}")
        return ExitCode.IO_ERROR
    message(f"lmc: internal error: {type(exc).__name__}: {exc}")
    message("lmc: this is a bug; please report it with the command you ran")
    return ExitCode.INTERNAL


def suggestion_lines(suggestions: tuple[str, ...]) -> list[str]:
    """"did you mean: ..." as one line in a pipe; on a terminal, wrapped to its width, each
    continuation indented (a suggestion is never split inside its id)."""
    if not suggestions:
        return []
    text = "did you mean: " + "; ".join(suggestions)
    try:
        terminal = sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if not terminal:
        return [text]
    import shutil
    import textwrap

    width = max(shutil.get_terminal_size((80, 24)).columns, 40)
    return textwrap.wrap(text, width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False)
