"""`list` in tsv and json from the lines the packs' cache keeps (issue 16): the same bytes as
from the loaded corpus, on the run that renders and keeps them and on the runs that read them,
for disputed facts and citations of the bundled documents, after an edit and on an ASCII stdout."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import invoke

from lmc_cli.cli import root

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_pack import write_pack  # noqa: E402

# A pack whose conflict disputes a fact of another pack and one of its own, and whose fact cites
# a document of the bundled pack ("000") next to its own: lines that the kept ones cannot be.
EXTRA = '''table = "conflicts"

[[fact]]
id = "extra-conflict"
title = "Two counts of the syn arrests"
text = "Document x1 gives one count, the bundled document 000 another."
related = ["syn-stats-3", "extra-event"]

[[fact.sources]]
doc = "x1"
quote = "one count"

[[fact.sources]]
doc = "000"
quote = "The Lancang-Mekong Cooperation (LMC) mechanism was formally established in March 2016."
'''
EVENT = '''table = "events"

[[fact]]
id = "extra-event"
title = "An event of the extra pack"
text = "Something happened, say x1 and 000."
date = "2016-03-23"

[[fact.sources]]
doc = "000"
quote = "The Lancang-Mekong Cooperation (LMC) mechanism was formally established in March 2016."
'''
SOURCES = '''[[document]]
id = "x1"
title = "Extra report"
kind = "report"
outlet = "Extra Wire"
'''


@pytest.fixture()
def packs(tmp_path: Path) -> list[Path]:
    write_pack(1300, tmp_path / "syn", per_file=200)
    shutil.copytree(ROOT / "tests" / "data" / "minipack", tmp_path / "mini")  # non-ASCII aliases
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "conflicts.toml").write_text(EXTRA, encoding="utf-8")
    (extra / "events.toml").write_text(EVENT, encoding="utf-8")
    (extra / "sources.toml").write_text(SOURCES, encoding="utf-8")
    return [tmp_path / "syn", tmp_path / "mini", extra]


def run(packs: list[Path], args: list[str], memory: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    options = [a for p in packs for a in ("--facts", str(p))]
    with monkeypatch.context() as patched:
        if memory:
            patched.setattr(root.State, "cached", lambda self: None)
        result = invoke(*options, *args)
    return result.exit_code, result.stdout


def kept() -> int:
    found = list(Path(os.environ["XDG_CACHE_HOME"]).rglob("index-*.sqlite"))
    assert len(found) == 1
    with sqlite3.connect(found[0]) as connection:
        return int(connection.execute("SELECT count(*) FROM rendered").fetchone()[0])


@pytest.mark.parametrize("fmt", ["tsv", "json"])
def test_kept_lines_print_what_the_corpus_prints(packs: list[Path], fmt: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    commands = [["list"], ["list", "--table", "conflicts"], ["conflicts"], ["list", "--table", "events"]]
    expected = {tuple(c): run(packs, [*c, "--format", fmt], True, monkeypatch) for c in commands}
    assert all(code == 0 for code, _ in expected.values())
    assert "extra-conflict" in expected[("conflicts",)][1] and "extra:x1" in expected[("conflicts",)][1]
    assert run(packs, ["list", "--format", fmt], False, monkeypatch) == expected[("list",)]  # renders, keeps
    assert kept() > 0
    for command in commands:  # from the kept lines
        assert run(packs, [*command, "--format", fmt], False, monkeypatch) == expected[tuple(command)], command

    # An edit: that file's kept lines are not shown again; the next run keeps new ones.
    target = packs[0] / "0000-stats.toml"
    target.write_text(target.read_text(encoding="utf-8").replace('title = "', 'title = "Edited ', 1),
                      encoding="utf-8")
    edited = run(packs, ["list", "--format", fmt], True, monkeypatch)
    assert "Edited " in edited[1]
    assert run(packs, ["list", "--format", fmt], False, monkeypatch) == edited
    assert run(packs, ["list", "--format", fmt], False, monkeypatch) == edited


def test_kept_lines_on_an_ascii_stdout(packs: list[Path], tmp_path: Path) -> None:
    options = [a for p in packs for a in ("--facts", str(p))]
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def lmc(*args: str, encoding: str) -> bytes:
        done = subprocess.run([sys.executable, "-m", "lmc_cli", *options, *args], capture_output=True, timeout=120,
                              env={**env, "PYTHONIOENCODING": encoding})
        assert done.returncode == 0, done.stderr
        return done.stdout

    utf = lmc("list", "--format", "json", encoding="utf-8")  # keeps UTF-8 lines
    ascii_ = lmc("list", "--format", "json", encoding="ascii")
    assert "河城".encode() in utf and b"\\u6cb3\\u57ce" in ascii_ and ascii_.isascii()
    # --drafts reads the packs in memory (there are no drafts in them): the same bytes
    assert ascii_ == lmc("--drafts", "list", "--format", "json", encoding="ascii")
    assert utf == lmc("list", "--format", "json", encoding="utf-8")
