"""One pass over a question: the typed Query that retrieval and the decision read.

The question is analysed once: the source it names is taken out ("according to the WNAM
report"), chatty context clauses are dropped, the text is folded and rewritten by the
lexicon's phrases, and what it asks for is worked out: the slot (a figure and of what, a
date, a place, a person and in what role, a meeting, a list) and the intent (a plain
look-up, "which came first, A or B", "do the documents agree on X", "what are the N ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lmc_cli.match.lexicon import Lexicon, glossary_words, lexicon
from lmc_cli.match.text import CJK, fold, stem, tokenize
from lmc_cli.model import Document

WH_WORD = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", re.IGNORECASE)
CLAUSE_BREAK = re.compile(
    r"[.!?:;]+\s+"
    r"|,\s+(?=(?:and\s+)?(?:what|which|who|whom|whose|when|where|why|how|could|can|would|please|do|does|did)\b)"
    r"|\s+-\s+",
    re.IGNORECASE,
)
COUNTRY_ASKED = re.compile(r"\b(?:which|what) (?:\w+ )?countr(?:y|ies)\b|哪些国家|哪几个国家")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[a-z]{2,}")
WHO_ROLE = re.compile(r"\bwho\s+(?:first\s+)?([a-z]+)")
# "who is the director of X", "who was Thailand's foreign minister at Y": the role is the noun before "of", "at" ...
# (of a hyphenated office, its first word: "secretary-general" is a secretary)
ROLE_OF = re.compile(
    r"\bwho (?:is|was) (?:the |its |their |[a-z]+'s )(?:[a-z]+ )?([a-z]+)(?:-[a-z]+)? (?:of|at|for|in|on|during)\b")
# "who was Thailand's foreign minister", "who headed Vietnam's delegation": whose office or party
OWNER = re.compile(r"\bwho (?:[a-z]+ ){1,2}?(?:the )?([a-z]+)'s (?:[a-z]+ ){0,2}?[a-z]+\b")
# "what is the name of the Thai foreign minister who ...": the office held, and the words before it
NAME_OF_OFFICE = re.compile(
    r"\bname of (?:the |its |their )?((?:[a-z-]+(?:'s)? ){0,3}?)([a-z]+) (?:who|that|at|of|in|for|during|with)\b")
MEASURE_HEAD = 5  # the words a question opens with, where a measure asked for is named ("what was the total cost")
AUXILIARIES = frozenset(
    ("is", "was", "are", "were", "did", "does", "do", "has", "have", "had", "will", "would", "could", "should",
     "can", "may", "might")
)
ALTERNATIVES = re.compile(r",?\s+or\s+|\s+vs\.?\s+|\s+versus\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Slot:
    """What a question asks for: `kind` (figure, date, place, person, identity, meeting,
    definition, or None for any), what a figure measures, the role a person played, and
    how many items a list should have; `holder` when the role is an office ("who is the
    director of X"), which a person holds, not the parties of a meeting."""

    kind: str | None = None
    measure: tuple[str, ...] = ()
    role: str | None = None
    count: int | None = None
    holder: bool = False
    owner: str | None = None  # whose office or party the role is ("Thailand's foreign minister"), a stem
    day: bool = False  # a date question asking the day itself ("the exact date")
    weekday: bool = False  # a date question asking the day of the week ("on what day")
    year: bool = False  # a date question asking the year ("in what year")
    part: bool = False  # a figure question asking a part of a thing ("the Lancang section of the river")
    unit: str | None = None  # a figure question naming the kind of unit asked ("in US dollars": money)
    whole: float | None = None  # a figure question giving the whole it asks a part of ("how many of the 50,000")

    def describe(self) -> str:
        parts = [self.kind or "any"]
        if self.measure:
            parts.append(f"measure {' '.join(self.measure)}")
        if self.unit:
            parts.append(f"unit {self.unit}")
        if self.part:
            parts.append("of a part")
        if self.whole is not None:
            parts.append(f"part of {self.whole:g}")
        if self.role:
            parts.append(f"role {self.role}")
        if self.count:
            parts.append(f"{self.count} items")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Query:
    raw: str
    text: str  # the question searched: without its source phrase and context clauses
    folded: str  # `text` folded and rewritten by the lexicon's phrases
    words: tuple[str, ...]  # content words of `folded`, unstemmed
    terms: tuple[str, ...]  # content stems searched for (frame words of the slot removed)
    slot: Slot
    intent: str  # lookup, first, agree or list
    parts: tuple[str, ...] = ()  # for "first": the two things compared
    sources: tuple[str, ...] = ()  # labels of the documents the question names
    language: str = "en"  # en, zh or mixed
    context: tuple[str, ...] = ()  # content stems of context clauses about the matter, not in `terms`
    alone: str | None = None  # the stem of a party the question singles out ("Laos alone")


def canonical(text: str) -> str:
    folded = fold(text)
    screen, checks = _phrase_checks()
    if screen is not None and screen.search(folded) is None:
        return folded  # no phrase can match: each needs one of the screen's strings
    for pattern, replacement, needs in checks:
        if needs is None or any(literal in folded for literal in needs):  # else the pattern cannot match
            folded = pattern.sub(replacement, folded)
    return folded


def _idioms(folded: str) -> str:
    """A folded question with the lexicon's idioms rewritten ("calls the shots": decision-making):
    a reader's everyday wording in the documents' words. Questions only: no fact is worded so."""
    for pattern, replacement in lexicon().idioms:
        folded = pattern.sub(replacement, folded)
    return folded


PhraseChecks = tuple[re.Pattern[str] | None, tuple[tuple[re.Pattern[str], str, tuple[str, ...] | None], ...]]
_checks: list[tuple[object, PhraseChecks]] = []


def _phrase_checks() -> PhraseChecks:
    """The lexicon's phrases, each with the strings one of which any match contains (literals.py),
    and one pattern of all those strings (None if some phrase has none): the same rewrites, only
    the phrases that can match run."""
    phrases = lexicon().phrases
    if not _checks or _checks[0][0] is not phrases:
        from lmc_cli.match.literals import required_literals

        checks = tuple((p, r, required_literals(p)) for p, r in phrases)
        literals = {literal for _, _, needs in checks for literal in needs or ()}
        screen = None
        if checks and all(needs for _, _, needs in checks):
            screen = re.compile("|".join(re.escape(x) for x in sorted(literals, key=lambda x: (-len(x), x))))
        _checks[:] = [(phrases, (screen, checks))]
    return _checks[0][1]


def cjk_grams(run: str) -> list[str]:
    """A Chinese run as overlapping character pairs, leaving out pairs with a particle or
    question word in them; a lone character stands for itself. A question word of several
    characters (lexicon 'cjk_question_words') is cut out first: it asks, it names nothing."""
    lex = lexicon()
    if lex.cjk_question is not None and lex.cjk_question.search(run):
        return [gram for piece in lex.cjk_question.split(run) if piece for gram in cjk_grams_of(piece)]
    return cjk_grams_of(run)


def cjk_grams_of(run: str) -> list[str]:
    """A run with no question word in it, as character pairs (see cjk_grams)."""
    stop = lexicon().cjk_stop
    if len(run) == 1:
        return [] if run in stop else [run]
    return [run[i : i + 2] for i in range(len(run) - 1) if not (stop & set(run[i : i + 2]))]


def content_words(folded: str) -> list[str]:
    stop = lexicon().stopwords
    out: list[str] = []
    for token in tokenize(folded):
        if CJK.match(token):
            out.extend(_chinese_words(token))
        elif token not in stop:
            out.append(token)
    return out


def _chinese_words(run: str) -> list[str]:
    """A Chinese run's words: the glossary's in English (so a Chinese question meets the
    English facts), the rest as character pairs."""
    pattern = glossary_words()
    if pattern is None:
        return cjk_grams(run)
    lex = lexicon()
    out: list[str] = []
    start = 0
    for m in pattern.finditer(run):
        if m.start() > start:
            out.extend(cjk_grams(run[start : m.start()]))
        out.extend(w for w in tokenize(lex.glossary[m.group()]) if w not in lex.stopwords)
        start = m.end()
    if start < len(run):
        out.extend(cjk_grams(run[start:]))
    return out


def terms_of(text: str) -> list[str]:
    """The stems of the content words in a text, in order (Chinese as character pairs)."""
    return list(_terms(text))


@lru_cache(maxsize=8192)
def _terms(text: str) -> tuple[str, ...]:
    # Memoised: a pack repeats its table names, units, years, places and quotes (a cold build of
    # the synthetic 100k pack asks for each text about three times); the lexicon is fixed per run.
    return tuple(stem(t) for t in content_words(canonical(text)))


def focus(question: str) -> str:
    """The clauses of a chatty question that ask something ("I'm a student. When is ...?"):
    when some clause has a question word, the clauses without one are context, not content."""
    return _split_context(question)[0]


def _about_matter(clauses: list[str]) -> str:
    """The context clauses that speak of the matter, not of the asker ("The op-ed quoting Li
    Haidong speculates about a security partner ... Which country?"): they often carry the
    subject the asking clause only points at."""
    asker = lexicon().asker
    return " ".join(c for c in clauses if asker is None or not asker.search(c))


def _split_context(question: str) -> tuple[str, list[str]]:
    """The asking part of a question and the context clauses dropped from it."""
    dropped: list[str] = []
    sentences = [x.strip() for x in SENTENCE_BREAK.split(question) if x.strip()]
    asked = [x for x in sentences if x.endswith(("?", "？"))]
    if asked and len(asked) < len(sentences):
        dropped.extend(x for x in sentences if x not in asked)
        question = " ".join(asked)  # the sentences that end in a question mark are the question
    clauses = [c for c in CLAUSE_BREAK.split(question) if c.strip()]
    asking = [c for c in clauses if WH_WORD.search(c)]
    if asking and len(asking) < len(clauses):
        dropped.extend(c for c in clauses if c not in asking)
        return " ".join(asking), dropped
    return question, dropped


def _terse(folded: str) -> bool:
    """Whether a question is a search-box query ("siem reap airport cost"): no question word, no
    question mark, no Chinese. Such a query names its measure where it likes, often last."""
    return not WH_WORD.search(folded) and "?" not in folded and not CJK_RUN.search(folded)


def _singled_out(folded: str) -> str | None:
    """The party a question singles out ("how many did Laos alone arrest"), as a stem."""
    pattern = lexicon().singled_out
    found = pattern.search(folded) if pattern else None
    return stem(found.group("party")) if found else None


def _measure_head(folded: str) -> str:
    """Where a question names the measure that makes it a figure question: anywhere in a
    search-box query, in the first five words of an English one ("what was the total cost"),
    and at the end of a Chinese one, which puts what it asks last (湄公河有多长, 老挝的人口):
    什么是人口贩卖 asks what human trafficking is, 有哪些投资项目 which projects, not a figure."""
    if _terse(folded):
        return folded
    runs = CJK_RUN.findall(folded)
    head = " ".join(CJK_RUN.sub(" ", folded).split()[:MEASURE_HEAD])
    if not runs:
        return head
    lex = lexicon()
    last = runs[-1].rstrip("".join(lex.cjk_stop))  # 湄公河有多长呢: the particle asks nothing
    ends = [words for words, _ in lex.measure_units if CJK_RUN.fullmatch(words) and last.endswith(words)]
    return " ".join((head, *ends))


def slot_kind(folded: str) -> str | None:
    """The kind of answer a question wants, from its earliest question phrase."""
    found = [(m.start(), order, name) for order, (name, pattern) in enumerate(lexicon().slots)
             if (m := pattern.search(folded))]
    return min(found)[2] if found else None


def _capitalised(words: list[str], text: str) -> str | None:
    """The stem of the first of `words` the question writes with a capital ("the Thai foreign
    minister"): a people or a place, whose the office is; None when none is."""
    for word in words:
        if re.search(rf"\b{re.escape(word[:1].upper() + word[1:])}\b", text):
            return stem(word)
    return None


def _asks(pattern: re.Pattern[str] | None, folded: str) -> bool:
    """Whether the lexicon's pattern (day_asked, weekday_asked, year_asked) is in the question."""
    return bool(pattern and pattern.search(folded))


def _whole_given(folded: str) -> float | None:
    """The whole a figure question gives and asks a part of ("how many of the more than 50,000
    arrested were detained in Thailand": 50000), if it gives one."""
    pattern = lexicon().whole_given
    found = pattern.search(folded) if pattern else None
    return float(found.group("n").replace(",", "")) if found else None


def unit_of(folded: str) -> str | None:
    """The kind of unit the question asks its figure in ("in US dollars", "what percentage"), if it names one."""
    return next((unit for unit, pattern in lexicon().units_asked if pattern.search(folded)), None)


def measure_of(folded: str) -> tuple[str, ...]:
    lex = lexicon()
    found: list[str] = []
    for pattern in lex.measures:
        for m in pattern.finditer(folded):
            found.extend(w for w in content_words(m.group("m")))
    units = _without_compounds(folded, lex)
    for words, means in lex.measure_units:
        if words in units:
            found.extend(means)
    generic = lex.generic_measures
    return tuple(dict.fromkeys(s for s in (stem(w) for w in found) if s not in generic))


def _without_compounds(folded: str, lex: Lexicon) -> str:
    """A question with the glossary's Chinese words that hold a measure word but mean another
    thing cut out: 人口贩卖 is human trafficking (the glossary says so), not a population."""
    pattern = glossary_words() if CJK_RUN.search(folded) else None
    if pattern is None:
        return folded
    units = [words for words, _ in lex.measure_units]
    return pattern.sub(lambda m: " " if any(w in m.group() and w != m.group() for w in units) else m.group(), folded)


def intent_of(folded: str) -> tuple[str, int | None, int, int]:
    """The intent, a list's count if one is given, and where the intent phrase starts and ends."""
    for name, pattern in lexicon().intents:
        m = pattern.search(_words_to_digits(folded) if name == "list" else folded)
        if m:
            count = None
            if name == "list":
                digits = m.groupdict().get("n")
                count = int(digits) if digits else None
            return name, count, m.start(), m.end()
    return "lookup", None, 0, 0


def _words_to_digits(folded: str) -> str:
    """Number words as digits ("the five areas" -> "the 5 areas"), for the count of a list."""
    return " ".join(tokenize(folded)) if not CJK.search(folded) else folded


def analyse(question: str, documents: Iterable[Document] = (), *, kind: str | None = None) -> Query:
    from lmc_cli.match import attribution

    rest, named = attribution.split(question, documents)
    text, dropped = _split_context(rest or question)
    folded = _idioms(canonical(text))
    whole = _idioms(canonical(rest or question))
    intent, count, begin, end = intent_of(whole)
    parts: tuple[str, ...] = ()
    if intent == "first":
        tail = re.sub(r"^[\s,:;-]+", "", whole[end:] if end < len(whole) else "")
        pieces = [p.strip(" ?.!,") for p in ALTERNATIVES.split(tail) if p.strip(" ?.!,")]
        if len(pieces) == 2:
            parts = tuple(pieces)
        else:
            intent = "lookup"
    if intent == "agree":  # "do the documents agree on X" searches for X; the disagreement is the intent
        cut = _idioms(canonical(focus(whole[:begin] + " " + whole[end:])))
        folded = cut if content_words(cut) else folded
    slot = kind if kind is not None else slot_kind(folded)
    lex = lexicon()
    asks_day, asks_weekday, asks_year = (_asks(p, folded) for p in (lex.day_asked, lex.weekday_asked, lex.year_asked))
    if slot in (None, "definition") and measure_of(_measure_head(folded)):
        # "what is the installed capacity": a question that opens on a measure wants a figure;
        # "what were they charged with", "how to close the capacity gaps" name one in passing
        slot = "figure"
    elif slot in (None, "definition") and unit_of(folded):
        slot = "figure"  # "what was the value in US dollars of X": a sum, not what X is
    elif slot in (None, "definition") and (asks_day or asks_weekday):
        slot = "date"  # "what was the exact date of X", "which weekday": a date, not what X is
    words = content_words(folded)
    frame = lexicon().frame_words.get(slot or "", frozenset())
    stems = list(dict.fromkeys(stem(w) for w in words))
    terms = [t for t in stems if t not in frame] or stems
    role = None
    named_office = NAME_OF_OFFICE.search(folded) if slot in (None, "definition", "person") else None
    if named_office and stem(named_office.group(2)) not in lexicon().offices:
        named_office = None
    if named_office:
        slot = "person"
    office = ROLE_OF.search(folded) if slot == "person" and not named_office else None
    owner = None
    if named_office:
        role = stem(named_office.group(2))
        owner = _capitalised([w.removesuffix("'s") for w in named_office.group(1).split()], text)
    elif slot in ("person", "identity"):
        found = office or WHO_ROLE.search(folded)
        if found and found.group(1) not in AUXILIARIES and found.group(1) not in lexicon().stopwords:
            role = stem(found.group(1))
    owned = OWNER.search(folded) if role is not None and slot == "person" and not named_office else None
    if owned:
        owner = stem(owned.group(1))
    if slot == "place" and COUNTRY_ASKED.search(folded):
        role = "country"  # "which countries ...": the parties a fact names answer it
    measure = measure_of(folded) if slot == "figure" else ()
    has_cjk, has_latin = bool(CJK_RUN.search(folded)), bool(LATIN_WORD.search(folded))
    language = "mixed" if has_cjk and has_latin else "zh" if has_cjk else "en"
    return Query(
        raw=question, text=text, folded=folded, words=tuple(words), terms=tuple(terms),
        slot=Slot(slot, measure, role, count, (office is not None or named_office is not None) and role is not None,
                  owner, slot == "date" and asks_day,
                  slot == "date" and asks_weekday, slot == "date" and asks_year,
                  slot == "figure" and _asks(lex.part_asked, folded),
                  unit_of(folded) if slot == "figure" else None,
                  _whole_given(folded) if slot == "figure" else None),
        intent=intent, parts=parts,
        sources=tuple(named),
        alone=_singled_out(folded),
        language=language,
        context=tuple(t for t in dict.fromkeys(terms_of(_about_matter(dropped))) if t not in terms),
    )
