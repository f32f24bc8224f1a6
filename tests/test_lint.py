"""The code stays ruff clean (the rule set and the Rich/Typer import bans are in pyproject.toml)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def ruff() -> str | None:
    beside = Path(sys.executable).parent / "ruff"
    return str(beside) if beside.exists() else shutil.which("ruff")


@pytest.mark.skipif(ruff() is None, reason="ruff is not installed (it comes with the test extras)")
def test_ruff_is_clean() -> None:
    result = subprocess.run([ruff(), "check", "lmc_cli", "tests", "benchmarks"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
