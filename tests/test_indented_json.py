"""output/indented.py writes the text json.dumps(indent=2) writes, made safe as formats._json_safe does."""

from __future__ import annotations

import json
from enum import IntEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmc_cli.load import packs
from lmc_cli.output import indented
from lmc_cli.output.sanitise import UNSAFE

# Text that reaches the unsafe characters, surrogates, the escapes json writes and plain ASCII alike.
TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=12) | st.sampled_from(
    ["", "plain", "a\x7fb", "\u202eevil", "\x9b[31m", "tab\there", "quote\"back\\slash", "\ud800", "\U0001f600",
     "line\nbreak", "\x00", "\ufdd0", "\U0010fffe"])
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | TEXT)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(TEXT, inner, max_size=4), max_leaves=25)


def expected(value: Any, ensure_ascii: bool) -> str:
    return UNSAFE.sub(indented.json_escape, json.dumps(value, ensure_ascii=ensure_ascii, indent=2))


@settings(max_examples=400, deadline=None)
@given(VALUES, st.booleans())
def test_the_same_text_as_json_dumps(value: Any, ensure_ascii: bool) -> None:
    assert indented.dumps(value, ensure_ascii) == expected(value, ensure_ascii)


class Level(IntEnum):
    ONE = 1


@pytest.mark.parametrize("value", [
    {1: "a key that is not a string", "b": 2}, {"x": Level.ONE}, {"big": 10**30, "neg": -0.0, "tiny": 5e-324},
    [[], {}, [[]], {"a": {}}], "\u2066isolate\u2069", {"a\x85b": "\x7f"},
])
def test_edge_values(value: Any) -> None:
    for ensure_ascii in (True, False):
        assert indented.dumps(value, ensure_ascii) == expected(value, ensure_ascii)


def test_what_json_refuses_is_refused_alike() -> None:
    with pytest.raises(TypeError):
        indented.dumps({"a": object()}, True)
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        indented.dumps(loop, True)


def test_every_bundled_fact_record() -> None:
    records = [f.to_dict() for f in packs.load_corpus(use_cache=False).facts]
    for ensure_ascii in (True, False):
        assert indented.dumps(records, ensure_ascii) == expected(records, ensure_ascii)
