"""The browsing commands over the packs' cache (issue 16) print what they print from the loaded corpus."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from helpers import invoke

from lmc_cli.cli import root

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_pack import write_pack  # noqa: E402

COMMANDS = [
    ["list"], ["list", "--table", "stats"], ["list", "--table", "events", "--sort", "value"], ["list", "--limit", "7"],
    ["list", "--table", "nosuch"], ["list", "--long"],
    ["timeline"], ["timeline", "--from", "2016", "--to", "2016"],
    ["timeline", "--from", "2019-03", "--table", "events"],
    ["timeline", "--from", "2030"], ["timeline", "--from", "2018", "--to", "2017"], ["timeline", "--limit", "3"],
    ["show", "syn-stats-12"], ["show", "syn-stats-12, test-boats"], ["show", "syn-stats-99999"],
    ["conflicts"], ["conflicts", "--long"], ["sources"], ["sources", "--limit", "2"],
]
FORMATS = ["json", "jsonl", "tsv", "csv", "md", "table"]


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root_dir = tmp_path_factory.mktemp("cached")
    write_pack(1300, root_dir / "syn", per_file=200)  # more facts than a streamed batch
    shutil.copytree(ROOT / "tests" / "data" / "minipack", root_dir / "mini")
    return [root_dir / "syn", root_dir / "mini"]


def run(packs: list[Path], args: list[str], fmt: str) -> tuple[int, str, str]:
    options = [a for p in packs for a in ("--facts", str(p))]
    result = invoke(*options, *args, "--format", fmt, env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_browsing_command_prints_the_same_from_the_cache(packs: list[Path], fmt: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[bool] = []
    real = root.State.cached

    def spy(self: root.State) -> object:
        found = real(self)
        used.append(found is not None)
        return found

    monkeypatch.setattr(root.State, "cached", spy)
    for args in COMMANDS:
        if fmt == "table" and args[0] == "list" and "--limit" not in args and "--table" not in args:
            continue  # 1,300 Rich lines: slow, and the same code as the other tables
        used.clear()
        cached = run(packs, args, fmt)
        assert used and used[-1], args
        with monkeypatch.context() as memory:
            memory.setattr(root.State, "cached", lambda self: None)
            assert run(packs, args, fmt) == cached, args


def test_a_timeline_into_a_closed_pipe_renders_only_its_first_batch(packs: list[Path],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # `lmc timeline | head`: the reader goes away after the first lines. The facts are written a
    # batch at a time, so the first write ends the command and the rest is never rendered.
    from lmc_cli import api
    from lmc_cli.model import Fact
    from lmc_cli.output.streams import PipeClosed

    formats = ("tsv", "json", "jsonl", "csv")
    whole = {fmt: run(packs, ["timeline"], fmt) for fmt in formats}
    assert whole["tsv"][0] == 0 and whole["tsv"][1].count("\n") > api.BATCH  # more dated facts than a batch
    rendered: list[str] = []
    real = Fact.to_dict

    def counted(self: Fact) -> dict[str, object]:
        rendered.append(self.id)
        return real(self)

    monkeypatch.setattr(Fact, "to_dict", counted)
    for fmt in formats:

        def closed(text: str, fmt: str = fmt) -> None:
            assert whole[fmt][1].startswith(text)  # the first batch as the whole output begins
            raise PipeClosed

        monkeypatch.setattr(api, "emit", closed)
        rendered.clear()
        with pytest.raises(PipeClosed):  # the console script exits 0 on it (cli/exits.py)
            run(packs, ["timeline"], fmt)
        assert 0 < len(rendered) <= api.BATCH, (fmt, len(rendered))
