"""The timeline as an SVG chart: a time axis, a lane per kind, a marker per fact.

Written by hand rather than with a plotting library (docs/timeline.md has the figures):
the layout that matters here, labels that never collide, is ours to compute either way.
Text widths come from DejaVu Sans metrics (the font named first), so that labels can be
packed into rows without overlapping; every string from a pack is escaped (markup.py).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from lmc_cli import kinds
from lmc_cli.model import Document, Fact, date_bounds
from lmc_cli.output.markup import attr, text

WIDTH = 1000  # user units; the picture scales to its container (a slide, a page)
PLOT_LEFT = 150  # the lane names sit left of this
PLOT_RIGHT = WIDTH - 30
LABEL_SIZE = 14
SMALL_SIZE = 13
TRACK = 24  # height of one row of markers in a lane
LABEL_LIMIT = 38  # characters; a longer title is cut at a word, numbered, and keyed below
# More facts than this make a chart no one takes in at a glance (and a page of thousands of
# rows); `lmc timeline` asks for a narrower selection instead.
MAX_FACTS = 500
FONT = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif"

# A colour (Okabe-Ito, told apart by most colour-blind readers) and a shape per kind, in
# lane order: colour is never the only cue, since the lanes are named and shapes differ.
KINDS: dict[str, tuple[str, str, str]] = {k.table: (k.lane, k.colour, k.shape) for k in kinds.KINDS}
OTHER_KIND = ("", kinds.OTHER.colour, kinds.OTHER.shape)
DISPUTED_COLOUR = "#B34700"

# Advance widths of DejaVu Sans, per mille of the font size, for ASCII 32-126 (measured in
# Chromium with canvas measureText); anything else counts as a full em.
_WIDTHS = (
    "318,401,460,838,636,950,780,275,390,390,500,838,318,361,318,337,636,636,636,636,636,636,636,636,636,636,"
    "337,337,838,838,838,531,1000,684,686,698,770,632,575,775,752,295,295,656,557,863,748,787,603,787,695,635,"
    "611,732,684,989,685,611,685,390,337,390,838,500,500,613,635,550,635,615,352,635,634,278,278,579,278,974,"
    "634,612,635,635,411,521,392,634,592,818,592,592,525,636,337,636,838"
)
_BOLD_WIDTHS = (
    "348,456,521,838,696,1002,872,306,457,457,523,838,380,415,380,365,696,696,696,696,696,696,696,696,696,696,"
    "400,400,838,838,838,580,1000,774,762,734,830,683,683,821,837,372,372,775,637,995,837,850,733,850,770,720,"
    "682,812,774,1103,771,724,725,457,365,457,838,500,500,675,716,593,716,678,435,716,712,343,343,665,343,1042,"
    "712,687,716,716,493,595,478,712,652,924,645,652,582,712,365,712,838"
)
ADVANCE = {chr(32 + i): int(w) for i, w in enumerate(_WIDTHS.split(","))}
BOLD_ADVANCE = {chr(32 + i): int(w) for i, w in enumerate(_BOLD_WIDTHS.split(","))}
NARROW = {"\u2020": 500, "\u2026": 1000, "\u2013": 500, "\u2019": 318, "\u201c": 521, "\u201d": 521}
DATE_ONLY = re.compile(r"\s*\((?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*)?"
                       r"\d{4}(?:\s*[-\u2013]\s*\d{4})?\)$")


def text_width(value: str, size: float, bold: bool = False) -> float:
    """How wide a string sets in DejaVu Sans at this size (a little over, never under)."""
    table = BOLD_ADVANCE if bold else ADVANCE
    return sum(table.get(ch) or NARROW.get(ch, 1000) for ch in value) * size / 1000 * 1.03


@dataclass(frozen=True, slots=True)
class Placed:
    """A fact laid out: its marker's extent, its label and where both go."""

    fact: Fact
    label: str
    number: int | None
    x0: float
    x1: float
    label_x: float
    label_anchor: str
    track: int = 0

    @property
    def is_span(self) -> bool:
        return self.x1 - self.x0 > 0.5


@dataclass(frozen=True, slots=True)
class Axis:
    first_year: int
    last_year: int

    def x(self, iso_day: str, end: bool = False) -> float:
        """Where a day falls; `end` puts it at the end of that day, so a span covers its last day."""
        day = dt.date.fromisoformat(iso_day) + dt.timedelta(days=1 if end else 0)
        start = dt.date(self.first_year, 1, 1)
        total = (dt.date(self.last_year + 1, 1, 1) - start).days
        return PLOT_LEFT + (day - start).days / total * (PLOT_RIGHT - PLOT_LEFT)


