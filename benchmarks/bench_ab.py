"""Two versions of lmc on a large pack, alternated in one run: a baseline tree against this one.

    .venv/bin/python benchmarks/bench_ab.py --base /tmp/lmc-base [--size 100000] [--packs DIR]
        [--runs 5] [--cold] [--edit] [--only NAME ...]

The baseline is a checkout of another commit (`git worktree add /tmp/lmc-base <commit>`), run by
the same Python with PYTHONPATH pointing at it; each version has its own cache directory.
Every warm case runs base, new, base, new, ... (one untimed run of each first), medians of
wall time; `--cold` first times the floor (floor_build.py), then each version's first query
on an empty cache; `--edit` changes one fact's title in one file, times each version's next
query (each on its own cache), reverts, and repeats `--runs` times.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from pathlib import Path

from bench_scale import cases
from harness import median, run
from make_pack import write_pack

HERE = Path(__file__).resolve().parent
NEW = HERE.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the baseline tree")
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--packs", type=Path, help="where to write (or find) the pack")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--edit", action="store_true")
    parser.add_argument("--only", nargs="*", help="only the warm cases whose label starts with one of these")
    parser.add_argument("--caches", type=Path, help="directory of the two cache directories (default: new)")
    args = parser.parse_args()
    root = (args.packs or Path(tempfile.mkdtemp(prefix="lmc-packs-"))).resolve()
    pack = root / f"pack-{args.size}"
    if not pack.exists():
        write_pack(args.size, pack)
    caches = (args.caches or Path(tempfile.mkdtemp(prefix="lmc-ab-"))).resolve()
    # `python -m` puts the working directory first on sys.path: run from a checkout, both versions
    # would be that checkout. Every run starts in an empty directory, so PYTHONPATH decides.
    neutral = tempfile.mkdtemp(prefix="lmc-ab-cwd-")
    envs = {}
    for name, tree in (("base", args.base.resolve()), ("new", NEW)):
        cache = caches / name
        cache.mkdir(parents=True, exist_ok=True)
        envs[name] = {**os.environ, "PYTHONPATH": str(tree), "XDG_CACHE_HOME": str(cache)}
    for name, tree in (("base", args.base.resolve()), ("new", NEW)):
        where = run([sys.executable, "-c", "import lmc_cli; print(lmc_cli.__file__)"], env=envs[name], cwd=neutral)
        if not where.output.decode().strip().startswith(str(tree)):
            raise SystemExit(f"{name}: imports {where.output.decode().strip()}, not the tree {tree}")
    lmc = [sys.executable, "-m", "lmc_cli", "--facts", str(pack)]
    print(f"{args.size} facts in {pack}; base {args.base}, new {NEW}; load {os.getloadavg()[0]:.1f}")

    def timed(name: str, argv: list[str]) -> float:
        result = run(argv, env=envs[name], cwd=neutral)
        if result.code != 0:
            raise SystemExit(f"{name}: {shlex.join(argv)} exited {result.code}: {result.output[-300:]!r}")
        return result.seconds

    query = [*lmc, "stat", "arrests", "--format", "json"]
    if args.cold:
        floor = run([sys.executable, str(HERE / "floor_build.py"), str(pack)])
        print(f"floor: {floor.seconds:.2f} s  [{floor.output.decode().strip()}]")
        for name in ("base", "new"):
            for old in (caches / name).rglob("index-*"):
                old.unlink()
            seconds = timed(name, query)
            print(f"cold build {name}: {seconds:.2f} s = {seconds / floor.seconds:.2f}x the floor", flush=True)

    print(f"\n{'warm command':<32} {'base s':>8} {'new s':>8} {'new/base':>9}")
    for label, argv, _goal in cases(pack, lmc[:3]):
        if args.only is not None and not any(label.startswith(o) for o in args.only):
            continue
        times: dict[str, list[float]] = {"base": [], "new": []}
        for name in times:
            timed(name, argv)  # warm
        for _ in range(args.runs):
            for name in times:
                times[name].append(timed(name, argv))
        base, new = median(times["base"]), median(times["new"])
        print(f"{label:<32} {base:8.3f} {new:8.3f} {new / base:9.2f}", flush=True)

    if args.edit:
        files = sorted(p for p in pack.glob("*.toml") if p.name != "sources.toml")
        target = files[len(files) // 2]
        original = target.read_text(encoding="utf-8")
        edited: dict[str, list[float]] = {"base": [], "new": []}
        reverted: dict[str, list[float]] = {"base": [], "new": []}
        for name in edited:
            timed(name, query)
        try:
            for _ in range(args.runs):
                target.write_text(original.replace('title = "', 'title = "Edited ', 1), encoding="utf-8")
                for name in edited:
                    edited[name].append(timed(name, query))
                target.write_text(original, encoding="utf-8")
                for name in reverted:
                    reverted[name].append(timed(name, query))
        finally:
            target.write_text(original, encoding="utf-8")
        for name in edited:
            print(f"edit one file ({target.name}), next query, {name}: {median(edited[name]):.2f} s;"
                  f" reverted: {median(reverted[name]):.2f} s")
    print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
