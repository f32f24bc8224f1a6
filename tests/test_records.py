"""The model's records are NamedTuples, but compare like the frozen dataclasses they replaced."""

from __future__ import annotations

import pytest

from lmc_cli import api
from lmc_cli.model import Citation, Document, Editorial, Fact, Ignored, Match


def test_a_record_never_equals_a_plain_tuple_of_its_values() -> None:
    citation = Citation("doc1", "The quote.")
    plain = ("doc1", "The quote.", None, "bundled")
    assert citation != plain and plain != citation and not citation == plain  # noqa: SIM201
    assert len({citation, plain}) == 2 and {citation: 1}.get(plain) is None
    assert plain not in [citation] and citation not in [plain]
    editorial = Editorial("reference", "2016", None)
    assert editorial != ("reference", "2016", None)


def test_records_of_different_classes_holding_the_same_values_stay_apart() -> None:
    # Ignored and Match both have five fields: as tuples, these two are equal and hash alike.
    ignored = Ignored("doc1", "A sentence.", "a heading", "bundled", "")
    match = Match("doc1", "A sentence.", "a heading", "bundled", "")
    assert tuple(ignored) == tuple(match) and hash(ignored) == hash(match)
    assert ignored != match and match != ignored
    assert len({ignored, match}) == 2 and len(dict.fromkeys([ignored, match])) == 2


def test_equal_records_of_one_class_are_equal_and_dedup() -> None:
    facts = api.open_corpus().facts
    fact = facts[0]
    copy = Fact._make(list(fact))
    assert copy == fact and not copy != fact and hash(copy) == hash(fact)  # noqa: SIM202
    assert len({*facts, copy}) == len(set(facts)) == len({f.id for f in facts})
    assert fact._replace(title="another") != fact and type(fact._replace(title="t")) is Fact
    document = next(iter(api.open_corpus().documents.values()))
    assert Document._make(list(document)) == document


def test_records_have_no_order() -> None:
    one, two = api.open_corpus().facts[:2]
    with pytest.raises(TypeError):
        sorted([two, one])
    with pytest.raises(TypeError):
        _ = Citation("a", "q") < ("b", "q", None, "bundled")
    with pytest.raises(TypeError):
        _ = ("b", "q", None, "bundled") > Citation("a", "q")  # noqa: SIM300
