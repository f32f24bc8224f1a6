"""Every command that prints facts speaks every format, and pipes default to TSV."""

import csv
import io
import json

import pytest
from helpers import invoke

from lmc_cli.output.formats import TSV_COLUMNS

COMMANDS = [
    ("meeting", "sanya"),
    ("stat", "arrests"),
    ("ask", "how many arrests were reported"),
    ("timeline", "--from", "2016"),
    ("show", "arrests-50000"),
    ("list", "--table", "meetings"),
    ("conflicts",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_json_and_jsonl_carry_the_same_records(command: tuple[str, ...]) -> None:
    as_json = json.loads(invoke(*command, "--format", "json").stdout)
    lines = invoke(*command, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == as_json
    for record in as_json:
        assert {"id", "table", "title", "text", "date", "sources"} <= set(record)
        assert all({"doc", "quote"} <= set(s) for s in record["sources"])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_csv_has_a_header_and_one_row_per_record(command: tuple[str, ...]) -> None:
    count = len(json.loads(invoke(*command, "--format", "json").stdout))
    rows = list(csv.reader(io.StringIO(invoke(*command, "--format", "csv").stdout)))
    assert tuple(rows[0]) == TSV_COLUMNS
    assert len(rows) - 1 == count


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_pipe_default_is_tsv_one_fact_per_line(command: tuple[str, ...]) -> None:
    result = invoke(*command)
    count = len(json.loads(invoke(*command, "--format", "json").stdout))
    lines = result.stdout.splitlines()
    assert len(lines) == count
    assert all(len(line.split("\t")) == len(TSV_COLUMNS) for line in lines)
    assert "\x1b" not in result.stdout
    assert result.stdout == invoke(*command, "--format", "tsv").stdout


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_table_shows_a_citation(command: tuple[str, ...]) -> None:
    # list and conflicts print one line per fact; their cards (--long) carry the quotes
    long = ("--long",) if command[0] in ("list", "conflicts") else ()
    result = invoke(*command, *long, "--format", "table")
    assert result.exit_code == 0
    assert "“" in result.stdout or any(doc in result.stdout for doc in ("000", "001", "002", "003", "004"))


def test_search_records_carry_a_score_and_best_comes_first() -> None:
    records = json.loads(invoke("stat", "arrests", "--format", "json").stdout)
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True)


def test_format_is_case_insensitive_and_validated() -> None:
    assert invoke("stat", "arrests", "--format", "JSON").exit_code == 0
    bad = invoke("stat", "arrests", "--format", "xml")
    assert bad.exit_code == 2
    assert bad.stdout == ""


def test_tsv_cells_fast_path_changes_nothing() -> None:
    """tsv_cell returns printable ASCII without a backslash as it is: the same as escaping it in full."""
    import random

    from lmc_cli.output import formats

    def reference(value: object) -> str:
        text = "" if value is None else formats._plain(value)
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return formats.neutralise(text)

    rng = random.Random(16)
    alphabet = [chr(i) for i in range(0x180)] + ["\u202e", "\u2028", "\ufdd0", "\ud800", "\\", "\t", "\n", "\r"]
    values: list[object] = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(6))) for _ in range(20000)]
    values += [None, "", 0, 1.0, 2.5, ("a", "b\t"), True, "plain words, 50,000 (2019)"]
    assert [formats.tsv_cell(v) for v in values] == [reference(v) for v in values]
