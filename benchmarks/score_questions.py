"""Score question sets in-process (fast iteration on matching); the shared scorer is the reference.

usage: python benchmarks/score_questions.py QUESTIONS.jsonl [...] [--verbose] [--coverage]
Prints, per set, answered/rejected counts as the shared scorer counts them, and with
--coverage the top coverage of every case, to see how far answers and non-answers sit
from the no-answer bar.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from lmc_cli.api import answer
from lmc_cli.load.packs import load_corpus
from lmc_cli.match.rank import Index

SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "eval_questions.py"
TABLES = {"meeting": ("meetings",), "stat": ("stats",), "ask": None}


def load_normalize():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("eval_questions", SCORER)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.normalize


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in sys.argv
    show_coverage = "--coverage" in sys.argv
    normalize = load_normalize()
    corpus = load_corpus(use_cache=False)
    facts = corpus.facts
    indexes = {name: Index.build([f for f in facts if tables is None or f.table in tables])
               for name, tables in TABLES.items()}
    for path in args:
        cases = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
        answered = rejected = positives = negatives = 0
        for case in cases:
            command, query = case["cmd"][0], " ".join(case["cmd"][1:])
            ranking, matches, _ = answer(indexes[command], corpus.documents.values(), query, limit=10,
                                         tables=TABLES[command])
            top = matches[0] if matches else None
            if case.get("negative"):
                negatives += 1
                ok = not ranking.answered
                rejected += ok
            else:
                positives += 1
                text = normalize(json.dumps([top.to_dict()], ensure_ascii=False)) if top else ""
                ok = bool(top) and all(any(normalize(s) in text for s in group) for group in case["expect"])
                answered += ok
            best = ranking.candidates[0] if ranking.candidates else None
            if verbose and not ok or show_coverage:
                label = best.fact.id if best else "-"
                cov = f"{best.coverage:.2f}" if best else "-"
                kind = "negative" if case.get("negative") else "positive"
                print(f"{'PASS' if ok else 'FAIL'} {case['id']} {kind} cov={cov} top={label}: {query}")
        print(f"{path}: answered {answered}/{positives}  rejected {rejected}/{negatives}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
