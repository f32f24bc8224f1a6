"""Sentence coverage of the documents by the facts: `lmc coverage --against DIR`.

For every document, every sentence, its checkable elements (curate/elements.py) and whether
the facts that cite the document state each one. An element is covered when a fact citing
the document states it:

- in a quote: the element's place in the document lies inside one of the fact's quotes; or
- in its fields, when the fact quotes part of the same sentence: title, text, aliases, place,
  participants, outcomes, level, role, measure, unit, qualifier, amount_text, magnitude,
  value, value_min, value_max, ordinal, date, date_end, the `says` of its quotes of the
  document; a claim (reporting verb) is stated by a fact that names who said it (a `speaker`,
  or a reporting verb in its text).

A word shared with a fact states nothing: a number is stated only by that number, a name
only by that name. Keywords and questions are search aids and state nothing; an editorial
comes from the public record, not from the document. A sentence is covered when all its elements are; it is ignored
when its pack's ignore file (rules.IGNORE_FILE) lists it with a reason, at most
rules.MAX_IGNORED_SHARE of the pack's checkable sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmc_cli.curate import elements as el
from lmc_cli.errors import DataError, LmcError, NoMatch
from lmc_cli.load import rules
from lmc_cli.load.packs import Corpus
from lmc_cli.model import Document, Fact, Ignored

_QUOTE_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_SPACE = re.compile(r"\s+")
_SCALES = {"million": 10**6, "billion": 10**9, "trillion": 10**12}
_NUMBER_IN_TEXT = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:st|nd|rd|th)?(?:\s+(million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+")
_ISO = {name.casefold(): number for number, name in enumerate(el.MONTH_NAMES, 1)}


class CoverageIncomplete(LmcError):
    """Some checkable sentence is neither covered nor ignored: exit 1, as grep finds nothing."""

    code = NoMatch.code


@dataclass(frozen=True)
class ElementCoverage:
    kind: str
    text: str
    start: int  # in the sentence
    by: tuple[str, ...]  # the facts that state it
    how: str | None  # quote | fields: how it is stated (module docstring), None when it is not

    @property
    def covered(self) -> bool:
        return bool(self.by)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "covered": self.covered, "how": self.how, "by": list(self.by)}


@dataclass(frozen=True)
class SentenceCoverage:
    doc: str  # the document's label
    index: int
    start: int
    end: int
    text: str
    heading: bool
    elements: tuple[ElementCoverage, ...]
    quoted_by: tuple[str, ...]  # facts with a quote of (part of) the sentence
    reason: str | None = None  # why the ignore file ignores it

    @property
    def checkable(self) -> bool:
        return bool(self.elements)

    @property
    def covered(self) -> bool:
        return self.checkable and all(e.covered for e in self.elements)

    @property
    def status(self) -> str:
        if not self.checkable:
            return "not checkable"
        if self.covered:
            return "covered"
        return "ignored" if self.reason is not None else "uncovered"

    def missing(self) -> list[ElementCoverage]:
        return [e for e in self.elements if not e.covered]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc, "index": self.index, "start": self.start, "end": self.end, "text": self.text,
            "status": self.status, "checkable": self.checkable, "heading": self.heading,
            "quoted_by": list(self.quoted_by),
            "missing": [e.text for e in self.missing()], "reason": self.reason,
            "elements": [e.to_dict() for e in self.elements],
        }


@dataclass(frozen=True)
class DocumentCoverage:
    doc: str
    file: str
    sentences: int
    checkable: int
    covered: int
    ignored: int

    @property
    def uncovered(self) -> int:
        return self.checkable - self.covered - self.ignored

    @property
    def percent(self) -> float:
        """Checkable sentences covered or ignored with a reason, in per cent (100 with none)."""
        return 100.0 if not self.checkable else round(100 * (self.covered + self.ignored) / self.checkable, 1)

    @property
    def covered_percent(self) -> float:
        return 100.0 if not self.checkable else round(100 * self.covered / self.checkable, 1)

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "file": self.file, "sentences": self.sentences, "checkable": self.checkable,
                "covered": self.covered, "ignored": self.ignored, "uncovered": self.uncovered,
                "percent": self.percent, "covered_percent": self.covered_percent}


@dataclass(frozen=True)
class PackIgnores:
    pack: str
    file: str | None
    ignored: int
    checkable: int

    @property
    def limit(self) -> int:
        return rules.ignore_limit(self.checkable)

    def to_dict(self) -> dict[str, Any]:
        return {"pack": self.pack, "file": self.file, "ignored": self.ignored, "checkable": self.checkable,
                "limit": self.limit, "max_share": rules.MAX_IGNORED_SHARE}


@dataclass(frozen=True)
class CoverageReport:
    documents: tuple[DocumentCoverage, ...]
    sentences: tuple[SentenceCoverage, ...]  # in document order
    ignores: tuple[PackIgnores, ...] = field(default=())

    @property
    def uncovered(self) -> list[SentenceCoverage]:
        return [s for s in self.sentences if s.status == "uncovered"]

    def ordered(self) -> list[SentenceCoverage]:
        """Uncovered checkable sentences first, then every other, each group in document order."""
        return self.uncovered + [s for s in self.sentences if s.status != "uncovered"]

    def totals(self) -> DocumentCoverage:
        return DocumentCoverage("all", "", sum(d.sentences for d in self.documents),
                                sum(d.checkable for d in self.documents), sum(d.covered for d in self.documents),
                                sum(d.ignored for d in self.documents))

    def to_dict(self) -> dict[str, Any]:
        return {"documents": [d.to_dict() for d in self.documents], "total": self.totals().to_dict(),
                "ignores": [i.to_dict() for i in self.ignores],
                "sentences": [s.to_dict() for s in self.ordered()]}


# -- reading a document's quotes ------------------------------------------------------------


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` with curly quote marks made straight and each run of white space one space, and
    for every character of the result its offset in `text`."""
    out: list[str] = []
    offsets: list[int] = []
    translated = text.translate(_QUOTE_MARKS)
    for match in re.finditer(r"\s+|\S+", translated):
        if match.group(0)[0].isspace():
            out.append(" ")
            offsets.append(match.start())
        else:
            out.append(match.group(0))
            offsets.extend(range(match.start(), match.end()))
    return "".join(out), offsets


