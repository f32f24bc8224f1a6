"""Retrieval: facts ranked against an analysed question, with the signals the decision reads.

The question's content terms (see `query.analyse`) are weighted by how rare they are in the
corpus (IDF), found in each fact's fields (title, aliases and questions count most, quotes
least; a BM25-style fielded weighting) and forgiven typos through rapidfuzz. The leading
candidates then get the rest of their signals (slot fit, name closeness, the rarest term
they lack, semantic similarity where available) and `decide` turns those into one
calibrated probability: that is what lets lmc say "no fact answers that" instead of guessing.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from lmc_cli.match import places
from lmc_cli.match.indexbase import MENTIONS_TIME, FactKind, IndexUnreadable, fact_kind, idf_of
from lmc_cli.match.lexicon import lexicon
from lmc_cli.match.query import Query, analyse, canonical, focus, slot_kind, terms_of
from lmc_cli.match.text import CJK, NUMBER_WORDS, ORDINAL_WORDS, THOUSANDS, TOKEN, fold, stem, tokenize
from lmc_cli.model import Fact, Match

__all__ = ["MENTIONS_TIME", "IndexUnreadable", "canonical", "fact_kind", "focus", "idf_of", "terms_of"]

FIELD_WEIGHTS = {"title": 3.0, "aliases": 3.0, "questions": 2.2, "keywords": 2.2, "text": 1.6, "fields": 1.3,
                 "quotes": 1.0}
MAX_FIELD_WEIGHT = 3.0
RERANK_DEPTH = 30
# Exact words, synonyms and inflections count fully towards coverage; fuzzy (typo) matches,
# which can also be a different word, count for less.
SURE_MATCH = 0.85
BAR_COVERAGE = 0.6  # the coverage bar: the share of the question's weight a fact must cover
SYNONYM_QUALITY = 0.9  # a name is only answered by itself or a true synonym, not a prefix
UNSURE_CREDIT = 0.75
# The weight of a word from a context clause about the matter ("The op-ed quoting Li Haidong
# speculates about a security partner ... Which country?"), as a share of its own weight. Tried
# on the sets trained on: 0.3, 0.5 and 1.0 each answered 8-10 more and lost 2-3; 0.3 lost fewest.
CONTEXT_SHARE = 0.3
SUGGESTION_LIMIT = 3


def question_type(question: str) -> str | None:
    """The kind of answer a question wants, from its earliest question phrase."""
    return slot_kind(canonical(focus(question)))


TYPE_WEIGHT_RANGE = (0.85, 1.3)  # the least and the most type_weight gives


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
        "questions": getattr(fact, "questions", ()),
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
    for named in (fact.place, *fact.participants):
        for term in terms_of(named or ""):
            weights[NAME_MARK + term] = 0.0
    return weights


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

    def find(self, fact_id: str) -> Fact | None: ...  # the indexed fact with this id, if any


@dataclass
class Index:
    """The in-memory index: every fact and every posting."""

    facts: list[Fact]
    postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)
    cjk_vocabulary: list[str] = field(default_factory=list)
    _kinds: dict[int, FactKind] = field(default_factory=dict, repr=False, compare=False)
    _where_id: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

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

    def find(self, fact_id: str) -> Fact | None:
        if not self._where_id:
            self._where_id.update((fact.id, position) for position, fact in enumerate(self.facts))
        position = self._where_id.get(fact_id)
        return None if position is None else self.facts[position]


@dataclass(frozen=True)
class TermMatch:
    """How one query term was found: the corpus stems it stands for, each with a quality."""

    term: str
    weight: float
    variants: tuple[tuple[str, float], ...]
    context: bool = False  # from a context clause: it ranks, but no gate asks a fact to hold it


@dataclass(frozen=True, slots=True)
class Signals:
    """What the decision reads of one candidate (each about 0..1)."""

    lexical: float  # the fielded term weight the fact gains, over the most it could
    coverage: float  # the share of the question's weight the fact contains
    name: float  # how close the question is to the fact's title or an alias
    exact: float  # the share of the question's weight found as exact words of its names
    named: float  # 1 when the fact names every place and party the question names
    type_fit: float  # how well the fact's table and fields suit the slot (-0.15..0.3)
    missing: float  # the rarest question term the fact lacks, as a share of the rarest possible
    slot: float  # how well the fact fills the slot asked (see slots.fill)
    semantic: float  # cosine similarity of question and fact, where a model is available
    question: float  # closeness of the question to one the fact says it answers
    q2q: float  # the share of the question's weight found in the single closest of the fact's questions
    semantic_q: float  # cosine similarity of the question with the closest of the fact's questions
    known_coverage: float  # coverage counting only the question's words the corpus has at all
    chinese: float  # 1 when the question is written in Chinese, wholly or in part (its signals run otherwise)
    source: float  # the share of the fact's citations from the documents the question names
    aside: float  # 1 for a fact about a disagreement when the question does not ask about one
    specific: float  # 1 when the fact lacks a name, number, ordinal or year the question gives
    lead: float  # 1 / (1 + the fact's place in the lexical order): 1 for the lexical leader
    bar: float  # 1 when the fact covers 60% of the question's weight and names what it names (the old rule)

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class Candidate:
    match: Match
    signals: Signals
    probability: float  # that this fact answers the question (decide.candidate_probability)


@dataclass(frozen=True)
class Ranking:
    """The outcome of a search, with what the explanation needs."""

    matches: list[Match]
    kind: str | None
    terms: list[TermMatch]
    candidates: list[Match]
    answered: bool
    query: Query | None = None
    leaders: list[Candidate] = field(default_factory=list)
    confidence: float = 0.0  # how sure the decision is that the first fact answers
    verdict: str = ""  # answered, or why not (no fact, the slot is not filled)


NUMBER_FORMS = {**{w: str(n) for w, n in NUMBER_WORDS.items()}, **{w: f"{n}th" for w, n in ORDINAL_WORDS.items()}}


def expand_term(index: SearchIndex, term: str) -> TermMatch:
    variants: dict[str, float] = {}
    number_quality = 0.0  # how close a misspelt number word ("fith") is to its number
    known = term in index
    if known:
        variants[term] = 1.0
    for alternative in sorted(lexicon().synonyms.get(term, ())):
        if alternative != term and alternative in index:
            variants.setdefault(alternative, SYNONYM_QUALITY)
    if CJK.match(term):
        pass  # Chinese is matched as character pairs, exactly
    elif not known and len(term) >= 4 and not term[0].isdigit():
        for scorer in (fuzz.ratio, OSA.normalized_similarity):
            cutoff = 80 if scorer is fuzz.ratio else 0.8
            for word, similarity, _ in process.extract(
                term, index.vocabulary, scorer=scorer, limit=3, score_cutoff=cutoff
            ):
                quality = 0.9 * (similarity / 100 if scorer is fuzz.ratio else similarity)
                if word[0].isalpha() and quality > variants.get(word, 0.0):
                    variants[word] = quality
        # A misspelt number word ("frist", "secnod", "fourty") stands for the digits the
        # documents' words become ("1th", "40"): the vocabulary holds those, not the word.
        for scorer in (fuzz.ratio, OSA.normalized_similarity):
            cutoff = 80 if scorer is fuzz.ratio else 0.8
            for word, similarity, _ in process.extract(term, list(NUMBER_FORMS), scorer=scorer, limit=1,
                                                        score_cutoff=cutoff):
                quality = 0.9 * (similarity / 100 if scorer is fuzz.ratio else similarity)
                digits = NUMBER_FORMS[word]
                if digits in index and quality > variants.get(digits, 0.0):
                    variants[digits] = quality
                    number_quality = quality
    if len(term) >= 5 and not term[0].isdigit() and not CJK.match(term):
        for word in _prefix_neighbours(index, term):
            variants.setdefault(word, 0.85)
    weight = max(index.idf(v) for v in variants) if variants and not known else index.idf(term)
    if (not known and all(q < SURE_MATCH for q in variants.values())
            and _misspelt_stopword(term) > max(number_quality, 0.0)):
        weight = 0.0  # "wher", "whihc": a question word misspelt says nothing of which fact
    return TermMatch(term, weight, tuple(sorted(variants.items(), key=lambda kv: -kv[1])))


def _misspelt_stopword(term: str) -> float:
    """How close a word no fact has is to a stop word of four letters or more one edit away
    (0 when none is), on the scale of the variants' qualities."""
    if not term.isalpha() or len(term) < 3:
        return 0.0
    if process.extractOne(term, _long_stopwords(), scorer=OSA.distance, score_cutoff=1) is None:
        return 0.0
    best = process.extractOne(term, _long_stopwords(), scorer=fuzz.ratio)
    return 0.9 * best[1] / 100 if best else 0.0


