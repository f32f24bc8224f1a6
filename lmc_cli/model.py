"""Typed records for documents, facts and matches, and partial dates.

The records are NamedTuples: typed and immutable like frozen dataclasses, but a class costs
no generated code at import (six slotted dataclasses cost 8-13 ms of every start-up, nearly
all of it `dataclasses` compiling their methods) and a Fact is built in a third of the time.
`_replace` is dataclasses.replace, `_fields` the field names. Equality is a dataclass's: a
record equals only a record of its own class with equal fields, never a plain tuple or a
record of another class holding the same values (a set or dict of mixed records keeps them
apart), and records have no order (sorting them raises TypeError, as a dataclass's would).
Still tuples to `json.dumps`, which writes one as a bare list: `to_dict()` is the record.
"""

import re
from typing import Any, NamedTuple

DATE_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Orders of magnitude a source may give instead of a number ("billions of dollars"): the word
# as `magnitude` takes it, and the powers of ten the figure lies between (low included, high
# not). "billions" is at least 10**9 and below 10**12, where "trillions" starts; "tens of
# millions" lies between 10**7 and 10**8. The figure sorts at its low bound. No word here
# stands for a number: `value` stays empty and `amount_text` keeps the source's words.
MAGNITUDES: dict[str, tuple[int, int]] = {
    "tens": (1, 2),
    "hundreds": (2, 3),
    "thousands": (3, 6),
    "tens of thousands": (4, 5),
    "hundreds of thousands": (5, 6),
    "millions": (6, 9),
    "tens of millions": (7, 8),
    "hundreds of millions": (8, 9),
    "billions": (9, 12),
    "tens of billions": (10, 11),
    "hundreds of billions": (11, 12),
    "trillions": (12, 15),
}

# What kind of figure a fact gives, in sort order among equal bounds:
#   number     `value`, the number the source gives (with `qualifier` when it hedges it:
#              "more than", "nearly", "about"; an approximate number is still a number)
#   range      `value_min` to `value_max`, both as the source gives them
#   magnitude  an order of magnitude (`magnitude`, one of MAGNITUDES) and the source's words
#   words      the source's words for an amount, with no number at all ("multiple")
FIGURE_KINDS = ("number", "range", "magnitude", "words")


def _same_record(self: tuple[Any, ...], other: object) -> bool:
    """`==` of two records: the same class and equal fields (tuple.__eq__ alone ignores the class)."""
    return type(other) is type(self) and tuple.__eq__(self, other)


def _other_record(self: tuple[Any, ...], other: object) -> bool:
    return not _same_record(self, other)


def _unordered(self: tuple[Any, ...], other: object) -> bool:
    """`<` and the like: records have no order (tuples would compare field by field)."""
    raise TypeError(f"{type(self).__name__} records have no order; sort by a key")


