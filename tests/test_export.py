"""`lmc export`: JSON, JSON Lines, CSV and a SQLite database for sqlite3 and Datasette."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from helpers import invoke, records, run_lmc

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
    assert value == 50000.0 and isinstance(value, float)
    assert date_editorial in (0, 1)
    types = {row[1]: row[2] for row in database.execute("pragma table_info(facts)")}
    assert types["value"] == "REAL" and types["ordinal"] == "INTEGER" and types["date"] == "TEXT"
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


def test_sqlite_export_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "out.db"
    path.write_text("not a database")
    args = ("--no-bundled", "--facts", str(Path(__file__).parent / "data" / "minipack"))
    assert invoke(*args, "export", "-o", str(path)).exit_code == 0  # format from the suffix
    with sqlite3.connect(path) as connection:
        assert connection.execute("select count(*) from facts").fetchone()[0] == 3
        rows = connection.execute("select rowid from facts_fts where facts_fts match 'Riverton'").fetchall()
        assert len(rows) == 1
    assert not [p for p in tmp_path.iterdir() if p.name != "out.db"]  # no temporary file left


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
    assert arrests["value"] == "50000" and arrests["table_name"] == "stats"
    assert arrests["quotes"].startswith("[")
    assert all(row["title"] and row["sources"] for row in rows)


def test_csv_table_filter_and_file_output(tmp_path: Path) -> None:
    path = tmp_path / "stats.csv"
    assert invoke("export", "--table", "stats", "--output", str(path)).exit_code == 0
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert rows and {row["table_name"] for row in rows} == {"stats"}


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
