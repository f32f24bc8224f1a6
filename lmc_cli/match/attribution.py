"""Questions that name their source: "according to document 001, ...", "in the WNAM report".

Where documents disagree, the source a question names decides the answer, so the phrase
is taken out of the question (it says who, not what) and facts citing that document are
preferred.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from lmc_cli.match.text import stem, tokenize
from lmc_cli.model import Document, Match

GENERIC_WORDS = """the a an of on by in about article piece document doc story text source report
reporting commentary analysis account news according to"""
GENERIC = frozenset(stem(w) for w in GENERIC_WORDS.split())
KINDS = {stem("commentary"): "commentary", stem("analysis"): "analysis", stem("report"): "report"}
QUESTION_WORD = r"(?:how|what|when|where|who|whom|which|why|did|does|do|is|was|were|are)"
LEAD = re.compile(r"\b(?:according to|as (?:stated|reported|said|written) (?:in|by)|reported by)\s+", re.IGNORECASE)
REF_WORDS = re.compile(rf"(?:(?!{QUESTION_WORD}\b)[^\s,?;:!.]+\s*){{1,7}}", re.IGNORECASE)
NAMED_PIECE = re.compile(
    rf"\bin (?:the )?(?P<ref>(?:(?!{QUESTION_WORD}\b)[^\s,?;:!.]+ ){{0,5}}"
    r"(?:article|report|commentary|analysis|piece|story)|doc(?:ument)?\s*#?\d{1,3})\b",
    re.IGNORECASE,
)
# A document named by its title in quotes ("in the article 'A New Era of Cooperation: ...'"), with
# the words that lead to it; a quote opens after a space and closes before one ("Asia's" is inside).
QUOTED_TITLE = re.compile(
    r"(?:\b(?:in|from|by)\s+)?(?:(?:the|that|this)\s+)?(?:(?:article|report|commentary|analysis|piece|story|op-ed)"
    r"\s+(?:titled\s+|called\s+|headlined\s+)?)?"
    r"(?:(?<=\s)|^)['\"‘“](?P<ref>[^\"“”]{8,}?)['\"’”](?=[\s,.?;:!)]|$)"
    r"(?:\s+(?:article|report|commentary|analysis|piece|story|op-ed)\b)?",
    re.IGNORECASE,
)
DOC_NUMBER = re.compile(r"\bdoc(?:ument)?\s*#?(\d{1,3})\b", re.IGNORECASE)
PREFERENCE = 1.3


def document_words(doc: Document) -> set[str]:
    parts = (doc.title, doc.author, doc.translator, doc.outlet, doc.affiliation, doc.note)
    return {stem(t) for t in tokenize(" ".join(p for p in parts if p))} - GENERIC


def resolve(ref: str, documents: Iterable[Document]) -> list[str]:
    """The labels of the documents a reference means; empty when it names none clearly."""
    docs = list(documents)
    number = DOC_NUMBER.search(ref) or re.fullmatch(r"\s*(\d{1,3})\s*", ref)
    if number:
        wanted = int(number.group(1))
        return [d.label for d in docs if d.id.isdigit() and int(d.id) == wanted]
    words = [stem(t) for t in tokenize(ref)]
    distinctive = set(words) - GENERIC
    kinds = {KINDS[w] for w in words if w in KINDS}
    scores = {}
    for doc in docs:
        score = 2 * len(distinctive & document_words(doc)) + (1 if doc.kind in kinds else 0)
        if score:
            scores[doc.label] = score
    if not scores or not distinctive & set().union(*(document_words(d) for d in docs)) and not kinds:
        return []
    best = max(scores.values())
    return [label for label, score in scores.items() if score == best]


def references(query: str) -> list[tuple[int, int, str]]:
    """Spans of the query that name a source, with the words that name it."""
    spans = [(m.start(), m.end(), m.group("ref")) for m in QUOTED_TITLE.finditer(query)]
    for lead in LEAD.finditer(query):
        words = REF_WORDS.match(query, lead.end())
        if words:
            spans.append((lead.start(), words.end(), words.group().strip()))
    spans += [(m.start(), m.end(), m.group("ref")) for m in NAMED_PIECE.finditer(query)]
    spans += [(m.start(), m.end(), m.group()) for m in DOC_NUMBER.finditer(query)]
    return spans


def split(query: str, documents: Iterable[Document]) -> tuple[str, list[str]]:
    """The question without its source phrase, and the documents that phrase names."""
    docs = list(documents)
    for start, end, ref in references(query):
        labels = resolve(ref, docs)
        if labels:
            rest = (query[:start] + " " + query[end:]).strip(" ,")
            return " ".join(rest.split()), labels
    return query, []


def prefer(matches: Sequence[Match], labels: Sequence[str]) -> list[Match]:
    """Re-rank so that facts citing the named documents come first, other things equal; the
    larger the share of a fact's citations from those documents, the stronger the preference."""
    wanted = set(labels)
    boosted = []
    for match in matches:
        cited = [c.label for c in match.fact.sources]
        share = sum(label in wanted for label in cited) / len(cited)
        boosted.append(replace(match, score=match.score * (1 + (PREFERENCE - 1) * share)) if share else match)
    return sorted(boosted, key=lambda m: (-m.score, -m.coverage, m.fact.id))
