"""Shell completion through Typer's completion environment variables, run on the installed entry point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import LMC

from lmc_cli.cli.completion import complete_words

MINIPACK = str(Path(__file__).resolve().parent / "data" / "minipack")


def complete(shell: str, line: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """What lmc answers when `shell` asks it to complete `line` (the cursor at its end)."""
    env = {**os.environ, "_LMC_COMPLETE": f"complete_{shell}", **extra}
    if shell == "bash":
        words = line.split()
        env["COMP_WORDS"] = line
        env["COMP_CWORD"] = str(len(words) if line.endswith(" ") else len(words) - 1)
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env.setdefault("_TYPER_COMPLETE_FISH_ACTION", "get-args")
    result = subprocess.run([str(LMC)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result


def bash(line: str) -> list[str]:
    return [value for value in complete("bash", line).stdout.splitlines() if value]


def test_commands_complete() -> None:
    assert bash("lmc ti") == ["timeline"]
    assert "export" in bash("lmc ex")
    assert "schema" in bash("lmc sc")


def test_meeting_names_complete() -> None:
    values = bash("lmc meeting san")
    assert values and all(v.startswith("san") for v in values)
    assert any(v.casefold().startswith("sanya") for v in values)


def test_meeting_names_continue_the_words_already_typed() -> None:
    assert bash(f"lmc --no-bundled --facts {MINIPACK} meeting first test r") == ["river Council meeting"]
    values = bash(f"lmc --no-bundled --facts {MINIPACK} meeting ")
    assert {"First Test River Council meeting", "Riverton meeting", "河城", "Riverton"} <= set(values)


def test_figure_names_complete() -> None:
    values = bash("lmc stat arr")
    assert values and all(v.startswith("arr") for v in values)
    assert bash(f"lmc --no-bundled --facts {MINIPACK} stat bo") == ["boats counted by the council", "boats counted"]


def test_fact_ids_complete() -> None:
    assert "arrests-50000" in bash("lmc show arrests")
    assert bash(f"lmc --no-bundled --facts {MINIPACK} show test-") == [
        "test-boats", "test-council-first-meeting", "test-lighthouse"]


def test_table_names_complete_for_every_table_option() -> None:
    assert {"meetings", "stats", "events"} <= set(bash("lmc list --table "))
    assert bash("lmc timeline --table me") == ["meetings"]
    assert bash("lmc export -t st") == ["statements", "stats"]
    assert bash(f"lmc --no-bundled --facts {MINIPACK} list -t ") == ["meetings", "stats"]


def test_zsh_and_fish_get_the_same_values() -> None:
    zsh = complete("zsh", "lmc show arrests-5").stdout
    assert zsh.startswith("_arguments") and '"arrests-50000"' in zsh
    fish = complete("fish", f"lmc --no-bundled --facts {MINIPACK} meeting riv").stdout.splitlines()
    assert fish == ["riverton meeting", "riverton"]


def test_a_broken_pack_completes_quietly(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[[fact]\nid = ", encoding="utf-8")
    assert bash(f"lmc --no-bundled --facts {tmp_path} show ") == []
    assert bash(f"lmc --facts {tmp_path} show arrests-5") == ["arrests-50000"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script(shell: str) -> None:
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    result = subprocess.run([str(LMC), "--show-completion", shell], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"_LMC_COMPLETE=complete_{shell}" in result.stdout


PROBE = """
import sys
try:
    import tomllib
except ImportError:  # Python 3.10: lmc parses TOML with tomli
    import tomli as tomllib
def refuse(*args, **kwargs):
    raise AssertionError("completion parsed TOML")
tomllib.loads = refuse
sys.argv = ["lmc"]
from lmc_cli.cli.run import main
try:
    main()
finally:
    heavy = sorted(m for m in ("rich", "rapidfuzz") if m in sys.modules)
    print("imported:", heavy, file=sys.stderr)
"""


@pytest.mark.parametrize("shell,line", [
    ("bash", "lmc meeting san"), ("zsh", "lmc ti"), ("fish", "lmc "), ("zsh", "lmc show arr"),
])
def test_completion_is_light_with_a_warm_cache(shell: str, line: str) -> None:
    env = {**os.environ, "_LMC_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line,
           "_TYPER_COMPLETE_FISH_ACTION": "get-args", "COMP_WORDS": line, "COMP_CWORD": str(len(line.split()) - 1)}
    # Warm the per-file JSON cache through the same import path as the probe: the installed
    # entry point may load its facts from site-packages, the probe from the checkout.
    warm = PROBE.replace("tomllib.loads = refuse", "")
    subprocess.run([sys.executable, "-c", warm], env=env, capture_output=True, text=True, timeout=60)
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert result.stderr.strip() == "imported: []"


def test_completions_are_safe_to_insert_unquoted() -> None:
    assert complete_words(["First LMC Leaders' Meeting (Sanya)"], ["first"], "lmc") == ["lmc Leaders Meeting Sanya"]
    assert complete_words(["$(rm -rf ~)", "a;b"], [], "") == ["rm -rf", "ab"]