def _is_leap(year: int) -> bool:
    """calendar.isleap, without importing calendar (and locale) for it."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def date_bounds(value: str) -> tuple[str, str]:
    """First and last ISO day covered by a partial date ("2016" covers the whole year).

    Raises ValueError for anything that is not YYYY, YYYY-MM or YYYY-MM-DD on a real day.
    """
    found = DATE_PATTERN.fullmatch(value)
    if not found:
        raise ValueError(f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(found.group(1))
    month = int(found.group(2)) if found.group(2) else None
    day = int(found.group(3)) if found.group(3) else None
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    if not 1 <= month <= 12:
        raise ValueError(f"{value!r} has no month {month}")
    last = 29 if month == 2 and _is_leap(year) else _MONTH_DAYS[month - 1]
    if day is None:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    if not 1 <= day <= last:
        raise ValueError(f"{value!r} has no day {day}")
    return (value, value)


class Document(NamedTuple):
    id: str
    title: str
    kind: str
    file: str | None = None
    sha256: str | None = None
    title_is_descriptive: bool = False
    author: str | None = None
    translator: str | None = None
    affiliation: str | None = None
    outlet: str | None = None
    note: str | None = None
    pack: str = "bundled"

    @property
    def label(self) -> str:
        return self.id if self.pack == "bundled" else f"{self.pack}:{self.id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "title": self.title,
            "title_is_descriptive": self.title_is_descriptive,
            "kind": self.kind,
            "file": self.file,
            "sha256": self.sha256,
            "author": self.author,
            "translator": self.translator,
            "affiliation": self.affiliation,
            "outlet": self.outlet,
            "note": self.note,
            "pack": self.pack,
        }


class Citation(NamedTuple):
    doc: str
    quote: str
    says: str | None = None
    pack: str = "bundled"

    @property
    def label(self) -> str:
        return self.doc if self.pack == "bundled" else f"{self.pack}:{self.doc}"

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {"doc": self.label, "quote": self.quote}
        if self.says is not None:
            record["says"] = self.says
        return record


class Editorial(NamedTuple):
    reference: str
    date: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "reference": self.reference, "note": self.note}


class Fact(NamedTuple):
    id: str
    table: str
    title: str
    text: str
    sources: tuple[Citation, ...]
    date: str | None = None
    date_end: str | None = None
    editorial: Editorial | None = None
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    # Questions the fact answers, for retrieval only: never printed as an answer field.
    questions: tuple[str, ...] = ()
    place: str | None = None
    participants: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    level: str | None = None
    ordinal: int | None = None
    value: float | int | None = None
    value_min: float | int | None = None
    value_max: float | int | None = None
    magnitude: str | None = None
    amount_text: str | None = None
    unit: str | None = None
    qualifier: str | None = None
    measure: str | None = None
    role: str | None = None
    speaker: str | None = None
    related: tuple[str, ...] = ()
    disputed_by: tuple[str, ...] = ()
    # A stub written by `lmc draft` that no curator has checked yet: never answered without
    # --drafts, and reported by `lmc validate` until the mark is removed.
    draft: bool = False
    pack: str = "bundled"
    path: str = ""

    @property
    def effective_date(self) -> str | None:
        if self.date:
            return self.date
        return self.editorial.date if self.editorial else None

    @property
    def date_is_editorial(self) -> bool:
        return not self.date and self.editorial is not None and self.editorial.date is not None

    @property
    def figure(self) -> str | None:
        """The kind of figure (one of FIGURE_KINDS), or None when the fact gives no figure."""
        if self.value is not None:
            return "number"
        if self.value_min is not None:
            return "range"
        if self.magnitude is not None:
            return "magnitude"
        if self.amount_text is not None:
            return "words"
        return None

    def figure_bounds(self) -> tuple[float, float] | None:
        """The least and the most the figure can mean, or None when it has no number at all.

        A range gives its ends and an order of magnitude its powers of ten (MAGNITUDES). A number
        is its own bounds, whatever its qualifier says: "more than 50,000" is not widened
        into a guess.
        """
        if self.value is not None:
            return float(self.value), float(self.value)
        if self.value_min is not None and self.value_max is not None:
            return float(self.value_min), float(self.value_max)
        if self.magnitude in MAGNITUDES:
            low, high = MAGNITUDES[self.magnitude]
            return float(10**low), float(10**high)
        return None

    def figure_sort_key(self) -> tuple[int, float, int, float, str]:
        """Figures from the least to the most they can mean; then the words alone; then no figure.

        Equal lower bounds go by kind (number, range, magnitude), then by the upper bound, then by id.
        """
        kind = self.figure
        bounds = self.figure_bounds()
        if kind is None:
            return 2, 0.0, 0, 0.0, self.id
        if bounds is None:
            return 1, 0.0, FIGURE_KINDS.index(kind), 0.0, self.id
        return 0, bounds[0], FIGURE_KINDS.index(kind), bounds[1], self.id

    def span(self) -> tuple[str, str] | None:
        """The ISO days the fact covers, from its date to its end date, if dated."""
        start = self.effective_date
        if start is None:
            return None
        low, high = date_bounds(start)
        if self.date_end:
            high = date_bounds(self.date_end)[1]
        return low, high

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "table": self.table,
            "title": self.title,
            "text": self.text,
            "date": self.effective_date,
            "date_editorial": self.date_is_editorial,
            "sources": [c.to_dict() for c in self.sources],
        }
        optional: dict[str, Any] = {
            "date_end": self.date_end,
            "editorial": self.editorial.to_dict() if self.editorial else None,
            "value": self.value,
            "value_min": self.value_min,
            "value_max": self.value_max,
            "magnitude": self.magnitude,
            "amount_text": self.amount_text,
            "figure": self.figure,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "measure": self.measure,
            "place": self.place,
            "participants": list(self.participants),
            "outcomes": list(self.outcomes),
            "level": self.level,
            "ordinal": self.ordinal,
            "role": self.role,
            "speaker": self.speaker,
            "aliases": list(self.aliases),
            "keywords": list(self.keywords),
            "related": list(self.related),
            "disputed_by": list(self.disputed_by),
        }
        # A figure the source gives without a number keeps `value`, as null: never a guess.
        figure = self.figure is not None
        record.update({k: v for k, v in optional.items() if v not in (None, []) or (k == "value" and figure)})
        if self.draft:  # only drafts carry the field, so every other record keeps its shape
            record["draft"] = True
        if self.pack != "bundled":
            record["pack"] = self.pack
        return record


def answerable(facts: list[Fact], drafts: bool) -> list[Fact]:
    """The facts lmc answers from: all of them with `drafts`, else those that are not drafts."""
    return facts if drafts else [f for f in facts if not f.draft]


class Ignored(NamedTuple):
    """A sentence of a document that a pack's coverage ignore file says carries no fact, and why."""

    doc: str
    sentence: str
    reason: str
    pack: str = "bundled"
    path: str = ""

    @property
    def label(self) -> str:
        return self.doc if self.pack == "bundled" else f"{self.pack}:{self.doc}"

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.label, "sentence": self.sentence, "reason": self.reason}


class Match(NamedTuple):
    """A fact found for a query, with how well and why."""

    fact: Fact
    score: float
    coverage: float = 1.0
    terms: tuple[str, ...] = ()
    confidence: float | None = None  # how sure lmc is that this fact answers the question (0..1)

    def to_dict(self) -> dict[str, Any]:
        record = self.fact.to_dict()
        record["score"] = round(self.score, 1)
        if self.confidence is not None:
            record["confidence"] = round(self.confidence, 2)
        return record


# Set on the classes rather than in their bodies: a NamedTuple's body declares its fields (to mypy too).
for _record in (Document, Citation, Editorial, Fact, Ignored, Match):
    for _name, _method in (("__eq__", _same_record), ("__ne__", _other_record), ("__hash__", tuple.__hash__),
                           ("__lt__", _unordered), ("__le__", _unordered), ("__gt__", _unordered),
                           ("__ge__", _unordered)):
        setattr(_record, _name, _method)
del _record, _name, _method
