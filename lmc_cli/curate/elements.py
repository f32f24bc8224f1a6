"""Sentences of a document and the checkable elements of each sentence, found mechanically.

Elements (docs/fact-format.md, "Coverage"):

- **number**: digits ("4,880", "33.5", "$1.7 billion", "17th") or a number word ("six",
  "Ninth", "billions"); a four-digit year is a date instead; list markers ("(1)"), the
  digits of a name ("COVID-19") and "one" as a pronoun ("one of", "one that") are not numbers;
- **date**: a month with a day and/or a year, a month alone ("in August"), a weekday ("on
  Monday"), a year ("in 2015");
- **name**: two or more capitalised words in a row (inside one name: "of", "the", "for",
  "on", "de"); a capital counts only where it is not the capital every sentence, clause or
  heading starts with. Given a whole document (`document_elements`), a word at such a place
  counts when the document capitalises it somewhere else mid-sentence; for a lone sentence
  (`elements`), the `leading` list of elements.json says which opening words name nothing;
- **claim**: a reporting verb ("said", "called for", "urged", "according to"), in lower
  case and not used as an adjective ("the proposed integration", "China-proposed").

The word lists are data (elements.json, each entry with its reason). The sentence splitter is
pysbd (the `curate` extra): rule-based, no model, 0.3 s for the five documents; it keeps
"U.S.", "Mr." and quotes inside one sentence. A line break always ends a sentence, and a
line that does not end like a sentence (a title, byline or section heading) is a heading.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lmc_cli.errors import UsageError

WORDS_FILE = Path(__file__).resolve().parent / "elements.json"
INSTALL_HINT = 'lmc: this command needs the curate extra; install it with: pip install "lmc-cli[curate]"'
# Characters a sentence ends with; a line ending otherwise is a heading ("■" ends an article).
SENTENCE_END = ".!?;\"”’')■"


class MissingExtra(UsageError):
    """The curate extra (pysbd) is not installed: one line saying how to install it."""


def _words() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    return data


def _listed(entries: Iterable[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for entry in entries:
        words = entry["words"]
        found.extend(words.split() if isinstance(words, str) else words)
    return found


_DATA = _words()
MONTH_NAMES = tuple(_DATA["months"]["words"].split())
WEEKDAYS = tuple(_DATA["weekdays"]["words"].split())
MONTHS = "|".join(MONTH_NAMES)
NUMBER_WORDS = (*_listed(_DATA["number_words"]), *_listed(_DATA["not_numbers"]))
# Number words that are pronouns before these words or before punctuation ('one of', 'one that').
PRONOUNS = {w: frozenset(e["not_before"].split()) for e in _DATA["not_numbers"] for w in e["words"].split()}
REPORTING_WORDS = tuple(_listed(_DATA["reporting"]))
ADJECTIVE_MARKERS = frozenset(_DATA["adjective_markers"]["words"].split())
CONNECTORS = frozenset(_DATA["name_connectors"]["words"].split())
LEADING = frozenset(_DATA["leading"]["words"].split())

_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])"
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
DATE = re.compile(
    rf"\b(?:{_DAY} (?:{MONTHS})(?:,? {_YEAR})?|(?:{MONTHS}) {_DAY}(?:st|nd|rd|th)?(?:,? {_YEAR})?"
    rf"|(?:{MONTHS}),? {_YEAR}|(?:{MONTHS})|(?:{'|'.join(WEEKDAYS)})|(?<![\d,.]){_YEAR}(?![\d]|[,.]\d))\b"
)
_SCALE = r"(?: (?:million|billion|trillion)\b)?"
DIGITS = re.compile(rf"\$?(?<![\d.,])(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?:st|nd|rd|th)?{_SCALE}%?")
NUMBER = re.compile(
    rf"{DIGITS.pattern}|\b(?:{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})\b", re.IGNORECASE
)
REPORTING = re.compile(
    r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(REPORTING_WORDS, key=len, reverse=True))
    + r")\b"
)
_CAP = r"(?:[A-Z][\w’'.-]*|[A-Z]{2,})"  # noqa: RUF001 - the curly apostrophe is meant
NAME = re.compile(rf"{_CAP}(?:(?:\s+(?:of|and|the|for|on|in|de|-)){{0,2}}\s+{_CAP})+")  # kept for callers
_OPENING = "(\"“‘'[-–—•*"  # noqa: RUF001 - curly quotes are meant
_CLOSING = ",;:.!?)\"”’'■]"  # noqa: RUF001
_CHUNK = re.compile(r"[^\s—–]+")  # noqa: RUF001 - dashes join words without spaces
_POSSESSIVE = re.compile(r"(?:[’']s?)$")  # noqa: RUF001


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    heading: bool = False  # a line that does not end like a sentence: a title, byline or heading


@dataclass(frozen=True)
class Element:
    kind: str  # number | date | name | claim
    text: str
    start: int = -1  # where in its sentence (-1: not known)

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def segmenter() -> Any:
    """pysbd's English segmenter; MissingExtra (one line, how to install) without the extra."""
    try:
        import pysbd
    except ImportError:
        raise MissingExtra(INSTALL_HINT.removeprefix("lmc: ")) from None
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def split(text: str) -> list[Sentence]:
    """The sentences of `text`, line by line (a line break always ends a sentence), with offsets."""
    sbd = segmenter()
    found: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        body = line.strip()
        heading = bool(body) and body[-1] not in SENTENCE_END
        if body:
            position = 0
            for span in sbd.segment(line):
                piece = span.sent.strip()
                if piece:
                    at = line.find(piece, max(position, span.start - 1))
                    if at < 0:
                        at = line.find(piece)
                    position = at + len(piece)
                    start = offset + at
                    found.append(Sentence(len(found), start, start + len(piece), piece, heading))
        offset += len(line) + 1
    return found


