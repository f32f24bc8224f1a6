"""The per-file cache of parsed facts and derived search terms; never required, never fatal."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lmc_cli import __version__, tempfiles
from lmc_cli.load.parse import LIST_FIELDS, parse_documents, parse_fact_file
from lmc_cli.load.toml import read_toml
from lmc_cli.model import Citation, Document, Editorial, Fact

CACHE_FORMAT = 6  # 2: `questions`; 3: figures without a number (value_min ...); 4: checksummed, ctime in the key;
#                  5: `draft`; 6: records as lists in field order, CRC-32 checksums, file names without SHA-256
# The records' field names are in every key: a field added, removed or moved is a miss, not a
# record read into the wrong fields.
_SHAPE = zlib.crc32(" ".join([*Fact._fields, "|", *Document._fields]).encode())
_SOURCES, _EDITORIAL, _PACK = (Fact._fields.index(name) for name in ("sources", "editorial", "pack"))
_TUPLES = tuple(Fact._fields.index(name) for name in (*LIST_FIELDS, "disputed_by"))


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
    # ctime and the device too: `cp -p`, `rsync -t --inplace` or `touch -r` can restore size and mtime,
    # but nothing sets ctime back (F11).
    return [str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, __version__,
            CACHE_FORMAT, _SHAPE, pack]


def _cache_file(path: Path, suffix: str = ".json") -> Path:
    """The cache file of a path: named by two checksums of it (zlib's, not hashlib's: loading OpenSSL
    costs 3.5-5 ms of every start-up). Two paths sharing a name only evict each other: the key in
    the header names the path."""
    name = str(path).encode("utf-8", "surrogatepass")
    return cache_dir() / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}{suffix}"


# A cache file is two lines: a header {"key": ..., "field": ..., "crc32": ...}, then the payload, whose
# CRC-32 the header holds. A damaged file (a flipped byte, a changed value) is a miss and is rebuilt:
# a cache is untrusted input too (F4). The checksum is there for damage, not for an attacker (who
# could write a matching one of any kind next to the payload).


def _read_cache(path: Path, key: list[Any], suffix: str = ".json", field: str = "facts") -> Any:
    try:
        with open(_cache_file(path, suffix), "rb") as handle:
            header_line, _, body = handle.read().partition(b"\n")
        header = json.loads(header_line)
        if (not isinstance(header, dict) or header.get("key") != key or header.get("field") != field
                or header.get("crc32") != zlib.crc32(body)):
            return None
        value = json.loads(body)
        return value if isinstance(value, (list, dict)) else None
    except (OSError, ValueError, AttributeError, RecursionError):
        return None


def _write_cache(path: Path, key: list[Any], facts: list[Fact]) -> None:
    _write_cache_payload(path, {"key": key, "facts": [_fact_to_cache(f) for f in facts]})


def _write_cache_payload(path: Path, payload: dict[str, Any], suffix: str = ".json") -> None:
    """Write atomically (a temporary file renamed over the old one); failure is not an error."""
    try:
        directory = cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfiles.create(str(directory), prefix=".tmp-", suffix=".json")  # a signal removes it
        try:
            field = next(name for name in payload if name != "key")
            body = json.dumps(payload[field], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            header = {"key": payload["key"], "field": field, "crc32": zlib.crc32(body)}
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps(header, ensure_ascii=True, separators=(",", ":")).encode() + b"\n" + body)
            os.replace(tmp, _cache_file(path, suffix))
            tempfiles.forget(tmp)
        except BaseException:
            tempfiles.remove(tmp)
            raise
        _remove_legacy_file(path, suffix)
    except (OSError, ValueError):  # ValueError: a name that cannot be encoded
        pass


def _remove_legacy_file(path: Path, suffix: str) -> None:
    """Remove the path's cache file as formats 1-5 named it (SHA-256 of the path), if it is there.

    Nothing reads those files now, and nothing would overwrite them: without this, every path
    cached before format 6 would leave its file(s) in the cache directory for good. Done when its
    new file is written (a miss, once per path: every old file misses once), so hashlib is
    imported only then."""
    import hashlib

    name = hashlib.sha256(str(path).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    try:  # noqa: SIM105 - contextlib is not otherwise imported by a warm start-up
        os.unlink(cache_dir() / (name + suffix))
    except OSError:  # not there (the usual case), or not ours to remove
        pass


def _fact_to_cache(fact: Fact) -> list[Any]:
    """The fact's fields in order (no names: half the JSON to parse, and no keyword arguments)."""
    record: list[Any] = list(fact)
    record[_SOURCES] = [[c.doc, c.quote, c.says] for c in fact.sources]
    editorial = fact.editorial
    record[_EDITORIAL] = [editorial.reference, editorial.date, editorial.note] if editorial else None
    return record


def _fact_from_cache(record: list[Any]) -> Fact:
    if type(record) is not list:
        raise TypeError("a cached fact is a list")
    values = list(record)
    pack = values[_PACK]
    values[_SOURCES] = tuple([Citation(d, q, s, pack) for d, q, s in values[_SOURCES]])
    editorial = values[_EDITORIAL]
    values[_EDITORIAL] = Editorial(*editorial) if editorial else None
    for position in _TUPLES:
        values[position] = tuple(values[position])
    return Fact._make(values)  # a TypeError unless there are exactly as many values as fields


def load_fact_file(path: Path, pack: str, use_cache: bool = True, *, follow_links: bool = False) -> list[Fact]:
    """A fact file of a pack (as list_pack names it; follow_links=True for a file named by the user)."""
    key = _cache_key(path, pack) if use_cache else None
    if key is not None:
        cached = _read_cache(path, key)
        if cached is not None:
            try:
                return [_fact_from_cache(r) for r in cached]
            except (TypeError, KeyError, IndexError, ValueError):
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
                if not all(type(record) is list for record in cached):
                    raise TypeError("a cached document is a list")
                listed = [Document._make(record) for record in cached]
                return {document.id: document for document in listed}
            except (TypeError, KeyError, IndexError, ValueError):
                pass
    documents = parse_documents(read_toml(path, follow_links=False), str(path), pack)
    if key is not None:
        _write_cache_payload(path, {"key": key, "facts": [list(d) for d in documents.values()]})
    return documents


def code_fingerprint(*modules: Any) -> str:
    """A key for data derived by code (search terms): the code's files' sizes and mtimes. A
    data file the code reads (the lexicon) is given as a Path."""
    parts = [__version__]
    for module in modules:
        name, path = (module.name, module) if isinstance(module, Path) else (module.__name__, module.__file__)
        try:
            st = os.stat(path)
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except (OSError, TypeError, AttributeError):
            parts.append(f"{name}:?")
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
