"""The README says what is true: its examples are real output, its commands are what CI runs."""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT / "tools"))

import readme_examples  # noqa: E402


def section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def first_sh_block(text: str) -> str:
    found = re.search(r"```sh\n(.*?)\n```", text, flags=re.S)
    assert found, "no sh block"
    return found.group(1)


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    command = first_sh_block(section("Run the tests"))
    assert "\n" not in command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci, f".ci/run must run the README's test command as written: {command}"


def test_the_readme_commands_work_on_a_fresh_debian_python() -> None:
    # A system pip install fails there (PEP 668): both commands make their own environment.
    install = first_sh_block(section("Install and run"))
    tests = first_sh_block(section("Run the tests"))
    for command in (install, tests):
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && python -m pip install ")
    assert install.endswith("&& lmc meeting sanya") and tests.endswith("&& python -m pytest")
    assert "pipx install ." in section("Install and run")


def test_the_readme_examples_are_real_output() -> None:
    fresh = readme_examples.regenerate(README)
    if fresh != README:
        diff = "".join(difflib.unified_diff(README.splitlines(True), fresh.splitlines(True), "README.md",
                                            "real output", n=1))
        raise AssertionError("README examples drifted; run: python tools/readme_examples.py\n" + diff[:4000])
    assert README.count("```console") >= 4 and "## Citing lmc's facts" in README