def quote_spans(document: str, quote: str) -> list[tuple[int, int]]:
    """Where `quote` occurs in `document` (offsets in the document), as `lmc validate` finds it."""
    haystack, offsets = _normalised_with_offsets(document)
    needle = _SPACE.sub(" ", quote.translate(_QUOTE_MARKS)).strip()
    spans: list[tuple[int, int]] = []
    if not needle:
        return spans
    at = haystack.find(needle)
    while at >= 0:
        last = at + len(needle) - 1
        spans.append((offsets[at], offsets[last] + 1))
        at = haystack.find(needle, at + 1)
    return spans


# -- what a fact's fields state -------------------------------------------------------------


@dataclass(frozen=True)
class _Stated:
    """A fact's fields as coverage reads them: text (normalised) and the numbers it gives."""

    fact: Fact
    text: str
    numbers: frozenset[float]
    dates: tuple[str, ...]
    attributes: bool  # it names who said it: a speaker, or a reporting verb in its text


def _numbers_in(text: str) -> set[float]:
    found: set[float] = set()
    for match in _NUMBER_IN_TEXT.finditer(text):
        whole = float(match.group(1).replace(",", "") + ("." + match.group(2) if match.group(2) else ""))
        found.add(whole)
        if match.group(3):
            found.add(whole * _SCALES[match.group(3).lower()])
    values = el.number_values()
    found.update(float(values[w]) for w in _WORD.findall(text.casefold()) if w in values)
    return found


def _stated(fact: Fact, label: str) -> _Stated:
    parts: list[str] = [fact.title, fact.text, *fact.aliases, *fact.participants, *fact.outcomes]
    parts += [v for v in (fact.place, fact.level, fact.role, fact.measure, fact.unit, fact.qualifier,
                          fact.amount_text, fact.magnitude) if v]
    parts += [c.says for c in fact.sources if c.label == label and c.says]
    text = " | ".join(el.normal(p) for p in parts)
    numbers = _numbers_in(text)
    numbers.update(float(v) for v in (fact.value, fact.value_min, fact.value_max, fact.ordinal) if v is not None)
    dates = tuple(d for d in (fact.date, fact.date_end) if d)
    attributes = fact.speaker is not None or el.REPORTING.search(fact.text) is not None or bool(
        re.search(r"\b(?:reports|reported|according to|says|said)\b", fact.text))
    return _Stated(fact, text, frozenset(numbers), dates, attributes)


