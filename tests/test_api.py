"""The library in front of the CLI (docs/api.md): records, never printing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from lmc_cli import api
from lmc_cli.errors import DataError


def test_the_documented_example_runs_and_cites(capsys: pytest.CaptureFixture[str]) -> None:
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", page, flags=re.S)
    assert example
    exec(compile(example.group(1), "docs/api.md", "exec"), {})  # noqa: S102 - our own documentation
    printed = capsys.readouterr().out
    assert "50000" in printed and "[001]" in printed


def test_ask_returns_records_and_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = api.open_corpus()
    ranking = api.ask(corpus, "which meeting launched the mechanism")
    assert ranking.answered and ranking.matches[0].fact.table == "meetings"
    assert "sanya" in ranking.matches[0].fact.id
    assert capsys.readouterr() == ("", "")


def test_a_question_the_documents_do_not_answer_is_not_answered() -> None:
    ranking = api.ask(api.open_corpus(), "what is the price of bitcoin")
    assert not ranking.answered and not ranking.matches


def test_open_corpus_with_only_a_broken_pack_raises(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text("[[fact]\n", encoding="utf-8")
    with pytest.raises(DataError):
        api.open_corpus([tmp_path], bundled=False)
