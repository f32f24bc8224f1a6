"""A cold build in worker processes (lmc_cli/workers.py) gives the index of a serial build; a
failing or dying worker's file is parsed by the parent, as a serial run would; Ctrl-C during a
parallel build ends as ever (one line, the signal's status) and leaves no process behind; a
process with threads, a worker that cannot be started and a signal while workers are started or
reaped leave neither a process nor a pipe behind."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
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


# Workers are forked only by a process with one thread, and a pytest-xdist worker has two
# (execnet's): whatever must really fork runs in a new Python process, which counts its forks.
PRELUDE = """
import os, signal, sys
from pathlib import Path
from lmc_cli import workers
PARENT = os.getpid()
forks = []
_fork = os.fork
def counting_fork():
    pid = _fork()
    if pid:
        forks.append(pid)
    return pid
os.fork = counting_fork
def children():
    try:
        return {int(p) for p in Path(f"/proc/{PARENT}/task/{PARENT}/children").read_text().split()}
    except OSError:
        return set()
def square_in_parent_only(n):
    if os.getpid() != PARENT:
        raise RuntimeError("a worker's failure")
    return n * n
"""


# Starts Python with the signals named in argv[1] ignored and the rest of SIGINT, SIGTERM and
# SIGHUP at their default, as nohup or a shell would (exec keeps an ignored signal ignored).
LAUNCHER = """
import os, signal, sys
for name in ("SIGINT", "SIGTERM", "SIGHUP"):
    signal.signal(getattr(signal, name), signal.SIG_IGN if name in sys.argv[1].split(",") else signal.SIG_DFL)
os.execv(sys.executable, [sys.executable, "-c", sys.argv[2]])
"""


def launch(code: str, ignored: tuple[str, ...] = ()) -> list[str]:
    """The command that runs code in a new Python with these signals ignored from its start."""
    return [sys.executable, "-c", LAUNCHER, ",".join(ignored), code]


def in_new_process(body: str, ignored: tuple[str, ...] = (), **env: str) -> str:
    """PRELUDE and body run by a new single-threaded Python, which must exit 0: its stdout."""
    done = subprocess.run(launch(PRELUDE + textwrap.dedent(body), ignored), capture_output=True,
                          text=True, env={**os.environ, **env}, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def build(pack: Path, cache: Path, count: int) -> dict[str, list[str]]:
    out = in_new_process(f"""
        from lmc_cli.match import indexdb
        assert indexdb.corpus_index([Path({str(pack)!r})], bundled=True) is not None
        print(len(forks), indexdb.db_path([Path({str(pack)!r})], bundled=True))
    """, XDG_CACHE_HOME=str(cache), PYTHONHASHSEED="0", **{workers.ENV: str(count)})  # the seed: see every_row
    forked, path = out.split(maxsplit=1)
    assert int(forked) == (count if count > 1 else 0)  # the workers were really used
    return every_row(Path(path.strip()))


def test_a_parallel_build_is_the_serial_one_row_for_row(pack: Path, tmp_path: Path) -> None:
    serial = build(pack, tmp_path / "serial", 1)
    assert len(serial["facts"]) > 3500 and any("broken.toml" in row for row in serial["files"])
    for count in (2, 3):
        assert build(pack, tmp_path / f"parallel{count}", count) == serial


def test_the_default_uses_workers_only_for_a_big_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """available() is 1 in a pytest-xdist worker (it has threads): 3 CPUs stand in, or a build
    that never used its workers would pass."""
    monkeypatch.delenv(workers.ENV, raising=False)
    monkeypatch.setattr(workers, "available", lambda: 3)
    job = indexdb.Job(1, False, Path("x.toml"), "x", ("p",), None, b"x" * 100)
    assert indexdb.build_workers([job] * 3) == 1  # an edit: no fork
    half = job._replace(raw=b"x" * (indexdb.PARALLEL_BYTES // 2))
    assert indexdb.build_workers([half, half._replace(raw=half.raw[1:])]) == 1  # a byte short
    assert indexdb.build_workers([half, half]) == 3
    assert indexdb.build_workers([job._replace(raw=b"x" * indexdb.PARALLEL_BYTES)] * 2) == 3
    monkeypatch.setenv(workers.ENV, "2")
    assert indexdb.build_workers([job]) == 2
    monkeypatch.setenv(workers.ENV, "many")
    assert indexdb.build_workers([job] * 3) == 1


def test_an_explicit_count_is_capped_and_a_bad_one_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """LMC_BUILD_WORKERS=100000 must not fork a process per file of a pack of many files."""
    monkeypatch.setenv(workers.ENV, "100000")
    assert workers.requested() == workers.MAX_REQUESTED
    for value in ("0", "-2", "many", "2.5", "", "9" * 5000):
        monkeypatch.setenv(workers.ENV, value)
        assert workers.requested() is None, value


def test_whatever_fails_in_a_worker_is_done_again_by_the_parent() -> None:
    in_new_process("""
        def dies_in_worker(n):
            if os.getpid() != PARENT and n == 3:
                os._exit(1)  # as the OOM killer would end it
            return n * n
        for fn in (square_in_parent_only, dies_in_worker):
            with workers.ordered(fn, list(range(10)), 3) as results:
                assert list(results) == [n * n for n in range(10)]
        assert len(forks) == 6 and children() == set()
    """)


def test_an_error_is_the_serial_runs_error() -> None:
    in_new_process("""
        def fails_at_five(n):
            if n == 5:
                raise ValueError(f"item {n} is bad")
            return n * n
        for count in (1, 2):
            try:
                with workers.ordered(fails_at_five, list(range(8)), count) as results:
                    list(results)
            except ValueError as exc:
                assert str(exc) == "item 5 is bad"
            else:
                raise AssertionError("no error")
        assert len(forks) == 2 and children() == set()
    """)


def test_workers_are_gone_when_the_parent_leaves_early() -> None:
    in_new_process("""
        with workers.ordered(square_in_parent_only, list(range(6)), 2) as results:
            next(results)
            assert children() == set(forks) and len(forks) == 2
        assert children() == set()
        for pid in forks:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                continue
            raise AssertionError(f"{pid} is still there")
    """)


def test_no_worker_is_forked_by_a_process_with_threads() -> None:
    """A fork copies a lock another thread holds, held for ever in the child: a worker that needs
    it waits for ever, and the parent for its result. A library caller's threads keep the build
    serial."""
    in_new_process("""
        import threading
        held = threading.Lock()
        held.acquire()
        threading.Thread(target=held.acquire, daemon=True).start()  # a thread that waits
        assert workers.available() == 1
        with workers.ordered(lambda n: (n, os.getpid()), list(range(6)), 2) as results:
            assert list(results) == [(n, PARENT) for n in range(6)]
        assert forks == []
    """)


def test_a_worker_that_cannot_be_started_leaves_its_share_to_the_parent() -> None:
    """No file descriptor left for the second worker's pipe (EMFILE; fork's EAGAIN takes the same
    path): the build goes on, the parent doing that worker's files, instead of failing."""
    out = in_new_process("""
        import resource
        highest = max(int(fd) for fd in os.listdir("/proc/self/fd"))
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (highest + 2, hard))  # one pipe, not two
        with workers.ordered(lambda n: n * n, list(range(10)), 2) as results:
            assert list(results) == [n * n for n in range(10)]
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        assert children() == set()
        print(len(forks))
    """)
    assert out.strip() == "1"