def short_label(fact: Fact) -> tuple[str, bool]:
    """A fact's label and whether it is shorter than the title (then it is numbered and keyed).

    The title without a trailing date the axis already shows; past LABEL_LIMIT characters,
    the first of the fact's aliases (curated short names) that fits and is in the title's
    script, else the title cut at a word boundary."""
    title = " ".join(fact.title.split())
    trimmed = DATE_ONLY.sub("", title) or title
    if len(trimmed) <= LABEL_LIMIT:
        return trimmed, False
    for alias in fact.aliases:
        alias = " ".join(alias.split())
        if 8 <= len(alias) <= LABEL_LIMIT and scripts(alias) <= scripts(title):
            return alias, True
    cut = trimmed[: LABEL_LIMIT - 1]
    if " " in cut[LABEL_LIMIT // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-(") + "\u2026", True


def scripts(value: str) -> set[str]:
    """The writing systems of a string's letters (LATIN, CJK, ...), from their Unicode names."""
    return {unicodedata.name(ch, "UNKNOWN").split()[0] for ch in value if ch.isalpha()}


def decorate(label: str, fact: Fact, number: int | None) -> str:
    """The label as shown: the key number, ⚠ for a disputed fact, † for an editorial date."""
    shown = f"{number}. {label}" if number is not None else label
    if fact.disputed_by:
        shown = "\u26a0 " + shown
    if fact.date_is_editorial:
        shown += " \u2020"
    return shown


def kind_of(table: str) -> tuple[str, str, str]:
    name, colour, shape = KINDS.get(table, OTHER_KIND)
    return name or table, colour, shape


def lane_order(facts: Iterable[Fact]) -> list[str]:
    present = {f.table for f in facts}
    known = [t for t in KINDS if t in present]
    return known + sorted(present - set(known))


def layout(facts: Sequence[Fact]) -> tuple[Axis, dict[str, list[Placed]], list[tuple[int, Fact]]]:
    """Lanes of placed facts, and the key of numbered (abbreviated) labels."""
    spans = [f.span() for f in facts]
    years = [int(s[0][:4]) for s in spans if s] + [int(s[1][:4]) for s in spans if s]
    axis = Axis(min(years), max(years))
    key: list[tuple[int, Fact]] = []
    lanes: dict[str, list[Placed]] = {t: [] for t in lane_order(facts)}
    for fact, span in zip(facts, spans, strict=True):
        if span is None:
            continue
        label, cut = short_label(fact)
        number = None
        if cut:
            number = len(key) + 1
            key.append((number, fact))
        shown = decorate(label, fact, number)
        precise = len(fact.effective_date or "") == 10 and not fact.date_end
        x0 = axis.x(span[0])
        x1 = x0 if precise else axis.x(span[1], end=True)
        if not precise and x1 - x0 < 6:  # a month is narrower than a marker: widen it evenly
            middle = (x0 + x1) / 2
            x0, x1 = middle - 3, middle + 3
        lanes[fact.table].append(place_label(fact, shown, number, x0, x1))
    return axis, {t: stack(items) for t, items in lanes.items()}, key


def place_label(fact: Fact, label: str, number: int | None, x0: float, x1: float) -> Placed:
    width = text_width(label, LABEL_SIZE)
    right = max(x1, x0 + 7) + 5
    if right + width <= WIDTH - 6:
        return Placed(fact, label, number, x0, x1, right, "start")
    return Placed(fact, label, number, x0, x1, min(x0, x1 - 7) - 5, "end")


def extent(item: Placed) -> tuple[float, float]:
    width = text_width(item.label, LABEL_SIZE)
    low, high = min(item.x0, item.x1 - 7), max(item.x1, item.x0 + 7)
    if item.label_anchor == "start":
        return low, item.label_x + width
    return item.label_x - width, high


GAP = 10  # least room between two items in a row


def stack(items: Sequence[Placed]) -> list[Placed]:
    """Each item into the first row of its lane where it (marker and label) overlaps nothing.

    A row keeps its intervals sorted and apart, so only the two neighbours of a new one can
    overlap it (bisect): thousands of facts lay out in well under a second."""
    rows: list[tuple[list[float], list[float]]] = []  # per row: the lows, and the highs, in order
    placed = []
    for item in items:
        low, high = extent(item)
        index, at = first_free(rows, low, high)
        if index == len(rows):
            rows.append(([], []))
        rows[index][0].insert(at, low)
        rows[index][1].insert(at, high)
        placed.append(Placed(item.fact, item.label, item.number, item.x0, item.x1, item.label_x,
                             item.label_anchor, index))
    return placed


def first_free(rows: Sequence[tuple[list[float], list[float]]], low: float, high: float) -> tuple[int, int]:
    """The first row with room for [low, high], and where in it; a new row when none has."""
    for index, (lows, highs) in enumerate(rows):
        at = bisect.bisect_left(lows, low)
        if (at == 0 or highs[at - 1] + GAP <= low) and (at == len(lows) or high + GAP <= lows[at]):
            return index, at
    return len(rows), 0


def wrap(value: str, width: float, size: float) -> list[str]:
    """Words into lines no wider than `width` at this size."""
    lines: list[str] = []
    line = ""
    for word in value.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def shape(kind: str, x: float, y: float, r: float = 6.5) -> str:
    """An SVG element drawing a kind's marker shape centred on (x, y)."""
    def points(pairs: Iterable[tuple[float, float]]) -> str:
        return "<polygon points=\"" + " ".join(f"{x + a:.1f},{y + b:.1f}" for a, b in pairs) + "\"/>"

    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
    if kind == "square":
        return f'<rect x="{x - r * .85:.1f}" y="{y - r * .85:.1f}" width="{r * 1.7:.1f}" height="{r * 1.7:.1f}"/>'
    if kind == "diamond":
        return points([(0, -r * 1.2), (r * 1.2, 0), (0, r * 1.2), (-r * 1.2, 0)])
    if kind == "triangle":
        return points([(0, -r * 1.15), (r * 1.1, r * .85), (-r * 1.1, r * .85)])
    if kind == "down":
        return points([(0, r * 1.15), (r * 1.1, -r * .85), (-r * 1.1, -r * .85)])
    if kind == "cross":
        s = r * .45
        return points([(-r, -r + s), (-r + s, -r), (0, -s), (r - s, -r), (r, -r + s), (s, 0), (r, r - s),
                       (r - s, r), (0, s), (-r + s, r), (-r, r - s), (-s, 0)])
    corners = {"pentagon": 5, "hexagon": 6, "star": 10}.get(kind, 6)
    pairs = []
    for i in range(corners):
        angle = -math.pi / 2 + 2 * math.pi * i / corners
        radius = r * (0.5 if kind == "star" and i % 2 else 1.1)
        pairs.append((radius * math.cos(angle), radius * math.sin(angle)))
    return points(pairs)


def date_words(fact: Fact, *, short: bool = False) -> str:
    """A fact's date with its precision: `2016-03 (month only)`; `short`: `2016-03 (month)`, `… †`."""
    date = fact.effective_date or ""
    precision = {4: "year", 7: "month"}.get(len(date))
    shown = f"{date}\u2013{fact.date_end}" if fact.date_end else date
    if short:
        return shown + (f" ({precision})" if precision else "") + (" \u2020" if fact.date_is_editorial else "")
    notes = [f"{precision} only" if precision else None,
             "date from the public record \u2020" if fact.date_is_editorial else None]
    kept = [n for n in notes if n]
    return shown + (f" ({'; '.join(kept)})" if kept else "")


def document_line(doc: Document) -> str:
    byline = "; ".join(p for p in (doc.author, f"translated by {doc.translator}" if doc.translator else None,
                                   doc.outlet) if p)
    return f"{doc.label} {doc.title}" + (f" ({byline})" if byline else "")


def cited_documents(facts: Iterable[Fact], documents: Mapping[str, Document]) -> list[Document]:
    labels = sorted({c.label for f in facts for c in f.sources})
    return [documents[label] for label in labels if label in documents]


STYLE = f"""
.lmc-chart text {{ font-family: {FONT}; fill: #1a1a1a; }}
.lmc-chart .label {{ font-size: {LABEL_SIZE}px; }}
.lmc-chart .small {{ font-size: {SMALL_SIZE}px; fill: #333; }}
.lmc-chart .lane-name {{ font-size: {LABEL_SIZE}px; font-weight: bold; }}
.lmc-chart .year {{ font-size: {LABEL_SIZE}px; fill: #333; }}
.lmc-chart .title {{ font-size: 20px; font-weight: bold; }}
.lmc-chart .heading {{ font-size: {SMALL_SIZE + 1}px; font-weight: bold; }}
.lmc-chart .flag {{ fill: {DISPUTED_COLOUR}; font-weight: bold; }}
.lmc-chart .editorial {{ stroke-dasharray: 2.5 1.5; fill: #fff; }}
.lmc-chart .span {{ fill-opacity: .28; }}
.lmc-chart .marker:focus .label, .lmc-chart .marker:hover .label {{ text-decoration: underline; font-weight: bold; }}
"""


def timeline_svg(facts: Sequence[Fact], documents: Mapping[str, Document], *, title: str = "Timeline",
                 subtitle: str = "", links: bool = False, heading: bool = True) -> str:
    """The chart as a standalone SVG document (`links`: markers are links to `#fact-ID`, for the page;
    `heading`: the title and subtitle drawn at the top, when no page around it shows them)."""
    dated = [f for f in facts if f.span() is not None]
    if not dated:
        raise ValueError("the chart needs at least one dated fact")
    axis, lanes, key = layout(dated)
    out: list[str] = []
    y = 0.0
    if heading:
        y = 30
        out.append(f'<text class="title" x="10" y="{y:.0f}">{text(title)}</text>')
        if subtitle:
            y += 20
            out.append(f'<text class="small" x="10" y="{y:.0f}">{text(subtitle)}</text>')
    y += 14
    legend, y = legend_rows(lanes, y)
    out.extend(legend)
    y += 10
    axis_top = y
    y += 26  # year labels
    lane_parts: list[str] = []
    lane_rules: list[float] = []
    for table, items in lanes.items():
        name, colour, kind = kind_of(table)
        rows = max((i.track for i in items), default=0) + 1
        top = y
        height = rows * TRACK + 8
        lane_rules.append(top)
        mid = top + 4 + TRACK / 2
        lane_parts.append(f'<g class="lane" data-kind="{attr(table)}">')
        lane_parts.append(f'<g fill="{colour}" stroke="#222" stroke-width="1">{shape(kind, 16, mid, 6)}</g>')
        lane_parts.append(f'<text class="lane-name" x="30" y="{mid + 5:.1f}">{text(name)}</text>')
        for item in items:
            lane_parts.append(marker(item, top + 4 + item.track * TRACK + TRACK / 2, colour, kind, links))
        lane_parts.append("</g>")
        y = top + height
    axis_bottom = y
    out.extend(year_bands(axis, axis_top, axis_bottom))
    for rule in lane_rules[1:]:
        out.append(f'<line x1="10" x2="{WIDTH - 10}" y1="{rule:.1f}" y2="{rule:.1f}" stroke="#bbb" '
                   'stroke-width="1"/>')
    out.extend(lane_parts)
    y = axis_bottom + 12
    if key:
        y += 12
        out.append(f'<text class="heading" x="10" y="{y:.0f}">Key to the numbered labels</text>')
        for number, fact in key:
            for n, line in enumerate(wrap(f"{number}. {fact.title} \u2014 {date_words(fact, short=True)}",
                                          WIDTH - 40, SMALL_SIZE)):
                y += 17
                out.append(f'<text class="small" x="{10 if n == 0 else 26}" y="{y:.0f}">{text(line)}</text>')
        y += 8
    y += 18
    out.append(f'<text class="heading" x="10" y="{y:.0f}">Sources</text>')
    for doc in cited_documents(dated, documents):
        for n, line in enumerate(wrap(document_line(doc), WIDTH - 40, SMALL_SIZE)):
            y += 17
            out.append(f'<text class="small" x="{10 if n == 0 else 26}" y="{y:.0f}">{text(line)}</text>')
    total = y + 14
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="lmc-chart" viewBox="0 0 {WIDTH} {total:.0f}" '
            f'width="{WIDTH}" height="{total:.0f}" role="{"group" if links else "img"}" '
            'aria-labelledby="lmc-chart-title">'
            f'<title id="lmc-chart-title">{text(title)}</title><style>{STYLE}</style>'
            f'<rect width="{WIDTH}" height="{total:.0f}" fill="#fff"/>')
    return head + "\n".join(out) + "</svg>\n"


