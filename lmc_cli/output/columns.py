"""The one flat shape of a fact for CSV and TSV, shared by every command and by `lmc export`.

The first ten columns are those of output contract 1; the rest were added at the end
(docs/output-contract.md), so `cut -f1-10` and positional readers keep working.
Works on fact records (`Fact.to_dict()`, `Match.to_dict()`), so search scores come along.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# The version of docs/output-contract.md this code implements.
CONTRACT_VERSION = 2

# Contract 1's columns, then the citation and flags (contract 2), then every other field.
CORE_COLUMNS = ("id", "table", "date", "title", "value", "qualifier", "unit", "text", "sources", "score")
CITATION_COLUMNS = ("quote", "quote_doc", "disputed", "date_editorial")
DETAIL_COLUMNS = (
    "date_end", "measure", "place", "participants", "outcomes", "level", "ordinal", "role", "speaker",
    "aliases", "keywords", "related", "disputed_by", "editorial_date", "editorial_reference", "editorial_note",
    "pack", "quotes",
)
# Figures that are not a number (docs/fact-format.md, "Figures"): `value` stays empty for them.
FIGURE_COLUMNS = ("amount_text", "figure", "value_min", "value_max", "magnitude")
FACT_COLUMNS = CORE_COLUMNS + CITATION_COLUMNS + DETAIL_COLUMNS + FIGURE_COLUMNS

LIST_FIELDS = ("participants", "outcomes", "aliases", "keywords", "related", "disputed_by")
LIST_SEPARATOR = "; "
SOURCE_SEPARATOR = ","


def source_labels(sources: Sequence[dict[str, Any]]) -> str:
    """Each document once, in the order the fact first cites it, joined by "," (no space)."""
    return SOURCE_SEPARATOR.join(dict.fromkeys(str(s["doc"]) for s in sources))


def flag(value: bool) -> str:
    return "true" if value else "false"


def number(value: Any) -> Any:
    """50000.0 is written 50000: a figure keeps the precision its source gives."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def grouped(value: float | int) -> str:
    """50000 as 50,000 and 4.5 as 4.5: thousands grouped, no invented decimals."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def figure_text(record: dict[str, Any]) -> str:
    """A figure as people read it: "more than 50,000 people", "10 to 20 km", or the source's words.

    A figure with no number is shown in the source's words (`amount_text`), with its unit in
    brackets when the words do not name it: "billions of dollars", "millions (people)".
    """
    value, low, high = record.get("value"), record.get("value_min"), record.get("value_max")
    qualifier, unit, words = record.get("qualifier"), record.get("unit"), record.get("amount_text")
    if value is not None:
        parts = [qualifier, grouped(value), unit]
    elif low is not None and high is not None:
        parts = [qualifier, f"{grouped(low)} to {grouped(high)}", unit]
    elif words:
        shown_unit = unit if unit and unit.casefold() not in words.casefold() else None
        return f"{words} ({shown_unit})" if shown_unit else str(words)
    else:
        return ""
    return " ".join(str(p) for p in parts if p)


def fact_cells(record: dict[str, Any]) -> list[Any]:
    """A fact record as the cells of FACT_COLUMNS (None for an empty cell)."""
    sources = list(record.get("sources") or [])
    top = sources[0] if sources else {}
    editorial = record.get("editorial") or {}
    cells: dict[str, Any] = {
        "id": record.get("id"), "table": record.get("table"), "date": record.get("date"),
        "title": record.get("title"), "value": number(record.get("value")), "qualifier": record.get("qualifier"),
        "unit": record.get("unit"), "text": record.get("text"), "sources": source_labels(sources),
        "score": record.get("score"),
        "quote": top.get("quote"), "quote_doc": top.get("doc"),
        "disputed": flag(bool(record.get("disputed_by"))),
        "date_editorial": flag(bool(record.get("date_editorial"))),
        "editorial_date": editorial.get("date"), "editorial_reference": editorial.get("reference"),
        "editorial_note": editorial.get("note"), "pack": record.get("pack", "bundled"),
        "quotes": "\n".join(f"[{s['doc']}] {s['quote']}" for s in sources),
    }
    for name in ("date_end", "measure", "place", "level", "ordinal", "role", "speaker", "amount_text", "figure",
                 "magnitude"):
        cells[name] = record.get(name)
    for name in ("value_min", "value_max"):
        cells[name] = number(record.get(name))
    for name in LIST_FIELDS:
        cells[name] = LIST_SEPARATOR.join(str(item) for item in record.get(name) or ())
    return [cells[name] for name in FACT_COLUMNS]
