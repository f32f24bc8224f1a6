"""Terminal views that read at 80 columns: one line per fact, and numbered entries with the
quote under each fact. Rich only, imported lazily, like output/views.py.

Ids are never wrapped or cut: their column is as wide as the longest id shown, and the
title gives way (ellipsis) instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lmc_cli.model import Fact, Match
from lmc_cli.output.sanitise import neutralise

DISPUTED = "⚠"
EDITORIAL = "†"


def _text(value: Any, style: str = "") -> Any:
    from rich.text import Text

    return Text(neutralise("" if value is None else str(value)), style=style)


def short_date(fact: Fact) -> str:
    date = fact.effective_date or ""
    if date and fact.date_end:
        date += f"–{fact.date_end}"
    return date + (f" {EDITORIAL}" if fact.date_is_editorial else "")


def value_text(fact: Fact) -> str:
    """The figure as people read it: a number, a range, or the source's words."""
    from lmc_cli.output.formats import format_value

    return str(format_value(fact))


def labels(fact: Fact) -> str:
    return ",".join(dict.fromkeys(c.label for c in fact.sources))


class FactLines:
    """One line per fact: [#] id, date, [value], ⚠, title. Widths are measured at draw time:
    the id column fits the longest id, the title takes what is left and is cut with … ."""

    def __init__(self, facts: Sequence[Fact], *, numbered: bool, show_value: bool, title: str | None) -> None:
        self.facts = list(facts)
        self.numbered = numbered
        self.show_value = show_value
        self.title = title

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.text import Text

        width = options.max_width
        rows = []
        for n, fact in enumerate(self.facts, 1):
            rows.append([f"{n}" if self.numbered else None, fact.id, short_date(fact),
                         value_text(fact) if self.show_value else None,
                         DISPUTED if fact.disputed_by else " ", fact.title])
        widths = [max((len(r[i] or "") for r in rows), default=0) for i in range(5)]
        # Ids line up to 45% of the width (9 ids in 10 at 80 columns); a longer id is written whole and pushes its
        # own row along. The value column goes when it would leave the title too little room.
        widths[1] = min(widths[1], max(12, width * 45 // 100))
        # A figure is never cut ("more than 5…" would mislead): it is shown whole while the
        # title keeps 24 columns, else left to --long and the other formats.
        fixed = sum(w + 2 for w in widths[:3] if w) + 2
        if widths[3] and width - fixed - 2 - widths[3] < 24:
            widths[3] = 0
        if self.title:
            yield _text(self.title, "bold")
        styles = ("dim", "bold", "", "cyan", "yellow")
        for row in rows:
            line = Text()
            for i, cell in enumerate(row[:5]):
                if cell is None or widths[i] == 0:
                    continue
                shown = neutralise(cell)
                line.append(shown.rjust(widths[i]) if i in (0, 3) else shown.ljust(widths[i]), styles[i])
                line.append("  " if i != 4 else " ")
            room = width - line.cell_len
            title = neutralise(row[5] or "")
            if len(title) > room:
                title = title[: max(room - 1, 0)] + "…" if room > 1 else ""
            line.append(title)
            line.rstrip()
            line.no_wrap = True
            line.overflow = "crop"
            yield line


def fact_lines(facts: Sequence[Fact], *, numbered: bool = False, show_value: bool = False,
               title: str | None = None) -> Any:
    """One line per fact (see FactLines)."""
    return FactLines(facts, numbered=numbered, show_value=show_value, title=title)


def legend(facts: Sequence[Fact]) -> Any:
    marks = []
    if any(f.disputed_by for f in facts):
        marks.append(f"{DISPUTED} the sources disagree")
    if any(f.date_is_editorial for f in facts):
        marks.append(f"{EDITORIAL} date from the public record")
    marks.append("lmc show ID: in full; lmc cite ID: to cite")
    return _text("   ".join(marks), "dim")


def entry(n: int | None, fact: Fact, *, show_value: bool, quotes: int | None = 1) -> Any:
    """A numbered fact: title, id and sources, the sentence, details, and its quote(s) beneath."""
    from rich.console import Group
    from rich.table import Table

    from lmc_cli.output.formats import fact_details

    meta = _text(fact.id, "bold cyan")
    for part in (short_date(fact), value_text(fact) if show_value else "", f"[{labels(fact)}]"):
        if part:
            meta.append(_text(f"  {part}", "dim"))
    body: list[Any] = [_text(fact.title, "bold"), meta, _text(fact.text)]
    if fact.disputed_by:
        body.append(_text(f"{DISPUTED} disputed: lmc show {' '.join(fact.disputed_by)}", "yellow"))
    for label, value in fact_details(fact):
        body.append(_text(f"{label}: {value}", "dim"))
    shown = fact.sources[:quotes] if quotes else fact.sources
    for citation in shown:
        line = _text(f"“{citation.quote}”", "italic")
        line.append(_text(f"  [{citation.label}]", "dim"))
        if citation.says:
            line.append(_text(f"  (says: {citation.says})", "dim"))
        body.append(line)
    more = len(fact.sources) - len(shown)
    if more > 0:
        body.append(_text(f"+ {more} more quote{'s' if more > 1 else ''}: lmc show {fact.id}", "dim"))
    grid = Table.grid(padding=(0, 1, 1, 0))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(f"{n}." if n is not None else "", Group(*body))
    return grid


def entries(matches: Sequence[Match], *, show_value: bool) -> Any:
    from rich.console import Group

    return Group(*(entry(n, m.fact, show_value=show_value) for n, m in enumerate(matches, 1)))
