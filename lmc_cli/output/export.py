"""Whole-corpus exports for other tools: JSON, JSON Lines, CSV for spreadsheets, SQLite for
`sqlite3` and Datasette. Plain functions of facts and documents; no Typer, no Rich.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lmc_cli.model import Document, Fact

EXPORT_FORMATS = ("json", "jsonl", "csv", "sqlite")
SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
            ".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite"}
LIST_COLUMNS = ("participants", "outcomes", "aliases", "keywords", "related", "disputed_by")

# One row per fact; the CSV export has the same columns plus `sources` and `quotes`.
FACT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "TEXT PRIMARY KEY"),
    ("table_name", "TEXT NOT NULL"),
    ("title", "TEXT NOT NULL"),
    ("text", "TEXT NOT NULL"),
    ("date", "TEXT"),
    ("date_end", "TEXT"),
    ("date_editorial", "INTEGER NOT NULL"),
    ("span_start", "TEXT"),
    ("span_end", "TEXT"),
    ("value", "REAL"),
    ("unit", "TEXT"),
    ("qualifier", "TEXT"),
    ("measure", "TEXT"),
    ("place", "TEXT"),
    ("level", "TEXT"),
    ("ordinal", "INTEGER"),
    ("role", "TEXT"),
    ("speaker", "TEXT REFERENCES facts(id) DEFERRABLE INITIALLY DEFERRED"),
    ("participants", "TEXT"),
    ("outcomes", "TEXT"),
    ("aliases", "TEXT"),
    ("keywords", "TEXT"),
    ("related", "TEXT"),
    ("disputed_by", "TEXT"),
    ("editorial_date", "TEXT"),
    ("editorial_reference", "TEXT"),
    ("editorial_note", "TEXT"),
    ("pack", "TEXT NOT NULL"),
)
SOURCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "TEXT PRIMARY KEY"),
    ("doc_id", "TEXT NOT NULL"),
    ("pack", "TEXT NOT NULL"),
    ("kind", "TEXT NOT NULL"),
    ("title", "TEXT NOT NULL"),
    ("title_is_descriptive", "INTEGER NOT NULL"),
    ("author", "TEXT"),
    ("affiliation", "TEXT"),
    ("translator", "TEXT"),
    ("outlet", "TEXT"),
    ("file", "TEXT"),
    ("sha256", "TEXT"),
    ("note", "TEXT"),
)
FTS_COLUMNS = ("title", "text", "aliases")


def format_for(output: str) -> str | None:
    """The export format an output path's suffix implies, if any."""
    return SUFFIXES.get(Path(output).suffix.lower()) if output != "-" else None


def fact_row(fact: Fact) -> dict[str, Any]:
    """A fact as flat, typed columns: lists as JSON text, booleans as 0/1."""
    span = fact.span()
    editorial = fact.editorial
    row: dict[str, Any] = {
        "id": fact.id, "table_name": fact.table, "title": fact.title, "text": fact.text,
        "date": fact.effective_date, "date_end": fact.date_end, "date_editorial": int(fact.date_is_editorial),
        "span_start": span[0] if span else None, "span_end": span[1] if span else None,
        "value": float(fact.value) if fact.value is not None else None,
        "unit": fact.unit, "qualifier": fact.qualifier, "measure": fact.measure, "place": fact.place,
        "level": fact.level, "ordinal": fact.ordinal, "role": fact.role, "speaker": fact.speaker,
        "editorial_date": editorial.date if editorial else None,
        "editorial_reference": editorial.reference if editorial else None,
        "editorial_note": editorial.note if editorial else None,
        "pack": fact.pack,
    }
    for name in LIST_COLUMNS:
        items = list(getattr(fact, name))
        row[name] = json.dumps(items, ensure_ascii=False) if items else None
    return row


def source_row(document: Document) -> dict[str, Any]:
    return {
        "id": document.label, "doc_id": document.id, "pack": document.pack, "kind": document.kind,
        "title": document.title, "title_is_descriptive": int(document.title_is_descriptive),
        "author": document.author, "affiliation": document.affiliation, "translator": document.translator,
        "outlet": document.outlet, "file": document.file, "sha256": document.sha256, "note": document.note,
    }


