"""`--format md`: Markdown to paste into notes. One fact: a paragraph, its details, each quote as
a block quote with its source. Several: a table with the top quote next to each fact.

Works on fact records (as JSON has them); text is escaped so that a fact pack's content is
never read as Markdown markup or HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lmc_cli.model import Document
from lmc_cli.output.cite import md_attribution, md_escape, unknown_document
from lmc_cli.output.columns import figure_text, source_labels

TABLE_COLUMNS = ("id", "date", "fact", "value", "sources", "top quote")


def value_text(record: dict[str, Any]) -> str:
    """The figure as people read it, whatever its kind (a number, a range, the source's words)."""
    return figure_text(record)


def date_text(record: dict[str, Any]) -> str:
    date = record.get("date") or ""
    if date and record.get("date_end"):
        date += f"–{record['date_end']}"
    return date + (" †" if date and record.get("date_editorial") else "")


def fact_paragraph(record: dict[str, Any], documents: dict[str, Document]) -> str:
    lines = [f"**{md_escape(record['title'])}** (`{md_escape(record['id'])}`)", "", md_escape(record["text"])]
    details = [("date", date_text(record)), ("value", value_text(record)), ("place", record.get("place") or "")]
    shown = [f"{name}: {md_escape(text)}" for name, text in details if text]
    if shown:
        lines += ["", " · ".join(shown)]
    for source in record.get("sources") or []:
        label = str(source["doc"])
        doc = documents.get(label) or unknown_document(label)
        says = f" (this document says: {source['says']})" if source.get("says") else ""
        lines += ["", f"> {md_escape(source['quote'])}{md_escape(says)}", ">",
                  f"> — {md_attribution(doc)} \\[document {md_escape(label)}\\]"]
    editorial = record.get("editorial") or {}
    if editorial.get("date"):
        lines += ["", f"† The public record gives {md_escape(editorial['date'])} "
                      f"({md_escape(editorial.get('reference') or '')})."]
    if record.get("disputed_by"):
        lines += ["", "⚠ Disputed: see " + ", ".join(f"`{md_escape(c)}`" for c in record["disputed_by"]) + "."]
    return "\n".join(lines) + "\n"


def cell(text: Any) -> str:
    return md_escape("" if text is None else str(text))


def facts_table(records: Sequence[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(TABLE_COLUMNS) + " |", "|" + "---|" * len(TABLE_COLUMNS)]
    for record in records:
        sources = list(record.get("sources") or [])
        top = f"“{cell(sources[0]['quote'])}” \\[{cell(sources[0]['doc'])}\\]" if sources else ""
        title = f"**{cell(record['title'])}** {cell(record['text'])}"
        if record.get("disputed_by"):
            title += " ⚠ disputed"
        row = [f"`{cell(record['id'])}`", cell(date_text(record)), title, cell(value_text(record)),
               cell(source_labels(sources)), top]
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append("† date from the public record, not the documents; ⚠ the sources disagree (lmc show ID).")
    return "\n".join(lines) + "\n"


def to_markdown(records: Sequence[dict[str, Any]], documents: dict[str, Document] | None = None) -> str:
    """One record as a paragraph with its quotes; several as a table; none as an empty string."""
    if not records:
        return ""
    if len(records) == 1:
        return fact_paragraph(records[0], documents or {})
    return facts_table(records)
