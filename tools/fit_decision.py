"""Fit the matcher's decision (lmc_cli/match/decision.json) on labelled questions.

usage: python tools/fit_decision.py --train A.jsonl [B.jsonl ...] [--test C.jsonl ...] [--write]
       python tools/fit_decision.py --cross A.jsonl B.jsonl ...   (leave one set out, each in turn)
       python tools/fit_decision.py --score A.jsonl [...]         (score with the weights on disk)

Each question is analysed and retrieved in-process, with the semantic signals, and every
leading candidate is labelled by the shared scorer's strict rule (the expected answer in the
record's own fields). A logistic regression (Newton's method, a small L2 penalty, pure
Python) is fitted over the candidates that pass the gates; the gate settings, how many
leaders may be the answer and the threshold are the ones that decide the training questions
best (answered share + rejected share, the two figures the issue reports). --test and
--cross report the same figures on sets not trained on; --write stores the weights, the
training sets' names and the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lmc_cli.api import answer  # noqa: E402
from lmc_cli.load.packs import load_corpus  # noqa: E402
from lmc_cli.match import decide  # noqa: E402
from lmc_cli.match.query import Query, analyse  # noqa: E402
from lmc_cli.match.rank import Index, Signals, TermMatch, retrieve  # noqa: E402
from lmc_cli.model import Fact  # noqa: E402

SHARED = ROOT.parent / "shared" if (ROOT.parent / "shared").is_dir() else Path("/work/shared")
SCORER = SHARED / "tools" / "eval_questions.py"
TABLES: dict[str, tuple[str, ...] | None] = {"meeting": ("meetings",), "stat": ("stats",), "ask": None}
L2 = 1.0
# A coverage floor (--floor, a candidate holding under that share of the question's weight is no
# answer) at 0.5 lost 7 answers on the held-out folds and rejected no more: the default is none.
# The gates are fixed by what they mean, not fitted: on the training sets every setting tried
# (slot gate 0.35 / 0.5 / 0.65, specific gate on or off, the answer among the first 1-3
# leaders) decided within 1% of the others, so the choice was noise. The slot gate at 0.65
# (a fill from a date merely mentioned in the text, or a place phrase, is not enough) did
# best on the held-out folds; the specific gate on was never worse. How many leaders may be the
# answer (a leader that a gate rules out makes way for the next, as a reader skips a fact
# lacking the slot) is fitted among 1-3.
GATES = (0.65,)
SPECIFIC = (True,)
DEPTHS = (1, 2, 3)
# A gate on a weightiest question word that no fact has ("bitcoin price") was tried: on the
# held-out folds it rejected 2 more near-misses and lost 10 answers, so there is none.
# Also tried in the lab (decision only, refitted each time) and left out: corpus words near an
# unmatched question word in the vector table as extra variants (cosine >= 0.7: frozen 63 -> 67/99,
# the blind sets +2 each; >= 0.6: -2 to +1; too unsteady to keep), and WordLlama's 256-d vectors as
# the semantic signal (cross-validated blind5 51 -> 47/88, blind6 55 -> 50/88, rejections equal).
FLOORS: tuple[float, ...] = (0.0,)  # the coverage floors tried; --floor sets them
# The unknown-word gate (decide.unknown_share): 1.0 is off. The share of the question's weight in
# words no fact has (even misspelt); the fit keeps the one that decides the training sets best.
# (Unlike the gate on the weightiest word alone, above, it never weighs a paraphrase's one odd word.)
UNKNOWN = (1.0, 0.7, 0.6, 0.55, 0.5, 0.45)
PLATEAU = 0.003  # thresholds deciding within this of the best: the middle one is taken
# The signals the model reads (the others keep weight 0). Left out: `question` (rapidfuzz's
# token-set ratio with the fact's questions: "what is the price of bitcoin" scores 0.76 against
# a question about a plant's price), `score` (the lexical weight again, squashed), `name`, `lead`,
# `source` and `known_coverage`, which the fit weighted near 0 or with the sign reversed.
USED = ("coverage", "lexical", "q2q", "semantic", "semantic_q", "exact", "type_fit", "missing", "aside", "chinese",
        "lexical_margin", "coverage_margin")
# The five older sets were written against the facts (and tuned on, one question at a time); the
# newer blind sets were written from the documents alone, as the held-out sets are. In the fit the
# older five count together as one set, so that each newer set weighs as much as all of them.
OLDER = dict.fromkeys(("questions.jsonl", "questions_blind.jsonl", "questions_blind2.jsonl", "questions_blind3.jsonl",
                       "questions_blind4.jsonl"), "older")


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


def read(paths: Sequence[str]) -> list[dict[str, Any]]:
    cases = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                ours = Path(path).resolve().parent == ROOT / "tests"
                case["set"] = Path(path).name if ours else f"{Path(path).parent.name}/{Path(path).name}"
                case["group"] = OLDER.get(case["set"], case["set"]) if ours else case["set"]
                cases.append(case)
    return cases


@dataclass
class Retrieved:
    case: dict[str, Any]
    query: Query
    leaders: list[tuple[Fact, Signals, float]]
    terms: list[TermMatch]
    labels: list[int]  # per leader: 1 when it holds the expected answer (never for a near-miss)
    others: list[Signals | None]  # per leader: the best of the other leaders (decide._best_others)

    @property
    def negative(self) -> bool:
        return bool(self.case.get("negative"))


class Lab:
    def __init__(self) -> None:
        self.corpus = load_corpus(use_cache=False)
        self.documents = list(self.corpus.documents.values())
        self.indexes = {n: Index.build([f for f in self.corpus.facts if t is None or f.table in t])
                        for n, t in TABLES.items()}

    def retrieve(self, case: dict[str, Any]) -> Retrieved:
        command, question = case["cmd"][0], " ".join(case["cmd"][1:])
        q = analyse(question, self.documents, kind="meeting" if command == "meeting" else None)
        leaders, terms = retrieve(self.indexes[command], q, tables=TABLES[command])
        leaders = decide.with_semantic(leaders, q)
        partial = int(case.get("k", 1)) > 1
        labels = [0 if case.get("negative") else int(right(f.to_dict(), case["expect"], partial))
                  for f, _, _ in leaders]
        return Retrieved(case, q, leaders, terms, labels, decide._best_others(leaders))

    def score(self, cases: list[dict[str, Any]]) -> dict[str, Any]:
        """Figures per set through the whole answer path (intents included), weights on disk."""
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
            kind = "negatives" if case.get("negative") else "positives"
            entry[kind] += 1
            entry["rejected" if case.get("negative") else "answered"] += ok
            if not ok:
                top = ranking.candidates[0].fact.id if ranking.candidates else "-"
                entry["failures"].append(f"{case['id']} {case.get('cat', '')} top={top} "
                                         f"conf={ranking.confidence:.2f} {ranking.verdict}: {question}")
        return figures


def fit(rows: list[tuple[tuple[float, ...], int, float]], l2: float = L2,
        rounds: int = 30) -> tuple[float, list[float]]:
    """Weighted logistic regression by Newton's method (IRLS); the bias is not penalised."""
    d = len(rows[0][0]) + 1
    w = [0.0] * d
    for _ in range(rounds):
        grad = [0.0] * d
        hess = [[0.0] * d for _ in range(d)]
        for x, y, weight in rows:
            v = (1.0, *x)
            p = decide.sigmoid(sum(a * b for a, b in zip(w, v, strict=True)))
            g = weight * (p - y)
            s = weight * p * (1 - p)
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


