"""The cache of a set of packs: one SQLite file, updated file by file (part of the store).

One file per set of packs, named by the packs' resolved paths, so a pack named by a relative
path from another directory is the same cache. It holds, for every fact file, its key
(device, inode, size, mtime_ns, ctime_ns, the pack's name) and content hash, its facts as
records, its search postings, and what the cross-pack checks read of it; and the outcome of
those checks (problems, documents, disputes, the facts' positions). A file whose key changed
is hashed; only a changed content is parsed again, and its rows are replaced in one
transaction; the checks rerun only when an input changed. Every row carries a CRC-32, checked
as it is read: a mismatch is a miss (that file is parsed again next time), never an answer.
The file is in WAL mode, so a reader keeps one snapshot while another lmc updates it; a new
file is built as a temporary file and linked into place. A missing, stale, corrupt or
unwritable cache is rebuilt or bypassed, never fatal.

A warm search reads only what the query needs: the postings of its terms, the ids, tables
and kind flags of the facts, and the records of the facts it shows.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import hashlib
import json
import os
import sqlite3
import sys
import zlib
from array import array
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lmc_cli import __version__, tempfiles, workers
from lmc_cli.errors import DataError
from lmc_cli.lazy import LazyModule
from lmc_cli.load import cache, files, packs, parse, toml
from lmc_cli.match import indexchecks, text
from lmc_cli.match.indexbase import FactKind, IndexUnreadable, fact_kind, idf_of
from lmc_cli.match.rowcrc import crc
from lmc_cli.model import Citation, Document, Editorial, Fact

if TYPE_CHECKING:
    from lmc_cli.match import rank as search
else:  # the ranking only when a file is parsed: reading the cache needs none of it
    search = LazyModule("lmc_cli.match.rank")

FORMAT = 7  # 2: every row and the info checksummed; 3: one file updated per fact file, CRC-32, WAL;
#            4: citation counts; 5: spans per file; 6: rendered lines per file; 7: check tables (indexchecks)
POSITIONS = "I"  # 4-byte unsigned: positions of up to 4 billion facts
FLAGS = ("has_value", "dated", "mentions_time", "has_place", "has_role")
LIST_FIELDS = (*parse.LIST_FIELDS, "disputed_by")
BUSY_SECONDS = 5.0  # how long to wait for another lmc updating the same cache (then: in memory this time)


# The code whose output the file holds: a change to any of it rebuilds the file.
_CODE = ("match/rank.py", "match/text.py", "match/query.py", "match/literals.py", "match/lexicon.py",
         "match/lexicon.json", "match/indexdb.py", "match/indexchecks.py", "match/rowcrc.py", "match/indexbase.py",
         "load/parse.py", "load/toml.py", "load/files.py", "load/rules.py",
         "load/packs.py",
         "model.py")


def fingerprint() -> str:
    """A hash of the source files that derive the cache's contents (and lmc's version)."""
    hasher = hashlib.sha256(f"{__version__}|{FORMAT}|{sys.byteorder}|{array(POSITIONS).itemsize}".encode())
    root = Path(__file__).resolve().parent.parent
    for name in _CODE:
        try:
            hasher.update((root / name).read_bytes())
        except OSError:
            hasher.update(f"{name}:?".encode())
    return hasher.hexdigest()[:32]


def chosen_packs(extra_dirs: Sequence[Path], bundled: bool) -> list[tuple[Path, str]]:
    """The packs load_corpus would read, in its order, with their names."""
    chosen: list[tuple[Path, str]] = [(packs.bundled_dir(), "bundled")] if bundled else []
    taken = {"bundled"}
    for directory in extra_dirs:
        name = packs.pack_name(directory, taken)
        taken.add(name)
        chosen.append((directory, name))
    return chosen


def _real(directory: Path) -> str:
    try:
        return os.path.realpath(directory)
    except (OSError, ValueError):
        return os.path.abspath(directory)


def db_path(extra_dirs: Sequence[Path], bundled: bool) -> Path:
    """One file per set of packs, by their resolved paths: `./pack` and `/home/me/pack` share it."""
    which = json.dumps([FORMAT, bundled, [_real(d) for d in extra_dirs]])
    name = hashlib.sha256(which.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return cache.cache_dir() / f"index-{name}.sqlite"


# --- records ---------------------------------------------------------------------------


_DEFAULTS = Fact._field_defaults


def fact_record(fact: Fact) -> bytes:
    """A fact as stored, zlib-compressed JSON: every field that is not its default, but its path
    (the pack's directory as named this time) and disputed_by (the checks' outcome)."""
    record: dict[str, Any] = {}
    for name in Fact._fields:
        value = getattr(fact, name)
        if name not in ("path", "disputed_by") and (name not in _DEFAULTS or value != _DEFAULTS[name]):
            record[name] = value
    record["sources"] = [[c.doc, c.quote, c.says] for c in fact.sources]
    if fact.editorial:
        record["editorial"] = [fact.editorial.reference, fact.editorial.date, fact.editorial.note]
    return zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


class _Every:
    """Every document: what a file's rendered lines assume its pack holds (CachedCorpus.unlike_stored)."""

    def __contains__(self, item: object) -> bool:
        return True


EVERY = _Every()


def fact_from_record(raw: bytes, path: str, own_docs: Container[str], disputes: dict[str, list[str]]) -> Fact:
    """The fact as load_corpus gives it: a citation of a document its pack lacks names the bundled
    pack's (packs.check_pack), and disputed_by says which conflicts name it (packs.mark_disputes)."""
    values = json.loads(zlib.decompress(raw).decode("utf-8", "surrogatepass"))  # as json.loads decodes bytes
    pack = values.get("pack", _DEFAULTS["pack"])
    values["sources"] = tuple([Citation(d, q, s, pack if d in own_docs else "bundled")
                               for d, q, s in values["sources"]])
    editorial = values.get("editorial")
    values["editorial"] = Editorial(*editorial) if editorial else None
    for name in LIST_FIELDS:
        if name in values:
            values[name] = tuple(values[name])
    disputed = disputes.get(values["id"])
    if disputed:
        values["disputed_by"] = tuple(disputed)
    return Fact(**values, path=path)


