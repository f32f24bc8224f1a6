"""The cross-pack checks of the packs' cache, rerun only around the fact files that changed.

After fact files change, the checks of indexdb.compute_state (ids unique, `related` and `speaker`
naming an id of the same or an earlier pack, aliases that do not collide, citations of a
document of the pack or of the bundled pack) can only find a new problem that involves a fact of
a changed file: one of its facts, or a fact that refers to an id the file held or holds. Three
tables say, for every fact file, the ids it defines, the ids its facts refer to and the hashes
of its facts' aliases; they are replaced with the file's other rows, in the same transaction.
`incremental` reads only their rows for those ids and aliases, and gives the new disputes and
citation counts when the corpus had no problem before and has none now. In every other case (a
problem, or what might be one: an alias hash shared with another fact) it gives None and the
caller reruns the whole checks, which also say which problem comes first; a row that fails its
checksum raises Damaged.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from lmc_cli.match.rowcrc import crc
from lmc_cli.match.text import fold

SCHEMA = """
CREATE TABLE check_ids(id TEXT NOT NULL, fid INTEGER NOT NULL, n INTEGER NOT NULL, crc INTEGER NOT NULL,
    PRIMARY KEY(id, fid, n)) WITHOUT ROWID;
CREATE TABLE check_refs(target TEXT NOT NULL, fid INTEGER NOT NULL, n INTEGER NOT NULL, src TEXT NOT NULL,
    disputes INTEGER NOT NULL, crc INTEGER NOT NULL, PRIMARY KEY(target, fid, n)) WITHOUT ROWID;
CREATE TABLE check_aliases(key INTEGER NOT NULL, fid INTEGER NOT NULL, n INTEGER NOT NULL, crc INTEGER NOT NULL,
    PRIMARY KEY(key, fid, n)) WITHOUT ROWID;
