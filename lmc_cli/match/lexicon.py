"""The matcher's word lists, read once from lexicon.json (each entry there gives its reason).

Stop words, phrase rewrites, synonym groups, a Chinese-English glossary of the subject's
words, the patterns that tell what a question asks for (its slot and intent), and the
words that only frame a slot. Nothing here is tuned to
a question: an entry names a kind of wording, not a case.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lmc_cli.match.text import stem

LEXICON_FILE = Path(__file__).resolve().parent / "lexicon.json"


@dataclass(frozen=True, slots=True)
class Lexicon:
    stopwords: frozenset[str]
    phrases: tuple[tuple[re.Pattern[str], str], ...]
    idioms: tuple[tuple[re.Pattern[str], str], ...]  # rewrites of a question only: everyday wording into the documents'
    synonyms: dict[str, frozenset[str]]
    slots: tuple[tuple[str, re.Pattern[str]], ...]
    frame_words: dict[str, frozenset[str]]
    measures: tuple[re.Pattern[str], ...]
    measure_units: tuple[tuple[str, tuple[str, ...]], ...]
    intents: tuple[tuple[str, re.Pattern[str]], ...]
    cjk_stop: frozenset[str]
    generic_measures: frozenset[str]
    offices: frozenset[str]  # stems of offices a person holds ("minister", "director")
    party_roles: frozenset[str]  # stems of the roles a meeting's parties answer ("who attended")
    day_asked: re.Pattern[str] | None  # "the exact date": the day itself is asked
    weekday_asked: re.Pattern[str] | None  # "on what day": the day of the week is asked
    year_asked: re.Pattern[str] | None  # "in what year": the year is asked
    glossary: dict[str, str]  # a Chinese word -> its English words
    part_asked: re.Pattern[str] | None  # "the Lancang section of the river": a figure of a part is asked
    part_words: frozenset[str]  # stems that name a part in a fact's words
    whole_given: re.Pattern[str] | None = None  # "how many of the 50,000": the whole is given, a part asked
    counted_parties: frozenset[str] = frozenset()  # stems of what a fact's parties count ("how many countries")
    units_asked: tuple[tuple[str, re.Pattern[str]], ...] = ()  # a kind of unit ("money") and the wording asking it
    unit_kinds: tuple[tuple[str, frozenset[str], re.Pattern[str]], ...] = ()  # a kind, its units, its mark in a text
    document_about: re.Pattern[str] | None = None  # "the op-ed on X": X says which document, not the matter
    singled_out: re.Pattern[str] | None = None  # "Laos alone": one party, not several together
    asker: re.Pattern[str] | None = None  # a context clause speaking of the asker ("I'm a student"), not the matter
    located_in: tuple[tuple[re.Pattern[str], str], ...] = ()  # a place's name (folded, as a word) and its areas
    cjk_question: re.Pattern[str] | None = None  # Chinese question words cut out before the pairs are made
    located_in_names: tuple[tuple[str, str], ...] = ()  # the same places as written, and their areas
    gazetteer_countries: tuple[tuple[str, str], ...] = ()  # a country and its other names and adjectives
    gazetteer_cities: tuple[tuple[str, str], ...] = ()  # a city and its country


def _synonyms(groups: list[str]) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in groups:
        stems = {stem(w) for w in group.split()}
        for s in stems:
            table.setdefault(s, set()).update(stems)
    return {k: frozenset(v) for k, v in table.items()}


def _pattern(entry: object) -> re.Pattern[str] | None:
    pattern = entry.get("pattern") if isinstance(entry, dict) else None
    return re.compile(pattern) if isinstance(pattern, str) and pattern else None


def _words(entry: object) -> list[str]:
    return entry.get("words", "").split() if isinstance(entry, dict) else []


def _places(entry: object) -> tuple[tuple[re.Pattern[str], str], ...]:
    places = entry.get("places") if isinstance(entry, dict) else None
    if not isinstance(places, dict):
        return ()
    return tuple((re.compile(rf"\b{re.escape(' '.join(str(k).lower().split()))}\b"), str(v)) for k, v in places.items())


def _table(entry: object, key: str) -> tuple[tuple[str, str], ...]:
    table = entry.get(key) if isinstance(entry, dict) else None
    return tuple((str(k), str(v)) for k, v in table.items()) if isinstance(table, dict) else ()


def _alternatives(words: list[str]) -> re.Pattern[str] | None:
    """Any of the words, the longest first (so 哪一年 is cut whole, not as 哪年 inside it)."""
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) if words else None


def parse(data: dict[str, object]) -> Lexicon:
    def entries(key: str) -> list[dict[str, str]]:
        found = data.get(key, [])
        return found if isinstance(found, list) else []

    frames: dict[str, set[str]] = {}
    for entry in entries("frame_words"):
        frames.setdefault(entry["slot"], set()).update(stem(w) for w in entry["words"].split())
    cjk = data.get("cjk_stop", {})
    glossary: dict[str, str] = {}
    for entry in entries("glossary"):
        words: object = entry.get("words")
        if isinstance(words, dict):
            glossary.update({str(k): str(v) for k, v in words.items()})
    return Lexicon(
        stopwords=frozenset(w for e in entries("stopwords") for w in e["words"].split()),
        phrases=tuple((re.compile(e["pattern"]), e["replace"]) for e in entries("phrases")),
        idioms=tuple((re.compile(e["pattern"]), e["replace"]) for e in entries("idioms")),
        synonyms=_synonyms([e["words"] for e in entries("synonyms")]),
        slots=tuple((e["slot"], re.compile(e["pattern"])) for e in entries("slots")),
        frame_words={k: frozenset(v) for k, v in frames.items()},
        measures=tuple(re.compile(e["pattern"]) for e in entries("measures")),
        measure_units=tuple((e["words"], tuple(e["means"].split())) for e in entries("measure_units")),
        intents=tuple((e["intent"], re.compile(e["pattern"])) for e in entries("intents")),
        cjk_stop=frozenset(cjk.get("chars", "") if isinstance(cjk, dict) else ""),
        generic_measures=frozenset(stem(w) for w in _words(data.get("generic_measures"))),
        offices=frozenset(stem(w) for w in _words(data.get("offices"))),
        party_roles=frozenset(stem(w) for w in _words(data.get("party_roles"))),
        counted_parties=frozenset(stem(w) for w in _words(data.get("counted_parties"))),
        day_asked=_pattern(data.get("day_asked")),
        weekday_asked=_pattern(data.get("weekday_asked")),
        year_asked=_pattern(data.get("year_asked")),
        glossary=glossary,
        part_asked=_pattern(data.get("part_asked")),
        part_words=frozenset(stem(w) for w in _words(data.get("part_asked"))),
        whole_given=_pattern(data.get("whole_given")),
        units_asked=tuple((e["unit"], re.compile(e["pattern"])) for e in entries("units_asked")),
        unit_kinds=tuple((e["unit"], frozenset(e["words"].lower().split()), re.compile(e["pattern"], re.IGNORECASE))
                         for e in entries("unit_kinds")),
        asker=_pattern(data.get("asker")),
        singled_out=_pattern(data.get("singled_out")),
        document_about=_pattern(data.get("document_about")),
        located_in=_places(data.get("located_in")),
        cjk_question=_alternatives(_words(data.get("cjk_question_words"))),
        located_in_names=_table(data.get("located_in"), "places"),
        gazetteer_countries=_table(data.get("gazetteer"), "countries"),
        gazetteer_cities=_table(data.get("gazetteer"), "cities"),
    )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return parse(json.loads(LEXICON_FILE.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def glossary_words() -> re.Pattern[str] | None:
    """Any glossary word, the longest first; compiled on the first Chinese text, not at start-up."""
    words = lexicon().glossary
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) if words else None
