"""The code stays ruff clean (the rule set and the Rich/Typer import bans are in pyproject.toml)."""

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, requires


def ruff() -> str | None:
    beside = Path(sys.executable).parent / "ruff"
    return str(beside) if beside.exists() else shutil.which("ruff")


@requires(ruff() is not None, "ruff is not installed (it comes with the test extras)")
def test_ruff_is_clean() -> None:
    result = subprocess.run([ruff(), "check", "lmc_cli", "tests", "benchmarks", "tools"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def mypy() -> str | None:
    beside = Path(sys.executable).parent / "mypy"
    return str(beside) if beside.exists() else shutil.which("mypy")


@requires(mypy() is not None, "mypy is not installed (it comes with the test extras)")
def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([mypy(), "--strict", "lmc_cli"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
