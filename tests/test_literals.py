"""The literal pre-checks of the lexicon's phrases (match/literals.py, query.canonical): a text
without any of a pattern's strings is one the pattern cannot match, so canonical() gives the
same text as running every phrase on it."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from lmc_cli.load import parse, toml
from lmc_cli.match import query, rank
from lmc_cli.match.lexicon import lexicon
from lmc_cli.match.literals import required_literals
from lmc_cli.match.text import fold

ROOT = Path(__file__).resolve().parent.parent

# Patterns of the kinds a lexicon has, and some it may get: repeats, classes, look-arounds, groups.
PATTERNS = [p for p, _ in lexicon().phrases] + [re.compile(x) for x in (
    r"a+b", r"(ab)+c", r"x(?:ab|cd)*y", r"\d+ km", r"(?<=a)b", r"(?!x)abc", r"colou?r", r"[- ]?x{2,3}",
    r"(?:ab|cd){1,2}e", r"\bper cent\b|%", r"q(?:u|v)?(?:ab)", r"(?:a|.)bc", r"(?i)abc", r"(a)\1", r"[^a]bc",
)]


def every_phrase(text: str) -> str:
    folded = fold(text)
    for pattern, replacement in lexicon().phrases:
        folded = pattern.sub(replacement, folded)
    return folded


def fact_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "facts").glob("*.toml")):
        if path.name in ("sources.toml", "coverage-ignore.toml"):
            continue
        for fact in parse.parse_fact_file(toml.parse_toml(path.read_bytes(), path), path, "bundled"):
            for found in rank.fact_fields(fact).values():
                texts.extend(t for t in found if t)
    return texts


def test_canonical_gives_the_same_text_for_every_bundled_fact_text() -> None:
    texts = fact_texts()
    assert len(texts) > 500
    assert [query.canonical(t) for t in texts] == [every_phrase(t) for t in texts]
    assert any(query.canonical(t) != fold(t) for t in texts)  # some phrases do apply


# Words from the patterns themselves, so that generated texts often (nearly) match them.
PIECES = sorted({w for p in PATTERNS for w in re.findall(r"[a-z]+|[^\x00-\x7f]", p.pattern)} | {
    " ", "-", "%", "$", "s", "ed", "1", "9", "次", "届", "第", "K", "É", "ﬁ", "\u00a0"})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_canonical_gives_the_same_text_for_texts_made_of_the_phrases_words(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert query.canonical(text) == every_phrase(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["a", "b", "c", "x", "y", "ab", "cd", "km", "u", "q", "v", "e"]),
                max_size=10))
def test_every_match_contains_one_of_the_required_strings(pieces: list[str]) -> None:
    text = "".join(pieces)
    for pattern in PATTERNS:
        needs = required_literals(pattern)
        if needs is not None and pattern.search(text):
            assert any(n in text for n in needs), (pattern.pattern, text, needs)


def test_what_it_cannot_read_gives_no_strings() -> None:
    assert required_literals(re.compile(r"(?i)abc")) is None
    assert required_literals(re.compile(r"[a-z]+")) is None
    assert required_literals(re.compile(r"(?:abc|.*)")) is None
    assert required_literals(re.compile(r"\bfms?\b|\bfmm\b")) == ("fm",)
    assert required_literals(re.compile(r"\bhand(?:ed|ing|s)? over\b")) == (
        "hand over", "hands over", "handed over", "handing over")
