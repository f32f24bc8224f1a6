"""Answers shaped by what the question wants, on top of one ranking.

- "which came first, A or B": A and B are looked up on their own; both facts are returned
  in date order and the verdict says which came first.
- "do the documents agree on X": the disagreement (a fact of the conflicts table) leads,
  followed by the facts it sets against each other (its `related` facts) that were found.
- "according to document N, X": where the documents disagree on the X found, and N takes a
  side, the disagreement leads: it says what N says, beside what the others say.
- "who wrote the analysis of X": the document is the one the facts about X cite (or the one
  the question names); its author, a person the facts call "author of document N", answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from lmc_cli.match import decide
from lmc_cli.match.query import Query, analyse
from lmc_cli.match.rank import BAR_COVERAGE, Candidate, Ranking, SearchIndex, rank
from lmc_cli.model import Document, Fact


def _date(fact: Fact) -> str:
    span = fact.span()
    return span[0] if span else ""


def which_came_first(index: SearchIndex, q: Query, whole: Ranking, documents: Iterable[Document], *,
                     tables: Sequence[str] | None, limit: int) -> Ranking:
    """Both things compared, in date order; `whole` (the question ranked as one) if either
    is not found or not dated."""
    docs = list(documents)
    found: list[Candidate] = []
    for part in q.parts:
        sub = rank(index, analyse(part, docs), tables=tables, limit=1)
        # A part names a thing, not a question: the decision's confidence decides, not the coverage bar.
        sure = sub.answered or sub.confidence >= decide.weights().threshold
        if not sure or not sub.leaders or not sub.leaders[0].match.fact.effective_date:
            return whole
        found.append(sub.leaders[0])
    if found[0].match.fact.id == found[1].match.fact.id:
        return whole
    ordered = sorted(found, key=lambda c: (_date(c.match.fact), c.match.fact.id))
    first, second = (c.match.fact for c in ordered)
    if _date(first) == _date(second):
        verdict = f"{first.title} and {second.title} are dated alike ({first.effective_date})"
    else:
        verdict = (f"{first.title} came first ({first.effective_date}), then {second.title} "
                   f"({second.effective_date})")
    confidence = min(c.probability if c.match.confidence is None else c.match.confidence for c in found)
    matches = [c.match for c in ordered]
    return replace(whole, matches=matches[:max(limit, 2)], answered=True, leaders=ordered + list(whole.leaders),
                   confidence=confidence, verdict=verdict)


def lead_with_disagreement(whole: Ranking, *, limit: int) -> Ranking:
    """The best disagreement found (one covering the question as the coverage bar asks) leads,
    then the facts it sets against each other."""
    conflicts = [c for c in whole.leaders if c.match.fact.table == "conflicts"]
    if not conflicts:
        return whole
    best = max(conflicts, key=lambda c: c.probability)
    others = [c for c in whole.leaders if c is not best]
    # The question asks about a disagreement: the best one competes with the other disagreements.
    # It is accepted when it passes the coverage bar: the disagreement is the answer asked for,
    # and the confidence shown says how sure that is.
    confidence = decide.confidence_of(best, [c for c in conflicts if c is not best])
    # The bar's names may be held by the disagreement's setting (the meeting its sides belong to).
    if best.signals.coverage < BAR_COVERAGE or best.signals.named != 1.0:
        return whole
    related = set(best.match.fact.related)
    sides = [c for c in others if c.match.fact.id in related][:2]
    rest = [c for c in others if c not in sides]
    ordered = [best, *sides, *rest]
    lead = best.match._replace(confidence=round(confidence, 2))
    matches = [lead, *(c.match for c in ordered[1:])]
    verdict = f"the documents disagree: {best.match.fact.title}"
    return replace(whole, matches=matches[:limit], candidates=matches[:limit], answered=True, leaders=ordered,
                   confidence=confidence, verdict=verdict)


# What a side must state to answer the slot asked: "established in 2015" a date, "about 50,000" a figure.
SIDE_STATES = {"date": re.compile(r"\b(?:1[89]|20)\d\d\b"), "figure": re.compile(r"\d")}


def _takes_side(conflict: Fact, labels: Sequence[str], slot: str | None) -> bool:
    """Whether the disagreement gives a named document's side, stating what the question asks."""
    states = SIDE_STATES.get(slot or "")
    return states is not None and any(c.label in labels and c.says and states.search(c.says)
                                      for c in conflict.sources)


