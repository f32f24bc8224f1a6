"""The only module that reads fact files: locate packs, parse TOML, validate, cache.

Parsed files are cached as JSON per file in the user cache directory, keyed by the
file's path, size, mtime_ns, inode and lmc's version; a cache that cannot be read or
written is ignored, never fatal.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lmc_cli import __version__
from lmc_cli.errors import DataError
from lmc_cli.load import files, rules
from lmc_cli.load.files import MAX_FILE_BYTES
from lmc_cli.match.text import QUOTE_MARKS, fold
from lmc_cli.model import Citation, Document, Editorial, Fact, date_bounds

SOURCES_FILE = "sources.toml"
ID_PATTERN = rules.SLUG_RE
TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
CACHE_FORMAT = 2  # 2: facts carry `questions`
# tomllib takes time quadratic in the number of parts of a dotted key (20,000 parts: seconds);
# fact files need two or three, so a key of more parts is refused before parsing.
MAX_KEY_PARTS = 32
# A key part: bare (starting at a word start, so a search is linear), or a basic or literal string.
_KEY_PART = r"""(?:(?<![A-Za-z0-9_-])[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
PACK_NAME_UNSAFE = re.compile(f"[:{rules.UNSAFE_CHARACTERS}{rules.LINE_BREAKS}]")
# Searched anywhere in the file, not only at the start of a line: inside an inline table
# (`x = {a.a.a... = 1}`), an array, or on a continuation line.
LONG_DOTTED_KEY = re.compile(rf"{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART}){{{MAX_KEY_PARTS}}}")

STRING_FIELDS = ("title", "text", "place", "level", "unit", "qualifier", "measure", "role")
LIST_FIELDS = ("aliases", "keywords", "questions", "participants", "outcomes", "related")
FACT_FIELDS = frozenset(
    {"id", "table", "sources", "date", "date_end", "editorial", "ordinal", "value", "speaker"}
    | set(STRING_FIELDS)
    | set(LIST_FIELDS)
)
DOCUMENT_FIELDS = frozenset(
    {"id", "file", "sha256", "title", "title_is_descriptive", "kind", "author", "translator",
     "affiliation", "outlet", "note"}
)


def bundled_dir() -> Path:
    """The bundled pack: inside the installed package, or `facts/` in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "facts"
    if packaged.is_dir():
        return packaged
    return package.parent / "facts"


def schema_path() -> Path:
    """The JSON Schema of fact files, shipped in the package (`lmc schema` prints it)."""
    return Path(__file__).resolve().parent.parent / "schema" / "facts.schema.json"


def schema_text() -> str:
    return schema_path().read_text(encoding="utf-8")


@dataclass
class Corpus:
    facts: list[Fact] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    problems: list[DataError] = field(default_factory=list)

    def by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}

    def tables(self) -> list[str]:
        return sorted({f.table for f in self.facts})


@dataclass
class Pack:
    name: str
    path: Path
    facts: list[Fact] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)


# --- reading -------------------------------------------------------------------------


def read_toml(path: Path, *, follow_links: bool = True) -> dict[str, Any]:
    """Parse one TOML file, turning every way it can fail into a DataError naming it.

    Only a regular file of at most MAX_FILE_BYTES is read (load/files.py); a pack's files are
    read with follow_links=False, as list_pack resolved them.
    """
    raw = files.read_regular(path, MAX_FILE_BYTES, follow_links=follow_links)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 (byte {exc.start})", str(path)) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DataError("file is empty", str(path))
    line = _long_dotted_key(text)
    if line:
        raise DataError(f"a dotted key of more than {MAX_KEY_PARTS} parts", str(path), line=line, column=1)
    # Imported here: a warm cache parses no TOML, so start-up need not pay for the parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = TOML_POSITION.search(message)
        problem = TOML_POSITION.sub("", message).strip() or "invalid TOML"
        if position:
            raise DataError(
                f"invalid TOML: {problem}", str(path),
                line=int(position.group(1)), column=int(position.group(2)),
            ) from None
        raise DataError(f"invalid TOML: {problem}", str(path)) from None
    except RecursionError:
        raise DataError("invalid TOML: nested too deeply", str(path)) from None
    except ValueError as exc:  # an integer of over 4,300 digits, and the like
        raise DataError(f"invalid TOML: {exc}", str(path)) from None


def _long_dotted_key(text: str) -> int | None:
    """The line of the first dotted key of more than MAX_KEY_PARTS parts, wherever it is, if any."""
    if text.count(".") < MAX_KEY_PARTS:
        return None
    found = LONG_DOTTED_KEY.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


# --- validation ----------------------------------------------------------------------


# Each check applies one rule of load/rules.py (the JSON Schema states the same rules).


def _check_str(value: Any, path: str, fact_id: str | None, name: str) -> str:
    if not rules.is_text(value):
        raise DataError("must be a non-empty string", path, fact_id=fact_id, field=name)
    return value  # type: ignore[no-any-return]


def _check_pattern(value: Any, pattern: Any, what: str, path: str, fact_id: str | None, name: str) -> str:
    text = _check_str(value, path, fact_id, name)
    if not pattern.search(text):
        raise DataError(f"must be {what}", path, fact_id=fact_id, field=name)
    return text


def _check_slug(value: Any, path: str, fact_id: str | None, name: str) -> str:
    return _check_pattern(value, rules.SLUG_RE, "a lowercase slug (a-z, 0-9, -)", path, fact_id, name)


def _check_date(value: Any, path: str, fact_id: str | None, name: str) -> str:
    if not isinstance(value, str):
        raise DataError('must be a quoted string ("2016", "2016-03" or "2016-03-23"), not a TOML date or number',
                        path, fact_id=fact_id, field=name)
    if not rules.DATE_RE.search(value):
        try:
            date_bounds(value)
        except ValueError as exc:
            raise DataError(str(exc), path, fact_id=fact_id, field=name) from None
        raise DataError(f"{value!r} is not a real YYYY, YYYY-MM or YYYY-MM-DD", path, fact_id=fact_id, field=name)
    return value


def _check_list(value: Any, path: str, fact_id: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(rules.is_text(v) for v in value):
        raise DataError("must be a list of non-empty strings", path, fact_id=fact_id, field=name)
    return tuple(value)


def parse_documents(data: dict[str, Any], path: str, pack: str) -> dict[str, Document]:
    unknown = sorted(set(data) - {"document"})
    if unknown:
        raise DataError(f"unknown top-level key {unknown[0]!r}", path, field=unknown[0])
    entries = data.get("document", [])
    if not isinstance(entries, list):
        raise DataError("'document' must be an array of tables ([[document]])", path)
    documents: dict[str, Document] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise DataError("each [[document]] must be a table", path)
        doc_id = _check_str(entry.get("id"), path, None, "id")
        if not rules.DOCUMENT_ID_RE.search(doc_id):
            raise DataError("document id must be letters, digits, '.', '_' or '-' (no ':')", path,
                            fact_id=doc_id, field="id")
        unknown = sorted(set(entry) - DOCUMENT_FIELDS)
        if unknown:
            raise DataError(f"unknown field {unknown[0]!r}", path, fact_id=doc_id, field=unknown[0])
        if doc_id in documents:
            raise DataError("duplicate document id", path, fact_id=doc_id, field="id")
        optional = {}
        for name in ("author", "translator", "affiliation", "outlet", "note"):
            if name in entry:
                optional[name] = _check_str(entry[name], path, doc_id, name)
        if "file" in entry:
            optional["file"] = _check_pattern(entry["file"], rules.NAME_RE, "a file name without control characters",
                                              path, doc_id, "file")
        if "sha256" in entry:
            optional["sha256"] = _check_pattern(entry["sha256"], rules.SHA256_RE, "64 hexadecimal digits",
                                                path, doc_id, "sha256")
        descriptive = entry.get("title_is_descriptive", False)
        if not isinstance(descriptive, bool):
            raise DataError("must be true or false", path, fact_id=doc_id, field="title_is_descriptive")
        documents[doc_id] = Document(
            id=doc_id,
            title=_check_str(entry.get("title"), path, doc_id, "title"),
            kind=_check_str(entry.get("kind"), path, doc_id, "kind"),
            title_is_descriptive=descriptive,
            pack=pack,
            **optional,
        )
    return documents


def parse_fact(entry: Any, table: str, path: str, pack: str) -> Fact:
    """Validate one [[fact]] table and build its Fact; the first problem raises DataError."""
    if not isinstance(entry, dict):
        raise DataError("each [[fact]] must be a table", path)
    raw_id = entry.get("id")
    fact_id = _check_str(raw_id, path, None, "id")
    if not rules.SLUG_RE.search(fact_id):
        raise DataError("id must be a lowercase slug (a-z, 0-9, -)", path, fact_id=fact_id, field="id")
    unknown = sorted(set(entry) - FACT_FIELDS)
    if unknown:
        raise DataError(f"unknown field {unknown[0]!r}", path, fact_id=fact_id, field=unknown[0])
    values: dict[str, Any] = {}
    for name in STRING_FIELDS:
        if name in entry:
            values[name] = _check_str(entry[name], path, fact_id, name)
    for name in ("title", "text"):
        if name not in values:
            raise DataError("is required", path, fact_id=fact_id, field=name)
    for name in LIST_FIELDS:
        if name in entry:
            values[name] = _check_list(entry[name], path, fact_id, name)
    if "related" in values:
        for related in values["related"]:
            _check_slug(related, path, fact_id, "related")
    if "speaker" in entry:
        values["speaker"] = _check_slug(entry["speaker"], path, fact_id, "speaker")
    for name in ("date", "date_end"):
        if name in entry:
            values[name] = _check_date(entry[name], path, fact_id, name)
    if "ordinal" in entry:
        ordinal = entry["ordinal"]
        if not rules.is_ordinal(ordinal):
            raise DataError(f"must be a positive integer up to {rules.MAX_ORDINAL}", path, fact_id=fact_id,
                            field="ordinal")
        values["ordinal"] = int(ordinal)
    if "value" in entry:
        value = entry["value"]
        if not rules.is_number(value):
            raise DataError("must be a finite number a float can hold (not inf, nan or a huge integer)", path,
                            fact_id=fact_id, field="value")
        values["value"] = value
    if "editorial" in entry:
        values["editorial"] = _parse_editorial(entry["editorial"], path, fact_id)
    if "table" in entry:
        table = _check_pattern(entry["table"], rules.TABLE_RE, "a short lowercase name (a-z, 0-9, _, -)", path,
                               fact_id, "table")
    values["sources"] = _parse_citations(entry.get("sources"), path, fact_id, pack)
    if "date_end" in values and "date" not in values:
        raise DataError("date_end needs a date", path, fact_id=fact_id, field="date_end")
    if "date_end" in values and date_bounds(values["date_end"])[1] < date_bounds(values["date"])[0]:
        raise DataError(f"date_end {values['date_end']} is before date {values['date']}", path, fact_id=fact_id,
                        field="date_end")
    return Fact(id=fact_id, table=table, pack=pack, path=path, **values)


def _parse_editorial(raw: Any, path: str, fact_id: str) -> Editorial:
    if not isinstance(raw, dict):
        raise DataError("must be a table", path, fact_id=fact_id, field="editorial")
    unknown = sorted(set(raw) - {"date", "reference", "note"})
    if unknown:
        raise DataError(f"unknown field {unknown[0]!r}", path, fact_id=fact_id, field="editorial")
    return Editorial(
        reference=_check_str(raw.get("reference"), path, fact_id, "editorial.reference"),
        date=_check_date(raw["date"], path, fact_id, "editorial.date") if "date" in raw else None,
        note=_check_str(raw["note"], path, fact_id, "editorial.note") if "note" in raw else None,
    )


def _parse_citations(raw: Any, path: str, fact_id: str, pack: str) -> tuple[Citation, ...]:
    if not isinstance(raw, list) or not raw:
        raise DataError("at least one source is required", path, fact_id=fact_id, field="sources")
    citations = []
    for item in raw:
        if not isinstance(item, dict):
            raise DataError("each source must be a table", path, fact_id=fact_id, field="sources")
        unknown = sorted(set(item) - {"doc", "quote", "says"})
        if unknown:
            raise DataError(f"unknown field {unknown[0]!r}", path, fact_id=fact_id, field="sources")
        says = item.get("says")
        citations.append(
            Citation(
                doc=_check_str(item.get("doc"), path, fact_id, "sources.doc"),
                quote=_check_str(item.get("quote"), path, fact_id, "sources.quote"),
                says=_check_str(says, path, fact_id, "sources.says") if says is not None else None,
                pack=pack,
            )
        )
    return tuple(citations)


def parse_fact_file(data: dict[str, Any], path: Path, pack: str) -> list[Fact]:
    table = data.get("table", path.stem)
    if not rules.matches(rules.TABLE_RE, table):
        raise DataError("'table' must be a short lowercase name", str(path), field="table")
    unknown = sorted(set(data) - {"table", "fact"})
    if unknown:
        raise DataError(f"unknown top-level key {unknown[0]!r}", str(path), field=unknown[0])
    entries = data.get("fact", [])
    if not isinstance(entries, list):
        raise DataError("'fact' must be an array of tables ([[fact]])", str(path))
    return [parse_fact(entry, table, str(path), pack) for entry in entries]


# --- cache ---------------------------------------------------------------------------


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/lmc, or ~/.cache/lmc. As the XDG spec says, an empty or relative
    XDG_CACHE_HOME is ignored; an empty HOME is replaced by the password database's home."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(_home(), ".cache")
    return Path(base) / "lmc"


def _home() -> str:
    home = os.environ.get("HOME", "")
    if os.path.isabs(home):
        return home
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_dir or "/nonexistent"
    except (ImportError, KeyError, OSError):
        return "/nonexistent"


def _cache_key(path: Path, pack: str) -> list[Any] | None:
    # The pack name is in the key because it is in the cached records (source labels).
    try:
        st = path.stat()
    except OSError:
        return None
    return [str(path), st.st_size, st.st_mtime_ns, st.st_ino, __version__, CACHE_FORMAT, pack]


def _cache_file(path: Path, suffix: str = ".json") -> Path:
    return cache_dir() / (hashlib.sha256(str(path).encode("utf-8", "surrogatepass")).hexdigest()[:32] + suffix)


def _read_cache(path: Path, key: list[Any], suffix: str = ".json", field: str = "facts") -> Any:
    try:
        with open(_cache_file(path, suffix), encoding="utf-8") as handle:
            cached = json.load(handle)
        if cached.get("key") != key or not isinstance(cached.get(field), (list, dict)):
            return None
        return cached[field]
    except (OSError, ValueError, AttributeError, RecursionError):
        return None


def _write_cache(path: Path, key: list[Any], facts: list[Fact]) -> None:
    _write_cache_payload(path, {"key": key, "facts": [_fact_to_cache(f) for f in facts]})


def _write_cache_payload(path: Path, payload: dict[str, Any], suffix: str = ".json") -> None:
    """Write atomically (a temporary file renamed over the old one); failure is not an error."""
    try:
        directory = cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, _cache_file(path, suffix))
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):  # ValueError: a name that cannot be encoded
        pass


def _fact_to_cache(fact: Fact) -> dict[str, Any]:
    record = {name: getattr(fact, name) for name in Fact.__slots__ if name not in ("sources", "editorial")}  # type: ignore[attr-defined]
    record["sources"] = [[c.doc, c.quote, c.says] for c in fact.sources]
    record["editorial"] = (
        [fact.editorial.reference, fact.editorial.date, fact.editorial.note] if fact.editorial else None
    )
    return record


def _fact_from_cache(record: dict[str, Any]) -> Fact:
    values = dict(record)
    pack = values["pack"]
    values["sources"] = tuple(Citation(doc=d, quote=q, says=s, pack=pack) for d, q, s in values["sources"])
    editorial = values["editorial"]
    values["editorial"] = Editorial(*editorial) if editorial else None
    for name in (*LIST_FIELDS, "disputed_by"):
        values[name] = tuple(values[name])
    return Fact(**values)


def load_fact_file(path: Path, pack: str, use_cache: bool = True, *, follow_links: bool = False) -> list[Fact]:
    """A fact file of a pack (as list_pack names it; follow_links=True for a file named by the user)."""
    key = _cache_key(path, pack) if use_cache else None
    if key is not None:
        cached = _read_cache(path, key)
        if cached is not None:
            try:
                return [_fact_from_cache(r) for r in cached]
            except (TypeError, KeyError, ValueError):
                pass
    facts = parse_fact_file(read_toml(path, follow_links=follow_links), path, pack)
    if key is not None:
        _write_cache(path, key, facts)
    return facts


def load_documents_file(path: Path, pack: str, use_cache: bool = True) -> dict[str, Document]:
    """A pack's sources.toml, through the same cache as fact files."""
    key = _cache_key(path, pack) if use_cache else None
    if key is not None:
        cached = _read_cache(path, key)
        if cached is not None:
            try:
                return {record["id"]: Document(**record) for record in cached}
            except (TypeError, KeyError, ValueError):
                pass
    documents = parse_documents(read_toml(path, follow_links=False), str(path), pack)
    if key is not None:
        records = [{name: getattr(d, name) for name in Document.__slots__} for d in documents.values()]  # type: ignore[attr-defined]
        _write_cache_payload(path, {"key": key, "facts": records})
    return documents


def code_fingerprint(*modules: Any) -> str:
    """A key for data derived by code (search terms): the code's files' sizes and mtimes."""
    parts = [__version__]
    for module in modules:
        try:
            st = os.stat(module.__file__)
            parts.append(f"{module.__name__}:{st.st_size}:{st.st_mtime_ns}")
        except (OSError, TypeError, AttributeError):
            parts.append(f"{module.__name__}:?")
    return "|".join(parts)


def cached_terms(
    facts: Sequence[Fact], compute: Callable[[Fact], dict[str, float]], fingerprint: str
) -> list[dict[str, float]]:
    """compute(fact) for every fact, cached per fact file next to its facts (`<file>.terms.json`).

    The key is the fact file's key plus `fingerprint` (see code_fingerprint), so a change to
    the file or to the code that derives the terms recomputes them; the cache is never fatal.
    """
    by_file: dict[str, list[Fact]] = {}
    for fact in facts:
        by_file.setdefault(fact.path, []).append(fact)
    known: dict[tuple[str, str], dict[str, float]] = {}
    for path, group in by_file.items():
        key = _cache_key(Path(path), group[0].pack) if path else None
        stored: dict[str, Any] = {}
        if key is not None:
            key = [*key, fingerprint]
            cached = _read_cache(Path(path), key, suffix=".terms.json", field="terms")
            stored = cached if isinstance(cached, dict) else {}
        missing = False
        for fact in group:
            terms = stored.get(fact.id)
            if not isinstance(terms, dict):
                terms = stored[fact.id] = compute(fact)
                missing = True
            known[(path, fact.id)] = terms
        if missing and key is not None:
            _write_cache_payload(Path(path), {"key": key, "terms": stored}, suffix=".terms.json")
    return [known[(f.path, f.id)] for f in facts]


# --- packs and the corpus ------------------------------------------------------------


def pack_files(directory: Path) -> list[Path]:
    """The fact files of a pack: its *.toml files, links resolved to the sibling they name, side
    files (`.#x.toml`, `._x.toml`) left out; a link out of the pack, a loop, a FIFO or an
    unreadable directory makes the pack broken (a DataError). See load/files.py."""
    return files.list_pack(directory)


def load_pack(directory: Path, name: str, use_cache: bool = True) -> Pack:
    try:
        is_directory = directory.is_dir()
    except (OSError, ValueError):
        is_directory = False
    if not is_directory:
        raise DataError("is not a directory of fact files", str(directory))
    pack = Pack(name=name, path=directory)
    for path in pack_files(directory):
        if path.name == SOURCES_FILE:
            pack.documents.update(load_documents_file(path, name, use_cache))
        else:
            pack.facts.extend(load_fact_file(path, name, use_cache))
    return pack


def pack_name(directory: Path, taken: Iterable[str]) -> str:
    """The label of a pack: its directory's name, made unique; never a `:` (which joins a pack and
    a document id in a label) or a control character, and never resolved (a loop must not crash)."""
    base = PACK_NAME_UNSAFE.sub("-", os.path.basename(os.path.abspath(directory))) or "pack"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def check_pack(pack: Pack, known_docs: dict[str, Document]) -> None:
    """Every citation names a document of its pack or of the bundled pack (relabelled so)."""
    for position, fact in enumerate(pack.facts):
        relabel = False
        for citation in fact.sources:
            if citation.doc in pack.documents:
                continue
            if citation.doc not in known_docs:
                raise DataError(
                    f"cites unknown document {citation.doc!r}", fact.path, fact_id=fact.id, field="sources.doc"
                )
            relabel = True
        if relabel:
            sources = tuple(
                c if c.doc in pack.documents else replace(c, pack="bundled") for c in fact.sources
            )
            pack.facts[position] = replace(fact, sources=sources)


def check_corpus(facts: Sequence[Fact]) -> None:
    """Cross-fact rules: unique ids, resolvable references, aliases that do not collide."""
    seen: dict[str, Fact] = {}
    for fact in facts:
        if fact.id in seen:
            other = seen[fact.id]
            raise DataError(f"duplicate id, also defined in {other.path}", fact.path, fact_id=fact.id, field="id")
        seen[fact.id] = fact
    aliases: dict[str, Fact] = {}
    for fact in facts:
        for name in fact.related:
            if name not in seen:
                raise DataError(f"related id {name!r} does not exist", fact.path, fact_id=fact.id, field="related")
        if fact.speaker and fact.speaker not in seen:
            raise DataError(f"speaker id {fact.speaker!r} does not exist", fact.path, fact_id=fact.id, field="speaker")
        for alias in fact.aliases:
            key = fold(alias).strip()
            other = aliases.get(key)
            if other is not None and other.id != fact.id:
                raise DataError(
                    f"alias {alias!r} is also an alias of {other.id!r} ({other.path})",
                    fact.path, fact_id=fact.id, field="aliases",
                )
            aliases[key] = fact


def mark_disputes(facts: list[Fact]) -> list[Fact]:
    disputes: dict[str, list[str]] = {}
    for fact in facts:
        if fact.table == "conflicts":
            for name in fact.related:
                disputes.setdefault(name, []).append(fact.id)
    if not disputes:
        return facts
    return [replace(f, disputed_by=tuple(disputes[f.id])) if f.id in disputes else f for f in facts]


def load_corpus(
    extra_dirs: Sequence[Path] = (), bundled: bool = True, use_cache: bool = True
) -> Corpus:
    """Load the bundled pack and user packs; a broken user pack is reported, not fatal."""
    corpus = Corpus()
    packs: list[Pack] = []
    if bundled:
        packs.append(load_pack(bundled_dir(), "bundled", use_cache))
        corpus.documents.update(packs[0].documents)
        check_pack(packs[0], {})
        check_corpus(packs[0].facts)
    taken = {"bundled"}
    for directory in extra_dirs:
        name = pack_name(directory, taken)
        taken.add(name)
        try:
            pack = load_pack(directory, name, use_cache)
            check_pack(pack, corpus.documents if bundled else {})
            check_corpus([*(f for p in packs for f in p.facts), *pack.facts])
        except DataError as exc:
            exc.problem = f"{exc.problem} (pack {name!r} skipped)"
            exc.args = (exc._format(),)
            exc.message = exc._format()
            corpus.problems.append(exc)
            continue
        packs.append(pack)
        corpus.documents.update({d.label: d for d in pack.documents.values()})
    corpus.facts = mark_disputes([f for p in packs for f in p.facts])
    return corpus


def env_fact_dirs() -> list[Path]:
    raw = os.environ.get("LMC_FACTS_PATH", "")
    return [Path(p) for p in raw.split(os.pathsep) if p]


# --- checking against the source documents -------------------------------------------


def normalize_quote(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(QUOTE_MARKS)).strip()


def check_against(corpus: Corpus, seeds: Path, skip_bundled: bool = False) -> list[DataError]:
    """Every document's hash matches and every quote occurs in its document."""
    problems: list[DataError] = []
    texts: dict[str, str] = {}
    root = seeds.resolve()
    for label, doc in corpus.documents.items():
        if not doc.file or (skip_bundled and doc.pack == "bundled"):
            continue
        try:
            where = (seeds / doc.file).resolve()
        except (OSError, RuntimeError, ValueError) as exc:  # a loop, a NUL byte
            problems.append(DataError(f"cannot read document: {exc}", doc.file, fact_id=doc.id))
            continue
        if where.parent != root:
            problems.append(DataError("document file is outside the --against directory", doc.file, fact_id=doc.id))
            continue
        try:
            raw = files.read_regular(where, files.MAX_DOCUMENT_BYTES)
        except DataError as exc:
            problems.append(DataError(f"cannot read document: {exc.problem}", str(where), fact_id=doc.id))
            continue
        if doc.sha256 and hashlib.sha256(raw).hexdigest() != doc.sha256:
            problems.append(DataError("SHA-256 does not match sources.toml", str(where), fact_id=doc.id))
        texts[label] = normalize_quote(raw.decode("utf-8", "replace"))
    for fact in corpus.facts:
        if skip_bundled and fact.pack == "bundled":
            continue
        for citation in fact.sources:
            text = texts.get(citation.label)
            if text is None and citation.label not in corpus.documents and not skip_bundled:
                problems.append(DataError(f"cites unknown document {citation.doc!r}", fact.path,
                                          fact_id=fact.id, field="sources.doc"))
            elif text is not None and normalize_quote(citation.quote) not in text:
                problems.append(
                    DataError(
                        f"quote not found in document {citation.doc}: {citation.quote[:60]!r}",
                        fact.path, fact_id=fact.id, field="sources.quote",
                    )
                )
    return problems