@lru_cache(maxsize=1)
def _long_stopwords() -> tuple[str, ...]:
    return tuple(sorted(w for w in lexicon().stopwords if len(w) >= 4 and w.isalpha()))


def joined_words(index: SearchIndex, terms: list[TermMatch]) -> list[TermMatch]:
    """Two neighbouring words that no fact has, even misspelt, read as one when joined they are
    a word of the corpus (exactly or misspelt): "Xishuang Banna", "Li Hai-dong", "lan tsang"."""
    out: list[TermMatch] = []
    for term in terms:
        last = out[-1] if out else None
        if (last is not None and not last.variants and not term.variants and not CJK.match(term.term)
                and not CJK.match(last.term) and not last.term[:1].isdigit() and not term.term[:1].isdigit()):
            joined = expand_term(index, last.term + term.term)
            if joined.variants:
                out[-1] = joined
                continue
        out.append(term)
    return out


MIN_SPLIT_WORD = 6  # shorter words are more often a misspelling than two words run together


def split_words(index: SearchIndex, terms: list[TermMatch]) -> list[TermMatch]:
    """A word no fact has, not even nearly, read as two when it splits into two words of the
    corpus that are not stop words: run-together words ("chiangmai", "wangyi", "telecomfraud")."""
    out: list[TermMatch] = []
    stop = lexicon().stopwords
    for term in terms:
        word = term.term
        if (term.weight > 0 and word not in index and len(word) >= MIN_SPLIT_WORD and word.isalpha()
                and word.isascii() and all(q < SURE_MATCH for _, q in term.variants)):
            found = [(head, tail) for left, right in ((word[:i], word[i:]) for i in range(2, len(word) - 1))
                     if left not in stop and right not in stop and (head := stem(left)) in index
                     and (tail := _word_or_stemmed(index, right))]
            if found:
                left, right = max(found, key=lambda lr: (min(len(lr[0]), len(lr[1])), lr[0]))
                out.extend((expand_term(index, left), expand_term(index, right)))
                continue
        out.append(term)
    return out


