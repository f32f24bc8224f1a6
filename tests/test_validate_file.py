"""`lmc validate FILE` runs every check on a lone fact file and reports every problem."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from lmc_cli.cli import app
from lmc_cli.errors import ExitCode

BROKEN = """
[[fact]]
id = "twice"
title = "A"
text = "A."
related = ["no-such-fact"]
sources = [{ doc = "999", quote = "x" }]

[[fact]]
id = "twice"
title = "B"
text = "B."
sources = [{ doc = "000", quote = "y" }]
"""


def test_a_lone_file_gets_the_cross_fact_checks_and_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == ExitCode.INVALID_DATA
    assert "duplicate id" in result.stderr
    assert "related id 'no-such-fact' does not exist" in result.stderr
    assert "cites unknown document '999'" in result.stderr
    assert "3 problem(s) found" in result.stderr


def test_a_bundled_file_named_on_its_own_is_not_its_own_duplicate() -> None:
    bundled = Path(__file__).resolve().parent.parent / "facts" / "stats.toml"
    result = CliRunner().invoke(app, ["validate", str(bundled)])
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stderr.startswith("ok: ")
