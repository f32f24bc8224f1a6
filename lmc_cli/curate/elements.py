"""Sentences of a document and the checkable elements of each sentence, found mechanically.

Elements: each number (digits or a number word), date (a month name with a day or year),
multi-word proper name (two or more capitalised words, connectors allowed inside) and attributed
claim (a reporting verb). The sentence splitter is pysbd (the `curate` extra): rule-based, no
model, 0.3 s for the five documents; it keeps "U.S.", "Mr." and quotes inside one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INSTALL_HINT = "lmc: this command needs the curate extra; install it with: pip install 'lmc-cli[curate]'"

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(
    rf"\b(?:\d{{1,2}} (?:{MONTHS})(?: \d{{4}})?|(?:{MONTHS})(?: \d{{1,2}})?,? \d{{4}}|(?:{MONTHS}) \d{{1,2}})\b"
)
NUMBER = re.compile(
    r"\b\d[\d,]*(?:\.\d+)?\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|hundreds?|thousands?|"
    r"millions?|billions?|dozens?)\b",
    re.IGNORECASE,
)
REPORTING = re.compile(
    r"\b(?:said|says|say|called|calls|call(?:ed)? for|proposed|proposes|announced|announces|stated|states|"
    r"stressed|stresses|emphasi[sz]ed|emphasi[sz]es|noted|notes|urged|urges|pointed out|told|added|"
    r"highlighted|highlights|underscored|declared|suggested|argued|believes|warned|expressed|agreed)\b",
    re.IGNORECASE,
)
_CAP = r"(?:[A-Z][\w’'.-]*|[A-Z]{2,})"  # noqa: RUF001 - the curly apostrophe is meant
NAME = re.compile(rf"{_CAP}(?:(?:\s+(?:of|and|the|for|on|in|de|-)){{0,2}}\s+{_CAP})+")
# Words that open a sentence or a clause capitalised without naming anything.
LEADING = frozenset(
    ["The", "A", "An", "In", "On", "At", "During", "Through", "As", "By", "For", "With", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We", "Since", "After", "Before", "While", "When", "Under", "From", "To", "Meanwhile", "However", "Moreover", "And", "But", "If"]  # noqa: E501
)


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Element:
    kind: str  # number | date | name | claim
    text: str


def split(text: str) -> list[Sentence]:
    """The sentences of `text`, line by line (a line break always ends a sentence), with offsets."""
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    found: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            for span in segmenter.segment(line):
                body = span.sent.strip()
                if body:
                    start = offset + line.find(body, max(0, span.start - 1))
                    found.append(Sentence(len(found), start, start + len(body), body))
        offset += len(line) + 1
    return found


def _names(sentence: str) -> list[str]:
    names = []
    for match in NAME.finditer(sentence):
        words = match.group(0).split()
        while words and words[0] in LEADING:
            words.pop(0)
        while words and words[-1] in {"of", "and", "the", "for", "on", "in", "-"}:
            words.pop()
        if len([w for w in words if w[:1].isupper()]) >= 2:
            names.append(" ".join(words))
    return names


def elements(sentence: str) -> list[Element]:
    """The checkable elements of one sentence, in order, each once."""
    found: list[Element] = []
    dates = [m.group(0) for m in DATE.finditer(sentence)]
    found += [Element("date", d) for d in dates]
    in_dates = " ".join(dates)
    for m in NUMBER.finditer(sentence):
        if m.group(0) not in in_dates:
            found.append(Element("number", m.group(0)))
    found += [Element("name", n) for n in _names(sentence)]
    found += [Element("claim", m.group(0)) for m in REPORTING.finditer(sentence)]
    unique: dict[tuple[str, str], Element] = {}
    for element in found:
        unique.setdefault((element.kind, normal(element.text)), element)
    return list(unique.values())


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normal(text: str) -> str:
    """Text compared loosely: case, curly marks, spaces and thousands separators do not count."""
    text = text.translate(_QUOTES).casefold()
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.sub(r"\s+", " ", text).strip()
