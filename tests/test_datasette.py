"""The SQLite export as Datasette shows it: search (stemmed), metadata, integers, hidden internals."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from datasette.app import Datasette
from helpers import invoke, quote_only_word


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Datasette:
    path = tmp_path_factory.mktemp("datasette") / "lmc.db"
    result = invoke("export", "--format", "sqlite", "--output", str(path))
    assert result.exit_code == 0, result.stderr
    metadata = json.loads(path.with_name("lmc.metadata.json").read_text(encoding="utf-8"))
    return Datasette([str(path)], metadata=metadata)


def get(site: Datasette, url: str) -> Any:
    response = asyncio.run(site.client.get(url))
    assert response.status_code == 200, (url, response.status_code)
    return response.json() if ".json" in url else response.text


def test_search_is_stemmed(site: Datasette) -> None:
    singular = get(site, "/lmc/facts.json?_search=arrest&_shape=array&_col=title")
    plural = get(site, "/lmc/facts.json?_search=arrests&_shape=array&_col=title")
    assert {r["id"] for r in singular} == {r["id"] for r in plural}
    assert "arrests-50000" in {r["id"] for r in singular}


def test_search_reaches_quotes_and_keywords(site: Datasette) -> None:
    fact_id, word = quote_only_word()
    rows = get(site, f"/lmc/facts.json?_search={word}&_shape=array")
    assert fact_id in {r["id"] for r in rows}


def test_integer_values_are_shown_as_integers(site: Datasette) -> None:
    rows = get(site, "/lmc/facts.json?id=arrests-50000&_shape=array")
    assert rows[0]["value"] == 50000 and isinstance(rows[0]["value"], int)
    page = get(site, "/lmc/facts/arrests-50000")
    assert "50000.0" not in page


def test_metadata_title_source_and_descriptions_show(site: Datasette) -> None:
    index = get(site, "/")
    assert "lmc: cited facts about Lancang-Mekong Cooperation" in index
    assert "Ni Yueju" in index  # the source attribution, in the footer
    page = get(site, "/lmc/facts")
    assert "stable fact id" in page  # a column description
    assert "Search covers title, text, aliases, keywords and quotes" in page


def test_internal_table_is_hidden(site: Datasette) -> None:
    tables = {t["name"]: t for t in get(site, "/lmc.json")["tables"]}
    assert tables["fact_spans"]["hidden"] is True
    assert tables["facts"]["hidden"] is False and tables["facts"]["fts_table"] == "facts_fts"


def test_facts_page_offers_the_tables_as_facets(site: Datasette) -> None:
    data = get(site, "/lmc/facts.json?_extra=facet_results")
    facets = data.get("facet_results") or {}
    names = set(facets.get("results", facets))
    assert "table_name" in names, names
