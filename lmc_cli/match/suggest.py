"""Near names for "did you mean": ids (and other names) close to what was typed."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process


def near_names(typed: str, names: Iterable[str], *, limit: int = 3, cutoff: float = 60) -> tuple[str, ...]:
    """The names closest to `typed`, best first (rapidfuzz's WRatio, at least `cutoff`)."""
    found = process.extract(typed, list(names), scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff)
    return tuple(name for name, _, _ in found)
