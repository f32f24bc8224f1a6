"""`lmc timeline --format svg|html`: the chart and the page, checked as files (no browser here)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import invoke, records
from hostile import HTML_ATTACK, fact_toml, toml_string, write_pack

from lmc_cli.model import Citation, Fact
from lmc_cli.output.chart import LABEL_LIMIT, Axis, layout, short_label
from lmc_cli.output.markup import attr, text

SVG = "{http://www.w3.org/2000/svg}"
RANGES = [(), ("--from", "2016", "--to", "2016"), ("--table", "meetings", "--table", "stats"),
          ("--from", "2020-02", "--to", "2024-08")]


class Page(HTMLParser):
    """Every start tag with its attributes, the text outside scripts and styles, and the styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self.current = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.current = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if self.current == "style":
            self.styles.append(data)
        elif self.current != "script":
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        self.current = ""


def parse_page(source: str) -> Page:
    page = Page()
    page.feed(source)
    page.close()
    return page


def render(tmp_path: Path, suffix: str, *args: str) -> str:
    path = tmp_path / f"timeline{suffix}"
    result = invoke(*args, "timeline", "--output", str(path)) if args[:1] == ("--no-bundled",) else \
        invoke("timeline", *args, "--output", str(path))
    assert result.exit_code == 0, result.stderr
    return path.read_text(encoding="utf-8")


def markers(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if "marker" in (e.get("class") or "").split()]


def no_external_reference(source: str) -> None:
    """Nothing to fetch: no scheme in the file, every link an anchor in it, nothing loaded by a
    tag, an attribute or a style sheet (checked on the parsed tags, so text may say anything)."""
    assert not re.search(r"(?i)\b(?:https?|ftp|wss?|file):", source.replace('xmlns="http://www.w3.org/2000/svg"', ""))
    page = parse_page(source)
    for tag, attrs in page.tags:
        assert tag not in {"link", "img", "image", "iframe", "object", "embed", "use", "foreignobject", "base"}, tag
        assert "src" not in attrs and "srcset" not in attrs
        for name, value in attrs.items():
            if name.endswith("href"):
                assert (value or "").startswith("#"), value
            if name in ("action", "formaction", "poster", "background", "data"):
                raise AssertionError(f"{tag} {name}={value!r} would load something")
            if name == "style":
                page.styles.append(value or "")
    for sheet in page.styles:
        assert not re.search(r"(?i)url\(|@import", sheet)


@pytest.mark.parametrize("args", RANGES)
def test_svg_is_valid_xml_with_one_marker_per_fact_in_range(tmp_path: Path, args: tuple[str, ...]) -> None:
    root = ET.fromstring(render(tmp_path, ".svg", *args))
    assert root.tag == SVG + "svg"
    expected = records("timeline", *args)
    found = markers(root)
    assert sorted(m.get("data-fact") or "" for m in found) == sorted(r["id"] for r in expected)
    kinds = {lane.get("data-kind") for lane in root.iter(SVG + "g") if lane.get("class") == "lane"}
    assert kinds == {r["table"] for r in expected}


@pytest.mark.parametrize("args", RANGES)
def test_html_has_every_fact_id_a_marker_each_and_no_other(tmp_path: Path, args: tuple[str, ...]) -> None:
    source = render(tmp_path, ".html", *args)
    page = parse_page(source)
    expected = {r["id"] for r in records("timeline", *args)}
    items = {a["id"] for tag, a in page.tags if tag == "li" and "fact" in (a.get("class") or "").split()}
    assert items == {f"fact-{i}" for i in expected}
    chart_markers = [a.get("data-fact") for tag, a in page.tags if "marker" in (a.get("class") or "").split()]
    assert sorted(chart_markers) == sorted(expected)
    assert all(f'href="#marker-{i}"' in source and f'id="marker-{i}"' in source for i in expected)


@pytest.mark.parametrize("suffix", [".svg", ".html"])
def test_no_external_url_in_either_file(tmp_path: Path, suffix: str) -> None:
    no_external_reference(render(tmp_path, suffix))