def legend_rows(lanes: Mapping[str, Sequence[Placed]], y: float) -> tuple[list[str], float]:
    """How to read the marks the chart uses: spans, editorial dates, disputes (none: no legend)."""
    out: list[str] = []
    items = [i for row in lanes.values() for i in row]
    entries = [entry for entry, used in (
        (('<rect x="{x}" y="{y0}" width="26" height="10" fill="#777" class="span" stroke="#444"/>', 30,
          "dated to a month or year only: drawn across it"), any(i.is_span for i in items)),
        (('<circle cx="{xc}" cy="{yc}" r="6" fill="#fff" stroke="#444" class="editorial"/>', 16,
          "\u2020 date from the public record, not the document"), any(i.fact.date_is_editorial for i in items)),
        (("", 0, "\u26a0 disputed: the documents disagree"), any(i.fact.disputed_by for i in items)),
    ) if used]
    if not entries:
        return out, y
    x = 10.0
    y += 16
    for template, room, words in entries:
        width = text_width(words, SMALL_SIZE, bold=words.startswith("\u26a0"))
        if x > 10 and x + room + width > WIDTH - 10:
            x, y = 10.0, y + 20
        if template:
            out.append(template.format(x=f"{x:.0f}", y0=f"{y - 9:.0f}", xc=f"{x + 6:.0f}", yc=f"{y - 4:.0f}"))
        label_class = "small flag" if words.startswith("\u26a0") else "small"
        out.append(f'<text class="{label_class}" x="{x + room:.0f}" y="{y:.0f}">{text(words)}</text>')
        x += room + width + 24
    return out, y + 6


