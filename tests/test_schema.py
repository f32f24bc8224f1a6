"""The JSON Schema of fact files: shipped, printed by `lmc schema`, and agreeing with `lmc validate`.

`lmc validate` applies the schema's rules through the loader's own checks (so jsonschema stays a
test-only dependency); these tests prove the two agree on the bundled files and on bad input.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from helpers import invoke

from lmc_cli.errors import DataError
from lmc_cli.load import packs, parse

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(packs.schema_path().read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
FACT_FILES = sorted((ROOT / "facts").glob("*.toml")) + sorted((ROOT / "tests" / "data" / "minipack").glob("*.toml"))
DIRECTIVE = "#:schema ../lmc_cli/schema/facts.schema.json"

GOOD_FACT: dict[str, Any] = {
    "id": "good-fact", "title": "A fact", "text": "A sentence.", "date": "2016-03",
    "sources": [{"doc": "000", "quote": "a quote"}],
}


def test_schema_is_a_valid_draft7_schema() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def test_lmc_schema_prints_it() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == SCHEMA


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_bundled_fact_file_is_valid_against_the_schema(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("path", sorted((ROOT / "facts").glob("*.toml")), ids=lambda p: p.name)
def test_bundled_files_name_the_schema_so_editors_find_it(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == DIRECTIVE  # a path Taplo / Even Better TOML resolve offline (docs/fact-format.md)
    assert (path.parent / first.split(" ", 1)[1]).resolve() == packs.schema_path()


def test_schema_names_exactly_the_fields_store_accepts() -> None:
    definitions = SCHEMA["definitions"]
    assert set(definitions["fact"]["properties"]) == parse.FACT_FIELDS
    assert set(definitions["document"]["properties"]) == parse.DOCUMENT_FIELDS
    assert set(definitions["fact"]["required"]) == {"id", "title", "text", "sources"}


def store_accepts(fact: Any) -> bool:
    try:
        parse.parse_fact_file({"fact": [fact]}, Path("x.toml"), "test")
    except DataError:
        return False
    return True


def schema_accepts(fact: Any) -> bool:
    return VALIDATOR.is_valid({"fact": [fact]})


def changed(**changes: Any) -> dict[str, Any]:
    fact = copy.deepcopy(GOOD_FACT)
    for name, value in changes.items():
        if value is DROP:
            fact.pop(name)
        else:
            fact[name] = value
    return fact


DROP = object()
BAD_FACTS = {
    "no id": changed(id=DROP),
    "id not a slug": changed(id="Bad Id"),
    "no title": changed(title=DROP),
    "blank text": changed(text="   "),
    "unknown field": changed(colour="red"),
    "date as words": changed(date="March 2016"),
    "month 13": changed(date="2016-13"),
    "date_end without date": changed(date=DROP, date_end="2022"),
    "value as a string": changed(value="50000"),
    "value as a boolean": changed(value=True),
    "ordinal zero": changed(ordinal=0),
    "ordinal as a float": changed(ordinal=1.5),
    "aliases not a list": changed(aliases="Sanya"),
    "empty alias": changed(aliases=["ok", ""]),
    "no sources": changed(sources=[]),
    "source without quote": changed(sources=[{"doc": "000"}]),
    "source with unknown key": changed(sources=[{"doc": "000", "quote": "q", "page": 3}]),
    "editorial without reference": changed(editorial={"date": "2016-03-23"}),
    "editorial with unknown key": changed(editorial={"reference": "r", "when": "x"}),
}


def test_a_good_fact_passes_both() -> None:
    full = changed(date_end="2017", aliases=["a"], value=1.5, ordinal=2, place="Sanya",
                   editorial={"reference": "r", "date": "2016-03-23", "note": "n"},
                   sources=[{"doc": "000", "quote": "q", "says": "s"}])
    assert store_accepts(full) and schema_accepts(full)


@pytest.mark.parametrize("name", list(BAD_FACTS))
def test_bad_facts_are_rejected_by_both(name: str) -> None:
    fact = BAD_FACTS[name]
    assert not store_accepts(fact), "the loader accepted it"
    assert not schema_accepts(fact), "the schema accepted it"


def test_bad_files_are_rejected_by_both(tmp_path: Path) -> None:
    for data in ({"fact": [GOOD_FACT], "extra": 1}, {"table": "Bad Table", "fact": []}, {"fact": GOOD_FACT}):
        assert not VALIDATOR.is_valid(data)
        with pytest.raises(DataError):
            parse.parse_fact_file(data, Path("x.toml"), "test")
    for data in ({"document": [{"id": "1", "title": "t"}]}, {"document": [{"id": "1", "title": "t", "kind": "news",
                                                                             "title_is_descriptive": "yes"}]},
                 {"document": [], "fact": []}):
        assert not VALIDATOR.is_valid(data)
        with pytest.raises(DataError):
            parse.parse_documents(data, "sources.toml", "test")


def test_schema_ships_in_the_package() -> None:
    assert packs.schema_path().is_file()
    assert packs.schema_path().parent.parent.name == "lmc_cli"
