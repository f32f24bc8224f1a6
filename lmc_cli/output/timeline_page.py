"""The timeline as one self-contained HTML page: the chart, then every fact in order.

Nothing is fetched: the styles and the one script are inline, and a Content-Security-Policy
lets only that script (by its hash) run, so that even text that slipped past escaping could
not execute or reach the network. With scripts off the page still reads: the chart's markers
link to the facts, each fact links to its documents. The script adds filters (by kind, by
document, by text; preset from the URL: `page.html?kind=meetings&doc=001&q=chiang`, also after `#`) and a
panel that shows a fact when its marker is hovered or focused (`?focus=ID` focuses one).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet

from lmc_cli.model import Document, Fact
from lmc_cli.output.chart import cited_documents, date_words, document_line, kind_of, lane_order, timeline_svg
from lmc_cli.output.formats import fact_details, format_value
from lmc_cli.output.markup import attr, text

SHAPE_GLYPHS = {"circle": "\u25cf", "diamond": "\u25c6", "triangle": "\u25b2", "square": "\u25a0",
                "pentagon": "\u2b1f", "star": "\u2605", "down": "\u25bc", "cross": "\u2716", "hexagon": "\u2b22"}

SCRIPT = r"""
(function () {
  "use strict";
  var root = document.documentElement;
  var errors = [];
  window.addEventListener("error", function (e) {
    errors.push(String(e.message));
    root.setAttribute("data-errors", errors.join(" | "));
  });
  var form = document.getElementById("filters");
  var status = document.getElementById("shown");
  var search = document.getElementById("q");
  var tip = document.getElementById("tip");
  var items = Array.prototype.slice.call(document.querySelectorAll("li.fact"));
  var years = Array.prototype.slice.call(document.querySelectorAll("section.year"));
  var markers = {};
  Array.prototype.forEach.call(document.querySelectorAll(".lmc-chart .marker"), function (m) {
    markers[m.getAttribute("data-fact")] = m;
    m.addEventListener("mouseenter", function () { show(m); });
    m.addEventListener("focus", function () { show(m); });
    m.addEventListener("mouseleave", hide);
    m.addEventListener("blur", hide);
  });
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
  var allDocs = boxes.filter(function (b) { return b.name === "doc"; }).length;

  function wanted() {
    var found = {kind: [], doc: [], q: null, focus: null};
    var parts = [location.search.slice(1)];
    if (location.hash.indexOf("=") >= 0) { parts.push(location.hash.slice(1)); }
    parts.join("&").split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at < 0) { return; }
      var key = decodeURIComponent(pair.slice(0, at));
      var value = decodeURIComponent(pair.slice(at + 1).replace(/\+/g, " "));
      if (key === "q" || key === "focus") { found[key] = value; } else if (key in found) { found[key].push(value); }
    });
    return found;
  }

  function preset() {
    var want = wanted();
    boxes.forEach(function (box) {
      var asked = want[box.name];
      if (asked.length) { box.checked = asked.indexOf(box.getAttribute("data-name")) >= 0; }
    });
    if (want.q !== null) { search.value = want.q; }
    return want.focus;
  }

  function checked(name) {
    return boxes.filter(function (b) { return b.name === name && b.checked; }).map(function (b) { return b.value; });
  }

  function apply() {
    var kinds = checked("kind");
    var docs = checked("doc");
    var q = search.value.trim().toLowerCase();
    var shown = 0;
    items.forEach(function (li) {
      var cited = li.getAttribute("data-docs");
      var ok = kinds.indexOf(li.getAttribute("data-kind")) >= 0 &&
        (cited ? cited.split(" ").some(function (d) { return docs.indexOf(d) >= 0; }) : docs.length === allDocs) &&
        (!q || li.textContent.toLowerCase().indexOf(q) >= 0);
      li.hidden = !ok;
      var m = markers[li.getAttribute("data-fact")];
      if (m) {
        m.classList.toggle("filtered", !ok);
        if (ok) { m.removeAttribute("tabindex"); } else { m.setAttribute("tabindex", "-1"); }
      }
      if (ok) { shown += 1; }
    });
    years.forEach(function (section) { section.hidden = !section.querySelector("li.fact:not([hidden])"); });
    status.textContent = "Showing " + shown + " of " + items.length + " facts";
    root.setAttribute("data-shown", String(shown));
  }

  function show(m) {
    var li = document.getElementById("fact-" + m.getAttribute("data-fact"));
    if (!li) { return; }
    while (tip.firstChild) { tip.removeChild(tip.firstChild); }
    ["h4", ".date", ".text", ".value", ".dispute-note", ".sources li"].forEach(function (sel) {
      var node = li.querySelector(sel);
      if (node) { tip.appendChild(node.cloneNode(true)); }
    });
    var link = li.querySelector(".sources a");
    var doc = link && document.getElementById(link.getAttribute("href").slice(1));
    if (doc && doc.nextElementSibling) {
      var about = document.createElement("p");
      about.className = "meta";
      about.textContent = link.textContent + ": " + doc.nextElementSibling.textContent;
      tip.appendChild(about);
    }
    tip.hidden = false;
    var box = m.getBoundingClientRect();
    var right = window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8;
    var left = Math.min(box.left + window.scrollX, right);
    tip.style.left = Math.max(window.scrollX + 8, left) + "px";
    tip.style.top = (box.bottom + window.scrollY + 8) + "px";
  }

  function hide() { tip.hidden = true; }

  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  document.getElementById("reset").addEventListener("click", function () {
    boxes.forEach(function (b) { b.checked = true; });
    search.value = "";
    apply();
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });
  form.hidden = false;
  var focus = preset();
  apply();
  if (focus !== null && markers[focus]) { markers[focus].focus(); show(markers[focus]); }
  root.setAttribute("data-ready", "1");
})();
"""

STYLE = """
:root { color-scheme: light; }
body { font-family: 'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif; color: #1a1a1a; background: #fff;
  margin: 0 auto; max-width: 1040px; padding: 0 16px 48px; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 1.2rem 0 .2rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; border-bottom: 2px solid #ddd; }
h3 { font-size: 1.15rem; margin: 1.4rem 0 .4rem; }
h4 { font-size: 1rem; margin: 0 0 .2rem; }
a { color: #0a4f8a; }
a:focus-visible, input:focus-visible, button:focus-visible { outline: 3px solid #e69f00; outline-offset: 2px; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; display: block; }
.lmc-chart a.marker:focus-visible { outline: 3px solid #e69f00; }
.lmc-chart .filtered { display: none; }
form { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: flex-start; margin: 1rem 0; padding: .6rem .8rem;
  background: #f6f6f6; border: 1px solid #ddd; }
fieldset { border: 0; margin: 0; padding: 0; }
legend { font-weight: bold; padding: 0; }
label { margin-right: .7rem; white-space: nowrap; }
input[type=search] { font: inherit; padding: .15rem .3rem; min-width: 14rem; }
button { font: inherit; }
#shown { font-weight: bold; align-self: center; }
ol.facts { list-style: none; padding: 0; margin: 0; }
li.fact { border-left: 4px solid #ccc; padding: .4rem .8rem; margin: 0 0 .8rem; }
li.fact:target { background: #fff6df; border-left-color: #e69f00; }
.kind { font-weight: bold; margin-right: .4rem; }
.badge { font-size: .8rem; font-weight: normal; border: 1px solid #999; border-radius: 3px; padding: 0 .3rem;
  margin-right: .5rem; vertical-align: .1rem; white-space: nowrap; }
.date { color: #333; margin: 0; }
.text { margin: .2rem 0; }
.meta { color: #444; margin: .1rem 0; font-size: .92rem; }
.flag { color: #b34700; font-weight: bold; }
.dispute { border: 1px solid #e8b48a; background: #fff4ec; padding: .3rem .6rem; margin: .4rem 0; }
.dispute ul, ul.sources { margin: .2rem 0; padding-left: 1.2rem; }
q { font-style: italic; }
.says { font-weight: bold; }
dt { font-weight: bold; margin-top: .5rem; }
dd { margin-left: 1.2rem; }
#tip { position: absolute; z-index: 2; max-width: 26rem; background: #fff; border: 1px solid #888;
  box-shadow: 0 2px 8px rgba(0,0,0,.25); padding: .5rem .7rem; font-size: .9rem; pointer-events: none; }
#tip ul, #tip li { margin: 0; padding: 0; list-style: none; }
.note { color: #444; font-size: .92rem; }
@page { size: A4; margin: 15mm; }
@media print {
  form, #tip, header .note, #chart-heading { display: none !important; }
  body { max-width: none; padding: 0; }
  li.fact, figure { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""


def script_hash() -> str:
    return base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")


def timeline_page(facts: Sequence[Fact], documents: Mapping[str, Document], related: Mapping[str, Fact], *,
                  title: str = "Timeline", subtitle: str = "") -> str:
    """The page: chart, filters, facts by year (with quotes, disputes, editorial notes), documents.

    `related` resolves the ids in a fact's `disputed_by`, to show both sides of a dispute."""
    docs = cited_documents(facts, documents)
    doc_keys = {d.label: f"d{i}" for i, d in enumerate(docs)}
    tables = lane_order(facts)
    kind_keys = {t: f"k{i}" for i, t in enumerate(tables)}
    counts = {t: sum(1 for f in facts if f.table == t) for t in tables}
    policy = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash()}'; "
              "img-src 'none'; base-uri 'none'; form-action 'none'")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="lmc timeline">',
        f"<title>{text(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{text(title)}</h1>",
        f'<p class="note">{text(subtitle)}</p>' if subtitle else "",
        '<p class="note">Each marker is one fact, in a lane by kind; a bar is a fact dated only to a month or a year. '
        "\u2020 marks a date taken from the public record, not the document; \u26a0 marks a fact the documents "
        "disagree about. Select a marker, or read the facts below.</p>",
        "</header>",
        "<main>",
        '<form id="filters" hidden aria-label="Filter the facts">',
        '<fieldset><legend>Kind</legend>',
    ]
    for table in tables:
        name, _, shape = kind_of(table)
        out.append(f'<label><input type="checkbox" name="kind" value="{kind_keys[table]}" '
                   f'data-name="{attr(table)}" checked> {text(SHAPE_GLYPHS.get(shape, ""))} {text(name)} '
                   f"({counts[table]})</label>")
    out.append("</fieldset><fieldset><legend>Document</legend>")
    for doc in docs:
        out.append(f'<label title="{attr(doc.title)}"><input type="checkbox" name="doc" value="{doc_keys[doc.label]}" '
                   f'data-name="{attr(doc.label)}" checked> {text(doc.label)}</label>')
    out += [
        "</fieldset>",
        '<fieldset><legend><label for="q">Text</label></legend>'
        '<input type="search" id="q" name="q" placeholder="words in a fact or quote"> '
        '<button type="button" id="reset">Show all</button></fieldset>',
        f'<p id="shown" role="status" aria-live="polite">Showing {len(facts)} of {len(facts)} facts</p>',
        "</form>",
        '<section aria-labelledby="chart-heading">',
        '<h2 id="chart-heading">Chart</h2>',
        "<figure>",
        timeline_svg(facts, documents, title=title, subtitle=subtitle, links=True, heading=False),
        "</figure>",
        "</section>",
        '<div id="tip" role="tooltip" hidden></div>',
        '<section id="facts" aria-labelledby="facts-heading">',
        '<h2 id="facts-heading">Facts in order</h2>',
    ]
    shown = {f.id for f in facts}
    by_year: dict[str, list[Fact]] = {}
    for fact in facts:
        by_year.setdefault((fact.effective_date or "")[:4], []).append(fact)
    for year, group in by_year.items():
        out.append(f'<section class="year" aria-labelledby="year-{attr(year)}">')
        out.append(f'<h3 id="year-{attr(year)}">{text(year)}</h3>')
        out.append('<ol class="facts">')
        for fact in group:
            out.append(fact_item(fact, related, shown, doc_keys, kind_keys))
        out.append("</ol></section>")
    out += ["</section>", '<section id="documents" aria-labelledby="documents-heading">',
            '<h2 id="documents-heading">Source documents</h2>', "<dl>"]
    for doc in docs:
        cited = sum(1 for f in facts if any(c.label == doc.label for c in f.sources))
        out.append(f'<dt id="doc-{attr(doc.label)}">{text(doc.label)}</dt>')
        out.append(f"<dd>{text(document_line(doc)[len(doc.label) + 1:])}. {text(doc.kind)}; "
                   f"cited by {cited} fact{'s' if cited != 1 else ''} here.</dd>")
    out += ["</dl>", "</section>", "</main>",
            '<footer><p class="note">Made by lmc timeline from curated fact tables; every fact cites its '
            "documents with verbatim quotes, and dates are only as precise as the documents give them.</p></footer>",
            f"<script>{SCRIPT}</script>", "</body>", "</html>", ""]
    return "\n".join(part for part in out if part)


def fact_item(fact: Fact, related: Mapping[str, Fact], shown: AbstractSet[str], doc_keys: Mapping[str, str],
              kind_keys: Mapping[str, str]) -> str:
    name, colour, shape = kind_of(fact.table)
    docs = " ".join(dict.fromkeys(doc_keys[c.label] for c in fact.sources if c.label in doc_keys))
    flags = ('<span class="flag" title="disputed">\u26a0 disputed</span> ' if fact.disputed_by else "")
    parts = [
        f'<li class="fact" id="fact-{attr(fact.id)}" data-fact="{attr(fact.id)}" '
        f'data-kind="{kind_keys[fact.table]}" data-docs="{docs}" style="border-left-color: {colour}">',
        f'<h4><span class="badge"><span style="color: {colour}">{SHAPE_GLYPHS.get(shape, "")}</span> '
        f'{text(name)}</span>{flags}{text(fact.title)}</h4>',
        f'<p class="date">{text(date_words(fact))} \u00b7 <a href="#marker-{attr(fact.id)}">on the chart</a>'
        f' \u00b7 <span class="meta">id {text(fact.id)}</span></p>',
        f'<p class="text">{text(fact.text)}</p>',
    ]
    if fact.figure is not None:
        parts.append(f'<p class="value meta">Figure: {text(format_value(fact))}'
                     + (f" ({text(fact.measure)})" if fact.measure else "") + "</p>")
    for label, value in fact_details(fact):
        if label != "measures":
            parts.append(f'<p class="meta">{text(label.capitalize())}: {text(value)}</p>')
    if fact.editorial and fact.editorial.date:
        note = f" {fact.editorial.note}" if fact.editorial.note else ""
        parts.append(f'<p class="meta">\u2020 The date {text(fact.editorial.date)} is from the public record '
                     f"({text(fact.editorial.reference)}), not from the documents.{text(note)}</p>")
    for conflict_id in fact.disputed_by:
        parts.append(dispute_block(conflict_id, related.get(conflict_id), conflict_id in shown))
    parts.append('<ul class="sources">')
    for citation in fact.sources:
        says = f' <span class="says">says: {text(citation.says)}</span>' if citation.says else ""
        parts.append(f'<li><a href="#doc-{attr(citation.label)}">{text(citation.label)}</a>: '
                     f"<q>{text(citation.quote)}</q>{says}</li>")
    parts.append("</ul></li>")
    return "".join(parts)


def dispute_block(conflict_id: str, conflict: Fact | None, linked: bool) -> str:
    """Both sides of a dispute: what each document (or the public record) says, with its quote."""
    if conflict is None:
        return f'<div class="dispute"><p class="dispute-note flag">\u26a0 Disputed: {text(conflict_id)}</p></div>'
    parts = [
        '<div class="dispute">',
        '<p class="dispute-note"><span class="flag">\u26a0 Disputed:</span> '
        + (f'<a href="#fact-{attr(conflict.id)}">{text(conflict.title)}</a></p>' if linked
         else f"{text(conflict.title)}</p>"),
        f"<p>{text(conflict.text)}</p><ul>",
    ]
    for citation in conflict.sources:
        says = f'<span class="says">{text(citation.says)}</span>: ' if citation.says else ""
        parts.append(f'<li>{says}<a href="#doc-{attr(citation.label)}">{text(citation.label)}</a> '
                     f"<q>{text(citation.quote)}</q></li>")
    if conflict.editorial and conflict.editorial.date:
        parts.append(f'<li><span class="says">{text(conflict.editorial.date)}</span>: the public record '
                     f"({text(conflict.editorial.reference)})</li>")
    parts.append("</ul></div>")
    return "".join(parts)
