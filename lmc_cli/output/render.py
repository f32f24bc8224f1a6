"""Turning records into output: the only module that imports Rich, and only when drawing.

Text formats (json, jsonl, csv, tsv) are built here without Rich so that scripts start
fast; `emit` is the single place that writes to stdout.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from lmc_cli.errors import OutputFailed
from lmc_cli.model import Document, Fact, Match
from lmc_cli.output.atomic import write_all
from lmc_cli.output.columns import FACT_COLUMNS, fact_cells, figure_text
from lmc_cli.output.sanitise import UNSAFE, neutralise, one_line

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

TSV_COLUMNS = FACT_COLUMNS
SOURCE_COLUMNS = ("id", "kind", "title", "author", "translator", "outlet", "facts")

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class PipeClosed(Exception):
    """The reader of stdout went away; stop writing, quietly."""


def default_format(stream: Any = None) -> str:
    stream = stream if stream is not None else sys.stdout
    try:
        return "table" if stream.isatty() else "tsv"
    except (AttributeError, ValueError):
        return "tsv"


def tsv_cell(value: Any) -> str:
    text = "" if value is None else _plain(value)
    text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return neutralise(text)


def csv_cell(value: Any) -> str:
    text = neutralise("" if value is None else _plain(value))
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def _stdout_is_utf(stream: Any = None) -> bool:
    encoding = (getattr(stream or sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding in ("utf8", "utf16", "utf32", "utf8sig")


# --- records to text -----------------------------------------------------------------


def fact_row(record: dict[str, Any]) -> list[Any]:
    return fact_cells(record)


def to_json(records: Sequence[dict[str, Any]]) -> str:
    return _json_safe(json.dumps(list(records), ensure_ascii=not _stdout_is_utf(), indent=2)) + "\n"


def to_jsonl(records: Iterable[dict[str, Any]]) -> str:
    ascii_only = not _stdout_is_utf()
    return "".join(_json_safe(json.dumps(r, ensure_ascii=ascii_only)) + "\n" for r in records)


def _json_safe(text: str) -> str:
    """Escape what json.dumps leaves raw (DEL, C1 controls, bidi overrides) as \\uXXXX.

    These characters can only occur inside JSON strings, so the document stays valid and
    decodes to the exact same text; a terminal showing it is never driven by it.
    """
    return UNSAFE.sub(_json_escape, text)


def _json_escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def to_tsv(rows: Iterable[Sequence[Any]], header: Sequence[str] | None = None) -> str:
    lines = ["\t".join(header)] if header else []
    lines.extend("\t".join(tsv_cell(v) for v in row) for row in rows)
    return "".join(line + "\n" for line in lines)


def to_csv(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def render_records(
    records: Sequence[dict[str, Any]], format_: str, *, header: bool = False,
    documents: dict[str, Document] | None = None,
) -> str:
    """Fact records in a text format; TSV has no header unless asked (one fact per line).
    Markdown (md) names each quote's document from `documents`."""
    if format_ == "md":
        from lmc_cli.output.markdown import to_markdown

        return to_markdown(records, documents)
    if format_ == "json":
        return to_json(records)
    if format_ == "jsonl":
        return to_jsonl(records)
    rows = [fact_row(r) for r in records]
    if format_ == "csv":
        return to_csv(rows, TSV_COLUMNS)
    return to_tsv(rows, TSV_COLUMNS if header else None)


def render_documents(documents: Sequence[tuple[Document, int]], format_: str) -> str:
    records = [{**d.to_dict(), "facts": n} for d, n in documents]
    if format_ == "md":
        from lmc_cli.output.cite import md_attribution, md_escape

        lines = ["| id | attribution | facts |", "|---|---|---|"]
        lines += [f"| {md_escape(d.label)} | {md_attribution(d)} | {n} |" for d, n in documents]
        return "\n".join(lines) + "\n"
    if format_ == "json":
        return to_json(records)
    if format_ == "jsonl":
        return to_jsonl(records)
    rows = [[r.get("label"), r.get("kind"), r.get("title"), r.get("author"), r.get("translator"),
             r.get("outlet"), r.get("facts")] for r in records]
    if format_ == "csv":
        return to_csv(rows, SOURCE_COLUMNS)
    return to_tsv(rows)


# --- writing -------------------------------------------------------------------------


