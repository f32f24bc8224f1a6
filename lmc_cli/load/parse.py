"""Turning parsed TOML into records: the field rules of fact and source files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lmc_cli.errors import DataError
from lmc_cli.load import rules
from lmc_cli.model import MAGNITUDES, Citation, Document, Editorial, Fact, Ignored, date_bounds

SOURCES_FILE = "sources.toml"


ID_PATTERN = rules.SLUG_RE


STRING_FIELDS = ("title", "text", "place", "level", "unit", "qualifier", "measure", "amount_text", "role")


LIST_FIELDS = ("aliases", "keywords", "questions", "participants", "outcomes", "related")


FACT_FIELDS = frozenset(
    {"id", "table", "sources", "date", "date_end", "editorial", "ordinal", "value", "value_min", "value_max",
     "magnitude", "speaker"}
    | set(rules.BOOLEAN_FIELDS)
    | set(STRING_FIELDS)
    | set(LIST_FIELDS)
)


DOCUMENT_FIELDS = frozenset(
    {"id", "file", "sha256", "title", "title_is_descriptive", "kind", "author", "translator",
     "affiliation", "outlet", "note"}
)


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
    for name in rules.BOOLEAN_FIELDS:
        if name in entry:
            if not rules.is_boolean(entry[name]):
                raise DataError("must be true or false", path, fact_id=fact_id, field=name)
            values[name] = entry[name]
    values.update(_parse_figure(entry, path, fact_id))
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


def _parse_figure(entry: dict[str, Any], path: str, fact_id: str) -> dict[str, Any]:
    """A figure: a number (`value`), a range, an order of magnitude, or the source's words alone.

    Never two kinds at once, and never an order of magnitude without the words that give it.
    """
    figure: dict[str, Any] = {}
    for name in ("value", "value_min", "value_max"):
        if name in entry:
            if not rules.is_number(entry[name]):
                raise DataError("must be a finite number a float can hold (not inf, nan or a huge integer)", path,
                                fact_id=fact_id, field=name)
            figure[name] = entry[name]
    if "magnitude" in entry:
        magnitude = entry["magnitude"]
        if not isinstance(magnitude, str) or magnitude not in MAGNITUDES:
            raise DataError(f"must be one of: {', '.join(MAGNITUDES)}", path, fact_id=fact_id, field="magnitude")
        figure["magnitude"] = magnitude
    for name, other in (("value_min", "value_max"), ("value_max", "value_min")):
        if name in figure and other not in figure:
            raise DataError(f"needs {other} (a range has both ends)", path, fact_id=fact_id, field=name)
    if "value" in figure:
        for name in ("value_min", "magnitude"):
            if name in figure:
                raise DataError(f"a figure is a value or a {'range' if name == 'value_min' else name}, not both",
                                path, fact_id=fact_id, field=name)
    if "value_min" in figure and "magnitude" in figure:
        raise DataError("a figure is a range or a magnitude, not both", path, fact_id=fact_id, field="magnitude")
    if "magnitude" in figure and "amount_text" not in entry:
        raise DataError("needs amount_text, the source's words for the figure", path, fact_id=fact_id,
                        field="magnitude")
    if "value_min" in figure and figure["value_min"] > figure["value_max"]:
        raise DataError(f"value_min {figure['value_min']} is above value_max {figure['value_max']}", path,
                        fact_id=fact_id, field="value_min")
    return figure


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


def parse_ignore_file(data: dict[str, Any], path: Path, pack: str) -> list[Ignored]:
    """A pack's coverage ignore file (rules.IGNORE_FILE): `[[ignore]]` entries of `doc`, the
    `sentence` as the document writes it, and the `reason` it carries no fact; each sentence once."""
    where = str(path)
    unknown = sorted(set(data) - {"ignore"})
    if unknown:
        raise DataError(f"unknown top-level key {unknown[0]!r} (an ignore file holds [[ignore]] entries)", where,
                        field=unknown[0])
    entries = data.get("ignore", [])
    if not isinstance(entries, list):
        raise DataError("'ignore' must be an array of tables ([[ignore]])", where)
    found: list[Ignored] = []
    seen: set[tuple[str, str]] = set()
    for number, entry in enumerate(entries, 1):
        at = f"ignore[{number}]"
        if not isinstance(entry, dict):
            raise DataError("each [[ignore]] must be a table", where, field=at)
        unknown = sorted(set(entry) - rules.IGNORE_FIELDS)
        if unknown:
            raise DataError(f"unknown field {unknown[0]!r}", where, field=f"{at}.{unknown[0]}")
        doc = _check_str(entry.get("doc"), where, None, f"{at}.doc")
        if not rules.DOCUMENT_ID_RE.search(doc):
            raise DataError("must be a document id (letters, digits, '.', '_' or '-')", where, field=f"{at}.doc")
        sentence = _check_str(entry.get("sentence"), where, None, f"{at}.sentence")
        reason = _check_str(entry.get("reason"), where, None, f"{at}.reason")
        key = (doc, " ".join(sentence.split()))
        if key in seen:
            raise DataError("the same sentence is ignored twice", where, field=f"{at}.sentence")
        seen.add(key)
        found.append(Ignored(doc=doc, sentence=sentence, reason=reason, pack=pack, path=where))
    return found
