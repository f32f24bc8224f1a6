"""Help: every command shows its examples one per line; `lmc help exit-codes` matches the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from helpers import invoke

from lmc_cli.cli import app
from lmc_cli.errors import ExitCode

README = Path(__file__).resolve().parent.parent / "README.md"
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def example_lines(text: str) -> list[str]:
    after = text.split("Examples:", 1)[1]
    lines = []
    for line in after.splitlines()[1:]:
        if not line.strip():
            break
        lines.append(line.strip())
    return lines


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_examples_on_their_own_lines(command: str) -> None:
    result = invoke(command, "--help", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "Examples:" in result.stdout, result.stdout
    examples = example_lines(result.stdout)
    assert examples and all(line.startswith(("lmc ", "(")) for line in examples), examples
    assert not any(" · lmc " in line for line in result.stdout.splitlines())


def test_main_help_lists_examples_and_points_to_exit_codes() -> None:
    result = invoke("--help", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    examples = example_lines(result.stdout)
    assert len(examples) >= 4 and all(line.startswith("lmc ") for line in examples)
    assert "lmc help exit-codes" in " ".join(result.stdout.split())


def test_help_exit_codes_lists_every_code_the_readme_documents() -> None:
    result = invoke("help", "exit-codes")
    assert result.exit_code == 0
    shown = {int(n) for n in re.findall(r"^\s*(\d+)\s", result.stdout, re.M)}
    assert shown == {int(code) for code in ExitCode}
    section = README.read_text(encoding="utf-8").split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(n) for n in re.findall(r"^\| (\d+) \|", section, re.M)}
    assert documented == shown


def test_help_without_topic_is_the_main_help_and_unknown_topics_are_usage_errors() -> None:
    assert invoke("help").stdout.startswith("Usage: lmc")
    result = invoke("help", "colours")
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == "" and "exit-codes" in result.stderr
