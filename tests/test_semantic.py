"""The semantic scorer: its tokenizer, its vectors, its ordering, and its packaged table."""

from __future__ import annotations

import struct
import subprocess
import sys
import zipfile
from math import sqrt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmc_cli.errors import LmcError
from lmc_cli.match import semantic

ROOT = Path(__file__).resolve().parent.parent


def norm(vector: list[float]) -> float:
    return sqrt(sum(x * x for x in vector))


# --- tokenizer -------------------------------------------------------------------------------


def test_words_fold_case_and_accents_and_split_punctuation() -> None:
    assert semantic.words("Naïve CAFÉ-owners, in Zürich!") == ["naive", "cafe", "-", "owners", ",", "in", "zurich", "!"]


def test_words_split_cjk_characters_and_drop_control_characters() -> None:
    assert semantic.words("河流ab\x00cd\u200b ef") == ["河", "流", "abcd", "ef"]
    assert semantic.words(" \t\n ") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_the_ascii_fast_path_splits_as_the_general_one(text: str) -> None:
    assert semantic.words(text) == semantic.words_general(text)


MIXED = "ab Z9.,-'\t\n\u00e9\u00c9\u0301\u2014\u201c\u6cb3\u00a0\u200b\u03a3\u03c3\x00"  # ASCII and not, spaces


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(MIXED), max_size=40))
def test_splitting_at_spaces_first_changes_nothing(text: str) -> None:
    assert semantic.words(text) == semantic.words_general(text)


def test_vertical_tab_and_form_feed_are_dropped_as_controls_not_spaces() -> None:
    assert semantic.words("ab\x0bcd\x0c e") == semantic.words_general("ab\x0bcd\x0c e") == ["abcd", "e"]


def test_wordpiece_takes_the_longest_piece_first() -> None:
    vocab = {"un": 0, "unaff": 1, "##aff": 2, "##able": 3, "##a": 4, "##ble": 5}
    assert semantic.wordpiece("unaffable", vocab) == ["unaff", "##able"]
    assert semantic.wordpiece("unable", vocab) == ["un", "##able"]


def test_wordpiece_makes_an_uncoverable_or_overlong_word_one_unknown() -> None:
    vocab = {"ab": 0, "##c": 1}
    assert semantic.wordpiece("abx", vocab) == [semantic.UNKNOWN]
    assert semantic.wordpiece("abc", vocab) == ["ab", "##c"]
    assert semantic.wordpiece("ab" + "c" * semantic.MAX_WORD_CHARS, vocab) == [semantic.UNKNOWN]


def test_tokens_use_the_packaged_vocabulary() -> None:
    pieces = semantic.tokens("The rivers flooded")
    assert pieces[0] == "the"
    assert all(p in semantic.table().vocab for p in pieces)
    assert "".join(p.removeprefix("##") for p in pieces) == "theriversflooded"


# --- vectors ---------------------------------------------------------------------------------


def test_embed_is_deterministic_and_of_unit_length() -> None:
    first = semantic.embed("a dam on the upper river")
    assert first == semantic.embed("a dam on the upper river")
    assert len(first) == semantic.table().dims
    assert norm(first) == pytest.approx(1.0)


def test_text_with_no_known_token_has_the_zero_vector_and_no_similarity() -> None:
    vocab = semantic.table().vocab
    assert "\u2603" not in vocab and "##\u2603" not in vocab
    assert semantic.tokens("\u2603\u2603 \u2603") == [semantic.UNKNOWN, semantic.UNKNOWN]
    zero = semantic.embed("\u2603\u2603 \u2603")
    assert not any(zero)
    assert semantic.cosine(zero, semantic.embed("water")) == 0.0
    assert semantic.similarities("", ["water"]) == [0.0]


def test_cosine_rejects_vectors_of_different_lengths() -> None:
    with pytest.raises(ValueError):
        semantic.cosine([1.0, 0.0], [1.0])


def test_pack_keeps_the_direction_of_the_vector() -> None:
    vector = semantic.embed("fishermen on the lake")
    packed = semantic.pack(vector)
    assert len(packed) == 4 + len(vector)
    assert semantic.cosine(vector, semantic.unpack(packed)) > 0.999
    assert semantic.pack([0.0, 0.0]) == struct.pack("<f", 0.0) + bytes(2)
    assert semantic.pack([3.0, -3.0, 1.0])[4:] == bytes([127, 256 - 127, 42])  # the peak maps to +-127


