"""Non-UTF-8 terminals and C locales with CJK facts and queries: no UnicodeEncodeError, valid JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile import clean_stderr, fact_toml, run, write_pack

TITLE = "澜湄合作首次领导人会议"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    meeting = fact_toml("lmc-cjk", TITLE, "澜湄合作首次领导人会议在三亚举行。", quote="澜湄合作 — “Sanya”",
                        date="2016-03", place="三亚", aliases=["澜湄合作"])
    documents = '[[document]]\nid = "doc1"\ntitle = "文件 · “quoted” — dash"\nkind = "report"\n'
    return write_pack(tmp_path_factory.mktemp("cjk") / "pack", {"meetings.toml": 'table = "meetings"\n' + meeting},
                      documents=documents)


ENVIRONMENTS = [
    {"PYTHONIOENCODING": "ascii"},
    {"PYTHONIOENCODING": "latin-1"},
    {"LANG": "C", "LC_ALL": "C"},
    {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": "ascii"},
]


@pytest.mark.parametrize("env", ENVIRONMENTS, ids=lambda e: ",".join(f"{k}={v}" for k, v in e.items()))
@pytest.mark.parametrize("format_", ["table", "tsv", "csv", "json", "jsonl"])
def test_cjk_facts_print_in_any_encoding(pack: Path, env: dict[str, str], format_: str) -> None:
    every = (["list"], ["show", "lmc-cjk"], ["meeting", "三亚"], ["sources"])
    for args in (["ask", "澜湄合作"], ["timeline"], *(every if format_ in ("table", "json") else ())):
        result = run("--facts", str(pack), *args, "--format", format_, env=env)
        assert result.returncode == 0, (args, result.stderr)
        clean_stderr(result.stderr)
        if format_ == "json":
            records = json.loads(result.stdout)
            assert records and records[0]["title"] in (TITLE, "文件 · “quoted” — dash")
        elif format_ == "jsonl":
            assert all(json.loads(line) for line in result.stdout.splitlines())


@pytest.mark.parametrize("env", ENVIRONMENTS, ids=lambda e: ",".join(f"{k}={v}" for k, v in e.items()))
def test_cjk_query_without_a_match_and_the_overview(pack: Path, env: dict[str, str]) -> None:
    result = run("--facts", str(pack), "ask", "长城没有这个", env=env)  # shares no word with the pack
    assert result.returncode == 1
    clean_stderr(result.stderr)
    result = run("--facts", str(pack), env=env)
    assert result.returncode == 0
    clean_stderr(result.stderr)


def test_an_undecodable_argument_in_a_c_locale_still_finds_the_cjk_fact(pack: Path) -> None:
    """With no UTF-8 mode, Python gets the query's bytes as surrogates; lmc decodes them back."""
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    result = run("--facts", str(pack), "ask", "澜湄合作", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "lmc-cjk"


def test_ascii_stdout_escapes_rather_than_dropping_text(pack: Path) -> None:
    result = run("--facts", str(pack), "list", "--format", "tsv", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0
    assert "\\u6f9c" in result.stdout
    result = run("--facts", str(pack), "list", "--format", "json", env={"PYTHONIOENCODING": "ascii"})
    assert json.loads(result.stdout)[0]["title"] == TITLE
