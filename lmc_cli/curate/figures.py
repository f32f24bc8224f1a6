"""Figures in a sentence, for lmc draft: value, unit and qualifier as the words give them.

"more than 50,000 people" is value 50000, unit "people", qualifier "more than"; "$1.7 billion" is
1700000000 dollars; "between 10 and 20 km" a range; "billions of dollars" an order of magnitude
(never a number: docs/fact-format.md, Figures). Ordinals ("17th", "first"), years, list marks
("(1)") and numbers inside names ("Vinh Tan 1", "COVID-19", "10+1") are not figures.

A careful regular expression over the word lists of words.json, not a quantity library: quantulum3
(the well-kept one) took 3 s to start (its `inflect` import), read "five key priority areas" as
5,000 exayears, turned "between 10 and 20 km" into 15 +/- 5 and knows neither qualifiers, count
nouns ("people") nor orders of magnitude, which are most of what these documents give.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from lmc_cli.curate.words import alternation, entries
from lmc_cli.model import MAGNITUDES


@dataclass(frozen=True)
class Figure:
    text: str  # the sentence's words for it
    start: int
    end: int
    value: int | float | None = None
    value_min: int | float | None = None
    value_max: int | float | None = None
    magnitude: str | None = None
    amount_text: str | None = None
    unit: str | None = None
    qualifier: str | None = None

    def describe(self) -> str:
        """The figure in a few words, for a comment beside a stub."""
        if self.value is not None:
            amount = f"{self.value:,}"
        elif self.value_min is not None:
            amount = f"{self.value_min:,} to {self.value_max:,}"
        else:
            amount = self.magnitude or ""
        return " ".join(p for p in (self.qualifier, amount, self.unit) if p)


_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    words = entries("number_words")
    number = rf"(?:{_DIGITS}|\b(?:{alternation(words)})\b)"
    qualifier = alternation(entries("qualifiers"))
    scale = alternation(entries("scales"))
    units = [u for u in entries("units") if u not in ("$", "us$", "%")]
    figure = re.compile(
        rf"(?:\b(?P<qualifier>{qualifier})\s+)?"
        rf"(?:\bbetween\s+)?(?P<currency>US\$|\$)?(?P<number>{number})"
        rf"(?:\s*(?:(?<=\d)-(?=\d)|–|\bto\b|(?<=\d) and (?=\d))\s*(?:US\$|\$)?(?P<number2>{number}))?"
        rf"(?:\s(?P<scale>{scale})\b)?"
        rf"(?P<sign>\s?%|\s(?:per ?cent|percent)\b)?"
        rf"(?:(?P<joint>-|\s)(?P<unit>{alternation(units)})\b(?:-long|-wide)?)?",
        re.IGNORECASE,
    )
    magnitude = re.compile(
        rf"\b(?P<magnitude>{alternation([m for m in MAGNITUDES if ' of ' in m or m.endswith('s')])})\b"
        r"(?: of (?P<of>[a-z]+))?",
        re.IGNORECASE,
    )
    noun = re.compile(r"\s+([a-z][a-z-]*)")
    return figure, magnitude, noun


def _number(text: str) -> Decimal:
    words = entries("number_words")
    folded = text.casefold()
    if folded in words:
        return Decimal(words[folded])
    return Decimal(text.replace(",", ""))


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _inside_name(sentence: str, start: int, end: int) -> bool:
    """A number that is part of a name or a mark, not a figure: 'COVID-19', '720P', '10+1', '(1)',
    '17th', 'Vinh Tan 1' (after a capitalised word that does not open the sentence)."""
    before, after = sentence[:start], sentence[end:]
    if re.search(r"[A-Za-z]-?$|\+$", before) or re.match(r"[A-Za-z+]|(?:st|nd|rd|th)\b", after):
        return True
    if re.search(r"\($", before) and re.match(r"\)", after):
        return True
    previous = re.search(r"(\S+)\s+$", before)
    if previous and before.strip() != previous.group(1):
        word = previous.group(1)
        if word[:1].isupper() and word.casefold() not in entries("qualifiers") and word.isalpha():
            return True
    return False


def _count_noun(sentence: str, end: int) -> str | None:
    """The words after a number that say what it counts: at most three, lowercase, up to a stop word."""
    _, _, noun = _patterns()
    stops = entries("unit_stops")
    words: list[str] = []
    position = end
    while len(words) < 3:
        match = noun.match(sentence, position)
        if match is None or match.group(1) in stops or (words and match.group(1).endswith("ed")):
            break  # a participle after the noun ("4 countries agreed"), not before it ("63 alleged leaders")
        words.append(match.group(1))
        position = match.end()
        if re.fullmatch(r"[a-z-]*[^s]s", match.group(1)):
            break  # the plural noun ends the phrase: "6 countries" (not "countries share close")
    return " ".join(words) or None


def find_figures(sentence: str, skip: Sequence[tuple[int, int]] = ()) -> list[Figure]:
    """Every figure of a sentence, in order; `skip` are spans that are something else (dates)."""
    figure_re, magnitude_re, _ = _patterns()
    units = entries("units")
    scales = entries("scales")
    found: list[Figure] = []
    taken = list(skip)

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for match in figure_re.finditer(sentence):
        start, end = match.span("number")
        if not free(start, end) or _inside_name(sentence, match.start("currency") if match.group("currency")
                                                else start, end):
            continue
        scale = Decimal(scales[match.group("scale").casefold()]) if match.group("scale") else Decimal(1)
        unit: str | None = None
        if match.group("sign"):
            unit = "percent"
        elif match.group("unit"):
            unit = units[match.group("unit").casefold()]
        elif match.group("currency"):
            unit = units[match.group("currency").casefold()]
        else:
            unit = _count_noun(sentence, match.end())
        low = _number(match.group("number")) * scale
        high = _number(match.group("number2")) * scale if match.group("number2") else low
        qualifier = match.group("qualifier")
        if qualifier and match.start() == 0:  # "More than 50,000 ..." opens the sentence
            qualifier = qualifier[:1].lower() + qualifier[1:]
        single = high <= low
        found.append(Figure(match.group(0).strip(), match.start(), match.end(), unit=unit, qualifier=qualifier,
                            value=_plain(low) if single else None, value_min=None if single else _plain(low),
                            value_max=None if single else _plain(high)))
        taken.append(match.span())
    for match in magnitude_re.finditer(sentence):
        if not free(*match.span()):
            continue
        magnitude = match.group("magnitude").casefold()
        found.append(Figure(match.group(0), match.start(), match.end(), magnitude=magnitude,
                            amount_text=match.group(0), unit=match.group("of")))
        taken.append(match.span())
    return sorted(found, key=lambda f: f.start)
