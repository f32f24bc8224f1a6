"""lmc draft on each of the five documents, from an empty pack: how much of the curated work it
prepares, and how long it takes (docs/curating.md).

    .venv/bin/python benchmarks/bench_draft.py [--seeds ../shared/seeds] [--runs 3]

For each document: the bundled facts' quotes citing it (facts/*.toml), and the share of them
that a stub's quote contains (quote marks, spaces and case aside, as `lmc validate --against`
compares), and with --every-sentence (a stub for every sentence); beside it, the share that any
sentence of the document contains (what the sentence splitter allows), and of the bundled stats
facts citing it, those whose number a stub carries (value, and unit and qualifier as the curator
wrote them). The time is the whole `lmc draft` process, wall clock, median of --runs, each into a
new empty pack.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LMC = [str(BIN / "lmc")] if (BIN / "lmc").exists() else [sys.executable, "-m", "lmc_cli"]
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})  # noqa: RUF001


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(QUOTES)).strip().casefold()


def bundled() -> list[dict]:
    facts = []
    for path in sorted((ROOT / "facts").glob("*.toml")):
        if path.name != "sources.toml":
            facts += tomllib.loads(path.read_text(encoding="utf-8")).get("fact", [])
    return facts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from lmc_cli.curate.elements import split

    documents = tomllib.loads((ROOT / "facts" / "sources.toml").read_text(encoding="utf-8"))["document"]
    facts = bundled()
    print("| document | bundled quotes | in a stub | with --every-sentence | in a sentence | stubs / sentences "
          "| figures: value (unit, qualifier) | draft time |")
    print("|---|---|---|---|---|---|---|---|")
    totals = [0, 0, 0, 0]
    for doc in documents:
        source = args.seeds / doc["file"]
        times = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                pack = Path(tmp) / "pack"
                start = time.perf_counter()
                subprocess.run([*LMC, "draft", str(source), "--doc", doc["id"], "--pack", str(pack)], check=True,
                               capture_output=True)
                times.append(time.perf_counter() - start)
                drafted = tomllib.loads((pack / f"draft-{doc['id'].lower()}.toml").read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as tmp:
            pack = Path(tmp) / "pack"
            subprocess.run([*LMC, "draft", str(source), "--doc", doc["id"], "--pack", str(pack), "--every-sentence"],
                           check=True, capture_output=True)
            every = tomllib.loads((pack / f"draft-{doc['id'].lower()}.toml").read_text(encoding="utf-8"))["fact"]
        every_quotes = [norm(s["sources"][0]["quote"]) for s in every]
        stubs = drafted["fact"]
        stub_quotes = [norm(s["sources"][0]["quote"]) for s in stubs]
        sentences = [norm(s.text) for s in split(source.read_text(encoding="utf-8"))]
        quotes = [norm(c["quote"]) for f in facts for c in f["sources"] if c["doc"] == doc["id"]]
        in_stub = sum(any(q in s for s in stub_quotes) for q in quotes)
        in_sentence = sum(any(q in s for s in sentences) for q in quotes)
        in_every = sum(any(q in s for s in every_quotes) for q in quotes)
        numbers = [f for f in facts if "value" in f and any(c["doc"] == doc["id"] for c in f["sources"])]
        value = unit = qualifier = 0
        for fact in numbers:
            quote = norm(next(c["quote"] for c in fact["sources"] if c["doc"] == doc["id"]))
            carried = [s for s in stubs if quote in norm(s["sources"][0]["quote"]) and s.get("value") == fact["value"]]
            value += bool(carried)
            unit += any(s.get("unit") == fact.get("unit") for s in carried)
            qualifier += any(s.get("qualifier") == fact.get("qualifier") for s in carried)
        totals = [totals[0] + len(quotes), totals[1] + in_stub, totals[2] + in_sentence, totals[3] + in_every]
        times.sort()
        print(f"| {doc['id']} | {len(quotes)} | {in_stub} ({in_stub / len(quotes):.0%}) | "
              f"{in_every} ({in_every / len(quotes):.0%}) | {in_sentence} ({in_sentence / len(quotes):.0%}) | "
              f"{len(stubs)} / {len(sentences)} | "
              f"{value}/{len(numbers)} ({unit}, {qualifier}) | {times[len(times) // 2]:.2f} s |")
    print(f"| all | {totals[0]} | {totals[1]} ({totals[1] / totals[0]:.0%}) | "
          f"{totals[3]} ({totals[3] / totals[0]:.0%}) | {totals[2]} ({totals[2] / totals[0]:.0%}) | | | |")


if __name__ == "__main__":
    main()
