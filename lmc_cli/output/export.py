"""Whole-corpus exports for other tools: JSON, JSON Lines, CSV for spreadsheets, SQLite for
`sqlite3` and Datasette. Plain functions of facts and documents; no Typer, no Rich.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lmc_cli.model import Document, Fact

EXPORT_FORMATS = ("json", "jsonl", "csv", "tsv", "sqlite")
SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
            ".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite"}
LIST_COLUMNS = ("participants", "outcomes", "aliases", "keywords", "related", "disputed_by")
# Marks a database as lmc's own (PRAGMA application_id), so that a new export may replace it
# and never replaces anything else: "LMC1" as a big-endian 32-bit integer.
APPLICATION_ID = 0x4C4D4331

# One row per fact, the columns a reader looks at first; `value` has NUMERIC affinity so that
# 50000 stays an integer and 2.5 a real. `quotes` (every quote, "[doc] quote" per line) is
# there for the full-text index and for reading; the quotes one by one are in fact_sources.
FACT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "TEXT PRIMARY KEY"),
    ("table_name", "TEXT NOT NULL"),
    ("title", "TEXT NOT NULL"),
    ("text", "TEXT NOT NULL"),
    ("date", "TEXT"),
    ("date_end", "TEXT"),
    ("date_editorial", "INTEGER NOT NULL"),
    ("value", "NUMERIC"),
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
    ("quotes", "TEXT NOT NULL"),
    ("pack", "TEXT NOT NULL"),
    # Figures that are not a number: `value` is NULL for them (docs/fact-format.md, "Figures").
    ("amount_text", "TEXT"),
    ("figure", "TEXT"),
    ("value_min", "NUMERIC"),
    ("value_max", "NUMERIC"),
    ("magnitude", "TEXT"),
)
# Internal: the ISO days a dated fact covers, for range queries; hidden in Datasette.
SPAN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("fact_id", "TEXT PRIMARY KEY REFERENCES facts(id)"),
    ("span_start", "TEXT NOT NULL"),
    ("span_end", "TEXT NOT NULL"),
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
FTS_COLUMNS = ("title", "text", "aliases", "keywords", "quotes")
# Porter stemming over Unicode words: "arrest" finds "arrests" and "arrested".
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"


def format_for(output: str) -> str | None:
    """The export format an output path's suffix implies, if any."""
    return SUFFIXES.get(Path(output).suffix.lower()) if output != "-" else None


def quotes_text(fact: Fact) -> str:
    return "\n".join(f"[{c.label}] {c.quote}" for c in fact.sources)