def emit(text: str) -> None:
    """Write data to stdout, every byte: a closed pipe raises PipeClosed, any other failure
    OutputFailed (exit 74), both with stdout silenced so that nothing fails again at exit.

    On a real file descriptor the bytes go out through os.write in a loop that checks each
    count (CPython's buffered stdout ignores a short write: `ulimit -f`, a non-blocking pipe).
    """
    if sys.stdout is None:  # stdout was already closed when lmc started
        raise PipeClosed
    try:
        fd = _stdout_fd()
        if fd is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            sys.stdout.flush()
            write_all(fd, _encode(text, sys.stdout))
    except BrokenPipeError:
        _silence_stdout()
        raise PipeClosed from None
    except OSError as exc:
        _silence_stdout()
        raise OutputFailed(f"cannot write output: {exc.strerror or exc}") from None


def _stdout_fd() -> int | None:
    try:
        return int(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation: a test's StringIO
        return None


def _encode(text: str, stream: Any) -> bytes:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return text.encode(encoding, getattr(stream, "errors", None) or "strict")
    except (UnicodeEncodeError, LookupError):
        return text.encode(encoding if encoding != "utf-16" else "utf-8", "backslashreplace")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def message(text: str) -> None:
    """One line for the user on stderr, with control characters made visible."""
    if sys.stderr is None:  # stderr was closed when lmc started: nowhere to say it
        return
    try:
        sys.stderr.write(one_line(text) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


# --- Rich renderables (imported lazily) ----------------------------------------------


def make_console(stderr: bool = False) -> Console:
    from rich.console import Console

    # Rich reads COLUMNS and LINES itself and fails on "²" or a 20-digit value: it gets the
    # width computed here and a LINES it can use, or none.
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    lines = os.environ.get("LINES", "")
    if lines.isascii() and lines.isdigit() and 0 < int(lines) <= 10000:
        environ["LINES"] = lines
    return Console(stderr=stderr, width=console_width(os.environ.get("COLUMNS", "")), _environ=environ,
                   highlight=False, emoji=False, markup=False, soft_wrap=False, safe_box=not _stdout_is_utf())


def console_width(raw: str) -> int | None:
    """COLUMNS as a usable width: None when unset (ask the terminal), 80 when it is not a
    positive number, and never under 40 or over 1000 (Rich overflows on a huge value)."""
    if not raw:
        return None
    value = int(raw) if raw.isascii() and raw.isdigit() else 0
    return min(max(value, 40), 1000) if value > 0 else 80


def print_renderable(renderable: RenderableType, console: Console | None = None) -> None:
    """Draw for a terminal: lines without trailing spaces, through a pager when taller than
    the screen (lmc_cli/output/pager.py)."""
    if sys.stdout is None:
        raise PipeClosed
    from lmc_cli.output import pager

    console = console or make_console()
    with console.capture() as capture:  # drawn first, then written through emit (every byte, or an error)
        console.print(renderable)
    text = strip_trailing(capture.get())
    if pager.wanted(text) and pager.page(text):
        return
    emit(text)


TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", re.M)


def strip_trailing(text: str) -> str:
    """Drop the spaces Rich pads lines with (style codes at the end of a line are kept)."""
    return TRAILING.sub(r"\1", text)


def _text(value: Any, style: str = "") -> Any:
    from rich.text import Text

    return Text(neutralise("" if value is None else _plain(value)), style=style)


def format_date(fact: Fact) -> str:
    date = fact.effective_date
    if not date:
        return ""
    shown = date if not fact.date_end else f"{date}–{fact.date_end}"
    return shown + (" †" if fact.date_is_editorial else "")


def format_value(fact: Fact) -> str:
    """The figure as people read it ("" when the fact gives none): see columns.figure_text."""
    if fact.figure is None:
        return ""
    return figure_text({"value": fact.value, "value_min": fact.value_min, "value_max": fact.value_max,
                        "amount_text": fact.amount_text, "qualifier": fact.qualifier, "unit": fact.unit})


def source_labels(fact: Fact) -> str:
    return ",".join(dict.fromkeys(c.label for c in fact.sources))


def results_table(matches: Sequence[Match], *, show_value: bool = False, title: str | None = None) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAVY, title=_text(title) if title else None, show_lines=False, expand=False)
    table.add_column("#", justify="right", style="dim", overflow="fold")
    table.add_column("fact", overflow="fold", ratio=3)
    table.add_column("date", overflow="fold", no_wrap=False)
    if show_value:
        table.add_column("value", overflow="fold", justify="right")
    table.add_column("src", overflow="fold")
    for n, match in enumerate(matches, 1):
        fact = match.fact
        name = _text(fact.title, "bold")
        name.append("\n")
        name.append(_text(fact.text))
        for label, value in fact_details(fact):
            name.append(_text(f"\n{label}: {value}", "dim"))
        if fact.disputed_by:
            name.append(_text(f"\n⚠ disputed: see {', '.join(fact.disputed_by)}", "yellow"))
        cells = [str(n), name, _text(format_date(fact))]
        if show_value:
            cells.append(_text(format_value(fact), "cyan"))
        cells.append(_text(source_labels(fact)))
        table.add_row(*cells)
    return table


def fact_details(fact: Fact) -> list[tuple[str, str]]:
    """The structured fields a reader scans for under a fact's sentence."""
    details = [
        ("place", fact.place or ""),
        ("who", ", ".join(fact.participants)),
        ("outcomes", "; ".join(fact.outcomes)),
        ("measures", fact.measure or ""),
        ("role", fact.role or ""),
    ]
    return [(label, value) for label, value in details if value]


def quote_block(fact: Fact, limit: int | None = 1) -> Any:
    from rich.console import Group

    lines = []
    for citation in fact.sources[:limit] if limit else fact.sources:
        line = _text(f"“{citation.quote}”", "italic")
        line.append(_text(f"  [{citation.label}]", "dim"))
        if citation.says:
            line.append(_text(f"  (says: {citation.says})", "dim"))
        lines.append(line)
    more = len(fact.sources) - len(lines)
    if more > 0:
        lines.append(_text(f"+ {more} more source(s): lmc show {fact.id}", "dim"))
    return Group(*lines)


def answer_card(match: Match) -> Any:
    from rich.console import Group
    from rich.panel import Panel

    fact = match.fact
    body = [_text(fact.text, "bold")]
    details = []
    if fact.figure is not None:
        details.append(f"value: {format_value(fact)}")
    if fact.effective_date:
        details.append(f"date: {format_date(fact)}")
    if details:
        body.append(_text("   ".join(details), "cyan"))
    if match.confidence is not None:
        sure = "sure" if match.confidence >= 0.8 else "fairly sure" if match.confidence >= 0.5 else "unsure"
        body.append(_text(f"confidence: {match.confidence:.0%} ({sure} this answers the question)",
                          "green" if match.confidence >= 0.8 else "yellow"))
    for label, value in fact_details(fact):
        body.append(_text(f"{label}: {value}", "dim"))
    if fact.editorial and fact.editorial.date:
        body.append(_text(f"† the public record gives {fact.editorial.date} ({fact.editorial.reference})", "dim"))
    if fact.disputed_by:
        body.append(_text(f"⚠ disputed: lmc show {', '.join(fact.disputed_by)}", "yellow"))
    body.append(quote_block(fact))
    return Panel(Group(*body), title=_text(fact.title), title_align="left", subtitle=_text(fact.id),
                 subtitle_align="right", expand=False)


def fact_detail(fact: Fact, documents: dict[str, Document]) -> Any:
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    grid = Table(box=box.SIMPLE, show_header=False, expand=False)
    grid.add_column("field", style="bold", overflow="fold")
    grid.add_column("value", overflow="fold")
    rows: list[tuple[str, Any]] = [("id", fact.id), ("table", fact.table), ("text", fact.text)]
    rows += [
        ("date", format_date(fact)), ("value", format_value(fact)), ("measure", fact.measure),
        ("place", fact.place), ("level", fact.level), ("ordinal", fact.ordinal), ("role", fact.role),
        ("speaker", fact.speaker), ("participants", list(fact.participants)),
        ("outcomes", list(fact.outcomes)), ("aliases", list(fact.aliases)),
        ("related", list(fact.related)), ("disputed by", list(fact.disputed_by)),
    ]
    if fact.editorial:
        rows.append(("editorial", " ".join(p for p in (fact.editorial.date, fact.editorial.note,
                                                          f"({fact.editorial.reference})") if p)))
    for name, value in rows:
        if value not in (None, "", []):
            grid.add_row(_text(name), _text(value))
    sources = Table(box=box.SIMPLE, show_header=True, expand=False)
    sources.add_column("source", overflow="fold")
    sources.add_column("quote", overflow="fold", ratio=3)
    for citation in fact.sources:
        doc = documents.get(citation.label)
        label = _text(citation.label, "bold")
        if doc:
            label.append(_text(f"\n{doc.title}", "dim"))
        quote = _text(f"“{citation.quote}”", "italic")
        if citation.says:
            quote.append(_text(f"\nsays: {citation.says}", "yellow"))
        sources.add_row(label, quote)
    return Panel(Group(grid, sources), title=_text(fact.title), title_align="left", expand=False)


def documents_table(documents: Sequence[tuple[Document, int]]) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAVY)
    for name in ("id", "kind", "title", "byline", "facts"):
        table.add_column(name, overflow="fold", justify="right" if name == "facts" else "left")
    for doc, count in documents:
        title = doc.title + (" (descriptive title)" if doc.title_is_descriptive else "")
        byline = "; ".join(
            p for p in (doc.author, f"translated by {doc.translator}" if doc.translator else None, doc.outlet) if p
        )
        table.add_row(_text(doc.label), _text(doc.kind), _text(title), _text(byline), _text(count))
    return table


