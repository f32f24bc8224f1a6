"""The places a question names, and whether a fact holds them (lexicon 'gazetteer').

A question that names a place is about that place: "the new airport in Phnom Penh" is not
the new airport in Siem Reap, and "China's rank as a trading partner of Malaysia" is not its
rank for the Mekong countries. A fact holds a country when it names it (by any of its names
or adjectives: Myanmar, Burma, Burmese) or a place inside it; it holds a city when it names
the city, or names the city's country and no other place of that country, since a capital
often stands for its government ("Beijing's top diplomat").

Names are matched as runs of whole words, looked up in a table: no regular expression per
place, so the gazetteer costs about 2 ms to build, once per process, on its first question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lmc_cli.match.lexicon import lexicon
from lmc_cli.match.text import fold

WORD = re.compile(r"[a-z0-9]+")
MARK = re.compile(r"(?<![A-Za-z])[A-Z](?:\.?[A-Z])+\.?(?![A-Za-z])")  # US, U.S., UAE, DPRK as written
LATIN_WORD = re.compile(r"[A-Za-z]+")
CURRENCY = re.compile(r"\s*(?:\$|dollars?\b)", re.IGNORECASE)  # "US$3 billion", "in US dollars": a unit, not a country


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # as the gazetteer writes it
    country: str | None  # the country a city or province lies in; None for a country
    names: frozenset[str]  # its names, folded, words joined by one space
    adjectives: frozenset[str]  # "Thai", "Burmese": they name it in a fact, not in a question
    marks: frozenset[str]  # its abbreviations in capitals, without full stops (US, UAE)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    places: tuple[Place, ...]
    by_name: dict[str, tuple[Place, ...]]  # a name, adjective or abbreviation -> the places it names
    longest: int  # the most words in a name
    inside: dict[str, tuple[Place, ...]]  # a country's name -> the places the gazetteer puts in it
    countries: dict[str, Place]  # a country's name -> the country


def _key(name: str) -> str:
    return " ".join(WORD.findall(fold(name)))


def _place(name: str, country: str | None, others: list[str], adjectives: list[str]) -> Place:
    marks = frozenset(n.replace(".", "") for n in others if n.isupper())
    names = frozenset(_key(n) for n in (name, *others) if not n.isupper())
    return Place(name, country, names, frozenset(_key(a) for a in adjectives), marks)


def _country(name: str, others: str) -> Place:
    """A country from its gazetteer entry: its other names, then after '/' its adjectives."""
    names, _, adjectives = others.partition("/")
    return _place(name, None, [n.replace("_", " ") for n in names.split()], adjectives.split())


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    lex = lexicon()
    countries = {name: _country(name, others) for name, others in lex.gazetteer_countries}
    places: list[Place] = list(countries.values())
    cities = list(lex.gazetteer_cities)
    known = {_key(n) for n, _ in cities}
    # The places the documents name (lexicon 'located_in') are cities and provinces of their country.
    for name, area in lex.located_in_names:
        words = f" {_key(area)} "
        country = next((c for c, p in countries.items() if any(f" {n} " in words for n in p.names)), None)
        if country and _key(name) not in known:
            cities.append((name, country))
    places.extend(_place(name, country, [], []) for name, country in cities if country in countries)
    by_name: dict[str, list[Place]] = {}
    inside: dict[str, list[Place]] = {}
    for place in places:
        for key in (*place.names, *place.adjectives, *place.marks):
            by_name.setdefault(key, []).append(place)
        if place.country:
            inside.setdefault(place.country, []).append(place)
    longest = max((len(k.split()) for k in by_name), default=1)
    return Gazetteer(tuple(places), {k: tuple(v) for k, v in by_name.items()}, longest,
                     {k: tuple(v) for k, v in inside.items()}, countries)


def _grams(text: str, longest: int, *, dotted_only: bool = False) -> set[str]:
    """Every run of up to `longest` words of a text, folded, and its capitalised abbreviations
    (with `dotted_only`, only those written with full stops: U.S., not US)."""
    words = WORD.findall(fold(text))
    runs = {" ".join(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)}
    return runs | {m.group().replace(".", "") for m in MARK.finditer(text)
                   if not CURRENCY.match(text, m.end()) and (not dotted_only or "." in m.group())}


def _shouted(text: str, gaz: Gazetteer) -> bool:
    """Whether a question is written in capitals ("TELL US ABOUT THE AIRPORT"), where "US" may be
    the pronoun; not one whose only Latin words are places' marks ("US对湄公河说了什么")."""
    words = LATIN_WORD.findall(text)
    return all(w.isupper() for w in words) and any(w not in gaz.by_name for w in words)


def named_in(text: str) -> tuple[Place, ...]:
    """The places a question's asking part names by a name or an abbreviation (not by an
    adjective: "Which Chinese premier" asks about a person, whom a fact need not call Chinese;
    in a question written in capitals, not by an abbreviation without full stops)."""
    gaz = gazetteer()
    found: dict[str, Place] = {}
    for gram in _grams(text, gaz.longest, dotted_only=_shouted(text, gaz)):
        for place in gaz.by_name.get(gram, ()):
            if gram in place.names or gram in place.marks:
                found.setdefault(place.name, place)
    return tuple(found.values())


class Holder:
    """The words of a fact, ready to be asked whether they hold a place."""

    def __init__(self, text: str) -> None:
        gaz = gazetteer()
        self.grams = _grams(text, gaz.longest)

    def names(self, place: Place) -> bool:
        return not self.grams.isdisjoint(place.names) or not self.grams.isdisjoint(place.adjectives) or (
            not self.grams.isdisjoint(place.marks))

    def holds(self, place: Place) -> bool:
        """Whether the fact holds a place the question names."""
        if self.names(place):
            return True
        gaz = gazetteer()
        if place.country is None:
            return any(self.names(p) for p in gaz.inside.get(place.name, ()))
        others = (p for p in gaz.inside.get(place.country, ()) if p is not place)
        return self.names(gaz.countries[place.country]) and not any(self.names(p) for p in others)
