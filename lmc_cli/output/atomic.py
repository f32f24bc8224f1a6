"""The one way lmc writes a file (--output of export and timeline): checked, then atomic.

- The target is checked first: a directory is refused (exit 2), and so are a symlink to a file
  and a loaded fact file unless `force` (a database that is not an lmc export: export.py). A
  device, FIFO or terminal (`-o /dev/stdout`, `-o /dev/null`) is never replaced: text is
  written into it as a shell redirection would, and a database is refused.
- The file is built as a temporary file beside the target, registered with lmc_cli.tempfiles
  (a signal removes it), flushed to disk and renamed over the target only when complete, so a
  full disk, a file-size limit, Ctrl-C or SIGTERM leaves the previous file as it was.
- The new file keeps the target's permissions, or gets the umask's (0666 & ~umask).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from lmc_cli import tempfiles
from lmc_cli.errors import LmcError, OutputFailed, UsageError

# Errors of the write itself (not of the path): the disk, a quota, a size limit, the device.
WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EDQUOT, errno.EROFS})


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _same_file(path: str, protected: Iterable[Path]) -> bool:
    try:
        target = os.stat(path)
    except (OSError, ValueError):
        return False
    for other in protected:
        try:
            info = os.stat(other)
        except (OSError, ValueError):
            continue
        if (info.st_dev, info.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def _is_stream(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def check_target(output: str, *, protected: Iterable[Path] = (), force: bool = False,
                 database: bool = False) -> tuple[str, str]:
    """Where to write `output`, as (kind, path): "file" (atomic, at path) or "stream" (written into).

    Raises UsageError (exit 2) for a target lmc must not replace.
    """
    if not output:
        raise UsageError("--output: give a file name")
    path = output
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except (OSError, ValueError) as exc:
        raise UsageError(f"--output {output}: {getattr(exc, 'strerror', None) or exc}") from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        try:
            pointed = os.stat(path)
        except OSError:
            pointed = None
        if pointed is not None and _is_stream(pointed.st_mode):
            info = pointed  # /dev/stdout, /proc/self/fd/1: a stream behind a link
        elif not force:
            raise UsageError(f"--output {output}: is a symbolic link; give the file it names, or --force")
        else:
            path = os.path.realpath(path)
            info = pointed
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"--output {output}: is a directory")
        if _is_stream(info.st_mode) or stat.S_ISBLK(info.st_mode):
            if database or stat.S_ISBLK(info.st_mode):
                raise UsageError(f"--output {output}: not a regular file (a database is written only to a file)")
            return "stream", path
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"--output {output}: not a regular file")
        if not force and _same_file(path, protected):
            raise UsageError(f"--output {output}: is a fact file lmc has loaded; refusing to overwrite it "
                             "(--force to do it anyway)")
    return "file", path


def _fail(output: str, exc: OSError) -> LmcError:
    reason = exc.strerror or str(exc)
    if exc.errno in WRITE_ERRORS:
        return OutputFailed(f"cannot write output: --output {output}: {reason}")
    return UsageError(f"--output {output}: {reason}")


def write_all(fd: int, data: bytes) -> None:
    """Write every byte (os.write may write fewer); a write of nothing is an error, never a silent cut."""
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except BlockingIOError:  # a non-blocking pipe that is full: wait until it drains
            import select

            select.select([], [fd], [])
            continue
        if written <= 0:
            raise OSError(errno.EIO, "short write")
        view = view[written:]


def replace_with(path: str, build: Callable[[str], None], output: str | None = None) -> None:
    """Let `build(tmp)` write a temporary file beside `path`, then rename it over `path`.

    The temporary file is removed on any failure or signal; the target keeps its mode (a new
    file gets the umask's). `output` is the name to use in messages (default: path).
    """
    output = output or path
    directory = os.path.dirname(path) or "."
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = _umask_mode()
    try:
        fd, tmp = tempfiles.create(directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    except OSError as exc:
        raise _fail(output, exc) from None
    try:
        os.close(fd)
        build(tmp)
        os.chmod(tmp, mode)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        tempfiles.forget(tmp)
    except OSError as exc:
        tempfiles.remove(tmp)
        raise _fail(output, exc) from None
    except BaseException:
        tempfiles.remove(tmp)
        raise


def write_text(output: str, text: str, *, protected: Iterable[Path] = (), force: bool = False) -> None:
    """Text (UTF-8) to `output`: atomically to a file, or straight into a stream (/dev/stdout)."""
    data = text.encode("utf-8", "backslashreplace")
    kind, path = check_target(output, protected=protected, force=force)
    if kind == "stream":
        try:
            fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                write_all(fd, data)
            finally:
                os.close(fd)
        except BrokenPipeError:  # -o /dev/stdout into `| head`: the reader has what it wanted
            from lmc_cli.output.streams import PipeClosed

            raise PipeClosed from None
        except OSError as exc:
            raise _fail(output, exc) from None
        return

    def build(tmp: str) -> None:
        fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0))
        try:
            write_all(fd, data)
        finally:
            os.close(fd)

    replace_with(path, build, output)