KIND_MARKS = {"meetings": "meeting", "stats": "figure", "events": "event", "statements": "statement",
              "conflicts": "conflict", "organizations": "organization", "places": "place", "people": "person",
              "threats": "threat"}
# A symbol and a colour per kind, so that kinds can be told apart down a long column.
KIND_STYLES = {"meetings": ("●", "bold blue"), "stats": ("▲", "bold cyan"), "events": ("◆", "bold green"),
               "statements": ("❝", "magenta"), "conflicts": ("⚠", "bold yellow"),
               "organizations": ("■", "bright_black"), "places": ("⌂", "bright_black"),
               "people": ("☺", "bright_black"), "threats": ("✖", "red")}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TIMELINE_WIDTH = 110


def timeline_view(facts: Sequence[Fact], *, symbols: bool | None = None) -> Any:
    """Facts under year headings: the day or month (or "year") aligned, the kind marked with a
    symbol and colour, title then sentence, disputes flagged, editorial dates marked †."""
    from rich.console import Group
    from rich.rule import Rule
    from rich.table import Table

    symbols = _stdout_is_utf() if symbols is None else symbols
    by_year: dict[str, list[Fact]] = {}
    for fact in facts:
        by_year.setdefault((fact.effective_date or "")[:4], []).append(fact)
    date_width = max((timeline_date(f).cell_len for f in facts), default=6)
    kind_width = max((timeline_kind(f, symbols).cell_len for f in facts), default=6)
    parts: list[Any] = []
    for year, group in by_year.items():
        heading = _text(f" {year} ", "bold reverse")
        heading.append(_text(f"  {len(group)} fact{'s' if len(group) != 1 else ''}", "dim"))
        parts.append(Rule(heading, align="left", style="dim", characters="─" if symbols else "-"))
        table = Table(box=None, show_header=False, expand=True, pad_edge=False, padding=(0, 2, 1, 0))
        # The same widths in every year's table, so that the columns line up down the page.
        table.add_column("date", width=date_width, no_wrap=True)
        table.add_column("kind", width=kind_width, no_wrap=True)
        table.add_column("flag", width=1, no_wrap=True)
        table.add_column("fact", ratio=1, overflow="fold")
        for fact in group:
            flag = _text(("⚠" if symbols else "!") if fact.disputed_by else "", "bold yellow")
            table.add_row(timeline_date(fact), timeline_kind(fact, symbols), flag, timeline_fact(fact))
        parts.append(table)
    parts.append(_text("⚠ disputed: the documents disagree (lmc conflicts)   † date from the public record, "
                       "not the document\nMar, year: dated only to the month or the year, as in the source", "dim"))
    return Group(*parts)


