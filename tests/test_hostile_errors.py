"""A bug in lmc ends in one line, a hint to report it and exit 70: never a traceback, never locals."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lmc_cli import api as commands
from lmc_cli.cli import root, run
from lmc_cli.errors import ExitCode


def boom(*args: object, **kwargs: object) -> None:
    secret_local = "hunter2-local-value"  # noqa: F841 - must never be printed
    raise RuntimeError("the core broke")


def test_an_internal_error_is_one_line_a_hint_and_exit_70(minipack: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(commands, "run_list", boom)
    monkeypatch.setattr(commands, "cached_list", boom)  # with a user pack, list reads the packs' cache
    monkeypatch.setattr(sys, "argv", ["lmc", "--no-bundled", "--facts", str(minipack), "list"])
    with pytest.raises(SystemExit) as caught:
        run.main()
    assert caught.value.code == ExitCode.INTERNAL == 70
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "lmc: internal error: RuntimeError: the core broke",
        "lmc: this is a bug; please report it with the command you ran",
    ]


def test_the_real_process_shows_no_traceback_and_no_locals(minipack: Path) -> None:
    """The same bug in the installed interpreter, with Typer's pretty exceptions left to their defaults."""
    script = textwrap.dedent(f"""
        import sys
        from lmc_cli.cli import run
        from lmc_cli import api as commands
        def broken(*args, **kwargs):
            secret_local = "hunter2-local-value"
            return {{}}["missing key"]
        commands.run_show = broken
        commands.cached_show = broken  # with a user pack, show reads the packs' cache
        sys.argv = ["lmc", "--no-bundled", "--facts", {str(minipack)!r}, "show", "test-boats"]
        run.main()
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=20)
    assert result.returncode == 70
    assert result.stderr.count("\n") == 2
    assert result.stderr.startswith("lmc: internal error: KeyError: ")
    assert "Traceback" not in result.stderr and "hunter2" not in result.stderr


def test_pretty_exceptions_are_off_and_never_show_locals() -> None:
    assert root.app.pretty_exceptions_enable is False
    assert root.app.pretty_exceptions_show_locals is False


def test_exit_codes_are_distinct() -> None:
    codes = [ExitCode.OK, ExitCode.NO_MATCH, ExitCode.USAGE, ExitCode.INVALID_DATA, ExitCode.INTERNAL,
             ExitCode.INTERRUPTED]
    assert [int(c) for c in codes] == [0, 1, 2, 3, 70, 130]
