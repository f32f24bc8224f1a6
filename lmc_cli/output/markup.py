"""Text made safe for XML and HTML: escaped, with characters XML cannot hold made visible.

A fact pack is untrusted input, so every string that reaches an SVG or HTML file goes
through `text` (element content) or `attr` (a double-quoted attribute value).
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL and C1 controls, bidi overrides and isolates, lone
# surrogates and the noncharacters (U+FDD0-FDEF, U+xFFFE/U+xFFFF), which XML 1.0 forbids
# or which would reorder or hide the text around them.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0010fffe\U0010ffff]"
)


def visible(value: object) -> str:
    """The string with each unsafe character shown as an escape (`\\x1b`, `\\ufffe`)."""
    return UNSAFE.sub(_escape_char, "" if value is None else str(value))


def _escape_char(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def text(value: object) -> str:
    """Element content: `&`, `<` and `>` escaped."""
    return visible(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: object) -> str:
    """A double-quoted attribute value: quotes escaped, and tab/newline kept as characters."""
    return (text(value).replace('"', "&quot;").replace("'", "&#39;")
            .replace("\t", "&#9;").replace("\n", "&#10;"))
