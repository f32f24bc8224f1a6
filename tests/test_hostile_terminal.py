"""Nothing in a fact pack may drive the terminal; colour only where it belongs; any width works."""

from __future__ import annotations

import json
import os
import pty
import re
from pathlib import Path

import pytest
from helpers import drain_terminal
from hostile import LMC, fact_toml, run, write_pack
from typer.testing import CliRunner

from lmc_cli.cli import app

# CSI colour, OSC 52 (clipboard write), OSC 8 (hyperlink), C1 CSI, NEL, NUL, DEL, BEL, bidi override.
EVIL = ("A\x1b[31mred\x1b[0m \x1b]52;c;aGVsbG8=\x07 \x1b]8;;http://e.vil\x1b\\link\x1b]8;;\x1b\\ "
        "\x9b31m \x85 \x00nul \x7f \u202eevil\u202c \u2066iso\u2069 end")
# What must never reach stdout or stderr raw (tab and newline are data; TSV escapes them).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FORMATS = ("table", "tsv", "csv", "json", "jsonl")
# For arguments: no NUL (an OS cannot pass it), and nothing any fact answers.
EVIL_QUERY = "\x1b[31mzq\x1b]52;c;eHh4\x07 \x9bqz \x85\x7f\u202exqz\x1b]8;;http://e.vil\x1b\\"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    meeting = fact_toml("evil-meeting", f"Meeting {EVIL}", f"Text {EVIL}", quote=f"Quote {EVIL}",
                        date="2019-05-04", place=f"Place {EVIL}", participants=[f"Party {EVIL}"])
    figure = fact_toml("evil-figure", f"Figure {EVIL}", f"Figure text {EVIL}", value=7, unit=f"u {EVIL}",
                       qualifier=f"q {EVIL}", measure=f"boats {EVIL}", date="2020")
    documents = (f'[[document]]\nid = "doc1"\ntitle = {json.dumps("Doc " + EVIL)}\nkind = "report"\n'
                 f'outlet = {json.dumps("Outlet " + EVIL)}\n')
    # The pack's directory name becomes its label in every `src` column and in messages.
    return write_pack(tmp_path_factory.mktemp("evil") / "pk\x1b[31m\u202e", {
        "meetings.toml": 'table = "meetings"\n' + meeting,
        "stats.toml": 'table = "stats"\n' + figure,
    }, documents=documents)


