"""lmc draft: register a new document in a pack and write a draft fact file from it.

One stub per checkable sentence (a sentence with a number, a date, a multi-word name or a
reporting verb, as elements.py finds them, or a date or figure of dates.py and figures.py): the
sentence as its verbatim quote and as its text, a date only as precise as the sentence gives it
(relative dates flagged, never resolved), the figure's value, unit and qualifier, the named
meetings and bodies as candidate titles, and `draft = true`, which keeps lmc from answering from
the stub (unless --drafts) and which `lmc validate` reports until a curator removes it.

The pack's sources.toml gets one [[document]] entry appended: its bytes before stay as they were.
Both files are written by the one atomic writer (output/atomic.py); nothing is written when any
check fails, and if the second write fails the first is taken back.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lmc_cli.errors import DataError, ExitCode, LmcError, UsageError
from lmc_cli.load import rules

# What the curate extra brings, by import name.
EXTRA_MODULES = ("pysbd", "dateparser")
INSTALL = "lmc draft needs the curate extra; install it with: pip install 'lmc-cli[curate]'"
SOURCES_FILE = "sources.toml"


class MissingExtra(LmcError):
    code = ExitCode.USAGE


def require_extra() -> None:
    """One line saying how to install the curate extra, when a module of it is missing."""
    if any(importlib.util.find_spec(name) is None for name in EXTRA_MODULES):
        raise MissingExtra(INSTALL)


# --- the document's own words about itself -----------------------------------------------------


@dataclass(frozen=True)
class Header:
    title: str | None = None  # the headline, when the text opens with one
    author: str | None = None  # a byline line ("Ni Yueju")
    affiliation: str | None = None  # "(The author is a research fellow at ...)"
    outlet: str | None = None  # a dateline ("WNAM REPORT: ...", "BEIJING, Aug 16 (Xinhua) --")
    lines: tuple[int, ...] = ()  # the lines that are title or byline, not sentences to draft


_BYLINE = re.compile(r"(?:By\s+)?((?:[A-Z][a-z'’.-]*|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’.-]*|[A-Z]\.)){1,3})")  # noqa: RUF001
_DATELINE = re.compile(r"([A-Z][A-Z0-9&.'’ -]{1,40}[A-Z])\s*:\s")  # noqa: RUF001
_AGENCY = re.compile(r"[A-Z][A-Za-z .,]{0,40}\(([A-Z][\w .&-]{1,40})\)\s*(?:--|—|–|-)\s")
_AFFILIATION = re.compile(r"\((?:The|the) author is (?:an? )?([^()\n]+?)\.?\)")


def read_header(text: str) -> Header:
    """Title, byline, affiliation and outlet, only where the text states them in the usual places."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return Header()
    title = author = None
    used: list[int] = []
    first = lines[filled[0]].strip()
    following = lines[filled[1]].strip() if len(filled) > 1 else ""
    byline = _BYLINE.fullmatch(first)
    if byline and len(following.split()) > 12:
        author = byline.group(1)
        used.append(filled[0])
    elif _is_headline(first, lines, filled[0]):
        title = first
        used.append(filled[0])
        after = lines[filled[2]].strip() if len(filled) > 2 else ""
        byline = _BYLINE.fullmatch(following)
        if byline and len(after.split()) > 12:  # a byline under the headline
            author = byline.group(1)
            used.append(filled[1])
    body = next((lines[i].strip() for i in filled if i not in used), "")
    outlet = None
    dateline = _DATELINE.match(body) or _AGENCY.match(body)
    if dateline:
        outlet = dateline.group(1).strip()
    affiliation = _AFFILIATION.search(text)
    return Header(title=title, author=author, outlet=outlet,
                  affiliation=affiliation.group(1).strip() if affiliation else None, lines=tuple(used))


def _is_headline(line: str, lines: list[str], index: int) -> bool:
    words = line.split()
    if not 3 <= len(words) <= 20 or line[-1] in ".,;:!?\"”’)":  # noqa: RUF001
        return False
    blank_after = index + 1 < len(lines) and not lines[index + 1].strip()
    capitalised = sum(1 for w in words if w[:1].isupper())
    return blank_after or capitalised * 2 >= len(words)


# --- stubs ---------------------------------------------------------------------------------------


