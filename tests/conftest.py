"""Shared fixtures: every test gets its own cache directory and no user packs from the environment."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
IN_CI = os.environ.get("CI") == "true"

# A shell without job control starts a background job (`.ci/run &`) with SIGINT ignored, nohup
# ignores SIGHUP, and every process started inherits that: lmc, rightly, then ignores them too, and
# the tests that signal it would fail. Handled here (in the main process and in each xdist worker;
# a hangup still does nothing to the suite), they are back to their defaults in the processes the
# tests start (exec resets a handled signal), however the suite was launched.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
if signal.getsignal(signal.SIGHUP) is signal.SIG_IGN:
    signal.signal(signal.SIGHUP, lambda signum, frame: None)

# Test modules that start lmc as a process many times (pipes, terminals, signals, a browser,
# question sets): `pytest -m "not slow"` leaves them out for a quick run; CI runs everything.
SLOW_MODULES = {
    "test_hostile_round2": "a subprocess per finding, shells and signals",
    "test_hostile_pipes": "pipes and signals against the installed script",
    "test_hostile_terminal": "pseudo-terminals",
    "test_hostile_fuzz": "Hypothesis over the CLI and the loader",
    "test_questions": "every question set through the installed script",
    "test_timeline_browser": "headless Chromium",
    "test_datasette": "Datasette's in-process client",
    "test_bigindex": "large generated packs",
    "test_zsh_completion": "a real zsh",
    "test_entry_point": "the installed script in pipes and on a pty",
    "test_startup": "subprocess import probes",
    "test_browse": "the pager on a pty, ask - streaming",
    "test_build_workers": "cold builds forked by new Python processes",
    "test_signal_mask": "lmc killed by its own signal in new processes",
}


def requires(present: bool, reason: str) -> pytest.MarkDecorator:
    """Skip a test whose tool or data is missing, except in CI (CI=true): there it runs, and fails."""
    return pytest.mark.skipif(not present and not IN_CI, reason=reason)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.delenv("LMC_FACTS_PATH", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    # No pager in tests that run lmc on a terminal (it would wait for a key); the pager's own
    # tests set LMC_PAGER to a program of theirs.
    monkeypatch.setenv("LMC_PAGER", "")
    return cache


@pytest.fixture(autouse=True)
def console_coercion(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process CLI tests (Typer's CliRunner) run the command tree the console script runs,
    fastparse's coercion included (lmc_cli/cli/run.py build_command), not Typer's default one."""
    import typer.testing

    from lmc_cli.cli.run import build_command

    monkeypatch.setattr(typer.testing, "_get_command", build_command)


@pytest.fixture
def minipack() -> Path:
    return DATA / "minipack"