def _word_or_stemmed(index: SearchIndex, tail: str) -> str | None:
    """The corpus stem a split-off tail stands for: itself, or a word the question's stemming cut
    short ("lighthouseriver" is stemmed whole, so its tail is "riv")."""
    stemmed = stem(tail)
    if stemmed in index:
        return stemmed
    after = index.vocabulary_from(tail, 1)
    if len(tail) >= 3 and after and after[0].startswith(tail) and len(after[0]) - len(tail) <= 3:
        return after[0]
    return None


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
    query: str | Query,
    *,
    tables: Iterable[str] | None = None,
    kind: str | None = None,
    limit: int = 10,
    semantic: bool | None = None,
) -> Ranking:
    """Rank facts for a question; `answered` is False when the decision says no fact answers it.
    The semantic signal is computed when `semantic`, or (None) when the fitted weights use it."""
    from lmc_cli.match import decide

    q = query if isinstance(query, Query) else analyse(query, kind=kind)
    leaders, matches = retrieve(index, q, tables=tables)
    if semantic or (semantic is None and decide.weights().uses_semantic):
        leaders = decide.with_semantic(leaders, q)
    return decide.decide(q, leaders, matches, limit=limit)


def retrieve(
    index: SearchIndex, q: Query, *, tables: Iterable[str] | None = None, depth: int = RERANK_DEPTH,
) -> tuple[list[tuple[Fact, Signals, float]], list[TermMatch]]:
    """The leading candidates (fact, signals, lexical score) in lexical order, and the terms."""

    wanted = set(tables) if tables else None
    expanded = split_words(index, joined_words(index, [expand_term(index, t) for t in q.terms]))
    # A Chinese character pair no fact has is an artefact of segmentation, not a missing word.
    matches = [m for m in expanded if m.variants or not CJK.match(m.term)]
    asked_terms = {m.term for m in matches}
    for word in q.context:
        aside = expand_term(index, word)
        if aside.variants and aside.term not in asked_terms:
            matches.append(TermMatch(aside.term, aside.weight * CONTEXT_SHARE, aside.variants, context=True))
            asked_terms.add(aside.term)
    total = sum(m.weight for m in matches)
    known = sum(m.weight for m in matches if m.variants)  # a word no fact has tells nothing of which fact
    if not matches or total <= 0:
        return [], matches
    gained: dict[int, float] = {}
    covered: dict[int, float] = {}
    per_term: list[dict[int, float]] = []
    named = [m for m in matches if len(matches) > 1 and not m.context and NAME_MARK + m.term in index]
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
        per_term.append(best_cover)
        if term in named:
            naming[term.term] = {p for p, credit in best_cover.items() if credit >= SYNONYM_QUALITY}
        for position, gain in best_gain.items():
            gained[position] = gained.get(position, 0.0) + term.weight * gain
            covered[position] = covered.get(position, 0.0) + term.weight * best_cover[position]
    scored: list[tuple[float, int, FactKind]] = []
    positions: Iterable[int] = gained
    if wanted is None and len(gained) > 4 * depth:
        # Only a fact whose score before its type weight is within the type weights' range of
        # the depth-th best can lead: the others need not have their kind read (exact, faster).
        base = {p: g * covered[p] * covered[p] for p, g in gained.items()}
        cut = heapq.nlargest(depth, base.values())[-1] * TYPE_WEIGHT_RANGE[0] / TYPE_WEIGHT_RANGE[1]
        positions = [p for p, b in base.items() if b >= cut]
    for position in positions:
        gain = gained[position]
        meta = index.meta(position)
        if wanted is not None and meta.table not in wanted:
            continue
        coverage = covered[position] / total
        score = 100.0 * gain / (total * MAX_FIELD_WEIGHT) * type_weight(meta, q.slot.kind) * coverage * coverage
        scored.append((score, position, meta))
    scored.sort(key=lambda s: (-s[0], s[2].id))
    top_idf = idf_of(0, max(index.size, 1))
    written = set(TOKEN.findall(THOUSANDS.sub("", q.folded)))  # the question's own tokens, digits as typed
    specific = [m for m in matches if not m.context and (
                (any(c.isdigit() for c in m.term) and not _counting_word(m.term, written))
                or NAME_MARK + m.term in index)]
    # The places the question names (match/places.py) that no fact names as its place or party:
    # those the name check above already asks for (one check per name).
    asked_places = [p for p in places.named_in(q.text) if not all(NAME_MARK + t in index for t in terms_of(p.name))]
    stop = lexicon().stopwords
    words = [t for t in tokenize(q.folded) if t not in stop]  # whole words, Chinese runs unsplit
    phrase = " ".join(words)
    word_weights = [index.idf(stem(w)) for w in words]
    # What stands for each question term in a fact: its synonyms and the corpus words found for it.
    synonyms = dict(lexicon().synonyms)
    # A role asked ("who is the secretary") is held by its own word, a synonym or a close spelling,
    # not by a word that only begins alike ("secretariat").
    for m in matches:
        found = {v for v, quality in m.variants if quality >= SURE_MATCH or m.term != q.slot.role}
        synonyms[m.term] = synonyms.get(m.term, frozenset()) | found
    # Name closeness and exact word forms reorder the lexical leaders (the old final order).
    facts = {position: index.fact(position) for _, position, _ in scored[:depth]}
    bonus: dict[int, tuple[float, float]] = {}
    for _, position, _ in scored[:depth]:
        fact = facts[position]
        names = set(tokenize(canonical(" ".join((fact.title, *fact.aliases)))))
        exact = sum(w for word, w in zip(words, word_weights, strict=True) if word in names)
        bonus[position] = (_name_closeness(phrase, fact), exact / (sum(word_weights) or 1.0))
    plural = _plural_asked(q)
    plural_forms = {plural} | {v for m in matches if m.term == plural for v, quality in m.variants
                               if quality >= SYNONYM_QUALITY} if plural else set()
    top = sorted(((s * (1.0 + ENUMERATION_WEIGHT * _enumerates(facts[p], plural_forms)) + 10.0 * bonus[p][0]
                   + 5.0 * bonus[p][1], p, m) for s, p, m in scored[:depth]),
                 key=lambda s: (-s[0], s[2].id))
    def holds(term: TermMatch, position: int, cover: dict[int, float], context: frozenset[str]) -> bool:
        """Whether a fact has a name or number of the question itself or in the names of its setting."""
        return cover.get(position, 0.0) >= SURE_MATCH or any(
            quality >= SURE_MATCH and variant in context for variant, quality in term.variants)

    asked = {v for m in matches for v, _ in m.variants} | {m.term for m in matches}
    entities = _entities_named(q, [facts[p] for _, p, _ in top])
    leaders = []
    for place, (score, position, meta) in enumerate(top):
        fact = facts[position]
        context = setting_terms(index, fact)
        lacking = [m.weight for m, cover in zip(matches, per_term, strict=True) if cover.get(position, 0.0) < 0.5]
        signals = Signals(
            lexical=gained[position] / (total * MAX_FIELD_WEIGHT),
            coverage=covered[position] / total,
            name=bonus[position][0],
            exact=bonus[position][1],
            named=1.0 if all(position in naming[t.term] or holds(t, position, {}, context) for t in named) else 0.0,
            type_fit=type_weight(meta, q.slot.kind) - 1.0,
            missing=max(lacking, default=0.0) / top_idf,
            slot=_slot_fill(index, q, fact, synonyms, asked),
            semantic=0.0,
            question=_question_closeness(q.folded, fact),
            q2q=_best_question_share(matches, fact, total) if place < QUESTION_DEPTH else 0.0,
            semantic_q=0.0,
            known_coverage=covered[position] / known if known else 0.0,
            chinese=0.0 if q.language == "en" else 1.0,
            source=_source_share(fact, q.sources),
            aside=1.0 if meta.table == "conflicts" and q.intent != "agree" else 0.0,
            specific=1.0 if any(not holds(m, position, cover, context)
                                for m, cover in zip(matches, per_term, strict=True) if m in specific)
            or not _holds_places(index, fact, asked_places) or not _holds_entities(index, fact, entities)
            or _shared(fact, q.alone) else 0.0,
            lead=1.0 / (1 + place),
            bar=1.0 if covered[position] / total >= BAR_COVERAGE and all(position in naming[t.term] for t in named)
            and (q.slot.kind != "identity" or meta.table in ("people", "organizations")) else 0.0,
        )
        leaders.append((fact, signals, score))
    return leaders, matches


