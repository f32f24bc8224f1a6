"""The timeline page and chart in a real browser (headless Chromium): scripts run without a
console message, the markers and facts are there, URL filters hide facts, labels do not collide."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import dump_dom, file_url
from helpers import invoke, records
from hostile import HTML_ATTACK as HOSTILE
from hostile import fact_toml, write_pack
from hostile import toml_string as toml


class Facts(HTMLParser):
    """Each `li.fact` of a dumped DOM: its fact id, whether hidden, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[dict[str, object]] = []
        self.markers: dict[str, bool] = {}  # fact id -> filtered out of the chart
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag == "li" and "fact" in classes:
            self.items.append({"id": found.get("data-fact"), "hidden": "hidden" in found, "text": ""})
            self.depth = 1
        elif tag == "li" and self.depth:
            self.depth += 1
        if "marker" in classes:
            self.markers[found.get("data-fact") or ""] = "filtered" in classes

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.items[-1]["text"] = str(self.items[-1]["text"]) + data


def page(tmp_path: Path, *pack_args: str) -> Path:
    path = tmp_path / "timeline.html"
    result = invoke(*pack_args, "timeline", "--output", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def load(path: Path, query: str = "") -> tuple[str, Facts]:
    dom, console = dump_dom(file_url(path, query))
    assert console == [], console  # no error, no warning, no CSP violation: nothing at all
    assert 'data-ready="1"' in dom and 'data-errors="' not in dom
    parsed = Facts()
    parsed.feed(dom)
    return dom, parsed


def test_page_runs_cleanly_with_every_marker_and_fact(tmp_path: Path) -> None:
    dom, parsed = load(page(tmp_path))
    expected = [r["id"] for r in records("timeline")]
    assert [i["id"] for i in parsed.items] == expected  # the facts in order
    assert sorted(parsed.markers) == sorted(expected)
    assert not any(i["hidden"] for i in parsed.items) and not any(parsed.markers.values())
    assert f"Showing {len(expected)} of {len(expected)} facts" in dom
    assert re.search(r'<form id="filters"(?![^>]*hidden)', dom)  # the script showed the filters


def test_with_its_script_blocked_every_fact_and_marker_still_shows(tmp_path: Path) -> None:
    # Chromium's --dump-dom needs scripts enabled, so the page's own policy blocks its script.
    path = page(tmp_path)
    source = path.read_text(encoding="utf-8")
    blocked = re.sub(r"script-src 'sha256-[^']+'", "script-src 'none'", source)
    assert blocked != source
    path.write_text(blocked, encoding="utf-8")
    dom, console = dump_dom(file_url(path, "?kind=meetings"))
    assert len(console) == 1 and "Content Security Policy" in console[0]  # the script was refused
    assert 'data-ready="1"' not in dom
    parsed = Facts()
    parsed.feed(dom)
    expected = [r["id"] for r in records("timeline")]
    assert [i["id"] for i in parsed.items] == expected and not any(i["hidden"] for i in parsed.items)
    assert sorted(parsed.markers) == sorted(expected)
    assert re.search(r'<form id="filters"[^>]* hidden', dom)  # filters that cannot work are not shown


def test_a_kind_filter_in_the_url_hides_the_other_facts(tmp_path: Path) -> None:
    dom, parsed = load(page(tmp_path), "?kind=meetings")
    meetings = {r["id"] for r in records("timeline", "--table", "meetings")}
    shown = {str(i["id"]) for i in parsed.items if not i["hidden"]}
    assert shown == meetings and len(parsed.items) > len(meetings)
    assert {f for f, out in parsed.markers.items() if not out} == meetings
    assert f"Showing {len(meetings)} of {len(parsed.items)} facts" in dom


def test_document_and_text_filters_combine(tmp_path: Path) -> None:
    path = page(tmp_path)
    _, by_doc = load(path, "?doc=003")
    citing = {r["id"] for r in records("timeline") if any(s["doc"] == "003" for s in r["sources"])}
    assert {str(i["id"]) for i in by_doc.items if not i["hidden"]} == citing
    _, by_text = load(path, "#q=chiang")
    shown = [i for i in by_text.items if not i["hidden"]]
    assert 0 < len(shown) < len(by_text.items)
    for item in by_text.items:  # shown exactly when the fact's text on the page has the word
        assert (not item["hidden"]) == ("chiang" in str(item["text"]).lower()), item["id"]
    _, both = load(path, "?kind=stats&q=chiang")
    stats = {r["id"] for r in records("timeline", "--table", "stats")}
    assert {str(i["id"]) for i in both.items if not i["hidden"]} == {str(i["id"]) for i in shown} & stats


def test_a_focused_marker_shows_its_fact_date_quote_and_document(tmp_path: Path) -> None:
    record = next(r for r in records("timeline") if r.get("disputed_by"))
    dom, _ = load(page(tmp_path), f"?focus={record['id']}")
    found = re.search(r'<div id="tip" role="tooltip"( hidden="")?[^>]*>(.*?)</div>\s*<section id="facts"', dom, re.S)
    assert found and not found.group(1), "the panel is hidden"
    panel = re.sub(r"<[^>]+>", "", found.group(2)).replace("&amp;", "&").replace("&quot;", '"')
    documents = {d["id"]: d for d in records("sources")}
    first = record["sources"][0]
    for expected in (record["title"], record["date"], first["quote"][:40], documents[first["doc"]]["title"],
                     "Disputed"):
        assert expected in panel, expected


def test_hostile_pack_page_runs_no_injected_markup(tmp_path: Path) -> None:
    meeting = fact_toml("hostile-meeting", f"Meeting {HOSTILE}", f"Text {HOSTILE}", quote=f"Quote {HOSTILE}",
                        date="2019-05-04", place=f"Place {HOSTILE}")
    conflict = fact_toml("hostile-conflict", f"Conflict {HOSTILE}", f"Disagree {HOSTILE}", date="2019-05",
                         related=["hostile-meeting"]) + f"says = {toml(HOSTILE)}\n"
    pack = write_pack(tmp_path / "pack", {"meetings.toml": 'table = "meetings"\n' + meeting,
                                          "conflicts.toml": 'table = "conflicts"\n' + conflict},
                      documents=f'[[document]]\nid = "doc1"\ntitle = {toml(HOSTILE)}\nkind = "report"\n')
    dom, parsed = load(page(tmp_path, "--no-bundled", "--facts", str(pack)))
    assert len(parsed.items) == 2 and len(parsed.markers) == 2
    assert "<img" not in dom and dom.count("<script") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom


COLLISIONS = """
<script>
var svg = document.querySelector("svg");
var box = function (e) { var b = e.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
var meet = function (a, b) { return a[0] < b[2] - 0.5 && b[0] < a[2] - 0.5 && a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5; };
var marks = Array.prototype.map.call(svg.querySelectorAll(".marker"), function (m) {
  return {id: m.getAttribute("data-fact"), label: box(m.querySelector(".label")),
          shape: box(m.querySelector("rect.span, g"))};
});
var width = svg.viewBox.baseVal.width, bad = [];
marks.forEach(function (a, i) {
  if (a.label[0] < 0 || a.label[2] > width) { bad.push(a.id + " leaves the picture"); }
  marks.forEach(function (b, j) {
    if (j > i && meet(a.label, b.label)) { bad.push(a.id + " label meets " + b.id + " label"); }
    if (j !== i && meet(a.label, b.shape)) { bad.push(a.id + " label meets " + b.id + " marker"); }
  });
});
Array.prototype.forEach.call(svg.querySelectorAll("text"), function (t) {
  var b = box(t);
  if (b[0] < 0 || b[2] > width) { bad.push("text leaves the picture: " + t.textContent.slice(0, 40)); }
});
document.body.setAttribute("data-result", JSON.stringify({markers: marks.length, bad: bad}));
</script>
"""


def dense_pack(directory: Path) -> Path:
    """Many facts on a few days, with long, wide and non-Latin titles: the hardest layout."""
    facts = []
    for i in range(24):
        date = ("2021-06-01", "2021-06", "2021", "2022-01-15")[i % 4]
        wide = f"WWWW MMMM Mekong Cooperation Meeting number {i} of many"
        title = wide if i % 3 else f"澜湄合作第{i}次会议 (Lancang)"
        facts.append(fact_toml(f"dense-{i}", title, "A meeting was held.", date=date))
    return write_pack(directory, {"meetings.toml": 'table = "meetings"\n' + "\n".join(facts)})


@pytest.mark.parametrize("which", ["bundled", "dense"])
def test_labels_collide_with_no_other_label_or_marker(tmp_path: Path, which: str) -> None:
    args = ["--no-bundled", "--facts", str(dense_pack(tmp_path / "dense"))] if which == "dense" else []
    svg = tmp_path / "chart.svg"
    result = invoke(*args, "timeline", "--output", str(svg))
    assert result.exit_code == 0, result.stderr
    harness = tmp_path / "harness.html"
    harness.write_text("<!DOCTYPE html><html><body>" + svg.read_text(encoding="utf-8") + COLLISIONS
                       + "</body></html>", encoding="utf-8")
    dom, console = dump_dom(file_url(harness))
    assert console == []
    found = re.search(r'data-result="([^"]*)"', dom)
    assert found, dom[:500]
    report = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert report["markers"] == len(records(*args, "timeline"))
    assert report["bad"] == []
