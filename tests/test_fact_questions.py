"""`questions` on facts: validated like other lists, kept through the caches, never an answer field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from helpers import invoke

from lmc_cli.errors import DataError
from lmc_cli.load import packs, parse

SCHEMA = json.loads(packs.schema_path().read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


def fact_with(questions: Any) -> dict[str, Any]:
    return {"id": "asked", "title": "A fact", "text": "A sentence.", "questions": questions,
            "sources": [{"doc": "000", "quote": "a quote"}]}


def store_accepts(fact: dict[str, Any]) -> bool:
    try:
        parse.parse_fact_file({"fact": [fact]}, Path("x.toml"), "test")
    except DataError:
        return False
    return True


def test_questions_are_read_into_the_fact() -> None:
    facts = parse.parse_fact_file({"fact": [fact_with(["When?", "何时？"])]}, Path("x.toml"), "test")
    assert facts[0].questions == ("When?", "何时？")


@pytest.mark.parametrize("bad", ["When?", ["When?", ""], ["  "], [3], [["nested"]]],
                         ids=["a string", "an empty entry", "a blank entry", "a number", "a list"])
def test_bad_questions_are_rejected_by_the_validator_and_the_schema(bad: Any) -> None:
    assert not store_accepts(fact_with(bad))
    assert not VALIDATOR.is_valid({"fact": [fact_with(bad)]})


def test_lmc_validate_names_the_field(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text('[[document]]\nid = "d"\ntitle = "D"\nkind = "news"\n', encoding="utf-8")
    (tmp_path / "t.toml").write_text(
        '[[fact]]\nid = "x"\ntitle = "X"\ntext = "X."\nquestions = ["ok?", ""]\n'
        '[[fact.sources]]\ndoc = "d"\nquote = "X"\n', encoding="utf-8")
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 3
    assert "questions" in result.stderr and "x" in result.stderr


def write_pack(root: Path) -> Path:
    root.mkdir()
    (root / "sources.toml").write_text('[[document]]\nid = "d"\ntitle = "D"\nkind = "news"\n', encoding="utf-8")
    (root / "t.toml").write_text(
        '[[fact]]\nid = "pier-opening"\ntitle = "Pier opening"\ntext = "The pier opened in 2019."\n'
        'questions = ["When did the pier open?", "码头何时开放？"]\ndate = "2019"\n'
        '[[fact.sources]]\ndoc = "d"\nquote = "The pier opened in 2019"\n', encoding="utf-8")
    return root


def test_questions_survive_the_file_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pack = write_pack(tmp_path / "pack")
    cold = packs.load_pack(pack, "p").facts
    warm = packs.load_pack(pack, "p").facts
    assert (tmp_path / "cache" / "lmc").is_dir()
    assert cold[0].questions == warm[0].questions == ("When did the pier open?", "码头何时开放？")


def test_questions_are_not_printed_as_answer_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pack = write_pack(tmp_path / "pack")
    result = invoke("--facts", str(pack), "show", "pier-opening", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert record["id"] == "pier-opening"
    assert "questions" not in record
    assert "When did the pier open?" not in json.dumps(record, ensure_ascii=False)


# --- the bundled pack's questions -----------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
QUESTION_SETS = [*sorted((ROOT / "tests").glob("questions*.jsonl")),
                 Path("/work/shared/examples/questions.jsonl")]
NEAR = 85  # rapidfuzz fuzz.ratio, after case folding, at or above which an entry is a copy


def set_questions() -> list[tuple[str, str]]:
    """(set file name, question) for every case of the repository's question sets."""
    found = []
    for path in QUESTION_SETS:
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                cmd = json.loads(line).get("cmd")
                if isinstance(cmd, list) and cmd and isinstance(cmd[-1], str):
                    found.append((path.name, cmd[-1]))
    return found


def bundled_facts() -> list[Any]:
    return packs.load_pack(packs.bundled_dir(), "bundled", use_cache=False).facts


def test_the_question_sets_are_found() -> None:
    assert len(set_questions()) > 300  # the check below would pass vacuously on none


def test_no_fact_question_copies_a_test_question() -> None:
    from rapidfuzz import fuzz, process

    cases = set_questions()
    folded = [q.casefold() for _, q in cases]
    flagged = []
    for fact in bundled_facts():
        for question in fact.questions:
            best = process.extractOne(question.casefold(), folded, scorer=fuzz.ratio, score_cutoff=NEAR)
            if best is not None:
                # Name our entry and the set, not the set's question: rewrite it from the fact.
                flagged.append(f"{fact.id}: {question!r} (ratio {best[1]:.0f} with a question in {cases[best[2]][0]})")
    assert not flagged, "rewrite these from the fact:\n" + "\n".join(flagged)


def test_the_check_flags_a_near_copy() -> None:
    from rapidfuzz import fuzz

    _, question = set_questions()[0]
    assert fuzz.ratio((question + "?").casefold(), question.casefold()) >= NEAR


def test_every_bundled_fact_has_at_least_three_questions() -> None:
    few = [f"{f.id} ({len(f.questions)})" for f in bundled_facts() if len(f.questions) < 3]
    assert not few, f"{len(few)} facts with fewer than 3 questions: " + ", ".join(few)


def test_bundled_questions_are_distinct_within_a_fact() -> None:
    repeated = [f.id for f in bundled_facts() if len({q.casefold() for q in f.questions}) < len(f.questions)]
    assert repeated == []
