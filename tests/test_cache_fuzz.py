"""F4: the caches are untrusted input too. Every file lmc keeps in its cache directory (whatever
the cache design: JSON records, search terms, index databases) is mutated at random, a few
hundred times, and lmc is run on the damaged cache: every run answers exactly as with a fresh
cache (or rebuilds), never exits 70, never gives a wrong answer.

The mutations: byte flips, truncation, zeroed blocks, and for JSON and SQLite files
structural ones (a leaf replaced by a value of another type or a nearby value; a cell of a
random row set to something else) that keep the file parseable, which is what a cache must
not trust blindly.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hostile import LMC, TIMEOUT, fact_toml, write_pack

# 120 damaged caches by default, in chunks that the test workers share (two lmc runs each, about
# 0.5 s); LMC_CACHE_FUZZ_CASES=1000 for a longer hunt. The seeds are fixed: the same cases each run.
CASES = int(os.environ.get("LMC_CACHE_FUZZ_CASES", "120"))
CHUNKS = 6
COMMANDS = (
    ("stat", "widgets", "-f", "json"),
    ("list", "-f", "json"),
    ("timeline", "-f", "json"),
    ("ask", "how many boats were counted", "-f", "json"),
    ("show", "boats-2", "-f", "json"),
)
REPLACEMENTS: tuple[Any, ...] = (None, 5, -1, 0, 1.5, "x", "", "2020-15", "9999", [], {}, [1], {"a": 1}, True,
                                 "\x1b[2J", 10**400 if False else 1e308)


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[tuple[str, ...], str]]:
    """A pack, a warm cache for it, and what each command prints from a fresh cache."""
    root = tmp_path_factory.mktemp("fuzz")
    stats = 'table = "stats"\n' + "\n".join(
        fact_toml(f"boats-{i}", f"Boats counted {i}", f"The council counted {i * 7} boats in {2000 + i}.",
                  value=i * 7, unit="boats", date=f"{2000 + i}-0{1 + i % 9}") for i in range(12))
    widgets = 'table = "stats"\n' + fact_toml("widget-count", "Widgets produced", "The factory produced 1200 widgets.",
                                              value=1200, unit="widgets", date="2020-05")
    meetings = 'table = "meetings"\n' + fact_toml("council-meeting", "Council meeting", "The council met in Vientiane.",
                                                  date="2016-03-23", place="Vientiane")
    pack = write_pack(root / "pack", {"stats.toml": stats, "widgets.toml": widgets, "meetings.toml": meetings})
    cache = root / "cache"
    expected = {}
    for command in COMMANDS:
        fresh = run(pack, root / "fresh", command)
        assert fresh.returncode == 0, fresh.stderr
        expected[command] = fresh.stdout
        warmed = run(pack, cache, command)
        assert warmed.stdout == fresh.stdout
    assert any(cache.rglob("*")), "lmc wrote no cache at all"
    return pack, cache, expected


def run(pack: Path, cache: Path, command: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LMC), "--no-bundled", "--facts", str(pack), *command], capture_output=True, text=True,
                          errors="replace", timeout=TIMEOUT, env={**os.environ, "XDG_CACHE_HOME": str(cache)})


def mutate_bytes(path: Path, rng: random.Random) -> str:
    data = bytearray(path.read_bytes())
    if not data:
        path.write_bytes(b"\x00")
        return "filled an empty file"
    kind = rng.choice(["flip", "flip", "flips", "truncate", "zero"])
    if kind == "flip":
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    elif kind == "flips":
        for _ in range(16):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "truncate":
        del data[rng.randrange(len(data)):]
    else:
        start = rng.randrange(len(data))
        data[start:start + 4096] = bytes(len(data[start:start + 4096]))
    path.write_bytes(bytes(data))
    return kind


def leaves(node: Any, trail: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in leaves(v, (*trail, k))] or [trail]
    if isinstance(node, list):
        return [t for i, v in enumerate(node) for t in leaves(v, (*trail, i))] or [trail]
    return [trail]


def nearby(value: Any, rng: random.Random) -> Any:
    """A plausible wrong value: a changed number, a changed character, another type."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + rng.choice([1, -1, 7, 1000])
    if isinstance(value, str) and value:
        i = rng.randrange(len(value))
        return value[:i] + rng.choice("0189xZ-") + value[i + 1:]
    return rng.choice(REPLACEMENTS)


