"""`lmc export`: JSON, JSON Lines, CSV and a SQLite database for sqlite3 and Datasette."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from helpers import invoke, quote_only_word, records, run_lmc

from lmc_cli.errors import ExitCode


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("export") / "lmc.db"
    result = invoke("export", "--format", "sqlite", "--output", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # the report goes to stderr
    assert "exported" in result.stderr
    return sqlite3.connect(path)


def test_sqlite_counts_equal_lmc_list(database: sqlite3.Connection) -> None:
    listed = records("list")
    assert database.execute("select count(*) from facts").fetchone()[0] == len(listed)
    links = database.execute("select count(*) from fact_sources").fetchone()[0]
    assert links == sum(len(r["sources"]) for r in listed)
    assert database.execute("select count(*) from sources").fetchone()[0] == len(records("sources"))


def test_sqlite_full_text_search_finds_sanya(database: sqlite3.Connection) -> None:
    rows = database.execute(
        "select facts.id, facts.table_name from facts_fts join facts on facts.rowid = facts_fts.rowid "
        "where facts_fts match 'Sanya' order by rank"
    ).fetchall()
    assert ("lmc-leaders-meeting-1-sanya", "meetings") in rows


def test_sqlite_columns_have_the_types_a_user_expects(database: sqlite3.Connection) -> None:
    value, date_editorial, aliases = database.execute(
        "select value, date_editorial, aliases from facts where id = 'arrests-50000'").fetchone()
    assert value == 50000 and isinstance(value, int)
    assert date_editorial in (0, 1)
    types = {row[1]: row[2] for row in database.execute("pragma table_info(facts)")}
    assert types["value"] == "NUMERIC" and types["ordinal"] == "INTEGER" and types["date"] == "TEXT"
    kinds = {kind for (kind,) in database.execute("select typeof(value) from facts where value is not null")}
    assert "integer" in kinds
    for (raw,) in database.execute("select aliases from facts where aliases is not null"):
        assert isinstance(json.loads(raw), list)
    assert aliases is None or isinstance(json.loads(aliases), list)


def test_sqlite_links_are_real_foreign_keys(database: sqlite3.Connection) -> None:
    assert database.execute("pragma foreign_key_check").fetchall() == []
    assert database.execute("pragma integrity_check").fetchone()[0] == "ok"
    targets = {row[2] for row in database.execute("pragma foreign_key_list(fact_sources)")}
    assert targets == {"facts", "sources"}
    quote = database.execute(
        "select quote from fact_sources where fact_id = 'arrests-50000' and position = 1").fetchone()[0]
    assert quote


def test_sqlite_search_table_is_one_datasette_detects(database: sqlite3.Connection) -> None:
    # Datasette's own detection query: an FTS virtual table whose content= is the table.
    found = database.execute(
        "select name from sqlite_master where rootpage = 0 and sql like "
        "'%VIRTUAL TABLE%USING FTS%content=\"facts\"%'").fetchall()
    assert found == [("facts_fts",)]


def test_sqlite_export_replaces_its_own_export(tmp_path: Path) -> None:
    path = tmp_path / "out.db"
    args = ("--no-bundled", "--facts", str(Path(__file__).parent / "data" / "minipack"))
    assert invoke("export", "-o", str(path)).exit_code == 0
    assert invoke(*args, "export", "-o", str(path)).exit_code == 0  # format from the suffix
    with sqlite3.connect(path) as connection:
        assert connection.execute("select count(*) from facts").fetchone()[0] == 3
        rows = connection.execute("select rowid from facts_fts where facts_fts match 'Riverton'").fetchall()
        assert len(rows) == 1
    # no temporary file left: the database and its Datasette metadata only
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.db", "out.metadata.json"]


@pytest.mark.parametrize("name", ["out.db", "out.metadata.json"])
def test_sqlite_export_never_replaces_a_users_file(tmp_path: Path, name: str) -> None:
    users = tmp_path / name
    users.write_text("my notes")
    result = run_lmc("export", "-o", str(tmp_path / "out.db"))
    assert result.returncode == ExitCode.USAGE
    assert result.stderr.startswith("lmc: ") and "lmc did not write it" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert users.read_text() == "my notes"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_sqlite_export_never_replaces_another_database(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    with sqlite3.connect(path) as connection:
        connection.execute("create table notes (x)")
    assert invoke("export", "-o", str(path)).exit_code == ExitCode.USAGE
    with sqlite3.connect(path) as connection:
        assert connection.execute("select name from sqlite_master").fetchall() == [("notes",)]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_sqlite_export_mode_follows_the_umask(tmp_path: Path, umask: int) -> None:
    import os

    path = tmp_path / "lmc.db"
    result = run_lmc("export", "-o", str(path), preexec_fn=lambda: os.umask(umask))
    assert result.returncode == 0, result.stderr
    for written in (path, tmp_path / "lmc.metadata.json"):
        assert written.stat().st_mode & 0o777 == 0o666 & ~umask


def test_sqlite_search_is_stemmed_and_covers_keywords_and_quotes(database: sqlite3.Connection) -> None:
    def found(query: str) -> set[str]:
        return {fact_id for (fact_id,) in database.execute(
            "select facts.id from facts_fts join facts on facts.rowid = facts_fts.rowid where facts_fts match ?",
            (query,))}

    assert "arrests-50000" in found("arrest") and found("arrest") == found("arrests")
    columns = [row[1] for row in database.execute("pragma table_info(facts_fts)")]
    assert columns == ["title", "text", "aliases", "keywords", "quotes"]
    # a word only in a quote: the quote column is searched
    fact_id, word = quote_only_word()
    assert fact_id in found(word)


def test_sqlite_spans_are_internal(database: sqlite3.Connection) -> None:
    columns = {row[1] for row in database.execute("pragma table_info(facts)")}
    assert not {"span_start", "span_end"} & columns
    start, end = database.execute(
        "select span_start, span_end from fact_spans where fact_id = 'lmc-leaders-meeting-1-sanya'").fetchone()
    assert start <= "2016-03-23" <= end


def test_sqlite_to_stdout_is_a_usage_error() -> None:
    result = invoke("export", "--format", "sqlite")
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == "" and "--output" in result.stderr


def test_unknown_suffix_without_format_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("export", "--output", str(tmp_path / "facts.txt"))
    assert result.exit_code == ExitCode.USAGE
    assert "--format" in result.stderr


def test_csv_parses_with_the_csv_module() -> None:
    result = invoke("export", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(records("list"))
    by_id = {row["id"]: row for row in rows}
    arrests = by_id["arrests-50000"]
    assert arrests["value"] == "50000" and arrests["table"] == "stats"
    assert arrests["quotes"].startswith("[")
    assert all(row["title"] and row["sources"] for row in rows)


def test_csv_table_filter_and_file_output(tmp_path: Path) -> None:
    path = tmp_path / "stats.csv"
    assert invoke("export", "--table", "stats", "--output", str(path)).exit_code == 0
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert rows and {row["table"] for row in rows} == {"stats"}


def test_json_and_jsonl_match_lmc_list() -> None:
    listed = records("list")
    exported = json.loads(invoke("export", "--format", "json").stdout)
    assert exported == listed
    lines = invoke("export", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == listed


def test_export_through_the_entry_point_keeps_stdout_clean(tmp_path: Path) -> None:
    result = run_lmc("export", "--format", "jsonl")
    assert result.returncode == 0 and "\x1b" not in result.stdout
    assert all(json.loads(line)["id"] for line in result.stdout.splitlines())
    unwritable = run_lmc("export", "--format", "json", "--output", str(tmp_path / "missing" / "x.json"))
    assert unwritable.returncode == ExitCode.USAGE and unwritable.stdout == ""
