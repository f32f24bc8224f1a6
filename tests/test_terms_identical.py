"""The fast paths of match/text.py (an ASCII fold, memoised stems, the common case of number words)
give exactly the terms of the code before them (tests/data/text_reference.py), on the bundled facts
and on a generated pack."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmc_cli.load import packs
from lmc_cli.match import query, rank, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_pack import write_pack  # noqa: E402


def reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("text_reference", ROOT / "tests" / "data" / "text_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def old_terms(facts: list, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, float]]:
    old = reference()
    with monkeypatch.context() as patch:
        for module in (query, rank):
            for name in ("fold", "stem", "tokenize"):
                if hasattr(module, name):
                    patch.setattr(module, name, getattr(old, name))
        return [rank.fact_terms(f) for f in facts]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> list[list]:
    root = tmp_path_factory.mktemp("terms")
    write_pack(1500, root / "pack")
    return [packs.load_corpus(use_cache=False).facts,
            packs.load_corpus([root / "pack"], bundled=False, use_cache=False).facts]


def test_the_terms_of_every_fact_are_unchanged(corpora: list[list], monkeypatch: pytest.MonkeyPatch) -> None:
    for facts in corpora:
        assert [rank.fact_terms(f) for f in facts] == old_terms(facts, monkeypatch)


def test_each_function_agrees_on_every_text_and_word(corpora: list[list]) -> None:
    old = reference()
    samples = ["Ａｂｃ “quoted” café naïve ŉ ß İstanbul", "fifty thousand", "the 9th and 21st", "hundred hundred",
               "2.5 million", "一百 澜湄合作", "ﬁve", "", "1,200,000 boats"]
    for facts in corpora:
        for fact in facts:
            samples += [fact.title, fact.text, *fact.aliases, *fact.questions, *(c.quote for c in fact.sources)]
    for sample in samples:
        assert text.fold(sample) == old.fold(sample), sample
        assert text.tokenize(sample) == old.tokenize(sample), sample
        for word in old.tokenize(sample) + sample.split():
            assert text.stem(word) == old.stem(word), word
            assert text.stem(word) == old.stem(word), word  # the memoised answer too


# Digits of several scripts, the separators THOUSANDS joins, number words and CJK: where the
# no-digit path of tokenize could differ from the reference.
_PIECES = st.sampled_from(["0", "7", "12", "345", "1,000", "٣", "٤٥٦", "２", "²", ",", " ", "\u00a0", ".", "5.5",
                           "fifty", "thousand", "hundred", "ninth", "21st", "st", "nd", "rd", "th", "a", "Ünï",
                           "澜湄", "一百", "-"])


@given(st.lists(_PIECES | st.text(max_size=4), max_size=12).map("".join))
@settings(max_examples=400, deadline=None)
def test_tokenize_agrees_on_generated_texts(sample: str) -> None:
    old = reference()
    assert text.tokenize(sample) == old.tokenize(sample)
    assert text.THOUSANDS.sub("", sample) == old.THOUSANDS.sub("", sample)  # rank.py uses it alone too
