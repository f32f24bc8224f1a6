"""What the search and the packs' cache share, without the matcher: a fact's kind as the index
keeps it, the idf, and the error of an index whose storage failed.

Here rather than in rank.py so that the cache (match/indexdb.py) serves `timeline`, `list`,
`show` and `sources` without importing the ranking, the query analysis and rapidfuzz (about
25 ms of a warm start-up); rank.py offers the same names.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from lmc_cli.model import Fact

MENTIONS_TIME = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"\d{4}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


class FactKind(NamedTuple):
    """What type_weight needs of a fact: an index can keep these without keeping the fact."""

    id: str
    table: str
    has_value: bool
    dated: bool
    mentions_time: bool
    has_place: bool
    has_role: bool


def fact_kind(fact: Fact) -> FactKind:
    return FactKind(
        fact.id, fact.table, fact.value is not None, fact.effective_date is not None,
        MENTIONS_TIME.search(fact.text) is not None, bool(fact.place), bool(fact.role or fact.speaker),
    )


class IndexUnreadable(Exception):
    """A SearchIndex whose storage failed mid-search: search again in memory."""


def idf_of(df: int, size: int) -> float:
    return math.log(1.0 + size / (df or 0.5))
