"""Running the CLI in-process (CliRunner) and as the installed entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from lmc_cli.cli import app

LMC = Path(sys.executable).parent / "lmc"


def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Any:
    """Run lmc in-process; stdout is not a terminal here, so the default format is tsv."""
    return CliRunner().invoke(app, list(args), env=env, input=input, catch_exceptions=False)


def records(*args: str) -> list[dict[str, Any]]:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def run_lmc(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run the installed `lmc` console script as a user's shell would."""
    return subprocess.run([str(LMC), *args], capture_output=True, text=True, timeout=60, **kwargs)


def drain_terminal(fd: int, pid: int) -> tuple[int, bytes]:
    """Read what a child on a pty (from pty.fork) shows until it exits: (exit code, screen)."""
    import os

    screen = b""
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        screen += data
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), screen


def quote_only_word() -> tuple[str, str]:
    """A (fact id, word) where the word is in one of the fact's quotes and nowhere else in any
    fact (title, text, aliases, keywords): what only a search over quotes can find."""
    import re

    listed = records("list")

    def words(text: str) -> set[str]:
        return {w.lower() for w in re.findall(r"[A-Za-z]{6,}", text)}

    elsewhere: set[str] = set()
    for record in listed:
        for field in ("title", "text"):
            elsewhere |= words(record[field])
        for field in ("aliases", "keywords"):
            elsewhere |= words(" ".join(record.get(field, [])))
    for record in listed:
        for source in record["sources"]:
            # a word the porter stemmer leaves alone, so the match is unambiguous
            for word in sorted(words(source["quote"]) - elsewhere):
                if not word.endswith(("s", "ed", "ing", "ly", "e", "y")):
                    return record["id"], word
    raise AssertionError("no word appears in quotes only")