def test_page_is_accessible_and_reads_without_scripts(tmp_path: Path) -> None:
    source = render(tmp_path, ".html", "--table", "meetings")
    page = parse_page(source)
    tags = [tag for tag, _ in page.tags]
    html_tag = next(a for tag, a in page.tags if tag == "html")
    assert html_tag.get("lang") == "en"
    assert {"title", "h1", "h2", "h3", "h4", "main"} <= set(tags)
    assert source.lstrip().startswith("<!DOCTYPE html>")
    # The filters need the script, so they start hidden; the facts and their quotes do not.
    form = next(a for tag, a in page.tags if tag == "form")
    assert "hidden" in form
    shown = " ".join("".join(page.text).split())
    for record in records("timeline", "--table", "meetings"):
        assert record["title"] in shown
        assert " ".join(record["sources"][0]["quote"].split()) in shown
    # Every source document a fact cites is an anchor on the page.
    anchors = {a["id"] for _, a in page.tags if a.get("id")}
    for href in re.findall(r'href="#(doc-[^"]+)"', source):
        assert href in anchors
    # The chart's markers are links a screen reader can reach (role img would hide them).
    chart = next(a for tag, a in page.tags if tag == "svg")
    assert chart.get("role") == "group" and chart.get("aria-labelledby")
    assert all(tag == "a" and (a.get("href") or "").startswith("#fact-")
               for tag, a in page.tags if "marker" in (a.get("class") or "").split())
    # Only the page's own script may run: the policy names its hash.
    assert "Content-Security-Policy" in source and "script-src 'sha256-" in source


def test_disputed_facts_show_both_sides_and_editorial_dates_their_reference(tmp_path: Path) -> None:
    source = render(tmp_path, ".html", "--from", "2016-03", "--to", "2016-03")
    sanya = next(r for r in records("timeline", "--from", "2016-03", "--to", "2016-03") if r.get("disputed_by"))
    item = source[source.index(f'id="fact-{sanya["id"]}"'):]
    item = item[: item.find('<li class="fact"', 1)]
    assert "Disputed" in item
    conflicts = {r["id"]: r for r in records("list", "--table", "conflicts")}
    for side in conflicts[sanya["disputed_by"][0]]["sources"]:
        if "says" in side:
            assert text(side["says"]) in item
    svg = render(tmp_path, ".svg", "--from", "2016-03", "--to", "2016-03")
    assert "\u26a0" in svg and "\u2020" in svg


def test_imprecise_dates_are_spans_and_exact_days_points() -> None:
    def fact(date: str, date_end: str | None = None) -> Fact:
        return Fact(id=f"f-{date}", table="events", title=f"Thing {date}", text="x",
                    sources=(Citation("d", "q"),), date=date, date_end=date_end)

    _, lanes, _ = layout([fact("2016"), fact("2016-03"), fact("2016-03-23"), fact("2018", "2019")])
    placed = {p.fact.date: p for p in lanes["events"]}
    axis = Axis(2016, 2019)
    assert placed["2016"].is_span and placed["2016"].x1 - placed["2016"].x0 == pytest.approx(
        axis.x("2016-12-31", end=True) - axis.x("2016-01-01"))
    assert placed["2016-03"].is_span and 5.9 < placed["2016-03"].x1 - placed["2016-03"].x0 < 25
    assert not placed["2016-03-23"].is_span
    assert placed["2018"].x1 == pytest.approx(axis.x("2019-12-31", end=True))


def test_labels_never_share_a_row_where_they_overlap() -> None:
    facts = [Fact(id=f"f{i}", table="meetings", title=f"Meeting number {i} of a long series of meetings",
                  text="x", sources=(Citation("d", "q"),), date="2020-05-01") for i in range(6)]
    _, lanes, key = layout(facts)
    assert sorted(p.track for p in lanes["meetings"]) == list(range(6))  # same day: one row each
    assert [n for n, _ in key] == list(range(1, 7))  # long titles cut and numbered in the key
    assert all(len(p.label) <= LABEL_LIMIT + 8 for p in lanes["meetings"])


def test_short_labels_drop_only_a_trailing_date_then_use_an_alias_or_cut_at_a_word() -> None:
    def label(title: str, *aliases: str) -> tuple[str, bool]:
        return short_label(Fact(id="x", table="events", title=title, text="x", sources=(), aliases=aliases))

    assert label("Sanya Declaration (March 2016)") == ("Sanya Declaration", False)
    assert label("Five-Year Plan (2018-2022)") == ("Five-Year Plan", False)
    assert label("Meeting (Sanya)", "Sanya") == ("Meeting (Sanya)", False)
    long = "Integrated Law Enforcement and Security Cooperation Center of the river"
    cut, was_cut = label(long)
    assert was_cut and cut.endswith("\u2026") and not cut[:-1].endswith(" ") and long.startswith(cut[:-1])
    # The first alias that fits and is in the title's script; not one too short to say anything.
    assert label(long, "LEC", "澜湄综合执法安全合作中心", "law enforcement center", "center") == (
        "law enforcement center", True)
    assert label(long, "x" * (LABEL_LIMIT + 1))[0] == cut


HOSTILE = HTML_ATTACK