def test_a_signal_while_workers_are_forked_or_reaped_leaves_none_behind() -> None:
    """Ctrl-C just as fork() or waitpid() returns: every worker is still killed and reaped and
    every pipe closed (a library caller that goes on after the KeyboardInterrupt keeps them
    otherwise: a worker blocked on its full pipe for as long as the caller lives)."""
    in_new_process("""
        def interrupted_after(real):
            def wrapper(*args):
                value = real(*args)
                if os.getpid() == PARENT:
                    os.kill(PARENT, signal.SIGINT)  # lands at once, unless signals are held
                return value
            return wrapper
        fds = len(os.listdir("/proc/self/fd"))
        for name in ("fork", "waitpid"):
            real = getattr(os, name)
            setattr(os, name, interrupted_after(real))
            try:
                with workers.ordered(lambda n: n * n, list(range(10)), 2) as results:
                    list(results)
            except KeyboardInterrupt:
                pass
            else:
                raise AssertionError("no KeyboardInterrupt")
            finally:
                setattr(os, name, real)
            assert children() == set(), (name, children())
            assert len(os.listdir("/proc/self/fd")) == fds, name
    """)


# pthread_sigmask runs Python's signal handlers once the new mask is set: a handler that raises
# there raises from inside the call. INTERRUPTING wraps it so that the workers' call number
# HOLD_CALL that holds the signals raises so (RAISE = "inside"), or raises just before it
# (RAISE = "before": a signal as the finally starts), each as a real signal's handler would.
INTERRUPTING = """
import signal, sys
_real_sigmask = signal.pthread_sigmask
_holds = []
def interrupting_sigmask(how, mask):
    ours = sys._getframe(1).f_globals.get("__name__") == "lmc_cli.workers"
    if ours and how == signal.SIG_BLOCK and set(mask):
        _holds.append(how)
        if len(_holds) == HOLD_CALL and RAISE == "before":
            signal.getsignal(SIGNUM)(SIGNUM, None)
    value = _real_sigmask(how, mask)
    if ours and how == signal.SIG_BLOCK and set(mask) and len(_holds) == HOLD_CALL and RAISE == "inside":
        signal.getsignal(SIGNUM)(SIGNUM, None)
    return value
signal.pthread_sigmask = interrupting_sigmask
"""


