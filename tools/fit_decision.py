"""Fit the matcher's decision weights (lmc_cli/match/decision.json) on labelled questions.

usage: python tools/fit_decision.py --train A.jsonl [B.jsonl ...] [--test C.jsonl ...] [--write]
       python tools/fit_decision.py --score A.jsonl [...]     (score with the weights on disk)

Each question is analysed and retrieved in-process; every leading candidate is labelled by
the shared scorer's strict rule (the expected answer in the record's own fields). Two
logistic regressions are fitted by Newton's method with a small L2 penalty, pure Python:
the candidate model over the candidate's signals, then the decision model over the first
candidate's log-odds and its margin over the runner-up. The threshold is the one that
maximises answered share + rejected share on the training questions. --test reports the
same figures on sets not trained on; --write stores the weights and both figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lmc_cli.api import answer  # noqa: E402
from lmc_cli.load.packs import load_corpus  # noqa: E402
from lmc_cli.match import decide  # noqa: E402
from lmc_cli.match.query import analyse  # noqa: E402
from lmc_cli.match.rank import Index, retrieve  # noqa: E402

SHARED = ROOT.parent / "shared" if (ROOT.parent / "shared").is_dir() else Path("/work/shared")
SCORER = SHARED / "tools" / "eval_questions.py"
TABLES: dict[str, tuple[str, ...] | None] = {"meeting": ("meetings",), "stat": ("stats",), "ask": None}
L2 = 1.0
MODE = {"reorder": "--reorder" in sys.argv, "bar": "--no-bar" not in sys.argv}


def scorer() -> Any:
    spec = importlib.util.spec_from_file_location("eval_questions", SCORER)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


EV = scorer()


def right(record: dict[str, Any], expect: list[list[str]], partial: bool) -> bool:
    text = EV.normalize(EV.answer_text(record))
    hits = [any(EV.normalize(s) in text for s in group) for group in expect]
    return any(hits) if partial else all(hits)


def read(paths: list[str]) -> list[dict[str, Any]]:
    cases = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                case["set"] = "/".join(Path(path).parts[-2:])
                cases.append(case)
    return cases


class Lab:
    def __init__(self) -> None:
        self.corpus = load_corpus(use_cache=False)
        self.documents = list(self.corpus.documents.values())
        self.indexes = {n: Index.build([f for f in self.corpus.facts if t is None or f.table in t])
                        for n, t in TABLES.items()}
        self.semantic = semantic_scorer()

    def rows(self, case: dict[str, Any]) -> list[tuple[tuple[float, ...], int]]:
        command, question = case["cmd"][0], " ".join(case["cmd"][1:])
        q = analyse(question, self.documents, kind="meeting" if command == "meeting" else None)
        leaders, _ = retrieve(self.indexes[command], q, tables=TABLES[command])
        if self.semantic is not None:
            leaders = decide.with_semantic(leaders, q, self.semantic)
        asked = q.slot.kind is not None
        out = []
        for fact, signals, score in leaders:
            label = 0 if case.get("negative") else int(right(fact.to_dict(), case["expect"], int(case.get("k", 1)) > 1))
            out.append((decide.features(signals, score, asked), label))
        return out

    def score(self, cases: list[dict[str, Any]]) -> dict[str, Any]:
        figures: dict[str, Any] = {}
        for case in cases:
            command, question = case["cmd"][0], " ".join(case["cmd"][1:])
            ranking, matches, _ = answer(self.indexes[command], self.documents, question, limit=10,
                                         tables=TABLES[command])
            if case.get("negative"):
                ok = not ranking.answered
            else:
                k = int(case.get("k", 1))
                text = EV.normalize(" || ".join(EV.answer_text(m.to_dict()) for m in matches[:k]))
                ok = ranking.answered and all(any(EV.normalize(s) in text for s in g) for g in case["expect"])
            entry = figures.setdefault(case["set"], {"answered": 0, "positives": 0, "rejected": 0, "negatives": 0,
                                                     "failures": []})
            if case.get("negative"):
                entry["negatives"] += 1
                entry["rejected"] += ok
            else:
                entry["positives"] += 1
                entry["answered"] += ok
            if not ok:
                top = ranking.candidates[0].fact.id if ranking.candidates else "-"
                entry["failures"].append(f"{case['id']} {case.get('cat', '')} top={top} "
                                         f"conf={ranking.confidence:.2f} {ranking.verdict}: {question}")
        return figures


def semantic_scorer() -> Any:
    return decide.semantic_similarity if "--semantic" in sys.argv else None


def fit(rows: list[tuple[tuple[float, ...], int]], l2: float = L2, rounds: int = 25) -> tuple[float, list[float]]:
    """Logistic regression by Newton's method (IRLS); the bias is not penalised."""
    d = len(rows[0][0]) + 1
    w = [0.0] * d
    for _ in range(rounds):
        grad = [0.0] * d
        hess = [[0.0] * d for _ in range(d)]
        for x, y in rows:
            v = (1.0, *x)
            p = decide.sigmoid(sum(a * b for a, b in zip(w, v, strict=True)))
            g = p - y
            s = p * (1 - p)
            for i in range(d):
                grad[i] += g * v[i]
                if v[i]:
                    si = s * v[i]
                    row = hess[i]
                    for j in range(d):
                        row[j] += si * v[j]
        for i in range(1, d):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        hess[0][0] += 1e-6
        step = solve(hess, grad)
        w = [a - b for a, b in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w[0], w[1:]


def solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        if abs(m[col][col]) < 1e-12:
            continue
        for r in range(n):
            if r != col:
                f = m[r][col] / m[col][col]
                if f:
                    m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def decision_rows(per_case: list[tuple[dict[str, Any], list[tuple[tuple[float, ...], int]]]],
                  model: decide.Model) -> list[tuple[tuple[float, float], int, tuple[float, ...]]]:
    """Per question: the decision's inputs, whether the first candidate is right, its features."""
    out: list[tuple[tuple[float, float], int, tuple[float, ...]]] = []
    bar = decide.FEATURES.index("bar")
    for case, rows in per_case:
        if not rows:
            continue
        ranked = [(model.logit(x), y, x) for x, y in rows]
        if MODE["reorder"]:
            ranked.sort(key=lambda r: -r[0])
        if MODE["bar"]:
            ranked.sort(key=lambda r: -r[2][bar])
            if not ranked[0][2][bar]:
                out.append(((2 * decide.NO_RUNNER_UP, 0.0), 0, ranked[0][2]))  # the bar rejects: nothing to answer
                continue
        z1, y1, x1 = ranked[0]
        z2 = ranked[1][0] if len(ranked) > 1 else decide.NO_RUNNER_UP
        out.append(((z1, z1 - z2), 0 if case.get("negative") else y1, x1))
    return out


def gated(x: tuple[float, ...], gate: float, specific: bool) -> bool:
    return x[decide.FEATURES.index("slot")] < gate or (specific and x[decide.FEATURES.index("specific")] == 1.0)


def pick_threshold(per_case: list[tuple[dict[str, Any], list[Any]]],
                   rows: list[tuple[tuple[float, float], int, tuple[float, ...]]], model: decide.Model,
                   gate: float = 0.0, specific: bool = False) -> tuple[float, float]:
    """The threshold that decides the most training questions right, and that count."""
    negatives = sum(bool(c.get("negative")) for c, _ in per_case)
    neg_flags = [bool(c.get("negative")) for c, r in per_case if r]
    best = (-1.0, 0.5)
    for step in range(5, 96):
        t = step / 100
        answered = rejected = 0
        for (x, y, top), neg in zip(rows, neg_flags, strict=True):
            yes = decide.sigmoid(model.logit(x)) >= t and not gated(top, gate, specific)
            answered += bool(not neg and y and yes)
            rejected += bool(neg and not yes)
        value = answered + rejected + negatives - sum(neg_flags)  # questions decided right
        if value > best[0] + 1e-9:
            best = (value, t)
    return best[1], best[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", nargs="*", default=[])
    parser.add_argument("--test", nargs="*", default=[])
    parser.add_argument("--score", nargs="*", default=[])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--semantic", action="store_true", help="add the semantic signal")
    parser.add_argument("--reorder", action="store_true", help="rank leaders by the candidate model")
    parser.add_argument("--no-bar", action="store_true", help="no coverage bar before the decision")
    args = parser.parse_args()
    lab = Lab()
    report: dict[str, Any] = {}
    if args.train:
        cases = read(args.train)
        per_case = [(c, lab.rows(c)) for c in cases]
        rows = [r for _, rs in per_case for r in rs]
        bias, ws = fit(rows)
        cand = decide.Model(bias, tuple(ws))
        drows = decision_rows(per_case, cand)
        dbias, dws = fit([(x, y) for x, y, _ in drows])
        dmodel = decide.Model(dbias, tuple(dws))
        # The gate (a first fact lacking the slot, or a name/number the question gives, is no
        # answer) is chosen like the threshold: the setting that decides most questions right.
        choices = [(pick_threshold(per_case, drows, dmodel, g, sp), g, sp) for g in (0.0, 0.25, 0.5)
                   for sp in (False, True)]
        for (t, value), g, sp in choices:
            print(f"gate {g} specific {sp}: threshold {t} decides {value:.0f} questions right")
        (threshold, _), gate, gate_specific = max(choices, key=lambda c: (c[0][1], -c[1], -c[2]))
        fitted = {
            "candidate": {"bias": round(bias, 4), "weights": {n: round(v, 4) for n, v in
                                                              zip(decide.FEATURES, ws, strict=True)}},
            "decision": {"bias": round(dbias, 4), "weights": {"first": round(dws[0], 4), "margin": round(dws[1], 4)}},
            "threshold": threshold,
            "gate": gate,
            "gate_specific": gate_specific,
            "reorder": MODE["reorder"],
            "bar": MODE["bar"],
        }
        print(json.dumps(fitted, indent=1))
        decide.weights.cache_clear()
        original = decide.WEIGHTS_FILE.read_text(encoding="utf-8")
        data = {"about": json.loads(original)["about"], **fitted, "trained_on": [Path(p).name for p in args.train],
                "tested_on": [Path(p).name for p in args.test]}
        decide.WEIGHTS_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        try:
            report["train"] = lab.score(cases)
            if args.test:
                report["test"] = lab.score(read(args.test))
        finally:
            if not args.write:
                decide.WEIGHTS_FILE.write_text(original, encoding="utf-8")
                decide.weights.cache_clear()
        if args.write:
            data["figures"] = {part: {name: {k: v for k, v in e.items() if k != "failures"} for name, e in sets.items()}
                               for part, sets in report.items()}
            decide.WEIGHTS_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    if args.score:
        report["score"] = lab.score(read(args.score))
    for part, sets in report.items():
        for name, e in sets.items():
            print(f"{part} {name}: answered {e['answered']}/{e['positives']}  "
                  f"rejected {e['rejected']}/{e['negatives']}")
            if args.verbose:
                for line in e["failures"]:
                    print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())



