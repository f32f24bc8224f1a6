"""One calibrated decision: which leading fact answers the question, and how sure lmc is.

The decision is a logistic model over the signals of a candidate (rank.Signals: lexical
weight, coverage, closeness to the questions the fact says it answers, semantic
similarity, name closeness...) and its margins over the best other candidate. Its
weights, the threshold and the gates are fitted on labelled questions by
tools/fit_decision.py and kept in decision.json, never set by hand.

Three gates come before the model, because no weight should trade them away:

- the slot gate: a question asking for a figure of some measure, a date, a place, or a
  person in some role is not answered by a fact that lacks it (slots.fill below the gate);
  when the fact is about the right thing otherwise, the verdict is "the documents do not
  say", naming the closest fact;
- the specific gate: a fact that lacks a name, number, ordinal or year the question gives
  ("the second meeting", "in 2019", "G20"), or a place or party it names ("Cambodia") as
  its place or parties, is about something else;
- the unknown-word gate: when words that no fact has, even misspelt, carry most of the
  question's weight ("the capital of Australia", "bitcoin price"), no fact is about it.

The answer is the first of the leading candidates (in lexical order, at most `depth` of
them) that passes the gates and whose probability reaches the threshold. A disagreement
record the question does not ask about that falls short of the threshold is a side-note, not
one of the `depth`: the fact after it may answer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from lmc_cli.match.query import Query
from lmc_cli.match.rank import Candidate, Ranking, Signals, TermMatch
from lmc_cli.model import Fact, Match

WEIGHTS_FILE = Path(__file__).resolve().parent / "decision.json"
FEATURES = ("coverage", "known_coverage", "lexical", "question", "q2q", "semantic", "semantic_q", "lead", "name",
            "exact", "score", "type_fit", "missing", "source", "aside", "chinese", "lexical_margin", "coverage_margin")
SEMANTIC_FEATURES = ("semantic", "semantic_q")


@dataclass(frozen=True, slots=True)
class Model:
    bias: float
    weights: tuple[float, ...]

    def logit(self, values: Sequence[float]) -> float:
        return self.bias + sum(w * v for w, v in zip(self.weights, values, strict=True))


@dataclass(frozen=True, slots=True)
class Weights:
    model: Model  # over FEATURES
    threshold: float
    gate: float = 0.5  # a candidate whose slot fill is below this does not answer the slot asked
    gate_specific: bool = True  # nor one that lacks a name, number, ordinal or year the question gives
    depth: int = 1  # how many leaders, in lexical order, may be the answer
    floor: float = 0.0  # a candidate holding less than this share of the question's weight is no answer
    unknown: float = 1.0  # a question this much of whose weight is in words no fact has is about something else

    @property
    def uses_semantic(self) -> bool:
        return any(self.model.weights[FEATURES.index(n)] != 0.0 for n in SEMANTIC_FEATURES)


def features(signals: Signals, score: float, best_other: Signals | None) -> tuple[float, ...]:
    """The model's inputs, in FEATURES order; margins are over the best other candidate."""
    other_lexical = best_other.lexical if best_other else 0.0
    other_coverage = best_other.coverage if best_other else 0.0
    return (
        signals.coverage, signals.known_coverage, signals.lexical, signals.question, signals.q2q, signals.semantic,
        signals.semantic_q, signals.lead, signals.name, signals.exact, math.log1p(max(score, 0.0)) / 5.0,
        signals.type_fit, signals.missing, signals.source, signals.aside, signals.chinese,
        signals.lexical - other_lexical,
        signals.coverage - other_coverage,
    )


def parse_weights(data: dict[str, object]) -> Weights:
    raw = data.get("model")
    if not isinstance(raw, dict):
        raise ValueError("decision.json: 'model' must be a table")
    table = raw.get("weights", {})
    if not isinstance(table, dict):
        raise ValueError("decision.json: 'model.weights' must be a table")
    model = Model(float(raw.get("bias", 0.0)), tuple(float(table.get(n, 0.0)) for n in FEATURES))
    return Weights(model, float(data.get("threshold", 0.5)),  # type: ignore[arg-type]
                   float(data.get("gate", 0.5)), bool(data.get("gate_specific", True)),  # type: ignore[arg-type]
                   int(data.get("depth", 1)), float(data.get("floor", 0.0)),  # type: ignore[call-overload, arg-type]
                   float(data.get("unknown", 1.0)))  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def weights() -> Weights:
    return parse_weights(json.loads(WEIGHTS_FILE.read_text(encoding="utf-8")))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


SEMANTIC_DEPTH = 3  # the leaders whose semantic signals are computed (the decision reads no deeper)
_VECTORS: dict[tuple[str, str], tuple[bytes, tuple[bytes, ...]]] = {}


