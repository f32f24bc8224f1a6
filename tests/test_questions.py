"""Question sets scored through the installed CLI with the shared scorer.

The public set (../shared/examples) must pass whole; our own set (tests/questions.jsonl,
written from the documents, covering every table and document) must stay above the bar the
held-out set is judged by.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, requires
from helpers import LMC

SCORER = ROOT.parent / "shared" / "tools" / "eval_questions.py"
PUBLIC = ROOT.parent / "shared" / "examples" / "questions.jsonl"
OWN = Path(__file__).resolve().parent / "questions.jsonl"
# Written by readers who saw only the documents, never the facts or the matcher.
# The first four; blind5, blind6 and the frozen set get their bars with the new matcher (issue 10).
BLIND = [Path(__file__).resolve().parent / f"questions_blind{n}.jsonl" for n in ("", "2", "3", "4")]


def score(questions: Path) -> tuple[int, int, int, int, str]:
    proc = subprocess.run(
        [sys.executable, str(SCORER), str(questions), "--lmc", str(LMC), "--jobs", "2", "--strict"],
        capture_output=True, text=True, timeout=600,
    )
    found = re.search(r"answered: (\d+)/(\d+)\s+rejected: (\d+)/(\d+)", proc.stdout)
    assert found, proc.stdout + proc.stderr
    answered, positives, rejected, negatives = map(int, found.groups())
    return answered, positives, rejected, negatives, proc.stdout


@requires(SCORER.exists(), "../shared is not beside the checkout")
def test_public_question_set_passes_whole() -> None:
    answered, positives, rejected, negatives, report = score(PUBLIC)
    assert (answered, rejected) == (positives, negatives), report


@requires(SCORER.exists(), "../shared is not beside the checkout")
def test_own_question_set_meets_the_bar() -> None:
    answered, positives, rejected, negatives, report = score(OWN)
    assert answered >= 0.95 * positives, report
    assert rejected >= 0.9 * negatives, report


# Strict figures (the answer in the record's own fields) each set must keep: the five older
# sets at what they scored before the calibrated decision (issue 10), the two newer ones at
# what the fitted decision reaches on them (they are among its training questions).
BARS = {
    "questions_blind": (71, 14),
    "questions_blind2": (70, 15),
    "questions_blind3": (68, 11),
    "questions_blind4": (68, 14),
    "questions_blind5": (47, 11),
    "questions_blind6": (59, 10),
}


@requires(SCORER.exists(), "../shared is not beside the checkout")
@pytest.mark.parametrize("questions", BLIND, ids=lambda p: p.stem)
def test_blind_question_sets_meet_the_bar(questions: Path) -> None:
    answered, positives, rejected, negatives, report = score(questions)
    least_answered, least_rejected = BARS[questions.stem]
    assert answered >= least_answered, report
    assert rejected >= least_rejected, report


def test_own_question_set_covers_every_table_and_document() -> None:
    cases = [json.loads(line) for line in OWN.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len([c for c in cases if not c.get("negative")]) >= 60
    assert {c["doc"] for c in cases if "doc" in c} == {"000", "001", "002", "003", "004"}
    assert {c["cmd"][0] for c in cases} == {"ask", "meeting", "stat"}