"""
TABLES = ("check_ids", "check_refs", "check_aliases")

# An entry of a file's `checks` (indexdb.store_file): what the checks read of one parsed fact.
Entry = Sequence[Any]  # [id, related, speaker, aliases, docs, table, draft]


class Damaged(Exception):
    """A row of the check tables failed its checksum."""


class Side(NamedTuple):
    """One version of a changed fact file: its row's fid, its pack's name, its entries."""

    fid: int
    pack: str
    entries: Sequence[Entry]


def alias_key(alias: str) -> int:
    """An alias as the checks compare it (folded, stripped), hashed to 64 bits: a shared hash is
    only a possible collision, which the whole checks then decide."""
    raw = fold(alias).strip().encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big", signed=True)


def references(entry: Entry) -> list[str]:
    """The ids a fact names (`related`, then `speaker`), each of which must exist."""
    _, related, speaker = entry[:3]
    return [*related, speaker] if speaker else list(related)


CheckRows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def check_rows(fid: int, entries: Sequence[Entry]) -> CheckRows:
    """The rows of a fact file in the three tables, checksummed (no database: a build worker's part)."""
    ids = []
    refs: dict[tuple[str, int], list[Any]] = {}
    aliases: set[tuple[int, int]] = set()
    for n, entry in enumerate(entries):
        fact_id, related, _, names, _, table, draft = entry
        ids.append((fact_id, fid, n, crc(fact_id, fid, n)))
        for target in references(entry):
            refs.setdefault((target, n), [fact_id, 0])
        if table == "conflicts" and not draft:
            for target in related:  # each time it is named: packs.mark_disputes appends each time
                refs[(target, n)][1] += 1
        aliases.update((alias_key(name), n) for name in names)
    return (ids, [(target, fid, n, src, times, crc(target, fid, n, src, times))
                  for (target, n), (src, times) in refs.items()],
            [(key, fid, n, crc(key, fid, n)) for key, n in sorted(aliases)])


def insert_checks(connection: sqlite3.Connection, rows: CheckRows) -> None:
    ids, refs, aliases = rows
    connection.executemany("INSERT INTO check_ids VALUES (?, ?, ?, ?)", ids)
    connection.executemany("INSERT INTO check_refs VALUES (?, ?, ?, ?, ?, ?)", refs)
    connection.executemany("INSERT INTO check_aliases VALUES (?, ?, ?, ?)", aliases)


def store_checks(connection: sqlite3.Connection, fid: int, entries: Sequence[Entry]) -> None:
    """The check rows of a fact file (the caller holds the write transaction)."""
    insert_checks(connection, check_rows(fid, entries))


def delete_checks(connection: sqlite3.Connection, fid: int) -> None:
    for table in TABLES:
        connection.execute(f"DELETE FROM {table} WHERE fid = ?", (fid,))


def rebuild_checks(connection: sqlite3.Connection, files: Sequence[tuple[int, Sequence[Entry]]]) -> None:
    """Every fact file's check rows written again (after a damaged one)."""
    for table in TABLES:
        connection.execute(f"DELETE FROM {table}")
    for fid, entries in files:
        store_checks(connection, fid, entries)


class Lookup:
    """The check tables' rows, read as needed and checked."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self._ids: dict[str, list[tuple[int, int]]] = {}

    def ids(self, fact_id: str) -> list[tuple[int, int]]:
        """(fid, n) of every fact with this id."""
        found = self._ids.get(fact_id)
        if found is None:
            found = []
            for fid, n, checksum in self.connection.execute("SELECT fid, n, crc FROM check_ids WHERE id = ?",
                                                            (fact_id,)):
                if checksum != crc(fact_id, fid, n):
                    raise Damaged(fact_id)
                found.append((fid, n))
            self._ids[fact_id] = found
        return found

    def referrers(self, target: str) -> list[tuple[int, int, str, int]]:
        """(fid, n, id, times named as disputed) of every fact that names `target`."""
        found = []
        for fid, n, src, times, checksum in self.connection.execute(
                "SELECT fid, n, src, disputes, crc FROM check_refs WHERE target = ?", (target,)):
            if checksum != crc(target, fid, n, src, times):
                raise Damaged(target)
            found.append((fid, n, src, times))
        return found

    def aliases(self, key: int) -> list[tuple[int, int]]:
        found = []
        for fid, n, checksum in self.connection.execute("SELECT fid, n, crc FROM check_aliases WHERE key = ?",
                                                        (key,)):
            if checksum != crc(key, fid, n):
                raise Damaged(str(key))
            found.append((fid, n))
        return found


def incremental(connection: sqlite3.Connection, state: Mapping[str, Any],
                changes: Sequence[tuple[Side | None, Side | None]], order: Mapping[int, tuple[int, int]],
                bundled: bool) -> tuple[dict[str, list[str]], dict[str, int]] | None:
    """The disputes and citation counts after `changes` (each fact file's old and new version,
    None for one added or removed), or None unless the checks would find no problem.

    `state` is compute_state's outcome before the change, with no problem; `order` gives every
    live fact file's fid (the changed ones' new fids) its pack's number and its place in the
    corpus. The caller has made sure no pack, no sources.toml and no file's parse changed."""
    own = {name: frozenset(ids) for name, ids in state["own"].items()}
    bundled_docs = own.get("bundled", frozenset()) if bundled else frozenset()
    lookup = Lookup(connection)

    def resolves(target: str, number: int) -> bool:
        """Exactly one fact has the id `target`, in pack `number` or an earlier one."""
        where = lookup.ids(target)
        return len(where) == 1 and where[0][0] in order and order[where[0][0]][0] <= number

    touched: set[str] = set()
    for old, new in changes:
        if old is not None:
            touched.update(entry[0] for entry in old.entries)
        if new is None:
            continue
        if new.fid not in order or new.pack not in own:
            return None
        number = order[new.fid][0]
        citable = own[new.pack] | bundled_docs if number > 0 else own[new.pack]
        for n, entry in enumerate(new.entries):
            fact_id = entry[0]
            touched.add(fact_id)
            if lookup.ids(fact_id) != [(new.fid, n)] or not citable.issuperset(entry[4]):
                return None
            if not all(resolves(target, number) for target in references(entry)):
                return None
            for name in entry[3]:
                if any(where != (new.fid, n) for where in lookup.aliases(alias_key(name))):
                    return None
    for fact_id in touched:  # the facts that name an id a changed file held or holds
        for fid, _, _, _ in lookup.referrers(fact_id):
            if fid not in order or not resolves(fact_id, order[fid][0]):
                return None

    counts = dict(state["counts"])
    disputed: set[str] = set()
    for side, sign in ((side, sign) for old, new in changes for side, sign in ((old, -1), (new, 1))):
        if side is None:
            continue
        for entry in side.entries:
            if entry[6]:
                continue  # a draft: no dispute, no citation counted (compute_state)
            if entry[5] == "conflicts":
                disputed.update(entry[1])
            docs = own.get(side.pack, frozenset())
            for label in {doc if side.pack == "bundled" or doc not in docs else f"{side.pack}:{doc}"
                          for doc in entry[4]}:
                counts[label] = counts.get(label, 0) + sign
    if any(count < 0 for count in counts.values()):
        return None
    disputes = {target: list(ids) for target, ids in state["disputes"].items()}
    for target in disputed:
        found = sorted((order[fid][1], n, src, times) for fid, n, src, times in lookup.referrers(target)
                       if times and fid in order)
        by = [src for _, _, src, times in found for _ in range(times)]
        if by:
            disputes[target] = by
        else:
            disputes.pop(target, None)
    return disputes, {label: count for label, count in counts.items() if count}
