"""Text made safe for XML and HTML: escaped, with characters XML cannot hold made visible.

A fact pack is untrusted input, so every string that reaches an SVG or HTML file goes
through `text` (element content) or `attr` (a double-quoted attribute value).
"""

from __future__ import annotations

from lmc_cli.output.sanitise import UNSAFE, neutralise

__all__ = ["UNSAFE", "attr", "text", "visible"]


def visible(value: object) -> str:
    """The string with each unsafe character shown as an escape (`\\x1b`, `\\ufffe`): see sanitise.py."""
    return neutralise("" if value is None else str(value))


def text(value: object) -> str:
    """Element content: `&`, `<` and `>` escaped."""
    return visible(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: object) -> str:
    """A double-quoted attribute value: quotes escaped, and tab/newline kept as characters."""
    return (text(value).replace('"', "&quot;").replace("'", "&#39;")
            .replace("\t", "&#9;").replace("\n", "&#10;"))
