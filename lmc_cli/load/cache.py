"""The per-file cache of parsed facts and derived search terms; never required, never fatal."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lmc_cli import __version__, tempfiles
from lmc_cli.load.parse import LIST_FIELDS, parse_documents, parse_fact_file
from lmc_cli.load.toml import read_toml
from lmc_cli.model import Citation, Document, Editorial, Fact

CACHE_FORMAT = 5  # 2: `questions`; 3: figures without a number (value_min ...); 4: checksummed, ctime in the key;
#                  5: `draft`


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
            CACHE_FORMAT, pack]


def _cache_file(path: Path, suffix: str = ".json") -> Path:
    return cache_dir() / (hashlib.sha256(str(path).encode("utf-8", "surrogatepass")).hexdigest()[:32] + suffix)


# A cache file is two lines: a header {"key": ..., "field": ..., "sha256": ...}, then the payload, whose
# SHA-256 the header holds. A damaged file (a flipped byte, a changed value) is a miss and is rebuilt:
# a cache is untrusted input too (F4).


def _read_cache(path: Path, key: list[Any], suffix: str = ".json", field: str = "facts") -> Any:
    try:
        with open(_cache_file(path, suffix), "rb") as handle:
            header_line, _, body = handle.read().partition(b"\n")
        header = json.loads(header_line)
        if (not isinstance(header, dict) or header.get("key") != key or header.get("field") != field
                or header.get("sha256") != hashlib.sha256(body).hexdigest()):
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
            header = {"key": payload["key"], "field": field, "sha256": hashlib.sha256(body).hexdigest()}
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps(header, ensure_ascii=True, separators=(",", ":")).encode() + b"\n" + body)
            os.replace(tmp, _cache_file(path, suffix))
            tempfiles.forget(tmp)
        except BaseException:
            tempfiles.remove(tmp)
            raise
    except (OSError, ValueError):  # ValueError: a name that cannot be encoded
        pass


def _fact_to_cache(fact: Fact) -> dict[str, Any]:
    record = {name: getattr(fact, name) for name in Fact._fields if name not in ("sources", "editorial")}
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
        records = [{name: getattr(d, name) for name in Document._fields} for d in documents.values()]
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