@pytest.fixture(scope="module")
def hostile_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    meeting = fact_toml("hostile-meeting", f"Meeting {HOSTILE}", f"Text {HOSTILE}", quote=f"Quote {HOSTILE}",
                        date="2019-05-04", place=f"Place {HOSTILE}", participants=[f"Party {HOSTILE}"])
    figure = fact_toml("hostile-figure", f"Figure {HOSTILE}", f"A figure {HOSTILE}", value=12,
                       unit=f"unit {HOSTILE}", measure=f"boats {HOSTILE}", date="2020")
    conflict = fact_toml("hostile-conflict", f"Conflict {HOSTILE}", f"Sources disagree {HOSTILE}",
                         date="2019-05", related=["hostile-meeting"])
    conflict += f"says = {toml_string(f'Side {HOSTILE}')}\n"  # the conflict's one source says what its side claims
    documents = (f'[[document]]\nid = "doc1"\ntitle = {toml_string(f"Doc {HOSTILE}")}\nkind = "report"\n'
                 f"outlet = {toml_string(f'Outlet {HOSTILE}')}\n")
    return write_pack(tmp_path_factory.mktemp("hostile") / "pack", {
        "meetings.toml": 'table = "meetings"\n' + meeting,
        "stats.toml": 'table = "stats"\n' + figure,
        "conflicts.toml": 'table = "conflicts"\n' + conflict,
    }, documents=documents)


def test_the_hostile_pack_loads_with_its_markup_intact(hostile_pack: Path) -> None:
    found = records("--no-bundled", "--facts", str(hostile_pack), "timeline")
    assert len(found) == 3 and all("<script>" in r["title"] for r in found)
    assert next(r for r in found if r["id"] == "hostile-meeting")["disputed_by"] == ["hostile-conflict"]


@pytest.mark.parametrize("suffix", [".svg", ".html"])
def test_nothing_in_a_fact_becomes_markup(tmp_path: Path, hostile_pack: Path, suffix: str) -> None:
    source = render(tmp_path, suffix, "--no-bundled", "--facts", str(hostile_pack))
    no_external_reference(source)
    for raw in ("\x1b", "\x07", "\ufffe", "\u202e", "\x00", "<img", "<script>alert"):
        assert raw not in source
    assert "\\x1b" in source and "\\ufffe" in source and "\\u202e" in source  # shown, not dropped
    if suffix == ".svg":
        root = ET.fromstring(source)  # still valid XML
        names = {e.tag.removeprefix(SVG) for e in root.iter()}
        assert not names & {"script", "img", "foreignObject", "image"}
        assert not any(k.lower().startswith("on") for e in root.iter() for k in e.attrib)
        assert len(markers(root)) == 3
        shown = "".join(root.itertext())
        assert '<script>alert(1)</script> "><img src=x onerror=alert(2)>' in shown  # as text
        return
    page = parse_page(source)
    assert [tag for tag, _ in page.tags].count("script") == 1
    assert "img" not in {tag for tag, _ in page.tags}
    assert not any(k.startswith("on") for _, a in page.tags for k in a)
    assert '<script>alert(1)</script> "><img src=x onerror=alert(2)>' in "".join(page.text)


def test_escaping_helpers() -> None:
    assert text('<a href="x">&</a>') == '&lt;a href="x"&gt;&amp;&lt;/a&gt;'
    assert attr('"><x onerror=\'y\'>') == "&quot;&gt;&lt;x onerror=&#39;y&#39;&gt;"
    assert text("a\x1bb\ufffec\U0010ffff") == "a\\x1bb\\ufffec\\U0010ffff"
    assert attr("tab\tnew\nline") == "tab&#9;new&#10;line"


def test_too_many_facts_for_one_chart_is_a_usage_error_that_says_how_to_narrow(tmp_path: Path) -> None:
    from hostile import big_pack

    from lmc_cli.errors import ExitCode
    from lmc_cli.output.chart import MAX_FACTS

    pack = big_pack(tmp_path / "big", 1, MAX_FACTS + 1)
    for suffix in (".svg", ".html"):
        result = invoke("--no-bundled", "--facts", str(pack), "timeline", "-o", str(tmp_path / f"t{suffix}"))
        assert result.exit_code == ExitCode.USAGE
        assert result.stderr.count("\n") == 1 and "--from, --to or --table" in result.stderr
        assert not (tmp_path / f"t{suffix}").exists()
    narrow = ("timeline", "--from", "2000", "--to", "2009")
    result = invoke("--no-bundled", "--facts", str(pack), *narrow, "-o", str(tmp_path / "t.svg"))
    assert result.exit_code == 0, result.stderr
    shown = markers(ET.parse(tmp_path / "t.svg").getroot())
    assert len(shown) == len(records("--no-bundled", "--facts", str(pack), *narrow)) <= MAX_FACTS
