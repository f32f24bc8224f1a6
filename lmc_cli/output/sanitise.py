"""The one sanitiser: text from a fact pack made harmless for whatever shows it.

A fact pack is untrusted input. Every string lmc writes to a terminal, a shell (completion
values), an XML or HTML file, or a CSV/TSV cell goes through one of these functions, and
they all rest on one definition of an unsafe character (`UNSAFE`, from the field rules in
load/rules.py, which keep the same characters out of names):

- C0 controls but tab and newline, DEL and the C1 controls (they drive terminals: ESC, BEL,
  CSI U+009B);
- bidi marks, overrides and isolates (they reorder the text around them);
- lone surrogates (a file name that is not UTF-8) and the noncharacters U+FDD0-U+FDEF and
  U+xFFFE/U+xFFFF of every plane (XML 1.0 forbids them).

`neutralise` shows each as an escape (`\\x1b`, `\\u202e`), so the text stays readable and
nothing is lost; tab and newline are kept for tables and cards. `one_line` also shows tab,
newline and the line separators as escapes, for messages that must be one line;
`completion_value` drops them, for values a shell inserts and evaluates.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lmc_cli.lazy import LazyPatterns
from lmc_cli.load.rules import LINE_BREAKS, UNSAFE_CHARACTERS

# Compiled on first use (the unsafe set spans every plane, slow to compile): sanitise.UNSAFE,
# UNSAFE_IN_LINE, and SHELL_SYNTAX: the characters a shell takes as syntax if a completion is
# inserted unquoted (bash inserts COMPREPLY as is), or that escape a quote inside the word list
# Typer's zsh script evaluates.
#
# The noncharacters above U+FFFF are single characters of the set (never a range's end): `re`
# tests a character against a class holding any of them range by range, some 20 times slower
# over a long text than against a class of the Basic Multilingual Plane alone (a table lookup).
# substitute() uses the BMP class, and the astral one only on a text that holds one of them.
ASTRAL_UNSAFE = "".join(c for c in UNSAFE_CHARACTERS if ord(c) > 0xFFFF)
_BMP_UNSAFE = "".join(c for c in UNSAFE_CHARACTERS if ord(c) <= 0xFFFF)
PATTERNS = LazyPatterns(
    __name__,
    UNSAFE=f"[{UNSAFE_CHARACTERS}]",
    UNSAFE_IN_LINE=f"[{UNSAFE_CHARACTERS}{LINE_BREAKS}]",
    SHELL_SYNTAX=r"""['"`$\\!;&|<>(){}\[\]*?#~=:^]""",
    BMP_UNSAFE=f"[{_BMP_UNSAFE}]",
    BMP_UNSAFE_IN_LINE=f"[{_BMP_UNSAFE}{LINE_BREAKS}]",
    ASTRAL_UNSAFE=f"[{ASTRAL_UNSAFE}]",
)


def __getattr__(name: str) -> re.Pattern[str]:
    return PATTERNS.module_attribute(name)

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def substitute(replace: str | Callable[[re.Match[str]], str], text: str, *, in_line: bool = False) -> str:
    """UNSAFE.sub(replace, text) (UNSAFE_IN_LINE's with in_line), the same text, faster (see PATTERNS).
    `replace` must give no unsafe character (an escape, a space)."""
    text = (PATTERNS.BMP_UNSAFE_IN_LINE if in_line else PATTERNS.BMP_UNSAFE).sub(replace, text)
    if any(c in text for c in ASTRAL_UNSAFE):  # instant for a text with no character past U+FFFF
        text = PATTERNS.ASTRAL_UNSAFE.sub(replace, text)
    return text


def escape_char(code: int) -> str:
    """One character as a visible escape: `\\x1b`, `\\u202e`, `\\U0010ffff`."""
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _escape(found: re.Match[str]) -> str:
    return escape_char(ord(found.group()))


def _escape_named(found: re.Match[str]) -> str:
    char = found.group()
    return _NAMED.get(char) or escape_char(ord(char))


def neutralise(text: str) -> str:
    """Make unsafe characters visible (`\\x1b`) so that fact text cannot drive a terminal or break XML."""
    return substitute(_escape, text)


def one_line(text: str) -> str:
    """`neutralise`, and newlines and tabs shown as `\\n` and `\\t`: a message that is one line, always."""
    return substitute(_escape_named, text, in_line=True)


def completion_value(text: str) -> str:
    """A value for shell completion: unsafe characters, line breaks and shell syntax dropped,
    whitespace collapsed. Never contains a backslash, a quote or a control or bidi character."""
    cleaned = substitute(" ", text, in_line=True)
    return " ".join(PATTERNS.SHELL_SYNTAX.sub("", cleaned).split())


def is_safe_name(text: str) -> bool:
    """True when `text` completes as itself (ids and table names): nothing to drop or escape."""
    return bool(text) and completion_value(text) == text