def set_weights(items: list[Retrieved]) -> dict[str, float]:
    """Every set (the older five as one) counts alike, whatever its size."""
    sizes: dict[str, int] = {}
    for item in items:
        sizes[item.case["group"]] = sizes.get(item.case["group"], 0) + 1
    return {name: len(items) / len(sizes) / size for name, size in sizes.items()}


def training_rows(items: list[Retrieved], w: decide.Weights) -> list[tuple[tuple[float, ...], int, float]]:
    """The first `w.depth` leaders of every question that pass the gates, with their labels and weights."""
    rows = []
    weight = set_weights(items)
    for item in items:
        for i, (_, signals, score) in enumerate(item.leaders[: w.depth]):
            if decide.gated(signals, item.query, w) is not None:
                continue
            rows.append((decide.features(signals, score, item.others[i]), item.labels[i], weight[item.case["group"]]))
    return rows


def outcome(items: list[Retrieved], w: decide.Weights) -> tuple[int, int, int, int]:
    """(answered right, positives, rejected, negatives) deciding with `w` (intents left out)."""
    answered = rejected = positives = negatives = 0
    for item in items:
        ranking = decide.decide(item.query, item.leaders, item.terms, limit=1, w=w)
        if item.negative:
            negatives += 1
            rejected += not ranking.answered
        else:
            positives += 1
            if ranking.answered:
                chosen = next(i for i, (f, _, _) in enumerate(item.leaders) if f is ranking.matches[0].fact)
                answered += item.labels[chosen]
    return answered, positives, rejected, negatives


def value(figures: tuple[int, int, int, int]) -> float:
    answered, positives, rejected, negatives = figures
    return answered / max(positives, 1) + rejected / max(negatives, 1)


