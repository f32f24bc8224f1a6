"""Typed records for documents, facts and matches, and partial dates."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import Any

DATE_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


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
    last = 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month - 1]
    if day is None:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    if not 1 <= day <= last:
        raise ValueError(f"{value!r} has no day {day}")
    return (value, value)


@dataclass(frozen=True, slots=True)
class Document:
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


@dataclass(frozen=True, slots=True)
class Citation:
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


@dataclass(frozen=True, slots=True)
class Editorial:
    reference: str
    date: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "reference": self.reference, "note": self.note}


@dataclass(frozen=True, slots=True)
class Fact:
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
    unit: str | None = None
    qualifier: str | None = None
    measure: str | None = None
    role: str | None = None
    speaker: str | None = None
    related: tuple[str, ...] = ()
    disputed_by: tuple[str, ...] = ()
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
        record.update({k: v for k, v in optional.items() if v not in (None, [])})
        if self.pack != "bundled":
            record["pack"] = self.pack
        return record


@dataclass(frozen=True, slots=True)
class Match:
    """A fact found for a query, with how well and why."""

    fact: Fact
    score: float
    coverage: float = 1.0
    terms: tuple[str, ...] = field(default=())
    confidence: float | None = None  # how sure lmc is that this fact answers the question (0..1)

    def to_dict(self) -> dict[str, Any]:
        record = self.fact.to_dict()
        record["score"] = round(self.score, 1)
        if self.confidence is not None:
            record["confidence"] = round(self.confidence, 2)
        return record
