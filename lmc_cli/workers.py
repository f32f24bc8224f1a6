"""Work spread over forked worker processes, the results in order (a cold build of a big pack).

`ordered(fn, items, count)` gives fn(item) for every item, in order. With count > 1 (on Linux,
where fork is safe for lmc: one thread, nothing but the parent touches the database) `count`
children are forked; child k computes items k, k + count, ... and sends each result, pickled,
through its own pipe. Whatever goes wrong in a child (an exception, a result that does not
pickle, a child that dies or is killed) the parent computes that item itself, so every result,
and every error, is the one a serial run gives. The children ignore SIGINT (Ctrl-C reaches the
parent too, which unwinds as ever), take the default action on SIGTERM and SIGHUP, die with the
parent (PR_SET_PDEATHSIG) and are killed and reaped when the parent leaves the `with` block for
any reason, an exception or a signal included: none is left behind.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

ENV = "LMC_BUILD_WORKERS"  # how many worker processes a build may use (1: none, work in this process)
MAX_WORKERS = 4
_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_FAILED = object()


def requested() -> int | None:
    """The count LMC_BUILD_WORKERS asks for, if it is a positive integer."""
    try:
        count = int(os.environ.get(ENV, ""))
    except ValueError:
        return None
    return count if count >= 1 else None


def available() -> int:
    """The processes a build may use by default: the CPUs this process may run on (at most 4),
    1 where forking is not how lmc works (not Linux)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


@contextlib.contextmanager
def ordered(fn: Callable[[Item], Result], items: Sequence[Item], count: int) -> Iterator[Iterator[Result]]:
    """fn over items, in order, by up to `count` forked children (count <= 1: in this process)."""
    if count <= 1 or len(items) < 2 or not hasattr(os, "fork"):
        yield (fn(item) for item in items)
        return
    count = min(count, len(items))
    children: list[_Child] = []
    try:
        for k in range(count):
            children.append(_Child.fork(fn, items, k, count, [c.stream.fileno() for c in children]))
        yield _gather(fn, items, children)
    finally:
        for child in children:
            child.stop()


def _gather(fn: Callable[[Item], Result], items: Sequence[Item], children: list[_Child]) -> Iterator[Result]:
    for number, item in enumerate(items):
        result = children[number % len(children)].receive(number)
        yield fn(item) if result is _FAILED else result  # type: ignore[misc]


class _Child:
    """A forked worker: its pid and the read end of its pipe."""

    def __init__(self, pid: int, stream: BinaryIO) -> None:
        self.pid = pid
        self.stream = stream
        self.alive = True

    @classmethod
    def fork(cls, fn: Callable[[Item], object], items: Sequence[Item], first: int, step: int,
             inherited: list[int]) -> _Child:
        read_fd, write_fd = os.pipe()
        parent = os.getpid()
        # Held until the child has its own handlers: a signal in between must not run the parent's.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        try:
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child's side (coverage does not follow a fork)
                _child(fn, items, first, step, parent, read_fd, write_fd, inherited, previous)
        except BaseException:
            os.close(read_fd)
            os.close(write_fd)
            raise
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        os.close(write_fd)
        return cls(pid, open(read_fd, "rb"))  # noqa: SIM115 - closed by stop()

    def receive(self, number: int) -> object:
        """The result of item `number`, or _FAILED (the parent computes it then)."""
        if not self.alive:
            return _FAILED
        try:
            sent, ok, value = pickle.load(self.stream)  # noqa: S301 - our own child's bytes
        except Exception:  # noqa: BLE001 - a child that died or sent a broken result: the parent's turn
            sent, ok, value = None, False, None
        if sent != number:
            self.alive = False  # past a broken message the stream cannot be trusted
            return _FAILED
        return value if ok else _FAILED

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.stream.close()
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            while True:
                try:
                    os.waitpid(self.pid, 0)
                    break
                except InterruptedError:
                    continue


def _child(fn: Callable[[Item], object], items: Sequence[Item], first: int, step: int, parent: int,
           read_fd: int, write_fd: int, inherited: list[int], mask: object) -> None:  # pragma: no cover
    """The worker's whole life: never returns, never runs the parent's handlers or exit code."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        _die_with_parent()
        if os.getppid() != parent:
            os._exit(0)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # type: ignore[arg-type]
        for fd in (read_fd, *inherited):
            os.close(fd)
        with open(write_fd, "wb") as out:
            for number in range(first, len(items), step):
                try:
                    message = pickle.dumps((number, True, fn(items[number])), pickle.HIGHEST_PROTOCOL)
                except BaseException:  # noqa: BLE001 - the parent computes it, and raises as a serial run would
                    message = pickle.dumps((number, False, None))
                out.write(message)
                out.flush()
    finally:
        os._exit(0)


def _die_with_parent() -> None:  # pragma: no cover - the child's side
    """Ask Linux to kill this child when its parent dies, however it dies (SIGKILL included)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
