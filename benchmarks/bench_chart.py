"""Candidates for the timeline chart: install size, and import + render time as whole processes.

    python benchmarks/bench_chart.py --setup /tmp/chart-candidates   # once: a venv per library (pip)
    python benchmarks/bench_chart.py --venvs /tmp/chart-candidates [--rounds 7]

Each candidate draws the same chart from `lmc timeline --format json` (lanes by kind, a marker
or a span per fact, a label each) to an SVG string, in a fresh interpreter; rounds alternate
the candidates so that load on the machine falls on all alike. `ours` is lmc_cli/output/chart.py
in this environment; `lmc svg` and `lmc tsv` are the whole command with its baseline.
Install size is the site-packages of each venv less that of an empty venv.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LMC = Path(sys.executable).parent / "lmc"
PACKAGES = {"matplotlib": ["matplotlib"], "altair": ["altair", "vl-convert-python"], "empty": []}

MATPLOTLIB = """
import json, sys
import matplotlib
matplotlib.use("svg")
import matplotlib.pyplot as plt
from datetime import date, timedelta
facts = json.load(open(sys.argv[1]))
def bounds(d):
    y = int(d[:4]); m = int(d[5:7]) if len(d) >= 7 else None
    if len(d) == 10: s = date.fromisoformat(d); return s, s
    if m: e = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1); return date(y, m, 1), e
    return date(y, 1, 1), date(y, 12, 31)
lanes = sorted({f["table"] for f in facts})
fig, ax = plt.subplots(figsize=(10, 6))
for f in facts:
    s, e = bounds(f["date"])
    if f.get("date_end"): e = bounds(f["date_end"])[1]
    y = lanes.index(f["table"])
    if s == e: ax.plot([s], [y], "o")
    else: ax.broken_barh([(matplotlib.dates.date2num(s), (e - s).days + 1)], (y - .2, .4))
    ax.text(e, y, f["title"][:30], fontsize=8)
ax.set_yticks(range(len(lanes)), lanes)
import io; out = io.StringIO(); fig.savefig(out, format="svg"); assert "<svg" in out.getvalue()
"""

ALTAIR = """
import json, sys
import altair as alt, vl_convert as vlc
facts = json.load(open(sys.argv[1]))
def bounds(d):
    return (d + "-01-01"[len(d) - 4:] if len(d) < 10 else d)
rows = [{"id": f["id"], "kind": f["table"], "start": bounds(f["date"]),
         "end": bounds(f.get("date_end") or f["date"]), "label": f["title"][:30]} for f in facts]
data = alt.Data(values=rows)
base = alt.Chart(data).encode(y="kind:N")
chart = (base.mark_bar().encode(x="start:T", x2="end:T") + base.mark_point().encode(x="start:T")
         + base.mark_text(align="left", dx=6).encode(x="end:T", text="label:N")).properties(width=800)
svg = vlc.vegalite_to_svg(chart.to_json())
assert "<svg" in svg
"""

OURS = """
import json, sys
from lmc_cli.load.packs import load_corpus
from lmc_cli.api import timeline_facts
from lmc_cli.output.chart import timeline_svg
corpus = load_corpus()
svg = timeline_svg(timeline_facts(corpus, None, None, ()), corpus.documents)
assert "<svg" in svg
"""


def site_packages_mb(venv: Path) -> float:
    folders = list(venv.glob("lib/python*/site-packages"))
    total = sum(p.stat().st_size for folder in folders for p in folder.rglob("*") if p.is_file())
    return total / 1e6


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def setup(root: Path) -> None:
    for name, packages in PACKAGES.items():
        venv = root / name
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        if packages:
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *packages], check=True)
        print(f"{name}: {venv}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--setup", type=Path, help="create a venv per candidate under this folder (uses pip)")
    parser.add_argument("--venvs", type=Path, help="the folder --setup made")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if args.setup:
        setup(args.setup)
        return
    with tempfile.TemporaryDirectory() as work:
        facts = Path(work) / "facts.json"
        facts.write_text(subprocess.run([str(LMC), "timeline", "-f", "json"], check=True, capture_output=True,
                                        text=True).stdout, encoding="utf-8")
        count = len(json.loads(facts.read_text(encoding="utf-8")))
        commands: dict[str, list[str]] = {
            "ours": [sys.executable, "-c", OURS],
            "lmc svg": [str(LMC), "timeline", "-f", "svg", "-o", "-"],
            "lmc html": [str(LMC), "timeline", "-f", "html", "-o", "-"],
            "lmc tsv": [str(LMC), "timeline", "-f", "tsv"],
        }
        sizes = {"ours": 0.0}
        if args.venvs:
            empty = site_packages_mb(args.venvs / "empty")
            for name, script in (("matplotlib", MATPLOTLIB), ("altair", ALTAIR)):
                venv = args.venvs / name
                if (venv / "bin" / "python").exists():
                    commands[name] = [str(venv / "bin" / "python"), "-c", script, str(facts)]
                    sizes[name] = site_packages_mb(venv) - empty
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():  # warm the file cache and lmc's fact cache once
            timed(command)
        for _ in range(args.rounds):
            for name, command in commands.items():
                times[name].append(timed(command))
    print(f"{count} facts, {args.rounds} rounds alternated, median (min) seconds per process")
    print(f"{'candidate':<12} {'install MB':>10} {'median s':>9} {'min s':>7}")
    for name, values in times.items():
        size = f"{sizes[name]:.1f}" if name in sizes else "-"
        print(f"{name:<12} {size:>10} {statistics.median(values):>9.3f} {min(values):>7.3f}")


if __name__ == "__main__":
    main()
