"""Ctrl-C at a random moment in the first 100 ms of `lmc timeline --format json`, 300 times.

Each run gets one SIGINT at a uniformly random moment between 0 and 100 ms after it starts,
and is sorted by where the signal landed, read from what the process left behind:

- inside Python's own start-up, before lmc's first line (the interpreter, the site module or the
  console-script stub): Python's KeyboardInterrupt traceback or "Fatal Python error", or a
  silent death by SIGINT before Python installed its handler. Out of lmc's reach (README).
- after lmc's entry: clean means it ended by the signal (the shell sees 130) or finished, and
  printed exactly `lmc: interrupted` or nothing, with no traceback.

Prints the counts, the share that landed in Python's start-up, and how many of the runs that
landed after lmc's entry ended cleanly (the goal: all of them).

Usage: python benchmarks/bench_sigint.py [--runs 300] [--window 0.1] [--seed 1] [--lmc PATH]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def landed_in_python_start_up(code: int, stderr: str) -> bool:
    if "Fatal Python error" in stderr or stderr.strip() == "KeyboardInterrupt":
        return True  # the site module, or the interpreter before it can print a traceback
    if code == -signal.SIGINT and not stderr:
        return True  # killed before Python installed its SIGINT handler (or after lmc finished: see below)
    if "Traceback" not in stderr:
        return False
    frames = re.findall(r'File "([^"]*)", line \d+, in (\S+)', stderr)
    ours = [(path, where) for path, where in frames if "lmc_cli" in path]
    return all(where == "<module>" and path.endswith(("lmc_cli/__init__.py", "lmc_cli/app.py")) for path, where in ours)


def classify(code: int, stderr: str) -> str:
    if landed_in_python_start_up(code, stderr):
        return "python start-up"
    clean_exit = code in (-signal.SIGINT, 130, 0)
    if clean_exit and stderr in ("lmc: interrupted\n", "") and "Traceback" not in stderr:
        return "after entry: clean"
    return "after entry: NOT clean"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--window", type=float, default=0.1, help="seconds after start to choose from")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lmc", default=shutil.which("lmc") or str(Path(sys.executable).parent / "lmc"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cache = tempfile.mkdtemp(prefix="bench-sigint-")
    env = {**os.environ, "XDG_CACHE_HOME": cache}
    subprocess.run([args.lmc, "timeline", "--format", "json"], capture_output=True, env=env)  # warm cache
    full = time.perf_counter()
    subprocess.run([args.lmc, "timeline", "--format", "json"], capture_output=True, env=env)
    full = time.perf_counter() - full
    counts: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    for _ in range(args.runs):
        delay = rng.uniform(0, args.window)
        proc = subprocess.Popen([args.lmc, "timeline", "--format", "json"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=env)
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):  # it may have finished
            proc.send_signal(signal.SIGINT)
        _, err = proc.communicate()
        kind = classify(proc.returncode, err.decode("utf-8", "replace"))
        counts[kind] += 1
        examples.setdefault(kind, f"{delay * 1000:.1f} ms: exit {proc.returncode}: {err.decode()[-300:]!r}")
    shutil.rmtree(cache, ignore_errors=True)
    start_up = counts["python start-up"]
    after = counts["after entry: clean"] + counts["after entry: NOT clean"]
    print(f"lmc timeline --format json: {full * 1000:.0f} ms uninterrupted; {args.runs} runs, SIGINT at a random "
          f"moment in the first {args.window * 1000:.0f} ms")
    print(f"  landed in Python's own start-up: {start_up} ({start_up / args.runs:.0%}) (out of lmc's reach)")
    print(f"  landed after lmc's entry: {after}; ended cleanly: {counts['after entry: clean']} of {after}")
    for kind, example in sorted(examples.items()):
        print(f"  e.g. {kind}: {example}")
    return 0 if counts["after entry: NOT clean"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
