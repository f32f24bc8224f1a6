"""Exit codes and the exceptions that carry them.

Every failure lmc expects is an `LmcError`; the CLI layer turns it into one line on
stderr and its exit code, in one place.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NO_MATCH = 1
    USAGE = 2
    INVALID_DATA = 3
    INTERNAL = 70
    IO_ERROR = 74  # sysexits' EX_IOERR: output could not be written (full disk, size limit, closed device)
    INTERRUPTED = 130


class LmcError(Exception):
    """An expected failure with a message for the user and an exit code."""

    code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(LmcError):
    code = ExitCode.USAGE


class NoMatch(LmcError):
    """Nothing answered; `suggestions` are near misses to offer on stderr."""

    code = ExitCode.NO_MATCH

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.suggestions = suggestions


class DataError(LmcError):
    """Invalid fact data: names the file, and the fact, field, line and column where known."""

    code = ExitCode.INVALID_DATA

    def __init__(
        self,
        problem: str,
        path: str | None = None,
        *,
        fact_id: str | None = None,
        field: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.problem = problem
        self.path = path
        self.fact_id = fact_id
        self.field = field
        self.line = line
        self.column = column
        super().__init__(self._format())

    def _format(self) -> str:
        where = self.path or "<facts>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.fact_id:
            parts.append(f"fact {self.fact_id!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return ": ".join(parts) + f": {self.problem}"


class OutputFailed(LmcError):
    """Output could not be written (stdout or --output): a full disk, a file-size limit, an I/O error."""

    code = ExitCode.IO_ERROR


class Interrupted(BaseException):
    """Raised from the signal handler (SIGINT, SIGTERM, SIGHUP); a BaseException so that no layer
    swallows it. `signum` is the signal, re-raised once lmc has cleaned up (app.py)."""

    def __init__(self, signum: int = 2) -> None:
        super().__init__(signum)
        self.signum = signum
