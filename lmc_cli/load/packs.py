"""Fact packs and the corpus: locating packs, loading them, and the cross-fact checks."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from lmc_cli.errors import DataError
from lmc_cli.lazy import LazyPatterns
from lmc_cli.load import files, rules
from lmc_cli.load.cache import load_documents_file, load_fact_file
from lmc_cli.load.parse import SOURCES_FILE
from lmc_cli.match.text import fold
from lmc_cli.model import Document, Fact, Ignored, answerable

# Compiled on first use (only a user pack's name needs it): packs.PACK_NAME_UNSAFE.
PATTERNS = LazyPatterns(__name__, PACK_NAME_UNSAFE=f"[:{rules.UNSAFE_CHARACTERS}{rules.LINE_BREAKS}]")


def __getattr__(name: str) -> re.Pattern[str]:
    return PATTERNS.module_attribute(name)


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
    hidden_drafts: int = 0  # draft facts loaded and checked but left out (load_corpus without drafts)
    # Each loaded pack's directory, by pack name ("bundled" first): where its ignore file is.
    directories: dict[str, Path] = field(default_factory=dict)

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


def pack_files(directory: Path) -> list[Path]:
    """The fact files of a pack: its *.toml files, links resolved to the sibling they name, side
    files (`.#x.toml`, `._x.toml`) and the coverage ignore file (rules.IGNORE_FILE) left out; a
    link out of the pack, a loop, a FIFO or an unreadable directory makes the pack broken (a
    DataError). See load/files.py."""
    return [p for p in files.list_pack(directory) if p.name != rules.IGNORE_FILE]


def ignore_file(directory: Path) -> Path | None:
    """The pack's coverage ignore file, if it has one (listed as safely as its fact files)."""
    found = [p for p in files.list_pack(directory) if p.name == rules.IGNORE_FILE]
    return found[0] if found else None


def load_ignored(directory: Path, name: str) -> list[Ignored]:
    """The sentences a pack's ignore file lists (none without the file); its shape checked by
    parse.parse_ignore_file, a problem raised as a DataError naming the file."""
    from lmc_cli.load.parse import parse_ignore_file
    from lmc_cli.load.toml import read_toml

    path = ignore_file(directory)
    if path is None:
        return []
    return parse_ignore_file(read_toml(path, follow_links=False), path, name)


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
    base = PATTERNS.PACK_NAME_UNSAFE.sub("-", os.path.basename(os.path.abspath(directory))) or "pack"
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
                c if c.doc in pack.documents else c._replace(pack="bundled") for c in fact.sources
            )
            pack.facts[position] = fact._replace(sources=sources)


def check_corpus(facts: Sequence[Fact]) -> None:
    """Cross-fact rules (see corpus_problems): the first problem raises DataError."""
    problems = corpus_problems(facts)
    if problems:
        raise problems[0]


class Checkable(Protocol):
    """What the cross-fact checks read of a fact (a Fact, or the index's summary of one)."""

    @property
    def id(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def related(self) -> Sequence[str]: ...
    @property
    def speaker(self) -> str | None: ...
    @property
    def aliases(self) -> Sequence[str]: ...


def corpus_problems(facts: Sequence[Checkable], known: Sequence[Checkable] = ()) -> list[DataError]:
    """Every cross-fact problem of `facts`: duplicate ids, references (`related`, `speaker`)
    that resolve neither among them nor among `known`, aliases that collide."""
    problems: list[DataError] = []
    seen: dict[str, Checkable] = {f.id: f for f in known}
    for fact in facts:
        first = seen.get(fact.id)
        if first is not None and first is not fact:
            problems.append(DataError(f"duplicate id, also defined in {first.path}", fact.path, fact_id=fact.id,
                                      field="id"))
        seen.setdefault(fact.id, fact)
    aliases: dict[str, Checkable] = {}
    for fact in facts:
        for name in fact.related:
            if name not in seen:
                problems.append(DataError(f"related id {name!r} does not exist", fact.path, fact_id=fact.id,
                                          field="related"))
        if fact.speaker and fact.speaker not in seen:
            problems.append(DataError(f"speaker id {fact.speaker!r} does not exist", fact.path, fact_id=fact.id,
                                      field="speaker"))
        for alias in fact.aliases:
            key = fold(alias).strip()
            other = aliases.get(key)
            if other is not None and other.id != fact.id:
                problems.append(DataError(f"alias {alias!r} is also an alias of {other.id!r} ({other.path})",
                                          fact.path, fact_id=fact.id, field="aliases"))
            aliases.setdefault(key, fact)
    return problems


def citation_problems(facts: Sequence[Fact], documents: Iterable[Document]) -> list[DataError]:
    """Every citation of `facts` that names no document of `documents`."""
    known = {d.id for d in documents}
    return [DataError(f"cites unknown document {c.doc!r}", fact.path, fact_id=fact.id, field="sources.doc")
            for fact in facts for c in fact.sources if c.doc not in known]


def mark_disputes(facts: list[Fact]) -> list[Fact]:
    disputes: dict[str, list[str]] = {}
    for fact in facts:
        if fact.table == "conflicts":
            for name in fact.related:
                disputes.setdefault(name, []).append(fact.id)
    if not disputes:
        return facts
    return [f._replace(disputed_by=tuple(disputes[f.id])) if f.id in disputes else f for f in facts]


def skipped(exc: DataError, name: str) -> DataError:
    """A user pack's problem, as the warning that it was left out says it."""
    exc.problem = f"{exc.problem} (pack {name!r} skipped)"
    exc.args = (exc._format(),)
    exc.message = exc._format()
    return exc


def load_corpus(
    extra_dirs: Sequence[Path] = (), bundled: bool = True, use_cache: bool = True, *, drafts: bool = False
) -> Corpus:
    """Load the bundled pack and user packs; a broken user pack is reported, not fatal.

    Draft facts (`draft = true`, written by lmc draft) are loaded and checked like any other, then
    left out of the corpus unless `drafts`: this is the one place that hides them from every command."""
    corpus = Corpus()
    packs: list[Pack] = []
    if bundled:
        packs.append(load_pack(bundled_dir(), "bundled", use_cache))
        corpus.directories["bundled"] = bundled_dir()
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
            corpus.problems.append(skipped(exc, name))
            continue
        packs.append(pack)
        corpus.directories[name] = directory
        corpus.documents.update({d.label: d for d in pack.documents.values()})
    loaded = [f for p in packs for f in p.facts]
    facts = answerable(loaded, drafts)
    corpus.hidden_drafts = len(loaded) - len(facts)
    corpus.facts = mark_disputes(facts)
    return corpus


def env_fact_dirs() -> list[Path]:
    raw = os.environ.get("LMC_FACTS_PATH", "")
    return [Path(p) for p in raw.split(os.pathsep) if p]
