"""Pipes that close early, closed standard streams and Ctrl-C, on the installed entry point.

A closed pipe is a normal end (exit 0, README); an interrupt prints one line and ends lmc by the
signal (the shell sees 130).
"""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import drain_terminal
from hostile import LMC, TIMEOUT, big_pack, clean_stderr, run

FORMATS = ("table", "json", "jsonl", "csv", "tsv")


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 300 KB of TSV: far more than a pipe buffer holds."""
    return big_pack(tmp_path_factory.mktemp("pipes") / "pack", files=2, per_file=500)


def read_then_close(args: list[str], nbytes: int, **kwargs: object) -> tuple[int, str]:
    """Run lmc, read nbytes of its stdout (like `head -c`), close the pipe, wait for the exit."""
    proc = subprocess.Popen([str(LMC), "--no-bundled", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.read(nbytes)
    proc.stdout.close()
    stderr = proc.stderr.read().decode("utf-8", "replace")
    code = proc.wait(timeout=TIMEOUT)
    assert first, stderr
    return code, stderr


@pytest.mark.parametrize("format_", FORMATS)
@pytest.mark.parametrize("command", ["list", "timeline"])
def test_reader_closing_the_pipe_early_is_a_clean_exit_0(pack: Path, command: str, format_: str) -> None:
    code, stderr = read_then_close(["--facts", str(pack), command, "--format", format_], 100)
    assert code == 0
    assert stderr == ""


def test_head_dash_1_in_a_real_shell_pipeline(pack: Path) -> None:
    script = f'"{LMC}" --no-bundled --facts "{pack}" timeline | head -1; echo "rc=${{PIPESTATUS[0]}}" >&2'
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=TIMEOUT)
    assert result.stdout.count("\n") == 1
    assert result.stderr.strip() == "rc=0"


def closed(*fds: int):  # noqa: ANN201 - a preexec_fn
    def close() -> None:
        for fd in fds:
            os.close(fd)
    return close


@pytest.mark.parametrize("format_", FORMATS)
def test_stdout_closed_before_the_first_write(pack: Path, format_: str) -> None:
    result = subprocess.run([str(LMC), "--no-bundled", "--facts", str(pack), "list", "--format", format_],
                            stderr=subprocess.PIPE, text=True, timeout=TIMEOUT, preexec_fn=closed(1))
    assert result.returncode == 0
    assert result.stderr == ""


@pytest.mark.parametrize(("args", "code"), [
    (["list"], 0), (["list", "--format", "json"], 0), (["timeline", "--format", "table"], 0),
    (["--help"], 0), (["ask", "zzzz qqqq"], 1), (["nonsense-command"], 2), (["list", "--format", "xml"], 2),
])
def test_stdout_and_stderr_both_closed_do_not_hang_or_crash(pack: Path, args: list[str], code: int) -> None:
    result = subprocess.run([str(LMC), "--no-bundled", "--facts", str(pack), *args], timeout=TIMEOUT,
                            preexec_fn=closed(1, 2))
    assert result.returncode == code


def test_help_into_a_closed_pipe(pack: Path) -> None:
    code, stderr = read_then_close(["--help"], 10)
    assert code == 0
    clean_stderr(stderr)


def test_closed_stdout_still_reports_errors_on_stderr(pack: Path) -> None:
    result = subprocess.run([str(LMC), "--no-bundled", "--facts", str(pack), "show", "no-such-fact"],
                            stderr=subprocess.PIPE, text=True, timeout=TIMEOUT, preexec_fn=closed(1))
    assert result.returncode == 1
    assert result.stderr.startswith("lmc: no fact with id 'no-such-fact'")
    clean_stderr(result.stderr)


# --- Ctrl-C ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 files of 600 facts: a cold load takes seconds, and writes one cache file per file."""
    return big_pack(tmp_path_factory.mktemp("slow") / "pack", files=30, per_file=600)


