"""Figures that are not a number: a range, an order of magnitude, or the source's words alone.

The loader and the JSON Schema take and refuse the same figures; JSON has `value: null` and the
source's words where no number is given; TSV/CSV carry the kind and the words in their last
columns; tables show the words, never an invented number; `lmc list --sort value` orders by
the least each figure can mean.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from helpers import invoke, records

from lmc_cli.errors import DataError
from lmc_cli.load import packs, parse
from lmc_cli.model import FIGURE_KINDS, MAGNITUDES, Citation, Fact
from lmc_cli.output.columns import FACT_COLUMNS

SCHEMA = json.loads(packs.schema_path().read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


def fact_with(**figure: Any) -> dict[str, Any]:
    return {"id": "counted", "title": "A figure", "text": "A sentence.", "unit": "dollars",
            "sources": [{"doc": "000", "quote": "a quote"}], **figure}


def load(fact: dict[str, Any]) -> Fact:
    return parse.parse_fact_file({"fact": [fact]}, Path("x.toml"), "test")[0]


def refusal(fact: dict[str, Any]) -> DataError:
    with pytest.raises(DataError) as caught:
        load(fact)
    return caught.value


# --- the loader ---------------------------------------------------------------------


def test_a_number_is_a_number_whatever_its_hedge() -> None:
    fact = load(fact_with(value=4880, qualifier="nearly"))
    assert (fact.figure, fact.value, fact.qualifier) == ("number", 4880, "nearly")
    assert fact.figure_bounds() == (4880.0, 4880.0)


def test_an_order_of_magnitude_keeps_the_source_words_and_no_number() -> None:
    fact = load(fact_with(magnitude="billions", amount_text="billions of dollars"))
    assert (fact.figure, fact.value, fact.magnitude, fact.amount_text) == (
        "magnitude", None, "billions", "billions of dollars")
    assert fact.figure_bounds() == (1e9, 1e12)


def test_a_range_has_both_ends() -> None:
    fact = load(fact_with(value_min=10, value_max=20.5, amount_text="between 10 and 20.5 km"))
    assert (fact.figure, fact.value, fact.value_min, fact.value_max) == ("range", None, 10, 20.5)
    assert fact.figure_bounds() == (10.0, 20.5)


def test_words_alone_are_a_figure_without_bounds() -> None:
    fact = load(fact_with(amount_text="multiple"))
    assert (fact.figure, fact.figure_bounds()) == ("words", None)


def test_a_fact_without_a_figure_has_no_kind() -> None:
    fact = load({k: v for k, v in fact_with().items() if k != "unit"})
    assert (fact.figure, fact.figure_bounds()) == (None, None)


@pytest.mark.parametrize(("figure", "field", "words"), [
    ({"magnitude": "billions"}, "magnitude", "amount_text"),
    ({"magnitude": "zillions", "amount_text": "zillions"}, "magnitude", "one of"),
    ({"magnitude": 9, "amount_text": "billions"}, "magnitude", "one of"),
    ({"value": 1e9, "magnitude": "billions", "amount_text": "billions"}, "magnitude", "not both"),
    ({"value": 15, "value_min": 10, "value_max": 20}, "value_min", "not both"),
    ({"value_min": 10, "value_max": 20, "magnitude": "tens", "amount_text": "tens"}, "magnitude", "not both"),
    ({"value_min": 10}, "value_min", "value_max"),
    ({"value_max": 20}, "value_max", "value_min"),
    ({"value_min": 30, "value_max": 20}, "value_min", "above"),
    ({"value_min": "10", "value_max": 20}, "value_min", "number"),
    ({"value_min": float("inf"), "value_max": 20}, "value_min", "finite"),
    ({"amount_text": " "}, "amount_text", ""),
], ids=["magnitude without words", "unknown magnitude", "magnitude as a number", "value and magnitude",
        "value and range", "range and magnitude", "range without max", "range without min", "range upside down",
        "range end as a string", "range end infinite", "blank words"])
def test_mixed_or_broken_figures_are_refused_naming_the_field(figure: dict[str, Any], field: str,
                                                              words: str) -> None:
    error = refusal(fact_with(**figure))
    assert error.field == field
    assert words in error.problem


@pytest.mark.parametrize("figure", [
    {"value": 50000, "qualifier": "more than"},
    {"magnitude": "millions", "amount_text": "millions"},
    {"value_min": 1, "value_max": 2},
    {"amount_text": "multiple"},
    {"magnitude": "billions"},
    {"value": 1, "magnitude": "tens", "amount_text": "tens"},
    {"value": 1, "value_min": 0, "value_max": 2},
    {"value_min": 1},
    {"magnitude": "zillions", "amount_text": "zillions"},
], ids=["number", "magnitude", "range", "words", "magnitude without words", "value and magnitude",
        "value and range", "half a range", "unknown magnitude"])
def test_the_schema_takes_and_refuses_the_same_figures(figure: dict[str, Any]) -> None:
    fact = fact_with(**figure)
    try:
        load(fact)
        loaded = True
    except DataError:
        loaded = False
    assert VALIDATOR.is_valid({"fact": [fact]}) == loaded


def test_the_schema_lists_every_magnitude_and_both_range_ends_bounded() -> None:
    properties = SCHEMA["definitions"]["fact"]["properties"]
    assert properties["magnitude"]["enum"] == list(MAGNITUDES)
    for name in ("value_min", "value_max"):
        assert (properties[name]["minimum"], properties[name]["maximum"]) == (
            properties["value"]["minimum"], properties["value"]["maximum"])


def test_magnitudes_rise_and_their_bounds_nest() -> None:
    for word, (low, high) in MAGNITUDES.items():
        assert 0 < low < high, word
    lows = [low for low, _ in MAGNITUDES.values()]
    assert sorted(lows) == lows


def test_figures_survive_the_file_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pack = write_pack(tmp_path / "pack")
    cold = {f.id: f for f in packs.load_pack(pack, "p").facts}
    warm = {f.id: f for f in packs.load_pack(pack, "p").facts}
    assert (tmp_path / "cache" / "lmc").is_dir()
    assert cold == warm
    assert (warm["bridge-length"].value_min, warm["bridge-length"].value_max) == (10, 20)
    assert (warm["fraud-losses"].magnitude, warm["fraud-losses"].amount_text) == ("billions", "billions of dollars")


# --- the sort order -------------------------------------------------------------------


def fact(fid: str, **figure: Any) -> Fact:
    return Fact(id=fid, table="stats", title=fid, text="A sentence.", sources=(Citation("000", "q"),), **figure)


def test_figures_sort_from_the_least_they_can_mean() -> None:
    facts = [
        fact("none"),
        fact("words", amount_text="multiple"),
        fact("billions", magnitude="billions", amount_text="billions of dollars"),
        fact("two-billion", value=2_000_000_000),
        fact("one-billion", value=1_000_000_000),
        fact("range-billion", value_min=1_000_000_000, value_max=3_000_000_000),
        fact("millions", magnitude="millions", amount_text="millions"),
        fact("five-million", value=5_000_000, qualifier="estimated"),
        fact("small-range", value_min=2, value_max=4),
        fact("three", value=3),
    ]
    order = [f.id for f in sorted(facts, key=Fact.figure_sort_key)]
    assert order == ["small-range", "three", "millions", "five-million", "one-billion", "range-billion",
                     "billions", "two-billion", "words", "none"]
    assert FIGURE_KINDS == ("number", "range", "magnitude", "words")


# --- the CLI -----------------------------------------------------------------------------


def write_pack(root: Path) -> Path:
    root.mkdir()
    (root / "sources.toml").write_text('[[document]]\nid = "d"\ntitle = "D"\nkind = "news"\n', encoding="utf-8")
    (root / "stats.toml").write_text(
        'table = "stats"\n'
        '[[fact]]\nid = "bridge-length"\ntitle = "Bridge length"\ntext = "The bridge is 10 to 20 km long."\n'
        'value_min = 10\nvalue_max = 20\nunit = "km"\nmeasure = "length of the bridge"\n'
        '[[fact.sources]]\ndoc = "d"\nquote = "between 10 and 20 km long"\n'
        '[[fact]]\nid = "fraud-losses"\ntitle = "Fraud losses"\ntext = "Fraud cost billions of dollars."\n'
        'magnitude = "billions"\namount_text = "billions of dollars"\nunit = "dollars"\nmeasure = "money lost"\n'
        '[[fact.sources]]\ndoc = "d"\nquote = "billions of dollars"\n'
        '[[fact]]\nid = "pier-count"\ntitle = "Piers"\ntext = "There are 12 piers."\nvalue = 12\nunit = "piers"\n'
        'measure = "piers"\n[[fact.sources]]\ndoc = "d"\nquote = "12 piers"\n', encoding="utf-8")
    return root


def tsv_rows(*args: str) -> dict[str, dict[str, str]]:
    result = invoke(*args, "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert all(len(row) == len(FACT_COLUMNS) for row in rows)
    return {row[0]: dict(zip(FACT_COLUMNS, row, strict=True)) for row in rows}


def test_json_gives_null_and_the_source_words_where_no_number_is_given() -> None:
    (losses,) = records("show", "crime-losses-billions")
    assert "value" in losses and losses["value"] is None
    assert (losses["figure"], losses["magnitude"], losses["amount_text"]) == (
        "magnitude", "billions", "billions of dollars")
    assert "1000000000" not in json.dumps(losses)
    (livelihoods,) = records("show", "livelihoods-millions")
    assert (livelihoods["value"], livelihoods["magnitude"], livelihoods["amount_text"]) == (
        None, "millions", "millions")
    (groups,) = records("show", "working-groups-count")
    assert (groups["value"], groups["figure"]) == (None, "words")
    assert groups["amount_text"] in " ".join(s["quote"] for s in groups["sources"])


def test_json_keeps_numbers_as_before_and_facts_without_a_figure_have_no_value() -> None:
    (arrests,) = records("show", "arrests-50000")
    assert (arrests["value"], arrests["qualifier"], arrests["figure"]) == (50000, "more than", "number")
    assert "amount_text" not in arrests and "magnitude" not in arrests
    (wang,) = records("show", "wang-yi")
    assert not {"value", "figure", "amount_text"} & set(wang)


def test_no_bundled_figure_states_a_number_its_source_words_only_as_a_magnitude() -> None:
    for record in records("list", "--table", "stats"):
        assert record["figure"] in FIGURE_KINDS, record["id"]
        hedge = record.get("qualifier") or ""
        assert not any(word in hedge for word in ("hundreds", "thousands", "millions", "billions")), record["id"]
        if record["figure"] != "number":
            assert record["value"] is None and record["amount_text"], record["id"]


def test_tsv_leaves_value_empty_and_carries_the_words_in_the_last_columns() -> None:
    rows = tsv_rows("list", "--table", "stats")
    losses = rows["crime-losses-billions"]
    assert (losses["value"], losses["qualifier"], losses["unit"]) == ("", "", "dollars")
    assert (losses["amount_text"], losses["figure"], losses["magnitude"]) == ("billions of dollars", "magnitude",
                                                                           "billions")
    arrests = rows["arrests-50000"]
    assert (arrests["value"], arrests["figure"], arrests["amount_text"]) == ("50000", "number", "")
    assert FACT_COLUMNS[-5:] == ("amount_text", "figure", "value_min", "value_max", "magnitude")


def test_a_range_in_a_user_pack_through_json_tsv_csv_and_the_table(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pack = str(write_pack(tmp_path / "pack"))
    (bridge,) = records("--no-bundled", "--facts", pack, "show", "bridge-length")
    assert (bridge["value"], bridge["value_min"], bridge["value_max"], bridge["figure"]) == (None, 10, 20, "range")
    row = tsv_rows("--no-bundled", "--facts", pack, "list")["bridge-length"]
    assert (row["value"], row["value_min"], row["value_max"], row["figure"]) == ("", "10", "20", "range")
    result = invoke("--no-bundled", "--facts", pack, "list", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(table[0]) == FACT_COLUMNS
    assert {r["id"]: r["figure"] for r in table} == {"bridge-length": "range", "fraud-losses": "magnitude",
                                                      "pier-count": "number"}
    shown = invoke("--no-bundled", "--facts", pack, "list", "--format", "table", env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.stderr
    assert "10 to 20 km" in shown.stdout and "billions of dollars" in shown.stdout
    assert "1,000,000,000" not in shown.stdout
    md = invoke("--no-bundled", "--facts", pack, "list", "--format", "md")
    assert "10 to 20 km" in md.stdout and "billions of dollars" in md.stdout


def test_the_table_shows_the_source_words_never_a_number_for_them() -> None:
    shown = invoke("show", "crime-losses-billions", "--format", "table", env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.stderr
    assert "billions of dollars" in shown.stdout
    assert "1,000,000,000" not in shown.stdout and "USD" not in shown.stdout
    groups = invoke("show", "working-groups-count", "--format", "table", env={"COLUMNS": "200"})
    assert "for all five priority areas (working groups)" in groups.stdout


def test_list_sort_value_orders_the_bundled_figures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = list(tsv_rows("list", "--table", "stats", "--sort", "value"))
    by_id = {r["id"]: r for r in records("list", "--table", "stats")}
    kinds = [by_id[i]["figure"] for i in ids]
    assert kinds.index("words") > max(i for i, k in enumerate(kinds) if k != "words")
    assert ids.index("livelihoods-millions") < ids.index("siem-reap-airport-passengers")
    assert ids.index("crime-losses-billions") < ids.index("vinh-tan-1-investment")
    numbers = [by_id[i]["value"] for i in ids if by_id[i]["figure"] == "number"]
    assert numbers == sorted(numbers)
    file_order = list(tsv_rows("list", "--table", "stats"))
    assert sorted(file_order) == sorted(ids) and file_order != ids
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pack = str(write_pack(tmp_path / "pack"))
    mixed = list(tsv_rows("--facts", pack, "list", "--sort", "value"))
    assert mixed.index("bridge-length") < mixed.index("pier-count") < mixed.index("fraud-losses")
    figures = {r["id"]: r.get("figure") for r in records("--facts", pack, "list")}
    first_without = min(i for i, fid in enumerate(mixed) if figures[fid] is None)
    assert all(figures[fid] is None for fid in mixed[first_without:])
    assert first_without == sum(1 for f in figures.values() if f is not None)


def test_list_sort_refuses_an_unknown_order() -> None:
    result = invoke("list", "--sort", "colour")
    assert result.exit_code == 2
    assert "colour" in result.stderr
