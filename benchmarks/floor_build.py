"""The floor of a cold build: what any index of a pack must at least do, as one process.

    python benchmarks/floor_build.py PACK [--db FILE]

Parses every *.toml file of PACK with tomllib, inserts every fact and every citation into
SQLite in one transaction, and builds an FTS5 index over title, text, aliases and keywords.
No validation, no terms of lmc's own, no ranking data: a lower bound for `lmc`'s first run
on a new pack. Prints the seconds of each phase; bench_scale.py times the whole
process against lmc's cold build in the same run.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from pathlib import Path

import tomllib


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", type=Path)
    parser.add_argument("--db", type=Path, help="database to write (default: a temporary file, removed)")
    args = parser.parse_args()
    started = time.perf_counter()
    parsed = []
    for path in sorted(args.pack.glob("*.toml")):
        parsed.append((path, tomllib.loads(path.read_text(encoding="utf-8"))))
    parse_s = time.perf_counter() - started

    db = args.db or Path(tempfile.mkdtemp(prefix="lmc-floor-")) / "floor.sqlite"
    connection = sqlite3.connect(db)
    connection.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        "CREATE TABLE facts(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, tbl TEXT NOT NULL, title TEXT,"
        " text TEXT, date TEXT, place TEXT, aliases TEXT, keywords TEXT, value REAL, unit TEXT, file TEXT);"
        "CREATE TABLE citations(fact INTEGER NOT NULL, doc TEXT NOT NULL, quote TEXT NOT NULL);"
        "CREATE TABLE documents(id TEXT PRIMARY KEY, title TEXT, kind TEXT, outlet TEXT);"
    )
    insert_started = time.perf_counter()
    facts, citations, documents = [], [], []
    rowid = 0
    for path, data in parsed:
        for document in data.get("document", []):
            documents.append((document["id"], document.get("title"), document.get("kind"), document.get("outlet")))
        table = data.get("table", path.stem)
        for fact in data.get("fact", []):
            rowid += 1
            facts.append((rowid, fact["id"], table, fact.get("title"), fact.get("text"), fact.get("date"),
                          fact.get("place"), "\n".join(fact.get("aliases", ())), "\n".join(fact.get("keywords", ())),
                          fact.get("value"), fact.get("unit"), path.name))
            citations.extend((rowid, s["doc"], s["quote"]) for s in fact.get("sources", ()))
    with connection:
        connection.executemany("INSERT INTO facts VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", facts)
        connection.executemany("INSERT INTO citations VALUES (?,?,?)", citations)
        connection.executemany("INSERT INTO documents VALUES (?,?,?,?)", documents)
        connection.execute("CREATE INDEX citations_fact ON citations(fact)")
    insert_s = time.perf_counter() - insert_started
    fts_started = time.perf_counter()
    with connection:
        connection.execute("CREATE VIRTUAL TABLE fts USING fts5(title, text, aliases, keywords,"
                           " content='facts', content_rowid='rowid')")
        connection.execute("INSERT INTO fts(fts) VALUES ('rebuild')")
    fts_s = time.perf_counter() - fts_started
    connection.close()
    size = sum(os.path.getsize(p) for p in db.parent.glob(db.name + "*"))
    if args.db is None:
        for leftover in db.parent.glob(db.name + "*"):
            leftover.unlink()
        db.parent.rmdir()
    print(f"floor: {len(facts)} facts, {len(citations)} citations; parse {parse_s:.2f} s, insert {insert_s:.2f} s,"
          f" fts {fts_s:.2f} s; database {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
