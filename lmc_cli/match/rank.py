"""Ranking facts against a query: pure, deterministic, no printing.

A query is reduced to content terms (folded, stemmed, synonyms expanded, number words
as digits). Each term is weighted by how rare it is in the corpus (IDF), found in each
fact's fields (title and aliases count most, quotes least), and forgiven typos through
rapidfuzz. A fact must cover enough of the query's weight to count as an answer: that is
what lets lmc say "no fact answers that" instead of guessing.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from lmc_cli.match.text import CJK, fold, stem, tokenize
from lmc_cli.model import Fact, Match

FIELD_WEIGHTS = {"title": 3.0, "aliases": 3.0, "keywords": 2.2, "text": 1.6, "fields": 1.3, "quotes": 1.0}
MAX_FIELD_WEIGHT = 3.0
MIN_COVERAGE = 0.6
RERANK_DEPTH = 50
# Exact words, synonyms and inflections count fully towards coverage; fuzzy (typo) matches,
# which can also be a different word, count for less.
SURE_MATCH = 0.85
# "Who is X?" asks who someone is: a person or a body, not a meeting they attended.
IDENTITY_TABLES = frozenset({"people", "organizations"})
SYNONYM_QUALITY = 0.9  # a name is only answered by itself or a true synonym, not a prefix
UNSURE_CREDIT = 0.75
SUGGESTION_LIMIT = 3

STOPWORD_TEXT = """
want wants wanted see sees seen saw supposed often one
happen happens happened happening occur occurs occurred
against between among amongst within across through throughout during via per toward towards upon along
mention mentioned mentions describe described describes article articles document documents text piece
a an the of in on at to for by with from into onto about as and or nor but if than then
is are was were be been being am do does did done doing has have had having can could
will would shall should may might must what which who whom whose when where why how many
much that this these those it its their theirs there here they them he she his her him
we our us you your i me my mine any some all each every other such own same so too very
just also only not no yes up out over under again further once tell show give list name
find please know let get got make made say said says according whats
whos ever there's it's lmc's s t
"""
STOPWORDS = frozenset(STOPWORD_TEXT.split())

PHRASES = [
    (re.compile(r"\b(?:take|takes|took|taken|taking) place\b"), " "),
    (re.compile(r"\bwhat (?:kind|kinds|type|types|sort|sorts) of\b"), "what"),
    (re.compile(r"\bhand(?:ed|ing|s)? over\b"), "handover"),
    (re.compile(r"\bper cent\b|%"), " percent "),
    (re.compile(r"\bfms?\b|\bfmm\b"), "foreign ministers"),
    (re.compile(r"\bkilomet(?:re|er)s?\b"), "km"),
    (re.compile(r"\bcentre\b"), "center"),
    (re.compile(r"\borganisation"), "organization"),
    (re.compile(r"\brail ?roads?\b"), "railway"),
    (re.compile(r"\bcrystal meth\b"), "methamphetamine"),
    (re.compile(r"\bus dollars?\b|\$"), " usd "),
    (re.compile(r"\bmekong[- ]lancang\b"), "lancang-mekong"),
    (re.compile(r"\bcross[- ]border\b"), "crossborder border"),
]

SYNONYM_GROUPS = [
    "arrest detain apprehend nab caught",
    "repatriate return handover extradite deport",
    "meth methamphetamine ice",
    "railway rail",
    "ringleader leader boss kingpin",
    "launch establish found inaugurate start begin",
    "attack bombing bomb blast",
    "fund financing finance credit loan",
    "scam fraud swindle",
    "gambling betting casino",
    "hydropower hydroelectric",
    "meeting summit conference talks discussion gathering",
    "country nation state",
    "drug narcotic",
    "agree consensus pledge commit",
    "propose proposal initiative suggest",
    "secretariat coordination",
    "translate translator translation",
    "author writer wrote write",
    "percent share proportion percentage",
    "usd dollar",
    "prerequisite precondition",
    "center centre",
    "organization body agency",
    "china chinese",
    "thailand thai",
    "laos lao laotian",
    "myanmar burma burmese",
    "cambodia cambodian",
    "vietnam vietnamese",
    "long length",
    "kill dead death",
    "grow growth rise increase rose",
    "cybercrime internet online cyber",
    "police policing",
    "train training trainee",
    "people person individual",
    "suspect criminal",
    "official officially formal formally",
    "pretense pretence pretext disguise guise",
    "fight combat tackle counter crackdown",
    "crossborder transnational",
]


def _build_synonyms() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in SYNONYM_GROUPS:
        stems = {stem(w) for w in group.split()}
        for s in stems:
            table.setdefault(s, set()).update(stems)
    return {k: frozenset(v) for k, v in table.items()}


SYNONYMS = _build_synonyms()

QUESTION_TYPES = [
    ("figure", re.compile(
        r"\bhow (many|much|long|large|big|far|high|fast)\b|\bwhat (share|percentage|percent|proportion|"
        r"number|amount|figure|value|total|sum)\b|\bnumber of\b|\bhow many\b|多少|几个")),
    ("date", re.compile(r"\bwhen\b|\b(what|which) (year|date|month|day)\b|\bin what year\b|\bsince when\b|"
                        r"什么时候|何时|哪一?年|哪天")),
    ("meeting", re.compile(r"\b(which|what) (meeting|summit|conference|gathering|talks)\b")),
    ("place", re.compile(r"\bwhere\b|\b(which|what) (city|country|countries|place|province|town)\b|"
                         r"哪里|哪儿|何处|在哪")),
    ("identity", re.compile(r"^\s*who (is|was|are|were)\b")),
    ("person", re.compile(r"谁|\bwho\b|\bwhose\b|\b(which|what) (professor|minister|person|official|author|expert|"
                          r"agency|news \w+|newspaper|outlet|media|scholar|researcher)\b")),
    ("definition", re.compile(r"^\s*(what|which) (is|are|was|were) (the |an? )?\w|^\s*(list|name|enumerate)\b")),
]

# Words that only frame a question of a given type ("what year", "how many"): the type
# carries them, so they are not searched for.
FRAME_WORDS = {
    kind: frozenset(stem(w) for w in words.split())
    for kind, words in {
        "date": "day date year month time",
        "figure": "number amount figure total count",
        "person": "person people",
        "identity": "person people",
    }.items()
}



def canonical(text: str) -> str:
    folded = fold(text)
    for pattern, replacement in PHRASES:
        folded = pattern.sub(replacement, folded)
    return folded


def terms_of(text: str) -> list[str]:
    """The stems of the content words in a text, in order."""
    return [stem(t) for t in tokenize(canonical(text)) if t not in STOPWORDS]


WH_WORD = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", re.IGNORECASE)
CLAUSE_BREAK = re.compile(
    r"[.!?:;]+\s+|,\s+(?=(?:and\s+)?(?:what|which|who|whom|whose|when|where|why|how|could|can|would|please)\b)",
    re.IGNORECASE,
)


def focus(question: str) -> str:
    """The clauses of a chatty question that ask something ("I'm a student. When is ...?"):
    when some clause has a question word, the clauses without one are context, not content."""
    clauses = [c for c in CLAUSE_BREAK.split(question) if c.strip()]
    asking = [c for c in clauses if WH_WORD.search(c)]
    if asking and len(asking) < len(clauses):
        return " ".join(asking)
    return question


def question_type(question: str) -> str | None:
    """The kind of answer a question wants, from its earliest question phrase."""
    folded = fold(question)
    found = [(m.start(), order, name) for order, (name, pattern) in enumerate(QUESTION_TYPES)
             if (m := pattern.search(folded))]
    return min(found)[2] if found else None


MENTIONS_TIME = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"\d{4}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


class FactKind(NamedTuple):
    """What type_weight needs of a fact: an index can keep these without keeping the fact."""

    id: str
    table: str
    has_value: bool
    dated: bool
    mentions_time: bool
    has_place: bool
    has_role: bool


def fact_kind(fact: Fact) -> FactKind:
    return FactKind(
        fact.id, fact.table, fact.value is not None, fact.effective_date is not None,
        MENTIONS_TIME.search(fact.text) is not None, bool(fact.place), bool(fact.role or fact.speaker),
    )


def type_weight(fact: Fact | FactKind, kind: str | None) -> float:
    """How well a fact's kind suits the kind of question: above 1 favours, below 1 demotes."""
    meta = fact if isinstance(fact, FactKind) else fact_kind(fact)
    if kind == "figure":
        return 1.3 if meta.table == "stats" else 1.2 if meta.has_value else 0.85
    if kind == "date":
        if not meta.dated:
            return 1.0 if meta.mentions_time else 0.85
        return 1.3 if meta.table in ("events", "meetings") else 1.2
    if kind == "meeting":
        return 1.3 if meta.table == "meetings" else 0.85
    if kind == "place":
        return 1.3 if meta.table == "places" else 1.2 if meta.has_place else 0.9
    if kind in ("person", "identity"):
        if meta.table == "people":
            return 1.3
        return 1.15 if meta.table == "organizations" or meta.has_role else 0.9
    if kind == "definition":
        return 1.2 if meta.table in ("organizations", "places", "threats", "people") else 1.0
    return 1.0


