"""`lmc coverage` as text: a plain report for people, JSON for tools, TSV and CSV for pipes; no Rich.

Every format lists the uncovered checkable sentences first, then every other sentence in
document order, then the figures per document (docs/output-contract.md, "lmc coverage").
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from lmc_cli.output.formats import _json_safe, to_csv, to_tsv
from lmc_cli.output.sanitise import one_line
from lmc_cli.output.streams import _stdout_is_utf

if TYPE_CHECKING:
    from lmc_cli.curate.coverage import CoverageReport, SentenceCoverage

COVERAGE_FORMATS = ("table", "json", "tsv", "csv")
# TSV and CSV: one row per sentence, then one per document and one for all; the first column says which.
COLUMNS = ("record", "doc", "index", "status", "missing", "quoted_by", "reason", "text",
           "sentences", "checkable", "covered", "ignored", "uncovered", "percent")


def render_coverage(report: CoverageReport, format_: str, *, uncovered_only: bool = False) -> str:
    """A CoverageReport (lmc_cli.curate.coverage) in one of COVERAGE_FORMATS; `uncovered_only`
    leaves out the covered, ignored and unchecked sentences (the figures stay)."""
    sentences = report.uncovered if uncovered_only else report.ordered()
    if format_ == "json":
        record = report.to_dict()
        record["sentences"] = [s.to_dict() for s in sentences]
        return _json_safe(json.dumps(record, ensure_ascii=not _stdout_is_utf(), indent=2)) + "\n"
    if format_ in ("tsv", "csv"):
        rows: list[list[Any]] = [
            ["sentence", s.doc, s.index, s.status, "; ".join(e.text for e in s.missing()),
             " ".join(s.quoted_by), s.reason, s.text, "", "", "", "", "", ""] for s in sentences
        ]
        for d in [*report.documents, report.totals()]:
            rows.append(["document", d.doc, "", "", "", "", "", "", d.sentences, d.checkable, d.covered, d.ignored,
                         d.uncovered, d.percent])
        return to_csv(rows, COLUMNS) if format_ == "csv" else to_tsv(rows)
    return _text(report, sentences)


def _text(report: CoverageReport, sentences: list[SentenceCoverage]) -> str:
    lines: list[str] = []
    uncovered = report.uncovered
    if uncovered:
        lines.append(f"Not covered: {len(uncovered)} checkable sentence{'s' if len(uncovered) != 1 else ''} "
                     "that no fact citing its document states")
        for s in uncovered:
            lines.append(f"  {one_line(s.doc)} #{s.index}  {one_line(s.text)}")
            missing = "; ".join(f"{one_line(e.text)} ({e.kind})" for e in s.missing())
            lines.append(f"      not stated: {missing}")
        lines.append("")
    rest = [s for s in sentences if s.status != "uncovered"]
    if rest:
        lines.append("Every other sentence (covered, ignored with a reason, or nothing checkable):")
        for s in rest:
            how = s.status
            if s.quoted_by:
                how += f", quoted by {', '.join(s.quoted_by[:3])}" + (" …" if len(s.quoted_by) > 3 else "")
            if s.reason:
                how += f": {one_line(s.reason)}"
            lines.append(f"  {one_line(s.doc)} #{s.index}  {one_line(s.text)}")
            lines.append(f"      {how}")
        lines.append("")
    figures = [*report.documents, report.totals()]
    width = max(len("doc"), *(len(one_line(d.doc)) for d in figures))
    lines.append(f"{'doc':<{width}}  sentences  checkable  covered  ignored  uncovered  covered or ignored")
    for d in figures:
        lines.append(f"{one_line(d.doc):<{width}}  {d.sentences:>9}  {d.checkable:>9}  {d.covered:>7}  {d.ignored:>7}  "
                     f"{d.uncovered:>9}  {d.percent:>17.1f}%")
    for item in report.ignores:
        where = one_line(item.file) if item.file else "no ignore file"
        lines.append(f"ignored in pack {one_line(item.pack)}: {item.ignored} of at most {item.limit} "
                     f"({item.checkable} checkable sentences; {where})")
    return "\n".join(lines) + "\n"