def _named_side_agrees(fact: Fact, labels: Sequence[str], slot: str | None) -> bool:
    """Whether the named document's own citation of the fact states the fact's answer: its year
    for a date, its number for a figure (a fact dated 2016 citing "established in 2015" does not)."""
    if slot == "date" and fact.date:
        stated = fact.date[:4]
    elif slot == "figure" and isinstance(fact.value, int):
        stated = str(fact.value)
    else:
        return False
    return any(c.label in labels and stated in f"{c.says} {c.quote}".replace(",", "")
               for c in fact.sources)


def lead_with_named_side(whole: Ranking, q: Query, *, limit: int) -> Ranking:
    """An answer to "according to N" on a point the documents dispute, found in another document:
    the disagreement that gives N's side leads, then the answer."""
    if not whole.answered or not whole.leaders:
        return whole
    first = whole.leaders[0].match.fact
    if first.table == "conflicts" or _named_side_agrees(first, q.sources, q.slot.kind):
        return whole  # a disagreement already, or the answer found is what the named document says
    for candidate in whole.leaders[1:]:
        conflict = candidate.match.fact
        disputes = first.id in conflict.related or conflict.id in first.disputed_by
        if conflict.table == "conflicts" and disputes and _takes_side(conflict, q.sources, q.slot.kind):
            ordered = [candidate, *(c for c in whole.leaders if c is not candidate)]
            lead = candidate.match._replace(confidence=whole.leaders[0].match.confidence)
            matches = [lead, *(c.match for c in ordered[1:])]
            verdict = f"the documents disagree: {conflict.title}"
            return replace(whole, matches=matches[:limit], candidates=matches[:limit], leaders=ordered,
                           verdict=verdict)
    return whole


AUTHOR_ROLES = frozenset(("wrot", "writ", "writer", "author", "pen"))  # stems of "who wrote / who is the author of"


def author_of_document(index: SearchIndex, q: Query, whole: Ranking, *, limit: int) -> Ranking:
    """The author of the document a "who wrote ..." question describes, when the facts name one:
    the document the question names, else the one the leading fact cites first."""
    cited = [c.label for c in whole.leaders[0].match.fact.sources[:1]] if whole.leaders else []
    labels = list(q.sources) or cited
    for label in labels:
        wanted = f"author of document {label}"
        found = rank(index, analyse(wanted), tables=("people",), limit=1)
        for candidate in found.leaders[:3]:
            fact = candidate.match.fact
            if fact.table == "people" and wanted in (fact.role or "").casefold():
                lead = candidate.match._replace(confidence=round(max(whole.confidence, candidate.probability), 2))
                rest = [m for m in whole.matches if m.fact.id != fact.id]
                return replace(whole, matches=[lead, *rest][:limit], candidates=[lead, *rest][:limit], answered=True,
                               verdict=f"answered: the author of document {label}")
    return whole


def shape(index: SearchIndex, q: Query, whole: Ranking, documents: Iterable[Document], *,
          tables: Sequence[str] | None, limit: int) -> Ranking:
    if q.slot.kind == "person" and q.slot.role in AUTHOR_ROLES and tables in (None, ("people",)):
        authored = author_of_document(index, q, whole, limit=limit)
        if authored is not whole:
            return authored
    if q.intent == "first" and len(q.parts) == 2:
        return which_came_first(index, q, whole, documents, tables=tables, limit=limit)
    if q.intent == "agree":
        return lead_with_disagreement(whole, limit=limit)
    if q.sources:
        return lead_with_named_side(whole, q, limit=limit)
    return whole
