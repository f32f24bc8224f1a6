"""The bundled corpus: it loads, every quote is verbatim, and it covers what the issue floors ask."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import SEEDS, requires
from helpers import invoke, records

from lmc_cli.load.packs import bundled_dir, load_corpus
from lmc_cli.load.verify import check_against

FLOORS = {"meetings": 10, "stats": 25, "events": 20, "organizations": 10, "places": 10, "people": 5}


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    return load_corpus(use_cache=False)


def test_bundled_facts_load_without_problems(corpus) -> None:  # type: ignore[no-untyped-def]
    assert corpus.problems == []
    assert len(corpus.facts) >= 120


@requires(SEEDS.is_dir(), "../shared/seeds is not beside the checkout")
def test_every_quote_is_verbatim_and_every_hash_matches(corpus) -> None:  # type: ignore[no-untyped-def]
    assert [p.message for p in check_against(corpus, SEEDS)] == []


@requires(SEEDS.is_dir(), "../shared/seeds is not beside the checkout")
def test_validate_command_against_the_seeds() -> None:
    result = invoke("validate", "--against", str(SEEDS))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "ok:" in result.stderr


def test_coverage_floors(corpus) -> None:  # type: ignore[no-untyped-def]
    counts = Counter(f.table for f in corpus.facts)
    for table, floor in FLOORS.items():
        assert counts[table] >= floor, f"{table}: {counts[table]} < {floor}"
    assert counts["conflicts"] >= 2


def test_every_document_is_cited(corpus) -> None:  # type: ignore[no-untyped-def]
    cited = {c.doc for f in corpus.facts for c in f.sources}
    assert cited == {"000", "001", "002", "003", "004"}


def test_figures_are_numbers_or_the_source_words_and_say_what_they_measure(corpus) -> None:  # type: ignore[no-untyped-def]
    for fact in (f for f in corpus.facts if f.table == "stats"):
        assert fact.figure is not None, fact.id
        if fact.figure == "number":
            assert isinstance(fact.value, (int, float)), fact.id
        else:
            assert fact.value is None and fact.amount_text, fact.id
        assert fact.unit, fact.id
        assert fact.measure, fact.id


def test_meetings_carry_place_or_date(corpus) -> None:  # type: ignore[no-untyped-def]
    for fact in (f for f in corpus.facts if f.table == "meetings"):
        assert fact.place or fact.effective_date or fact.level, fact.id


def test_editorial_dates_name_their_reference(corpus) -> None:  # type: ignore[no-untyped-def]
    editorial = [f for f in corpus.facts if f.editorial is not None]
    assert editorial, "the public record resolves at least the relative dates"
    assert all(f.editorial.reference for f in editorial)


def test_the_fifty_thousand_disagreement_is_kept_as_data() -> None:
    arrests = records("show", "arrests-50000")[0]
    returned = records("show", "returned-to-trial-50000")[0]
    assert {s["doc"] for s in arrests["sources"]} >= {"001", "003"}
    assert {s["doc"] for s in returned["sources"]} == {"004"}
    shared = set(arrests["disputed_by"]) & set(returned["disputed_by"])
    assert shared, "one conflict names both readings of the figure"
    conflict = records("show", shared.pop())[0]
    assert {s["doc"] for s in conflict["sources"]} >= {"001", "003", "004"}


def test_the_establishment_date_disagreement_is_kept_as_data() -> None:
    conflicts = records("conflicts")
    docs_per_conflict = [{s["doc"] for s in c["sources"]} for c in conflicts]
    assert any({"000", "001"} <= docs for docs in docs_per_conflict)


def test_chinese_aliases_exist_for_key_names(corpus) -> None:  # type: ignore[no-untyped-def]
    aliases = {a for f in corpus.facts for a in f.aliases}
    for name in ("三亚", "西双版纳", "清迈", "澜湄合作", "王毅"):
        assert any(name in a for a in aliases), name


def test_bundled_dir_is_the_repository_facts_or_the_installed_copy() -> None:
    assert (bundled_dir() / "sources.toml").is_file()
