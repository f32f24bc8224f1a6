"""One calibrated decision: does the first fact answer the question?

Two small logistic models, their weights fitted on labelled questions by
tools/fit_decision.py and kept in decision.json (never set by hand):

- the candidate model turns a candidate's signals (rank.Signals) into the probability that
  it answers the question; candidates are ranked by it;
- the decision model turns the first candidate's log-odds and its margin over the
  runner-up into the confidence that the first answer is right; lmc answers when the
  confidence reaches the fitted threshold.

A fact about the right thing that lacks the slot asked (no figure of that measure, no
date, no place) is told apart: the same decision with the slot filled would have
answered, so the verdict is "the documents do not say", naming the closest fact.
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
FEATURES = ("lexical", "coverage", "name", "exact", "unnamed", "type_fit", "missing", "slot", "slot_lacking",
            "semantic", "question", "source", "score", "aside", "specific", "lead", "bar")
NO_RUNNER_UP = -6.0
  # a first fact that surely lacks the slot asked (no date, no place, no figure) is never the answer


@dataclass(frozen=True, slots=True)
class Model:
    bias: float
    weights: tuple[float, ...]

    def logit(self, values: Sequence[float]) -> float:
        return self.bias + sum(w * v for w, v in zip(self.weights, values, strict=True))


@dataclass(frozen=True, slots=True)
class Weights:
    candidate: Model
    decision: Model  # over (first log-odds, margin over the runner-up)
    threshold: float
    reorder: bool = False  # rank the leaders by the candidate model (else keep the lexical order)
    bar: bool = True  # only a leader that passes the coverage bar (Signals.bar) can be the answer
    gate: float = 0.0  # a first fact whose slot fill is below this is never the answer
    gate_specific: bool = False  # nor one that lacks a name, number, ordinal or year the question gives

    @property
    def uses_semantic(self) -> bool:
        return self.candidate.weights[FEATURES.index("semantic")] != 0.0


def features(signals: Signals, score: float, slot_asked: bool) -> tuple[float, ...]:
    """The candidate model's inputs, in FEATURES order."""
    return (
        signals.lexical, signals.coverage, signals.name, signals.exact, 1.0 - signals.named, signals.type_fit,
        signals.missing, signals.slot if slot_asked else 1.0,
        1.0 if slot_asked and signals.slot < 0.5 else 0.0,
        signals.semantic, signals.question, signals.source, math.log1p(max(score, 0.0)) / 5.0,
        signals.aside, signals.specific, signals.lead, signals.bar,
    )


def parse_weights(data: dict[str, object]) -> Weights:
    def model(raw: object, names: Sequence[str]) -> Model:
        if not isinstance(raw, dict):
            raise ValueError("a model must be a table")
        table = raw.get("weights", {})
        assert isinstance(table, dict)
        return Model(float(raw.get("bias", 0.0)), tuple(float(table.get(n, 0.0)) for n in names))

    return Weights(model(data.get("candidate"), FEATURES), model(data.get("decision"), ("first", "margin")),
                   float(data.get("threshold", 0.5)),  # type: ignore[arg-type]
                   bool(data.get("reorder", False)), bool(data.get("bar", True)),
                   float(data.get("gate", 0.0)), bool(data.get("gate_specific", False)))  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def weights() -> Weights:
    return parse_weights(json.loads(WEIGHTS_FILE.read_text(encoding="utf-8")))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def with_semantic(leaders: list[tuple[Fact, Signals, float]], q: Query, scorer: object) -> list[
        tuple[Fact, Signals, float]]:
    """The leaders with their semantic signal, from `scorer(question, facts) -> similarities`."""
    if not leaders or not callable(scorer):
        return leaders
    sims = scorer(q.text, [fact for fact, _, _ in leaders])
    return [(fact, replace(signals, semantic=float(sim)), score)
            for (fact, signals, score), sim in zip(leaders, sims, strict=True)]


_VECTORS: dict[tuple[str, str], bytes] = {}


def semantic_similarity(question: str, facts: Sequence[Fact]) -> list[float]:
    """Cosine of the question with each fact, from the static vector table (match/semantic.py);
    fact vectors are computed once per process."""
    from lmc_cli.match import semantic

    packed = []
    for fact in facts:
        key = (fact.pack, fact.id)
        vector = _VECTORS.get(key)
        if vector is None:
            vector = _VECTORS[key] = semantic.fact_vector(fact.title, fact.text, fact.aliases, fact.keywords,
                                                          fact.questions)
        packed.append(vector)
    return semantic.similarities_packed(question, packed)


def decide(q: Query, leaders: Sequence[tuple[Fact, Signals, float]], terms: list[TermMatch], *, limit: int,
           w: Weights | None = None) -> Ranking:
    w = w or weights()
    asked = q.slot.kind is not None
    scored = []
    for fact, signals, score in leaders:
        z = w.candidate.logit(features(signals, score, asked))
        scored.append((z, score, fact, signals))
    if w.reorder:
        scored.sort(key=lambda s: (-s[0], -s[1], s[2].id))
    if w.bar:
        scored.sort(key=lambda s: -s[3].bar)  # stable: the order within each group stays
    names = tuple(t.term for t in terms)
    if not scored:
        return Ranking([], q.slot.kind, terms, [], False, q, [], 0.0, "no fact shares a word with the question")
    z1 = scored[0][0]
    z2 = scored[1][0] if len(scored) > 1 else NO_RUNNER_UP
    confidence = sigmoid(w.decision.logit((z1, z1 - z2)))
    passes_bar = not w.bar or scored[0][3].bar == 1.0
    surely_lacks = (asked and scored[0][3].slot < w.gate) or (w.gate_specific and scored[0][3].specific == 1.0)
    answered = confidence >= w.threshold and passes_bar and not surely_lacks
    verdict = "answered"
    top_signals = scored[0][3]
    if not answered:
        verdict = "no fact answers the question"
        if asked and top_signals.slot < 0.5:
            filled = replace(top_signals, slot=1.0)
            z_filled = w.candidate.logit(features(filled, scored[0][1], asked))
            if sigmoid(w.decision.logit((z_filled, z_filled - z2))) >= w.threshold:
                verdict = f"the documents do not say ({q.slot.describe()})"
    cands = []
    for i, (z, score, fact, signals) in enumerate(scored):
        p = confidence if i == 0 else sigmoid(z)
        cands.append(Candidate(Match(fact, score, signals.coverage, names, round(p, 2)), signals, sigmoid(z)))
    shown = [c.match for c in cands]
    return Ranking(shown[:limit] if answered else [], q.slot.kind, terms, shown[:limit], answered, q, cands,
                   confidence, verdict)


def slot_unfilled(ranking: Ranking) -> bool:
    return ranking.verdict.startswith("the documents do not say")


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def confidence_of(first: Candidate, others: Sequence[Candidate], w: Weights | None = None) -> float:
    """The decision's confidence were `first` the answer and `others` the rest; 0 when the
    coverage bar (if the weights use it) rules `first` out."""
    w = w or weights()
    if w.bar and first.signals.bar != 1.0:
        return 0.0
    z1 = _logit(first.probability)
    z2 = max((_logit(c.probability) for c in others), default=NO_RUNNER_UP)
    return sigmoid(w.decision.logit((z1, z1 - z2)))
