"""Temporary files lmc is writing right now, so that a signal that ends the run removes them.

Every writer that builds a file beside its target (output/atomic.py, the caches) registers
the temporary path while it writes and forgets it once the file is renamed into place or
removed. The console entry (app.py), on SIGINT, SIGTERM or SIGHUP, calls `remove_all()` before
it lets the signal end the process. Plain module state: lmc runs one command per process.
"""

from __future__ import annotations

import contextlib
import os
import signal

_PENDING: dict[str, None] = {}
# SQLite's files beside a database it writes, removed with it.
SIDE_SUFFIXES = ("", "-journal", "-wal", "-shm")


_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def create(directory: str, prefix: str, suffix: str) -> tuple[int, str]:
    """mkstemp, registered: signals are held until the new file is known, so a signal can never
    leave a temporary file no one knows about (it is delivered right after, and removes it)."""
    import tempfile  # here: a run that writes no file does not import it

    block = getattr(signal, "pthread_sigmask", None)
    previous = block(signal.SIG_BLOCK, ()) if block else None  # the mask as it is (this changes nothing)
    try:
        if block:  # a handler runs inside it, once the signals are held: one that raises must not leave them so
            block(signal.SIG_BLOCK, _SIGNALS)
        fd, path = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=suffix)
        register(path)
    finally:
        if block and previous is not None:
            block(signal.SIG_SETMASK, previous)
    return fd, path


def register(path: str) -> None:
    _PENDING[path] = None


def forget(path: str) -> None:
    _PENDING.pop(path, None)


def remove(path: str) -> None:
    """Delete a temporary file (and SQLite's side files) if it is still there; never fails."""
    for suffix in SIDE_SUFFIXES:
        with contextlib.suppress(OSError):
            os.unlink(path + suffix)
    forget(path)


def remove_all() -> None:
    for path in list(_PENDING):
        remove(path)


def pending() -> list[str]:
    return list(_PENDING)


STALE_SECONDS = 3600


def sweep(directory: str, prefix: str = ".tmp-", older_than: float = STALE_SECONDS) -> None:
    """Remove temporary files another lmc left in `directory` (killed by SIGKILL, a crash, a power cut):
    only ours (`prefix`), only old ones (a running lmc's are young); never fails."""
    import time

    limit = time.time() - older_than
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            with contextlib.suppress(OSError):
                if entry.name.startswith(prefix) and entry.is_file(follow_symlinks=False) \
                        and entry.stat(follow_symlinks=False).st_mtime < limit:
                    os.unlink(entry.path)
