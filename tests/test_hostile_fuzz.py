"""Hypothesis throws random argument lists at the CLI and random bytes and TOML at the loader.

The CLI may only answer with a documented exit code (0 results, 1 no match, 2 usage, 3 invalid
data); the loader may only raise lmc's own DataError.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lmc_cli.cli import app
from lmc_cli.errors import DataError
from lmc_cli.load import parse, toml

MINIPACK = Path(__file__).resolve().parent / "data" / "minipack"
# Commands that only read (export and draft write files, completion installs itself: not for a fuzzer).
WORDS = ["meeting", "stat", "ask", "timeline", "show", "list", "sources", "conflicts", "validate", "help",
         "--format", "-f", "table", "json", "jsonl", "csv", "tsv", "--limit", "-n", "0", "-1", "3",
         "--from", "--to", "2016", "2016-02-30", "2016-13", "--table", "-t", "stats", "meetings", "--explain",
         "--facts", "--no-bundled", "--version", "--help", "-h", "--", "-", "", " ", "[bold]", ":smile:",
         "test-boats", "riverton", "河城", "\x1b[31m", "\u202e", "'", '"', "\\", "%s", "{}", "..", "/"]
ARGUMENT = st.one_of(st.sampled_from(WORDS), st.text(max_size=20).filter(lambda s: "\x00" not in s))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(ARGUMENT, max_size=6))
def test_random_arguments_end_in_a_documented_exit_code(args: list[str]) -> None:
    if {"export", "draft", "--install-completion", "--show-completion"} & set(args):  # they write files
        return
    result = CliRunner().invoke(app, ["--no-bundled", "--facts", str(MINIPACK), *args])
    assert result.exit_code in (0, 1, 2, 3), (args, result.exit_code, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))


def load(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "x.toml"
        path.write_bytes(content)
        try:
            data = toml.read_toml(path)
            parse.parse_fact_file(data, path, "fuzz")
            parse.parse_documents(data, str(path), "fuzz")
        except DataError:
            pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_raise_only_data_error(content: bytes) -> None:
    load(content)


KEY = st.one_of(st.sampled_from(["fact", "table", "id", "title", "text", "sources", "doc", "quote", "date",
                                 "value", "editorial", "document", "kind", "related", "aliases", "ordinal"]),
                st.text(min_size=1, max_size=8))
SCALAR = st.one_of(st.text(max_size=12), st.integers(), st.floats(allow_nan=True), st.booleans(),
                   st.dates(), st.datetimes(), st.times())
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(KEY, inner, max_size=5)), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEY, VALUE, max_size=5))
def test_random_toml_data_raises_only_data_error(data: dict) -> None:
    path = Path("fuzz.toml")
    with contextlib.suppress(DataError):
        parse.parse_fact_file(data, path, "fuzz")
    with contextlib.suppress(DataError):
        parse.parse_documents(data, str(path), "fuzz")


TOML_PIECES = st.sampled_from([
    "[[fact]]\n", "[[fact.sources]]\n", "[fact.editorial]\n", "[[document]]\n", 'id = "a-b"\n', "id = 3\n",
    'title = "T"\n', 'text = "X."\n', 'doc = "d"\n', 'quote = "q"\n', 'date = "2016-02-29"\n', "date = 2016\n",
    "value = 1e400\n", "value = nan\n", "value = -0\n", 'table = "T A"\n', "related = [\"a-b\"]\n",
    "ordinal = 0\n", 'sources = "x"\n', "fact = 1\n", "x.y.z = 1\n", '"\\u0000" = 1\n', "a = [[[]]]\n",
    "a = {b = {c = 1}}\n", "[a]\n[a]\n", "= 1\n", '"""\n', "'\n", "\ufeff", "\r\n", "#\n",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TOML_PIECES, st.text(max_size=10)), max_size=20))
def test_random_toml_text_raises_only_data_error(pieces: list[str]) -> None:
    load("".join(pieces).encode("utf-8", "surrogatepass"))
