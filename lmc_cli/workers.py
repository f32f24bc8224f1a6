"""Work spread over forked worker processes, the results in order (a cold build of a big pack).

`ordered(fn, items, count)` gives fn(item) for every item, in order. With count > 1, on Linux,
in a process with one thread (a fork copies the locks other threads hold, held for ever in the
child: a library caller with threads builds serially), `count` children are forked; child k
computes items k, k + count, ... and sends each result, pickled, through its own pipe. Whatever
goes wrong in a child (an exception, a result that does not pickle, a child that dies or is
killed, one that cannot be started at all) the parent computes that item itself, so every
result, and every error, is the one a serial run gives. The children ignore SIGINT (Ctrl-C
reaches the parent too, which unwinds as ever), take the default action on SIGTERM and SIGHUP
unless the parent ignores them (nohup's SIGHUP: a hangup must not end the workers either),
die with the parent (PR_SET_PDEATHSIG) and are killed and reaped when the parent leaves the
`with` block for any reason, an exception or a signal included; SIGINT, SIGTERM and SIGHUP are
held while children are forked and while they are reaped, so a signal then cannot leave one
unrecorded or unreaped: none is left behind, nor a pipe, nor a signal held.
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
MAX_WORKERS = 4  # the default's ceiling
MAX_REQUESTED = 16  # LMC_BUILD_WORKERS's: never a process (and a pipe) per file of a pack of many files
_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_FAILED = object()
Mask = set[int | signal.Signals]  # a thread's signal mask, as pthread_sigmask gives it


def requested() -> int | None:
    """The count LMC_BUILD_WORKERS asks for (at most MAX_REQUESTED), if it is a positive integer."""
    try:
        count = int(os.environ.get(ENV, ""))
    except ValueError:
        return None
    return min(count, MAX_REQUESTED) if count >= 1 else None


def can_fork() -> bool:
    """Whether worker processes may be forked here: Linux, and this process has a single thread
    (counted by the kernel: threads started by C code or `_thread` too; unknown: no)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def available() -> int:
    """The processes a build may use by default: the CPUs this process may run on (at most 4),
    1 where lmc does not fork (not Linux, or a process with threads)."""
    if not can_fork():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


@contextlib.contextmanager
def ordered(fn: Callable[[Item], Result], items: Sequence[Item], count: int) -> Iterator[Iterator[Result]]:
    """fn over items, in order, by up to `count` forked children (count <= 1: in this process).

    A Python signal handler runs inside pthread_sigmask, once the new mask is set: one that
    raises there must neither leave the signals held (a process that then sends itself the
    signal to die by it would live on, lmc exit 130 instead of being killed by SIGINT) nor skip
    the reaping. So the mask from before is saved first and set back last, and in the finally
    the signals are held by its first statement, a raise from it kept for after the reaping."""
    if count <= 1 or len(items) < 2 or not can_fork():
        yield (fn(item) for item in items)
        return
    count = min(count, len(items))
    saved = signal.pthread_sigmask(signal.SIG_BLOCK, ())  # the mask as it is (this changes nothing)
    children: list[_Child] = []
    interrupted: BaseException | None = None
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        for k in range(count):
            _Child.fork(fn, items, k, count, children, saved)
        signal.pthread_sigmask(signal.SIG_SETMASK, saved)  # a signal that came meanwhile is raised here
        yield _gather(fn, items, children)
    finally:
        while True:  # each raise is one pending handler's: the held signals bring no new one
            try:
                signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
                break
            except BaseException as exc:  # noqa: BLE001 - raised once the children are gone
                interrupted = interrupted or exc
        try:
            for child in children:
                child.stop()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, saved)  # a signal held meanwhile is raised here
        if interrupted is not None:
            raise interrupted


def _gather(fn: Callable[[Item], Result], items: Sequence[Item], children: list[_Child]) -> Iterator[Result]:
    for number, item in enumerate(items):
        result = children[number % len(children)].receive(number)
        yield fn(item) if result is _FAILED else result  # type: ignore[misc]


class _Child:
    """A forked worker: its pid and the read end of its pipe (none: it could not be started, the
    parent does its share)."""

    def __init__(self, pid: int | None, stream: BinaryIO | None) -> None:
        self.pid = pid
        self.stream = stream
        self.alive = pid is not None

    @classmethod
    def fork(cls, fn: Callable[[Item], object], items: Sequence[Item], first: int, step: int,
             children: list[_Child], mask: Mask) -> None:
        """Start child `first` and append it to children (the caller holds the signals: the child
        sets its own handlers before it takes back `mask`, the parent records it before any runs)."""
        inherited = [c.stream.fileno() for c in children if c.stream is not None]
        try:
            read_fd, write_fd = os.pipe()
        except OSError:  # no file descriptor left: the parent does this child's share
            children.append(cls(None, None))
            return
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:  # EAGAIN, ENOMEM: as above
            os.close(read_fd)
            os.close(write_fd)
            children.append(cls(None, None))
            return
        if pid == 0:  # pragma: no cover - the child's side (coverage does not follow a fork)
            _child(fn, items, first, step, parent, read_fd, write_fd, inherited, mask)
        os.close(write_fd)
        children.append(cls(pid, open(read_fd, "rb")))  # noqa: SIM115 - closed by stop()

    def receive(self, number: int) -> object:
        """The result of item `number`, or _FAILED (the parent computes it then)."""
        if not self.alive or self.stream is None:
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
        if self.stream is not None:
            with contextlib.suppress(OSError):
                self.stream.close()
        if self.pid is None:
            return
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
           read_fd: int, write_fd: int, inherited: list[int], mask: Mask) -> None:  # pragma: no cover
    """The worker's whole life: never returns, never runs the parent's handlers or exit code."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for kept in (signal.SIGTERM, signal.SIGHUP):  # an ignored one stays so: nohup's SIGHUP
            if signal.getsignal(kept) is not signal.SIG_IGN:
                signal.signal(kept, signal.SIG_DFL)
        _die_with_parent()
        if os.getppid() != parent:
            os._exit(0)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
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
