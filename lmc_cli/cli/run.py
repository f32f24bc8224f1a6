"""Running the app for the console script: stream guards, Click's errors in lmc's words, the exit code."""

from __future__ import annotations

import contextlib
import copy
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer

from lmc_cli.cli import app, plainhelp
from lmc_cli.cli.exits import exit_code
from lmc_cli.errors import ExitCode

plainhelp.install()


# Root options a command name may follow without changing what the group must hold (lmc's
# callback in lmc_cli/cli/root.py; tests/test_startup.py checks this against it). Any other
# token before the command (--help, completion options, a typo) gets the whole tree.
ROOT_FLAGS = frozenset({"--no-bundled", "--drafts", "--no-pager"})
ROOT_VALUE_OPTIONS = frozenset({"--facts"})
# Commands that read the whole tree (`lmc help` prints the root's help, listing every command).
WHOLE_TREE = frozenset({"help"})


def build_command(typer_app: typer.Typer | None = None, argv: Sequence[str] | None = None) -> Any:
    """The Click command tree the console script runs: Typer's, with fastparse's coercion.
    In-process tests build it here too (tests/conftest.py), so both run the same code.

    Given the arguments, only the command they name is built from its signature (Typer builds
    every command of a group when it builds the group): `lmc show ID` does not build `ask`'s 20
    options. Whatever the arguments cannot settle alone (help, a typo, no command) gets the tree."""
    from lmc_cli.cli.fastparse import install

    chosen = typer_app or app
    if argv is not None:
        chosen = lean_app(chosen, argv)
    command = typer.main.get_command(chosen)
    install(command)
    return command


def command_name(info: Any) -> str:
    return str(info.name or typer.main.get_command_name(info.callback.__name__))


def invoked_command(argv: Sequence[str]) -> str | None:
    """The command the arguments run, "" if none needs to exist (--version ends the run first),
    None if the whole tree is needed to tell."""
    version = False
    tokens = iter(argv)
    for token in tokens:
        if token in ROOT_FLAGS:
            continue
        if token in ROOT_VALUE_OPTIONS:
            if next(tokens, None) is None:
                return None
            continue
        if token.partition("=")[0] in ROOT_VALUE_OPTIONS and "=" in token:
            continue
        if token == "--version":
            version = True
            continue
        if token.startswith("-"):
            return None
        return "" if version else token
    return "" if version else None


def lean_app(typer_app: typer.Typer, argv: Sequence[str]) -> typer.Typer:
    """A copy of the app with only the command the arguments run, or the app itself."""
    if "_LMC_COMPLETE" in os.environ:
        return typer_app
    wanted = invoked_command(argv)
    if wanted is None or wanted in WHOLE_TREE:
        return typer_app
    commands = [info for info in typer_app.registered_commands if command_name(info) == wanted]
    if wanted and len(commands) != 1:  # not a command name (Click's error lists the commands)
        return typer_app
    lean = copy.copy(typer_app)
    lean.registered_commands = commands
    # --install-completion and --show-completion are root options: arguments that name a command
    # hold neither (invoked_command gives None for them), and a command's help does not list them.
    lean._add_completion = False
    return lean


def run_app() -> int:
    """Run the app as `app()` does, with Pydantic-free coercion of arguments (see fastparse).

    Click's own errors (unknown option, bad value) come back as exceptions, so that `main`
    prints them with control characters made visible like every other message.
    """
    code = build_command(argv=sys.argv[1:])(prog_name="lmc", standalone_mode=False)
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