def mutate_json(path: Path, rng: random.Random) -> str:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return mutate_bytes(path, rng)
    trail = rng.choice(leaves(data))
    if not trail:
        return mutate_bytes(path, rng)
    parent = data
    for step in trail[:-1]:
        parent = parent[step]
    old = parent[trail[-1]]
    parent[trail[-1]] = nearby(old, rng) if rng.random() < 0.6 else rng.choice(REPLACEMENTS)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return f"json {'/'.join(map(str, trail))}: {old!r:.40} -> {parent[trail[-1]]!r:.40}"


def mutate_sqlite(path: Path, rng: random.Random) -> str:
    try:
        connection = sqlite3.connect(path)
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        table = rng.choice(tables)
        columns = [r[1] for r in connection.execute(f'PRAGMA table_info("{table}")')]
        rows = [r[0] for r in connection.execute(f'SELECT rowid FROM "{table}"')]
        if not rows or not columns:
            connection.close()
            return mutate_bytes(path, rng)
        row, column = rng.choice(rows), rng.choice(columns)
        (old,) = connection.execute(f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (row,)).fetchone()
        if isinstance(old, str) and old.startswith(("{", "[")) and rng.random() < 0.7:
            try:
                data = json.loads(old)
                trail = rng.choice(leaves(data))
                if trail:
                    parent = data
                    for step in trail[:-1]:
                        parent = parent[step]
                    parent[trail[-1]] = nearby(parent[trail[-1]], rng)
                    new: Any = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                else:
                    new = nearby(old, rng)
            except ValueError:
                new = nearby(old, rng)
        elif isinstance(old, bytes) and old:
            raw = bytearray(old)
            raw[rng.randrange(len(raw))] ^= 0xFF
            new = bytes(raw) if rng.random() < 0.7 else bytes(raw[:-1])
        else:
            replacement = nearby(old, rng) if rng.random() < 0.6 else rng.choice(REPLACEMENTS)
            new = json.dumps(replacement) if isinstance(replacement, (list, dict)) else replacement
        connection.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?', (new, row))
        connection.commit()
        connection.close()
        return f"sqlite {table}.{column} row {row}: {old!r:.40} -> {new!r:.40}"
    except (sqlite3.Error, IndexError, OverflowError):
        return mutate_bytes(path, rng)


def mutate(path: Path, rng: random.Random) -> str:
    if rng.random() < 0.35:
        return mutate_bytes(path, rng)
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(b"SQLite format 3"):
        return mutate_sqlite(path, rng)
    return mutate_json(path, rng)


def one_case(pack: Path, pristine: Path, expected: dict[tuple[str, ...], str], work: Path, seed: int) -> str | None:
    """Damage a copy of the warm cache as `seed` says, run lmc twice; what went wrong, if anything."""
    rng = random.Random(seed)
    cache = work / f"cache-{seed}"
    shutil.copytree(pristine, cache)
    # Sorted by kind and size, not by name (names hash the pack's path): the same seed, the same case.
    files = sorted((p for p in cache.rglob("*") if p.is_file() and not p.name.startswith(".tmp")),
                   key=lambda p: (p.suffix, p.name.endswith(".terms.json"), p.stat().st_size, p.name))
    target = rng.choice(files)
    what = mutate(target, rng)
    command = rng.choice(COMMANDS)
    context = f"seed {seed}: {target.name}: {what}; lmc {' '.join(command)}"
    try:
        for attempt in ("first run", "second run"):  # and the cache the first run left is good too
            result = run(pack, cache, command)
            if result.returncode != 0 or "internal error" in result.stderr:
                return f"{context}: {attempt} exit {result.returncode}: {result.stderr.strip()[:200]}"
            if result.stdout != expected[command]:
                return f"{context}: {attempt} gave a wrong answer"
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return None


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_a_damaged_cache_never_gives_a_wrong_answer_or_a_crash(
        warm: tuple[Path, Path, dict[tuple[str, ...], str]], tmp_path: Path, chunk: int) -> None:
    pack, pristine, expected = warm
    seeds = range(chunk, CASES, CHUNKS)
    failures = [f for seed in seeds if (f := one_case(pack, pristine, expected, tmp_path, seed))]
    assert not failures, f"{len(failures)} of {len(seeds)} damaged caches went wrong:\n" + "\n".join(failures[:10])