# A small number written out ("the four countries", "two-way trade", "the six nations") counts
# what it names, a description the documents need not repeat; in digits, or larger, it is a figure.
COUNTING_WORD_BELOW = 20


def _counting_word(term: str, written: set[str]) -> bool:
    """Whether a number term of the question came from a small number word, not from digits."""
    return term.isdigit() and int(term) < COUNTING_WORD_BELOW and term not in written


def setting_terms(index: SearchIndex, fact: Fact) -> frozenset[str]:
    """The words naming where and by whom a fact was said or done: the title, aliases and place
    of the facts it is related to (the meeting a statement was made at) and of its speaker.
    A question may name the setting ("at the Chiang Mai talks") that the fact itself leaves to
    its relation; the name and number checks accept these words, the ranking does not."""
    words: set[str] = set(_areas_of(fact))
    for other in _setting(index, fact):
        for name in (other.title, other.place or "", *other.aliases):
            words.update(terms_of(name))
    return frozenset(words)


def _setting(index: SearchIndex, fact: Fact) -> list[Fact]:
    """The facts a fact is related to and its speaker's, those the index holds."""
    if not fact.related and not fact.speaker:
        return []
    found = (index.find(other_id) for other_id in (*fact.related, fact.speaker) if other_id)
    setting = [other for other in found if other is not None]
    if fact.table == "conflicts":
        # A disagreement is set where its sides are: the figure both reports give belongs to
        # the meeting that each side's fact is related to.
        seen = {fact.id, *(other.id for other in setting)}
        for side in list(setting):
            for other in _setting(index, side):
                if other.id not in seen:
                    seen.add(other.id)
                    setting.append(other)
    return setting


