"""Shared fixtures: every test gets its own cache directory and no user packs from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT.parent / "shared" / "seeds"


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


@pytest.fixture
def minipack() -> Path:
    return DATA / "minipack"