def problem_record(problem: DataError) -> list[Any]:
    return [problem.problem, problem.path, problem.fact_id, problem.field, problem.line, problem.column]


def problem_from_record(record: Sequence[Any]) -> DataError:
    problem, path, fact_id, field, line, column = record
    return DataError(problem, path, fact_id=fact_id, field=field, line=line, column=column)


class Checked(NamedTuple):
    """What the cross-fact checks (packs.corpus_problems, check_pack) read of a fact."""

    id: str
    path: str
    related: Sequence[str]
    speaker: str | None
    aliases: Sequence[str]
    docs: Sequence[str]
    table: str
    draft: bool


# --- the schema and the files' rows -----------------------------------------------------------

SCHEMA = """
CREATE TABLE info(name TEXT PRIMARY KEY, value, crc INTEGER NOT NULL);
CREATE TABLE files(
    fid INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, pack TEXT NOT NULL,
    dev INTEGER, ino INTEGER, size INTEGER, mtime INTEGER, ctime INTEGER, sha TEXT,
    error TEXT, docs TEXT, checks BLOB, ids TEXT NOT NULL, tbls TEXT NOT NULL, flags BLOB NOT NULL,
    spans TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE facts(fid INTEGER NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, tbl TEXT NOT NULL,
    lo TEXT, hi TEXT, record BLOB NOT NULL, crc INTEGER NOT NULL, PRIMARY KEY(fid, seq));
CREATE TABLE postings(term TEXT NOT NULL, tbl TEXT NOT NULL, fid INTEGER NOT NULL, positions BLOB NOT NULL,
    weights BLOB NOT NULL, palette BLOB NOT NULL, crc INTEGER NOT NULL, PRIMARY KEY(term, tbl, fid)) WITHOUT ROWID;
CREATE INDEX postings_fid ON postings(fid);
CREATE TABLE rendered(fid INTEGER NOT NULL, fmt TEXT NOT NULL, code TEXT NOT NULL, sha TEXT, pack TEXT NOT NULL,
    pieces BLOB NOT NULL, crc INTEGER NOT NULL, PRIMARY KEY(fid, fmt));
""" + indexchecks.SCHEMA

FILE_COLUMNS = "fid, path, pack, dev, ino, size, mtime, ctime, sha, error, docs, checks, ids, tbls, flags, spans, crc"


@dataclass(frozen=True, slots=True)
class FileRow:
    fid: int
    path: str  # the file's resolved path
    pack: str
    dev: int | None
    ino: int | None
    size: int | None
    mtime: int | None
    ctime: int | None
    sha: str | None
    error: str | None  # a DataError record (JSON): the file did not parse
    docs: str | None  # sources.toml: its documents (JSON)
    checks: bytes | None  # a fact file: what the checks read of each fact (zlib-compressed JSON, see entries)
    ids: str  # the ids of its facts that are not drafts, one a line
    tbls: str  # their tables, one a line
    flags: bytes  # their kind flags, one byte each
    spans: str  # their spans (Fact.span: "first last", or "" when undated), one a line
    crc: int

    def key(self) -> tuple[Any, ...]:
        return (self.pack, self.dev, self.ino, self.size, self.mtime, self.ctime)

    def valid(self) -> bool:
        return self.crc == row_crc(*self.content())

    def content(self) -> tuple[Any, ...]:
        return (self.fid, self.path, self.pack, self.dev, self.ino, self.size, self.mtime, self.ctime, self.sha,
                self.error, self.docs, self.checks, self.ids, self.tbls, self.flags, self.spans)

    def count(self) -> int:
        return len(self.flags)

    def entries(self) -> list[Any]:
        """What the checks read of each fact, drafts too: [id, related, speaker, aliases, docs, table, draft]."""
        return [] if self.checks is None else checks_entries(self.checks)


def checks_entries(raw: bytes) -> list[Any]:
    try:
        entries = json.loads(zlib.decompress(raw))
    except zlib.error as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(entries, list):
        raise ValueError("not a list of checks")
    return entries


def row_crc(*content: Any) -> int:
    return crc(*content)


def read_rows(connection: sqlite3.Connection) -> dict[str, FileRow]:
    return {row[1]: FileRow(*row) for row in connection.execute(f"SELECT {FILE_COLUMNS} FROM files")}