NAMED_TABLES = frozenset(("organizations", "places", "meetings", "events", "threats"))  # things with names


def _padded(text: str) -> str:
    return f" {' '.join(tokenize(text))} "


SMALL_WORDS = frozenset(("of", "the", "and", "on", "for", "in", "at", "to", "de"))
PROPER_NAME = re.compile(r"[A-Z][\w'-]*")


def _proper(name: str) -> bool:
    """A proper name of two words or more, each capitalised but the small ones ("Global Center
    for Mekong Studies"), not a description ("Key takeaways", "Priority areas")."""
    words = [w for w in re.findall(r"[\w'-]+", name) if w.lower() not in SMALL_WORDS]
    return len(words) >= 2 and all(PROPER_NAME.fullmatch(w) for w in words)


def _names(fact: Fact) -> tuple[list[str], list[str]]:
    """A named thing's proper names (which a question may write out), and all its names and
    aliases (any of which a fact may call it by), padded for whole-word search."""
    every = [fact.title, *fact.aliases]
    return [_padded(x) for x in every if _proper(x)], [_padded(x) for x in every]


def _entities_named(q: Query, candidates: Sequence[Fact]) -> list[tuple[Fact, list[str]]]:
    """The candidates whose full name the question writes out ("the Global Security
    Initiative"): a question naming a thing is about it."""
    about = lexicon().document_about
    question = _padded(about.sub(" ", q.folded) if about else q.folded)
    out = []
    for fact in candidates:
        if fact.table in NAMED_TABLES:
            proper, names = _names(fact)
            if any(n in question for n in proper):
                out.append((fact, names))
    return out


