"""Commands that browse the facts: timeline, show, cite, list, sources and conflicts."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from lmc_cli.cli.root import (
    ForceOption,
    FormatOption,
    ListLimitOption,
    LongOption,
    NoPagerOption,
    TableOption,
    app,
    complete_id,
    handle_errors,
    no_pager,
    resolve_format,
    state,
)
from lmc_cli.errors import UsageError


class TimelineFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    md = "md"
    svg = "svg"
    html = "html"


@app.command()
@handle_errors
def timeline(
    ctx: typer.Context,
    from_: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD (inclusive).")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD (inclusive).")
    ] = None,
    table: TableOption = None,
    format_: Annotated[
        TimelineFormat | None,
        typer.Option("--format", "-f", case_sensitive=False, show_default=False, metavar="FORMAT",
                     help="table, json, jsonl, csv, tsv, md, svg (a chart), html (a page to explore; "
                          "these two need --output) "
                          "[default: from the --output suffix, else table on a terminal, tsv in a pipe]"),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="PATH", help="Write to this file; - for stdout.")
    ] = None,
    force: ForceOption = False,
    limit: ListLimitOption = None,
    no_pager_: NoPagerOption = False,
) -> None:
    """Every dated fact in chronological order, under year headings; a year- or month-dated fact
    is in any range it overlaps. On a terminal: kinds marked, disputes flagged (⚠), editorial dates †.

    \b
    Examples:
      lmc timeline --from 2014
      lmc timeline --from 2016-03 --to 2017 --table meetings
      lmc timeline --format svg --output timeline.svg
      lmc timeline -o timeline.html --table meetings --table events
    """
    from lmc_cli.api import run_timeline

    if format_ is None and output not in (None, "-") and suffix_format(output) is None:
        raise UsageError(f"--output {output}: give --format, or a name ending in .svg, .html, .json, .jsonl, "
                         ".csv, .tsv or .txt")
    chosen = format_.value if format_ else suffix_format(output) or resolve_format(None)
    no_pager(no_pager_)
    tables = tuple(table or ())
    if output is None and chosen not in ("svg", "html"):
        from lmc_cli.api import cached_timeline

        state(ctx).browse(lambda cached: cached_timeline(cached, from_, to, tables, chosen, limit=limit),
                          lambda corpus: run_timeline(corpus, from_, to, tables, chosen, output, limit=limit))
        return
    run_timeline(state(ctx).corpus(), from_, to, tables, chosen, output, force=force, limit=limit)


def suffix_format(output: str | None) -> str | None:
    """The timeline format a file name implies (`.txt`: the table as plain text)."""
    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    return {".svg": "svg", ".html": "html", ".htm": "html", ".json": "json", ".jsonl": "jsonl", ".csv": "csv",
            ".tsv": "tsv", ".txt": "table"}.get(suffix)


@app.command()
@handle_errors
def show(
    ctx: typer.Context,
    fact_ids: Annotated[
        list[str], typer.Argument(metavar="ID...", help="Fact ids, as lmc list, ask and timeline show them; "
                                  "spaces or commas between them.", autocompletion=complete_id)
    ],
    format_: FormatOption = None,
    no_pager_: NoPagerOption = False,
) -> None:
    """Facts in full, with every source and its quote.

    \b
    Examples:
      lmc show arrests-50000
      lmc show conflict-lmc-establishment-date, conflict-sanya-meeting-date
      lmc show arrests-50000 --format json
    """
    from lmc_cli.api import cached_show, run_show

    no_pager(no_pager_)
    chosen = resolve_format(format_)
    state(ctx).browse(lambda cached: cached_show(cached, fact_ids, chosen),
                      lambda corpus: run_show(corpus, fact_ids, chosen))


class CiteStyle(str, Enum):
    plain = "plain"
    md = "md"
    bibtex = "bibtex"
    csl_json = "csl-json"


@app.command()
@handle_errors
def cite(
    ctx: typer.Context,
    fact_ids: Annotated[
        list[str], typer.Argument(metavar="ID...", help="Fact ids; spaces or commas between them.",
                                  autocompletion=complete_id)
    ],
    style: Annotated[
        CiteStyle, typer.Option("--style", "-s", case_sensitive=False, metavar="STYLE",
                                help="plain, md (Markdown), bibtex or csl-json (Zotero, pandoc).")
    ] = CiteStyle.plain,
) -> None:
    """A citation to paste: each quote, its document's attribution as the document states it
    (author, translator, outlet, kind; a descriptive title marked as such), the fact id, and
    any disagreement or date taken from the public record.

    \b
    Examples:
      lmc cite arrests-50000
      lmc cite lmc-leaders-meeting-1-sanya --style md
      lmc cite arrests-50000 --style bibtex >> refs.bib
      lmc cite arrests-50000 --style csl-json > refs.json && pandoc --citeproc ...
    """
    from lmc_cli.api import run_cite

    run_cite(state(ctx).corpus(), fact_ids, style.value)


class ListOrder(str, Enum):
    file = "file"
    value = "value"


@app.command(name="list")
@handle_errors
def list_(
    ctx: typer.Context,
    table: TableOption = None,
    format_: FormatOption = None,
    sort: Annotated[
        ListOrder,
        typer.Option("--sort", case_sensitive=False, metavar="ORDER",
                     help="file (as the packs list them) or value: figures from the least to the most they can "
                          "mean, then figures in words only, then facts without a figure."),
    ] = ListOrder.file,
    limit: ListLimitOption = None,
    long: LongOption = False,
    no_pager_: NoPagerOption = False,
) -> None:
    """Every fact, or one table's: on a terminal one line per fact (id, date, ⚠ if disputed,
    title); --long for full cards with every quote.

    \b
    Examples:
      lmc list
      lmc list --table stats --long
      lmc list --table stats --format csv
      lmc list --table stats --sort value
    """
    from lmc_cli.api import cached_list, run_list

    no_pager(no_pager_)
    tables, chosen = tuple(table or ()), resolve_format(format_)
    state(ctx).browse(lambda cached: cached_list(cached, tables, chosen, detailed=long, sort=sort.value, limit=limit),
                      lambda corpus: run_list(corpus, tables, chosen, detailed=long, sort=sort.value, limit=limit))


@app.command()
@handle_errors
def sources(ctx: typer.Context, format_: FormatOption = None, limit: ListLimitOption = None) -> None:
    """The source documents: id, kind, title, author or outlet, and how many facts cite each.

    \b
    Examples:
      lmc sources
      lmc sources --format json
    """
    from lmc_cli.api import cached_sources, run_sources

    chosen = resolve_format(format_)
    state(ctx).browse(lambda cached: cached_sources(cached, chosen, limit=limit),
                      lambda corpus: run_sources(corpus, chosen, limit=limit))


@app.command()
@handle_errors
def conflicts(
    ctx: typer.Context,
    format_: FormatOption = None,
    limit: ListLimitOption = None,
    long: LongOption = False,
    no_pager_: NoPagerOption = False,
) -> None:
    """Where the documents disagree with each other or with the public record: on a terminal
    one line per conflict; --long for each side with its quote.

    \b
    Examples:
      lmc conflicts
      lmc conflicts --long
      lmc conflicts --format json
    """
    from lmc_cli.api import cached_list, run_list

    no_pager(no_pager_)
    chosen = resolve_format(format_)
    state(ctx).browse(lambda cached: cached_list(cached, ("conflicts",), chosen, detailed=long, limit=limit),
                      lambda corpus: run_list(corpus, ("conflicts",), chosen, detailed=long, limit=limit))