def with_semantic(leaders: list[tuple[Fact, Signals, float]], q: Query, depth: int = SEMANTIC_DEPTH) -> list[
        tuple[Fact, Signals, float]]:
    """The leaders, the first `depth` with their semantic signals: the cosine of the question with
    the fact (title, text, aliases, keywords, questions) and with its closest single question.
    Fact vectors are computed once per process (match/semantic.py)."""
    if not leaders:
        return leaders
    from lmc_cli.match import semantic

    vector = semantic.embed(q.text)
    if not any(vector):
        return leaders
    out = []
    for place, (fact, signals, score) in enumerate(leaders):
        if place < depth:
            key = (fact.pack, fact.id)
            stored = _VECTORS.get(key)
            if stored is None:
                stored = _VECTORS[key] = (semantic.vector_of(fact),
                                          tuple(semantic.pack(semantic.embed(x)) for x in fact.questions))
            whole = semantic.similarities_packed(vector, [stored[0]])[0]
            # A fact with no questions (they are optional in a pack) is its own closest question.
            single = max(semantic.similarities_packed(vector, list(stored[1])), default=whole)
            signals = replace(signals, semantic=float(whole), semantic_q=float(single))
        out.append((fact, signals, score))
    return out


def gated(signals: Signals, q: Query, w: Weights) -> str | None:
    """Why a candidate cannot be the answer whatever its score, or None."""
    if signals.coverage < w.floor:
        return "coverage"
    if q.slot.kind is not None and signals.slot < w.gate:
        return "slot"
    if w.gate_specific and (signals.specific == 1.0 or signals.named == 0.0):
        return "specific"
    return None


def unknown_share(terms: Sequence[TermMatch]) -> float:
    """The share of the question's weight held by words no fact has, even misspelt."""
    total = sum(t.weight for t in terms)
    return sum(t.weight for t in terms if not t.variants) / total if total > 0 else 0.0


def _best_others(leaders: Sequence[tuple[Fact, Signals, float]]) -> list[Signals | None]:
    """For each leader, the best of the others: its lexical weight, and the highest coverage."""
    if len(leaders) < 2:
        return [None] * len(leaders)
    signals = [s for _, s, _ in leaders]
    by_lexical = sorted(range(len(signals)), key=lambda i: (-signals[i].lexical, -signals[i].coverage))
    by_coverage = sorted(range(len(signals)), key=lambda i: -signals[i].coverage)
    out: list[Signals | None] = []
    for i in range(len(signals)):
        best = signals[by_lexical[0] if by_lexical[0] != i else by_lexical[1]]
        coverage = signals[by_coverage[0] if by_coverage[0] != i else by_coverage[1]].coverage
        out.append(replace(best, coverage=coverage))
    return out


def probabilities(leaders: Sequence[tuple[Fact, Signals, float]], w: Weights) -> list[float]:
    """Each leader's probability of answering, its margins taken over the best of the others."""
    return [sigmoid(w.model.logit(features(signals, score, other)))
            for (_, signals, score), other in zip(leaders, _best_others(leaders), strict=True)]


def decide(q: Query, leaders: Sequence[tuple[Fact, Signals, float]], terms: list[TermMatch], *, limit: int,
           w: Weights | None = None) -> Ranking:
    w = w or weights()
    if not leaders:
        return Ranking([], q.slot.kind, terms, [], False, q, [], 0.0, "no fact shares a word with the question")
    probs = probabilities(leaders, w)
    unknown = unknown_share(terms) >= w.unknown
    names = tuple(t.term for t in terms)
    chosen = None
    considered = 0
    for i in range(0 if unknown else len(leaders)):
        if considered >= w.depth:
            break
        if leaders[i][1].aside and probs[i] < w.threshold:
            continue  # a disagreement the question does not ask about is a side-note: the next fact may answer
        considered += 1
        if gated(leaders[i][1], q, w) is None and probs[i] >= w.threshold:
            chosen = i
            break
    order = list(range(len(leaders)))
    if chosen is not None:
        order.remove(chosen)
        order.insert(0, chosen)
    cands = [Candidate(Match(leaders[i][0], leaders[i][2], leaders[i][1].coverage, names, round(probs[i], 2)),
                       leaders[i][1], probs[i]) for i in order]
    shown = [c.match for c in cands]
    if chosen is not None:
        return Ranking(shown[:limit], q.slot.kind, terms, shown[:limit], True, q, cands, probs[chosen], "answered")
    verdict = "no fact answers the question"
    why = gated(leaders[0][1], q, w)
    if unknown:
        verdict = "no fact answers the question (most of its weight is in words no fact has)"
    elif why == "slot" and probs[0] >= w.threshold:
        verdict = f"the documents do not say ({q.slot.describe()})"
    elif why == "specific":
        verdict = "no fact answers the question (the closest lacks a name, number or year it gives)"
    return Ranking([], q.slot.kind, terms, shown[:limit], False, q, cands, probs[0], verdict)


def slot_unfilled(ranking: Ranking) -> bool:
    return ranking.verdict.startswith("the documents do not say")


def confidence_of(first: Candidate, others: Sequence[Candidate], w: Weights | None = None) -> float:
    """The decision's probability for `first` were the `others` the rest of the leaders."""
    w = w or weights()
    rest = [(c.match.fact, c.signals, c.match.score) for c in others]
    leaders = [(first.match.fact, first.signals, first.match.score), *rest]
    return probabilities(leaders, w)[0]