def fact_fields(fact: Fact) -> dict[str, Iterable[str]]:
    structured = [fact.table, fact.place, fact.measure, fact.unit, fact.qualifier, fact.role, fact.level]
    if fact.value is not None:
        structured.append(str(int(fact.value)) if float(fact.value).is_integer() else str(fact.value))
    if fact.ordinal is not None:
        structured.append(f"{fact.ordinal}th")
    for date in (fact.effective_date, fact.date_end):
        if date:
            structured.append(date[:4])
    return {
        "title": [fact.title],
        "aliases": fact.aliases,
        "keywords": fact.keywords,
        "text": [fact.text],
        "fields": [s for s in (*structured, *fact.participants, *fact.outcomes) if s],
        "quotes": [c.quote for c in fact.sources] + [c.says for c in fact.sources if c.says],
    }


# Marks the words of places and parties (a fact's `place` and `participants`) in the index:
# "@cambodia" says some fact names Cambodia as a place or party. Tokens never contain "@".
NAME_MARK = "@"


def fact_terms(fact: Fact) -> dict[str, float]:
    """Every stem a fact contains, with the weight of the best field it occurs in."""
    weights: dict[str, float] = {}
    for name, texts in fact_fields(fact).items():
        weight = FIELD_WEIGHTS[name]
        for text in texts:
            for term in terms_of(text):
                if weights.get(term, 0.0) < weight:
                    weights[term] = weight
    for name in (fact.place, *fact.participants):
        for term in terms_of(name or ""):
            weights[NAME_MARK + term] = 0.0
    return weights


