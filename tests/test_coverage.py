"""`lmc coverage --against DIR`: every sentence of the documents and whether the facts state it
(lmc_cli/curate/coverage.py), the pack's ignore file and its 10% bound, the output formats and
the exit codes; through the CLI in-process (CliRunner) and once through the installed script."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
from conftest import SEEDS, requires
from helpers import run_lmc
from typer.testing import CliRunner

from lmc_cli.cli import app
from lmc_cli.errors import ExitCode
from lmc_cli.load import packs, rules

pytest.importorskip("pysbd")

DOCUMENT = """\
Harbour Notes
The Northern Harbour Authority opened the Eastern Pier on 12 March 2021.
Mayor Jane Smith said the pier cost $4.5 million.
The council counted 320 ships at the pier in 2022.
It was a fine day for everyone.
"""

COVERED_FACTS = """\
[[fact]]
id = "eastern-pier-opening"
title = "Opening of the Eastern Pier"
text = "The Northern Harbour Authority opened the Eastern Pier on 12 March 2021."
date = "2021-03-12"

[[fact.sources]]
doc = "d1"
quote = "The Northern Harbour Authority opened the Eastern Pier on 12 March 2021."

[[fact]]
id = "pier-cost"
title = "Cost of the Eastern Pier"
text = "Mayor Jane Smith said the pier cost $4.5 million."
value = 4500000
unit = "dollars"

[[fact.sources]]
doc = "d1"
quote = "Mayor Jane Smith said the pier cost $4.5 million."
"""

# The council's sentence is quoted only up to the number, and the fact's text shares its words
# ("council", "ships", "pier", "2022") but not its number: 320 is stated by no fact.
SHIPS_WITHOUT_NUMBER = """
[[fact]]
id = "ships-counted"
title = "Ships counted at the pier"
text = "The council counted ships at the pier in 2022."
date = "2022"

