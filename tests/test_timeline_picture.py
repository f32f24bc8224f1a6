"""`lmc timeline` as a picture: the terminal view, and SVG and HTML files for reports."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from helpers import invoke, records, run_lmc
from rich.console import Console

from lmc_cli.api import timeline_facts
from lmc_cli.errors import ExitCode
from lmc_cli.load.packs import load_corpus
from lmc_cli.output.views import timeline_view

MINIPACK = str(Path(__file__).resolve().parent / "data" / "minipack")


def draw(width: int = 100, **filters: str) -> str:
    corpus = load_corpus()
    console = Console(width=width, record=True, color_system=None, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(timeline_view(timeline_facts(corpus, filters.get("from_"), filters.get("to"), ()), symbols=True))
    return console.export_text()


def test_svg_is_well_formed_and_shows_the_facts(tmp_path: Path) -> None:
    path = tmp_path / "timeline.svg"
    result = invoke("timeline", "--format", "svg", "--output", str(path), "--from", "2016", "--to", "2016")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    shown = " ".join("".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text"))
    shown = html.unescape(shown).replace("\xa0", " ")
    assert "2016" in shown and "Sanya" in shown


def test_html_contains_every_fact_of_the_range(tmp_path: Path) -> None:
    path = tmp_path / "timeline.html"
    result = invoke("timeline", "--output", str(path), "--table", "meetings")  # format from the suffix
    assert result.exit_code == 0, result.stderr
    page = html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))
    assert path.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")
    for record in records("timeline", "--table", "meetings"):
        assert record["title"][:30] in " ".join(page.split())


def test_pictures_need_an_output() -> None:
    for format_ in ("svg", "html"):
        result = invoke("timeline", "--format", format_)
        assert result.exit_code == ExitCode.USAGE
        assert result.stdout == "" and "--output" in result.stderr


def test_svg_to_stdout_with_dash_keeps_messages_off_stdout() -> None:
    result = run_lmc("--no-bundled", "--facts", MINIPACK, "timeline", "-f", "svg", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert ET.fromstring(result.stdout).tag.endswith("svg")
    assert result.stderr == ""


def test_text_formats_still_work_and_can_go_to_a_file(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    assert invoke("timeline", "-o", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8").startswith("[")
    text = tmp_path / "t.txt"
    assert invoke("timeline", "-o", str(text)).exit_code == 0
    assert "\x1b" not in text.read_text(encoding="utf-8") and "year" in text.read_text(encoding="utf-8")


def test_view_has_year_headings_aligned_dates_and_kinds() -> None:
    text = draw(from_="2016", to="2016")
    lines = text.splitlines()
    assert lines[0].startswith(" 2016 ") and "facts" in lines[0]
    fact_lines = [line for line in lines if re.match(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|year) ",
                                                     line)]
    assert fact_lines
    kind_columns = {re.search(r"[●▲◆❝⚠■⌂☺✖] ", line).start() for line in fact_lines}  # type: ignore[union-attr]
    assert len(kind_columns) == 1  # the kind starts in the same column on every line
    assert "● meeting" in text


def test_month_only_year_only_and_editorial_dates_are_shown_as_such() -> None:
    text = draw(width=120)
    assert re.search(r"^Mar +[●▲◆❝⚠■⌂☺✖]", text, re.M)  # "2016-03": the month alone, no day made up
    assert re.search(r"^year +[●▲◆❝⚠■⌂☺✖]", text, re.M)  # a year alone
    assert re.search(r"^[A-Z][a-z]{2} +\d{1,2} †", text, re.M)  # a day from the public record
    assert "† date from the public record" in text


def test_disagreements_are_flagged() -> None:
    text = draw(width=120, from_="2016-03", to="2016-03")
    sanya = next(line for line in text.splitlines() if "Leaders' Meeting (Sanya)" in line)
    assert "⚠" in sanya
    assert "disputed: conflict-" in text


def test_terminal_view_through_the_command_filters_by_table() -> None:
    result = invoke("timeline", "--table", "meetings", "--format", "table", env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "meeting" in result.stdout and "◆ event" not in result.stdout