def sweep(items: list[Retrieved], model: decide.Model, gate: float, specific: bool,
          depth: int, floor: float, unknown: float = 1.0) -> tuple[float, decide.Weights]:
    """The threshold that decides `items` best with this model and these gates, and its value."""
    shape = decide.Weights(model, 0.5, gate, specific, depth, floor, unknown)
    per_item = []
    for item in items:
        options = []
        if decide.unknown_share(item.terms) >= unknown:
            per_item.append((item.negative, options))
            continue
        for i, ((_, signals, score), other) in enumerate(zip(item.leaders[:depth], item.others, strict=False)):
            if decide.gated(signals, item.query, shape) is None:
                options.append((decide.sigmoid(model.logit(decide.features(signals, score, other))), item.labels[i]))
        per_item.append((item.negative, options))
    sets = sorted({item.case["group"] for item in items})
    values = []
    for step in range(5, 96):
        t = step / 100
        tally = {name: [0, 0, 0, 0] for name in sets}  # answered, positives, rejected, negatives
        for item, (neg, options) in zip(items, per_item, strict=True):
            label = next((y for p, y in options if p >= t), None)
            entry = tally[item.case["group"]]
            if neg:
                entry[2] += label is None
                entry[3] += 1
            else:
                entry[0] += label == 1
                entry[1] += 1
        values.append((sum(value((a, p, r, n)) for a, p, r, n in tally.values()) / len(sets), t))  # sets alike
    top = max(v for v, _ in values)
    near = [t for v, t in values if v >= top - PLATEAU]
    return top, decide.Weights(model, near[len(near) // 2], gate, specific, depth, floor, unknown)


def fit_weights(items: list[Retrieved], verbose: bool = False) -> decide.Weights:
    """The gates, depth, model and threshold that decide `items` best."""
    best: tuple[float, decide.Weights] | None = None
    for gate in GATES:
        for specific in SPECIFIC:
            for depth, floor in ((d, f) for d in DEPTHS for f in FLOORS):
                shape = decide.Weights(decide.Model(0.0, (0.0,) * len(decide.FEATURES)), 0.5, gate, specific, depth,
                                       floor)
                rows = training_rows(items, shape)
                if not rows:
                    continue
                keep = [i for i, n in enumerate(decide.FEATURES) if n in USED]
                bias, chosen = fit([(tuple(x[i] for i in keep), y, wt) for x, y, wt in rows])
                ws = [0.0] * len(decide.FEATURES)
                for i, value_ in zip(keep, chosen, strict=True):
                    ws[i] = value_
                for unknown in UNKNOWN:
                    v, w = sweep(items, decide.Model(bias, tuple(ws)), gate, specific, depth, floor, unknown)
                    if verbose:
                        print(f"gate {gate} specific {specific} depth {depth} unknown {unknown}: "
                              f"threshold {w.threshold} value {v:.3f}")
                    if best is None or v > best[0] + 1e-9:
                        best = (v, w)
    assert best is not None, "no training questions"
    return best[1]


def as_data(w: decide.Weights) -> dict[str, Any]:
    return {"model": {"bias": round(w.model.bias, 4),
                      "weights": {n: round(v, 4) for n, v in zip(decide.FEATURES, w.model.weights, strict=True)}},
            "threshold": w.threshold, "gate": w.gate, "gate_specific": w.gate_specific, "depth": w.depth,
            "floor": w.floor, "unknown": w.unknown}


def show(label: str, figures: tuple[int, int, int, int]) -> str:
    answered, positives, rejected, negatives = figures
    return f"{label}: answered {answered}/{positives}  rejected {rejected}/{negatives}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", nargs="*", default=[])
    parser.add_argument("--test", nargs="*", default=[])
    parser.add_argument("--cross", nargs="*", default=[])
    parser.add_argument("--score", nargs="*", default=[])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--floor", default="0", help="coverage floors to try, comma-separated")
    args = parser.parse_args()
    global FLOORS
    FLOORS = tuple(float(x) for x in args.floor.split(","))
    lab = Lab()
    if args.cross:
        sets = {path: [lab.retrieve(c) for c in read([path])] for path in args.cross}
        for held, items in sets.items():
            train = [i for path, its in sets.items() if path != held for i in its]
            w = fit_weights(train)
            print(show(f"cross: trained without {Path(held).name}, on it", outcome(items, w)),
                  f"(gate {w.gate}, specific {w.gate_specific}, depth {w.depth}, threshold {w.threshold})")
    if args.train:
        items = [lab.retrieve(c) for c in read(args.train)]
        w = fit_weights(items, args.verbose)
        print(json.dumps(as_data(w), indent=1))
        print(show("train (decision only)", outcome(items, w)))
        for path in args.test:
            print(show(f"test {Path(path).name} (decision only)", outcome([lab.retrieve(c) for c in read([path])], w)))
        if args.write:
            about = json.loads(decide.WEIGHTS_FILE.read_text(encoding="utf-8"))["about"]
            data = {"about": about, **as_data(w), "trained_on": [Path(p).name for p in args.train]}
            decide.WEIGHTS_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
            decide.weights.cache_clear()
    if args.score:
        for name, e in lab.score(read(args.score)).items():
            print(f"score {name}: answered {e['answered']}/{e['positives']}  rejected {e['rejected']}/{e['negatives']}")
            if args.verbose:
                for line in e["failures"]:
                    print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
