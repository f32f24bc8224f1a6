"""The search index of a whole set of packs, cached in one SQLite file (part of the store).

A warm search with user packs reads only what the query needs: the postings of its terms,
their document frequencies, a byte of table and a byte of kind flags per fact, and the
full records of the facts it shows. The file is keyed by every fact file's cache key (path,
size, mtime_ns, inode, pack name, lmc's version) and by the code that derives its contents,
and also holds the outcome of the cross-pack checks, so warnings about a broken pack still
print. It is written to a temporary file and renamed into place; a missing, stale, corrupt
or unreadable file is rebuilt or bypassed, never fatal.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import sqlite3
import sys
from array import array
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from lmc_cli import model, tempfiles
from lmc_cli.errors import DataError
from lmc_cli.load import cache, packs, parse, toml
from lmc_cli.match import rank as search
from lmc_cli.match import text
from lmc_cli.match.rank import FactKind, IndexUnreadable, fact_kind, idf_of
from lmc_cli.model import Citation, Document, Editorial, Fact

FORMAT = 2  # 2: every row and the info checksummed
POSITIONS = "I"  # 4-byte unsigned: positions of up to 4 billion facts
FLAGS = ("has_value", "dated", "mentions_time", "has_place", "has_role")
LIST_FIELDS = (*parse.LIST_FIELDS, "disputed_by")


def digest(*parts: object) -> str:
    """The checksum a row carries (F4: a damaged index is a miss, never a wrong answer)."""
    hasher = hashlib.sha256()
    for part in parts:  # typed: a value that became another type (an int for a text) does not match
        raw = part if isinstance(part, bytes) else f"{type(part).__name__}:{part}".encode("utf-8", "surrogatepass")
        hasher.update(len(raw).to_bytes(8, "big"))
        hasher.update(raw)
    return hasher.hexdigest()[:32]


CHECKED_INFO = ("tables", "codes", "flags", "problems", "documents")


def fingerprint() -> str:
    """The code that decides what the file holds: matching, validation and this module."""
    return cache.code_fingerprint(search, text, toml, parse, cache, packs, model, sys.modules[__name__])


def corpus_key(extra_dirs: Sequence[Path], bundled: bool) -> list[Any]:
    """Every fact file's cache key, pack by pack, in the order load_corpus reads them."""
    chosen: list[tuple[Path, str]] = [(packs.bundled_dir(), "bundled")] if bundled else []
    taken = {"bundled"}
    for directory in extra_dirs:
        name = packs.pack_name(directory, taken)
        taken.add(name)
        chosen.append((directory, name))
    key: list[Any] = [FORMAT, fingerprint(), sys.byteorder, array(POSITIONS).itemsize]
    for directory, name in chosen:
        try:
            files = packs.pack_files(directory) if directory.is_dir() else []
        except (DataError, OSError) as exc:
            key.append([str(directory), name, f"unlisted: {exc}"])
            continue
        key.append([str(directory), name, [cache._cache_key(path, name) for path in files]])
    return key


