"""Rich markup and emoji codes in queries and fact text print literally, everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import fact_toml, write_pack
from typer.testing import CliRunner

from lmc_cli.cli import app

TOKENS = ("[bold]", "[/]", "[/etc/x]", "[task1]", ":smile:", "[red]", "[link=http://e.vil]")
MARKUP = "[bold]x[/] [/etc/x] [task1] :smile: [red]r[/red] [link=http://e.vil]l[/link]"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    meeting = fact_toml("markup-meeting", f"Meeting {MARKUP}", f"A meeting {MARKUP} was held.",
                        quote=f"Quote {MARKUP}", date="2019-05-04", place=f"Place {MARKUP}",
                        participants=[f"Party {MARKUP}"], outcomes=[f"Outcome {MARKUP}"])
    figure = fact_toml("markup-figure", f"Figure {MARKUP}", f"A figure {MARKUP}.", value=12,
                       unit=f"unit {MARKUP}", qualifier="about", measure=f"boats {MARKUP}", date="2020")
    conflict = fact_toml("markup-conflict", f"Conflict {MARKUP}", f"Sources disagree {MARKUP}.",
                         related=["markup-meeting"])
    documents = ('[[document]]\nid = "doc1"\ntitle = "Doc [bold]x[/] [/etc/x] [task1] :smile:"\n'
                 'kind = "report"\noutlet = "Outlet [red]r[/red]"\n')
    return write_pack(tmp_path_factory.mktemp("markup") / "pack", {
        "meetings.toml": 'table = "meetings"\n' + meeting,
        "stats.toml": 'table = "stats"\n' + figure,
        "conflicts.toml": 'table = "conflicts"\n' + conflict,
    }, documents=documents)


def lmc(pack: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--no-bundled", "--facts", str(pack), *args],
                                env={"COLUMNS": "400"}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def assert_literal(text: str) -> None:
    for token in TOKENS:
        assert token in text, (token, text)
    assert "😄" not in text


@pytest.mark.parametrize("args", [
    ["list"], ["meeting", "meeting"], ["stat", "figure"], ["ask", "meeting held"], ["show", "markup-meeting"],
    ["show", "markup-figure"], ["timeline"], ["conflicts"],
])
def test_fact_text_prints_literally_in_tables_titles_and_cards(pack: Path, args: list[str]) -> None:
    code, stdout, stderr = lmc(pack, *args, "--format", "table")
    assert code == 0, stderr
    assert_literal(stdout)


def test_document_titles_print_literally(pack: Path) -> None:
    code, stdout, _ = lmc(pack, "sources", "--format", "table")
    assert code == 0
    assert "Doc [bold]x[/] [/etc/x] [task1] :smile:" in stdout
    assert "[red]r[/red]" in stdout
    _, overview, _ = lmc(pack)
    assert "Doc [bold]x[/] [/etc/x] [task1] :smile:" in overview


@pytest.mark.parametrize("format_", ["tsv", "csv", "json", "jsonl"])
def test_text_formats_keep_markup_verbatim(pack: Path, format_: str) -> None:
    code, stdout, _ = lmc(pack, "list", "--format", format_)
    assert code == 0
    assert_literal(stdout)


@pytest.mark.parametrize("args", [
    ["ask", MARKUP], ["meeting", "[/]"], ["stat", "[bold]"], ["show", MARKUP], ["timeline", "--from", MARKUP],
    ["list", "--table", MARKUP], ["ask", ":smile:", "--explain"], ["meeting", "[/etc/x] [task1]", "--format", "table"],
])
def test_queries_with_markup_never_raise_and_echo_literally(pack: Path, args: list[str]) -> None:
    code, stdout, stderr = lmc(pack, *args)
    assert code in (0, 1, 2)
    assert "Traceback" not in stderr
    assert "😄" not in stdout + stderr
    if code != 0:
        query = args[-1] if args[0] != "meeting" else args[1]
        assert query in stderr or repr(query) in stderr or query.split()[0] in stderr, stderr


def test_click_usage_errors_keep_markup_literal(pack: Path) -> None:
    code, _, stderr = lmc(pack, "list", "--format", "[bold]x[/]")
    assert code == 2
    assert "[bold]x[/]" in stderr