def _holds_entities(index: SearchIndex, fact: Fact, entities: Sequence[tuple[Fact, list[str]]]) -> bool:
    """Whether a fact is, relates to (or shares a related fact with), or names each thing the question names."""
    if not entities:
        return True
    text = _padded(" ".join((fact.title, fact.text, *fact.aliases, *fact.keywords)))
    near = {fact.id, *fact.related, *([fact.speaker] if fact.speaker else [])}
    for other in _setting(index, fact):
        near.update(other.related)
    return all(e.id in near or fact.id in e.related or not near.isdisjoint(e.related) or any(n in text for n in names)
               for e, names in entities)


def _shared(fact: Fact, alone: str | None) -> bool:
    """Whether a fact is about several parties together, one of them the party the question
    singles out ("Laos alone"): their joint figure is not that party's."""
    if alone is None or len(fact.participants) < 2:
        return False
    return any(alone in terms_of(p) for p in fact.participants)


def _holds_places(index: SearchIndex, fact: Fact, asked: Sequence[places.Place]) -> bool:
    """Whether a fact, with its setting (the meeting a statement was made at), holds every
    place the question names (match/places.py)."""
    if not asked:
        return True
    texts = [fact.title, fact.text, fact.place or "", *fact.aliases, *fact.participants, *fact.keywords]
    for other in _setting(index, fact):
        texts.extend((other.title, other.place or "", *other.aliases))
    raw = " | ".join(texts)
    holder = places.Holder(" | ".join((raw, *_areas_named(fold(raw)))))  # Kunming holds Yunnan
    return all(holder.holds(p) for p in asked)


def _areas_of(fact: Fact) -> set[str]:
    """The stems of the areas the places a fact names lie in (lexicon 'located_in'): a question
    may place a thing by its country where the fact names only the town."""
    text = " ".join(fold(t) for t in (fact.title, fact.text, fact.place or "", *fact.aliases))
    return {term for area in _areas_named(text) for term in terms_of(area)}


def _areas_named(folded: str) -> list[str]:
    """The areas (lexicon 'located_in') that the places a folded text names lie in."""
    return [area for place, area in lexicon().located_in if place.search(folded)]


def _source_share(fact: Fact, labels: Sequence[str]) -> float:
    if not labels or not fact.sources:
        return 0.0
    wanted = set(labels)
    return sum(c.label in wanted for c in fact.sources) / len(fact.sources)


QUESTION_DEPTH = 5  # the leaders whose questions are matched one by one (the decision reads no deeper)


def _best_question_share(matches: Sequence[TermMatch], fact: Fact, total: float) -> float:
    """Question-to-question matching: the share of the question's weight that the single
    closest of the fact's questions contains (each term by its best variant's quality)."""
    best = 0.0
    for asked in fact.questions:
        stems = set(terms_of(asked))
        got = sum(m.weight * max((quality for v, quality in m.variants if v in stems), default=0.0) for m in matches)
        best = max(best, got / total)
    return best


def _question_closeness(folded: str, fact: Fact) -> float:
    questions = getattr(fact, "questions", ())
    if not questions:
        return 0.0
    return max(fuzz.token_set_ratio(folded, canonical(q)) for q in questions) / 100.0


# "Which zones are Chinese companies building?": a fact naming several zones is the answer to a
# question asking for several, before a fact about one of them (whose shorter text weighs more).
# Its lexical score is raised by this share (half of it for two mentions); on the read question
# sets 0.35-0.7 decided alike (+3 answers over none, none lost) and 0.5 is the middle.
ENUMERATION_WEIGHT = 0.5
WHICH_PLURAL = re.compile(r"^\s*(?:which|what)\s+((?:[a-z-]+\s+){0,4}?[a-z-]+s)\s+"
                          r"(?:are|were|is|was|have|has|had|did|do|does|will|can|could)\b")


