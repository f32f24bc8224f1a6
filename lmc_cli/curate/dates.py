"""Dates in a sentence, at the precision its words give, for lmc draft.

A regular expression finds where a date may be (a month name with a day and/or a year, a year,
a range of years, and the relative words of words.json); dateparser (the `curate` extra) reads
each one and reports its precision (`period`: day, month or year). lmc keeps only that much:
dateparser fills a missing day or month with the base date's (it turns "March 2016" into
2016-03-02 when run on a 2nd), so its date is cut to the period it reports, never taken whole.

A date is relative (left for the curator, flagged) when its words count from the day of writing,
which the text does not give: the relative words of words.json ("last week", "on Monday",
"since last year"), or any date that dateparser reads differently from two different "today"s
("in August", "March 3" without a year).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lmc_cli.curate.words import alternation, entries

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December"
          "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_MONTH = rf"(?:{MONTHS})\.?"
# Case-sensitive: a month is capitalised ("May" the month, not "may" the verb); a month without a
# day or year only after a preposition ("in August"), never alone ("May" at a sentence's start).
ABSOLUTE = re.compile(
    rf"\b{_DAY} (?:of )?{_MONTH},? {_YEAR}\b"
    rf"|\b{_MONTH} {_DAY},? {_YEAR}\b"
    rf"|\b{_MONTH},? {_YEAR}\b"
    rf"|\b{_MONTH} {_DAY}\b"
    rf"|\b{_DAY} (?:of )?{_MONTH}"
    rf"|(?<=\b[Ii]n ){_MONTH}(?![\w-])|(?<=\b[Ss]ince ){_MONTH}(?![\w-])|(?<=\b[Bb]y ){_MONTH}(?![\w-])"
)
YEAR_RANGE = re.compile(rf"(?<![\d,.])\b({_YEAR})\s?[-–]\s?({_YEAR})\b(?![\d,.]\d)")
# A year alone: not part of a longer number (4,880), a decimal, an amount ($2019) or a name (COVID-2019).
YEAR = re.compile(rf"(?<![\d,.$£€\w-])({_YEAR})(?![\d%]|[,.]\d|-\w)")


@dataclass(frozen=True)
class FoundDate:
    text: str  # the sentence's words for it
    start: int
    end: int
    value: str | None  # YYYY, YYYY-MM or YYYY-MM-DD, as precise as the words; None when relative
    end_value: str | None = None  # the end of a range of years ("2018-2022")
    relative: bool = False


@functools.cache
def relative_pattern() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(list(entries('relative_dates')), escape=False)})\b", re.IGNORECASE)


# Two "todays" a text is read against: a date that comes out differently depends on the day of writing.
_BASES = (datetime(2001, 2, 3), datetime(2012, 11, 25))
_PRECISION = {"year": 4, "month": 7, "day": 10}


@functools.cache
def _parser(base: datetime) -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DAY_OF_MONTH": "first"})


def parse_one(text: str) -> tuple[str | None, bool]:
    """(the date at the precision dateparser reports, or None; whether it depends on the day of writing)."""
    readings = []
    for base in _BASES:
        data = _parser(base).get_date_data(text)
        if data.date_obj is None:
            return None, False
        if data.period not in _PRECISION:  # "week", "time": resolved from today, so relative
            return None, True
        readings.append(data.date_obj.strftime("%Y-%m-%d")[: _PRECISION[data.period]])
    if readings[0] != readings[1]:
        return None, True
    if not _stated(readings[0], text):
        return None, False
    return readings[0], False


def _stated(value: str, text: str) -> bool:
    """The year (and the day, for a full date) are written in the words: nothing filled in."""
    numbers = {int(n) for n in re.findall(r"\d+", text)}
    return int(value[:4]) in numbers and (len(value) < 10 or int(value[8:]) in numbers)


def find_dates(sentence: str) -> list[FoundDate]:
    """Every date of a sentence, in order: absolute ones with their value, relative ones flagged."""
    found: list[FoundDate] = []

    def free(start: int, end: int) -> bool:
        return all(end <= f.start or start >= f.end for f in found)

    for match in YEAR_RANGE.finditer(sentence):
        low, high = match.group(1), match.group(2)
        if low <= high:
            found.append(FoundDate(match.group(0), match.start(), match.end(), low, high))
    for match in relative_pattern().finditer(sentence):
        if free(match.start(), match.end()):
            found.append(FoundDate(match.group(0), match.start(), match.end(), None, relative=True))
    for pattern in (ABSOLUTE, YEAR):
        for match in pattern.finditer(sentence):
            if not free(match.start(), match.end()):
                continue
            value, relative = parse_one(match.group(0))
            if value is None and not relative:
                continue  # not a date after all ("Mar 45")
            found.append(FoundDate(match.group(0), match.start(), match.end(), None if relative else value,
                                   relative=relative))
    return sorted(found, key=lambda f: f.start)
