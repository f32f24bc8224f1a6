#!/usr/bin/env python3
"""What the semantic scorer costs: loading its table, and scoring a question.

Whole processes, alternated in one run (median of --runs each):
  python           `python -c pass`, the floor
  lmc              importing lmc_cli.api, the library the CLI calls: the baseline
  lmc+import       that and lmc_cli.match.semantic (the table is not read)
  lmc+import+load  that and reading the table (what the first embed or similarities call does)
  numpy          `import numpy`, for comparison, when --numpy-python names an interpreter with it

lmc_cli is byte-compiled first (compileall), as an installed package is.

In process (median of --repeat, after one warm-up call):
  embed question       one question's vector
  226 stored           a question against the bundled facts' stored vectors (similarities_packed)
  226 from text        the same with every fact vector computed on the spot (no stored vectors)
  226 vectors, 1st     every bundled fact's vector, first time in a fresh process (nothing remembered)
  top-200 stored       a question against 200 candidates of the synthetic 100k pack, stored vectors
  top-200 from text    the same, fact vectors computed on the spot
  100k stored scan     a question against 100,000 stored vectors (all facts of the synthetic pack)

usage: python benchmarks/bench_semantic.py [--runs 15] [--repeat 20] [--numpy-python PATH]
"""
from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import harness  # noqa: E402
import make_pack  # noqa: E402

from lmc_cli.match import semantic  # noqa: E402

QUESTIONS = ("how much did the new airport cost", "who chaired the meeting on water resources",
             "when did the police start joint patrols on the river")


def processes(runs: int, numpy_python: str | None) -> None:
    # Byte-code first, as an installed package has it: with PYTHONDONTWRITEBYTECODE set (as in
    # some shells) every run would otherwise compile lmc's sources again and time that instead.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "lmc_cli")], check=True)
    cases = {
        "python": [sys.executable, "-c", "pass"],
        "lmc": [sys.executable, "-c", "import lmc_cli.api"],
        "lmc+import": [sys.executable, "-c", "import lmc_cli.api, lmc_cli.match.semantic"],
        "lmc+import+load": [sys.executable, "-c", "import lmc_cli.api, lmc_cli.match.semantic as s; s.table()"],
    }
    if numpy_python:
        cases["numpy"] = [numpy_python, "-c", "import numpy"]
    times: dict[str, list[float]] = {name: [] for name in cases}
    rss: dict[str, float] = {}
    for _ in range(runs):
        for name, argv in cases.items():
            result = harness.run(argv)
            if result.code != 0:
                raise SystemExit(f"{name} failed: {result.output[-300:]!r}")
            times[name].append(result.seconds)
            rss[name] = result.max_rss_mb
    loads = []
    probe = ("import time, lmc_cli.match.semantic as s; t = time.perf_counter(); s.table(); "
             "print(time.perf_counter() - t)")
    for _ in range(runs):
        loads.append(float(harness.run([sys.executable, "-c", probe]).output.decode().split()[-1]))
    base = statistics.median(times["lmc"])
    print(f"whole process, median of {runs} alternated runs")
    for name in cases:
        med = statistics.median(times[name])
        print(f"  {name:16s} {med * 1000:7.1f} ms  ({(med - base) * 1000:+6.1f} ms over lmc)  rss {rss[name]:5.1f} MB")
    print(f"  table() alone, timed inside a fresh process: median {statistics.median(loads) * 1000:.2f} ms, "
          f"max {max(loads) * 1000:.2f} ms")


def timed(call: Callable[[], object], repeat: int) -> float:
    call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def synthetic_facts(count: int) -> list[dict[str, object]]:
    """Facts shaped as benchmarks/make_pack.py writes them (its own generator)."""
    import tomllib

    rng = random.Random(7)
    out = []
    for i in range(count):
        table = make_pack.TABLES[i % len(make_pack.TABLES)]
        lines = make_pack.make_fact(i, table, rng, 40)
        out.append(tomllib.loads("\n".join(lines))["fact"][0])
    return out


def in_process(repeat: int) -> None:
    from lmc_cli.load.packs import load_corpus

    facts = load_corpus(use_cache=False).facts
    texts = [semantic.fact_text(f.title, f.text, f.aliases, f.keywords) for f in facts]
    stored = [semantic.pack(semantic.embed(t)) for t in texts]
    synthetic = synthetic_facts(200)
    syn_texts = [semantic.fact_text(str(f["title"]), str(f["text"]), f.get("aliases", ()), f.get("keywords", ()))
                 for f in synthetic]  # type: ignore[arg-type]
    syn_stored = [semantic.pack(semantic.embed(t)) for t in syn_texts]
    scan = syn_stored * 500
    rows: list[tuple[str, float]] = []
    q = QUESTIONS[0]
    rows.append(("embed question", timed(lambda: [semantic.embed(x) for x in QUESTIONS], repeat) / len(QUESTIONS)))
    rows.append((f"{len(facts)} stored", timed(lambda: semantic.similarities_packed(q, stored), repeat)))
    rows.append((f"{len(facts)} from text", timed(lambda: semantic.similarities(q, texts), max(3, repeat // 5))))
    rows.append(("top-200 stored", timed(lambda: semantic.similarities_packed(q, syn_stored), repeat)))
    rows.append(("top-200 from text", timed(lambda: semantic.similarities(q, syn_texts), max(3, repeat // 5))))
    rows.append((f"{len(scan) // 1000}k stored scan", timed(lambda: semantic.similarities_packed(q, scan), 3)))
    first = []
    probe = ("import time; from lmc_cli.load.packs import load_corpus; from lmc_cli.match import semantic as s; "
             "f = load_corpus().facts; s.table(); t = time.perf_counter(); [s.vector_of(x) for x in f]; "
             "print(time.perf_counter() - t)")
    for _ in range(5):
        first.append(float(harness.run([sys.executable, "-c", probe]).output.decode().split()[-1]))
    rows.append((f"{len(facts)} vectors, 1st", statistics.median(first)))
    tokens = sum(len(semantic.tokens(t)) for t in texts) / len(texts)
    print(f"per question, in process, median of {repeat} (bundled facts: {tokens:.0f} tokens each on average)")
    for name, seconds in rows:
        print(f"  {name:20s} {seconds * 1000:8.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--numpy-python", help="an interpreter that has numpy, to time `import numpy` beside")
    args = parser.parse_args()
    processes(args.runs, args.numpy_python)
    in_process(args.repeat)
    table = semantic.DATA_DIR / semantic.VECTORS_FILE
    print(f"table: {table.stat().st_size / 1e6:.2f} MB with its vocabulary and index, "
          f"{len(semantic.table().vocab)} tokens x {semantic.table().dims} dims, 4 bits each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