@dataclass(frozen=True)
class _Token:
    core: str  # the word without the punctuation around it (and without a possessive 's)
    start: int
    end: int
    initial: bool  # at the start of the sentence or of a clause (after ':', ';', a dash)
    opens: bool  # punctuation before it: a name cannot run into it from the left
    closes: bool  # punctuation after it: a name ends with it


def _tokens(sentence: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _CHUNK.finditer(sentence):
        chunk = match.group(0)
        lead = len(chunk) - len(chunk.lstrip(_OPENING))
        core = chunk[lead:].rstrip(_CLOSING)
        if not core:
            continue
        trail = len(chunk) - lead - len(core)
        if core[0].isupper() and not core.isupper():
            core = _POSSESSIVE.sub("", core) or core
        elif core.isupper():
            core = core.removesuffix("’S").removesuffix("'S")  # noqa: RUF001
        if core.endswith(".") and core.count(".") == 1:
            core = core[:-1]
        start = match.start() + lead
        before = sentence[:match.start()].rstrip()
        separated = match.start() > 0 and sentence[match.start() - 1] in "—–"  # noqa: RUF001
        initial = not before.rstrip(_OPENING) or before[-1] in ":;—–-" or separated  # noqa: RUF001
        tokens.append(_Token(core, start, start + len(core), initial, lead > 0 or separated, trail > 0))
    return tokens


def _capital(word: str) -> bool:
    return word[:1].isupper() and word not in MONTH_NAMES and word not in WEEKDAYS


def proper_words(sentences: Iterable[Sentence]) -> frozenset[str]:
    """Words a document capitalises somewhere mid-sentence (not at a start, not in a heading): its names."""
    found: set[str] = set()
    for sentence in sentences:
        if sentence.heading:
            continue
        for token in _tokens(sentence.text):
            if not token.initial and _capital(token.core):
                found.add(token.core)
    return frozenset(found)


def _is_proper(token: _Token, heading: bool, proper: frozenset[str] | None) -> bool:
    if not _capital(token.core):
        return False
    if proper is None:
        return not (token.initial and token.core in LEADING)
    if heading or token.initial:
        return token.core in proper
    return True


def _names(sentence: str, heading: bool = False, proper: frozenset[str] | None = None) -> list[tuple[int, int]]:
    """Spans of multi-word proper names: runs of proper words, with connectors inside."""
    spans: list[tuple[int, int]] = []
    run: list[_Token] = []
    pending = 0  # connectors seen since the last proper word

    def close() -> None:
        if len(run) >= 2:
            spans.append((run[0].start, run[-1].end))

    for token in _tokens(sentence):
        if _is_proper(token, heading, proper):
            if run and (token.opens or pending > 2):
                close()
                run = []
            run.append(token)
            pending = 0
            if token.closes:
                close()
                run = []
        elif run and token.core in CONNECTORS and not token.opens and not token.closes:
            pending += 1
        else:
            close()
            run, pending = [], 0
    close()
    return spans


def _adjective(sentence: str, start: int) -> bool:
    """A reporting verb used as an adjective: after a hyphen or a determiner."""
    if start > 0 and sentence[start - 1] == "-":
        return True
    before = sentence[:start].split()
    return bool(before) and before[-1].lower() in ADJECTIVE_MARKERS


def elements(sentence: str, *, heading: bool = False, proper: frozenset[str] | None = None) -> list[Element]:
    """The checkable elements of one sentence, in order of kind then place, each once.

    `proper`: the words its document capitalises mid-sentence (proper_words); without it, the
    opening words of the `leading` list are not names. `heading`: the sentence is a heading,
    whose capitals count only where `proper` has them.
    """
    found: list[Element] = []
    taken: list[tuple[int, int]] = []
    for m in DATE.finditer(sentence):
        found.append(Element("date", m.group(0), m.start()))
        taken.append(m.span())
    numbers: list[Element] = []
    for m in NUMBER.finditer(sentence):
        start, end = m.span()
        if any(a < end and start < b for a, b in taken):
            continue
        word = m.group(0).lower()
        if word in PRONOUNS:
            after = sentence[end:].split(maxsplit=1)
            if not after or not sentence[end:end + 1].isspace() or after[0].lower() in PRONOUNS[word]:
                continue  # a pronoun: 'one of the most important', 'a land-linked one'
        if m.group(0)[0] in "$0123456789":
            if start > 1 and sentence[start - 1] == "-" and sentence[start - 2].isalpha():
                continue  # the digits of a name: COVID-19
            if sentence[start - 1:start] == "(" and sentence[end:end + 1] == ")" and len(m.group(0)) == 1:
                continue  # a list marker: (1), (2)
        numbers.append(Element("number", m.group(0), start))
        taken.append((start, end))
    found += numbers
    found += [Element("name", sentence[a:b], a) for a, b in _names(sentence, heading, proper)]
    found += [Element("claim", m.group(0), m.start()) for m in REPORTING.finditer(sentence)
              if not _adjective(sentence, m.start())]
    unique: dict[tuple[str, str], Element] = {}
    for element in found:
        unique.setdefault((element.kind, normal(element.text)), element)
    return list(unique.values())


def document_elements(text: str) -> list[tuple[Sentence, list[Element]]]:
    """Every sentence of a document with its checkable elements, names judged against the
    whole document (proper_words)."""
    sentences = split(text)
    proper = proper_words(sentences)
    return [(s, elements(s.text, heading=s.heading, proper=proper)) for s in sentences]


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})  # noqa: RUF001


def normal(text: str) -> str:
    """Text compared loosely: case, curly marks, spaces and thousands separators do not count."""
    text = text.translate(_QUOTES).casefold()
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.sub(r"\s+", " ", text).strip()


def number_values() -> dict[str, int]:
    """Number words and the whole numbers they stand for ('six': 6, 'ninth': 9), from elements.json."""
    return dict(_NUMBER_VALUES)


_NUMBER_VALUES: dict[str, int] = dict(_DATA["number_values"]["values"])


__all__ = ["DATE", "INSTALL_HINT", "LEADING", "MONTHS", "NAME", "NUMBER", "REPORTING", "Element", "MissingExtra",
           "Sentence", "document_elements", "elements", "normal", "proper_words", "split"]
