"""Start-up: lmc on the bundled facts against a minimal Typer app printing one Rich table.

    .venv/bin/python benchmarks/bench_startup.py [--runs 20] [--only NAME ...] [--base TREE]

Each lmc command is alternated with hello_typer.py in the same run (lmc, hello, lmc, ...),
both warm (one untimed run of each first); medians of wall time, whole process. Goals (from
issue 16): commands that do not search, with --format json, at most 0.5x the app; `show ID`
on a terminal at most 0.8x; search commands at most 1.0x. The floor rows time
floor_startup.py (an index read and a JSON print, without and with Typer) against the app.
With --base (a checkout of another commit: `git worktree add /tmp/lmc-base <commit>`), each
case alternates base, this tree and the app (base, lmc, hello, ...), each version on its own
cache directory (the search terms' cache is keyed by the code, so sharing one would rebuild it).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import median, run

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
HELLO = [sys.executable, str(HERE / "hello_typer.py")]
FLOOR = [sys.executable, str(HERE / "floor_startup.py")]
LMC = [str(BIN / "lmc")] if (BIN / "lmc").exists() else [sys.executable, "-m", "lmc_cli"]
SHOW_ID = "arrests-50000"

# (label, argv after lmc, on a terminal, goal as a ratio to hello)
CASES: list[tuple[str, list[str], bool, float | None]] = [
    ("show ID --format json", ["show", SHOW_ID, "--format", "json"], False, 0.5),
    ("list --format json", ["list", "--format", "json"], False, 0.5),
    ("timeline --format json", ["timeline", "--format", "json"], False, 0.5),
    ("sources --format json", ["sources", "--format", "json"], False, 0.5),
    ("--version", ["--version"], False, 0.5),
    ("show ID (terminal)", ["show", SHOW_ID], True, 0.8),
    ("stat arrests --format json", ["stat", "arrests", "--format", "json"], False, 1.0),
    ("ask ... --format json", ["ask", "how many people were arrested", "--format", "json"], False, 1.0),
    ("meeting sanya --format json", ["meeting", "sanya", "--format", "json"], False, 1.0),
    ("stat arrests (terminal, table)", ["stat", "arrests"], True, 1.0),
]


def compare(label: str, argv: list[str], runs: int, tty: bool, goal: float | None,
            base: list[str] | None = None, caches: Path | None = None) -> None:
    # No pager: a card longer than the 40-row terminal would wait in `less` for a key.
    env = {**os.environ, "COLUMNS": "100", "TERM": os.environ.get("TERM", "xterm-256color"), "LMC_PAGER": ""}
    envs = {"lmc": env, "hello": env, "base": env}
    if caches is not None:
        envs = {"lmc": {**env, "XDG_CACHE_HOME": str(caches / "new")}, "hello": env,
                "base": {**env, "XDG_CACHE_HOME": str(caches / "base")}}
    commands = {"base": base, "lmc": argv, "hello": HELLO} if base else {"lmc": argv, "hello": HELLO}
    for name, command in commands.items():  # warm the cache and the OS page cache
        first = run(command, tty=tty, env=envs[name])
        if first.code != 0:
            raise SystemExit(f"{' '.join(command)} exited {first.code}: {first.output[-500:]!r}")
    times: dict[str, list[float]] = {name: [] for name in commands}
    rss = 0.0
    for _ in range(runs):
        for name, command in commands.items():
            result = run(command, tty=tty, env=envs[name])
            times[name].append(result.seconds)
            if name == "lmc":
                rss = max(rss, result.max_rss_mb)
    ms = {name: median(values) * 1000 for name, values in times.items()}
    ratio = ms["lmc"] / ms["hello"]
    verdict = "" if goal is None else f"goal <= {goal:.1f}  " + ("ok" if ratio <= goal else "MISSED")
    before = f"base {ms['base']:7.1f} ms ({ms['base'] / ms['hello']:4.2f})   " if base else ""
    print(f"{label:<34} {before}{ms['lmc']:7.1f} ms {rss:5.0f} MB   hello {ms['hello']:7.1f} ms   "
          f"ratio {ratio:4.2f}   {verdict}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="lmc start-up against a minimal Typer + Rich app")
    parser.add_argument("--runs", type=int, default=20, help="alternated runs of each command")
    parser.add_argument("--only", nargs="+", help="only the cases whose label starts with one of these")
    parser.add_argument("--base", type=Path, help="a baseline tree, alternated with this one")
    args = parser.parse_args()
    # Byte-code first, as an installed package has it: with PYTHONDONTWRITEBYTECODE set (as in this
    # workplace's shells) every run would otherwise compile lmc's modules (about 40 ms).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "lmc_cli")], check=True)
    print(f"{args.runs} alternated runs each, medians; lmc = {' '.join(LMC)}; hello = hello_typer.py")
    base: list[str] = []
    caches = None
    if args.base:
        tree = args.base.resolve()
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "lmc_cli")], check=True)
        base = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tree)!r}); sys.argv[0] = 'lmc'; "
                "from lmc_cli.app import main; main()"]
        caches = Path(tempfile.mkdtemp(prefix="lmc-startup-caches-"))
        print(f"base = {tree} (its own cache: {caches / 'base'}; this tree's: {caches / 'new'})")
    for label, words, tty, goal in CASES:
        if args.only and not any(label.startswith(o) for o in args.only):
            continue
        compare(label, [*LMC, *words], args.runs, tty, goal, [*base, *words] if base else None, caches)
    if args.only and "floor" not in args.only:
        return
    db = Path(tempfile.mkdtemp(prefix="lmc-floor-")) / "bundled.sqlite"
    subprocess.run([*LMC, "export", "--format", "sqlite", "--output", str(db)], check=True, capture_output=True)
    compare("floor: sqlite read + json", [*FLOOR, str(db), SHOW_ID], args.runs, False, None)
    compare("floor: the same, Typer imported", [*FLOOR, str(db), SHOW_ID, "--typer"], args.runs, False, None)
    db.unlink()


if __name__ == "__main__":
    main()
