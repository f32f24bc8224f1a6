"""What every match of a regular expression must contain: a few literal strings, one of which
is in any text the expression matches (so a text with none of them is not searched at all).

Read from the expression's parse tree (the `re` module's own parser); anything this does not
understand (flags, classes, unbounded repeats of a group, back-references) gives no literals,
and the expression is then always run.
"""

from __future__ import annotations

import importlib
import itertools
import re
from typing import Any

try:
    _parser: Any = importlib.import_module("re._parser")  # Python 3.11 and later
    _c: Any = importlib.import_module("re._constants")
except ImportError:  # Python 3.10
    _parser = importlib.import_module("sre_parse")
    _c = importlib.import_module("sre_constants")

MOST = 64  # strings an exact set may hold


def _exact(items: Any) -> set[str] | None:
    """Every string a sequence of parsed items can match, if there are at most MOST; else None."""
    found = {""}
    for item in items:
        part = _exact_item(item)
        if part is None:
            return None
        found = {a + b for a in found for b in part}
        if len(found) > MOST:
            return None
    return found


def _exact_item(item: tuple[Any, Any]) -> set[str] | None:
    op, av = item
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.IN:
        if all(o is _c.LITERAL for o, _ in av) and len(av) <= MOST:
            return {chr(a) for _, a in av}
        return None
    if op is _c.AT or op in (_c.ASSERT, _c.ASSERT_NOT):
        return {""}  # zero-width: no character of the match
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, inner = av
        return _exact(inner) if not add_flags and not del_flags else None
    if op is _c.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            part = _exact(alternative)
            if part is None:
                return None
            union |= part
        return union if len(union) <= MOST else None
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        low, high, inner = av
        part = _exact(inner)
        if part is None or high > 4:
            return None
        found: set[str] = set()
        for count in range(low, high + 1):
            found |= {"".join(p) for p in itertools.product(sorted(part), repeat=count)}
            if len(found) > MOST:
                return None
        return found
    return None


def _required(items: Any) -> set[str] | None:
    """Strings one of which is in any match of a sequence of parsed items (none empty), or None."""
    candidates: list[set[str]] = []
    run: set[str] = {""}
    for item in list(items) + [None]:
        part = None if item is None else _exact_item(item)
        if part is not None and len({a + b for a in run for b in part}) <= MOST:
            run = {a + b for a in run for b in part}
            continue
        if "" not in run:
            candidates.append(run)
        run = {""} if part is None else part
        if item is not None and part is None:
            op, av = item
            inner = None
            if op is _c.SUBPATTERN and not av[1] and not av[2]:
                inner = _required(av[3])
            elif op is _c.BRANCH:
                parts = [_required(alternative) for alternative in av[1]]
                inner = set().union(*parts) if all(p is not None for p in parts) else None  # type: ignore[arg-type]
            elif op is _c.MAX_REPEAT or op is _c.MIN_REPEAT:
                inner = _required(av[2]) if av[0] >= 1 else None
            if inner:
                candidates.append(inner)
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(len(s) for s in c), -len(c)))


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literal strings one of which every match of `pattern` contains, or None if none are known
    (the pattern must then be run on every text)."""
    if pattern.flags & (re.IGNORECASE | re.LOCALE | re.VERBOSE):
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except (re.error, TypeError, ValueError, AttributeError, IndexError):
        return None
    if parsed.state.flags & (re.IGNORECASE | re.LOCALE):
        return None
    found = _required(list(parsed))
    if not found:
        return None
    # A string that contains another of the set adds nothing: "fm" covers "fms".
    kept = sorted((s for s in found if not any(o != s and o in s for o in found)), key=lambda s: (len(s), s))
    return tuple(kept)
