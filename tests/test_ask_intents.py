"""`lmc ask` intents, the "documents do not say" answer and confidence, through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA
from helpers import invoke

from lmc_cli.errors import ExitCode

CONFLICT = '''table = "conflicts"

[[fact]]
id = "test-council-founding-conflict"
title = "When was the council founded: 2019 (doc1) or 2018 (doc1)?"
text = "The report says the Test River Council first met in 2019, and also that it was founded in 2018."
related = ["test-council-first-meeting"]

[[fact.sources]]
doc = "doc1"
quote = "The Test River Council first met in Riverton on May 4, 2019."
'''


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(DATA / "minipack", target)
    (target / "conflicts.toml").write_text(CONFLICT, encoding="utf-8")
    return target


def ask(pack: Path, question: str, *extra: str) -> object:
    return invoke("--facts", str(pack), "--no-bundled", "ask", question, *extra)


def test_which_came_first_returns_both_in_date_order_and_says_so(pack: Path) -> None:
    result = ask(pack, "Which came first, the lighthouse opening or the first council meeting?", "--format", "json")
    assert result.exit_code == 0, result.stderr
    ids = [r["id"] for r in json.loads(result.stdout)]
    assert ids[:2] == ["test-council-first-meeting", "test-lighthouse"]
    assert "First Test River Council meeting came first (2019-05-04)" in result.stderr


def test_do_the_documents_agree_leads_with_the_disagreement_and_its_side(pack: Path) -> None:
    result = ask(pack, "Do the documents agree on when the council was founded?", "--format", "json")
    assert result.exit_code == 0, result.stderr
    ids = [r["id"] for r in json.loads(result.stdout)]
    assert ids[0] == "test-council-founding-conflict"
    assert "test-council-first-meeting" in ids[1:]
    assert "the documents disagree" in result.stderr


def test_bundled_slot_lacking_question_says_the_documents_do_not_say() -> None:
    result = invoke("ask", "How much did the new Siem Reap airport cost?", "--format", "json")
    assert result.exit_code == ExitCode.NO_MATCH
    assert "the documents do not say" in result.stderr
    assert "siem-reap-airport" in result.stderr  # the closest fact is named


def test_records_and_the_card_carry_the_confidence() -> None:
    result = invoke("ask", "how many arrests", "--format", "json")
    assert result.exit_code == 0
    confidences = [r["confidence"] for r in json.loads(result.stdout)]
    assert all(0 <= c <= 1 for c in confidences)
    card = invoke("ask", "how many arrests", "--format", "table")
    assert "confidence:" in card.stdout


SIDES = '''table = "conflicts"

[[fact]]
id = "test-council-founding-sides"
title = "When was the council founded: 2019 (doc1) or 2018 (doc2)?"
text = "The test document says the Test River Council first met in 2019; the Gazette says it was founded in 2018."
related = ["test-council-first-meeting"]

[[fact.sources]]
doc = "doc1"
quote = "The Test River Council first met in Riverton on May 4, 2019."
says = "first met in 2019"

[[fact.sources]]
doc = "doc2"
quote = "The council was founded in 2018."
says = "founded in 2018"
'''


@pytest.fixture()
def two_sides(tmp_path: Path) -> Path:
    target = tmp_path / "sides"
    shutil.copytree(DATA / "minipack", target)
    (target / "doc2.txt").write_text("The council was founded in 2018. It meets by the harbour.\n", encoding="utf-8")
    with (target / "sources.toml").open("a", encoding="utf-8") as out:
        out.write('\n[[document]]\nid = "doc2"\nfile = "doc2.txt"\ntitle = "Harbour notes"\n'
                  'kind = "report"\noutlet = "Harbour Gazette"\n')
    (target / "conflicts.toml").write_text(SIDES, encoding="utf-8")
    return target


def test_according_to_a_document_on_a_disputed_point_leads_with_the_disagreement(two_sides: Path) -> None:
    def first(question: str) -> str:
        result = ask(two_sides, question, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return str(json.loads(result.stdout)[0]["id"])

    named = "According to the Harbour Gazette, when did the Test River Council first meet?"
    assert first(named) == "test-council-founding-sides"  # the named document's side is in the disagreement
    assert first("When did the Test River Council first meet?") == "test-council-first-meeting"
    # the answer found already says what the named document says: it stays first
    assert first("According to the Test Wire, when did the Test River Council first meet?") \
        == "test-council-first-meeting"
    # a side that states no place does not answer "where": the answer found stays first
    assert first("According to the Harbour Gazette, where did the Test River Council first meet?") \
        == "test-council-first-meeting"