def db_path(extra_dirs: Sequence[Path], bundled: bool) -> Path:
    """One file per set of packs (not per key), so a changed pack replaces its file."""
    which = json.dumps([bundled, [os.path.abspath(d) for d in extra_dirs]])
    digest = hashlib.sha256(which.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return cache.cache_dir() / f"index-{digest}.sqlite"


# --- writing -------------------------------------------------------------------------


def fact_record(fact: Fact) -> str:
    record: dict[str, Any] = {name: getattr(fact, name) for name in Fact.__slots__}
    record["sources"] = [[c.doc, c.quote, c.says, c.pack] for c in fact.sources]
    record["editorial"] = (
        [fact.editorial.reference, fact.editorial.date, fact.editorial.note] if fact.editorial else None
    )
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def fact_from_record(raw: str) -> Fact:
    values = json.loads(raw)
    values["sources"] = tuple(Citation(doc=d, quote=q, says=s, pack=p) for d, q, s, p in values["sources"])
    editorial = values["editorial"]
    values["editorial"] = Editorial(*editorial) if editorial else None
    for name in LIST_FIELDS:
        values[name] = tuple(values[name])
    return Fact(**values)


def problem_record(problem: DataError) -> list[Any]:
    return [problem.problem, problem.path, problem.fact_id, problem.field, problem.line, problem.column]


def write_index(
    path: Path, key: list[Any], facts: Sequence[Fact], terms: Sequence[dict[str, float]],
    problems: Iterable[DataError], documents: dict[str, Document],
) -> bool:
    """Write the index of a loaded corpus (facts, their terms, documents, problems) atomically.

    Returns False, leaving no file behind, when it cannot be written (e.g. a read-only cache).
    """
    tables = sorted({f.table for f in facts})
    if len(tables) > 255:  # a table is one byte per fact
        return False
    code = {name: i for i, name in enumerate(tables)}
    postings: dict[tuple[str, int], tuple[array[int], array[float]]] = {}
    for position, (fact, weights) in enumerate(zip(facts, terms, strict=True)):
        table = code[fact.table]
        for term, weight in weights.items():
            entry = postings.get((term, table))
            if entry is None:
                entry = postings[(term, table)] = (array(POSITIONS), array("d"))
            entry[0].append(position)
            entry[1].append(weight)
    kinds = [fact_kind(f) for f in facts]
    info: dict[str, Any] = {
        "tables": json.dumps(tables),
        "codes": bytes(code[f.table] for f in facts),
        "flags": bytes(sum(1 << bit for bit, name in enumerate(FLAGS) if getattr(k, name)) for k in kinds),
        "ids": "\n".join(f.id for f in facts),
        "problems": json.dumps([problem_record(p) for p in problems], ensure_ascii=False),
        "documents": json.dumps(
            [[label, {name: getattr(d, name) for name in Document.__slots__}]
             for label, d in documents.items()], ensure_ascii=False),
    }
    info["sum"] = digest(*(info[name] for name in CHECKED_INFO))
    info["ids_sum"] = digest(info["ids"])
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tempfiles.sweep(str(path.parent))  # leftovers of a killed run (F16); an index write is rare
        fd, tmp = tempfiles.create(str(path.parent), prefix=".tmp-", suffix=".sqlite")  # a signal removes it
        os.close(fd)
        connection = sqlite3.connect(tmp)
        try:
            connection.execute("PRAGMA journal_mode=OFF")
            connection.execute("PRAGMA synchronous=OFF")
            connection.executescript(
                "CREATE TABLE info(name TEXT PRIMARY KEY, value);"
                "CREATE TABLE facts(position INTEGER PRIMARY KEY, record TEXT NOT NULL, sum TEXT NOT NULL);"
                "CREATE TABLE postings(term TEXT NOT NULL, tbl INTEGER NOT NULL,"
                " positions BLOB NOT NULL, weights BLOB NOT NULL, sum TEXT NOT NULL);"
            )
            records = ((i, fact_record(f)) for i, f in enumerate(facts))
            connection.executemany("INSERT INTO facts VALUES (?, ?, ?)",
                                   ((i, record, digest(str(i), record)) for i, record in records))
            connection.executemany(
                "INSERT INTO postings VALUES (?, ?, ?, ?, ?)",
                ((term, table, p.tobytes(), w.tobytes(), digest(term, str(table), p.tobytes(), w.tobytes()))
                 for (term, table), (p, w) in sorted(postings.items())),
            )
            connection.execute("CREATE UNIQUE INDEX postings_term ON postings(term, tbl)")
            connection.executemany("INSERT INTO info VALUES (?, ?)", info.items())
            # The key last: a file without it is never read.
            connection.execute("INSERT INTO info VALUES ('key', ?)", (json.dumps(key),))
            connection.commit()
        finally:
            connection.close()
        os.replace(tmp, path)
        tempfiles.forget(tmp)
        return True
    except (OSError, sqlite3.Error, ValueError):  # ValueError: a name that is not UTF-8 (a broken pack's)
        if tmp is not None:
            tempfiles.remove(tmp)
        return False
    except BaseException:  # Interrupted (a signal): no half-written index left behind
        if tmp is not None:
            tempfiles.remove(tmp)
        raise


# --- reading -------------------------------------------------------------------------


class CachedCorpus:
    """An open index file: its facts' tables and kinds, ids and problems."""

    def __init__(self, connection: sqlite3.Connection, info: dict[str, Any]) -> None:
        self.connection = connection
        self.tables: list[str] = json.loads(info["tables"])
        self.codes: bytes = info["codes"]
        self.flags: bytes = info["flags"]
        self.problems = [DataError(p, path, fact_id=i, field=f, line=li, column=c)
                         for p, path, i, f, li, c in json.loads(info["problems"])]
        self.documents = {label: Document(**fields) for label, fields in json.loads(info["documents"])}
        self._ids: list[str] | None = None
        self._facts: dict[int, Fact] = {}

    @property
    def size(self) -> int:
        return len(self.codes)

    def ids(self) -> list[str]:
        if self._ids is None:
            rows = dict(self.query("SELECT name, value FROM info WHERE name IN ('ids', 'ids_sum')"))
            raw = rows.get("ids")
            if not isinstance(raw, str) or rows.get("ids_sum") != digest(raw):
                raise IndexUnreadable("ids")
            self._ids = raw.split("\n") if raw else []
        return self._ids

    def fact(self, position: int) -> Fact:
        found = self._facts.get(position)
        if found is None:
            rows = self.query("SELECT record, sum FROM facts WHERE position = ?", (position,))
            try:
                record, checksum = rows[0]
                if checksum != digest(str(position), record):
                    raise ValueError("checksum")
                found = self._facts[position] = fact_from_record(record)
            except (IndexError, TypeError, KeyError, ValueError, AttributeError) as exc:
                raise IndexUnreadable(f"fact {position}: {exc}") from None
        return found

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise IndexUnreadable(str(exc)) from None

    def index(self, tables: Iterable[str] | None = None) -> DbIndex:
        """The index of the facts of `tables` (all if None), as Index.build would make it of them."""
        return DbIndex(self, None if tables is None else {self.tables.index(t) for t in tables if t in self.tables})


def open_index(path: Path, key: list[Any]) -> CachedCorpus | None:
    """The index file if it holds exactly this key; None if absent, stale or unreadable."""
    try:
        if not path.is_file():
            return None
        connection = sqlite3.connect(path.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    except (OSError, sqlite3.Error, ValueError):
        return None
    try:
        info = dict(connection.execute(
            "SELECT name, value FROM info WHERE name IN ('key', 'sum', 'tables', 'codes', 'flags', 'problems',"
            " 'documents')"
        ).fetchall())
        if info.get("key") != json.dumps(key) or info.get("sum") != digest(*(info[n] for n in CHECKED_INFO)):
            connection.close()
            return None
        cached = CachedCorpus(connection, info)
        if len(cached.flags) != cached.size or any(c >= len(cached.tables) for c in set(cached.codes)):
            raise ValueError("inconsistent index")
        return cached
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        connection.close()
        return None


class DbIndex:
    """A SearchIndex over a CachedCorpus, restricted to some tables; reads postings on demand.

    Positions are positions in the whole corpus; those of the chosen tables keep their order,
    so rank() visits candidates in the same order as over an in-memory Index of those facts.
    """

    def __init__(self, corpus: CachedCorpus, scope: set[int] | None) -> None:
        self.corpus = corpus
        self.scope = scope
        codes = corpus.codes
        self._size = len(codes) if scope is None else sum(codes.count(c) for c in scope)
        self._where = "" if scope is None else f" AND tbl IN ({','.join(str(int(c)) for c in sorted(scope))})"
        self._rows: dict[str, list[tuple[array[int], array[float]]]] = {}
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._vocabulary: list[str] | None = None
        self._cjk: list[str] | None = None

    @property
    def size(self) -> int:
        return self._size

    def _lists(self, term: str) -> list[tuple[array[int], array[float]]]:
        found = self._rows.get(term)
        if found is None:
            found = []
            if self.scope is None or self.scope:
                for table, raw_positions, raw_weights, checksum in self.corpus.query(
                    f"SELECT tbl, positions, weights, sum FROM postings WHERE term = ?{self._where} ORDER BY tbl",
                    (term,),
                ):
                    positions, weights = array(POSITIONS), array("d")
                    try:
                        if checksum != digest(term, str(table), raw_positions, raw_weights):
                            raise ValueError("checksum")
                        positions.frombytes(raw_positions)
                        weights.frombytes(raw_weights)
                    except (TypeError, ValueError, AttributeError):
                        raise IndexUnreadable(f"postings of {term!r}") from None
                    if len(positions) != len(weights):
                        raise IndexUnreadable(f"postings of {term!r}")
                    found.append((positions, weights))
            self._rows[term] = found
        return found

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and bool(self._lists(term))

    def postings_for(self, term: str) -> Sequence[tuple[int, float]]:
        found = self._postings.get(term)
        if found is None:
            lists = self._lists(term)
            found = [pair for positions, weights in lists for pair in zip(positions, weights, strict=True)]
            if len(lists) > 1:
                found.sort(key=lambda pair: pair[0])
            self._postings[term] = found
        return found

    def idf(self, term: str) -> float:
        return idf_of(sum(len(positions) for positions, _ in self._lists(term)), self._size)

    @property
    def vocabulary(self) -> list[str]:
        if self._vocabulary is None:
            rows = self.corpus.query(f"SELECT DISTINCT term FROM postings WHERE 1{self._where}")
            self._vocabulary = sorted(row[0] for row in rows)
        return self._vocabulary

    @property
    def cjk_vocabulary(self) -> list[str]:
        if self._cjk is None:
            rows = self.corpus.query(f"SELECT DISTINCT term FROM postings WHERE term >= ?{self._where}", ("\u3400",))
            self._cjk = sorted(row[0] for row in rows if text.CJK.match(row[0]))
        return self._cjk

    def vocabulary_from(self, term: str, count: int) -> Sequence[str]:
        if self._vocabulary is not None:
            start = bisect.bisect_left(self._vocabulary, term)
            return self._vocabulary[start : start + count]
        rows = self.corpus.query(
            f"SELECT DISTINCT term FROM postings WHERE term >= ?{self._where} ORDER BY term LIMIT ?", (term, count)
        )
        return [row[0] for row in rows]

    def meta(self, position: int) -> FactKind:
        corpus = self.corpus
        try:
            flags = corpus.flags[position]
            return FactKind(corpus.ids()[position], corpus.tables[corpus.codes[position]],
                            *(bool(flags >> bit & 1) for bit in range(len(FLAGS))))
        except IndexError:
            raise IndexUnreadable(f"no fact {position}") from None

    def fact(self, position: int) -> Fact:
        return self.corpus.fact(position)


def corpus_index(
    extra_dirs: Sequence[Path], bundled: bool, load: Callable[[], packs.Corpus]
) -> CachedCorpus | None:
    """The index file of these packs, first written from load() if absent or stale.

    None when it can be neither read nor written (a read-only cache directory): search the
    loaded corpus in memory then. The key is taken before loading, so a file that changes
    while it is read leaves a file whose key is already stale.
    """
    path = db_path(extra_dirs, bundled)
    key = corpus_key(extra_dirs, bundled)
    cached = open_index(path, key)
    if cached is None:
        corpus = load()
        terms = cache.cached_terms(corpus.facts, search.fact_terms, cache.code_fingerprint(search, text))
        if write_index(path, key, corpus.facts, terms, corpus.problems, corpus.documents):
            cached = open_index(path, key)
    return cached
