"""docs/output-contract.md is what lmc does: columns, fields, flags, separators, exit codes, version."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from helpers import invoke, records

from lmc_cli.errors import ExitCode
from lmc_cli.output.columns import CONTRACT_VERSION, FACT_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = (ROOT / "docs" / "output-contract.md").read_text(encoding="utf-8")
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def tsv_rows(*args: str) -> list[dict[str, str]]:
    result = invoke(*args, "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert all(len(row) == len(FACT_COLUMNS) for row in rows)
    return [dict(zip(FACT_COLUMNS, row, strict=True)) for row in rows]


def test_the_document_states_the_version_the_code_implements() -> None:
    assert f"Output contract version: **{CONTRACT_VERSION}**" in CONTRACT
    assert re.search(rf"^##+ Output contract {CONTRACT_VERSION}\b", CHANGELOG, flags=re.M)


def test_the_documented_tsv_columns_are_the_columns_in_order() -> None:
    documented = re.findall(r"^\| (\d+) \| `([a-z_]+)` \|", CONTRACT, flags=re.M)
    assert [int(n) for n, _ in documented] == list(range(1, len(FACT_COLUMNS) + 1))
    assert tuple(name for _, name in documented) == FACT_COLUMNS
    assert f"The same {len(FACT_COLUMNS)} columns as TSV" in CONTRACT


def test_contract_one_columns_come_first() -> None:
    assert FACT_COLUMNS[:10] == ("id", "table", "date", "title", "value", "qualifier", "unit", "text", "sources",
                                 "score")


def test_the_documented_exit_codes_are_the_exit_codes() -> None:
    section = CONTRACT.split("## Exit codes", 1)[1]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", section, flags=re.M)}
    assert documented == {int(code) for code in ExitCode}


def test_sources_lists_each_document_once_comma_separated() -> None:
    rows = tsv_rows("list")
    by_id = {r["id"]: r for r in records("list")}
    for row in rows:
        labels = row["sources"].split(",")
        assert len(labels) == len(set(labels)), row["sources"]
        assert " " not in row["sources"]
        assert labels == list(dict.fromkeys(s["doc"] for s in by_id[row["id"]]["sources"]))
    assert by_id["conflict-lmc-establishment-date"] and next(
        r for r in rows if r["id"] == "conflict-lmc-establishment-date")["sources"] == "000,001"


def test_top_quote_and_its_document_and_flags_are_columns() -> None:
    by_id = {r["id"]: r for r in records("list")}
    rows = tsv_rows("list")
    for row in rows:
        record = by_id[row["id"]]
        top = record["sources"][0]
        assert row["quote_doc"] == top["doc"]
        assert row["quote"] == top["quote"].replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        assert row["disputed"] == ("true" if record.get("disputed_by") else "false")
        assert row["date_editorial"] == ("true" if record["date_editorial"] else "false")
    assert {r["disputed"] for r in rows} == {"true", "false"}
    assert {r["date_editorial"] for r in rows} == {"true", "false"}


def test_whole_numbers_are_written_as_integers() -> None:
    row = next(r for r in tsv_rows("stat", "arrests") if r["id"] == "arrests-50000")
    assert row["value"] == "50000" and row["score"]


@pytest.mark.parametrize("command", [("list",), ("stat", "arrests"), ("show", "arrests-50000"), ("conflicts",),
                                     ("timeline", "--from", "2016")], ids=lambda c: c[0])
def test_every_command_writes_the_one_csv_shape(command: tuple[str, ...]) -> None:
    header = next(csv.reader(io.StringIO(invoke(*command, "--format", "csv").stdout)))
    assert tuple(header) == FACT_COLUMNS


def test_list_and_export_speak_the_same_csv_and_tsv() -> None:
    assert invoke("export", "--format", "csv").stdout == invoke("list", "--format", "csv").stdout
    assert invoke("export", "--format", "tsv").stdout == invoke("list", "--format", "tsv").stdout
    assert invoke("export", "--format", "tsv", "--table", "stats").stdout == \
        invoke("list", "--table", "stats", "--format", "tsv").stdout


def test_csv_with_no_match_still_has_its_header() -> None:
    result = invoke("stat", "zzzqqq unmatched words", "--format", "csv")
    assert result.exit_code == ExitCode.NO_MATCH
    assert result.stdout.strip() == ",".join(FACT_COLUMNS)


def test_json_records_carry_the_documented_fields() -> None:
    for record in records("list"):
        assert {"id", "table", "title", "text", "date", "date_editorial", "sources"} <= set(record)
        if record.get("value") is not None and float(record["value"]).is_integer():
            assert isinstance(record["value"], int), record["id"]
        if "value" in record and record["value"] is None:  # a figure the source gives in words only
            assert record["figure"] != "number" and record["amount_text"], record["id"]
    for field in ("`id`", "`table`", "`title`", "`text`", "`date`", "`date_editorial`", "`sources`", "`score`"):
        assert field in CONTRACT


def test_every_format_named_in_the_contract_is_accepted() -> None:
    named = re.search(r"`--format ([a-z|]+)`", CONTRACT)
    assert named is not None
    for format_ in named.group(1).split("|"):
        result = invoke("show", "arrests-50000", "--format", format_)
        assert result.exit_code == 0, (format_, result.stderr)
        assert result.stdout


def test_messages_go_to_stderr_and_data_to_stdout() -> None:
    result = invoke("stat", "zzzqqq unmatched words", "--format", "json")
    assert json.loads(result.stdout) == []
    assert result.stderr.startswith("lmc: ")


def test_search_records_carry_score_and_confidence_as_documented() -> None:
    record = records("ask", "how many arrests")[0]
    assert isinstance(record["score"], (int, float))
    assert 0 <= record["confidence"] <= 1
    assert "`confidence`" in CONTRACT


def test_every_listing_command_named_in_the_contract_takes_limit() -> None:
    named = re.search(r"Every command that lists takes `--limit N` \(([^)]*)\)", CONTRACT.replace("\n  ", " "))
    assert named is not None
    for command in re.findall(r"`([a-z]+)`", named.group(1)):
        help_text = invoke(command, "--help").stdout
        assert "--limit" in help_text, command