def wait_until_loading(cache: Path, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Block until lmc has written its first cache file (a per-file JSON file, or the packs' cache being
    built as a temporary file): it is then loading the pack, past start-up."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if cache.exists() and any(p.suffix == ".json" or p.name.startswith(".tmp-") for p in cache.rglob("*")):
            return
        if proc is not None and proc.poll() is not None:
            pytest.fail("lmc finished before it could be interrupted")
        time.sleep(0.01)
    pytest.fail("lmc never started loading")


def test_sigint_while_loading_ends_by_the_signal_with_one_line(slow_pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    proc = subprocess.Popen([str(LMC), "--no-bundled", "--facts", str(slow_pack), "list", "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    wait_until_loading(cache, proc)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGINT  # killed by SIGINT: a shell shows 130
    assert stderr.decode() == "lmc: interrupted\n"
    assert stdout == b""


def test_ctrl_c_typed_at_a_terminal_exits_130(slow_pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    pid, fd = pty.fork()
    if pid == 0:  # child: the pty is its controlling terminal
        os.environ["XDG_CACHE_HOME"] = str(cache)
        os.execv(str(LMC), [str(LMC), "--no-bundled", "--facts", str(slow_pack), "timeline"])
    try:
        wait_until_loading(cache)
        os.write(fd, b"\x03")  # what Ctrl-C sends: the terminal turns it into SIGINT
        code, screen = drain_terminal(fd, pid)
    finally:
        os.close(fd)
    text = screen.decode("utf-8", "replace")
    assert code == -signal.SIGINT
    assert "lmc: interrupted" in text
    assert "Traceback" not in text
    assert text.count("lmc:") == 1


def test_no_match_and_usage_keep_their_own_codes(pack: Path) -> None:
    assert run("--facts", str(pack), "ask", "zzzz qqqq").returncode == 1
    assert run("--facts", str(pack), "list", "--format", "xml").returncode == 2


def landed_in_python_start_up(stderr: str) -> bool:
    """A traceback of Python's own start-up: the console-script stub or the interpreter, before
    lmc_cli/app.py's handlers exist (no frame inside lmc_cli but the module bodies that load app.py)."""
    if "Fatal Python error: init_import_site" in stderr or stderr.strip() == "KeyboardInterrupt":
        return True  # Python's site module, or the interpreter before it can print a traceback (exit 1)
    if "Traceback" not in stderr:
        return False
    frames = re.findall(r'File "([^"]*)", line \d+, in (\S+)', stderr)
    ours = [(path, where) for path, where in frames if "lmc_cli" in path]
    return all(where == "<module>" and path.endswith(("lmc_cli/__init__.py", "lmc_cli/app.py"))
               for path, where in ours)


@pytest.mark.parametrize("delay", [0.03, 0.06, 0.1])
def test_sigint_during_start_up_imports_never_shows_a_traceback(delay: float) -> None:
    """The console script handles Ctrl-C before it imports Typer, Rich or the facts."""
    proc = subprocess.Popen([str(LMC), "stat", "arrests"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=TIMEOUT)
    if landed_in_python_start_up(err.decode()):
        return  # before lmc's first line: out of reach (README), measured by benchmarks/bench_sigint.py
    assert proc.returncode in (0, -signal.SIGINT)
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err
    if proc.returncode == -signal.SIGINT and err:
        assert err.decode().strip() == "lmc: interrupted"


UNRAISABLE = """
import os, signal, sys, time, weakref
from lmc_cli.app import install_signal_handlers
install_signal_handlers()
class Held: pass
def callback(ref):  # like the import machinery's module-lock callback: Python cannot raise from here
    os.kill(os.getpid(), signal.SIGINT)
    for _ in range(100000): pass
held = Held()
ref = weakref.ref(held, callback)
del held
time.sleep(0.5)
print("went on")
"""


def test_ctrl_c_inside_a_callback_python_cannot_raise_from_still_ends_the_run() -> None:
    """Without the hook Python prints "Exception ignored in ..." and the run goes on (CI saw it
    when Ctrl-C landed in an import's module-lock callback)."""
    proc = subprocess.run([sys.executable, "-c", UNRAISABLE], capture_output=True, timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGINT, proc.stderr
    assert proc.stderr.decode() == "lmc: interrupted\n"
    assert b"went on" not in proc.stdout