def to_json(facts: Sequence[Fact]) -> str:
    """The same records and escaping as `--format json` (control characters as \\uXXXX)."""
    from lmc_cli.output.render import to_json as write_json

    return write_json([f.to_dict() for f in facts])


def to_jsonl(facts: Sequence[Fact]) -> str:
    from lmc_cli.output.render import to_jsonl as write_jsonl

    return write_jsonl(f.to_dict() for f in facts)


def to_csv(facts: Sequence[Fact]) -> str:
    """Every fact column, lists joined with "; ", then `sources` (labels) and `quotes` (one per line)."""
    from lmc_cli.output.render import to_csv as write_csv

    header = [name for name, _ in FACT_COLUMNS] + ["sources", "quotes"]
    rows = []
    for fact in facts:
        row = fact_row(fact)
        for name in LIST_COLUMNS:
            row[name] = "; ".join(getattr(fact, name))
        if fact.value is not None:
            row["value"] = fact.value
        sources = ", ".join(dict.fromkeys(c.label for c in fact.sources))
        quotes = "\n".join(f"[{c.label}] {c.quote}" for c in fact.sources)
        rows.append([row[name] for name, _ in FACT_COLUMNS] + [sources, quotes])
    return write_csv(rows, header)


def _create_table(name: str, columns: Sequence[tuple[str, str]], extra: Sequence[str] = ()) -> str:
    lines = [f'"{column}" {kind}' for column, kind in columns] + list(extra)
    return f'CREATE TABLE "{name}" (\n  ' + ",\n  ".join(lines) + "\n)"


SCHEMA = (
    _create_table("facts", FACT_COLUMNS),
    _create_table("sources", SOURCE_COLUMNS),
    _create_table(
        "fact_sources",
        (("fact_id", "TEXT NOT NULL REFERENCES facts(id)"), ("doc", "TEXT NOT NULL REFERENCES sources(id)"),
         ("quote", "TEXT NOT NULL"), ("says", "TEXT"), ("position", "INTEGER NOT NULL")),
        ("PRIMARY KEY (fact_id, position)",),
    ),
    'CREATE INDEX "idx_facts_table_name" ON "facts" ("table_name")',
    'CREATE INDEX "idx_facts_span_start" ON "facts" ("span_start")',
    'CREATE INDEX "idx_fact_sources_doc" ON "fact_sources" ("doc")',
    # An external-content FTS5 table named like sqlite-utils' so Datasette offers search on `facts`.
    'CREATE VIRTUAL TABLE "facts_fts" USING FTS5 (' + ", ".join(f'"{c}"' for c in FTS_COLUMNS) + ', content="facts")',
)


def write_sqlite(facts: Sequence[Fact], documents: dict[str, Document], path: Path) -> None:
    """Write a fresh database at `path` (built beside it, then moved into place)."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        connection = sqlite3.connect(tmp)
        try:
            fill_database(connection, facts, documents)
        finally:
            connection.close()
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def fill_database(connection: sqlite3.Connection, facts: Sequence[Fact], documents: dict[str, Document]) -> None:
    connection.execute("PRAGMA foreign_keys = ON")
    with connection:
        for statement in SCHEMA:
            connection.execute(statement)
        _insert(connection, "sources", [c for c, _ in SOURCE_COLUMNS],
                [source_row(d) for _, d in sorted(documents.items())])
        _insert(connection, "facts", [c for c, _ in FACT_COLUMNS], [fact_row(f) for f in facts])
        links = [
            {"fact_id": f.id, "doc": c.label, "quote": c.quote, "says": c.says, "position": n}
            for f in facts for n, c in enumerate(f.sources, 1)
        ]
        _insert(connection, "fact_sources", ["fact_id", "doc", "quote", "says", "position"], links)
        connection.execute("INSERT INTO facts_fts (facts_fts) VALUES ('rebuild')")
    connection.execute("VACUUM")


def _insert(connection: sqlite3.Connection, table: str, columns: Sequence[str], rows: list[dict[str, Any]]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(f":{c}" for c in columns)
    connection.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
