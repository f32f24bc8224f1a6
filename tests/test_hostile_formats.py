"""CSV cells cannot run as spreadsheet formulas; TSV escapes tabs, newlines and backslashes and round-trips."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hostile import fact_toml, write_pack
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from lmc_cli.cli import app
from lmc_cli.output.formats import TSV_COLUMNS, csv_cell, tsv_cell
from lmc_cli.output.sanitise import UNSAFE

FORMULAS = ("=HYPERLINK(\"http://e.vil\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1", "\r=1")
AWKWARD = "tab\there, new\nline, back\\slash, \\t literal, CR\r, end\\"


def unescape_tsv(cell: str) -> str:
    """The inverse of the README's TSV escaping: \\t, \\n, \\r and \\\\."""
    out, i = [], 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell) and cell[i + 1] in "tnr\\":
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[cell[i + 1]])
            i += 2
        else:
            out.append(cell[i])
            i += 1
    return "".join(out)


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    facts = [fact_toml(f"formula-{n}", formula, formula, quote="q", unit=formula, value=-5)
             for n, formula in enumerate(FORMULAS)]
    facts.append(fact_toml("awkward", AWKWARD, AWKWARD, unit=AWKWARD, qualifier="more than"))
    return write_pack(tmp_path_factory.mktemp("formats") / "pack",
                      {"stats.toml": 'table = "stats"\n' + "".join(facts)})


def lmc(pack: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--no-bundled", "--facts", str(pack), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_csv_neutralises_formula_cells(pack: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(lmc(pack, "list", "--format", "csv"))))
    assert len(rows) == len(FORMULAS) + 1
    for row in rows:
        for name, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    by_id = {row["id"]: row for row in rows}
    assert by_id["formula-0"]["title"] == "'" + FORMULAS[0]
    assert by_id["formula-3"]["unit"] == "'" + FORMULAS[3]
    assert by_id["formula-1"]["value"] == "'-5"  # a negative number is a formula start too


def test_tsv_round_trips(pack: Path) -> None:
    records = {r["id"]: r for r in json.loads(lmc(pack, "list", "--format", "json"))}
    lines = lmc(pack, "list", "--format", "tsv").splitlines()
    assert len(lines) == len(records)  # one fact per line, whatever its text holds
    for line in lines:
        cells = [unescape_tsv(c) for c in line.split("\t")]
        assert len(cells) == len(TSV_COLUMNS)
        row = dict(zip(TSV_COLUMNS, cells, strict=True))
        record = records[row["id"]]
        for name in ("title", "text", "unit", "qualifier"):
            assert row[name] == (record.get(name) or ""), name
    assert records["awkward"]["title"] == AWKWARD


def test_tsv_of_sources_round_trips(tmp_path: Path) -> None:
    title = "Doc\twith\ttabs\nand a newline \\ and a backslash"
    pack = write_pack(tmp_path / "pack", {"stats.toml": 'table = "stats"\n' + fact_toml("f", "F", "F.")},
                      documents=f'[[document]]\nid = "doc1"\ntitle = {json.dumps(title)}\nkind = "report"\n')
    (line,) = lmc(pack, "sources", "--format", "tsv").splitlines()
    assert unescape_tsv(line.split("\t")[2]) == title


@given(st.text())
def test_tsv_cell_round_trips_any_text_without_control_characters(text: str) -> None:
    text = UNSAFE.sub("", text)
    cell = tsv_cell(text)
    assert "\t" not in cell and "\n" not in cell and "\r" not in cell
    assert unescape_tsv(cell) == text


@given(st.text())
def test_no_cell_is_a_formula_or_a_control_sequence(text: str) -> None:
    for cell in (csv_cell(text), tsv_cell(text)):
        assert not UNSAFE.search(cell.replace("\t", "").replace("\n", ""))
    assert not csv_cell(text).startswith(("=", "+", "-", "@", "\t", "\r"))
