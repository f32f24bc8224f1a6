"""F1 for real: an interactive zsh on a pty, lmc's own zsh completion installed, Tab pressed.

Typer's zsh script evals lmc's output and zsh's `_arguments` evaluates the value list again, so
a value ending in a backslash once escaped its closing quote and ran the next value as code
(`touch ZSH_PWNED`). Needs zsh (.ci/install-tools installs it); skipped, saying so, without it.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import time
from pathlib import Path

import pytest
from conftest import requires
from hostile import LMC

ZSH = shutil.which("zsh")
pytestmark = requires(ZSH is not None, "zsh is not installed (.ci/install-tools installs it)")

SOURCES = '[[document]]\nid = "d1"\ntitle = "D"\nkind = "news"\n'
BREAKOUT = """[[fact]]
id = "z1"
table = 'a\\'
title = "z1"
text = "z1"
[[fact.sources]]
doc = "d1"
quote = "q"

[[fact]]
id = "z2"
table = 'b ) ; touch ZSH_PWNED ; ws=( \\'
title = "z2"
text = "z2"
[[fact.sources]]
doc = "d1"
quote = "q"
"""
# Titles may hold anything (they are shown neutralised); as completion values they must stay inert.
EVIL_TITLES = """table = "meetings"
[[fact]]
id = "m1"
title = 'Evil a\\'
text = "One."
[[fact.sources]]
doc = "d1"
quote = "q"

[[fact]]
id = "m2"
title = 'b ) ; touch ZSH_PWNED ; ws=( \\'
text = "Two."
aliases = ["c $(touch ZSH_PWNED) `touch ZSH_PWNED`", "\\u001b]0;PWNED\\u0007 x"]
[[fact.sources]]
doc = "d1"
quote = "q"
"""
GOOD = """table = "zebras"
[[fact]]
id = "g1"
title = "Good figure"
text = "A figure."
[[fact.sources]]
doc = "d1"
quote = "q"
"""


def make_pack(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True)
    (directory / "sources.toml").write_text(SOURCES)
    for name, text in files.items():
        (directory / name).write_text(text)
    return directory


def press_tab(workdir: Path, facts: Path, typed: str) -> str:
    """Start `zsh -i` in workdir with lmc's completion and LMC_FACTS_PATH, type, press Tab, return the screen."""
    zdot = workdir / "zdot"
    zdot.mkdir(exist_ok=True)
    (zdot / ".zshrc").write_text(
        "autoload -Uz compinit && compinit -u -d \"$ZDOTDIR/.zcompdump\"\n"
        "lmc --show-completion > \"$ZDOTDIR/_lmc.zsh\"\n"  # as a user installs it: the script lmc prints
        "source \"$ZDOTDIR/_lmc.zsh\"\n"
        "PS1='%% '\n")
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(workdir)
        env = {**os.environ, "ZDOTDIR": str(zdot), "TERM": "xterm", "LMC_FACTS_PATH": str(facts),
               "XDG_CACHE_HOME": str(workdir / "cache"), "PATH": f"{LMC.parent}{os.pathsep}{os.environ['PATH']}"}
        os.execve(str(ZSH), ["zsh", "-i"], env)
    try:
        read(fd, 3.0, until=b"% ")
        os.write(fd, typed.encode() + b"\t")
        screen = read(fd, 6.0, until=None)
        os.write(fd, b"\x03exit\n")
        read(fd, 2.0, until=None)
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    assert "compdef" in (zdot / "_lmc.zsh").read_text(), "lmc --show-completion did not print the zsh script"
    return screen.decode("utf-8", "replace")


def read(fd: int, seconds: float, until: bytes | None) -> bytes:
    out = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if until is not None and until in out:
                break
    return out


def test_zsh_completion_works_at_all(tmp_path: Path) -> None:
    """The control: this harness really drives lmc's completion (Tab completes a table name)."""
    facts = make_pack(tmp_path / "good", {"zebras.toml": GOOD})
    screen = press_tab(tmp_path, facts, "lmc list --table zeb")
    assert "zebras" in screen


@pytest.mark.parametrize("typed", ["lmc timeline --table ", "lmc list --table ", "lmc export --table "])
def test_zsh_tab_on_a_breakout_table_runs_nothing(tmp_path: Path, typed: str) -> None:
    facts = make_pack(tmp_path / "pz", {"stats.toml": BREAKOUT + GOOD.replace('table = "zebras"\n', "")})
    press_tab(tmp_path, facts, typed)
    assert not (tmp_path / "ZSH_PWNED").exists()


@pytest.mark.parametrize("typed", ["lmc meeting ", "lmc meeting b", "lmc show m"])
def test_zsh_tab_on_hostile_titles_runs_nothing_and_shows_no_escape(tmp_path: Path, typed: str) -> None:
    facts = make_pack(tmp_path / "pe", {"meetings.toml": EVIL_TITLES})
    screen = press_tab(tmp_path, facts, typed)
    assert not (tmp_path / "ZSH_PWNED").exists()
    assert "\x1b]0;PWNED" not in screen and "\x07 x" not in screen
