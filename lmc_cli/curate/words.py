"""The word lists of lmc draft (words.json beside this file), each entry with its reason there."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any


@functools.cache
def words() -> dict[str, Any]:
    return json.loads((Path(__file__).parent / "words.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def entries(name: str) -> dict[str, Any]:
    """One list of words.json without its `_about` note."""
    return {k: v for k, v in words()[name].items() if not k.startswith("_")}


def alternation(keys: list[str] | tuple[str, ...] | Any, *, escape: bool = True) -> str:
    """A regex alternation of `keys`, longest first (so 'more than' wins over 'more')."""
    import re

    ordered = sorted(keys, key=len, reverse=True)
    return "|".join(re.escape(k) if escape else k for k in ordered)