def _plural_asked(q: Query) -> str | None:
    """The stem of the plural noun a "which Xs ..." question asks for, or None."""
    found = WHICH_PLURAL.search(q.folded)
    if not found or q.slot.kind in ("figure", "date"):
        return None
    word = found.group(1).split()[-1]
    stemmed = stem(word)
    return stemmed if stemmed != word and not word.endswith("ss") else None


def _enumerates(fact: Fact, plural: set[str]) -> float:
    """1 when the fact's text names the asked noun (or a synonym of it: attacks, bombings)
    three times or more, 0.5 twice, else 0."""
    if not plural:
        return 0.0
    count = sum(1 for t in tokenize(fact.text) if stem(t) in plural)
    return 1.0 if count >= 3 else 0.5 if count == 2 else 0.0


def _slot_fill(index: SearchIndex, q: Query, fact: Fact, synonyms: dict[str, frozenset[str]],
               asked: set[str]) -> float:
    """slots.fill, with what it needs of the corpus: whether the fact's text names a place or
    party of the corpus that the question does not (`asked`: the question's terms and their
    variants), whether the question names the fact itself, whether it is related to a meeting."""
    from lmc_cli.match.slots import fill

    kind = q.slot.kind
    return fill(
        q.slot, fact, synonyms,
        names_place=kind in ("place", "person") and any(
            NAME_MARK + t in index for t in set(terms_of(fact.text)) - asked),
        subject=kind == "person" and _named_by(q.folded, fact),
        meeting_related=kind == "meeting" and any(
            (other := index.find(r)) is not None and other.table == "meetings" for r in fact.related),
    )


def _named_by(folded: str, fact: Fact) -> bool:
    """Whether the question names the fact by its title or one of its aliases."""
    padded = f" {' '.join(tokenize(folded))} "
    return any(name and f" {name} " in padded
               for name in (" ".join(tokenize(canonical(n))) for n in (fact.title, *fact.aliases)))


def _name_closeness(phrase: str, fact: Fact) -> float:
    """1.0 when the query is the fact's name or an alias, tapering with distance."""
    if not phrase:
        return 0.0
    stop = lexicon().stopwords
    best = 0.0
    for name in (fact.title, *fact.aliases):
        candidate = " ".join(t for t in tokenize(canonical(name)) if t not in stop)
        best = max(best, fuzz.ratio(phrase, candidate) / 100.0)
    return max(0.0, (best - 0.7) / 0.3)


def suggestions(ranking: Ranking, limit: int = SUGGESTION_LIMIT) -> tuple[str, ...]:
    return tuple(f"{m.fact.id} ({m.fact.title})" for m in ranking.candidates[:limit])


def explain(ranking: Ranking) -> list[str]:
    """Lines saying how the answer was chosen, for --explain: the slot, every term, every
    signal of the leading candidates, whether the first fills the slot, and the decision."""
    q = ranking.query
    lines = [f"question type: {ranking.kind or 'any'}"]
    if q is not None:
        lines.append(f"slot asked: {q.slot.describe()}; intent: {q.intent}; language: {q.language}")
        if q.parts:
            lines.append("compared: " + " | ".join(q.parts))
    for term in ranking.terms:
        found = ", ".join(f"{v}:{w:.2f}" for v, w in term.variants) or "not in the corpus"
        aside = ", from a context clause" if term.context else ""
        lines.append(f"term {term.term!r} (weight {term.weight:.2f}{aside}): {found}")
    for cand in ranking.leaders[:5]:
        signals = " ".join(f"{k}={v:.2f}" for k, v in cand.signals.as_dict().items())
        lines.append(f"candidate {cand.match.fact.id}: p={cand.probability:.2f} score {cand.match.score:.1f} "
                     f"coverage {cand.match.coverage:.2f} {signals}")
    if ranking.leaders:
        top = ranking.leaders[0]
        filled = "fills" if top.signals.slot >= 0.5 else "does not fill"
        lines.append(f"first candidate {top.match.fact.id} {filled} the slot (slot={top.signals.slot:.2f})")
    lines.append(f"decision: {ranking.verdict or ('answered' if ranking.answered else 'no answer')} "
                 f"(confidence {ranking.confidence:.2f})")
    return lines