class IndexUnreadable(Exception):
    """A SearchIndex whose storage failed mid-search: search again in memory."""


class SearchIndex(Protocol):
    """What rank() reads of an index. Positions number the indexed facts in corpus order;
    `Index` holds everything in memory, `lmc_cli.match.indexdb.DbIndex` reads a SQLite cache."""

    @property
    def size(self) -> int: ...  # how many facts are indexed

    @property
    def vocabulary(self) -> Sequence[str]: ...  # every term, sorted

    @property
    def cjk_vocabulary(self) -> Sequence[str]: ...  # the terms that start with a CJK character

    def __contains__(self, term: object) -> bool: ...

    def postings_for(self, term: str) -> Sequence[tuple[int, float]]: ...  # (position, weight), by position

    def idf(self, term: str) -> float: ...

    def vocabulary_from(self, term: str, count: int) -> Sequence[str]: ...  # the next terms >= term

    def meta(self, position: int) -> FactKind: ...

    def fact(self, position: int) -> Fact: ...


def idf_of(df: int, size: int) -> float:
    return math.log(1.0 + size / (df or 0.5))


@dataclass
class Index:
    """The in-memory index: every fact and every posting."""

    facts: list[Fact]
    postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)
    cjk_vocabulary: list[str] = field(default_factory=list)
    _kinds: dict[int, FactKind] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, facts: Sequence[Fact]) -> Index:
        return cls.from_terms(facts, [fact_terms(fact) for fact in facts])

    @classmethod
    def from_terms(cls, facts: Sequence[Fact], terms: Sequence[dict[str, float]]) -> Index:
        """The index of facts whose `fact_terms` are known (e.g. cached): the same as build()."""
        index = cls(list(facts))
        for position, weights in enumerate(terms):
            for term, weight in weights.items():
                index.postings.setdefault(term, []).append((position, weight))
        index.vocabulary = sorted(index.postings)
        index.cjk_vocabulary = [t for t in index.vocabulary if CJK.match(t)]
        return index

    @property
    def size(self) -> int:
        return len(self.facts)

    def __contains__(self, term: object) -> bool:
        return term in self.postings

    def postings_for(self, term: str) -> Sequence[tuple[int, float]]:
        return self.postings.get(term, ())

    def idf(self, term: str) -> float:
        return idf_of(len(self.postings.get(term, ())), len(self.facts))

    def vocabulary_from(self, term: str, count: int) -> Sequence[str]:
        start = bisect.bisect_left(self.vocabulary, term)
        return self.vocabulary[start : start + count]

    def meta(self, position: int) -> FactKind:
        found = self._kinds.get(position)
        if found is None:
            found = self._kinds[position] = fact_kind(self.facts[position])
        return found

    def fact(self, position: int) -> Fact:
        return self.facts[position]


