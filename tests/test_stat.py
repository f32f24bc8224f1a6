"""`lmc stat QUERY`: figures with value, unit, qualifier and every source."""

from helpers import invoke, records

from lmc_cli.errors import ExitCode


def test_arrests_gives_the_figure_its_qualifier_and_both_sources() -> None:
    top = records("stat", "arrests")[0]
    assert top["id"] == "arrests-50000"
    assert top["value"] == 50000
    assert top["qualifier"] in ("more than", "over")
    assert {s["doc"] for s in top["sources"]} >= {"001", "003"}


def test_value_is_a_number_for_scripts() -> None:
    for record in records("stat", "investment", "growth"):
        assert isinstance(record["value"], (int, float))


def test_investment_growth_forgives_a_typo() -> None:
    assert records("stat", "investmnet", "growth")[0]["value"] == 33.5


def test_meth_seizures_finds_the_share() -> None:
    top = records("stat", "meth seizures")[0]
    assert top["value"] == 85
    assert top["qualifier"] == "more than"


def test_river_length() -> None:
    top = records("stat", "length of the river")[0]
    assert top["value"] == 4880
    assert top["qualifier"] == "nearly"


def test_disputed_figure_is_flagged() -> None:
    top = records("stat", "returned to face trial")[0]
    assert top["id"] == "returned-to-trial-50000"
    assert top["disputed_by"]


def test_gdp_is_not_in_the_corpus() -> None:
    result = invoke("stat", "gdp of vietnam")
    assert result.exit_code == ExitCode.NO_MATCH
    assert "no match" in result.stderr
