"""Checking a corpus against its source documents: hashes and verbatim quotes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from lmc_cli.errors import DataError
from lmc_cli.load import files
from lmc_cli.load.packs import Corpus
from lmc_cli.match.text import QUOTE_MARKS


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
