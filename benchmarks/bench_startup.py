"""Start-up: lmc against a minimal Typer app printing one Rich table, alternated, medians.

    .venv/bin/python benchmarks/bench_startup.py [--runs 30]

Pairs: `lmc stat arrests --format json` (piped) vs hello_typer.py (piped), and
`lmc stat arrests` on a pseudo-terminal (a Rich table) vs hello_typer.py on one.
Goals: json <= 0.8x hello; terminal table <= 1.0x hello. The cache is warmed first.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from harness import median, run

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
HELLO = [sys.executable, str(HERE / "hello_typer.py")]
LMC = [str(BIN / "lmc")] if (BIN / "lmc").exists() else [sys.executable, "-m", "lmc_cli"]


def compare(label: str, lmc: list[str], hello: list[str], runs: int, tty: bool, goal: float) -> None:
    env = {**os.environ, "COLUMNS": "100", "TERM": os.environ.get("TERM", "xterm-256color")}
    for argv in (lmc, hello):  # warm the cache and the OS page cache
        first = run(argv, tty=tty, env=env)
        if first.code != 0:
            raise SystemExit(f"{' '.join(argv)} exited {first.code}: {first.output[-500:]!r}")
    times: dict[str, list[float]] = {"lmc": [], "hello": []}
    for _ in range(runs):
        times["lmc"].append(run(lmc, tty=tty, env=env).seconds)
        times["hello"].append(run(hello, tty=tty, env=env).seconds)
    lmc_ms, hello_ms = median(times["lmc"]) * 1000, median(times["hello"]) * 1000
    ratio = lmc_ms / hello_ms
    verdict = "ok" if ratio <= goal else "SLOWER THAN GOAL"
    print(f"{label:<34} lmc {lmc_ms:7.1f} ms   hello {hello_ms:7.1f} ms   ratio {ratio:4.2f}"
          f"   goal <= {goal:.1f}   {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description="lmc start-up against a minimal Typer + Rich app")
    parser.add_argument("--runs", type=int, default=30, help="alternated runs of each command")
    args = parser.parse_args()
    print(f"{args.runs} alternated runs each, medians; lmc = {' '.join(LMC)}")
    compare("stat arrests --format json (pipe)", [*LMC, "stat", "arrests", "--format", "json"], HELLO,
            args.runs, tty=False, goal=0.8)
    compare("stat arrests (terminal, table)", [*LMC, "stat", "arrests"], HELLO, args.runs, tty=True, goal=1.0)


if __name__ == "__main__":
    main()