def file_key(path: Path, pack: str) -> tuple[Any, ...]:
    try:
        st = os.lstat(path)  # list_pack resolved links: a pack's files are read without following them
    except (OSError, ValueError):
        return (pack, None, None, None, None, None)
    # ctime and the device too: `cp -p`, `rsync -t --inplace` or `touch -r` can restore size and mtime,
    # but nothing sets ctime back (F11).
    return (pack, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# --- reading what is on disk -------------------------------------------------------------------


@dataclass
class Listed:
    """A chosen pack as it is on disk now: its files (or why it cannot be listed)."""

    directory: Path
    name: str
    real: str
    files: list[Path] | None
    error: DataError | None

    def real_path(self, path: Path) -> str:
        return os.path.join(self.real, path.name)


def identity(pack: Listed, path: Path) -> str:
    """A file's row: its resolved path, and the name of the pack it is read as (in its records)."""
    return f"{pack.name}\t{pack.real_path(path)}"


def list_packs(chosen: Sequence[tuple[Path, str]]) -> list[Listed]:
    found = []
    for directory, name in chosen:
        try:
            is_directory = directory.is_dir()
        except (OSError, ValueError):
            is_directory = False
        listed: list[Path] | None = None
        error: DataError | None = None
        if not is_directory:
            error = DataError("is not a directory of fact files", str(directory))
        else:
            try:
                listed = packs.pack_files(directory)
            except DataError as exc:
                error = exc
        found.append(Listed(directory, name, _real(directory), listed, error))
    return found


def parse_file(path: Path, name: str, raw: bytes | None) -> tuple[str | None, list[Fact], dict[str, Document]]:
    """A fact file or sources.toml, parsed: (its problem as a record, its facts, its documents)."""
    try:
        if raw is None:
            raw = files.read_regular(path, files.MAX_FILE_BYTES, follow_links=False)
        data = toml.parse_toml(raw, path)
        if path.name == parse.SOURCES_FILE:
            return None, [], parse.parse_documents(data, str(path), name)
        return None, parse.parse_fact_file(data, path, name), {}
    except DataError as exc:
        record = problem_record(exc)
        if record[1] == str(path):
            record[1] = None  # this file, wherever the pack is named from next time
        return json.dumps(record, ensure_ascii=False), [], {}


def read_bytes(path: Path) -> bytes | None:
    try:
        return files.read_regular(path, files.MAX_FILE_BYTES, follow_links=False)
    except DataError:
        return None


# --- writing -----------------------------------------------------------------------------


def posting_rows(fid: int, facts: Sequence[Fact], terms: Sequence[dict[str, float]]) -> Iterator[tuple[Any, ...]]:
    """A file's postings: for each (term, table), the positions of its facts in the file and
    their weights (an index into a palette of the row's distinct weights)."""
    postings: dict[tuple[str, str], tuple[array[int], list[float]]] = {}
    for seq, (fact, weights) in enumerate(zip(facts, terms, strict=True)):
        for term, weight in weights.items():
            entry = postings.get((term, fact.table))
            if entry is None:
                entry = postings[(term, fact.table)] = (array(POSITIONS), [])
            entry[0].append(seq)
            entry[1].append(weight)
    for (term, table), (positions, values) in postings.items():
        palette_values = sorted(set(values))
        if len(palette_values) <= 255:
            where = {w: i for i, w in enumerate(palette_values)}
            packed, palette = bytes(where[w] for w in values), array("d", palette_values).tobytes()
        else:
            packed, palette = array("d", values).tobytes(), b""
        raw = positions.tobytes()
        yield term, table, fid, raw, packed, palette, crc(term, table, fid, raw, packed, palette)


def kind_flags(fact: Fact) -> int:
    kind = fact_kind(fact)
    return sum(1 << bit for bit, name in enumerate(FLAGS) if getattr(kind, name))


def delete_file(connection: sqlite3.Connection, fid: int) -> None:
    for table in ("facts", "postings", "rendered", "files"):
        connection.execute(f"DELETE FROM {table} WHERE fid = ?", (fid,))
    indexchecks.delete_checks(connection, fid)


class Job(NamedTuple):
    """A fact file (or sources.toml) to parse into its rows: its fid, whether it replaces rows of
    that fid, and what sync_files read of it."""

    fid: int
    replaces: bool
    path: Path
    real: str
    key: tuple[Any, ...]
    sha: str | None
    raw: bytes | None


class Prepared(NamedTuple):
    """A file's rows, ready to insert: what a build worker sends back."""

    facts: list[tuple[Any, ...]]
    postings: list[tuple[Any, ...]]
    checks: indexchecks.CheckRows | None
    content: tuple[Any, ...]  # the files row, its checksum last


def prepare_file(job: Job) -> Prepared:
    """Parse one file into its rows: no database, so a worker process can do it."""
    fid, name = job.fid, job.key[0]
    error, parsed, documents = parse_file(job.path, name, job.raw)
    shown = [f for f in parsed if not f.draft]
    fact_terms = search.fact_terms  # once a file: each read of the lazy module is a failed lookup first
    terms = [fact_terms(f) for f in shown]
    checks = check_rows = None
    if job.path.name != parse.SOURCES_FILE and error is None:
        entries = [[f.id, f.related, f.speaker, f.aliases, [c.doc for c in f.sources], f.table, f.draft]
                   for f in parsed]
        checks = zlib.compress(json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode(), 6)
        check_rows = indexchecks.check_rows(fid, entries)
    docs = None
    if documents:
        docs = json.dumps([{n: getattr(d, n) for n in Document._fields} for d in documents.values()],
                          ensure_ascii=False, separators=(",", ":"))
    rows = []
    spans = []
    for seq, fact in enumerate(shown):
        record = fact_record(fact)
        span = fact.span()
        spans.append(" ".join(span or ()))
        start, end = span or (None, None)
        rows.append((fid, seq, fact.id, fact.table, start, end, record, crc(fid, seq, record)))
    content = (fid, job.real, name, *job.key[1:], job.sha, error, docs, checks, "\n".join(f.id for f in shown),
               "\n".join(f.table for f in shown), bytes(kind_flags(f) for f in shown), "\n".join(spans))
    return Prepared(rows, list(posting_rows(fid, shown, terms)), check_rows, (*content, row_crc(*content)))


def write_file(connection: sqlite3.Connection, job: Job, prepared: Prepared) -> None:
    """Replace a file's rows with these (the caller holds the write transaction)."""
    if job.replaces:
        delete_file(connection, job.fid)
    if prepared.checks is not None:
        indexchecks.insert_checks(connection, prepared.checks)
    connection.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", prepared.facts)
    connection.executemany("INSERT INTO postings VALUES (?, ?, ?, ?, ?, ?, ?)", prepared.postings)
    connection.execute(f"INSERT INTO files ({FILE_COLUMNS}) VALUES ({', '.join('?' * 17)})", prepared.content)


PARALLEL_BYTES = 4 << 20  # below this much to parse, worker processes cost more than they save


def build_workers(jobs: Sequence[Job]) -> int:
    """How many worker processes parse these files: LMC_BUILD_WORKERS if set, else the CPUs
    for a big enough batch (a cold build, not an edit), else none."""
    count = workers.requested()
    if count is not None:
        return count
    if sum(len(job.raw or b"") for job in jobs) < PARALLEL_BYTES:
        return 1
    return workers.available()


@dataclass
class Synced:
    """What sync_files changed: each replaced, added or removed file's old row (None: added, or
    its old row failed its check) and new identity (None: removed)."""

    files: list[tuple[FileRow | None, str | None]] = dataclasses.field(default_factory=list)
    exact: bool = True  # every old row was readable: the changes are known

    def __bool__(self) -> bool:
        return bool(self.files)


def sync_files(connection: sqlite3.Connection, listed: Sequence[Listed]) -> Synced:
    """Bring the files' rows up to date with the disk; what changed. Only a file whose key
    changed is read and hashed, and only one whose content (or pack name) changed is parsed."""
    rows = read_rows(connection)
    wanted: dict[str, tuple[Path, tuple[Any, ...]]] = {}
    for pack in listed:
        for path in pack.files or ():
            wanted[identity(pack, path)] = (path, file_key(path, pack.name))
    synced = Synced()
    jobs: list[Job] = []
    next_fid: int | None = None
    for real, gone in rows.items():
        if real not in wanted:
            delete_file(connection, gone.fid)
            synced.files.append((gone if gone.valid() else None, None))
            synced.exact = synced.exact and gone.valid()
    for real, (path, key) in wanted.items():
        row = rows.get(real)
        if row is not None and row.key() == key and key[1] is not None and row.valid():
            continue
        raw = read_bytes(path)
        sha = hashlib.sha256(raw).hexdigest() if raw is not None else None
        if row is not None and sha is not None and row.sha == sha and row.pack == key[0] and row.valid():
            content = (row.fid, real, key[0], *key[1:], sha, *row.content()[9:])
            connection.execute(
                "UPDATE files SET dev = ?, ino = ?, size = ?, mtime = ?, ctime = ?, crc = ? WHERE fid = ?",
                (*key[1:], row_crc(*content), row.fid))
        else:
            valid = row is not None and row.valid()
            if row is not None:
                fid = row.fid
            else:  # as if each were inserted in turn: one past the largest fid
                if next_fid is None:
                    next_fid = connection.execute("SELECT coalesce(max(fid), 0) + 1 FROM files").fetchone()[0]
                fid, next_fid = next_fid, next_fid + 1
            jobs.append(Job(fid, row is not None, path, real, key, sha, raw))
            synced.files.append((row if valid else None, real))
            synced.exact = synced.exact and (row is None or valid)
    with workers.ordered(prepare_file, jobs, build_workers(jobs)) as prepared:
        for job, rows_of_file in zip(jobs, prepared, strict=True):
            write_file(connection, job, rows_of_file)
    return synced


def needs_sync(connection: sqlite3.Connection, listed: Sequence[Listed]) -> bool:
    """Whether any file's row is missing, stale, damaged or of a file no longer there."""
    rows = read_rows(connection)
    wanted = {identity(pack, path): file_key(path, pack.name) for pack in listed for path in pack.files or ()}
    if set(rows) != set(wanted):
        return True
    return any(key[1] is None or rows[name].key() != key or not rows[name].valid() for name, key in wanted.items())


# --- the cross-pack checks -----------------------------------------------------------------


def state_key(listed: Sequence[Listed], generation: int) -> str:
    return json.dumps([generation, [[p.name, p.real, [f.name for f in p.files or ()],
                                     None if p.error is None else problem_record(p.error)] for p in listed]],
                      ensure_ascii=False)


def compute_state(rows: dict[str, FileRow], listed: Sequence[Listed], bundled: bool) -> dict[str, Any] | None:
    """What load_corpus decides from the files: which packs are broken (the problems), the
    documents, each pack's own documents, the disputes and the position of each file's facts.
    None when the bundled pack itself is broken (load_corpus raises: the caller loads it so)."""
    problems: list[DataError] = []
    documents: dict[str, Document] = {}
    own: dict[str, list[str]] = {}
    good: list[Checked] = []
    live: list[FileRow] = []
    fact_pack: dict[str, str] = {}  # a fact file as named, and its pack's name
    for number, pack in enumerate(listed):
        try:
            if pack.error is not None:
                raise pack.error
            pack_docs: dict[str, Document] = {}
            pack_facts: list[Checked] = []
            pack_rows = []
            for path in pack.files or ():
                row = rows[identity(pack, path)]
                if row.error is not None:
                    record = json.loads(row.error)
                    raise problem_from_record([record[0], str(path) if record[1] is None else record[1],
                                               *record[2:]])
                if row.docs is not None:
                    for fields in json.loads(row.docs):
                        document = Document(**fields)
                        pack_docs[document.id] = document
                if row.checks is not None:
                    shown = str(path)
                    pack_facts.extend(Checked(i, shown, r, s, a, d, t, dr)
                                      for i, r, s, a, d, t, dr in row.entries())
                    pack_rows.append(row)
            known = documents if bundled and number > 0 else {}
            for fact in pack_facts:
                for doc in fact.docs:
                    if doc not in pack_docs and doc not in known:
                        raise DataError(f"cites unknown document {doc!r}", fact.path, fact_id=fact.id,
                                        field="sources.doc")
            found = packs.corpus_problems([*good, *pack_facts])
            if found:
                raise found[0]
        except DataError as exc:
            if bundled and number == 0:
                return None
            problems.append(packs.skipped(exc, pack.name))
            continue
        good.extend(pack_facts)
        live.extend(pack_rows)
        own[pack.name] = sorted(pack_docs)
        fact_pack.update((str(path), pack.name) for path in pack.files or ())
        documents.update({d.label: d for d in pack_docs.values()})
    disputes: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for fact in good:
        if fact.draft:
            continue
        if fact.table == "conflicts":
            for name in fact.related:
                disputes.setdefault(name, []).append(fact.id)
        pack_name = fact_pack[fact.path]
        own_docs = own[pack_name]
        for label in {doc if pack_name == "bundled" or doc not in own_docs else f"{pack_name}:{doc}"
                      for doc in fact.docs}:
            counts[label] = counts.get(label, 0) + 1
    return {
        "live": [row.path for row in live],
        "problems": [problem_record(p) for p in problems],
        "documents": [[label, {n: getattr(d, n) for n in Document._fields}] for label, d in documents.items()],
        "own": own,
        "disputes": disputes,
        "counts": counts,
        "dirs": [str(p.directory) for p in listed],
    }


def incremental_state(connection: sqlite3.Connection, before: tuple[int, Any, Any], synced: Synced,
                      listed: Sequence[Listed], bundled: bool) -> dict[str, Any] | None:
    """compute_state's outcome after `synced`, from the outcome before (`before`: the generation,
    state key and state stored) and the check tables' rows of the ids the changed fact files
    held or hold (indexchecks): None when it cannot be had so (a problem before or after, a pack,
    a sources.toml or a file's parse changed, a row unreadable), and compute_state decides."""
    generation, old_key, old_raw = before
    if not synced or not synced.exact or old_key is None or old_raw is None:
        return None
    try:
        old_generation, old_packs = json.loads(old_key)
        old_state = json.loads(old_raw)
        same_packs = [[name, real, error] for name, real, _, error in old_packs] \
            == [[p.name, p.real, None] for p in listed]
    except (ValueError, TypeError):
        return None
    if old_generation != generation or not same_packs or any(p.error is not None for p in listed) \
            or old_state is None or old_state["problems"]:
        return None
    light = {path: (fid, pack, has_checks, parsed) for path, fid, pack, has_checks, parsed in connection.execute(
        "SELECT path, fid, pack, checks IS NOT NULL, error IS NULL FROM files")}
    order: dict[int, tuple[int, int]] = {}
    live: list[str] = []
    for number, pack in enumerate(listed):
        for path in pack.files or ():
            found = light.get(identity(pack, path))
            if found is None or not found[3]:
                return None  # a file that does not parse skips its pack
            if found[2]:
                order[found[0]] = (number, len(live))
                live.append(identity(pack, path))
    changes: list[tuple[indexchecks.Side | None, indexchecks.Side | None]] = []
    for old, real in synced.files:
        if old is not None and old.checks is None:
            return None  # a sources.toml: the documents changed
        new = None
        try:
            if real is not None:
                row = connection.execute("SELECT fid, pack, checks FROM files WHERE path = ?", (real,)).fetchone()
                if row is None or row[2] is None:
                    return None
                new = indexchecks.Side(row[0], row[1], checks_entries(row[2]))
            changes.append((None if old is None else indexchecks.Side(old.fid, old.pack, old.entries()), new))
        except ValueError:
            return None
    outcome = indexchecks.incremental(connection, old_state, changes, order, bundled)
    if outcome is None:
        return None
    disputes, counts = outcome
    return {**old_state, "live": live, "disputes": disputes, "counts": counts,
            "dirs": [str(p.directory) for p in listed]}


# --- opening and updating --------------------------------------------------------------------


def _info(connection: sqlite3.Connection, name: str) -> Any:
    row = connection.execute("SELECT value, crc FROM info WHERE name = ?", (name,)).fetchone()
    if row is None or row[1] != crc(name, row[0]):
        return None
    return row[0]


def _set_info(connection: sqlite3.Connection, name: str, value: Any) -> None:
    connection.execute("INSERT OR REPLACE INTO info VALUES (?, ?, ?)", (name, value, crc(name, value)))


def connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def update(connection: sqlite3.Connection, listed: Sequence[Listed], bundled: bool) -> None:
    """Files, then the checks, up to date (in one write transaction, if anything is to do)."""
    key_now = _info(connection, "state_key")
    generation = int(_info(connection, "generation") or 0)
    if not needs_sync(connection, listed) and key_now == state_key(listed, generation) \
            and _info(connection, "state") is not None:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        generation = int(_info(connection, "generation") or 0)
        before = (generation, _info(connection, "state_key"), _info(connection, "state"))
        synced = sync_files(connection, listed)
        if synced:
            generation += 1
            _set_info(connection, "generation", generation)
        wanted = state_key(listed, generation)
        if _info(connection, "state_key") != wanted or _info(connection, "state") is None:
            try:
                state = incremental_state(connection, before, synced, listed, bundled)
            except indexchecks.Damaged:
                rows = read_rows(connection)
                indexchecks.rebuild_checks(connection, [(row.fid, row.entries()) for row in rows.values()
                                                        if row.checks is not None and row.valid()])
                state = None
            if state is None:
                state = compute_state(read_rows(connection), listed, bundled)
            _set_info(connection, "state", None if state is None else json.dumps(state, ensure_ascii=False))
            _set_info(connection, "state_key", wanted)
        connection.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        raise


def build_new(path: Path, listed: Sequence[Listed], bundled: bool, code: str) -> None:
    """A new cache file: built as a temporary file (removed by a signal), then linked into place;
    if another lmc linked its own first, that one is kept."""
    fd, tmp = tempfiles.create(str(path.parent), prefix=".tmp-", suffix=".sqlite")
    os.close(fd)
    try:
        connection = connect(tmp)
        try:
            connection.execute("PRAGMA journal_mode=OFF")
            connection.execute("PRAGMA synchronous=OFF")
            connection.executescript(SCHEMA)
            _set_info(connection, "code", code)
            update(connection, listed, bundled)
            connection.execute("PRAGMA journal_mode=WAL")
        finally:
            connection.close()
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tempfiles.remove(tmp)


def discard(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            os.unlink(str(path) + suffix)


def open_cache(path: Path, listed: Sequence[Listed], bundled: bool) -> CachedCorpus | None:
    """The cache file of these packs, brought up to date; None if it is neither readable nor writable."""
    code = fingerprint()
    for _ in range(3):
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tempfiles.sweep(str(path.parent))  # leftovers of a killed run (F16)
            build_new(path, listed, bundled, code)
        try:
            connection = connect(str(path))
        except sqlite3.DatabaseError:
            discard(path)
            continue
        try:
            if _info(connection, "code") != code:
                raise ValueError("another code's cache")
            update(connection, listed, bundled)
            connection.execute("BEGIN")  # one snapshot for the whole run, whoever updates the file meanwhile
            generation = int(_info(connection, "generation") or 0)
            if _info(connection, "state_key") != state_key(listed, generation):
                connection.close()
                continue  # another lmc changed it between the update and the snapshot
            raw = _info(connection, "state")
            if raw is None:
                connection.close()
                return None  # the bundled pack is broken: load_corpus says how
            return CachedCorpus(connection, json.loads(raw), listed, path)
        except sqlite3.OperationalError as exc:
            connection.close()
            if "locked" in str(exc) or "busy" in str(exc) or "readonly" in str(exc) or "unable to open" in str(exc):
                return None  # another lmc holds it too long, or the directory is read-only: in memory this time
            discard(path)  # an empty file, a missing table: start again
        except (sqlite3.DatabaseError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            connection.close()
            discard(path)  # not a cache of this code, or damaged past a row: start again
    return None


def corpus_index(extra_dirs: Sequence[Path], bundled: bool) -> CachedCorpus | None:
    """The cache file of these packs, updated from the files that changed; None when it can be
    neither read nor written (a read-only cache directory): search the loaded corpus in memory then."""
    path = db_path(extra_dirs, bundled)
    listed = list_packs(chosen_packs(extra_dirs, bundled))
    try:
        return open_cache(path, listed, bundled)
    except (OSError, sqlite3.Error, ValueError, UnicodeError):  # ValueError: a name that is not UTF-8
        return None


# --- reading -------------------------------------------------------------------------


class CachedCorpus:
    """An open cache file, on one snapshot: the live facts' ids, tables and kinds, the problems."""

    def __init__(self, connection: sqlite3.Connection, state: dict[str, Any], listed: Sequence[Listed],
                 path: Path) -> None:
        self.connection = connection
        self.path = path
        self.problems = [problem_from_record(p) for p in state["problems"]]
        self.documents = {label: Document(**fields) for label, fields in state["documents"]}
        self.own = {name: frozenset(ids) for name, ids in state["own"].items()}
        self.disputes: dict[str, list[str]] = state["disputes"]
        self.counts: dict[str, int] = state["counts"]
        shown = {identity(pack, p): str(p) for pack in listed for p in pack.files or ()}
        rows = read_rows(connection)  # not self.query: a failure here is a miss, not a search's failure
        self.rows: list[FileRow] = []
        self.fids: list[int] = []
        self.bases: list[int] = []
        self.shown: list[str] = []
        self.packs: list[str] = []
        ids: list[str] = []
        tables: list[str] = []
        flags = bytearray()
        self._spans: list[str] = []
        for real in state["live"]:
            row = rows.get(real)
            if row is None or not row.valid():
                raise ValueError(f"file row {real}")
            self.rows.append(row)
            self.fids.append(row.fid)
            self.bases.append(len(flags))
            self.shown.append(shown[real])
            self.packs.append(row.pack)
            if row.flags:
                ids.extend(row.ids.split("\n"))
                tables.extend(row.tbls.split("\n"))
                flags.extend(row.flags)
                self._spans.extend(row.spans.split("\n"))
        if not (len(ids) == len(tables) == len(flags) == len(self._spans)):
            raise ValueError("inconsistent file rows")
        self.base_of = dict(zip(self.fids, self.bases, strict=True))
        self.tables = sorted(set(tables))
        self.table_of = tables
        self.flags = bytes(flags)
        self._ids = ids
        self._where_id: dict[str, int] | None = None
        self._facts: dict[int, Fact] = {}

    @property
    def size(self) -> int:
        return len(self.flags)

    def ids(self) -> list[str]:
        return self._ids

    def damaged(self, fid: int | None) -> IndexUnreadable:
        """A row failed its check: that file is parsed again next time (or the file is dropped)."""
        with contextlib.suppress(sqlite3.Error):
            self.connection.execute("ROLLBACK")
        try:
            if fid is None:
                raise sqlite3.DatabaseError("no file to blame")
            self.connection.execute("UPDATE files SET sha = NULL, ino = NULL WHERE fid = ?", (fid,))
        except sqlite3.Error:
            self.connection.close()
            discard(self.path)
        return IndexUnreadable(f"a damaged row of file {fid}")

    def locate(self, position: int) -> tuple[int, int, int]:
        """(file number, fid, position within the file) of a corpus position."""
        number = bisect.bisect_right(self.bases, position) - 1
        if number < 0 or position >= self.size:
            raise IndexUnreadable(f"no fact {position}")
        return number, self.fids[number], position - self.bases[number]

    def fact(self, position: int) -> Fact:
        found = self._facts.get(position)
        if found is None:
            number, fid, seq = self.locate(position)
            rows = self.query("SELECT record, crc FROM facts WHERE fid = ? AND seq = ?", (fid, seq))
            try:
                record, checksum = rows[0]
                if checksum != crc(fid, seq, record):
                    raise ValueError("checksum")
                found = fact_from_record(record, self.shown[number], self.own.get(self.packs[number], frozenset()),
                                         self.disputes)
                if found.id != self._ids[position] or found.table != self.table_of[position]:
                    raise ValueError("another fact")
            except (IndexError, TypeError, KeyError, ValueError, AttributeError, zlib.error):
                raise self.damaged(fid) from None
            self._facts[position] = found
        return found

    def table_names(self) -> list[str]:
        return self.tables

    def find(self, fact_id: str) -> Fact | None:
        """The live fact with this id, if any (from the files' checked rows: one fact read)."""
        if self._where_id is None:
            self._where_id = dict(zip(self._ids, range(len(self._ids)), strict=True))  # an id's last position
        position = self._where_id.get(fact_id)
        return None if position is None else self.fact(position)

    def in_span(self, low: str | None, high: str | None, tables: Sequence[str]) -> list[Fact]:
        """The dated facts whose span overlaps [low, high] (api.in_range), of `tables` if any: the
        spans are the files' checked rows', so only the facts in the range are read."""
        chosen = set(tables)
        table_of = self.table_of
        # "first last" with first <= high is below high + "!": a space sorts before "!", which
        # sorts before every character of a date.
        below = None if high is None else high + "!"
        found = [position for position, span in enumerate(self._spans)
                 if span and (below is None or span < below) and (low is None or span.partition(" ")[2] >= low)
                 and (not chosen or table_of[position] in chosen)]
        return self.facts_at(found)

    def facts_at(self, positions: Sequence[int]) -> list[Fact]:
        """The facts at these corpus positions, in their order: read file by file, a few hundred
        records a query, rather than one query a fact."""
        wanted = [p for p in positions if p not in self._facts]
        by_file: dict[int, list[int]] = {}
        for position in wanted:
            number, _, seq = self.locate(position)
            by_file.setdefault(number, []).append(seq)
        for number, seqs in by_file.items():
            fid, base = self.fids[number], self.bases[number]
            own = self.own.get(self.packs[number], frozenset())
            for start in range(0, len(seqs), 500):  # under SQLite's oldest limit of 999 parameters
                chunk = seqs[start:start + 500]
                rows = self.query(f"SELECT seq, record, crc FROM facts WHERE fid = ? AND seq IN "
                                  f"({','.join('?' * len(chunk))})", (fid, *chunk))
                if len(rows) != len(set(chunk)):
                    raise self.damaged(fid)
                for seq, record, checksum in rows:
                    try:
                        if checksum != crc(fid, seq, record):
                            raise ValueError("checksum")
                        fact = fact_from_record(record, self.shown[number], own, self.disputes)
                        if fact.id != self._ids[base + seq] or fact.table != self.table_of[base + seq]:
                            raise ValueError("another fact")
                    except (TypeError, KeyError, ValueError, AttributeError, IndexError, zlib.error):
                        raise self.damaged(fid) from None
                    self._facts[base + seq] = fact
        return [self._facts[p] for p in positions]

    def iter_facts(self, tables: Sequence[str] = ()) -> Iterator[Fact]:
        """Every live fact (of `tables`), in corpus order, read file by file; none is kept."""
        chosen = set(tables)
        for number in range(len(self.fids)):
            yield from self.file_facts(number, chosen)

    def count_of(self, number: int) -> int:
        """How many live facts the number-th live file has."""
        return (self.bases[number + 1] if number + 1 < len(self.bases) else self.size) - self.bases[number]

    def file_facts(self, number: int, tables: Container[str] = (), *, seqs: Container[int] | None = None,
                   as_stored: bool = False) -> list[Fact]:
        """The facts of the number-th live file (of `tables` if any; at the positions `seqs` in
        the file, if given), in order; `as_stored`: as
        its rendered lines assume them (rendered_lines), every cited document its pack's own and
        none disputed."""
        fid = self.fids[number]
        rows = self.query("SELECT seq, tbl, record, crc FROM facts WHERE fid = ? ORDER BY seq", (fid,))
        own: Container[str] = EVERY if as_stored else self.own.get(self.packs[number], frozenset())
        disputes: dict[str, list[str]] = {} if as_stored else self.disputes
        base = self.bases[number]
        if [row[0] for row in rows] != list(range(self.count_of(number))):
            raise self.damaged(fid)
        found = []
        for seq, table, record, checksum in rows:
            if (tables and table not in tables) or (seqs is not None and seq not in seqs):
                continue
            try:
                if checksum != crc(fid, seq, record):
                    raise ValueError("checksum")
                fact = fact_from_record(record, self.shown[number], own, disputes)
                if fact.id != self._ids[base + seq] or fact.table != self.table_of[base + seq]:
                    raise ValueError("another fact")
            except (TypeError, KeyError, ValueError, AttributeError, zlib.error):
                raise self.damaged(fid) from None
            found.append(fact)
        return found

    def unlike_stored(self, number: int) -> list[int]:
        """The positions in the number-th live file of the facts that are not as its rendered
        lines assume: disputed, or citing a document of the bundled pack from another pack."""
        base = self.bases[number]
        odd = {seq for seq in range(self.count_of(number)) if self._ids[base + seq] in self.disputes}
        pack = self.packs[number]
        if pack != "bundled":
            row = self.rows[number]
            try:
                entries = [e for e in row.entries() if not e[6]]
                if len(entries) != self.count_of(number):
                    raise ValueError("another file")
                own = self.own.get(pack, frozenset())
                odd.update(seq for seq, entry in enumerate(entries) if any(doc not in own for doc in entry[4]))
            except (TypeError, ValueError, IndexError):
                raise self.damaged(row.fid) from None
        return sorted(odd)

    def rendered_lines(self, number: int, fmt: str, code: str) -> list[str] | None:
        """The lines stored for the number-th live file in `fmt` by code `code` (save_rendered),
        one per fact, or None if there are none for its content (or they fail their check)."""
        row = self.rows[number]
        found = self.query("SELECT code, sha, pack, pieces, crc FROM rendered WHERE fid = ? AND fmt = ?",
                           (row.fid, fmt))
        if not found:
            return None
        stored_code, sha, pack, pieces, checksum = found[0]
        if (stored_code, sha, pack) != (code, row.sha, row.pack) \
                or checksum != crc(row.fid, fmt, stored_code, sha, pack, pieces):
            return None
        try:
            lines = json.loads(zlib.decompress(pieces).decode("utf-8", "surrogatepass"))
        except (ValueError, zlib.error):
            return None
        if not isinstance(lines, list) or len(lines) != self.count_of(number) \
                or not all(isinstance(line, str) for line in lines):
            return None
        return lines

    def save_rendered(self, blocks: Sequence[tuple[int, str, str, Sequence[str]]]) -> None:
        """Store (file number, fmt, code, lines) for the next run, if the cache can be written at
        once; ends this run's snapshot, so it comes after everything is read."""
        if not blocks:
            return
        connection = self.connection
        try:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("COMMIT")
            connection.execute("PRAGMA busy_timeout = 0")  # another lmc writes: this run does not wait
            connection.execute("BEGIN IMMEDIATE")
            for number, fmt, code, lines in blocks:
                row = self.rows[number]
                now = connection.execute("SELECT sha, pack FROM files WHERE fid = ?", (row.fid,)).fetchone()
                if now is None or tuple(now) != (row.sha, row.pack):
                    continue  # the file changed since this run read it
                pieces = zlib.compress(json.dumps(list(lines), ensure_ascii=False).encode("utf-8", "surrogatepass"),
                                       6)
                connection.execute("INSERT OR REPLACE INTO rendered VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   (row.fid, fmt, code, row.sha, row.pack, pieces,
                                    crc(row.fid, fmt, code, row.sha, row.pack, pieces)))
            connection.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")

    def citation_counts(self) -> dict[str, int]:
        return self.counts

    def fact_paths(self) -> set[Path]:
        """The files the facts come from, and their packs' sources.toml: never an output."""
        paths = {Path(p) for p in self.shown}
        return paths | {p.parent / "sources.toml" for p in paths}

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise IndexUnreadable(str(exc)) from None

    def index(self, tables: Iterable[str] | None = None) -> DbIndex:
        """The index of the facts of `tables` (all if None), as Index.build would make it of them."""
        return DbIndex(self, None if tables is None else {t for t in tables if t in self.tables})


# A flags byte as the booleans of FactKind after its id and table, for every value of the byte.
_FLAG_BITS = tuple(tuple(bool(flags >> bit & 1) for bit in range(len(FLAGS))) for flags in range(256))


class DbIndex:
    """A SearchIndex over a CachedCorpus, restricted to some tables; reads postings on demand.

    Positions are positions in the whole corpus; those of the chosen tables keep their order,
    so rank() visits candidates in the same order as over an in-memory Index of those facts.
    """

    def __init__(self, corpus: CachedCorpus, scope: set[str] | None) -> None:
        self.corpus = corpus
        self.scope = scope
        self._size = corpus.size if scope is None else sum(1 for t in corpus.table_of if t in scope)
        fids = ",".join(str(int(f)) for f in corpus.fids) or "NULL"
        self._where = f" AND fid IN ({fids})"
        if scope is not None:
            self._where += f" AND tbl IN ({','.join('?' * len(scope)) or 'NULL'})"
        self._scope_args = tuple(sorted(scope)) if scope is not None else ()
        self._rows: dict[str, list[tuple[array[int], list[float]]]] = {}
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._vocabulary: list[str] | None = None
        self._cjk: list[str] | None = None

    @property
    def size(self) -> int:
        return self._size

    def _lists(self, term: str) -> list[tuple[array[int], list[float]]]:
        found = self._rows.get(term)
        if found is None:
            found = []
            if self.scope is None or self.scope:
                for table, fid, raw_positions, raw_weights, palette_raw, checksum in self.corpus.query(
                    f"SELECT tbl, fid, positions, weights, palette, crc FROM postings WHERE term = ?{self._where}",
                    (term, *self._scope_args),
                ):
                    positions = array(POSITIONS)
                    try:
                        if checksum != crc(term, table, fid, raw_positions, raw_weights, palette_raw):
                            raise ValueError("checksum")
                        positions.frombytes(raw_positions)
                        if palette_raw:
                            palette = array("d")
                            palette.frombytes(palette_raw)
                            weights = [palette[i] for i in raw_weights]
                        else:
                            packed = array("d")
                            packed.frombytes(raw_weights)
                            weights = list(packed)
                        if len(positions) != len(weights):
                            raise ValueError("lengths")
                        base = self.corpus.base_of[fid]
                    except (TypeError, ValueError, AttributeError, IndexError, KeyError):
                        raise self.corpus.damaged(fid) from None
                    found.append((array(POSITIONS, (base + p for p in positions)), weights))
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
            rows = self.corpus.query(f"SELECT DISTINCT term FROM postings WHERE 1{self._where}", self._scope_args)
            self._vocabulary = sorted(row[0] for row in rows)
        return self._vocabulary

    @property
    def cjk_vocabulary(self) -> list[str]:
        if self._cjk is None:
            rows = self.corpus.query(f"SELECT DISTINCT term FROM postings WHERE term >= ?{self._where}",
                                     ("\u3400", *self._scope_args))
            self._cjk = sorted(row[0] for row in rows if text.CJK.match(row[0]))
        return self._cjk

    def vocabulary_from(self, term: str, count: int) -> Sequence[str]:
        if self._vocabulary is not None:
            start = bisect.bisect_left(self._vocabulary, term)
            return self._vocabulary[start : start + count]
        rows = self.corpus.query(
            f"SELECT DISTINCT term FROM postings WHERE term >= ?{self._where} ORDER BY term LIMIT ?",
            (term, *self._scope_args, count),
        )
        return [row[0] for row in rows]

    def meta(self, position: int) -> FactKind:
        corpus = self.corpus
        try:
            return FactKind(corpus.ids()[position], corpus.table_of[position], *_FLAG_BITS[corpus.flags[position]])
        except IndexError:
            raise IndexUnreadable(f"no fact {position}") from None

    def fact(self, position: int) -> Fact:
        return self.corpus.fact(position)

    def find(self, fact_id: str) -> Fact | None:
        return self.corpus.find(fact_id)
