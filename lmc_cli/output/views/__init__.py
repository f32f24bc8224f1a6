"""The terminal views: the only module that imports Rich, lazily, and only when drawing."""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lmc_cli.kinds import KINDS
from lmc_cli.model import Document, Fact, Match
from lmc_cli.output.formats import _plain, fact_details, format_date, format_value, source_labels
from lmc_cli.output.sanitise import neutralise
from lmc_cli.output.streams import PipeClosed, _stdout_is_utf, emit

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def group(*parts: Any) -> Any:
    """Several renderables shown one after another (so that callers need not import Rich)."""
    from rich.console import Group

    return Group(*parts)


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
    # Each quote under its document, full width: at 80 columns a side-by-side table leaves the
    # quote a third of the line.
    from rich.padding import Padding

    quotes: list[Any] = [_text("sources", "bold")]
    for citation in fact.sources:
        doc = documents.get(citation.label)
        head = _text(citation.label, "bold")
        if doc:
            head.append(_text(f"  {doc.title}" + (" (descriptive title)" if doc.title_is_descriptive else ""), "dim"))
        quote = _text(f"“{citation.quote}”", "italic")
        if citation.says:
            quote.append(_text(f"\nsays: {citation.says}", "yellow"))
        quotes.append(Padding(Group(head, Padding(quote, (0, 0, 0, 2))), (0, 0, 0, 1)))
    return Panel(Group(grid, *quotes), title=_text(fact.title), title_align="left", expand=False)


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


KIND_MARKS = {kind.table: kind.label for kind in KINDS}  # the registry: lmc_cli/kinds.py
KIND_STYLES = {kind.table: (kind.symbol, kind.style) for kind in KINDS}


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

    from rich.console import Console

    console = Console(record=True, width=width, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", highlight=False, emoji=False, markup=False, soft_wrap=False)
    console.print(timeline_view(facts, symbols=True))
    return console.export_text()
