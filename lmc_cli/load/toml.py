"""Reading one TOML file safely: size bound, UTF-8, the dotted-key guard, errors that name the file."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from lmc_cli.errors import DataError
from lmc_cli.lazy import LazyPatterns
from lmc_cli.load import files
from lmc_cli.load.files import MAX_FILE_BYTES

# tomllib takes time quadratic in the number of parts of a dotted key (20,000 parts: seconds);
# fact files need two or three, so a key of more parts is refused before parsing.
MAX_KEY_PARTS = 32


# A key part: bare (starting at a word start, so a search is linear), or a basic or literal string.
_KEY_PART = r"""(?:(?<![A-Za-z0-9_-])[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""


# Searched anywhere in the file, not only at the start of a line: inside an inline table
# (`x = {a.a.a... = 1}`), an array, or on a continuation line.
# Both compiled on first use (a warm run parses no TOML): toml.TOML_POSITION, toml.LONG_DOTTED_KEY.
PATTERNS = LazyPatterns(
    __name__,
    TOML_POSITION=r"\(at line (\d+), column (\d+)\)",
    LONG_DOTTED_KEY=rf"{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART}){{{MAX_KEY_PARTS}}}",
)


def __getattr__(name: str) -> re.Pattern[str]:
    return PATTERNS.module_attribute(name)


def read_toml(path: Path, *, follow_links: bool = True) -> dict[str, Any]:
    """Parse one TOML file, turning every way it can fail into a DataError naming it.

    Only a regular file of at most MAX_FILE_BYTES is read (load/files.py); a pack's files are
    read with follow_links=False, as list_pack resolved them.
    """
    return parse_toml(files.read_regular(path, MAX_FILE_BYTES, follow_links=follow_links), path)


def parse_toml(raw: bytes, path: Path) -> dict[str, Any]:
    """The bytes of one TOML file, parsed (read_toml's checks past reading); errors name `path`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 (byte {exc.start})", str(path)) from None
    return parse_toml_text(text, path)


def parse_toml_text(text: str, path: Path) -> dict[str, Any]:
    """Parse the text of a TOML file (named `path` in errors) with the same guards as read_toml."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DataError("file is empty", str(path))
    line = _long_dotted_key(text)
    if line:
        raise DataError(f"a dotted key of more than {MAX_KEY_PARTS} parts", str(path), line=line, column=1)
    # Imported here: a warm cache parses no TOML, so start-up need not pay for the parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = PATTERNS.TOML_POSITION.search(message)
        problem = PATTERNS.TOML_POSITION.sub("", message).strip() or "invalid TOML"
        if position:
            raise DataError(
                f"invalid TOML: {problem}", str(path),
                line=int(position.group(1)), column=int(position.group(2)),
            ) from None
        raise DataError(f"invalid TOML: {problem}", str(path)) from None
    except RecursionError:
        raise DataError("invalid TOML: nested too deeply", str(path)) from None
    except ValueError as exc:  # an integer of over 4,300 digits, and the like
        raise DataError(f"invalid TOML: {exc}", str(path)) from None


def _long_dotted_key(text: str) -> int | None:
    """The line of the first dotted key of more than MAX_KEY_PARTS parts, wherever it is, if any."""
    if text.count(".") < MAX_KEY_PARTS:
        return None
    # A match never spans a line (no part, nor the blanks around a dot, holds a newline), so only
    # the lines with enough dots are searched: the same first match, ten times faster on a pack.
    for number, line in enumerate(text.split("\n"), 1):
        if line.count(".") >= MAX_KEY_PARTS and PATTERNS.LONG_DOTTED_KEY.search(line):
            return number
    return None