def test_fact_vector_is_the_packed_vector_of_the_fact_text() -> None:
    packed = semantic.fact_vector("Harbour opened", "The harbour opened in May.", aliases=("port",),
                                  keywords=("shipping",), questions=("when did the port open",))
    again = semantic.fact_vector("Harbour opened", "The harbour opened in May.", aliases=("port",),
                                 keywords=("shipping",), questions=("when did the port open",))
    assert packed == again
    text = semantic.fact_text("Harbour opened", "The harbour opened in May.", ("port",), ("shipping",),
                              ("when did the port open",))
    assert all(part in text for part in ("Harbour opened", "port", "shipping", "when did the port open"))
    assert semantic.cosine(semantic.unpack(packed), semantic.embed(text)) > 0.999


def test_vector_of_a_fact_record_uses_its_title_text_aliases_keywords_and_questions() -> None:
    from lmc_cli.model import Citation, Fact

    fact = Fact(id="f", table="events", title="Harbour opened", text="The harbour opened in May.",
                sources=(Citation(doc="d", quote="The harbour opened in May."),), aliases=("port",),
                keywords=("shipping",), questions=("when did the port open",))
    assert semantic.vector_of(fact) == semantic.fact_vector("Harbour opened", "The harbour opened in May.",
                                                            ("port",), ("shipping",), ("when did the port open",))
    assert semantic.vector_of(fact) != semantic.fact_vector("Harbour opened", "The harbour opened in May.",
                                                            ("port",), ("shipping",))


def test_packed_similarities_agree_with_text_similarities() -> None:
    texts = ["the price of rice went up", "a new bridge across the river", "police caught the smugglers"]
    question = "who arrested the traffickers"
    direct = semantic.similarities(question, texts)
    stored = [semantic.pack(semantic.embed(t)) for t in texts]
    packed = semantic.similarities_packed(question, stored)
    assert packed == pytest.approx(direct, abs=0.01)
    by_vector = semantic.similarities_packed(semantic.embed(question), stored)
    assert by_vector == packed


def test_a_stored_vector_of_the_wrong_size_is_an_lmc_error() -> None:
    good = semantic.pack(semantic.embed("river"))
    with pytest.raises(LmcError, match="rebuild the index"):
        semantic.similarities_packed("river", [good, good[:-1]])


# --- ordering on obvious cases ---------------------------------------------------------------

OBVIOUS = [
    ("how many people were killed in the earthquake",
     "The earthquake left 300 people dead.", "The school opened a new library."),
    ("who won the football match",
     "The home team won the soccer game 2-1.", "Heavy rain flooded the rice fields."),
    ("what did the bank lend to the government",
     "The bank made a loan of two billion dollars to the state.", "Tourists visited the old temple."),
    ("when did the airport open",
     "The new airport began operating in March.", "Farmers harvest coffee in the hills."),
    ("drug smuggling across the border",
     "Police seized narcotics trafficked over the frontier.", "The orchestra played a symphony."),
]


@pytest.mark.parametrize(("question", "related", "unrelated"), OBVIOUS)
def test_a_related_sentence_scores_above_an_unrelated_one(question: str, related: str, unrelated: str) -> None:
    near, far = semantic.similarities(question, [related, unrelated])
    assert near > far


def test_a_paraphrase_scores_above_an_unrelated_sentence_sharing_no_word_with_either() -> None:
    near, far = semantic.similarities("physician", ["doctor", "bicycle"])
    assert near > far + 0.1


# --- the table and its packaging -------------------------------------------------------------


