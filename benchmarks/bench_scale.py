"""Scale: `lmc --facts PACK stat QUERY` and `ask QUESTION` at 1k, 10k and 100k synthetic facts.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1000 10000 100000] [--runs 3]

Packs are written by make_pack.py into a temporary directory (or --packs DIR, reused).
For each size: one cold run (empty cache directory) and the median of warm runs, wall time
and peak RSS of the whole process. Goals at 100k warm: < 0.5 s and < 300 MB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from harness import median, run
from make_pack import write_pack

BIN = Path(sys.executable).parent
LMC = [str(BIN / "lmc")] if (BIN / "lmc").exists() else [sys.executable, "-m", "lmc_cli"]
QUERIES = {"stat": ["stat", "arrests"], "ask": ["ask", "how many people were arrested"]}


def main() -> None:
    parser = argparse.ArgumentParser(description="lmc with large fact packs")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=3, help="warm runs per command (median)")
    parser.add_argument("--packs", type=Path, help="where to write (or find) the packs")
    args = parser.parse_args()
    root = args.packs or Path(tempfile.mkdtemp(prefix="lmc-packs-"))
    print(f"{'facts':>7} {'command':<5} {'cold s':>7} {'cold MB':>8} {'warm s':>7} {'warm MB':>8}")
    for size in args.sizes:
        pack = root / f"pack-{size}"
        if not pack.exists():
            write_pack(size, pack)
        for name, words in QUERIES.items():
            argv = [*LMC, "--facts", str(pack), *words, "--format", "json"]
            env = {**os.environ, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="lmc-cache-")}
            cold = run(argv, env=env)
            if cold.code != 0:
                raise SystemExit(f"{' '.join(argv)} exited {cold.code}")
            warm = [run(argv, env=env) for _ in range(args.runs)]
            if any(w.code != 0 for w in warm):
                raise SystemExit(f"{' '.join(argv)} failed on a warm run")
            print(f"{size:>7} {name:<5} {cold.seconds:7.2f} {cold.max_rss_mb:8.0f} "
                  f"{median([w.seconds for w in warm]):7.2f} {max(w.max_rss_mb for w in warm):8.0f}", flush=True)


if __name__ == "__main__":
    main()