@dataclass(frozen=True)
class TermMatch:
    """How one query term was found: the corpus stems it stands for, each with a quality."""

    term: str
    weight: float
    variants: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Ranking:
    """The outcome of a search, with what the explanation needs."""

    matches: list[Match]
    kind: str | None
    terms: list[TermMatch]
    candidates: list[Match]
    answered: bool


def expand_term(index: SearchIndex, term: str) -> TermMatch:
    variants: dict[str, float] = {}
    known = term in index
    if known:
        variants[term] = 1.0
    for alternative in sorted(SYNONYMS.get(term, ())):
        if alternative != term and alternative in index:
            variants.setdefault(alternative, SYNONYM_QUALITY)
    if CJK.match(term):
        for word in index.cjk_vocabulary:
            if word != term and len(min(word, term, key=len)) >= 2 and (word in term or term in word):
                variants.setdefault(word, 0.9)
    elif not known and len(term) >= 4 and not term[0].isdigit():
        for scorer in (fuzz.ratio, OSA.normalized_similarity):
            cutoff = 80 if scorer is fuzz.ratio else 0.8
            for word, similarity, _ in process.extract(
                term, index.vocabulary, scorer=scorer, limit=3, score_cutoff=cutoff
            ):
                quality = 0.9 * (similarity / 100 if scorer is fuzz.ratio else similarity)
                if word[0].isalpha() and quality > variants.get(word, 0.0):
                    variants[word] = quality
    if len(term) >= 5 and not term[0].isdigit():
        for word in _prefix_neighbours(index, term):
            variants.setdefault(word, 0.85)
    weight = max(index.idf(v) for v in variants) if variants and not known else index.idf(term)
    return TermMatch(term, weight, tuple(sorted(variants.items(), key=lambda kv: -kv[1])))


def _prefix_neighbours(index: SearchIndex, term: str) -> list[str]:
    found = []
    for word in index.vocabulary_from(term, 8):
        if word.startswith(term) and word != term and len(word) - len(term) <= 4:
            found.append(word)
    for cut in range(len(term) - 1, max(4, len(term) - 4) - 1, -1):
        prefix = term[:cut]
        if prefix in index:
            found.append(prefix)
            break
    return found


