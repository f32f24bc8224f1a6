"""Helpers for the hostile-input tests: fact packs written into tmp_path, lmc run as a process.

Every run passes --no-bundled and a pack of its own, so these tests do not depend on the
bundled facts (which curators edit while the tests run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

LMC = Path(sys.executable).parent / "lmc"
TIMEOUT = 20
DOCUMENTS = '[[document]]\nid = "doc1"\ntitle = "A small test document"\nkind = "report"\n'


def toml_string(value: str) -> str:
    """A TOML basic string for any text (json escapes are valid TOML escapes, bar \\/)."""
    return json.dumps(value, ensure_ascii=True)


def fact_toml(fact_id: str, title: str, text: str, quote: str | None = None, **fields: Any) -> str:
    lines = ["[[fact]]", f"id = {toml_string(fact_id)}", f"title = {toml_string(title)}",
             f"text = {toml_string(text)}"]
    for name, value in fields.items():
        if isinstance(value, str):
            lines.append(f"{name} = {toml_string(value)}")
        elif isinstance(value, list):
            lines.append(f"{name} = [{', '.join(toml_string(v) for v in value)}]")
        else:
            lines.append(f"{name} = {value}")
    lines += ["[[fact.sources]]", 'doc = "doc1"', f"quote = {toml_string(quote or text)}", ""]
    return "\n".join(lines)


def write_pack(directory: Path, files: dict[str, str | bytes], documents: str = DOCUMENTS) -> Path:
    """A pack directory with sources.toml and the given files (text or raw bytes)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sources.toml").write_text(documents, encoding="utf-8")
    for name, content in files.items():
        if isinstance(content, bytes):
            (directory / name).write_bytes(content)
        else:
            (directory / name).write_text(content, encoding="utf-8")
    return directory


def big_pack(directory: Path, files: int, per_file: int) -> Path:
    """A pack of files x per_file dated figures: enough output to fill a pipe, or load slowly."""
    contents = {}
    for f in range(files):
        parts = ['table = "stats"\n']
        for i in range(per_file):
            parts.append(fact_toml(f"f-{f}-{i}", f"Fact {f} {i} about boats",
                                   f"The council counted {i} boats in file {f}.", value=i, unit="boats",
                                   date=f"{2000 + i % 20}"))
        contents[f"t{f:03d}.toml"] = "\n".join(parts)
    return write_pack(directory, contents)


def run(*args: str, env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The installed lmc with --no-bundled, as a shell runs it; stdout is a pipe."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([str(LMC), "--no-bundled", *args], capture_output=True, text=True, errors="replace",
                          timeout=TIMEOUT, env=full_env, **kwargs)


def clean_stderr(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert "Exception ignored" not in stderr, stderr
    for name in ("UnicodeEncodeError", "UnicodeDecodeError", "RecursionError", "internal error"):
        assert name not in stderr, stderr


# Markup, an attribute break-out, terminal escapes and characters XML cannot hold, for the
# SVG and HTML outputs: all of it must come out as visible text.
HTML_ATTACK = '<script>alert(1)</script> "><img src=x onerror=alert(2)> \x1b[31m \x07 \ufffe \u202e &amp; \x00'
