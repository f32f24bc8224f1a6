"""Python runs a signal's handler inside pthread_sigmask, once the new mask is set; lmc's raises.
Where lmc holds signals (tempfiles.create) such a raise must not leave them held, and lmc
must die by the signal even if something did (else the signal waits and lmc exits 128 + n)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_pack import write_pack  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")

# The handler of SIGNUM raised from inside tempfiles.create's call that holds the signals, as
# a signal that arrived just before it would (run in a new Python: it changes the signal mask).
RAISING_IN_TEMPFILES = """
import os, signal, sys
for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # not ignored, whoever started the suite
    signal.signal(number, signal.SIG_DFL)
_real_sigmask = signal.pthread_sigmask
def interrupting_sigmask(how, mask):
    value = _real_sigmask(how, mask)
    if sys._getframe(1).f_globals.get("__name__") == "lmc_cli.tempfiles" and how == signal.SIG_BLOCK and set(mask):
        signal.getsignal(SIGNUM)(SIGNUM, None)
    return value
signal.pthread_sigmask = interrupting_sigmask
"""


def run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env}, cwd=ROOT, timeout=120)


def test_a_raise_inside_tempfiles_holding_the_signals_leaves_none_held(tmp_path: Path) -> None:
    done = run("import signal\nSIGNUM = signal.SIGINT\n" + RAISING_IN_TEMPFILES + textwrap.dedent(f"""
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from lmc_cli import tempfiles
        before = _real_sigmask(signal.SIG_BLOCK, ())
        try:
            tempfiles.create({str(tmp_path)!r}, ".tmp", ".db")
        except KeyboardInterrupt:
            pass
        else:
            raise AssertionError("no KeyboardInterrupt")
        assert _real_sigmask(signal.SIG_BLOCK, ()) == before, "signals left held"
        assert os.listdir({str(tmp_path)!r}) == [] and tempfiles.pending() == []
    """))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_lmc_dies_by_a_signal_raised_inside_tempfiles_holding_the_signals(tmp_path: Path, name: str) -> None:
    """A cold build's index file is made by tempfiles.create: the signal there ends lmc by the
    signal (the shell's 130, 143, 129), with one line, and no temporary file."""
    write_pack(50, tmp_path / "pack")
    cache = tmp_path / "cache"
    done = run(f"import signal\nSIGNUM = signal.{name}\n" + RAISING_IN_TEMPFILES + textwrap.dedent(f"""
        sys.argv = ["lmc", "--facts", {str(tmp_path / "pack")!r}, "stat", "arrests"]
        from lmc_cli.app import main
        main()
    """), XDG_CACHE_HOME=str(cache), LMC_BUILD_WORKERS="1")
    assert done.returncode == -getattr(signal, name), (done.returncode, done.stderr)
    assert done.stderr == "lmc: interrupted\n"
    assert [p.name for p in cache.rglob(".tmp*")] == []


def test_lmc_dies_by_the_signal_even_if_it_was_left_held() -> None:
    """finish_interrupted unblocks the signal it sends itself (held by code the signal cut short)."""
    done = run(textwrap.dedent("""
        import signal
        from lmc_cli import app
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        app.finish_interrupted(signal.SIGTERM)
    """))
    assert done.returncode == -signal.SIGTERM, (done.returncode, done.stderr)
    assert done.stderr == "lmc: interrupted\n"
