"""Scale: every command of lmc on a large synthetic pack, whole-process, against the floor.

    .venv/bin/python benchmarks/bench_scale.py [--size 100000] [--packs DIR] [--runs 3]
        [--skip-cold] [--only NAME ...]

The pack is written once by make_pack.py into --packs (default: a temporary directory) and
reused. In one run, in this order:
  1. the floor (floor_build.py: tomllib parse + bulk insert in one transaction + FTS5 build);
  2. lmc's cold build (`stat arrests` with an empty cache directory), and the cache's size
     on disk against the pack's;
  3. every command warm, each run alternated with hello_typer.py: medians of wall time, the
     largest peak RSS (goals at 100k: < 0.5 s and < 100 MB; `list | wc -l` < 3 s);
  4. one fact file edited (one fact's title changed), the next query timed, then reverted
     and timed again (goal < 2 s).
Peak RSS of a pipeline is the largest of its processes (wait4 of the shell).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from pathlib import Path

from harness import Run, median, run
from make_pack import write_pack

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
LMC = [str(BIN / "lmc")] if (BIN / "lmc").exists() else [sys.executable, "-m", "lmc_cli"]
HELLO = [sys.executable, str(HERE / "hello_typer.py")]


def cases(pack: Path, program: list[str] = LMC) -> list[tuple[str, list[str], float]]:
    """(label, argv, goal in seconds); a label with '|' runs through sh; `program` runs lmc."""
    lmc = [*program, "--facts", str(pack)]
    line = shlex.join(lmc)
    completion = f"lmc --facts {pack} show syn-stats-12"
    return [
        ("stat arrests", [*lmc, "stat", "arrests", "--format", "json"], 0.5),
        ("ask", [*lmc, "ask", "how many people were arrested", "--format", "json"], 0.5),
        ("meeting", [*lmc, "meeting", "first foreign ministers", "--format", "json"], 0.5),
        ("timeline 2016 (all of it)", [*lmc, "timeline", "--from", "2016", "--to", "2016", "--format", "json"], 0.5),
        ("timeline 2016 | head", ["sh", "-c", f"{line} timeline --from 2016 --to 2016 | head"], 0.5),
        ("list | head", ["sh", "-c", f"{line} list | head"], 0.5),
        ("show ID", [*lmc, "show", "syn-stats-12", "--format", "json"], 0.5),
        ("show ID (tsv)", [*lmc, "show", "syn-stats-12"], 0.5),
        ("conflicts", [*lmc, "conflicts", "--format", "json"], 0.5),
        ("sources", [*lmc, "sources", "--format", "json"], 0.5),
        ("completion (show syn-stats-12)", ["env", "_LMC_COMPLETE=complete_bash", f"COMP_WORDS={completion}",
                                            "COMP_CWORD=4", *program], 0.5),
        ("list | wc -l", ["sh", "-c", f"{line} list | wc -l"], 3.0),
    ]


def checked(argv: list[str], env: dict[str, str]) -> Run:
    result = run(argv, env=env)
    if result.code != 0:
        raise SystemExit(f"{shlex.join(argv)} exited {result.code}: {result.output[-300:]!r}")
    return result


def cache_sizes(directory: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for path in directory.rglob("*"):
        if path.is_file():
            kind = ("index" if "index" in path.name else "vectors" if "vector" in path.name
                    else "terms json" if path.name.endswith(".terms.json") else "json" if path.suffix == ".json"
                    else "other")
            sizes[kind] = sizes.get(kind, 0) + path.stat().st_size
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description="lmc with a large fact pack")
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=3, help="warm runs per command (median)")
    parser.add_argument("--packs", type=Path, help="where to write (or find) the pack")
    parser.add_argument("--cache", type=Path, help="cache directory to use (default: a new, empty one)")
    parser.add_argument("--skip-cold", action="store_true", help="no floor and no cold build (a warm --cache)")
    parser.add_argument("--only", nargs="+", help="only the warm cases whose label starts with one of these")
    args = parser.parse_args()
    root = args.packs or Path(tempfile.mkdtemp(prefix="lmc-packs-"))
    pack = root / f"pack-{args.size}"
    if not pack.exists():
        write_pack(args.size, pack)
    pack_bytes = sum(p.stat().st_size for p in pack.glob("*.toml"))
    cache_home = args.cache or Path(tempfile.mkdtemp(prefix="lmc-cache-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    print(f"{args.size} facts in {pack} ({pack_bytes / 1e6:.1f} MB); cache {cache_home}; lmc = {shlex.join(LMC)}")

    if not args.skip_cold:
        floor = run([sys.executable, str(HERE / "floor_build.py"), str(pack)])
        floor_s = floor.seconds
        print(f"floor (whole process): {floor_s:.2f} s   [{floor.output.decode().strip()}]")
        cold = checked([*LMC, "--facts", str(pack), "stat", "arrests", "--format", "json"], env)
        print(f"cold build (stat arrests, empty cache): {cold.seconds:.2f} s, {cold.max_rss_mb:.0f} MB peak RSS;"
              f" {cold.seconds / floor_s:.2f}x the floor (goal <= 2.0)")
        sizes = cache_sizes(cache_home)
        total = sum(v for k, v in sizes.items() if k != "vectors")
        parts = ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(sizes.items()))
        print(f"cache on disk: {total / 1e6:.1f} MB = {total / pack_bytes:.2f}x the pack (goal <= 1.5) [{parts}]")
        if "vectors" in sizes:
            print(f"vector store (not counted above): {sizes['vectors'] / 1e6:.1f} MB")

    print(f"\n{'warm command':<32} {'median s':>9} {'max MB':>7} {'hello s':>8}  goal")
    for label, argv, goal in cases(pack):
        if args.only and not any(label.startswith(o) for o in args.only):
            continue
        checked(argv, env)  # warm
        mine, hello = [], []
        for _ in range(args.runs):
            mine.append(checked(argv, env))
            hello.append(run(HELLO, env=env).seconds)
        seconds = median([r.seconds for r in mine])
        rss = max(r.max_rss_mb for r in mine)
        verdict = "ok" if seconds < goal and (rss < 100 or goal > 0.5) else "MISSED"
        limits = f"< {goal} s" + (", 100 MB" if goal <= 0.5 else "")
        print(f"{label:<32} {seconds:9.2f} {rss:7.0f} {median(hello):8.2f}  {limits}  {verdict}", flush=True)

    if args.only and "edit" not in args.only:
        return
    files = sorted(p for p in pack.glob("*.toml") if p.name != "sources.toml")
    target = files[len(files) // 2]
    original = target.read_text(encoding="utf-8")
    query = [*LMC, "--facts", str(pack), "stat", "arrests", "--format", "json"]
    try:
        target.write_text(original.replace('title = "', 'title = "Edited ', 1), encoding="utf-8")
        edited = checked(query, env)
    finally:
        target.write_text(original, encoding="utf-8")
    reverted = checked(query, env)
    print(f"\nedit one fact file ({target.name}), next query: {edited.seconds:.2f} s, {edited.max_rss_mb:.0f} MB;"
          f" reverted, next query: {reverted.seconds:.2f} s (goal < 2 s)")


if __name__ == "__main__":
    main()
