"""The standard streams: data to stdout through one writer, messages to stderr, the default format."""

from __future__ import annotations

import os
import sys
from typing import Any

from lmc_cli.errors import OutputFailed
from lmc_cli.output.atomic import write_all
from lmc_cli.output.sanitise import one_line


class PipeClosed(Exception):
    """The reader of stdout went away; stop writing, quietly."""


def default_format(stream: Any = None) -> str:
    stream = stream if stream is not None else sys.stdout
    try:
        return "table" if stream.isatty() else "tsv"
    except (AttributeError, ValueError):
        return "tsv"


def _stdout_is_utf(stream: Any = None) -> bool:
    encoding = (getattr(stream or sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding in ("utf8", "utf16", "utf32", "utf8sig")


def emit(text: str) -> None:
    """Write data to stdout, every byte: a closed pipe raises PipeClosed, any other failure
    OutputFailed (exit 74), both with stdout silenced so that nothing fails again at exit.

    On a real file descriptor the bytes go out through os.write in a loop that checks each
    count (CPython's buffered stdout ignores a short write: `ulimit -f`, a non-blocking pipe).
    """
    if sys.stdout is None:  # stdout was already closed when lmc started
        raise PipeClosed
    try:
        fd = _stdout_fd()
        if fd is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            sys.stdout.flush()
            write_all(fd, _encode(text, sys.stdout))
    except BrokenPipeError:
        _silence_stdout()
        raise PipeClosed from None
    except OSError as exc:
        _silence_stdout()
        raise OutputFailed(f"cannot write output: {exc.strerror or exc}") from None


def _stdout_fd() -> int | None:
    try:
        return int(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation: a test's StringIO
        return None


def _encode(text: str, stream: Any) -> bytes:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return text.encode(encoding, getattr(stream, "errors", None) or "strict")
    except (UnicodeEncodeError, LookupError):
        return text.encode(encoding if encoding != "utf-16" else "utf-8", "backslashreplace")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def message(text: str) -> None:
    """One line for the user on stderr, with control characters made visible."""
    if sys.stderr is None:  # stderr was closed when lmc started: nowhere to say it
        return
    try:
        sys.stderr.write(one_line(text) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