def year_bands(axis: Axis, top: float, bottom: float) -> list[str]:
    out = []
    for year in range(axis.first_year, axis.last_year + 1):
        x0 = axis.x(f"{year}-01-01")
        x1 = axis.x(f"{year}-12-31", end=True)
        if (year - axis.first_year) % 2 == 0:
            out.append(f'<rect x="{x0:.1f}" y="{top:.1f}" width="{x1 - x0:.1f}" height="{bottom - top:.1f}" '
                       'fill="#f1f1f1"/>')
        out.append(f'<line x1="{x0:.1f}" x2="{x0:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" stroke="#ccc"/>')
        out.append(f'<text class="year" x="{(x0 + x1) / 2:.1f}" y="{top + 18:.1f}" '
                   f'text-anchor="middle">{year}</text>')
    out.append(f'<line x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{top + 26:.1f}" y2="{top + 26:.1f}" stroke="#666"/>')
    return out


def marker(item: Placed, y: float, colour: str, kind: str, links: bool) -> str:
    fact = item.fact
    classes = "marker" + (" disputed" if fact.disputed_by else "") + (" editorial-date" if fact.date_is_editorial
                                                                        else "")
    docs = " ".join(dict.fromkeys(c.label for c in fact.sources))
    tag = "a" if links else "g"
    head = (f'<{tag} class="{classes}" data-fact="{attr(fact.id)}" data-kind="{attr(fact.table)}" '
            f'data-docs="{attr(docs)}"')
    if links:
        head += f' href="#fact-{attr(fact.id)}" id="marker-{attr(fact.id)}"'
    parts = [head + ">", f"<title>{text(fact.title)} \u2014 {text(date_words(fact))}</title>"]
    edit = ' class="editorial"' if fact.date_is_editorial else ""
    if item.is_span:
        parts.append(f'<rect x="{item.x0:.1f}" y="{y - 6:.1f}" width="{item.x1 - item.x0:.1f}" height="12" rx="3" '
                     f'fill="{colour}" stroke="{colour}" stroke-width="1.5" class="span"/>')
    else:
        parts.append(f'<g fill="{colour}" stroke="#222" stroke-width="1"{edit}>'
                     f'{shape(kind, item.x0, y)}</g>')
    label = text(item.label)
    if fact.disputed_by:
        label = f'<tspan class="flag">{label[:1]}</tspan>{label[1:]}'
    parts.append(f'<text class="label" x="{item.label_x:.1f}" y="{y + 5:.1f}" '
                 f'text-anchor="{item.label_anchor}">{label}</text>')
    parts.append(f"</{tag}>")
    return "".join(parts)


def year_range(facts: Iterable[Fact]) -> str:
    bounds = [date_bounds(f.effective_date) for f in facts if f.effective_date]
    if not bounds:
        return ""
    first, last = min(b[0] for b in bounds)[:4], max(b[1] for b in bounds)[:4]
    ends = [date_bounds(f.date_end)[1][:4] for f in facts if f.date_end]
    last = max([last, *ends])
    return first if first == last else f"{first}\u2013{last}"
