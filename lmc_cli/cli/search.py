"""Commands that search: meeting, stat and ask."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from lmc_cli.cli.root import (
    ExplainOption,
    FormatOption,
    LimitOption,
    NoPagerOption,
    OutputFormat,
    app,
    complete_meeting,
    complete_stat,
    handle_errors,
    no_pager,
    resolve_format,
    state,
)


def _search(
    ctx: typer.Context, query: list[str], format_: OutputFormat | None, limit: int,
    explain: bool, tables: tuple[str, ...] | None, card: bool,
) -> None:
    from lmc_cli.api import run_search

    current = state(ctx)
    index, documents = current.search_index(tables)
    run_search(index, documents, " ".join(query), resolve_format(format_), limit=limit, explain=explain,
               tables=tables, card=card, fallback=lambda: current.memory_index(tables))


@app.command()
@handle_errors
def meeting(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(metavar="QUERY", help="Meeting name, place, date or ordinal.", autocompletion=complete_meeting),
    ],
    format_: FormatOption = None,
    limit: LimitOption = 10,
    explain: ExplainOption = False,
    no_pager_: NoPagerOption = False,
) -> None:
    """Meetings matching QUERY, best first: name, date, place, participants, outcomes, sources.

    \b
    Examples:
      lmc meeting sanya
      lmc meeting "first foreign ministers"
      lmc meeting 清迈
    """
    no_pager(no_pager_)
    _search(ctx, query, format_, limit, explain, ("meetings",), card=False)


@app.command()
@handle_errors
def stat(
    ctx: typer.Context,
    query: Annotated[
        list[str], typer.Argument(metavar="QUERY", help="What the figure counts.", autocompletion=complete_stat)
    ],
    format_: FormatOption = None,
    limit: LimitOption = 10,
    explain: ExplainOption = False,
    no_pager_: NoPagerOption = False,
) -> None:
    """Figures matching QUERY: value, unit, qualifier as the source words it, what it counts, sources.

    \b
    Examples:
      lmc stat arrests
      lmc stat "meth seizures"
      lmc stat arrests -f json | jq '.[0].value'
    """
    no_pager(no_pager_)
    _search(ctx, query, format_, limit, explain, ("stats",), card=False)


@app.command()
@handle_errors
def ask(
    ctx: typer.Context,
    question: Annotated[list[str], typer.Argument(
        metavar="QUESTION", help="A question in plain words; - alone reads one question per line from stdin.")],
    format_: FormatOption = None,
    limit: LimitOption = 5,
    explain: ExplainOption = False,
    no_pager_: NoPagerOption = False,
) -> None:
    """Answer a free-text QUESTION from all tables, best answer first, cited.

    With - as the only argument, every line of standard input is a question, answered as it
    arrives: JSON Lines give one object per question ({"question", "answered", "answers"}),
    TSV and CSV the answers' rows with the question as the last column. Exit 0 if every
    question was answered, 1 if any was not.

    \b
    Examples:
      lmc ask "which meeting launched the mechanism"
      lmc ask how many arrests --explain
      lmc ask - -f jsonl < questions.txt
    """
    no_pager(no_pager_)
    if question == ["-"]:
        from lmc_cli.api import read_questions, run_questions

        current = state(ctx)
        index, documents = current.search_index(None)
        code = run_questions(index, documents, read_questions(sys.stdin), resolve_format(format_), limit=limit,
                             fallback=lambda: current.memory_index(None))
        raise typer.Exit(code)
    _search(ctx, question, format_, limit, explain, None, card=True)
