"""`lmc show`, `lmc list`, `lmc sources`, `lmc conflicts` and the bare `lmc` overview."""

import json

from helpers import invoke, records

from lmc_cli.errors import ExitCode


def test_show_prints_every_source_and_quote() -> None:
    result = invoke("show", "arrests-50000", "--format", "table")
    assert result.exit_code == 0
    for doc in ("001", "003"):
        assert doc in result.stdout
    assert "50,000" in result.stdout


def test_show_unknown_id_suggests_near_ids() -> None:
    result = invoke("show", "arrests-5000")
    assert result.exit_code == ExitCode.NO_MATCH
    assert "arrests-50000" in result.stderr
    assert result.stdout == ""


def test_list_counts_every_fact_and_filters_by_table() -> None:
    everything = records("list")
    stats = records("list", "--table", "stats")
    assert len(everything) >= 120
    assert stats and all(r["table"] == "stats" for r in stats)
    assert len({r["id"] for r in everything}) == len(everything)


def test_list_unknown_table_is_a_usage_error() -> None:
    result = invoke("list", "--table", "nonsense")
    assert result.exit_code == ExitCode.USAGE
    assert "stats" in result.stderr


def test_sources_lists_five_documents_with_counts() -> None:
    result = invoke("sources", "--format", "json")
    docs = json.loads(result.stdout)
    assert [d["id"] for d in docs] == ["000", "001", "002", "003", "004"]
    assert all(d["facts"] > 0 for d in docs)
    by_id = {d["id"]: d for d in docs}
    assert by_id["000"]["author"] == "Ni Yueju"
    assert by_id["000"]["translator"] == "Agnes"
    assert by_id["003"]["outlet"] == "WNAM REPORT"


def test_conflicts_lists_the_disagreements() -> None:
    conflicts = records("conflicts")
    assert len(conflicts) >= 2
    assert all(len({s["doc"] for s in c["sources"]}) >= 1 and c["related"] for c in conflicts)


def test_bare_lmc_prints_an_overview() -> None:
    result = invoke()
    assert result.exit_code == 0
    assert "tables:" in result.stdout and "stats" in result.stdout
    assert "lmc meeting sanya" in result.stdout


def test_version() -> None:
    from lmc_cli import __version__

    result = invoke("--version")
    assert result.stdout.strip() == f"lmc {__version__}"