def fact_row(fact: Fact) -> dict[str, Any]:
    """A fact as flat, typed columns: lists as JSON text, booleans as 0/1, whole numbers as integers."""
    editorial = fact.editorial
    value, low, high = (int(v) if isinstance(v, float) and v.is_integer() else v
                        for v in (fact.value, fact.value_min, fact.value_max))
    row: dict[str, Any] = {
        "id": fact.id, "table_name": fact.table, "title": fact.title, "text": fact.text,
        "date": fact.effective_date, "date_end": fact.date_end, "date_editorial": int(fact.date_is_editorial),
        "value": value, "unit": fact.unit, "qualifier": fact.qualifier, "measure": fact.measure,
        "place": fact.place, "level": fact.level, "ordinal": fact.ordinal, "role": fact.role,
        "speaker": fact.speaker,
        "editorial_date": editorial.date if editorial else None,
        "editorial_reference": editorial.reference if editorial else None,
        "editorial_note": editorial.note if editorial else None,
        "quotes": quotes_text(fact), "pack": fact.pack,
        "amount_text": fact.amount_text, "figure": fact.figure, "value_min": low, "value_max": high,
        "magnitude": fact.magnitude,
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
    from lmc_cli.output.formats import to_json as write_json

    return write_json([f.to_dict() for f in facts])


def to_jsonl(facts: Sequence[Fact]) -> str:
    from lmc_cli.output.formats import to_jsonl as write_jsonl

    return write_jsonl(f.to_dict() for f in facts)


def to_csv(facts: Sequence[Fact]) -> str:
    """The one fact shape of every command's CSV (lmc_cli/output/columns.py), with a header."""
    from lmc_cli.output.formats import render_records

    return render_records([f.to_dict() for f in facts], "csv")


def to_tsv(facts: Sequence[Fact]) -> str:
    """The same columns as TSV: no header, one fact per line, like every command's TSV."""
    from lmc_cli.output.formats import render_records

    return render_records([f.to_dict() for f in facts], "tsv")


def _create_table(name: str, columns: Sequence[tuple[str, str]], extra: Sequence[str] = ()) -> str:
    lines = [f'"{column}" {kind}' for column, kind in columns] + list(extra)
    return f'CREATE TABLE "{name}" (\n  ' + ",\n  ".join(lines) + "\n)"


SCHEMA = (
    _create_table("facts", FACT_COLUMNS),
    _create_table("fact_spans", SPAN_COLUMNS),
    _create_table("sources", SOURCE_COLUMNS),
    _create_table(
        "fact_sources",
        (("fact_id", "TEXT NOT NULL REFERENCES facts(id)"), ("doc", "TEXT NOT NULL REFERENCES sources(id)"),
         ("quote", "TEXT NOT NULL"), ("says", "TEXT"), ("position", "INTEGER NOT NULL")),
        ("PRIMARY KEY (fact_id, position)",),
    ),
    'CREATE INDEX "idx_facts_table_name" ON "facts" ("table_name")',
    'CREATE INDEX "idx_fact_spans_start" ON "fact_spans" ("span_start")',
    'CREATE INDEX "idx_fact_sources_doc" ON "fact_sources" ("doc")',
    # An external-content FTS5 table named like sqlite-utils' so Datasette offers search on `facts`.
    'CREATE VIRTUAL TABLE "facts_fts" USING FTS5 (' + ", ".join(f'"{c}"' for c in FTS_COLUMNS)
    + f", content=\"facts\", tokenize='{FTS_TOKENIZER}')",
)

COLUMN_DESCRIPTIONS = {
    "facts": {
        "id": "stable fact id: lmc show ID, lmc cite ID",
        "table_name": "the fact table: meetings, stats, events, statements, conflicts, ...",
        "title": "the fact's name",
        "text": "the fact in one sentence; it says no more than its quotes",
        "date": "ISO 8601 at the precision known (2016, 2016-03, 2016-03-23)",
        "date_end": "last day, month or year of a span",
        "date_editorial": "1 when the date comes from the public record, not from the documents",
        "value": "the figure's number, as the source gives it (an integer stays an integer); NULL when it gives none",
        "amount_text": "the source's words for a figure that is not a number: billions of dollars, millions",
        "figure": "the kind of figure: number, range, magnitude (an order of magnitude) or words",
        "value_min": "a range's lower end",
        "value_max": "a range's upper end",
        "magnitude": "an order of magnitude the source gives instead of a number: thousands, millions, billions",
        "unit": "what the figure counts in",
        "qualifier": "the source's own hedge: more than, about, over",
        "measure": "what the figure measures",
        "place": "where",
        "level": "level of a meeting (leaders, foreign ministers, ...)",
        "ordinal": "1 for the first meeting of a series, 2 for the second, ...",
        "role": "a person's role, as the documents state it",
        "speaker": "fact id of the person who said it",
        "participants": "JSON list of who took part",
        "outcomes": "JSON list of what a meeting decided",
        "aliases": "JSON list of other names, Chinese names included",
        "keywords": "JSON list of search words the quotes support",
        "related": "JSON list of related fact ids",
        "disputed_by": "JSON list of conflict fact ids: the documents disagree on this fact",
        "editorial_date": "the date the public record gives, where the documents give another or none",
        "editorial_reference": "where the public record says so",
        "editorial_note": "why the editorial note is there",
        "quotes": "every quote the fact rests on, one per line: [document] quote",
        "pack": "fact pack: bundled, or the name of a pack loaded with --facts",
    },
    "sources": {
        "id": "document label cited in fact_sources.doc (pack:doc for a user pack)",
        "doc_id": "document id within its pack",
        "kind": "analysis, commentary, report, ... as the document presents itself",
        "title": "the document's headline, or a description where it has none",
        "title_is_descriptive": "1 when the title is a description written for lmc, not the document's own",
        "author": "author as the document names them",
        "affiliation": "the author's affiliation as the document states it",
        "translator": "translator as the document names them",
        "outlet": "outlet as the document names it",
        "file": "file name of the document text",
        "sha256": "SHA-256 of the document text",
        "note": "what the document does and does not state about itself",
    },
    "fact_sources": {
        "fact_id": "the fact",
        "doc": "the document quoted",
        "quote": "the sentence, verbatim",
        "says": "what this document says where the documents disagree",
        "position": "order of the quote within the fact (1 is the top quote)",
    },
}
TABLE_DESCRIPTIONS = {
    "facts": "One row per fact. Search covers title, text, aliases, keywords and quotes, stemmed (arrest finds "
             "arrests). Each fact's quotes, one per row, are in fact_sources.",
    "sources": "The documents the facts are curated from, with the attribution each states about itself.",
    "fact_sources": "Every quote: which fact it supports, from which document, verbatim.",
}
METADATA_ABOUT = "lmc export"


def metadata_path(path: Path) -> Path:
    """Where the Datasette metadata goes: lmc.db -> lmc.metadata.json."""
    return path.with_name(path.stem + ".metadata.json")


def datasette_metadata(path: Path, facts: Sequence[Fact], documents: dict[str, Document]) -> dict[str, Any]:
    """Datasette metadata (title, source attribution, descriptions; internal table hidden)."""
    from lmc_cli.output.cite import attribution

    tables: dict[str, Any] = {
        name: {"description": TABLE_DESCRIPTIONS[name], "columns": columns}
        for name, columns in COLUMN_DESCRIPTIONS.items()
    }
    tables["facts"].update({"label_column": "title", "fts_table": "facts_fts", "fts_pk": "rowid",
                            "facets": ["table_name", "pack"], "sort": "id", "size": 50})
    tables["sources"]["label_column"] = "title"
    tables["fact_spans"] = {"hidden": True}
    return {
        "title": "lmc: cited facts about Lancang-Mekong Cooperation",
        "description": f"{len(facts)} facts from {len(documents)} documents, each cited to verbatim quotes.",
        "source": "; ".join(f"{label}: {attribution(doc)}" for label, doc in sorted(documents.items())),
        "about": METADATA_ABOUT,
        "databases": {path.stem: {"tables": tables}},
    }


def is_lmc_database(path: Path) -> bool:
    """Whether `path` is a database an earlier `lmc export` wrote (its application_id)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return False
    return header[:16] == b"SQLite format 3\x00" and int.from_bytes(header[68:72], "big") == APPLICATION_ID


def is_lmc_metadata(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("about") == METADATA_ABOUT


class WouldOverwrite(Exception):
    """The output names a file lmc did not write; it is left as it is."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def check_replaceable(path: Path, *, is_ours: Any) -> None:
    if (path.exists() or path.is_symlink()) and not (path.is_file() and not path.is_symlink() and is_ours(path)):
        raise WouldOverwrite(path)


def write_sqlite(facts: Sequence[Fact], documents: dict[str, Document], path: Path, *, force: bool = False) -> Path:
    """Write a fresh database at `path` and its Datasette metadata beside it; return the metadata's path.

    Each file is built beside its target and moved into place; the only files replaced are
    those an earlier export wrote. New files get the mode the umask gives (as `touch` would).
    """
    meta = metadata_path(path)
    if not force:  # --force: the caller has checked the path is a regular file or absent
        check_replaceable(path, is_ours=is_lmc_database)
        check_replaceable(meta, is_ours=is_lmc_metadata)

    def build(tmp: Path) -> None:
        connection = sqlite3.connect(tmp)
        try:
            fill_database(connection, facts, documents)
        finally:
            connection.close()

    def build_metadata(tmp: Path) -> None:
        text = json.dumps(datasette_metadata(path, facts, documents), ensure_ascii=False, indent=2)
        tmp.write_text(text + "\n", encoding="utf-8")

    replace_atomically(path, build)
    replace_atomically(meta, build_metadata)
    return meta


def replace_atomically(path: Path, build: Any) -> None:
    """Build a file beside `path` with `build(tmp)`, flush it to disk, then rename it into place
    (output/atomic.py: removed on any failure or signal)."""
    from lmc_cli.output.atomic import replace_with

    replace_with(str(path), lambda tmp: build(Path(tmp)))


def fill_database(connection: sqlite3.Connection, facts: Sequence[Fact], documents: dict[str, Document]) -> None:
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    with connection:
        for statement in SCHEMA:
            connection.execute(statement)
        _insert(connection, "sources", [c for c, _ in SOURCE_COLUMNS],
                [source_row(d) for _, d in sorted(documents.items())])
        _insert(connection, "facts", [c for c, _ in FACT_COLUMNS], [fact_row(f) for f in facts])
        spans = [{"fact_id": f.id, "span_start": span[0], "span_end": span[1]}
                 for f in facts if (span := f.span()) is not None]
        _insert(connection, "fact_spans", [c for c, _ in SPAN_COLUMNS], spans)
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
