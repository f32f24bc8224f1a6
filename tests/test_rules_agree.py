"""One validator: generated values for every field are accepted or refused alike by the JSON
Schema (jsonschema) and by the loader (`lmc validate` and every load), and the schema's
patterns are load/rules.py's own.

Cross-field rules (load/rules.CROSS_FIELD_RULES) are beyond a JSON Schema; the generated
values never reach them (date_end is tried against the earliest possible date).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmc_cli.errors import DataError
from lmc_cli.load import packs, parse, rules

SCHEMA = json.loads(packs.schema_path().read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
FACT = SCHEMA["definitions"]["fact"]["properties"]
DOCUMENT = SCHEMA["definitions"]["document"]["properties"]

GOOD_FACT: dict[str, Any] = {
    "id": "good-fact", "title": "A fact", "text": "A sentence.", "date": "0000",
    "sources": [{"doc": "000", "quote": "a quote"}],
}
GOOD_DOCUMENT: dict[str, Any] = {"id": "000", "title": "A document", "kind": "news"}

# Characters that tell engines apart or break names: every kind of white space, controls, bidi,
# surrogates, noncharacters, fullwidth and Arabic-Indic digits, ':' and the shell's quotes.
AWKWARD = list("\t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2028\u202f\u3000\ufeff\x00\x1b\x07\x7f\x9b\u202e\u2066"
               "\ud800\udcff\ufffe\uffff\ufdd0\U0010ffff０٢:\\'\"$ ;-_.") + ["\U0001fffe"]
PLAIN = list("abcz09-_AZ.")
CHARS = st.sampled_from(AWKWARD + PLAIN)
DATES = st.builds(lambda y, m, d, sep: f"{y:04d}{sep}{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 13),
                  st.integers(0, 32), st.sampled_from(["-", "-", "/"]))
STRINGS = st.one_of(
    st.text(CHARS, max_size=8),
    st.builds(lambda a, b, c: a + b + c, st.text(st.sampled_from(PLAIN), max_size=6), st.text(CHARS, max_size=2),
              st.text(st.sampled_from(PLAIN), max_size=6)),
    DATES, DATES.map(lambda d: d[:7]), DATES.map(lambda d: d[:4]), DATES.map(lambda d: d + "\n"),
    st.text(st.sampled_from(list("0123456789abcdefABCDEFg")), min_size=63, max_size=65),
)
NUMBERS = st.one_of(
    st.integers(-(2**70), 2**70), st.integers(2**62, 2**64), st.sampled_from([0, 1, -1, 10**309, -(10**309)]),
    st.floats(allow_nan=False),  # JSON has no NaN (the loader refuses it: test_hostile_round2)
    st.booleans(),
)
SCALARS = st.one_of(STRINGS, NUMBERS)  # TOML has no null
VALUES = st.one_of(SCALARS, st.lists(STRINGS, max_size=3), st.lists(SCALARS, max_size=2),
                   st.dictionaries(st.sampled_from(["reference", "date", "note", "x"]), STRINGS, max_size=3))


def loader_accepts_fact(fact: dict[str, Any]) -> bool:
    try:
        parse.parse_fact_file({"fact": [fact]}, Path("x.toml"), "test")
    except DataError:
        return False
    return True


def loader_accepts_document(document: dict[str, Any]) -> bool:
    try:
        parse.parse_documents({"document": [document]}, "sources.toml", "test")
    except DataError:
        return False
    return True


def with_field(base: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(base)
    changed[name] = value
    return changed


def json_safe(value: Any) -> bool:
    """jsonschema sees what a TOML-to-JSON editor would: values JSON can hold."""
    try:
        json.dumps(value, allow_nan=False)
    except (ValueError, TypeError):
        return False
    return True


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", sorted(FACT))
@SETTINGS
@given(value=VALUES)
def test_schema_and_loader_agree_on_every_fact_field(name: str, value: Any) -> None:
    if not json_safe(value):
        return
    fact = with_field(GOOD_FACT, name, value)
    assert VALIDATOR.is_valid({"fact": [fact]}) == loader_accepts_fact(fact), (name, value)


@pytest.mark.parametrize("name", ["doc", "quote", "says"])
@SETTINGS
@given(value=VALUES)
def test_schema_and_loader_agree_on_every_source_field(name: str, value: Any) -> None:
    if not json_safe(value):
        return
    fact = with_field(GOOD_FACT, "sources", [with_field(GOOD_FACT["sources"][0], name, value)])
    assert VALIDATOR.is_valid({"fact": [fact]}) == loader_accepts_fact(fact), (name, value)


@pytest.mark.parametrize("name", sorted(DOCUMENT))
@SETTINGS
@given(value=VALUES)
def test_schema_and_loader_agree_on_every_document_field(name: str, value: Any) -> None:
    if not json_safe(value):
        return
    document = with_field(GOOD_DOCUMENT, name, value)
    assert VALIDATOR.is_valid({"document": [document]}) == loader_accepts_document(document), (name, value)


GOOD_IGNORE: dict[str, Any] = {"doc": "000", "sentence": "A heading", "reason": "a heading states no fact"}


def loader_accepts_ignore(entry: dict[str, Any]) -> bool:
    try:
        parse.parse_ignore_file({"ignore": [entry]}, Path(rules.IGNORE_FILE), "test")
    except DataError:
        return False
    return True


@pytest.mark.parametrize("name", [*sorted(rules.IGNORE_FIELDS), "extra"])
@SETTINGS
@given(value=VALUES)
def test_schema_and_loader_agree_on_every_ignore_field(name: str, value: Any) -> None:
    """coverage-ignore.toml's entries: the schema and parse.parse_ignore_file accept the same ones."""
    if not json_safe(value):
        return
    entry = with_field(GOOD_IGNORE, name, value)
    assert VALIDATOR.is_valid({"ignore": [entry]}) == loader_accepts_ignore(entry), (name, value)


