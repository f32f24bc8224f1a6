"""The sentence splitter and the checkable elements of a sentence (lmc_cli/curate/elements.py)."""

import pytest

pytest.importorskip("pysbd")

from lmc_cli.curate.elements import elements, split  # noqa: E402


def test_split_keeps_abbreviations_and_curly_quotes_inside_a_sentence():
    text = "Mr. Wang met U.S. officials. He said “security comes first.” Then he left.\nNi Yueju"
    sentences = [s.text for s in split(text)]
    assert sentences[0] == "Mr. Wang met U.S. officials."
    assert sentences[-1] == "Ni Yueju"
    for s in split(text):
        assert text[s.start:s.end] == s.text


def test_elements_of_a_sentence():
    found = {(e.kind, e.text) for e in elements(
        "Chinese Foreign Minister Wang Yi said on 12 March 2016 that over 50,000 people were arrested.")}
    assert ("date", "12 March 2016") in found
    assert ("number", "50,000") in found
    assert ("name", "Chinese Foreign Minister Wang Yi") in found
    assert ("claim", "said") in found
