"""Question sets scored with the shared scorer.

The public set (../shared/examples) must pass whole; our own set (tests/questions.jsonl,
written from the documents, covering every table and document) must stay above the bar the
held-out set is judged by. Both run through the installed CLI, one process per question, as
the held-out sets are scored. The blind sets run the scorer's own `run_case` with lmc invoked
in-process (CliRunner) instead of as a process: the same command line, exit code and JSON,
a third of the cost (1,500 questions: about 450 s of CPU as processes).
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
import typer.main
import typer.testing
from conftest import ROOT, requires
from helpers import LMC
from typer.testing import CliRunner

from lmc_cli.cli import app

SCORER = ROOT.parent / "shared" / "tools" / "eval_questions.py"
PUBLIC = ROOT.parent / "shared" / "examples" / "questions.jsonl"
OWN = Path(__file__).resolve().parent / "questions.jsonl"
# Written by readers who saw only the documents, never the facts or the matcher.
# The frozen set is only scored (README), never held to a bar it could be tuned towards.
BLIND = [Path(__file__).resolve().parent / f"questions_blind{n}.jsonl"
         for n in ("", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "13", "14", "15", "16", "17", "18")]


def score(questions: Path) -> tuple[int, int, int, int, str]:
    proc = subprocess.run(
        [sys.executable, str(SCORER), str(questions), "--lmc", str(LMC), "--jobs", "2", "--strict"],
        capture_output=True, text=True, timeout=600,
    )
    found = re.search(r"answered: (\d+)/(\d+)\s+rejected: (\d+)/(\d+)", proc.stdout)
    assert found, proc.stdout + proc.stderr
    answered, positives, rejected, negatives = map(int, found.groups())
    return answered, positives, rejected, negatives, proc.stdout


def shared_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_questions", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def in_process(argv: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
    """What the scorer's `subprocess.run` would give for `lmc ARGS`, run by CliRunner."""
    result = CliRunner().invoke(app, argv[1:])  # the command Typer builds, built once (below)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a failure, never a "no answer"
    return subprocess.CompletedProcess(argv, result.exit_code, result.stdout, result.stderr)


def score_in_process(questions: Path) -> tuple[int, int, int, int, str]:
    """The scorer's strict figures with each `lmc` run in this process (the scorer's own run_case)."""
    scorer = shared_scorer()
    scorer.subprocess = SimpleNamespace(run=in_process, TimeoutExpired=subprocess.TimeoutExpired)
    cases = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    with pytest.MonkeyPatch.context() as patch:
        # A process builds the Click command from the Typer app once; CliRunner builds it again at
        # every call (half its cost here): build it once, as a process does.
        built = typer.main.get_command(app)
        patch.setattr(typer.testing, "_get_command", lambda _: built)
        results = [scorer.run_case(["lmc"], case, 60.0, strict=True) for case in cases]
    positives = [ok for case, (ok, _) in zip(cases, results, strict=True) if not case.get("negative")]
    negatives = [ok for case, (ok, _) in zip(cases, results, strict=True) if case.get("negative")]
    report = "\n".join(f"FAIL {case['id']}: {why}" for case, (ok, why) in zip(cases, results, strict=True) if not ok)
    return sum(positives), len(positives), sum(negatives), len(negatives), report


@requires(SCORER.exists(), "../shared is not beside the checkout")
def test_public_question_set_passes_whole() -> None:
    answered, positives, rejected, negatives, report = score(PUBLIC)
    assert (answered, rejected) == (positives, negatives), report


@requires(SCORER.exists(), "../shared is not beside the checkout")
def test_own_question_set_meets_the_bar() -> None:
    answered, positives, rejected, negatives, report = score(OWN)
    assert answered >= 0.88 * positives, report  # 83/85 with the calibrated decision (was 84/85 under the bar)
    assert rejected >= 0.9 * negatives, report  # 15/15 with the unknown-word gate
    # the shortcut the blind sets take scores exactly as the scorer does through processes
    assert score_in_process(OWN)[:4] == (answered, positives, rejected, negatives)


# Strict figures (the answer in the record's own fields) each set must keep: what the calibrated
# decision of issue 10 (tools/fit_decision.py, trained on the older five as one set, blind5, blind6
# and the public set) scores on each (blind5 rejected 20 before the facts' reader wordings of
# 2026-12-03, one of which comes close to a near-miss of it). The older sets scored 1-4 answers
# more under the coverage bar before it, which was fitted to them one question at a time; the
# decision rejects near-misses the bar accepted. blind7 and blind8 are not trained on: their first
# runs were 77/105 + 10/15 and 81/110 + 15/20 (blind8 written after that session's matcher
# changes; 77/110 + 16/20 before them).
BARS = {
    "questions_blind": (75, 15),
    "questions_blind2": (73, 13),
    "questions_blind3": (72, 13),
    "questions_blind4": (72, 15),
    "questions_blind5": (79, 21),
    "questions_blind6": (82, 21),
    "questions_blind7": (102, 15),
    "questions_blind8": (107, 20),
    "questions_blind9": (104, 34),
    "questions_blind10": (95, 32),
    # 95 until the six fact questions near blind15's were dropped (8262808), one of which answered it:
    "questions_blind11": (98, 33),
    "questions_blind13": (97, 32),  # first run 90/105 + 27/35 on the code it was written against
    # first run 95/105 + 30/35 (f9062c4); the facts' reader wordings of 2026-12-03 (which raised
    # blind10 by 4, blind11 by 7, blind13 by 5 and the frozen set by 2 + 1) cost it one of each:
    "questions_blind14": (100, 34),
    # first run 94/105 + 29/35 (10aabbe); six fact questions that a blind15 question comes within
    # ratio 85 of were then dropped by test_fact_questions's rule, which cost it two answers:
    "questions_blind15": (101, 33),
    # first run 92/105 + 31/35 (fc88f0d, written by a helper that read only the documents); a fact
    # question within ratio 85 of one of its Chinese questions was dropped by the near-copy rule (-1):
    "questions_blind16": (98, 34),
    # first run 83/105 + 26/35 (c27816b, written by a helper that read only the documents); four
    # fact questions within ratio 85 of its questions (one identical) were dropped by the near-copy rule (-1):
    "questions_blind17": (91, 31),
    # first run 94/105 + 28/35 (ae970d7, by a helper that read only the documents); held out: only
    # its totals have been read:
    "questions_blind18": (97, 30),
    # first run 94/105 + 32/35 (f75e9d1, by a helper that read only the documents); read:
    "questions_blind19": (98, 33),
    # first run 93/105 + 30/35 (f75e9d1, by another such helper); held out: only its totals are
    # read. Five fact questions within ratio 85 of blind19's and blind20's were then dropped by the
    # near-copy rule, which cost it one answer:
    "questions_blind20": (93, 31),
}


@requires(SCORER.exists(), "../shared is not beside the checkout")
@pytest.mark.parametrize("questions", BLIND, ids=lambda p: p.stem)
def test_blind_question_sets_meet_the_bar(questions: Path) -> None:
    answered, positives, rejected, negatives, report = score_in_process(questions)
    least_answered, least_rejected = BARS[questions.stem]
    assert answered >= least_answered, report
    assert rejected >= least_rejected, report


def test_own_question_set_covers_every_table_and_document() -> None:
    cases = [json.loads(line) for line in OWN.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len([c for c in cases if not c.get("negative")]) >= 60
    assert {c["doc"] for c in cases if "doc" in c} == {"000", "001", "002", "003", "004"}
    assert {c["cmd"][0] for c in cases} == {"ask", "meeting", "stat"}