def test_a_wide_row_holds_each_value_in_its_own_32_bit_field() -> None:
    tab = semantic.table()
    for index in (0, 1, len(tab.vocab) // 2, len(tab.vocab) - 1):
        scale, values = tab.row(index)
        expected = [round((v - semantic.OFFSET) * scale * tab.unit) + semantic.FIELD_BIAS for v in values]
        assert struct.unpack(f"<{tab.dims}I", tab.wide(index).to_bytes(4 * tab.dims, "little")) == tuple(expected)
        assert all(0 < f < 2**16 for f in expected)


def test_importing_the_module_does_not_read_the_table() -> None:
    code = "import lmc_cli.match.semantic as s, sys; print(s._TABLE is None)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"


def test_packaged_table_matches_its_vocabulary() -> None:
    tab = semantic.table()
    assert tab.dims == 256
    assert len(tab.scales) == len(tab.vocab)
    count = len(tab.vocab)
    _, _, slots, words = struct.unpack_from("<IIII", tab.data, 8)
    assert len(tab.data) == tab.base + count * tab.dims // 2 + 4 * (count + 1) + 4 * slots + words
    assert tab.unknown == tab.vocab[semantic.UNKNOWN]


def test_the_vocabulary_finds_every_token_at_its_row_and_nothing_else() -> None:
    vocab = semantic.table().vocab
    rows = range(0, len(vocab), 97)
    assert all(vocab.index(vocab.token(row)) == row for row in rows)
    assert vocab.index("") == -1 and vocab.index("##") == -1 and vocab.index("qqqqzzzz") == -1
    assert vocab.get("qqqqzzzz", 7) == 7
    with pytest.raises(KeyError):
        vocab["qqqqzzzz"]


def test_a_damaged_index_finds_nothing_rather_than_failing_or_looping(tmp_path: Path) -> None:
    data = bytearray((semantic.DATA_DIR / semantic.VECTORS_FILE).read_bytes())
    count, dims, slots, _ = struct.unpack_from("<IIII", data, 8)
    slots_at = 24 + 4 * count + count * dims // 2 + 4 * (count + 1)
    data[slots_at : slots_at + 4 * slots] = struct.pack("<I", count + 9) * slots  # every slot out of range
    vectors = tmp_path / "vectors.bin"
    vectors.write_bytes(bytes(data))
    damaged = semantic.load_table(vectors)
    assert damaged.vocab.index("river") == -1
    data[slots_at : slots_at + 4 * slots] = struct.pack("<I", 1) * slots  # every slot taken by row 0
    vectors.write_bytes(bytes(data))
    assert semantic.load_table(vectors).vocab.index("river") == -1


@pytest.mark.parametrize("damage", ["empty", "truncate", "magic", "sizes", "offsets"])
def test_a_damaged_table_is_an_lmc_error_not_a_traceback(tmp_path: Path, damage: str) -> None:
    data = bytearray((semantic.DATA_DIR / semantic.VECTORS_FILE).read_bytes())
    count, dims, slots, _ = struct.unpack_from("<IIII", data, 8)
    offsets_at = 24 + 4 * count + count * dims // 2
    if damage == "empty":
        data = bytearray()
    elif damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "magic":
        data[:8] = b"XXXXXXXX"
    elif damage == "sizes":
        struct.pack_into("<I", data, 8, count + 1)
    else:
        struct.pack_into("<I", data, offsets_at + 4 * count, 2**31)
    vectors = tmp_path / "vectors.bin"
    vectors.write_bytes(bytes(data))
    with pytest.raises(LmcError, match="reinstall lmc"):
        semantic.load_table(vectors)
    with pytest.raises(LmcError, match="cannot read"):
        semantic.load_table(tmp_path / "missing.bin")


def test_the_built_wheel_carries_the_table_and_it_loads_from_there(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "lmc_cli/match/data/semantic_vectors.bin" in names
        archive.extractall(site)
    code = (
        "import lmc_cli.match.semantic as s; t = s.table(); "
        "print(s.__file__); print(t.dims, len(t.vocab)); print(round(s.similarities('rain', ['rain'])[0], 3))"
    )
    run = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    where, shape, self_similarity = run.stdout.split("\n")[:3]
    assert Path(where).resolve().is_relative_to(site.resolve())
    assert shape == f"256 {len(semantic.table().vocab)}"
    assert self_similarity == "1.0"


NO_SEARCH_PROBE = """
import json, sys
from typer.testing import CliRunner
from lmc_cli.cli import app
runner = CliRunner()
first = json.loads(runner.invoke(app, ["list", "--format", "json"]).output)[0]["id"]
for args in (["list"], ["show", first], ["timeline"]):
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, (args, result.output)
print("lmc_cli.match.semantic" in sys.modules)
"""


def test_commands_that_do_not_search_never_import_the_semantic_scorer() -> None:
    run = subprocess.run([sys.executable, "-c", NO_SEARCH_PROBE], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "False"
