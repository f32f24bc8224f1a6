"""Run a command as a whole process and measure its wall time and peak memory (RSS).

Shared by bench_startup.py and bench_scale.py. On a terminal (`tty=True`) the command's
stdout and stderr are a pseudo-terminal of 100x40, drained as the command writes.
"""

from __future__ import annotations

import fcntl
import os
import statistics
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    code: int
    output: bytes


def run(argv: Sequence[str], *, tty: bool = False, env: dict[str, str] | None = None,
        cwd: str | None = None) -> Run:
    """One run (in `cwd`, if given); wall time from spawn to exit, peak RSS from the child's own rusage."""
    master = slave = None
    if tty:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    out = slave if tty else subprocess.PIPE
    start = time.perf_counter()
    process = subprocess.Popen(list(argv), stdout=out, stderr=out, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
    chunks = []
    if tty:
        assert master is not None and slave is not None
        os.close(slave)
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
    else:
        assert process.stdout is not None
        chunks.append(process.stdout.read())
        assert process.stderr is not None
        process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode, b"".join(chunks))


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