@pytest.mark.parametrize(("hold_call", "when"), [(1, "inside"), (2, "inside"), (2, "before")])
def test_a_signal_inside_pthread_sigmask_neither_skips_the_reaping_nor_leaves_signals_held(
        hold_call: int, when: str) -> None:
    """Call 1 holds the signals for the forks, call 2 for the reaping, after every result came."""
    in_new_process(f"SIGNUM, HOLD_CALL, RAISE = signal.SIGINT, {hold_call}, {when!r}\n" + INTERRUPTING
                   + textwrap.dedent("""
        before = signal.pthread_sigmask(signal.SIG_BLOCK, ())
        fds = len(os.listdir("/proc/self/fd"))
        results = []
        try:
            with workers.ordered(lambda n: n * n, list(range(10)), 2) as each:
                results.extend(each)
        except KeyboardInterrupt:
            pass
        else:
            raise AssertionError("no KeyboardInterrupt")
        assert _holds, "pthread_sigmask was not wrapped"
        assert results == ([] if HOLD_CALL == 1 else [n * n for n in range(10)])
        assert children() == set(), children()
        assert len(os.listdir("/proc/self/fd")) == fds
        assert signal.pthread_sigmask(signal.SIG_BLOCK, ()) == before  # nothing left held
    """))


@pytest.fixture(scope="module")
def small_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workers") / "small"
    write_pack(200, root)
    return root


@pytest.mark.parametrize(("name", "hold_call"), [("SIGINT", 1), ("SIGINT", 2), ("SIGTERM", 2), ("SIGHUP", 1)])
def test_lmc_dies_by_a_signal_that_lands_inside_pthread_sigmask(small_pack: Path, tmp_path: Path,
                                                                 name: str, hold_call: int) -> None:
    """lmc's handler raising inside the workers' pthread_sigmask, as it forks them (call 1) or
    reaps them (2): one line, then death by the signal (the shell's 130, 143, 129), not exit
    130 with the signal still held; and no worker left."""
    signum = getattr(signal, name)
    pids = tmp_path / "pids"
    code = f"""
import os, signal, sys
from lmc_cli import workers
SIGNUM, HOLD_CALL, RAISE = signal.{name}, {hold_call}, "inside"
""" + INTERRUPTING + f"""
_fork = os.fork
def recording_fork():
    pid = _fork()
    if pid:
        with open({str(pids)!r}, "a") as out:
            out.write(f"{{pid}}\\n")
    return pid
os.fork = recording_fork
sys.argv = ["lmc", "--facts", {str(small_pack)!r}, "stat", "arrests"]
from lmc_cli.app import main
main()
"""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), workers.ENV: "2"}
    done = subprocess.run(launch(code), capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == -signum, (done.returncode, done.stderr)
    assert done.stderr == "lmc: interrupted\n"
    forked = [int(pid) for pid in pids.read_text().split()] if pids.exists() else []
    assert len(forked) == (0 if hold_call == 1 else 2)  # call 1 raises before the first fork
    deadline = time.monotonic() + 10  # an orphan is reaped by init, which may take a moment
    for pid in forked:
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not Path(f"/proc/{pid}").exists(), pid


@pytest.mark.parametrize("name", ["SIGHUP", "SIGTERM"])
def test_workers_keep_a_signal_ignored_from_the_start(name: str) -> None:
    """Under nohup (SIGHUP ignored when lmc starts) a hangup must not end the workers: each
    worker sends itself the signal and goes on; at the default it dies, and the parent does
    its share (the control, that the signal really reaches them)."""
    body = f"""
        def signalled(n):
            if os.getpid() != PARENT:
                os.kill(os.getpid(), signal.{name})
            return os.getpid()
        with workers.ordered(signalled, list(range(8)), 2) as results:
            print(*sorted(set(results)))
        assert len(forks) == 2 and children() == set()
        print(*sorted(forks))
        print(PARENT)
    """
    done, forked, _ = in_new_process(body, ignored=(name,)).splitlines()
    assert done == forked  # every item by a worker: each lived on
    done, _, parent = in_new_process(body).splitlines()
    assert done == parent  # the parent alone: both workers died by it


def _children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


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