@dataclass
class Stub:
    id: str
    sentence: int  # 1-based number of the sentence in the document
    quote: str
    table: str
    title: str
    candidates: list[str] = field(default_factory=list)
    date: str | None = None
    date_end: str | None = None
    relative: list[str] = field(default_factory=list)
    other_dates: list[str] = field(default_factory=list)
    figure: object | None = None  # figures.Figure
    other_figures: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    """A document id as the start of fact ids: lowercase, a-z 0-9 and '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "doc"


def _title_words() -> dict[str, str]:
    from lmc_cli.curate.words import entries

    return {word: entry["table"] for word, entry in entries("title_words").items()}


_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth",
                      re.IGNORECASE)
_TOKEN = re.compile(r"\([A-Z][A-Za-z]{1,9}\)|[\w’'+-]+|\S")  # noqa: RUF001 - the curly apostrophe is meant
_CONNECTORS = frozenset({"of", "and", "the", "for", "on", "in", "de"})
# Capitalised words that open a sentence or clause without being part of a name.
_OPENERS = frozenset({"The", "A", "An", "During", "At", "In", "On", "By", "For", "From", "Since", "After", "Before",
                      "Under", "Through", "With", "As", "Its", "This", "That", "These", "Those", "Despite",
                      "Although", "Though", "While", "When", "If", "Because", "Like", "Unlike", "Moreover",
                      "However", "Meanwhile", "Firstly", "Secondly", "Thirdly", "Finally", "Today"})


def _capitalised(token: str) -> bool:
    return token[:1].isupper() or (token.startswith("(") and token.endswith(")"))


def candidate_titles(sentence: str) -> list[tuple[str, str]]:
    """Named meetings and bodies of a sentence, as (title, table), in order: a run of capitalised
    words (with 'of', 'and', 'the' ... and '(LMC)' inside) around a word of words.json title_words,
    whose table it takes, with the ordinal before it ('Fourth ...', '17th ...')."""
    from lmc_cli.curate.dates import MONTHS

    words = _title_words()
    dates = re.compile(rf"(?:{MONTHS}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
    tokens = list(_TOKEN.finditer(sentence))
    text = [m.group(0) for m in tokens]

    def name_word(k: int) -> bool:
        return 0 <= k < len(text) and _capitalised(text[k]) and not dates.match(text[k])

    spans: list[tuple[int, int, str]] = []
    for i, token in enumerate(text):
        if token not in words:
            continue
        j = i
        while j > 0 and (name_word(j - 1) or (text[j - 1] in _CONNECTORS and name_word(j - 2))):
            j -= 1
        while j < i and (text[j] in _CONNECTORS or text[j] in _OPENERS):
            j += 1
        k = i
        while True:
            if name_word(k + 1):
                k += 1
            elif k + 2 < len(text) and text[k + 1] in _CONNECTORS and name_word(k + 2):
                k += 2
            elif (k + 3 < len(text) and text[k + 1] in _CONNECTORS and text[k + 2] == "the"
                  and name_word(k + 3)):
                k += 3
            else:
                break
        if j == k:
            continue  # a title word alone ("Meeting") names nothing
        start, end = tokens[j].start(), tokens[k].end()
        name = sentence[start:end]
        # The head of the name gives the table: the last title word before a preposition
        # ("Ministerial Conference on ... Cooperation" is a meeting).
        head = next((n for n in range(j, k + 1) if text[n] in ("of", "on", "in", "for")), k + 1)
        token = [w for w in text[j:head] if w in words][-1] if any(w in words for w in text[j:head]) else token
        if j > 0 and _ORDINAL.fullmatch(text[j - 1]):
            name = f"{text[j - 1][:1].upper()}{text[j - 1][1:]} {name}"
            start = tokens[j - 1].start()
        spans.append((start, end, name + "\0" + words[token]))
    found: list[tuple[str, str]] = []
    for start, end, entry in spans:
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in spans):
            continue  # inside a longer name of the same sentence
        name, table = entry.split("\0")
        if all(name != title for title, _ in found):
            found.append((name, table))
    return found


def make_stubs(text: str, doc_id: str, skip_lines: tuple[int, ...] = (), *,
               every: bool = False) -> tuple[list[Stub], int]:
    """The stubs of a document (of its checkable sentences, or of `every` one), and how many sentences it has."""
    from lmc_cli.curate.dates import find_dates
    from lmc_cli.curate.elements import elements, split
    from lmc_cli.curate.figures import find_figures

    sentences = split(text)
    stubs: list[Stub] = []
    prefix = slug(doc_id)
    for sentence in sentences:
        if text.count("\n", 0, sentence.start) in skip_lines:
            continue  # the headline or the byline: the document's, not a sentence of it
        found = elements(sentence.text)
        dates = find_dates(sentence.text)
        absolute = [d for d in dates if not d.relative]
        figures = find_figures(sentence.text, [(d.start, d.end) for d in absolute])
        if not (found or dates or figures or every):
            continue
        titles = candidate_titles(sentence.text)
        claims = [e.text for e in found if e.kind == "claim"]
        number = sentence.index + 1
        names = [_clean_name(e.text) for e in found if e.kind == "name"]
        names = [n for n in names if len(n.split()) >= 2 and n in sentence.text]
        stub = Stub(id=f"{prefix}-{number:03d}", sentence=number, quote=sentence.text, table="statements",
                    title=titles[0][0] if titles else names[0] if names else _first_words(sentence.text),
                    candidates=[t for t, _ in titles], claims=claims)
        if absolute:
            stub.date, stub.date_end = absolute[0].value, absolute[0].end_value
            stub.other_dates = [d.text for d in absolute[1:]]
        stub.relative = [d.text for d in dates if d.relative]
        if figures:  # a figure in digits before one in words ("50,000" before "four countries")
            ranked = sorted(figures, key=lambda f: not re.search(r"\d", f.text))
            stub.figure = ranked[0]
            stub.other_figures = [f.describe() or f.text for f in figures if f is not ranked[0]]
        digits = any(re.search(r"\d", f.text) for f in figures)
        stub.table = ("stats" if digits else next((t for _, t in titles if t == "meetings"), None)
                      or ("statements" if claims else None) or ("stats" if figures else None)
                      or (titles[0][1] if titles else None) or ("events" if absolute else "statements"))
        stubs.append(stub)
    return stubs, len(sentences)


def _clean_name(name: str) -> str:
    """A name of elements.py without what it may carry along: a date after it, closing punctuation,
    a clause's first words ("Originating in the ...", "Despite the ..."); a list of single words
    ("Laos and Myanmar") is no name for a title."""
    from lmc_cli.curate.dates import MONTHS

    name = re.split(rf"\s+(?:in|on|of|at)\s+(?:(?:{MONTHS})\b|\d)", name)[0].strip(" .,;:")
    words = name.split()
    while words and (words[0] in _OPENERS or words[0] in _CONNECTORS or words[0].endswith(("ing", "ly"))):
        words.pop(0)
    if re.fullmatch(r"[\w’'-]+(?:,? (?:and )?[\w’'-]+)*", " ".join(words)) and "and" in words:  # noqa: RUF001
        return ""
    return " ".join(words)


def descriptive_title(text: str, header: Header) -> str:
    """For a text with no headline: its first line's first words (byline and dateline left out), to be
    replaced by the curator; sources.toml marks it descriptive."""
    lines = text.split("\n")
    body = next((line.strip() for i, line in enumerate(lines) if line.strip() and i not in header.lines), "")
    if header.outlet and body.startswith(header.outlet):
        body = re.sub(r"^[^:(]*(?:\([^)]*\))?\s*(?::|--|—|–|-)\s*", "", body, count=1)
    body = re.split(r"(?<=[.!?])\s+", body, maxsplit=1)[0]  # its first sentence
    return _first_words(body, 12) or "Untitled document"


def _first_words(sentence: str, count: int = 8) -> str:
    words = sentence.split()
    head = " ".join(words[:count]).rstrip(".,;:")
    return head + (" …" if len(words) > count else "")


# --- TOML ----------------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character TOML forbids escaped."""
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F or 0xD800 <= ord(char) <= 0xDFFF:
            out.append(f"\\u{ord(char):04X}" if ord(char) < 0xD800 else "\\uFFFD")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _number(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(float(value))


def _list(values: list[str]) -> str:
    return "; ".join(toml_string(v) for v in values)


def render_stub(stub: Stub, doc_id: str) -> str:
    from lmc_cli.curate.figures import Figure

    lines = ["[[fact]]", f"id = {toml_string(stub.id)}", "draft = true", f"table = {toml_string(stub.table)}",
             f"title = {toml_string(stub.title)}"]
    if len(stub.candidates) > 1:
        lines.append(f"# candidate titles: {_list(stub.candidates)}")
    elif not stub.candidates:
        lines.append("# title: no named meeting or body here; name what the fact is about")
    lines.append(f"text = {toml_string(stub.quote)}")
    if stub.claims:
        lines.append(f"# attributed ({', '.join(stub.claims)}): keep who said it in text (\"X said ...\")")
    if stub.date:
        lines.append(f"date = {toml_string(stub.date)}")
        if stub.date_end:
            lines.append(f"date_end = {toml_string(stub.date_end)}")
    if stub.other_dates:
        lines.append(f"# other dates in the sentence: {_list(stub.other_dates)}")
    if stub.relative:
        lines.append(f"# relative date left for the curator: {_list(stub.relative)}: resolve it from the public "
                     "record into [fact.editorial], never into date")
    figure = stub.figure
    if isinstance(figure, Figure):
        for name in ("value", "value_min", "value_max"):
            number = getattr(figure, name)
            if number is not None:
                lines.append(f"{name} = {_number(number)}")
        for name in ("magnitude", "amount_text", "unit", "qualifier"):
            text = getattr(figure, name)
            if text:
                lines.append(f"{name} = {toml_string(text)}")
        lines.append(f"# figure: {toml_string(figure.text)}; add measure (what it counts)")
    if stub.other_figures:
        lines.append(f"# other figures in the sentence (a fact each?): {_list(stub.other_figures)}")
    lines += ["", "[[fact.sources]]", f"doc = {toml_string(doc_id)}", f"quote = {toml_string(stub.quote)}"]
    return "\n".join(lines) + "\n"


def render_fact_file(stubs: list[Stub], doc_id: str, source: str, sentences: int, every: bool = False) -> str:
    which = "" if every else "checkable "
    head = [
        f"# Draft facts of document {doc_id} ({source}), written by lmc draft: one stub for each of the",
        f"# {len(stubs)} {which}sentences (of {sentences}), its quote verbatim. Each is marked draft = true:",
        "# lmc answers nothing from it (unless --drafts) and lmc validate reports it, until a curator has",
        "# checked it against the document, made text say no more than the quote, chosen its table, title,",
        "# date and figure, and removed the mark. Delete a stub that states no fact. See docs/curating.md.",
        "",
        'table = "drafts"  # every stub names its own table',
        "",
    ]
    return "\n".join(head) + "\n" + "\n".join(render_stub(s, doc_id) for s in stubs)


def render_document(doc_id: str, file_name: str, sha256: str, header: Header, title: str, stated: bool,
                    kind: str, source: str) -> str:
    lines = [f"# Registered by lmc draft from {source}: title, byline and outlet as the text gives them"
             + ("" if stated else " (no headline: a descriptive title)") + "; check them and the kind.",
             "[[document]]", f"id = {toml_string(doc_id)}", f"file = {toml_string(file_name)}",
             f"sha256 = {toml_string(sha256)}", f"title = {toml_string(title)}",
             f"title_is_descriptive = {'false' if stated else 'true'}"]
    for name in ("author", "affiliation", "outlet"):
        value = getattr(header, name)
        if value:
            lines.append(f"{name} = {toml_string(value)}")
    lines.append(f"kind = {toml_string(kind)}")
    return "\n".join(lines) + "\n"


# --- the command -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drafted:
    document: Path
    fact_file: Path
    sources_file: Path
    stubs: int
    sentences: int
    relative: int
    title: str
    title_stated: bool
    header: Header
    every: bool = False


def _one_line(text: object) -> str:
    from lmc_cli.output.sanitise import one_line

    return one_line(str(text))


def _fact_ids(pack: Path) -> dict[str, str]:
    """The ids of the facts in the pack (files that do not load are skipped) and the bundled pack."""
    from lmc_cli.load.cache import load_fact_file
    from lmc_cli.load.packs import bundled_dir, pack_files

    ids: dict[str, str] = {}
    for directory, name in ((bundled_dir(), "bundled"), (pack, "draft")):
        try:
            paths = pack_files(directory) if directory.is_dir() else []
        except (DataError, OSError):
            continue
        for path in paths:
            if path.name == SOURCES_FILE:
                continue
            try:
                ids.update({f.id: f.path for f in load_fact_file(path, name, use_cache=name == "bundled")})
            except (DataError, OSError):
                continue
    return ids


def draft(document: Path, doc_id: str, pack: Path, *, title: str | None = None, kind: str | None = None,
          every: bool = False) -> Drafted:
    """Register `document` as `doc_id` in `pack` and write its draft fact file; see the module's doc.
    `every`: a stub for every sentence, not only the checkable ones."""
    from lmc_cli.load.files import MAX_DOCUMENT_BYTES, read_regular
    from lmc_cli.load.parse import parse_documents, parse_fact_file
    from lmc_cli.load.toml import parse_toml_text
    from lmc_cli.output.atomic import write_text

    if not rules.DOCUMENT_ID_RE.search(doc_id):
        raise UsageError(f"--doc {_one_line(doc_id)}: a document id is letters, digits, '.', '_' or '-' (no ':')")
    if title is not None and not rules.is_text(title):
        raise UsageError("--title: give a title")
    if kind is not None and not rules.is_text(kind):
        raise UsageError("--kind: give a kind (analysis, commentary, report or news)")
    if not document.exists():
        raise UsageError(f"{_one_line(document)}: no such document file")
    if not document.is_file():
        raise UsageError(f"{_one_line(document)}: not a regular file")
    name = document.name
    if not rules.NAME_RE.search(name):
        raise UsageError(f"{_one_line(document)}: a document's file name must not hold control characters")
    raw = read_regular(document, MAX_DOCUMENT_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError("the document is not UTF-8 text", str(document)) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DataError("the document is empty", str(document))

    if pack.exists() and not pack.is_dir():
        raise UsageError(f"--pack {_one_line(pack)}: not a directory")
    sources = pack / SOURCES_FILE
    target = pack / f"draft-{slug(doc_id)}.toml"
    if os.path.lexists(target):
        raise UsageError(f"{_one_line(target)} exists; lmc draft never replaces a fact file (remove it or choose "
                         "another --doc)")
    before = ""
    if os.path.lexists(sources):
        before = read_regular(sources, follow_links=False).decode("utf-8", "strict")
        known = parse_documents(parse_toml_text(before, sources), str(sources), pack.name)
        if doc_id in known:
            raise UsageError(f"document {_one_line(doc_id)} is already in {_one_line(sources)}; choose another --doc")

    header = read_header(text)
    stated = title is None and header.title is not None or (title is not None and title == header.title)
    chosen_title = title or header.title or descriptive_title(text, header)
    stubs, sentences = make_stubs(text, doc_id, header.lines, every=every)
    facts_text = render_fact_file(stubs, doc_id, name, sentences, every)
    entry = render_document(doc_id, name, hashlib.sha256(raw).hexdigest(), header, chosen_title, stated,
                            kind or "unknown", name)
    joint = "" if not before else ("\n" if before.endswith("\n") else "\n\n")
    after = before + joint + entry
    # What is written must load: checked here, so a stub lmc cannot read is a bug, not a file.
    drafted = parse_fact_file(parse_toml_text(facts_text, target), target, "draft")
    taken = _fact_ids(pack)
    clash = next((f.id for f in drafted if f.id in taken), None)
    if clash is not None:
        raise UsageError(f"fact id {clash} is already in {_one_line(taken[clash])}; choose another --doc")
    if doc_id not in parse_documents(parse_toml_text(after, sources), str(sources), "draft"):
        raise DataError("the new entry did not load", str(sources))

    pack.mkdir(parents=True, exist_ok=True)
    write_text(str(target), facts_text)
    try:
        write_text(str(sources), after)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Drafted(document, target, sources, len(stubs), sentences, sum(len(s.relative) for s in stubs), chosen_title,
                   stated, header, every)


def summary(done: Drafted) -> list[str]:
    """What lmc draft says on stderr: what it wrote, what it took from the text, what is next."""
    header = done.header
    took = [f"title {_one_line(done.title)!r} ({'the headline' if done.title_stated else 'descriptive'})"]
    took += [f"{name} {_one_line(getattr(header, name))!r}" for name in ("author", "affiliation", "outlet")
             if getattr(header, name)]
    return [
        f"registered the document in {_one_line(done.sources_file)}: {'; '.join(took)}",
        f"wrote {done.stubs} draft facts ({done.stubs}{'' if done.every else ' checkable'} sentences of "
        f"{done.sentences}) to "
        f"{_one_line(done.fact_file)}; {done.relative} relative date(s) flagged for you",
        f"next: edit the stubs, remove draft = true from each one checked, then lmc validate "
        f"{_one_line(done.fact_file.parent)} --against {_one_line(done.document.parent)}",
    ]