def _contains(haystack: str, needle: str) -> bool:
    if not needle:
        return False
    return re.search(rf"(?<![\w]){re.escape(needle)}(?![\w])", haystack) is not None


def _number_value(text: str) -> float | None:
    """The number a number element gives ('4,880' 4880; '$1.7 billion' 1.7e9; 'Ninth' 9), or
    None for a magnitude word without a number ('billions')."""
    match = _NUMBER_IN_TEXT.search(text.replace("$", ""))
    if match:
        whole = float(match.group(1).replace(",", "") + ("." + match.group(2) if match.group(2) else ""))
        return whole * _SCALES[match.group(3).lower()] if match.group(3) else whole
    return float(el.number_values()[text.casefold()]) if text.casefold() in el.number_values() else None


def _iso(text: str) -> str | None:
    """A date element as the ISO prefix a fact's date would start with ('March 2016': '2016-03')."""
    words = re.findall(r"[A-Za-z]+|\d+", text)
    year = next((int(w) for w in words if w.isdigit() and len(w) == 4), None)
    month = next((_ISO[w.casefold()] for w in words if w.casefold() in _ISO), None)
    day = next((int(w) for w in words if w.isdigit() and len(w) <= 2), None)
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


def states(stated: _Stated, element: el.Element) -> bool:
    """Whether a fact's fields state an element (module docstring)."""
    kind, text = element.kind, el.normal(element.text)
    if kind == "number":
        value = _number_value(element.text)
        if value is None:  # an order of magnitude in words
            return _contains(stated.text, text.rstrip("s")) or _contains(stated.text, text)
        return value in stated.numbers
    if kind == "date":
        iso = _iso(element.text)
        if iso is not None and any(d.startswith(iso) for d in stated.dates):
            return True
        if _contains(stated.text, text):
            return True
        words = text.replace(",", "").split()
        return len(words) > 1 and all(_contains(stated.text, w) for w in words)
    if kind == "claim":
        return stated.attributes
    return _contains(stated.text, text)


# -- the report -------------------------------------------------------------------------------


def document_coverage(
    doc: Document, text: str, facts: Sequence[Fact], ignored: Mapping[str, Ignored] | None = None,
) -> list[SentenceCoverage]:
    """Every sentence of one document, its elements and the facts (citing it) that state them.
    `ignored`: the ignore file's entries for this document, by their normalised sentence."""
    label = doc.label
    citing = [f for f in facts if any(c.label == label for c in f.sources)]
    spans = [(f.id, span) for f in citing for c in f.sources if c.label == label
             for span in quote_spans(text, c.quote)]
    fields = {f.id: _stated(f, label) for f in citing}
    found: list[SentenceCoverage] = []
    for sentence, items in el.document_elements(text):
        quoted = tuple(dict.fromkeys(fid for fid, (a, b) in spans if a < sentence.end and sentence.start < b))
        covered: list[ElementCoverage] = []
        for element in items:
            at = sentence.start + element.start
            by_quote = [fid for fid, (a, b) in spans if a <= at and at + len(element.text) <= b]
            by_fields = [fid for fid in quoted if states(fields[fid], element)]
            by = tuple(dict.fromkeys([*by_quote, *by_fields]))
            how = "quote" if by_quote else "fields" if by_fields else None
            covered.append(ElementCoverage(element.kind, element.text, element.start, by, how))
        entry = (ignored or {}).get(_key(sentence.text))
        found.append(SentenceCoverage(label, sentence.index, sentence.start, sentence.end, sentence.text,
                                      sentence.heading, tuple(covered), quoted,
                                      entry.reason if entry else None))
    return found


def _key(sentence: str) -> str:
    return _SPACE.sub(" ", sentence.translate(_QUOTE_MARKS)).strip()