@SETTINGS
@given(value=VALUES)
def test_schema_and_loader_agree_on_the_file_level_table(value: Any) -> None:
    if not json_safe(value):
        return
    data = {"table": value, "fact": [GOOD_FACT]}
    try:
        parse.parse_fact_file(data, Path("x.toml"), "test")
        accepted = True
    except DataError:
        accepted = False
    assert VALIDATOR.is_valid(data) == accepted, value


def test_the_schema_uses_the_rules_patterns_and_bounds() -> None:
    """Not a copy that drifts: each constrained field carries the very pattern the loader uses."""
    assert SCHEMA["properties"]["table"]["pattern"] == rules.TABLE
    assert FACT["table"]["pattern"] == rules.TABLE
    for name in ("id", "speaker"):
        assert FACT[name]["pattern"] == rules.SLUG
    assert FACT["related"]["items"]["pattern"] == rules.SLUG
    for spec in (FACT["date"], FACT["date_end"], FACT["editorial"]["properties"]["date"]):
        assert spec["pattern"] == rules.DATE
    assert (FACT["value"]["minimum"], FACT["value"]["maximum"]) == (-rules.MAX_VALUE, rules.MAX_VALUE)
    assert FACT["ordinal"]["maximum"] == rules.MAX_ORDINAL
    assert DOCUMENT["id"]["pattern"] == rules.DOCUMENT_ID
    assert DOCUMENT["file"]["pattern"] == rules.NAME
    assert DOCUMENT["sha256"]["pattern"] == rules.SHA256
    ignore = SCHEMA["definitions"]["ignore"]
    assert set(ignore["properties"]) == set(ignore["required"]) == rules.IGNORE_FIELDS
    assert ignore["properties"]["doc"]["pattern"] == rules.DOCUMENT_ID
    assert ignore["properties"]["sentence"]["pattern"] == ignore["properties"]["reason"]["pattern"] == rules.TEXT
    text_fields = [spec for spec in FACT.values() if spec.get("type") == "string" and "pattern" in spec]
    assert {spec["pattern"] for spec in text_fields} <= {rules.TEXT, rules.SLUG, rules.TABLE, rules.DATE}


@pytest.mark.parametrize("value", ["2016-02-29", "2000-02-29", "0000-02-29", "2016", "0000", "9999-12-31"])
def test_real_dates_pass_both(value: str) -> None:
    fact = with_field(GOOD_FACT, "date", value)
    assert VALIDATOR.is_valid({"fact": [fact]}) and loader_accepts_fact(fact)


@pytest.mark.parametrize("value", ["2015-02-29", "1900-02-29", "2016-04-31", "２０２０-０５", "٢٠١٦", "2016\n",
                                   "2016-3", "2016-00"])
def test_unreal_or_non_ascii_dates_fail_both(value: str) -> None:
    fact = with_field(GOOD_FACT, "date", value)
    assert not VALIDATOR.is_valid({"fact": [fact]}) and not loader_accepts_fact(fact)
