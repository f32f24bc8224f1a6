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

from lmc_cli.lazy import LazyPatterns
from lmc_cli.load.rules import LINE_BREAKS, UNSAFE_CHARACTERS

# Compiled on first use (the unsafe set spans every plane, slow to compile): sanitise.UNSAFE,
# UNSAFE_IN_LINE, and SHELL_SYNTAX: the characters a shell takes as syntax if a completion is
# inserted unquoted (bash inserts COMPREPLY as is), or that escape a quote inside the word list
# Typer's zsh script evaluates.
PATTERNS = LazyPatterns(
    __name__,
    UNSAFE=f"[{UNSAFE_CHARACTERS}]",
    UNSAFE_IN_LINE=f"[{UNSAFE_CHARACTERS}{LINE_BREAKS}]",
    SHELL_SYNTAX=r"""['"`$\\!;&|<>(){}\[\]*?#~=:^]""",
)


def __getattr__(name: str) -> re.Pattern[str]:
    return PATTERNS.module_attribute(name)

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


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
    return PATTERNS.UNSAFE.sub(_escape, text)


def one_line(text: str) -> str:
    """`neutralise`, and newlines and tabs shown as `\\n` and `\\t`: a message that is one line, always."""
    return PATTERNS.UNSAFE_IN_LINE.sub(_escape_named, text)


def completion_value(text: str) -> str:
    """A value for shell completion: unsafe characters, line breaks and shell syntax dropped,
    whitespace collapsed. Never contains a backslash, a quote or a control or bidi character."""
    cleaned = PATTERNS.UNSAFE_IN_LINE.sub(" ", text)
    return " ".join(PATTERNS.SHELL_SYNTAX.sub("", cleaned).split())


def is_safe_name(text: str) -> bool:
    """True when `text` completes as itself (ids and table names): nothing to drop or escape."""
    return bool(text) and completion_value(text) == text
