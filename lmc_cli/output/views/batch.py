"""How `lmc ask -` writes each question's answers (see api.run_questions): JSON Lines (one
object per question), JSON (an array of them), TSV and CSV (the fact columns, then the
question), Markdown and the terminal view (a heading per question). An unanswered question
is still written: JSON `"answered": false` and no answers; TSV/CSV one row of empty fact
cells and the question; Markdown and terminal a line saying so.
"""

from __future__ import annotations

import json
from typing import Any

from lmc_cli.model import Document, Match
from lmc_cli.output.columns import FACT_COLUMNS
from lmc_cli.output.formats import render_records, to_csv, to_tsv


def render_question(question: str, answered: bool, matches: list[Match], format_: str,
                    documents: dict[str, Document], *, first: bool) -> str:
    records = [m.to_dict() for m in matches]
    if format_ in ("json", "jsonl"):
        from lmc_cli.output.formats import to_jsonl

        record = {"question": question, "answered": answered, "answers": records}
        line = to_jsonl([record]).rstrip("\n")
        if format_ == "jsonl":
            return line + "\n"
        parsed = json.loads(line)
        return ("" if first else ",\n") + json.dumps(parsed, ensure_ascii=False, indent=2)
    if format_ in ("tsv", "csv"):
        from lmc_cli.output.columns import fact_cells

        rows = [fact_cells(r) + [question] for r in records] or [[None] * len(FACT_COLUMNS) + [question]]
        if format_ == "tsv":
            return to_tsv(rows)
        text = to_csv(rows, (*FACT_COLUMNS, "question"))
        return text if first else text.split("\n", 1)[1]
    if format_ == "md":
        from lmc_cli.output.cite import md_escape

        body = render_records(records, "md", documents=documents) if records else "No fact answers that.\n"
        return ("" if first else "\n") + f"## {md_escape(question)}\n\n" + body
    return terminal_question(question, matches, documents)


def terminal_question(question: str, matches: list[Match], documents: dict[str, Document]) -> str:
    """The terminal view of one question: a heading and the answer card (or a line saying none)."""
    from rich.console import Group
    from rich.text import Text

    from lmc_cli.output.sanitise import neutralise
    from lmc_cli.output.views import answer_card, make_console, strip_trailing

    console = make_console()
    parts: list[Any] = [Text(f"? {neutralise(question)}", style="bold")]
    parts.append(answer_card(matches[0]) if matches else Text("no fact answers that", style="dim"))
    with console.capture() as capture:
        console.print(Group(*parts))
    return strip_trailing(capture.get()) + "\n"