def measure(
    corpus: Corpus, texts: Mapping[str, str], ignored: Iterable[Ignored] = (),
    ignore_files: Mapping[str, str | None] | None = None,
) -> CoverageReport:
    """Coverage of the documents in `texts` (label: text) by the corpus's facts.

    Raises DataError (every problem is in `.problems` of the one raised, see CoverageProblems)
    for an ignore entry that names no sentence, a sentence that is not checkable or is covered,
    and a pack that ignores more than MAX_IGNORED_SHARE of its checkable sentences."""
    entries = list(ignored)
    by_doc: dict[str, dict[str, Ignored]] = {}
    for entry in entries:
        by_doc.setdefault(entry.label, {})[_key(entry.sentence)] = entry
    sentences: list[SentenceCoverage] = []
    documents: list[DocumentCoverage] = []
    for label, text in texts.items():
        doc = corpus.documents[label]
        found = document_coverage(doc, text, corpus.facts, by_doc.get(label))
        sentences.extend(found)
        checkable = [s for s in found if s.checkable]
        documents.append(DocumentCoverage(label, doc.file or "", len(found), len(checkable),
                                          sum(s.covered for s in checkable),
                                          sum(s.status == "ignored" for s in checkable)))
    problems = _ignore_problems(entries, sentences, texts)
    packs: dict[str, list[int]] = {}
    for label in texts:
        pack = corpus.documents[label].pack
        tally = packs.setdefault(pack, [0, 0])
        tally[1] += sum(s.checkable for s in sentences if s.doc == label)
        tally[0] += sum(s.status == "ignored" for s in sentences if s.doc == label)
    ignores = tuple(PackIgnores(pack, (ignore_files or {}).get(pack), n, checkable)
                    for pack, (n, checkable) in packs.items())
    for item in ignores:
        if item.ignored > item.limit:
            problems.append(DataError(
                f"{item.ignored} sentences ignored, over the limit of {item.limit}: at most "
                f"{rules.MAX_IGNORED_SHARE:.0%} of the pack's {item.checkable} checkable sentences may be ignored; "
                "state the others in facts", item.file or f"pack {item.pack}"))
    if problems:
        raise CoverageProblems(problems)
    return CoverageReport(tuple(documents), tuple(sentences), ignores)


class CoverageProblems(DataError):
    """Every problem of the ignore files at once; the message is the first, `.problems` all."""

    def __init__(self, problems: list[DataError]) -> None:
        first = problems[0]
        super().__init__(first.problem, first.path, fact_id=first.fact_id, field=first.field)
        self.problems = problems


def _ignore_problems(entries: list[Ignored], sentences: list[SentenceCoverage],
                     texts: Mapping[str, str]) -> list[DataError]:
    by_key = {(s.doc, _key(s.text)): s for s in sentences}
    problems: list[DataError] = []
    for entry in entries:
        if entry.label not in texts:
            continue
        sentence = by_key.get((entry.label, _key(entry.sentence)))
        short = entry.sentence[:60]
        if sentence is None:
            problems.append(DataError(f"ignores {short!r}, which is not a whole sentence of document {entry.doc} "
                                      "(write the sentence as lmc coverage lists it)", entry.path, field="sentence"))
        elif not sentence.checkable:
            problems.append(DataError(f"ignores {short!r}, which has nothing checkable; remove the entry",
                                      entry.path, field="sentence"))
        elif sentence.covered:
            problems.append(DataError(f"ignores {short!r}, which the facts cover; remove the entry",
                                      entry.path, field="sentence"))
    return problems


def run(corpus: Corpus, against: Path, labels: Iterable[str] | None = None) -> CoverageReport:
    """Coverage of the corpus's documents (or of `labels`) as read from `against`, with each
    pack's ignore file: the library function behind `lmc coverage`."""
    from lmc_cli.load.packs import ignore_file, load_ignored
    from lmc_cli.load.verify import check_ignored, read_document

    chosen = list(labels) if labels is not None else [k for k, d in corpus.documents.items() if d.file]
    problems: list[DataError] = []
    texts: dict[str, str] = {}
    for label in chosen:
        try:
            texts[label] = read_document(corpus.documents[label], against)
        except DataError as exc:
            problems.append(exc)
    packs = {corpus.documents[label].pack for label in chosen}
    ignored: list[Ignored] = []
    files: dict[str, str | None] = {}
    for pack in sorted(packs):
        directory = corpus.directories.get(pack)
        if directory is None:
            continue
        try:
            path = ignore_file(directory)
            files[pack] = str(path) if path else None
            entries = load_ignored(directory, pack)
        except DataError as exc:
            problems.append(exc)
            continue
        problems.extend(check_ignored(entries, corpus, against))
        ignored.extend(e for e in entries if e.label in texts)
    if problems:
        raise CoverageProblems(problems)
    return measure(corpus, texts, ignored, files)
