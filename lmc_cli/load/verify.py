"""Checking a corpus against its source documents: hashes and verbatim quotes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from lmc_cli.errors import DataError
from lmc_cli.load import files
from lmc_cli.load.packs import Corpus
from lmc_cli.match.text import QUOTE_MARKS
from lmc_cli.model import Document, Ignored


def normalize_quote(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(QUOTE_MARKS)).strip()


def _document_bytes(doc: Document, seeds: Path) -> tuple[bytes, str]:
    """A document's bytes and where they were read: only a regular file directly inside `seeds`."""
    root = seeds.resolve()
    if not doc.file:
        raise DataError("has no file in sources.toml", None, fact_id=doc.id)
    try:
        where = (seeds / doc.file).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a loop, a NUL byte
        raise DataError(f"cannot read document: {exc}", doc.file, fact_id=doc.id) from None
    if where.parent != root:
        raise DataError("document file is outside the --against directory", doc.file, fact_id=doc.id)
    try:
        return files.read_regular(where, files.MAX_DOCUMENT_BYTES), str(where)
    except DataError as exc:
        raise DataError(f"cannot read document: {exc.problem}", str(where), fact_id=doc.id) from None


def _hash_problem(doc: Document, raw: bytes, where: str) -> DataError | None:
    if doc.sha256 and hashlib.sha256(raw).hexdigest() != doc.sha256:
        return DataError("SHA-256 does not match sources.toml", where, fact_id=doc.id)
    return None


def read_document(doc: Document, seeds: Path) -> str:
    """The text of a document of sources.toml, read from the --against directory `seeds` (a
    regular file directly inside it) and only if its SHA-256 is the one recorded; any problem is
    a DataError naming the document."""
    raw, where = _document_bytes(doc, seeds)
    problem = _hash_problem(doc, raw, where)
    if problem is not None:
        raise problem
    return raw.decode("utf-8", "replace")


def check_against(corpus: Corpus, seeds: Path, skip_bundled: bool = False) -> list[DataError]:
    """Every document's hash matches and every quote occurs in its document."""
    problems: list[DataError] = []
    texts: dict[str, str] = {}
    for label, doc in corpus.documents.items():
        if not doc.file or (skip_bundled and doc.pack == "bundled"):
            continue
        try:
            raw, where = _document_bytes(doc, seeds)
        except DataError as exc:
            problems.append(exc)
            continue
        problem = _hash_problem(doc, raw, where)
        if problem is not None:
            problems.append(problem)
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


def check_ignored(ignored: list[Ignored], corpus: Corpus, seeds: Path | None) -> list[DataError]:
    """Every ignore entry names a document of its own pack and, with `seeds`, quotes a sentence
    that occurs in that document (as quotes do: only whitespace and quote marks may differ)."""
    problems: list[DataError] = []
    texts: dict[str, str | None] = {}
    for entry in ignored:
        doc = corpus.documents.get(entry.label)
        if doc is None or doc.pack != entry.pack:
            problems.append(DataError(f"names document {entry.doc!r}, which is not in its pack's sources.toml",
                                      entry.path, field="doc"))
            continue
        if seeds is None or not doc.file:
            continue
        if entry.label not in texts:
            try:
                texts[entry.label] = normalize_quote(_document_bytes(doc, seeds)[0].decode("utf-8", "replace"))
            except DataError:
                texts[entry.label] = None  # check_against reports an unreadable document
        text = texts[entry.label]
        if text is not None and normalize_quote(entry.sentence) not in text:
            problems.append(DataError(f"ignored sentence not found in document {entry.doc}: {entry.sentence[:60]!r}",
                                      entry.path, field="sentence"))
    return problems