[[fact.sources]]
doc = "d1"
quote = "The council counted"
"""

SHIPS_WITH_NUMBER = SHIPS_WITHOUT_NUMBER.replace(
    'text = "The council counted ships at the pier in 2022."',
    'text = "The council counted 320 ships at the pier in 2022."',
)


def write_pack(root: Path, facts: str, document: str = DOCUMENT, ignore: str | None = None) -> tuple[Path, Path]:
    """A pack of one document (d1) and its fact file, and the directory of the document."""
    docs = root / "docs"
    pack = root / "pack"
    docs.mkdir(parents=True)
    pack.mkdir()
    (docs / "d1.txt").write_text(document, encoding="utf-8")
    digest = hashlib.sha256(document.encode("utf-8")).hexdigest()
    (pack / "sources.toml").write_text(
        f'[[document]]\nid = "d1"\nfile = "d1.txt"\nsha256 = "{digest}"\ntitle = "Harbour Notes"\nkind = "news"\n',
        encoding="utf-8")
    (pack / "harbour.toml").write_text(facts, encoding="utf-8")
    if ignore is not None:
        (pack / rules.IGNORE_FILE).write_text(ignore, encoding="utf-8")
    return pack, docs


def coverage(pack: Path, docs: Path, *args: str) -> object:
    return CliRunner().invoke(app, ["--no-bundled", "coverage", str(pack), "--against", str(docs), *args])


def ignore_entry(sentence: str, reason: str = "no fact in it") -> str:
    return f'[[ignore]]\ndoc = "d1"\nsentence = {json.dumps(sentence)}\nreason = "{reason}"\n\n'


@requires(SEEDS.is_dir(), "../shared/seeds is not beside the checkout")
def test_the_bundled_pack_covers_every_checkable_sentence_of_the_five_documents() -> None:
    result = CliRunner().invoke(app, ["coverage", "--against", str(SEEDS), "--format", "json"])
    assert result.exit_code == ExitCode.OK, result.stderr
    report = json.loads(result.stdout)
    assert [d["doc"] for d in report["documents"]] == ["000", "001", "002", "003", "004"]
    assert all(d["percent"] == 100.0 and d["uncovered"] == 0 for d in report["documents"])
    assert report["total"]["checkable"] > 100
    (bundled,) = report["ignores"]
    assert bundled["ignored"] <= bundled["limit"] == int(bundled["checkable"] * rules.MAX_IGNORED_SHARE)
    assert result.stderr.startswith("ok: 100.0% of ")


def test_an_uncovered_checkable_sentence_is_listed_first_and_exits_1(tmp_path: Path) -> None:
    pack, docs = write_pack(tmp_path, COVERED_FACTS)
    result = coverage(pack, docs, "--format", "tsv")
    assert result.exit_code == ExitCode.NO_MATCH
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    first = rows[0]
    assert first[:4] == ["sentence", "pack:d1", "3", "uncovered"]
    assert first[7] == "The council counted 320 ships at the pier in 2022."
    assert [r[3] for r in rows if r[0] == "sentence"].count("uncovered") == 1
    assert rows[-1][:2] == ["document", "all"]
    assert "1 checkable sentence(s) not covered" in result.stderr
    assert "coverage-ignore.toml" in result.stderr


def test_the_text_report_lists_the_uncovered_sentence_and_what_it_misses_first(tmp_path: Path) -> None:
    pack, docs = write_pack(tmp_path, COVERED_FACTS)
    result = coverage(pack, docs, "--format", "table")
    assert result.exit_code == ExitCode.NO_MATCH
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Not covered: 1 checkable sentence")
    assert "The council counted 320 ships" in lines[1]
    assert "320 (number)" in lines[2] and "2022 (date)" in lines[2]
    assert any(line.startswith("pack:d1") and line.rstrip().endswith("66.7%") for line in lines)


def test_json_has_the_documents_totals_ignores_and_every_sentence(tmp_path: Path) -> None:
    pack, docs = write_pack(tmp_path, COVERED_FACTS)
    result = coverage(pack, docs, "--format", "json")
    assert result.exit_code == ExitCode.NO_MATCH
    report = json.loads(result.stdout)
    assert set(report) == {"documents", "total", "ignores", "sentences"}
    (doc,) = report["documents"]
    assert doc == {"doc": "pack:d1", "file": "d1.txt", "sentences": 5, "checkable": 3, "covered": 2, "ignored": 0,
                   "uncovered": 1, "percent": 66.7, "covered_percent": 66.7}
    assert report["total"]["checkable"] == 3
    assert report["ignores"] == [{"pack": "pack", "file": None, "ignored": 0, "checkable": 3, "limit": 0,
                                  "max_share": 0.1}]
    sentences = report["sentences"]
    assert len(sentences) == 5
    assert [s["status"] for s in sentences] == ["uncovered", "not checkable", "covered", "covered", "not checkable"]
    assert [s["index"] for s in sentences] == [3, 0, 1, 2, 4]
    first = sentences[0]
    assert set(first) == {"doc", "index", "start", "end", "text", "status", "checkable", "heading", "quoted_by",
                          "missing", "reason", "elements"}
    assert DOCUMENT[first["start"]:first["end"]] == first["text"]
    assert first["missing"] == ["2022", "320"] and first["quoted_by"] == []
    kinds = {e["text"]: e for e in sentences[3]["elements"]}
    # "Mayor" opens the sentence and is capitalised nowhere else: not part of the name
    assert kinds["Jane Smith"] == {"kind": "name", "text": "Jane Smith", "covered": True, "how": "quote",
                                   "by": ["pier-cost"]}
    assert kinds["said"]["kind"] == "claim" and kinds["$4.5 million"]["kind"] == "number"
    assert sentences[1]["heading"] is True


def test_a_number_no_fact_states_is_not_covered_even_if_the_words_overlap(tmp_path: Path) -> None:
    pack, docs = write_pack(tmp_path, COVERED_FACTS + SHIPS_WITHOUT_NUMBER)
    result = coverage(pack, docs, "--format", "json")
    assert result.exit_code == ExitCode.NO_MATCH
    (ships,) = [s for s in json.loads(result.stdout)["sentences"] if s["index"] == 3]
    assert ships["status"] == "uncovered" and ships["quoted_by"] == ["ships-counted"]
    assert ships["missing"] == ["320"]  # the year is stated by the fact's date, the number by nothing
    year = next(e for e in ships["elements"] if e["text"] == "2022")
    assert year["how"] == "fields" and year["by"] == ["ships-counted"]


def test_the_same_number_in_the_quoting_facts_fields_covers_it(tmp_path: Path) -> None:
    pack, docs = write_pack(tmp_path, COVERED_FACTS + SHIPS_WITH_NUMBER)
    result = coverage(pack, docs, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.stdout
    (ships,) = [s for s in json.loads(result.stdout)["sentences"] if s["index"] == 3]
    assert ships["status"] == "covered"
    assert {e["text"]: e["how"] for e in ships["elements"]} == {"2022": "fields", "320": "fields"}


def test_an_ignored_sentence_counts_with_its_reason_within_the_bound(tmp_path: Path) -> None:
    sentences = [f"The {word} Line opened in {1990 + n}." for n, word in enumerate(
        ["Red", "Blue", "Green", "Gold", "Grey", "Pink", "Teal", "Jade", "Ruby", "Onyx"])]
    document = "\n".join(sentences) + "\n"
    facts = "".join(f'[[fact]]\nid = "line-{n}"\ntitle = "Line {n}"\ntext = "{s}"\n\n[[fact.sources]]\n'
                    f'doc = "d1"\nquote = "{s}"\n\n' for n, s in enumerate(sentences[:9]))
    pack, docs = write_pack(tmp_path, facts, document, ignore=ignore_entry(sentences[9], "a test's own reason"))
    result = coverage(pack, docs, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    report = json.loads(result.stdout)
    assert report["documents"][0]["ignored"] == 1 and report["documents"][0]["percent"] == 100.0
    ignored = [s for s in report["sentences"] if s["status"] == "ignored"]
    assert [(s["text"], s["reason"]) for s in ignored] == [(sentences[9], "a test's own reason")]
    assert report["ignores"][0]["limit"] == 1 and report["ignores"][0]["file"].endswith(rules.IGNORE_FILE)


def test_an_ignore_file_over_ten_percent_of_the_checkable_sentences_is_rejected(tmp_path: Path) -> None:
    sentences = [f"The {word} Line opened in {1990 + n}." for n, word in enumerate(
        ["Red", "Blue", "Green", "Gold", "Grey", "Pink", "Teal", "Jade", "Ruby", "Onyx", "Opal"])]
    document = "\n".join(sentences) + "\n"
    facts = "".join(f'[[fact]]\nid = "line-{n}"\ntitle = "Line {n}"\ntext = "{s}"\n\n[[fact.sources]]\n'
                    f'doc = "d1"\nquote = "{s}"\n\n' for n, s in enumerate(sentences[:9]))
    pack, docs = write_pack(tmp_path, facts, document, ignore=ignore_entry(sentences[9]) + ignore_entry(sentences[10]))
    result = coverage(pack, docs)
    # 2 of 11 checkable sentences is 18%: over the bound of 10% (1 sentence)
    assert result.exit_code == ExitCode.INVALID_DATA
    assert result.stdout == ""
    assert "2 sentences ignored, over the limit of 1" in result.stderr
    assert str(pack / rules.IGNORE_FILE) in result.stderr
    assert rules.ignore_limit(11) == 1 and rules.ignore_limit(10) == 1 and rules.ignore_limit(9) == 0
    assert rules.ignore_limit(117) == 11


@pytest.mark.parametrize(("entry", "problem"), [
    (ignore_entry("The Northern Harbour Authority opened the Eastern Pier on 12 March 2021."),
     "which the facts cover; remove the entry"),
    (ignore_entry("It was a fine day for everyone."), "which has nothing checkable; remove the entry"),
    (ignore_entry("The council counted 320 ships"), "which is not a whole sentence of document d1"),
])
def test_an_ignore_entry_must_name_a_whole_uncovered_checkable_sentence(tmp_path: Path, entry: str,
                                                                      problem: str) -> None:
    pack, docs = write_pack(tmp_path, COVERED_FACTS, ignore=entry)
    result = coverage(pack, docs)
    assert result.exit_code == ExitCode.INVALID_DATA
    assert problem in result.stderr


def test_the_ignore_file_is_no_fact_file_for_the_loader_the_index_or_validate(tmp_path: Path) -> None:
    ignore = ignore_entry("The council counted 320 ships at the pier in 2022.")
    pack, docs = write_pack(tmp_path, COVERED_FACTS, ignore=ignore)
    assert [p.name for p in packs.pack_files(pack)] == ["harbour.toml", "sources.toml"]
    assert packs.ignore_file(pack) == pack / rules.IGNORE_FILE
    assert sorted(f.id for f in packs.load_pack(pack, "pack", use_cache=False).facts) == ["eastern-pier-opening",
                                                                                         "pier-cost"]
    runner = CliRunner()
    for args in (["validate", str(pack)], ["validate", str(pack), "--against", str(docs)],
                 ["validate", str(pack / rules.IGNORE_FILE)]):
        checked = runner.invoke(app, ["--no-bundled", *args])
        assert checked.exit_code == ExitCode.OK, (args, checked.stderr)
    # the index of user packs (lmc_cli/match/indexdb.py) lists a pack through pack_files too
    found = runner.invoke(app, ["--no-bundled", "--facts", str(pack), "ask", "how much did the pier cost",
                                "--format", "json"])
    assert found.exit_code == ExitCode.OK, found.stderr
    assert json.loads(found.stdout)[0]["id"] == "pier-cost"


@pytest.mark.parametrize(("ignore", "problem"), [
    ('[[ignore]]\ndoc = "d1"\nsentence = "It was a fine day for everyone."\n', "field 'ignore[1].reason': must be"),
    ('[[ignore]]\ndoc = "d1"\nsentence = "x"\nreason = "r"\nid = "extra"\n', "field 'ignore[1].id': unknown field"),
    ('[[fact]]\nid = "a"\n', "unknown top-level key 'fact'"),
    (ignore_entry("x") + ignore_entry("x"), "the same sentence is ignored twice"),
    ('[[ignore]]\ndoc = "d9"\nsentence = "It was a fine day for everyone."\nreason = "r"\n',
     "names document 'd9', which is not in its pack's sources.toml"),
])
def test_validate_checks_the_ignore_files_own_shape(tmp_path: Path, ignore: str, problem: str) -> None:
    pack, _ = write_pack(tmp_path, COVERED_FACTS, ignore=ignore)
    result = CliRunner().invoke(app, ["--no-bundled", "validate", str(pack)])
    assert result.exit_code == ExitCode.INVALID_DATA
    assert problem in result.stderr and str(pack / rules.IGNORE_FILE) in result.stderr


def test_validate_against_finds_an_ignored_sentence_missing_from_its_document(tmp_path: Path) -> None:
    pack, docs = write_pack(tmp_path, COVERED_FACTS, ignore=ignore_entry("The pier was painted blue in 2020."))
    assert CliRunner().invoke(app, ["--no-bundled", "validate", str(pack)]).exit_code == ExitCode.OK
    result = CliRunner().invoke(app, ["--no-bundled", "validate", str(pack), "--against", str(docs)])
    assert result.exit_code == ExitCode.INVALID_DATA
    assert "ignored sentence not found in document d1" in result.stderr


def test_coverage_needs_against_a_directory(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["coverage"])
    assert missing.exit_code == ExitCode.USAGE
    assert missing.stderr == "lmc: coverage needs --against DIR, the directory of the documents\n"
    not_dir = runner.invoke(app, ["coverage", "--against", str(tmp_path / "nothing")])
    assert not_dir.exit_code == ExitCode.USAGE and "not a directory" in not_dir.stderr


def test_a_document_missing_from_against_is_invalid_data(tmp_path: Path) -> None:
    pack, docs = write_pack(tmp_path, COVERED_FACTS)
    (docs / "d1.txt").unlink()
    result = coverage(pack, docs)
    assert result.exit_code == ExitCode.INVALID_DATA
    assert "cannot read document" in result.stderr


def test_without_the_curate_extra_one_line_says_how_to_install_it(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pack, docs = write_pack(tmp_path, COVERED_FACTS)
    monkeypatch.setitem(sys.modules, "pysbd", None)  # import pysbd now raises ImportError
    result = coverage(pack, docs)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.count("\n") == 1
    assert 'pip install "lmc-cli[curate]"' in result.stderr
    assert result.stdout == ""


def test_the_installed_script_reports_and_exits_1_on_an_uncovered_sentence(tmp_path: Path) -> None:
    pack, docs = write_pack(tmp_path, COVERED_FACTS)
    result = run_lmc("--no-bundled", "coverage", str(pack), "--against", str(docs), "--uncovered")
    assert result.returncode == ExitCode.NO_MATCH, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]  # a pipe: TSV
    assert [r[:4] for r in rows if r[0] == "sentence"] == [["sentence", "pack:d1", "3", "uncovered"]]
    assert [r[1] for r in rows if r[0] == "document"] == ["pack:d1", "all"]
    assert result.stderr.startswith("lmc: 1 checkable sentence(s) not covered")
    assert "Traceback" not in result.stderr
