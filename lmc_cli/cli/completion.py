"""Values for shell completion: meeting names, figure names, fact ids, table names.

Called on every Tab, so it must not be felt: it reads only the fact files (through store's
per-file JSON cache, so warm completion parses no TOML), skips sources.toml and the
cross-fact checks, never imports Rich or rapidfuzz, and never fails: a broken pack simply
completes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

from lmc_cli.model import Fact, answerable
from lmc_cli.output.sanitise import completion_value, is_safe_name


def load_facts(fact_dirs: Sequence[Path], bundled: bool, drafts: bool = False) -> list[Fact]:
    """Facts of the packs lmc would load (drafts only with `drafts`), without documents or cross-checks."""
    from lmc_cli.errors import DataError
    from lmc_cli.load.cache import load_fact_file
    from lmc_cli.load.packs import bundled_dir, env_fact_dirs, pack_files
    from lmc_cli.load.parse import SOURCES_FILE

    directories = ([bundled_dir()] if bundled else []) + [*env_fact_dirs(), *fact_dirs]
    facts: list[Fact] = []
    for number, directory in enumerate(directories):
        try:
            files = pack_files(directory)
        except (DataError, OSError):
            continue
        for path in files:
            if path.name == SOURCES_FILE:
                continue
            try:
                facts.extend(load_fact_file(path, "bundled" if bundled and number == 0 else directory.name))
            except (DataError, OSError, ValueError, RecursionError):
                continue
    return answerable(facts, drafts)


class IdTable(NamedTuple):
    id: str
    table: str


class Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def table(self) -> str: ...


def cached_names(fact_dirs: Sequence[Path], bundled: bool, drafts: bool = False) -> list[IdTable] | None:
    """Ids and tables from the packs' cache (lmc_cli.match.indexdb), reading no fact: with user packs,
    without --drafts, and only when no pack is broken (load_facts completes a broken pack's good files)."""
    from lmc_cli.load.packs import env_fact_dirs

    extra = [*env_fact_dirs(), *fact_dirs]
    if not extra or drafts:
        return None
    from lmc_cli.match.indexdb import corpus_index

    cached = corpus_index(extra, bundled)
    if cached is None or cached.problems:
        return None
    return [IdTable(i, t) for i, t in zip(cached.ids(), cached.table_of, strict=True)]


def names(facts: Iterable[Fact], table: str, extra: Sequence[str] = ()) -> list[str]:
    """Titles and aliases of one table's facts, then the `extra` fields (place, measure, keywords)."""
    chosen = [f for f in facts if f.table == table]
    found = [f.title for f in chosen] + [a for f in chosen for a in f.aliases]
    for name in extra:
        for fact in chosen:
            value = getattr(fact, name)
            found.extend(value if isinstance(value, tuple) else [value] if value else [])
    return found


def shell_safe(text: str) -> str:
    """A value as Tab may insert it: no shell syntax, backslash, control or bidi character
    (dropping them leaves a query that still finds the fact); see output/sanitise.py."""
    return completion_value(text)


def complete_words(candidates: Iterable[str], previous: Sequence[str], incomplete: str) -> list[str]:
    """Candidates that continue the words typed so far, as the rest to insert from the current word.

    `lmc meeting first lmc le<Tab>` offers "Leaders Meeting ..."; matching ignores case, and
    the part already typed keeps the case it was typed in (shells and Typer keep only values
    that start with the current word exactly).
    """
    typed = [w.casefold() for w in previous]
    current = incomplete.casefold()
    found: list[str] = []
    for candidate in candidates:
        words = shell_safe(candidate).split()
        folded = [w.casefold() for w in words]
        if len(words) > len(typed) and folded[:len(typed)] == typed and folded[len(typed)].startswith(current):
            rest = " ".join(words[len(typed):])
            found.append(incomplete + rest[len(incomplete):] if rest[:len(incomplete)].casefold() == current
                         else rest)
    return list(dict.fromkeys(found))


def complete_ids(facts: Iterable[Named], incomplete: str) -> list[str]:
    """Ids that continue `incomplete`; a value that is not a safe name (a cache or pack that
    slipped past validation) is left out rather than changed into another id."""
    return sorted(f.id for f in facts if f.id.startswith(incomplete.casefold()) and is_safe_name(f.id))


def complete_tables(facts: Iterable[Named], incomplete: str) -> list[str]:
    return sorted({f.table for f in facts if f.table.startswith(incomplete.casefold()) and is_safe_name(f.table)})