def timeline_date(fact: Fact) -> Any:
    """The date within its year heading: `Mar 23`, `Mar` (month only) or `year`, † if editorial."""
    date = fact.effective_date or ""
    if len(date) >= 7:
        shown = _text(MONTHS[int(date[5:7]) - 1], "bold")
        shown.append(_text(f" {int(date[8:10]):>2}" if len(date) == 10 else "   "))
    else:
        shown = _text("year  ", "dim italic")
    if fact.date_end:
        shown.append(_text(f" → {fact.date_end[:4]}", "dim"))
    if fact.date_is_editorial:
        shown.append(_text(" †", "yellow"))
    return shown


def timeline_kind(fact: Fact, symbols: bool) -> Any:
    symbol, style = KIND_STYLES.get(fact.table, ("•", ""))
    label = KIND_MARKS.get(fact.table, fact.table)
    return _text(f"{symbol} {label}" if symbols else label, style)


def timeline_fact(fact: Fact) -> Any:
    line = _text(fact.title, "bold")
    if fact.figure is not None:
        line.append(_text(f"  {format_value(fact)}", "cyan"))
    line.append("\n")
    line.append(_text(fact.id, "cyan"))
    line.append(_text(f"  [{source_labels(fact)}]", "dim"))
    line.append("\n")
    line.append(_text(fact.text, "dim"))
    if fact.disputed_by:
        line.append(_text(f"\ndisputed: {', '.join(fact.disputed_by)}", "yellow"))
    return line


def timeline_text(facts: Sequence[Fact], *, width: int = TIMELINE_WIDTH) -> str:
    """The terminal timeline as plain text, for a file (`-o timeline.txt`); charts are output/chart.py."""
    import io

    from rich.console import Console

    console = Console(record=True, width=width, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", highlight=False, emoji=False, markup=False, soft_wrap=False)
    console.print(timeline_view(facts, symbols=True))
    return console.export_text()
