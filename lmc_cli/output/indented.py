"""JSON indented by two, as `json.dumps(value, indent=2)` writes it, made safe to show.

`json.dumps` with an indent runs the standard library's pure-Python encoder (its C encoder
only writes unindented JSON): about 80 us a fact record. This writes the same text with the C
string encoders and one function call per container, and escapes what json leaves raw (DEL,
C1 controls, bidi marks: output.sanitise.UNSAFE) string by string, which is the same as
escaping the whole text since those characters only occur inside strings. Anything unusual
(a key that is not a string, a value json would pass to `default`) is left to `json.dumps`.
"""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

from lmc_cli.output.sanitise import substitute

INFINITY = float("inf")


class _Unusual(Exception):
    """A value this encoder leaves to json.dumps."""


def json_escape(found: re.Match[str]) -> str:
    """An unsafe character as a JSON escape (a pair of surrogates above the BMP)."""
    code = ord(found.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_safe(text: str) -> str:
    """Escape what json.dumps leaves raw (DEL, C1 controls, bidi overrides) as \\uXXXX."""
    return substitute(json_escape, text)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == INFINITY:
        return "Infinity"
    if value == -INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def dumps(value: Any, ensure_ascii: bool) -> str:
    """`json_safe(json.dumps(value, ensure_ascii=ensure_ascii, indent=2))`, faster."""
    encode = encode_basestring_ascii if ensure_ascii else encode_basestring

    def text(item: str) -> str:
        found: str = encode(item)
        if not found.isascii() or "\x7f" in found:
            found = substitute(json_escape, found)
        return found

    def write(item: Any, indent: str) -> str:
        if isinstance(item, str):
            return text(item)
        if item is None:
            return "null"
        if item is True:
            return "true"
        if item is False:
            return "false"
        if isinstance(item, int):
            return int.__repr__(item)
        if isinstance(item, float):
            return _float(item)
        inner = indent + "  "
        if isinstance(item, dict):
            if not item:
                return "{}"
            parts = []
            for key, member in item.items():
                if not isinstance(key, str):
                    raise _Unusual
                parts.append(f"{text(key)}: {write(member, inner)}")
            return "{" + inner + ("," + inner).join(parts) + indent + "}"
        if isinstance(item, (list, tuple)):
            if not item:
                return "[]"
            return "[" + inner + ("," + inner).join([write(member, inner) for member in item]) + indent + "]"
        raise _Unusual

    try:
        return write(value, "\n")
    except (_Unusual, RecursionError):
        return json_safe(json.dumps(value, ensure_ascii=ensure_ascii, indent=2))
