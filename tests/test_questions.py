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
# The frozen set is only scored (README), never held to a bar it could be tuned towards.
BLIND = [Path(__file__).resolve().parent / f"questions_blind{n}.jsonl"
         for n in ("", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11")]


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
    assert answered >= 0.88 * positives, report  # 82/85 with the calibrated decision (was 84/85 under the bar)
    assert rejected >= 0.9 * negatives, report  # 15/15 with the unknown-word gate


# Strict figures (the answer in the record's own fields) each set must keep: what the calibrated
# decision of issue 10 (tools/fit_decision.py, trained on the older five as one set, blind5, blind6
# and the public set) scores on each. The older sets scored 1-4 answers more under the coverage bar
# before it, which was fitted to them one question at a time; the decision rejects near-misses the
# bar accepted. blind7 and blind8 are not trained on: their first runs were 77/105 + 10/15 and
# 81/110 + 15/20 (blind8 written after this session's matcher changes; 77/110 + 16/20 before them).
BARS = {
    "questions_blind": (73, 15),
    "questions_blind2": (70, 12),
    "questions_blind3": (71, 14),
    "questions_blind4": (72, 15),
    "questions_blind5": (70, 19),
    "questions_blind6": (75, 18),
    "questions_blind7": (94, 15),
    "questions_blind8": (93, 20),
    "questions_blind9": (95, 33),
    "questions_blind10": (83, 28),
    "questions_blind11": (88, 30),
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