def lmc(pack: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--no-bundled", "--facts", str(pack), *args],
                                env={"COLUMNS": "300", **(env or {})}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def assert_inert(text: str) -> None:
    found = UNSAFE.search(text)
    assert found is None, (found.group(), text)


@pytest.mark.parametrize("format_", FORMATS)
@pytest.mark.parametrize("args", [
    ["list"], ["meeting", "meeting"], ["stat", "figure"], ["ask", "figure text"], ["show", "evil-meeting"],
    ["timeline"], ["sources"],
])
def test_control_characters_are_neutralised_in_every_format(pack: Path, args: list[str], format_: str) -> None:
    code, stdout, stderr = lmc(pack, *args, "--format", format_)
    assert code == 0, stderr
    assert_inert(stdout)
    assert_inert(stderr)
    if format_ in ("table", "tsv", "csv"):
        assert "\\x1b]52;c;aGVsbG8=\\x07" in stdout.replace("\n", "").replace(" ", "")


def test_overview_is_neutralised(pack: Path) -> None:
    code, stdout, _ = lmc(pack)
    assert code == 0
    assert_inert(stdout)
    assert "\\x1b[31m" in stdout


@pytest.mark.parametrize("format_", ["json", "jsonl"])
def test_json_keeps_the_exact_string_escaped(pack: Path, format_: str) -> None:
    code, stdout, _ = lmc(pack, "list", "--format", format_)
    assert code == 0
    assert_inert(stdout)
    records = json.loads(stdout) if format_ == "json" else [json.loads(line) for line in stdout.splitlines()]
    by_id = {r["id"]: r for r in records}
    assert by_id["evil-meeting"]["title"] == f"Meeting {EVIL}"
    assert by_id["evil-meeting"]["sources"][0]["quote"] == f"Quote {EVIL}"
    assert by_id["evil-figure"]["unit"] == f"u {EVIL}"
    code, stdout, _ = lmc(pack, "sources", "--format", format_)
    assert_inert(stdout)
    documents = json.loads(stdout) if format_ == "json" else [json.loads(line) for line in stdout.splitlines()]
    assert documents[0]["title"] == f"Doc {EVIL}"


def test_messages_are_neutralised(pack: Path, tmp_path: Path) -> None:
    for args in (["show", EVIL], ["ask", EVIL_QUERY], ["timeline", "--from", EVIL], ["list", "--table", EVIL],
                 ["list", "--format", EVIL], [EVIL], ["list", f"--{EVIL}"], ["meeting", EVIL_QUERY, "--explain"]):
        code, stdout, stderr = lmc(pack, *args)
        assert code in (1, 2), args
        assert_inert(stderr)
        assert stdout == "" or stdout == "[]\n"
    broken = write_pack(tmp_path / "broken\x1b]52;c;eA==\x07", {"x.toml": f"title = {json.dumps(EVIL)}\n[[oops"})
    code, _, stderr = lmc(pack, "--facts", str(broken), "list")
    assert code == 0
    assert "warning" in stderr
    assert_inert(stderr)


def test_messages_of_the_real_process_are_neutralised(pack: Path) -> None:
    """Click's own errors go through main(), which makes their control characters visible too."""
    for args in (["list", EVIL_QUERY], ["list", f"--{EVIL_QUERY}"], [EVIL_QUERY], ["list", "-f", EVIL_QUERY]):
        result = run("--facts", str(pack), *args)
        assert result.returncode == 2
        assert_inert(result.stderr)
        assert result.stderr.startswith("lmc: ") and len(result.stderr.splitlines()) == 1


# --- colour ------------------------------------------------------------------------------


def on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(env)
        os.execv(str(LMC), [str(LMC), "--no-bundled", *args])
    try:
        return drain_terminal(fd, pid)
    finally:
        os.close(fd)


COLOUR = re.compile(rb"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")


def test_no_escape_bytes_when_stdout_is_not_a_terminal(minipack: Path) -> None:
    for args in (["list"], ["timeline"], ["show", "test-boats"], ["ask", "boats"], ["sources"]):
        result = run("--facts", str(minipack), *args, "--format", "table", env={"TERM": "xterm-256color"})
        assert result.returncode == 0
        assert "\x1b" not in result.stdout + result.stderr


def test_a_terminal_gets_colour_unless_no_color(minipack: Path) -> None:
    code, screen = on_a_terminal(["--facts", str(minipack), "stat", "boats"], {"TERM": "xterm-256color"})
    assert code == 0 and COLOUR.search(screen)
    code, screen = on_a_terminal(["--facts", str(minipack), "stat", "boats"],
                                 {"TERM": "xterm-256color", "NO_COLOR": "1"})
    assert code == 0
    assert b"boats" in screen
    assert not COLOUR.search(screen), screen


def test_term_dumb_gets_no_escapes(minipack: Path) -> None:
    code, screen = on_a_terminal(["--facts", str(minipack), "timeline"], {"TERM": "dumb", "COLUMNS": "60"})
    assert code == 0
    assert b"Lighthouse" in screen
    assert b"\x1b" not in screen


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 facts with short distinct titles and long texts, so a narrow table must fold, not drop."""
    facts = "".join(fact_toml(f"fact-{n:02d}", f"T{n:02d}", "A long sentence about the river " * 4,
                              date=f"{2000 + n}", value=n * 1000, unit="boats") for n in range(30))
    return write_pack(tmp_path_factory.mktemp("many") / "pack", {"stats.toml": 'table = "stats"\n' + facts})


@pytest.mark.parametrize("columns", ["20", "0", "abc", "1", "-5", "99999999999999999999", "²"])
def test_any_columns_value_works_and_a_forced_table_drops_no_fact(many: Path, columns: str) -> None:
    for command in ("list", "timeline"):
        result = run("--facts", str(many), command, "--format", "table", env={"COLUMNS": columns, "LINES": columns})
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        for n in range(30):
            assert f"T{n:02d}" in result.stdout, (command, columns, n)
    for args in (["show", "fact-07"], ["ask", "river"], ["stat", "boats"], ["sources"], []):
        result = run("--facts", str(many), *args, *(["--format", "table"] if args else []),
                     env={"COLUMNS": columns, "LINES": columns, "TERM": "dumb"})
        assert result.returncode == 0, (args, result.stderr)
