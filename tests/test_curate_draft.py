"""lmc draft (lmc_cli/curate/draft.py): a new document registered in a pack, its draft fact file
checked stub by stub, the refusals, and draft facts hidden from every answer until --drafts.

The document below is written for this test (not one of the five): a headline and a byline, dates
at three precisions, figures with qualifiers, a range and an order of magnitude, relative dates,
a quote in curly marks, and a sentence with nothing to check.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pysbd")
pytest.importorskip("dateparser")

from helpers import LMC, invoke  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ARTICLE = (
    "Harbour Council Opens the Northern Ferry Line\n"
    "\n"
    "Mira Olsen\n"
    "The Tidewater Harbour Council was founded in 2014 by the three river towns of the estuary, "
    "after years of talks about a shared ferry.\n"
    "Its first Ferry Planning Meeting was held in March 2016 in Port Ellery.\n"
    "On 23 March 2016, the council opened the Northern Ferry Line, which carried more than 50,000 people "
    "in its first year.\n"
    "The line cost about $1.2 million and runs for nearly 14 km.\n"
    "Last week, the council said that ticket sales had risen by 12%.\n"
    "“We will not stop here,” said council chair Anna Berg on Tuesday.\n"
    "Between 200 and 300 volunteers helped to build the piers.\n"
    "Billions of dollars of cargo pass the estuary, the report said.\n"
    "The weather was fine.\n"
)
FILE_NAME = "harbour.txt"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    path = docs / FILE_NAME
    path.write_bytes(ARTICLE.encode("utf-8"))
    return path


def draft(article: Path, pack: Path, *extra: str, doc: str = "h1") -> Any:
    return invoke("draft", str(article), "--doc", doc, "--pack", str(pack), *extra)


def stubs(pack: Path, doc: str = "h1") -> dict[str, dict[str, Any]]:
    """The draft facts by the first words of their quote."""
    facts = tomllib.loads((pack / f"draft-{doc}.toml").read_text(encoding="utf-8"))["fact"]
    return {" ".join(f["sources"][0]["quote"].split()[:3]): f for f in facts}


def test_one_stub_per_checkable_sentence_field_by_field(article: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    result = draft(article, pack)
    assert result.exit_code == 0, result.stderr
    found = stubs(pack)
    # The headline and byline are the document's (sources.toml), not sentences; "The weather was fine." has
    # nothing to check.
    assert sorted(found) == sorted([
        "The Tidewater Harbour", "Its first Ferry", "On 23 March", "The line cost", "Last week, the",
        "“We will not", "Between 200 and", "Billions of dollars"])
    for fact in found.values():
        assert fact["draft"] is True
        assert fact["sources"][0]["doc"] == "h1"
        assert fact["sources"][0]["quote"] in ARTICLE  # verbatim
        assert fact["text"] == fact["sources"][0]["quote"]

    founded = found["The Tidewater Harbour"]
    assert founded["date"] == "2014"  # a year: no month, no day
    assert founded["title"] == "Tidewater Harbour Council"
    assert founded["value"] == 3 and founded["unit"] == "river towns"

    meeting = found["Its first Ferry"]
    assert meeting["date"] == "2016-03"  # a month: no day, whatever day it is today
    assert meeting["title"] == "First Ferry Planning Meeting"
    assert meeting["table"] == "meetings"
    assert "value" not in meeting

    opened = found["On 23 March"]
    assert opened["date"] == "2016-03-23"
    assert (opened["value"], opened["unit"], opened["qualifier"]) == (50000, "people", "more than")
    assert opened["table"] == "stats"
    assert opened["title"] == "Northern Ferry Line"

    cost = found["The line cost"]
    assert (cost["value"], cost["unit"], cost["qualifier"]) == (1200000, "dollars", "about")
    assert "date" not in cost

    sales = found["Last week, the"]
    assert "date" not in sales  # relative: left for the curator
    assert (sales["value"], sales["unit"]) == (12, "percent") and "qualifier" not in sales

    quoted = found["“We will not"]
    assert quoted["sources"][0]["quote"] == "“We will not stop here,” said council chair Anna Berg on Tuesday."
    assert "date" not in quoted and "value" not in quoted
    assert quoted["table"] == "statements"

    volunteers = found["Between 200 and"]
    assert (volunteers["value_min"], volunteers["value_max"], volunteers["unit"]) == (200, 300, "volunteers")
    assert "value" not in volunteers

    cargo = found["Billions of dollars"]
    assert (cargo["magnitude"], cargo["amount_text"], cargo["unit"]) == ("billions", "Billions of dollars", "dollars")
    assert "value" not in cargo


def test_every_sentence_drafts_the_plain_ones_too(article: Path, tmp_path: Path) -> None:
    result = draft(article, tmp_path / "pack", "--every-sentence")
    assert result.exit_code == 0, result.stderr
    found = stubs(tmp_path / "pack")
    assert len(found) == 9 and found["The weather was"]["draft"] is True
    assert "wrote 9 draft facts (9 sentences of 11)" in result.stderr


def test_relative_dates_and_other_figures_are_flagged_beside_their_stub(article: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    assert draft(article, pack).exit_code == 0
    text = (pack / "draft-h1.toml").read_text(encoding="utf-8")
    blocks = {" ".join(b.split("quote = ")[-1].split()[:2]): b for b in text.split("[[fact]]")[1:]}
    assert '# relative date left for the curator: "Last week"' in blocks['"Last week,']
    assert '# relative date left for the curator: "on Tuesday"' in blocks['"“We will']
    assert '# other figures in the sentence (a fact each?): "nearly 14 km"' in blocks['"The line']
    assert "relative date" not in blocks['"On 23']


def test_the_document_is_registered_as_the_text_states_it(article: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    result = draft(article, pack, "--kind", "news")
    assert result.exit_code == 0, result.stderr
    (entry,) = tomllib.loads((pack / "sources.toml").read_text(encoding="utf-8"))["document"]
    assert entry == {
        "id": "h1", "file": FILE_NAME, "sha256": hashlib.sha256(ARTICLE.encode("utf-8")).hexdigest(),
        "title": "Harbour Council Opens the Northern Ferry Line", "title_is_descriptive": False,
        "author": "Mira Olsen", "kind": "news",
    }
    assert "the headline" in result.stderr and "Mira Olsen" in result.stderr


def test_a_text_without_a_headline_gets_a_descriptive_title(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("WNAM REPORT: The council met on 4 May 2019 in Port Ellery, its chair said.\n", encoding="utf-8")
    assert invoke("draft", str(path), "--doc", "p", "--pack", str(tmp_path / "a")).exit_code == 0
    (entry,) = tomllib.loads((tmp_path / "a" / "sources.toml").read_text(encoding="utf-8"))["document"]
    assert entry["title_is_descriptive"] is True and entry["outlet"] == "WNAM REPORT"
    assert entry["title"].startswith("The council met on 4 May 2019")
    titled = invoke("draft", str(path), "--doc", "p", "--pack", str(tmp_path / "b"), "--title", "Council meets")
    assert titled.exit_code == 0
    (entry,) = tomllib.loads((tmp_path / "b" / "sources.toml").read_text(encoding="utf-8"))["document"]
    assert (entry["title"], entry["title_is_descriptive"]) == ("Council meets", True)


def test_an_existing_sources_toml_is_extended_never_rewritten(article: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    before = ("#:schema ./facts.schema.json\r\n# my own notes – kept as they are\r\n\r\n[[document]]\r\n"
              'id = "old"   # an odd spacing\r\ntitle = "An older article, “quoted”"\r\nkind = "news"').encode()
    (pack / "sources.toml").write_bytes(before)  # CRLF, no final newline
    result = draft(article, pack)
    assert result.exit_code == 0, result.stderr
    after = (pack / "sources.toml").read_bytes()
    assert after.startswith(before)
    assert [d["id"] for d in tomllib.loads(after.decode("utf-8"))["document"]] == ["old", "h1"]


def test_refusals_write_nothing(article: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    assert draft(article, pack).exit_code == 0
    sources = (pack / "sources.toml").read_bytes()

    again = draft(article, pack, doc="h2")  # a new id, but draft-h2.toml is new too: allowed
    assert again.exit_code == 0
    sources = (pack / "sources.toml").read_bytes()

    (pack / "draft-h2.toml").unlink()
    taken = draft(article, pack, doc="h2")
    assert taken.exit_code == 2
    assert taken.stderr.strip().splitlines() == [f"lmc: document h2 is already in {pack / 'sources.toml'}; "
                                                 "choose another --doc"]
    assert not (pack / "draft-h2.toml").exists()

    (pack / "draft-h3.toml").write_text("# mine\n", encoding="utf-8")
    exists = draft(article, pack, doc="h3")
    assert exists.exit_code == 2 and len(exists.stderr.strip().splitlines()) == 1
    assert "draft-h3.toml exists" in exists.stderr
    assert (pack / "draft-h3.toml").read_text(encoding="utf-8") == "# mine\n"
    assert (pack / "sources.toml").read_bytes() == sources

    for args, code in ((["--doc", "a:b"], 2), (["--doc", "h4", "--title", " "], 2)):
        result = invoke("draft", str(article), "--pack", str(pack), *args)
        assert result.exit_code == code and len(result.stderr.strip().splitlines()) == 1, result.stderr
    missing = invoke("draft", str(tmp_path / "nothing.txt"), "--doc", "h5", "--pack", str(pack))
    assert missing.exit_code == 2 and "no such document file" in missing.stderr
    assert (pack / "sources.toml").read_bytes() == sources

    (pack / "mine.toml").write_text('[[fact]]\nid = "h6-004"\ntitle = "t"\ntext = "t."\n'
                                    '[[fact.sources]]\ndoc = "h1"\nquote = "q"\n', encoding="utf-8")
    clash = draft(article, pack, doc="h6")
    assert clash.exit_code == 2 and f"fact id h6-004 is already in {pack / 'mine.toml'}" in clash.stderr
    assert not (pack / "draft-h6.toml").exists() and (pack / "sources.toml").read_bytes() == sources
    (pack / "mine.toml").unlink()

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "sources.toml").write_text("[[document]\n", encoding="utf-8")
    bad = draft(article, broken)
    assert bad.exit_code == 3 and bad.stderr.startswith(f"lmc: {broken / 'sources.toml'}:1")
    assert not (broken / "draft-h1.toml").exists()

    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 opened in 2014.".encode("latin-1"))
    assert draft(latin, tmp_path / "l").exit_code == 3
    assert not (tmp_path / "l" / "sources.toml").exists()


def test_without_the_curate_extra_one_line_says_how_to_install_it(article: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "dateparser" else real(name, *a))
    result = draft(article, tmp_path / "pack")
    assert result.exit_code == 2
    assert result.stderr == "lmc: lmc draft needs the curate extra; install it with: pip install 'lmc-cli[curate]'\n"
    assert not (tmp_path / "pack").exists()


def test_draft_facts_are_answered_only_with_drafts(article: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    assert draft(article, pack).exit_code == 0
    ferry = stubs(pack)["On 23 March"]["id"]  # the line opened on 23 March 2016, carrying 50,000 people
    assert ferry == "h1-005"  # sentence 5, counting the headline and the byline
    hidden = invoke("--facts", str(pack), "show", ferry)
    assert hidden.exit_code == 1
    shown = invoke("--facts", str(pack), "--drafts", "show", ferry, "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)[0]["draft"] is True

    listed = invoke("--facts", str(pack), "list", "--format", "json")
    assert not any(r["id"].startswith("h1-") for r in json.loads(listed.stdout))
    with_drafts = invoke("--facts", str(pack), "--drafts", "list", "--format", "json")
    assert {r["id"] for r in json.loads(with_drafts.stdout) if r["id"].startswith("h1-")} == {
        f["id"] for f in stubs(pack).values()}
    # Non-drafts keep their shape: no `draft` field at all.
    assert all("draft" not in r for r in json.loads(listed.stdout))

    # The search path (with a user pack: the index file) and the timeline.
    for args in (["stat", "Northern", "Ferry", "Line"], ["ask", "how many people did the Northern Ferry Line carry"],
                 ["timeline", "--from", "2016-03-23", "--to", "2016-03-23"]):
        without = invoke("--facts", str(pack), *args, "--format", "json")
        assert ferry not in [r["id"] for r in json.loads(without.stdout or "[]")], args
        with_ = invoke("--facts", str(pack), "--drafts", *args, "--format", "json")
        assert with_.exit_code == 0, (args, with_.stderr)
        assert ferry in [r["id"] for r in json.loads(with_.stdout)], args
    # The index file written without --drafts is not what --drafts reads, nor the other way round.
    again = invoke("--facts", str(pack), "stat", "Northern", "Ferry", "Line", "--format", "json")
    assert ferry not in [r["id"] for r in json.loads(again.stdout or "[]")]


def test_validate_reports_each_draft_until_the_mark_is_removed(article: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    assert draft(article, pack).exit_code == 0
    count = len(stubs(pack))
    result = invoke("validate", str(pack), "--against", str(article.parent))
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == count + 1  # no other problem: every quote is in the document, the hash matches
    assert all("field 'draft': is a draft" in line for line in lines[:-1])
    assert lines[-1] == f"lmc: {count} problem(s) found, {count} of them draft facts"

    path = pack / "draft-h1.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("draft = true\n", ""), encoding="utf-8")
    checked = invoke("validate", str(pack), "--against", str(article.parent))
    assert checked.exit_code == 0, checked.stderr
    assert checked.stderr.startswith("ok: ")


def test_the_console_script_drafts(article: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    result = subprocess.run([str(LMC), "draft", str(article), "--doc", "h1", "--pack", str(pack)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"registered the document in {pack / 'sources.toml'}")
    assert lines[1].startswith(f"wrote 8 draft facts (8 checkable sentences of 11) to {pack / 'draft-h1.toml'}")
    assert "2 relative date(s) flagged" in lines[1]
    assert len(stubs(pack)) == 8


@pytest.mark.parametrize("words, value, relative", [
    ("in 2014", "2014", False), ("March 2016", "2016-03", False), ("23 March 2016", "2016-03-23", False),
    ("March 3, 2016", "2016-03-03", False), ("last week", None, True), ("on Tuesday", None, True),
    ("in August", None, True), ("March 3", None, True), ("since last year", None, True),
])
def test_dates_at_the_precision_the_words_give(words: str, value: str | None, relative: bool) -> None:
    from lmc_cli.curate.dates import find_dates

    (found,) = find_dates(f"It happened {words}.")
    assert (found.value, found.relative) == (value, relative)


def test_a_year_range_is_a_date_and_an_end() -> None:
    from lmc_cli.curate.dates import find_dates

    (found,) = find_dates("the Five-Year Plan of Action (2018-2022)")
    assert (found.value, found.end_value) == ("2018", "2022")


@pytest.mark.parametrize("words, expected", [
    ("more than 50,000 people involved", {"value": 50000, "unit": "people", "qualifier": "more than"}),
    ("nearly 4,880 km across", {"value": 4880, "unit": "km", "qualifier": "nearly"}),
    ("about $2 billion, according to", {"value": 2000000000, "unit": "dollars", "qualifier": "about"}),
    ("rose by 33.5%, and", {"value": 33.5, "unit": "percent"}),
    ("the 600-km-long railway", {"value": 600, "unit": "km"}),
    ("the livelihoods of millions.", {"magnitude": "millions", "amount_text": "millions"}),
    ("seven key areas of future cooperation", {"value": 7, "unit": "key areas"}),
])
def test_figures_value_unit_and_qualifier(words: str, expected: dict[str, Any]) -> None:
    from lmc_cli.curate.figures import find_figures

    (found,) = find_figures(f"They said it {words}")
    got = {k: v for k, v in vars(found).items() if v is not None and k not in ("text", "start", "end")}
    assert got == expected


@pytest.mark.parametrize("sentence", ["the 17th ASEAN-China Summit", "the Vinh Tan 1 plant", "COVID-19 struck",
                                      "a 720P system", "the 10+1 framework", "features: (1) a pragmatic approach"])
def test_ordinals_and_numbers_in_names_are_not_figures(sentence: str) -> None:
    from lmc_cli.curate.figures import find_figures

    assert find_figures(sentence) == []


def test_query_commands_never_import_the_curate_extra(tmp_path: Path) -> None:
    probe = ("import json, sys; sys.argv = ['lmc', 'stat', 'arrests', '--format', 'json']\n"
             "from lmc_cli.cli.run import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             f"open({str(tmp_path / 'mods.json')!r}, 'w').write(json.dumps(sorted(sys.modules)))\n")
    subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=120, check=True)
    modules = json.loads((tmp_path / "mods.json").read_text())
    assert "lmc_cli.match.rank" in modules  # the probe did search
    assert [m for m in modules if m.split(".")[0] in ("pysbd", "dateparser") or m.startswith("lmc_cli.curate")] == []


def test_the_worked_example_of_docs_curating_is_what_lmc_draft_writes(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    doc = (Path(__file__).resolve().parent.parent / "docs" / "curating.md").read_text(encoding="utf-8")
    example = doc.split("## A worked example", 1)[1]
    blocks = re.findall(r"```(\w+)\n(.*?)```", example, re.S)
    article = next(body for kind, body in blocks if kind == "text")
    console = next(body for kind, body in blocks if kind == "console")
    stub_block = next(body for kind, body in blocks if kind == "toml" and 'id = "harbour-005"' in body)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "harbour.txt").write_text(article, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    command, *said = console.strip().splitlines()
    result = invoke(*command.removeprefix("$ lmc ").split())
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == said
    written = (tmp_path / "my-pack" / "draft-harbour.toml").read_text(encoding="utf-8")
    for stub in stub_block.strip().split("\n\n[[fact]]\n"):
        assert stub.removeprefix("[[fact]]\n") in written
    entry = next(body for kind, body in blocks if kind == "toml" and "[[document]]" in body)
    assert (tmp_path / "my-pack" / "sources.toml").read_text(encoding="utf-8") == entry
