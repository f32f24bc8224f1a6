"""`lmc cite` and `--format md`: citations ready to paste, attribution as the documents state it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import invoke, records

from lmc_cli import __version__
from lmc_cli.errors import ExitCode

SOURCES = {r["label"]: r for r in records("sources")}


def cite(*args: str) -> str:
    result = invoke("cite", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_plain_citation_has_quote_attribution_id_and_marks() -> None:
    text = cite("lmc-leaders-meeting-1-sanya")
    fact = records("show", "lmc-leaders-meeting-1-sanya")[0]
    for source in fact["sources"]:
        assert f"“{source['quote']}”" in text
    assert "Ni Yueju (research fellow at Chinese Academy of Social Sciences)" in text
    assert "translated by Agnes" in text
    assert f"[{SOURCES['000']['title']}] (descriptive title, not the document's own)" in text
    assert "lmc fact lmc-leaders-meeting-1-sanya" in text and f"lmc {__version__}" in text
    assert "Disputed:" in text and "conflict-sanya-meeting-date" in text
    assert "the public record gives 2016-03-23" in text
    assert "│" not in text


def test_own_title_is_quoted_not_marked_and_outlet_is_named() -> None:
    own = next(r["id"] for r in records("list") if {s["doc"] for s in r["sources"]} == {"004"})
    text = cite(own)
    assert f"“{SOURCES['004']['title']}”" in text and "descriptive title" not in text
    wnam = next(r["id"] for r in records("list") if {s["doc"] for s in r["sources"]} == {"003"})
    assert "WNAM REPORT, report" in cite(wnam)


def test_no_invented_date_or_author() -> None:
    text = cite("arrests-50000")
    assert "no author named" in text  # 001 and 003 carry no byline
    items = json.loads(cite("arrests-50000", "--style", "csl-json"))
    assert all("issued" not in item and "author" not in item for item in items)


def test_several_ids_with_commas() -> None:
    text = cite("arrests-50000,", "lmc-leaders-meeting-1-sanya")
    assert "lmc fact arrests-50000" in text and "lmc fact lmc-leaders-meeting-1-sanya" in text


def test_bibtex_entries_are_balanced_and_keep_names_whole() -> None:
    text = cite("lmc-leaders-meeting-1-sanya", "arrests-50000", "--style", "bibtex")
    entries = re.findall(r"^@misc\{([^,]+),", text, flags=re.M)
    assert entries == ["lmc-leaders-meeting-1-sanya:000", "arrests-50000:001", "arrests-50000:003"]
    assert text.count("{") == text.count("}") + text.count(r"\{") - text.count(r"\}")
    assert "author = {{Ni Yueju}}" in text and "translator = {{Agnes}}" in text
    assert "howpublished = {WNAM REPORT}" in text


def test_csl_json_is_what_zotero_reads() -> None:
    items = json.loads(cite("lmc-leaders-meeting-1-sanya", "--style", "csl-json"))
    (item,) = items
    assert item["id"] == "lmc-leaders-meeting-1-sanya:000"
    assert item["author"] == [{"literal": "Ni Yueju"}] and item["translator"] == [{"literal": "Agnes"}]
    assert item["title"] == f"[{SOURCES['000']['title']}]" and item["type"] == "article"
    quote = records("show", "lmc-leaders-meeting-1-sanya")[0]["sources"][0]["quote"]
    assert quote in item["note"] and "conflict-sanya-meeting-date" in item["note"]
    wnam = json.loads(cite("arrests-50000", "--style", "CSL-JSON"))
    assert {i["container-title"] for i in wnam if "container-title" in i} == {"WNAM REPORT"}
    assert {i["type"] for i in wnam} == {"article", "report"}


def test_markdown_citation_is_a_block_quote() -> None:
    text = cite("arrests-50000", "--style", "md")
    first = records("show", "arrests-50000")[0]["sources"][0]
    words = first["quote"].split()[:4]
    assert re.search("^> " + re.escape(" ".join(words)), text, flags=re.M)
    assert f"\\[document {first['doc']}\\]" in text and "`arrests-50000`" in text


@pytest.mark.parametrize("args", [("nope-not-a-fact",), ("arrests-50000", "--style", "apa")])
def test_bad_id_or_style(args: tuple[str, ...]) -> None:
    result = invoke("cite", *args)
    assert result.exit_code in (ExitCode.NO_MATCH, ExitCode.USAGE)
    assert result.stdout == ""


def test_format_md_one_fact_is_a_paragraph_with_block_quotes() -> None:
    result = invoke("show", "arrests-50000", "--format", "md")
    assert result.stdout.startswith("**People arrested for gambling and fraud** (`arrests-50000`)")
    assert result.stdout.count("\n> — ") == 2
    assert "| id |" not in result.stdout


def test_format_md_several_facts_is_a_table_with_the_quote() -> None:
    result = invoke("list", "--table", "meetings", "--format", "md")
    lines = result.stdout.splitlines()
    assert lines[0] == "| id | date | fact | value | sources | top quote |"
    rows = [line for line in lines[2:] if line.startswith("| `")]
    assert len(rows) == len(records("list", "--table", "meetings"))
    assert all(line.count(" | ") == 5 for line in rows)  # no | inside a cell breaks the table
    assert all("“" in line for line in rows)


def test_markdown_escapes_pack_markup(tmp_path: Path) -> None:
    from hostile import fact_toml, write_pack

    text = "A <script>x</script> | [link](javascript:1) *bold*"
    facts = 'table = "events"\n' + fact_toml("bad-one", "Bad one", text) + fact_toml("bad-two", "Bad two", text)
    pack = write_pack(tmp_path / "pack", {"events.toml": facts})
    result = invoke("--no-bundled", "--facts", str(pack), "list", "--format", "md")
    assert result.exit_code == 0, result.stderr
    for unescaped in (r"(?<!\\)<script", r"(?<!\\)\]\(javascript", r"(?<!\\)\*bold"):
        assert not re.search(unescaped, result.stdout), unescaped
    assert "\\<script\\>" in result.stdout
    rows = [line for line in result.stdout.splitlines() if line.startswith("| `")]
    assert len(rows) == 2 and all(len(re.findall(r"(?<!\\)\|", row)) == 7 for row in rows)
