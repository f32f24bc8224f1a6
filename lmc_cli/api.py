"""The library the CLI is a client of: open a corpus, ask it, read the records; and what each
command does, as functions of a loaded corpus (docs/api.md).

`open_corpus`, `ask` and `Corpus.by_id` return records and never print; the `run_*` functions
are the commands' bodies, which hand records to lmc_cli.output.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lmc_cli.errors import DataError, LmcError, NoMatch, UsageError
from lmc_cli.load.cache import cached_terms, code_fingerprint
from lmc_cli.load.packs import Corpus
from lmc_cli.model import Document, Fact, Ignored, Match, date_bounds
from lmc_cli.output.formats import render_documents, render_records
from lmc_cli.output.sanitise import one_line
from lmc_cli.output.streams import emit, message

if TYPE_CHECKING:
    from lmc_cli.match.indexdb import CachedCorpus
    from lmc_cli.match.rank import Ranking, SearchIndex

EXAMPLES = (
    "lmc meeting sanya",
    "lmc stat arrests",
    "lmc timeline --from 2014",
    'lmc ask "which meeting launched the mechanism"',
    "lmc list --table meetings",
    "lmc cite arrests-50000",
    "lmc stat arrests --format json | jq '.[0].value'",
)


def open_corpus(packs: Sequence[Path | str] = (), *, bundled: bool = True, drafts: bool = False) -> Corpus:
    """The bundled facts (unless bundled=False) and the packs in these directories; a broken
    pack is listed in `corpus.problems` and left out, and if nothing loads the last problem raises.
    Draft facts (lmc draft's stubs) are left out unless drafts=True."""
    from lmc_cli.load.packs import load_corpus

    corpus = load_corpus([Path(p) for p in packs], bundled=bundled, drafts=drafts)
    if corpus.problems and not corpus.facts:
        raise corpus.problems[-1]
    return corpus


def ask(corpus: Corpus, question: str, *, limit: int = 5, tables: Sequence[str] | None = None) -> Ranking:
    """Answer a question from the corpus: `ranking.answered` says whether a fact answers it,
    `ranking.matches` are the answers best first (each with its fact and confidence), and
    `ranking.candidates` the closest facts when none does."""
    chosen = tuple(tables) if tables else None
    ranking, _, _ = answer(memory_index(corpus, chosen), corpus.documents.values(), question, limit=limit,
                           tables=chosen)
    return ranking


def memory_index(corpus: Corpus, tables: Sequence[str] | None) -> SearchIndex:
    """The in-memory index of a corpus's facts (of `tables`), with their cached search terms."""
    from lmc_cli.match import lexicon, query, text
    from lmc_cli.match import rank as search
    from lmc_cli.match.rank import Index, fact_terms

    facts = [f for f in corpus.facts if tables is None or f.table in tables]
    # The code fact_terms runs (query.terms_of and its Chinese pairs, the lexicon's parsing) and
    # the data it reads (the stop words and Chinese words shape the terms).
    fingerprint = code_fingerprint(search, query, text, lexicon, lexicon.LEXICON_FILE)
    return Index.from_terms(facts, cached_terms(facts, fact_terms, fingerprint))


def answer(
    index: SearchIndex, documents: Iterable[Document], query: str, *, limit: int, tables: Sequence[str] | None,
) -> tuple[Ranking, list[Match], list[str]]:
    """Analyse a question once and rank `index` for it: the ranking, the matches to show, and
    the documents the question names as its source (whose facts weigh more)."""
    from lmc_cli.match.intents import shape
    from lmc_cli.match.query import analyse
    from lmc_cli.match.rank import rank

    documents = list(documents)
    q = analyse(query, documents, kind="meeting" if tables == ("meetings",) else None)
    ranking = shape(index, q, rank(index, q, limit=limit, tables=tables), documents, tables=tables, limit=limit)
    return ranking, list(ranking.matches), list(q.sources)


def run_search(
    index: SearchIndex, documents: Iterable[Document], query: str, format_: str, *, limit: int,
    explain: bool, tables: Sequence[str] | None, card: bool, fallback: Callable[[], SearchIndex] | None = None,
) -> None:
    """Search `index` (the facts of `tables`); if its storage fails mid-search, `fallback()`."""
    from lmc_cli.match.rank import IndexUnreadable, suggestions
    from lmc_cli.match.rank import explain as explain_lines

    query = repair_argument(query)
    if not query.strip():
        raise UsageError("give a query, for example: lmc ask \"how many arrests\"")
    documents = list(documents)
    try:
        ranking, matches, named = answer(index, documents, query, limit=limit, tables=tables)
    except IndexUnreadable:
        if fallback is None:
            raise
        ranking, matches, named = answer(fallback(), documents, query, limit=limit, tables=tables)
    if explain:
        if named:
            message(f"explain: the question names its source: prefer facts citing {', '.join(named)}")
        for line in explain_lines(ranking):
            message(f"explain: {line}")
    if not ranking.answered:
        from lmc_cli.match.decide import slot_unfilled

        if slot_unfilled(ranking) and ranking.candidates:
            closest = ranking.candidates[0].fact
            what = (f"the documents do not say: the closest fact, {closest.id} ({closest.title}), "
                    f"has no {ranking.query.slot.describe() if ranking.query else 'answer'}")
            raise NoMatch(what, suggestions(ranking))
        what = "no fact answers that" if card else f"no match for {query!r}"
        raise NoMatch(what, suggestions(ranking))
    if ranking.query is not None and ranking.query.intent in ("first", "agree") and ranking.verdict != "answered":
        message(f"lmc: {ranking.verdict}")
    show_matches(matches, format_, card=card, show_value=tables == ("stats",) or card,
                 documents={d.label: d for d in documents})


def read_questions(stream: Any) -> Iterator[str]:
    """Non-blank lines of `stream`, stripped; bytes that are not UTF-8 become U+FFFD."""
    if stream is None:
        return
    for raw in getattr(stream, "buffer", stream):
        line = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else repair_argument(str(raw))
        line = line.strip().lstrip("\ufeff").strip()
        if line:
            yield line


def run_questions(
    index: SearchIndex, documents: Iterable[Document], questions: Iterable[str], format_: str, *, limit: int,
    fallback: Callable[[], SearchIndex] | None = None,
) -> int:
    """`lmc ask -`: answer each question as it arrives and write it (output/views/batch.py); the exit
    code: 0 if every question was answered, 1 if any was not (each named on stderr)."""
    from lmc_cli.errors import ExitCode
    from lmc_cli.match.indexbase import IndexUnreadable
    from lmc_cli.output.views.batch import render_question

    documents = list(documents)
    by_label = {d.label: d for d in documents}
    current = [index]
    every, first = True, True
    if format_ == "json":
        emit("[\n")
    for question in questions:
        try:
            ranking, matches, _ = answer(current[0], documents, question, limit=limit, tables=None)
        except IndexUnreadable:
            if fallback is None:
                raise
            current[0] = fallback()
            ranking, matches, _ = answer(current[0], documents, question, limit=limit, tables=None)
        if not ranking.answered:
            every = False
            matches = []
            message(f"lmc: no fact answers that: {question}")
        emit(render_question(question, ranking.answered, matches, format_, by_label, first=first))
        first = False
    if format_ == "json":
        emit("\n]\n" if not first else "]\n")
    if first:
        raise UsageError("ask -: no question on standard input (give one question per line)")
    return ExitCode.OK if every else ExitCode.NO_MATCH


def repair_argument(text: str) -> str:
    """Undo the surrogate escapes Python puts in arguments it could not decode (LANG=C).

    Bytes that are UTF-8 become the characters typed (a CJK query in a C locale); anything
    else becomes U+FFFD rather than reaching the matcher or an encoder as a lone surrogate.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


def show_matches(matches: Sequence[Match], format_: str, *, card: bool, show_value: bool,
                 documents: dict[str, Document] | None = None) -> None:
    if format_ != "table":
        emit(render_records([m.to_dict() for m in matches], format_, documents=documents))
        return
    from lmc_cli.output.views import answer_card, group, print_renderable
    from lmc_cli.output.views.compact import entries, fact_lines

    top, rest = matches[0], matches[1:]
    if card:
        parts: list[Any] = [answer_card(top)]
        if rest:
            parts.append(fact_lines([m.fact for m in rest], numbered=True, show_value=show_value,
                                    title="Also relevant (lmc show ID)"))
        print_renderable(group(*parts))
    else:
        print_renderable(entries(matches, show_value=show_value))


def in_range(fact: Fact, low: str | None, high: str | None) -> bool:
    span = fact.span()
    if span is None:
        return False
    return (low is None or span[1] >= low) and (high is None or span[0] <= high)


def parse_bound(value: str | None, option: str, end: bool) -> str | None:
    if value is None:
        return None
    try:
        bounds = date_bounds(value.strip())
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    return bounds[1] if end else bounds[0]


def timeline_facts(corpus: Corpus, from_: str | None, to: str | None, tables: Sequence[str]) -> list[Fact]:
    low = parse_bound(from_, "--from", end=False)
    high = parse_bound(to, "--to", end=True)
    if low and high and low > high:
        raise UsageError(f"--from {from_} is after --to {to}")
    check_tables(corpus, tables)
    dated = [f for f in corpus.facts if (not tables or f.table in tables) and in_range(f, low, high)]
    return sorted(dated, key=timeline_key)


def timeline_key(fact: Fact) -> tuple[str, int, str]:
    span = fact.span() or ("", "")
    precision = len(fact.effective_date or "")
    return (span[0], -precision, fact.title)


def run_timeline(
    corpus: Corpus, from_: str | None, to: str | None, tables: Sequence[str], format_: str, output: str | None = None,
    *, force: bool = False, limit: int | None = None,
) -> None:
    """The timeline as records, a terminal view, or an SVG/HTML picture (to --output, or - for stdout);
    `limit`: the first so many facts in time."""
    if format_ in ("svg", "html") and output is None:
        raise UsageError(f"--format {format_} needs --output PATH (or - for stdout)")
    facts = timeline_facts(corpus, from_, to, tables)[:limit]
    if not facts:
        raise NoMatch("no dated fact in that range")
    if format_ in ("svg", "html"):
        write_output(timeline_picture(corpus, facts, format_, from_, to, tables), output or "-", corpus, force)
    elif format_ == "table" and output is not None:
        from lmc_cli.output.views import timeline_text

        write_output(timeline_text(facts), output, corpus, force)
    elif format_ != "table":
        write_output(render_records([f.to_dict() for f in facts], format_, documents=corpus.documents), output or "-",
                     corpus, force)
    else:
        from lmc_cli.output.views import print_renderable, timeline_view

        print_renderable(timeline_view(facts))
        return
    if output not in (None, "-"):
        message(f"wrote {len(facts)} facts to {output} ({format_})")


def timeline_picture(corpus: Corpus, facts: Sequence[Fact], format_: str, from_: str | None, to: str | None,
                     tables: Sequence[str]) -> str:
    """The chart (svg) or the page to explore (html), titled by what was asked."""
    from lmc_cli.output.chart import MAX_FACTS, year_range

    if len(facts) > MAX_FACTS:
        raise UsageError(f"{len(facts)} facts are too many for one chart (at most {MAX_FACTS}): "
                         "narrow it with --from, --to or --table")

    title = f"Timeline: {len(facts)} fact{'s' if len(facts) != 1 else ''}, {year_range(facts)}"
    asked = [f"from {from_}" if from_ else "", f"to {to}" if to else "",
             f"tables: {', '.join(tables)}" if tables else ""]
    subtitle = "; ".join(a for a in asked if a) or "every dated fact"
    subtitle += " (lmc timeline)"
    if format_ == "svg":
        from lmc_cli.output.chart import timeline_svg

        return timeline_svg(facts, corpus.documents, title=title, subtitle=subtitle)
    from lmc_cli.output.timeline_page import timeline_page

    return timeline_page(facts, corpus.documents, corpus.by_id(), title=title, subtitle=subtitle)


def check_tables(corpus: Corpus, tables: Sequence[str]) -> None:
    known = corpus.tables()
    for name in tables:
        if name not in known:
            raise UsageError(f"no table {name!r}; tables are: {', '.join(known)}")


def find_fact(corpus: Corpus, fact_id: str) -> Fact:
    facts = corpus.by_id()
    if fact_id in facts:
        return facts[fact_id]
    from lmc_cli.match.suggest import near_names

    raise NoMatch(f"no fact with id {fact_id!r}", near_names(fact_id, facts))


def split_ids(arguments: Sequence[str]) -> list[str]:
    """Fact ids from arguments as people paste them: `a b`, `a, b`, `a,b` (a card's border too), each once."""
    import re

    ids = [part for argument in arguments for part in re.split(r"[\s,;│|]+", argument) if part]
    if not ids:
        raise UsageError("give at least one fact id (lmc list shows them)")
    return list(dict.fromkeys(ids))


def find_facts(corpus: Corpus, arguments: Sequence[str]) -> list[Fact]:
    return [find_fact(corpus, fact_id) for fact_id in split_ids(arguments)]


def run_show(corpus: Corpus, fact_ids: Sequence[str] | str, format_: str) -> None:
    show_facts(find_facts(corpus, [fact_ids] if isinstance(fact_ids, str) else fact_ids), format_, corpus.documents)


def show_facts(facts: Sequence[Fact], format_: str, documents: dict[str, Document]) -> None:
    if format_ != "table":
        emit(render_records([f.to_dict() for f in facts], format_, documents=documents))
        return
    from lmc_cli.output.views import fact_detail, group, print_renderable

    print_renderable(group(*(fact_detail(f, documents) for f in facts)))


def run_cite(corpus: Corpus, fact_ids: Sequence[str], style: str) -> None:
    """Citations of the facts named, ready to paste (lmc_cli/output/cite.py)."""
    from lmc_cli import __version__
    from lmc_cli.output.cite import STYLES, render_citations

    if style not in STYLES:
        raise UsageError(f"--style {style}: not one of {', '.join(STYLES)}")
    emit(render_citations(find_facts(corpus, fact_ids), corpus.documents, style, __version__))


def run_list(corpus: Corpus, tables: Sequence[str], format_: str, detailed: bool = False, sort: str = "file", *,
             limit: int | None = None) -> None:
    """Every fact of the tables: one line each on a terminal, full cards with `detailed` (--long);
    sort="value" orders them by figure (Fact.figure_sort_key); `limit`: the first so many."""
    check_tables(corpus, tables)
    show_list([f for f in corpus.facts if not tables or f.table in tables], format_, corpus.documents, detailed,
              sort, limit)


def show_list(facts: list[Fact], format_: str, documents: dict[str, Document], detailed: bool, sort: str,
              limit: int | None) -> None:
    if sort == "value":
        facts.sort(key=Fact.figure_sort_key)
    facts = facts[:limit]
    if not facts:
        raise NoMatch("no facts")
    if format_ != "table":
        emit(render_records([f.to_dict() for f in facts], format_, documents=documents))
        return
    from lmc_cli.output.views import fact_detail, group, print_renderable
    from lmc_cli.output.views.compact import fact_lines, legend

    if detailed:
        print_renderable(group(*(fact_detail(f, documents) for f in facts)))
    else:
        print_renderable(group(fact_lines(facts, show_value=any(f.figure is not None for f in facts)),
                               legend(facts)))


# --- the same commands over a packs' cache (lmc_cli/match/indexdb.py): nothing read but what is shown ---


STREAM_FORMATS = ("json", "jsonl", "tsv", "csv")
BATCH = 500


def stream_facts(facts: Iterable[Fact], format_: str, documents: dict[str, Document],
                 written: list[int] | None = None) -> int:
    """Write facts as render_records would write them all at once, in batches as they come; the
    count (and, in `written`, how many batches went out so far)."""
    from lmc_cli.output.formats import TSV_COLUMNS, json_item
    from lmc_cli.output.streams import _stdout_is_utf

    count, batch = 0, list[Fact]()
    ascii_only = not _stdout_is_utf()

    def flush(last: bool) -> None:
        if format_ == "json":
            parts = [json_item(f.to_dict(), ascii_only) for f in batch]
            text = ("[\n" if count == len(batch) else ",\n") + ",\n".join(parts) if batch else ""
            if last:
                text += "\n]\n" if count else "[]\n"
            emit(text)
        elif batch:
            text = render_records([f.to_dict() for f in batch], format_, documents=documents)
            emit(text if format_ != "csv" or count == len(batch) else text.split("\n", 1)[1])
        elif last and format_ == "csv" and not count:
            from lmc_cli.output.formats import to_csv

            emit(to_csv([], TSV_COLUMNS))

    for fact in facts:
        batch.append(fact)
        count += 1
        if len(batch) == BATCH:
            flush(False)
            batch = []
            if written is not None:
                written.append(count)
    flush(True)
    return count


RENDERED_FORMATS = ("tsv", "json")  # the formats whose lines the cache keeps (CachedCorpus.rendered_lines)


def rendered_lines(cached: CachedCorpus, tables: Sequence[str], format_: str) -> Iterator[str]:
    """Each fact (of `tables`) as its line of `format_` (tsv_line, json_item), in file order: a
    file's lines from the cache when it holds them, else rendered and kept for the next run; the
    facts that are not as the kept lines assume (disputed, citing the bundled documents) rendered
    as they are."""
    from lmc_cli import model
    from lmc_cli.load import rules
    from lmc_cli.output import columns, formats, indented, sanitise
    from lmc_cli.output.formats import json_item, tsv_line
    from lmc_cli.output.streams import _stdout_is_utf

    ascii_only = format_ == "json" and not _stdout_is_utf()
    code = code_fingerprint(formats, indented, columns, sanitise, rules, model)

    def render(facts: Iterable[Fact]) -> list[str]:
        if format_ == "tsv":
            return [tsv_line(f.to_dict()) for f in facts]
        return [json_item(f.to_dict(), ascii_only) for f in facts]

    chosen = set(tables)
    new: list[tuple[int, str, str, list[str]]] = []
    for number in range(len(cached.fids)):
        base, count = cached.bases[number], cached.count_of(number)
        wanted = [seq for seq in range(count) if not chosen or cached.table_of[base + seq] in chosen]
        if not wanted:
            continue
        stored = cached.rendered_lines(number, format_, code)
        if stored is not None and ascii_only and not all(line.isascii() for line in stored):
            stored = None  # kept as UTF-8: rendered again with escapes, and not kept
        if stored is None:
            stored = render(cached.file_facts(number, as_stored=True))
            if not ascii_only:
                new.append((number, format_, code, stored))
        lines = stored
        odd = cached.unlike_stored(number)
        if odd:
            lines = list(stored)
            for seq, line in zip(odd, render(cached.file_facts(number, seqs=set(odd))), strict=True):
                lines[seq] = line
        for seq in wanted:
            yield lines[seq]
    cached.save_rendered(new)


def stream_lines(lines: Iterable[str], format_: str, written: list[int]) -> None:
    """Write rendered_lines as render_records would write their facts all at once, in batches."""
    count, batch = 0, list[str]()
    for line in lines:
        batch.append(line)
        count += 1
        if len(batch) == BATCH:
            emit("".join(batch) if format_ == "tsv" else ("[\n" if count == BATCH else ",\n") + ",\n".join(batch))
            batch = []
            written.append(count)
    if format_ == "tsv":
        emit("".join(batch))
    else:
        emit(("[\n" if count == len(batch) else ",\n") + ",\n".join(batch) + "\n]\n" if batch else "\n]\n")


def cached_list(cached: CachedCorpus, tables: Sequence[str], format_: str, detailed: bool = False,
                sort: str = "file", *, limit: int | None = None) -> None:
    """run_list over a cache: in file order and a text format, streamed as the facts are read."""
    import itertools

    cached_tables(cached, tables)
    if sort == "file" and format_ in STREAM_FORMATS:
        from lmc_cli.match.indexbase import IndexUnreadable

        written: list[int] = []
        if limit is None and format_ in RENDERED_FORMATS:
            lines = rendered_lines(cached, tables, format_)
            first_line = next(lines, None)
            if first_line is None:
                raise NoMatch("no facts")
            try:
                stream_lines(itertools.chain([first_line], lines), format_, written)
            except IndexUnreadable:
                if not written:
                    raise
                raise DataError("the cache was damaged while it was read (it is rebuilt): run the command again",
                                str(cached.path)) from None
            return
        facts = itertools.islice(cached.iter_facts(tables), limit)
        first = next(facts, None)
        if first is None:
            raise NoMatch("no facts")
        try:
            stream_facts(itertools.chain([first], facts), format_, cached.documents, written)
        except IndexUnreadable:
            if not written:
                raise  # nothing out yet: the caller reads the packs instead
            raise DataError("the cache was damaged while it was read (it is rebuilt): run the command again",
                            str(cached.path)) from None
        return
    show_list(list(cached.iter_facts(tables)), format_, cached.documents, detailed, sort, limit)


def cached_tables(cached: CachedCorpus, tables: Sequence[str]) -> None:
    known = cached.table_names()
    for name in tables:
        if name not in known:
            raise UsageError(f"no table {name!r}; tables are: {', '.join(known)}")


def cached_timeline(cached: CachedCorpus, from_: str | None, to: str | None, tables: Sequence[str], format_: str,
                    *, limit: int | None = None) -> None:
    """run_timeline over a cache, to stdout in a text format or the terminal view: the facts of
    the range read by the span index."""
    low = parse_bound(from_, "--from", end=False)
    high = parse_bound(to, "--to", end=True)
    if low and high and low > high:
        raise UsageError(f"--from {from_} is after --to {to}")
    cached_tables(cached, tables)
    facts = sorted(cached.in_span(low, high, tables), key=timeline_key)[:limit]
    if not facts:
        raise NoMatch("no dated fact in that range")
    if format_ in STREAM_FORMATS:
        # The same text as render_records of them all, written BATCH facts at a time: `| head`
        # closes the pipe after the first batch, and the rest is never rendered (nor all of it
        # held at once).
        stream_facts(facts, format_, cached.documents)
        return
    if format_ != "table":
        emit(render_records([f.to_dict() for f in facts], format_, documents=cached.documents))
        return
    from lmc_cli.output.views import print_renderable, timeline_view

    print_renderable(timeline_view(facts))


def cached_show(cached: CachedCorpus, fact_ids: Sequence[str] | str, format_: str) -> None:
    """run_show over a cache: each fact found by the id index."""
    facts = []
    for fact_id in split_ids([fact_ids] if isinstance(fact_ids, str) else fact_ids):
        found = cached.find(fact_id)
        if found is None:
            from lmc_cli.match.suggest import near_names

            raise NoMatch(f"no fact with id {fact_id!r}", near_names(fact_id, dict.fromkeys(cached.ids())))
        facts.append(found)
    show_facts(facts, format_, cached.documents)


def cached_sources(cached: CachedCorpus, format_: str, *, limit: int | None = None) -> None:
    counts = cached.citation_counts()
    show_documents([(d, counts.get(label, 0)) for label, d in sorted(cached.documents.items())][:limit], format_)


def citation_counts(corpus: Corpus) -> Counter[str]:
    counts: Counter[str] = Counter()
    for fact in corpus.facts:
        for label in {c.label for c in fact.sources}:
            counts[label] += 1
    return counts


def run_sources(corpus: Corpus, format_: str, *, limit: int | None = None) -> None:
    counts = citation_counts(corpus)
    show_documents([(d, counts.get(label, 0)) for label, d in sorted(corpus.documents.items())][:limit], format_)


def show_documents(documents: Sequence[tuple[Document, int]], format_: str) -> None:
    if not documents:
        raise NoMatch("no source documents")
    if format_ != "table":
        emit(render_documents(documents, format_))
        return
    from lmc_cli.output.views import documents_table, print_renderable

    print_renderable(documents_table(documents))


def text_width() -> int:
    """Where prose wraps: the terminal's width (or COLUMNS), 80 when there is none; 40 to 200."""
    import shutil

    from lmc_cli.output.views import console_width

    width = console_width(os.environ.get("COLUMNS", ""))
    if width is None:
        width = shutil.get_terminal_size((80, 24)).columns
    return min(max(width, 40), 200)


def overview_text(corpus: Corpus, width: int | None = None) -> str:
    """What `lmc` alone prints: tables, sources (titles wrapped under themselves), examples."""
    import textwrap

    width = width or text_width()
    tables = Counter(f.table for f in corpus.facts)
    counts = citation_counts(corpus)
    lines = [f"lmc: {len(corpus.facts)} cited facts from {len(corpus.documents)} documents", "", "tables:"]
    lines += [f"  {one_line(name):<14} {tables[name]:>4}" for name in sorted(tables)]
    lines += ["", "sources:"]
    for label, doc in sorted(corpus.documents.items()):
        head = f"  {one_line(label):<5} {counts.get(label, 0):>4} facts  "
        lines += textwrap.wrap(one_line(doc.title), width, initial_indent=head, subsequent_indent=" " * len(head),
                               break_long_words=False, break_on_hyphens=False) or [head.rstrip()]
    lines += ["", "try:"] + [f"  {example}" for example in EXAMPLES]
    lines += ["", "lmc --help lists every command."]
    return "\n".join(lines) + "\n"


def run_validate(paths: list[Path], against: Path | None, extra: list[Path], bundled: bool) -> None:
    """Check packs (or single fact files); every problem is printed, then exit 3 if any."""
    from lmc_cli.load.cache import load_fact_file
    from lmc_cli.load.packs import bundled_dir, env_fact_dirs, load_corpus
    from lmc_cli.load.parse import parse_ignore_file
    from lmc_cli.load.rules import IGNORE_FILE
    from lmc_cli.load.toml import read_toml
    from lmc_cli.load.verify import check_against, check_ignored

    problems: list[DataError] = []
    bundled_root = bundled_dir().resolve()
    packs = [p for p in paths if p.is_dir() and p.resolve() != bundled_root]
    files = [p for p in paths if not p.is_dir()]
    if not paths:
        packs = [*env_fact_dirs(), *extra]
    # A coverage ignore file is checked in its pack: the pack is loaded with it.
    homes = [p.parent for p in files if p.name == IGNORE_FILE]
    packs += [h for h in homes if h.resolve() != bundled_root and h.resolve() not in {p.resolve() for p in packs}]
    # --no-bundled is honoured (a broken bundled pack must not hide a user pack's problems),
    # unless the bundled pack is itself one of the paths to check.
    bundled = bundled or any(p.resolve() == bundled_root for p in [*(p for p in paths if p.is_dir()), *homes])
    corpus = load_corpus(packs, bundled=bundled, use_cache=False, drafts=True)
    problems.extend(corpus.problems)
    # A fact file given on its own gets every cross-fact check too: among the files, and
    # against the loaded packs (references may point into them; a fact the loaded packs
    # hold from the same file is that file, not a duplicate).
    given: list[Fact] = []
    named_ignores = {os.path.realpath(p) for p in files if p.name == IGNORE_FILE}
    ignored = ignore_entries(corpus, problems, [p for p in paths if p.is_dir()] if paths else None, named_ignores)
    for path in files:
        try:
            if path.name == IGNORE_FILE:  # a pack's coverage ignore file: its own shape, not a fact file's
                ignored.extend(parse_ignore_file(read_toml(path), path, ignored_pack(corpus, path)))
            else:
                given.extend(load_fact_file(path, "file", use_cache=False, follow_links=True))
        except DataError as exc:
            problems.append(exc)
    if given:
        from lmc_cli.load.packs import citation_problems, corpus_problems

        named = {os.path.realpath(f.path) for f in given}
        others = [f for f in corpus.facts if os.path.realpath(f.path) not in named]
        problems.extend(corpus_problems(given, others))
        problems.extend(citation_problems(given, corpus.documents.values()))
        corpus.facts = others + given
    if against is not None:
        if not against.is_dir():
            raise UsageError(f"--against {against}: not a directory")
        problems.extend(check_against(corpus, against, skip_bundled=bool(packs or files) and bool(paths)))
    problems.extend(check_ignored(ignored, corpus, against))
    drafts = draft_problems(corpus.facts)
    problems.extend(drafts)
    if len(problems) == 1:
        raise ValidationFailed(problems[0].message)
    for problem in problems:
        message(f"lmc: {problem.message}")
    if problems:
        raise ValidationFailed(f"{len(problems)} problem(s) found"
                               + (f", {len(drafts)} of them draft facts" if drafts else ""))
    message(f"ok: {len(corpus.facts)} facts, {len(corpus.documents)} documents"
            + (f"; quotes and hashes checked against {against}" if against else ""))


def draft_problems(facts: Iterable[Fact]) -> list[DataError]:
    """A draft fact is a problem until a curator has checked it and removed the mark (docs/curating.md)."""
    return [DataError("is a draft (lmc draft's stub): check it against its document, then remove "
                      "`draft = true`", fact.path, fact_id=fact.id, field="draft")
            for fact in facts if fact.draft]


class ValidationFailed(LmcError):
    code = DataError.code


def ignore_entries(corpus: Corpus, problems: list[DataError], only: Sequence[Path] | None = None,
                   skip: Iterable[str] = ()) -> list[Ignored]:
    """The coverage ignore files of the loaded packs (or of the packs in `only`), their shape
    checked (load.parse.parse_ignore_file), but not the files in `skip` (real paths); a problem
    is added to `problems`, and that pack's entries left out."""
    from lmc_cli.load.packs import ignore_file, load_ignored

    chosen = None if only is None else {os.path.realpath(p) for p in only}
    found: list[Ignored] = []
    for name, directory in corpus.directories.items():
        if chosen is not None and os.path.realpath(directory) not in chosen:
            continue
        try:
            path = ignore_file(directory)
            if path is None or os.path.realpath(path) in set(skip):
                continue
            found.extend(load_ignored(directory, name))
        except DataError as exc:
            problems.append(exc)
    return found


def ignored_pack(corpus: Corpus, path: Path) -> str:
    """The pack an ignore file named on the command line belongs to: the loaded pack in its
    directory, else the bundled pack (whose documents it may then name)."""
    where = os.path.realpath(path.parent)
    for name, directory in corpus.directories.items():
        if os.path.realpath(directory) == where:
            return name
    return "bundled"


def run_coverage(paths: list[Path], against: Path | None, extra: list[Path], bundled: bool, format_: str, *,
                 uncovered_only: bool = False) -> None:
    """`lmc coverage`: every sentence of the documents (of the packs in `paths`, else of every
    loaded pack) and whether the facts state it (lmc_cli/curate/coverage.py); then exit 1 if a
    checkable sentence is neither covered nor ignored, 3 for a broken pack or ignore file."""
    from lmc_cli.curate import coverage
    from lmc_cli.load.packs import bundled_dir, env_fact_dirs, load_corpus
    from lmc_cli.load.rules import IGNORE_FILE
    from lmc_cli.output.coverage import COVERAGE_FORMATS, render_coverage

    if against is None:
        raise UsageError("coverage needs --against DIR, the directory of the documents")
    if not against.is_dir():
        raise UsageError(f"--against {against}: not a directory")
    if format_ not in COVERAGE_FORMATS:
        raise UsageError(f"--format {format_}: coverage prints {', '.join(COVERAGE_FORMATS)}")
    bundled_root = os.path.realpath(bundled_dir())
    given = {os.path.realpath(p) for p in paths}
    loaded = [*env_fact_dirs(), *extra]
    seen = {os.path.realpath(p) for p in loaded}
    loaded += [p for p in paths if os.path.realpath(p) not in seen | {bundled_root}]
    corpus = load_corpus(loaded, bundled=bundled or bundled_root in given, use_cache=False)
    broken(corpus.problems)
    labels = None
    if paths:
        chosen = {name for name, where in corpus.directories.items() if os.path.realpath(where) in given}
        labels = [label for label, d in corpus.documents.items() if d.pack in chosen and d.file]
    try:
        report = coverage.run(corpus, against, labels)
    except coverage.CoverageProblems as exc:
        broken(exc.problems)
        raise
    emit(render_coverage(report, format_, uncovered_only=uncovered_only))
    total = report.totals()
    figures = (f"{total.percent:.1f}% of {total.checkable} checkable sentences in {len(report.documents)} "
               f"document(s) covered ({total.covered}) or ignored with a reason ({total.ignored})")
    if report.uncovered:
        raise coverage.CoverageIncomplete(
            f"{len(report.uncovered)} checkable sentence(s) not covered: state them in facts, or list them with "
            f"a reason in the pack's {IGNORE_FILE}; {figures}")
    message(f"ok: {figures}")


def broken(problems: Sequence[DataError]) -> None:
    """More than one problem: each on its own line, then the count (exit 3); one: raised as it is."""
    if len(problems) == 1:
        raise problems[0]
    for problem in problems:
        message(f"lmc: {problem.message}")
    if problems:
        raise ValidationFailed(f"{len(problems)} problem(s) found")


def run_export(corpus: Corpus, format_: str | None, output: str, tables: Sequence[str], *, force: bool = False) -> None:
    """Every fact (or a table's) as json, jsonl, csv or a SQLite database, to a file or stdout."""
    import sqlite3

    from lmc_cli.output import export

    format_ = format_ or export.format_for(output)
    if format_ is None:
        raise UsageError(f"give --format ({', '.join(export.EXPORT_FORMATS)}); "
                         f"{output!r} does not say which" if output != "-" else
                         f"give --format ({', '.join(export.EXPORT_FORMATS)})")
    check_tables(corpus, tables)
    facts = [f for f in corpus.facts if not tables or f.table in tables]
    if format_ == "sqlite":
        if output == "-":
            raise UsageError("--format sqlite needs --output PATH (a database cannot go to stdout)")
        from lmc_cli.output.atomic import check_target

        _, checked = check_target(output, protected=fact_files(corpus), force=force, database=True)
        path = Path(checked)
        try:
            metadata = export.write_sqlite(facts, corpus.documents, path, force=force)
        except export.WouldOverwrite as exc:
            raise UsageError(f"--output {output}: {exc.path} exists and lmc did not write it; "
                             "remove it, choose another name, or give --force") from None
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(f"--output {output}: {getattr(exc, 'strerror', None) or exc}") from None
        message(f"wrote Datasette metadata to {metadata}; browse with: datasette {output} --metadata {metadata}")
    else:
        writers = {"json": export.to_json, "jsonl": export.to_jsonl, "csv": export.to_csv, "tsv": export.to_tsv}
        text = writers[format_](facts)
        write_output(text, output, corpus, force)
    if output != "-":
        message(f"exported {len(facts)} facts and {len(corpus.documents)} documents to {output} ({format_})")


def write_output(text: str, output: str, corpus: Corpus | None = None, force: bool = False) -> None:
    """Data to stdout for `-`, else to the file named, atomically (output/atomic.py): never over a
    fact file of `corpus` (unless force); a failed write leaves the previous file as it was."""
    if output == "-":
        emit(text)
        return
    from lmc_cli.output.atomic import write_text

    write_text(output, text, protected=fact_files(corpus) if corpus else (), force=force)


def fact_files(corpus: Corpus) -> set[Path]:
    """The files the loaded facts came from, and their packs' sources.toml: never an output."""
    paths = {Path(f.path) for f in corpus.facts if f.path}
    return paths | {p.parent / "sources.toml" for p in paths}


EXIT_CODE_MEANINGS = {
    "OK": "results printed (also when the reader of a pipe closes it early)",
    "NO_MATCH": "no match: 'no match for ...' or 'no fact answers that', with suggestions, on stderr; "
                "coverage: a checkable sentence neither covered nor ignored",
    "USAGE": "usage error: unknown option, bad date, unknown table, missing --output",
    "INVALID_DATA": "invalid fact data: the message names the file, fact, field, line and column",
    "INTERNAL": "internal error: a bug; one line on stderr, please report it",
    "IO_ERROR": "output could not be written: 'lmc: cannot write output: ...' (full disk, file-size limit)",
    "INTERRUPTED": "interrupted: Ctrl-C (the shell sees 130; SIGTERM 143, SIGHUP 129)",
}
HELP_TOPICS = ("exit-codes",)


def help_topic(topic: str) -> str:
    """The text of `lmc help TOPIC`."""
    if topic.strip().lower() not in HELP_TOPICS:
        raise UsageError(f"no help topic {topic!r}; topics are: {', '.join(HELP_TOPICS)}")
    from lmc_cli.errors import ExitCode

    lines = ["lmc exit codes (scripts can rely on them):", ""]
    lines += [f"  {code.value:>3}  {EXIT_CODE_MEANINGS[code.name]}" for code in ExitCode]
    return "\n".join(lines) + "\n"
