"""The field rules of fact files: one definition for `lmc validate`, loading and the JSON Schema.

Each rule is a pattern (or a numeric range) written so that Python's `re` and the ECMA regex
engines of editors agree on it: explicit character classes (`[0-9]`, never `\\d`; whitespace
listed, never `\\s`) and `(?![\\s\\S])` for "end of text" (`$` also matches before a final
newline in Python). lmc_cli/schema/facts.schema.json uses these exact patterns and bounds;
tests/test_rules_agree.py generates values and checks that the schema and the validator
accept and refuse the same ones.

What a schema cannot say is checked by the loader alone, and listed in CROSS_FIELD_RULES.
"""

from __future__ import annotations

import re
import sys

from lmc_cli.lazy import LazyPatterns

_NONCHARACTERS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
# Characters no output may carry raw (output/sanitise.py makes them visible) and no name may hold:
# C0 controls but tab and newline, DEL and C1 controls, bidi marks, overrides and isolates, lone
# surrogates (a name that was not UTF-8) and the noncharacters, which XML 1.0 forbids.
UNSAFE_CHARACTERS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef"
    + _NONCHARACTERS
)
# Line breaks of every kind, and tab: what a one-line message shows as an escape.
LINE_BREAKS = "\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"

END = r"(?![\s\S])"
# Every character Python or ECMA-262 counts as white space or a line terminator.
WHITESPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

# A fact id, a speaker, a related id: a lowercase slug.
SLUG = r"^[a-z0-9][a-z0-9-]*" + END
# A table (the file-level `table` and a fact's own): a slug that may also hold `_`.
TABLE = r"^[a-z0-9][a-z0-9_-]*" + END
# A document id: letters, digits, `.`, `_`, `-`; never `:`, which joins a pack and an id in a label.
DOCUMENT_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*" + END
# Free text (titles, sentences, quotes, names): anything with one character that is not white space.
# Control and bidi characters are allowed here and made visible on output (output/sanitise.py).
TEXT = f"[^{WHITESPACE}]"
# A name that is shown on one line and used as a path (a document's `file`): text without control,
# bidi or noncharacters and without line breaks.
NAME = f"^(?=[\\s\\S]*[^{WHITESPACE}])[^{UNSAFE_CHARACTERS}{LINE_BREAKS}]+" + END
# YYYY, YYYY-MM or YYYY-MM-DD on a real day of the proleptic Gregorian calendar, ASCII digits only.
_DAY = ("(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        "|02-(?:0[1-9]|1[0-9]|2[0-8]))")
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[048]|[2468][048]|[13579][26])00)"
DATE = (f"^(?:[0-9]{{4}}(?:-(?:0[1-9]|1[0-2]))?|[0-9]{{4}}-{_DAY}|{_LEAP_YEAR}-02-29)" + END)
# A SHA-256 as hex.
SHA256 = r"^[0-9a-fA-F]{64}" + END

# Numbers: finite, and small enough for a float (value) or a SQLite INTEGER (ordinal).
MAX_VALUE = sys.float_info.max
MAX_ORDINAL = 2**63 - 1

# Fields that are true or false, and what true means.
BOOLEAN_FIELDS = {
    "draft": "a stub written by lmc draft and not yet checked by a curator: never answered without --drafts, "
             "reported by lmc validate until the mark is removed",
}
# The coverage ignore file of a pack (docs/fact-format.md, "Coverage"): sentences of the pack's
# documents judged to carry no fact, each with its reason. Never a fact file: the loader, the
# index and completion skip it (load.packs.pack_files); `lmc validate` checks its own shape.
IGNORE_FILE = "coverage-ignore.toml"
IGNORE_FIELDS = frozenset({"doc", "sentence", "reason"})
# At most this share of a pack's checkable sentences may be ignored (`lmc coverage` refuses more):
# the list stays short enough for a second reader to review every entry.
MAX_IGNORED_SHARE = 0.10

CROSS_FIELD_RULES = (
    "date_end needs a date, and is not before it",
    "value_min is not above value_max",
    "ids are unique across every loaded pack; related and speaker name existing ids",
    "aliases do not collide (after case folding)",
    "sources.doc names a document of the pack or of the bundled pack",
    "coverage-ignore.toml: each doc names a document of its pack, each sentence once; at most "
    "MAX_IGNORED_SHARE of the pack's checkable sentences (lmc coverage)",
)

# Compiled on first use (a warm run reads facts from the cache and checks none of these):
# rules.SLUG_RE, TABLE_RE, DOCUMENT_ID_RE, TEXT_RE, NAME_RE, DATE_RE, SHA256_RE.
PATTERNS = LazyPatterns(__name__, SLUG_RE=SLUG, TABLE_RE=TABLE, DOCUMENT_ID_RE=DOCUMENT_ID, TEXT_RE=TEXT, NAME_RE=NAME,
                        DATE_RE=DATE, SHA256_RE=SHA256)


def __getattr__(name: str) -> re.Pattern[str]:
    return PATTERNS.module_attribute(name)


def is_text(value: object) -> bool:
    return isinstance(value, str) and PATTERNS.TEXT_RE.search(value) is not None


def matches(pattern: re.Pattern[str], value: object) -> bool:
    return isinstance(value, str) and pattern.search(value) is not None


def is_boolean(value: object) -> bool:
    return isinstance(value, bool)


def is_number(value: object) -> bool:
    """A finite int or float that a float can hold (booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return -MAX_VALUE <= value <= MAX_VALUE  # false for NaN and the infinities


def ignore_limit(checkable: int) -> int:
    """How many of `checkable` sentences an ignore file may list: MAX_IGNORED_SHARE of them, rounded down."""
    return int(checkable * MAX_IGNORED_SHARE + 1e-9)


def is_ordinal(value: object) -> bool:
    """A whole number from 1 to MAX_ORDINAL; `2.0` counts, as it does in JSON (store it as int(value))."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return (isinstance(value, int) or value.is_integer()) and 1 <= value <= MAX_ORDINAL
