"""Records as text formats (json, jsonl, csv, tsv) and facts' values as plain text; no Rich."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from lmc_cli.model import Document, Fact
from lmc_cli.output import indented
from lmc_cli.output.columns import FACT_COLUMNS, fact_cells, figure_text
from lmc_cli.output.sanitise import neutralise
from lmc_cli.output.streams import _stdout_is_utf

TSV_COLUMNS = FACT_COLUMNS


SOURCE_COLUMNS = ("id", "kind", "title", "author", "translator", "outlet", "facts")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def tsv_cell(value: Any) -> str:
    if value is None:
        return ""
    # Most cells: printable ASCII without a backslash, which neither the escapes nor neutralise change.
    if isinstance(value, str) and value.isascii() and value.isprintable() and "\\" not in value:
        return value
    text = _plain(value)
    text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return neutralise(text)


def csv_cell(value: Any) -> str:
    text = neutralise("" if value is None else _plain(value))
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def fact_row(record: dict[str, Any]) -> list[Any]:
    return fact_cells(record)


def tsv_line(record: dict[str, Any]) -> str:
    """One fact's line of `to_tsv` (without a header)."""
    return "\t".join(tsv_cell(v) for v in fact_row(record)) + "\n"


def json_item(record: dict[str, Any], ascii_only: bool) -> str:
    """One record as an item of `to_json`'s array: indented by two, without the comma."""
    return "  " + indented.dumps(record, ascii_only).replace("\n", "\n  ")


def to_json(records: Sequence[dict[str, Any]]) -> str:
    return indented.dumps(list(records), not _stdout_is_utf()) + "\n"


def to_jsonl(records: Iterable[dict[str, Any]]) -> str:
    ascii_only = not _stdout_is_utf()
    return "".join(_json_safe(json.dumps(r, ensure_ascii=ascii_only)) + "\n" for r in records)


def _json_safe(text: str) -> str:
    """Escape what json.dumps leaves raw (DEL, C1 controls, bidi overrides) as \\uXXXX.

    These characters can only occur inside JSON strings, so the document stays valid and
    decodes to the exact same text; a terminal showing it is never driven by it.
    """
    return indented.json_safe(text)


def to_tsv(rows: Iterable[Sequence[Any]], header: Sequence[str] | None = None) -> str:
    lines = ["\t".join(header)] if header else []
    cell = tsv_cell
    # tsv_cell's two commonest cases inline (an empty cell, printable ASCII): a call saved per cell.
    lines.extend("\t".join(["" if v is None else v if type(v) is str and v.isascii() and v.isprintable()
                             and "\\" not in v else cell(v) for v in row]) for row in rows)
    return "".join(line + "\n" for line in lines)


def to_csv(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> str:
    import csv  # here: only CSV output needs it

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def render_records(
    records: Sequence[dict[str, Any]], format_: str, *, header: bool = False,
    documents: dict[str, Document] | None = None,
) -> str:
    """Fact records in a text format; TSV has no header unless asked (one fact per line).
    Markdown (md) names each quote's document from `documents`."""
    if format_ == "md":
        from lmc_cli.output.markdown import to_markdown

        return to_markdown(records, documents)
    if format_ == "json":
        return to_json(records)
    if format_ == "jsonl":
        return to_jsonl(records)
    rows = [fact_row(r) for r in records]
    if format_ == "csv":
        return to_csv(rows, TSV_COLUMNS)
    return to_tsv(rows, TSV_COLUMNS if header else None)


def render_documents(documents: Sequence[tuple[Document, int]], format_: str) -> str:
    records = [{**d.to_dict(), "facts": n} for d, n in documents]
    if format_ == "md":
        from lmc_cli.output.cite import md_attribution, md_escape

        lines = ["| id | attribution | facts |", "|---|---|---|"]
        lines += [f"| {md_escape(d.label)} | {md_attribution(d)} | {n} |" for d, n in documents]
        return "\n".join(lines) + "\n"
    if format_ == "json":
        return to_json(records)
    if format_ == "jsonl":
        return to_jsonl(records)
    rows = [[r.get("label"), r.get("kind"), r.get("title"), r.get("author"), r.get("translator"),
             r.get("outlet"), r.get("facts")] for r in records]
    if format_ == "csv":
        return to_csv(rows, SOURCE_COLUMNS)
    return to_tsv(rows)


def format_date(fact: Fact) -> str:
    date = fact.effective_date
    if not date:
        return ""
    shown = date if not fact.date_end else f"{date}–{fact.date_end}"
    return shown + (" †" if fact.date_is_editorial else "")


def format_value(fact: Fact) -> str:
    """The figure as people read it ("" when the fact gives none): see columns.figure_text."""
    if fact.figure is None:
        return ""
    return figure_text({"value": fact.value, "value_min": fact.value_min, "value_max": fact.value_max,
                        "amount_text": fact.amount_text, "qualifier": fact.qualifier, "unit": fact.unit})


def source_labels(fact: Fact) -> str:
    return ",".join(dict.fromkeys(c.label for c in fact.sources))


def fact_details(fact: Fact) -> list[tuple[str, str]]:
    """The structured fields a reader scans for under a fact's sentence."""
    details = [
        ("place", fact.place or ""),
        ("who", ", ".join(fact.participants)),
        ("outcomes", "; ".join(fact.outcomes)),
        ("measures", fact.measure or ""),
        ("role", fact.role or ""),
    ]
    return [(label, value) for label, value in details if value]
