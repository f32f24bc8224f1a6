"""A cold build in worker processes (lmc_cli/workers.py) gives the index of a serial build; a
failing or dying worker's file is parsed by the parent, as a serial run would; Ctrl-C during a
parallel build ends as ever (one line, the signal's status) and leaves no process behind."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lmc_cli import workers
from lmc_cli.match import indexdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_pack import write_pack  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="worker processes are forked on Linux only")


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workers") / "pack"
    write_pack(3500, root)
    (root / "broken.toml").write_text('table = "events"\n[[fact]\nid = 1\n', encoding="utf-8")  # a pack's problem
    return root


def every_row(path: Path) -> dict[str, list[str]]:
    connection = sqlite3.connect(path)
    tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = {}
    for table in tables:
        rows = []
        for row in connection.execute(f"SELECT * FROM {table}"):
            if table == "info" and row[0] == "state":  # a dict built from sets: its key order is the hash seed's
                row = (row[0], json.loads(row[1]), row[2])
                row[1]["counts"] = sorted(row[1]["counts"].items())
            rows.append(repr(row))
        found[table] = sorted(rows)
    connection.close()
    return found


def build(pack: Path, cache: Path, count: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv(workers.ENV, str(count))
    corpus = indexdb.corpus_index([pack], bundled=True)
    assert corpus is not None
    return every_row(indexdb.db_path([pack], bundled=True))


def test_a_parallel_build_is_the_serial_one_row_for_row(pack: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    serial = build(pack, tmp_path / "serial", 1, monkeypatch)
    assert len(serial["facts"]) > 3500 and any("broken.toml" in row for row in serial["files"])
    for count in (2, 3):
        assert build(pack, tmp_path / f"parallel{count}", count, monkeypatch) == serial


def test_the_default_uses_workers_only_for_a_big_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(workers.ENV, raising=False)
    job = indexdb.Job(1, False, Path("x.toml"), "x", ("p",), None, b"x" * 100)
    assert indexdb.build_workers([job] * 3) == 1  # an edit: no fork
    assert indexdb.build_workers([job._replace(raw=b"x" * indexdb.PARALLEL_BYTES)] * 2) == workers.available()
    monkeypatch.setenv(workers.ENV, "2")
    assert indexdb.build_workers([job]) == 2
    monkeypatch.setenv(workers.ENV, "many")
    assert indexdb.build_workers([job] * 3) == 1


PARENT = os.getpid()


def _square_in_parent_only(n: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("a worker's failure")
    return n * n


def _dies_in_worker(n: int) -> int:
    if os.getpid() != PARENT and n == 3:
        os._exit(1)
    return n * n


def _fails_at_five(n: int) -> int:
    if n == 5:
        raise ValueError(f"item {n} is bad")
    return n * n


def test_whatever_fails_in_a_worker_is_done_again_by_the_parent() -> None:
    for fn in (_square_in_parent_only, _dies_in_worker):
        with workers.ordered(fn, list(range(10)), 3) as results:
            assert list(results) == [n * n for n in range(10)]


def test_an_error_is_the_serial_runs_error() -> None:
    for count in (1, 2):
        with pytest.raises(ValueError, match="^item 5 is bad$"), workers.ordered(_fails_at_five, list(range(8)),
                                                                                  count) as results:
            list(results)


def _children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def test_workers_are_gone_when_the_parent_leaves_early() -> None:
    before = _children(os.getpid())
    with workers.ordered(_square_in_parent_only, list(range(6)), 2) as results:
        next(results)
        started = _children(os.getpid()) - before
    assert len(started) == 2
    assert _children(os.getpid()) - before == set()
    for pid in started:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_ctrl_c_during_a_parallel_cold_build_leaves_no_process_and_no_file(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), workers.ENV: "2"}
    proc = subprocess.Popen([sys.executable, "-m", "lmc_cli", "--facts", str(pack), "stat", "arrests"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    seen: set[int] = set()
    deadline = time.monotonic() + 60
    while len(seen) < 2:
        seen |= _children(proc.pid)
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail("the build ended before its workers were seen")
        time.sleep(0.005)
    for pid in (proc.pid, *seen):
        os.kill(pid, signal.SIGINT)  # as Ctrl-C does: to the whole foreground group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGINT, err
    assert err.decode() == "lmc: interrupted\n"
    for pid in seen:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert [p.name for p in cache.rglob(".tmp*")] == []