def rank(
    index: SearchIndex,
    query: str,
    *,
    tables: Iterable[str] | None = None,
    kind: str | None = None,
    limit: int = 10,
    min_coverage: float = MIN_COVERAGE,
) -> Ranking:
    """Rank facts for a query; `answered` is False when no fact covers enough of it."""
    query = focus(query)
    kind = kind if kind is not None else question_type(query)
    wanted = set(tables) if tables else None
    frame = FRAME_WORDS.get(kind or "", frozenset())
    terms = [t for t in dict.fromkeys(terms_of(query)) if t not in frame] or list(dict.fromkeys(terms_of(query)))
    matches = [expand_term(index, t) for t in terms]
    total = sum(m.weight for m in matches)
    if not matches or total <= 0:
        return Ranking([], kind, matches, [], False)
    gained: dict[int, float] = {}
    covered: dict[int, float] = {}
    named = [m for m in matches if len(matches) > 1 and NAME_MARK + m.term in index]
    naming: dict[str, set[int]] = {}
    for term in matches:
        best_gain: dict[int, float] = {}
        best_cover: dict[int, float] = {}
        for variant, quality in term.variants:
            for position, weight in index.postings_for(variant):
                if quality * weight > best_gain.get(position, 0.0):
                    best_gain[position] = quality * weight
                credit = quality if quality >= SURE_MATCH else quality * UNSURE_CREDIT
                if credit > best_cover.get(position, 0.0):
                    best_cover[position] = credit
        if term in named:
            naming[term.term] = {p for p, credit in best_cover.items() if credit >= SYNONYM_QUALITY}
        for position, gain in best_gain.items():
            gained[position] = gained.get(position, 0.0) + term.weight * gain
            covered[position] = covered.get(position, 0.0) + term.weight * best_cover[position]
    words = [t for t in tokenize(canonical(query)) if t not in STOPWORDS]
    phrase = " ".join(words)
    # (score, coverage, position, kind): facts are built only for the leaders and those returned.
    scored: list[tuple[float, float, int, FactKind]] = []
    for position, gain in gained.items():
        meta = index.meta(position)
        if wanted is not None and meta.table not in wanted:
            continue
        coverage = covered[position] / total
        score = 100.0 * gain / (total * MAX_FIELD_WEIGHT)
        score *= type_weight(meta, kind) * coverage * coverage
        scored.append((score, coverage, position, meta))
    scored.sort(key=lambda s: -s[0])
    # Name closeness and exact word forms only reorder the leaders: cheap, and enough.
    leaders = [(s[0] + _bonus(index.fact(s[2]), phrase, words, index), *s[1:]) for s in scored[:RERANK_DEPTH]]
    scored[:RERANK_DEPTH] = leaders
    scored.sort(key=lambda s: (-s[0], -s[1], s[3].id))
    # A question that names a place or party (Cambodia, Chiang Mai, Wang Yi) is answered
    # only by a fact that names it too: "arrests in Cambodia" is not "arrests by four others".
    answers = [s for s in scored if s[1] >= min_coverage and all(s[2] in naming[t.term] for t in named)
               and (kind != "identity" or s[3].table in IDENTITY_TABLES)]
    names = tuple(t.term for t in matches)

    def match(s: tuple[float, float, int, FactKind]) -> Match:
        return Match(index.fact(s[2]), s[0], s[1], names)

    return Ranking([match(s) for s in answers[:limit]], kind, matches, [match(s) for s in scored[:limit]],
                   bool(answers))


def _bonus(fact: Fact, phrase: str, words: list[str], index: SearchIndex) -> float:
    """The bonuses that need the fact's names: closeness to the query, and word forms
    (a plural asked, a plural named) that stemming had merged."""
    bonus = 10.0 * _name_closeness(phrase, fact)
    if words:
        named = set(tokenize(canonical(" ".join((fact.title, *fact.aliases)))))
        weights = [index.idf(stem(w)) for w in words]
        exact = sum(w for word, w in zip(words, weights, strict=True) if word in named)
        bonus += 5.0 * exact / (sum(weights) or 1.0)
    return bonus


def _name_closeness(phrase: str, fact: Fact) -> float:
    """1.0 when the query is the fact's name or an alias, tapering with distance."""
    if not phrase:
        return 0.0
    best = 0.0
    for name in (fact.title, *fact.aliases):
        candidate = " ".join(t for t in tokenize(canonical(name)) if t not in STOPWORDS)
        best = max(best, fuzz.ratio(phrase, candidate) / 100.0)
    return max(0.0, (best - 0.7) / 0.3)


def suggestions(ranking: Ranking, limit: int = SUGGESTION_LIMIT) -> tuple[str, ...]:
    return tuple(f"{m.fact.id} ({m.fact.title})" for m in ranking.candidates[:limit])


def explain(ranking: Ranking) -> list[str]:
    """Lines saying how the answer was chosen, for --explain."""
    lines = [f"question type: {ranking.kind or 'any'}"]
    for term in ranking.terms:
        found = ", ".join(f"{v}:{q:.2f}" for v, q in term.variants) or "not in the corpus"
        lines.append(f"term {term.term!r} (weight {term.weight:.2f}): {found}")
    for match in ranking.candidates[:5]:
        lines.append(f"candidate {match.fact.id}: score {match.score:.1f}, coverage {match.coverage:.2f}")
    lines.append("answered" if ranking.answered else f"no fact covers {MIN_COVERAGE:.0%} of the question")
    return lines
