"""Every usage error is one line `lmc: ...` with exit 2, in lmc's words; help has no Python type names."""

from __future__ import annotations

import re

import pytest
from helpers import invoke, run_lmc

from lmc_cli.errors import ExitCode

CASES = [
    (("list", "-f", "xml"), "lmc: list: --format: 'xml' is not one of"),
    (("stat", "-n", "0", "arrests"), "lmc: stat: --limit: must be 1 or more"),
    (("stat", "-n", "abc", "arrests"), "lmc: stat: --limit: must be a whole number"),
    (("stat",), "lmc: stat: give QUERY"),
    (("show",), "lmc: show: give ID"),
    (("bogus",), "lmc: no command 'bogus'; commands are: ask, cite,"),
    (("lsit",), "lmc: no command 'lsit'; did you mean list"),
    (("list", "--bogus"), "lmc: list: no option --bogus"),
    (("list", "--tabel", "x"), "lmc: list: no option --tabel; did you mean --table?"),
    (("timeline", "--from"), "lmc: --from needs a value"),
    (("cite", "arrests-50000", "--style", "apa"), "lmc: cite: --style: 'apa' is not one of"),
    (("list", "extra"), "lmc: list: unexpected argument 'extra'"),
    (("-x",), "lmc: no option -x"),
    (("timeline", "--from", "2016-13"), "lmc: --from: '2016-13' has no month 13"),
    (("export", "-f", "xml"), "lmc: export: --format: 'xml' is not one of"),
]
CLICK_WORDS = ("Usage:", "Error:", "Try '", "Value error", "Input should", "pydantic", "Traceback")


@pytest.mark.parametrize(("args", "expected"), CASES, ids=lambda c: " ".join(c) if isinstance(c, tuple) else "")
def test_usage_error_is_one_line_in_lmcs_words(args: tuple[str, ...], expected: str) -> None:
    result = run_lmc(*args)
    assert result.returncode == ExitCode.USAGE
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(expected), lines[0]
    assert not any(word in result.stderr for word in CLICK_WORDS)


def all_commands() -> list[str]:
    text = invoke("--help").stdout
    block = text.split("Commands:", 1)[1].split("Examples:", 1)[0]
    return re.findall(r"^  ([a-z]+)\s", block, flags=re.M)


def test_help_has_no_python_type_names() -> None:
    commands = all_commands()
    assert {"ask", "cite", "show", "list", "export"} <= set(commands)
    for command in ["", *commands]:
        text = invoke(*([command] if command else []), "--help").stdout
        for python in ("<list", "list[", "<int", "int range", "x>=", "<str", "<Path", "{QUERY", "{ID", "[[", "]...]"):
            assert python not in text, (command, python)


def test_command_summaries_are_whole() -> None:
    text = invoke("--help", env={"COLUMNS": "80"}).stdout
    block = text.split("Commands:", 1)[1].split("Examples:", 1)[0]
    assert "..." not in block
    assert "how many facts cite each." in " ".join(block.split())
