"""Commands about the fact data itself: validate, schema, export, and help topics."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from lmc_cli.cli.root import ForceOption, TableOption, app, handle_errors, resolve_format, state
from lmc_cli.output.streams import emit


@app.command()
@handle_errors
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PATH", help="Fact packs (directories) or fact files; default: the loaded packs.",
                       readable=False),
    ] = None,
    against: Annotated[
        Path | None,
        typer.Option("--against", metavar="DIR", help="Check quotes and hashes against the documents in DIR.",
                     readable=False),
    ] = None,
) -> None:
    """Check fact files: schema, ids, dates, references, aliases; with --against, quotes and hashes.

    \b
    Examples:
      lmc validate
      lmc validate my-pack/
      lmc validate --against ../shared/seeds
    """
    from lmc_cli.api import run_validate

    current = state(ctx)
    run_validate(list(paths or []), against, current.fact_dirs, current.bundled)


class CoverageFormat(str, Enum):
    table = "table"
    json = "json"
    tsv = "tsv"
    csv = "csv"


@app.command()
@handle_errors
def coverage(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PACK", help="Only these packs' documents (loaded like --facts); default: every "
                                            "loaded pack's.", readable=False),
    ] = None,
    against: Annotated[
        Path | None,
        typer.Option("--against", metavar="DIR", help="The directory of the documents (required).",
                     readable=False),
    ] = None,
    format_: Annotated[
        CoverageFormat | None,
        typer.Option("--format", "-f", case_sensitive=False, show_default=False, metavar="FORMAT",
                     help="table, json, tsv or csv [default: table on a terminal, tsv in a pipe]"),
    ] = None,
    uncovered: Annotated[bool, typer.Option("--uncovered", help="List only the sentences not covered.")] = False,
) -> None:
    """Which sentences of the documents the facts state: the uncovered checkable ones first.

    A sentence is checkable when it has a number, a date, a multi-word proper name or an
    attributed claim (a reporting verb); it is covered when a fact citing its document states
    every one of them, in a quote or in its fields. A pack's coverage-ignore.toml lists, each
    with a reason, sentences that carry no fact: at most 10% of its checkable sentences.
    Exit 0 when every checkable sentence is covered or ignored, 1 when one is not, 3 for bad
    data. Needs the curate extra: pip install "lmc-cli[curate]".

    \b
    Examples:
      lmc coverage --against ../shared/seeds
      lmc coverage --against ../shared/seeds --uncovered
      lmc coverage --against ../shared/seeds --format json | jq '.documents[] | [.doc, .percent]'
      lmc --no-bundled coverage my-pack --against my-documents
    """
    from lmc_cli.api import run_coverage

    current = state(ctx)
    chosen = format_.value if format_ else resolve_format(None)
    run_coverage(list(paths or []), against, current.fact_dirs, current.bundled, chosen, uncovered_only=uncovered)


@app.command()
@handle_errors
def schema() -> None:
    """Print the JSON Schema of fact files, for editors and other validators.

    Fact files name it in their first line (see docs/fact-format.md) so that editors with
    TOML support (Taplo, Even Better TOML) validate and complete while you write.

    \b
    Examples:
      lmc schema > my-pack/facts.schema.json
      (then start each file of my-pack with: #:schema ./facts.schema.json)
    """
    from lmc_cli.load.packs import schema_text

    emit(schema_text())


@app.command(name="help")
@handle_errors
def help_(
    ctx: typer.Context,
    topic: Annotated[str | None, typer.Argument(metavar="TOPIC", help="exit-codes; none: lmc --help.")] = None,
) -> None:
    """Help on a topic: exit-codes. Without one, the same as lmc --help.

    \b
    Examples:
      lmc help exit-codes
      lmc stat --help
    """
    from lmc_cli.api import help_topic

    if topic is None:
        emit(ctx.find_root().get_help() + "\n")
        return
    emit(help_topic(topic))


class ExportFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    sqlite = "sqlite"


@app.command()
@handle_errors
def export(
    ctx: typer.Context,
    format_: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", case_sensitive=False, show_default=False, metavar="FORMAT",
                     help="json, jsonl, csv, tsv or sqlite [default: from the --output suffix]"),
    ] = None,
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="PATH", help="File to write; - for stdout (not for sqlite).")
    ] = "-",
    table: TableOption = None,
    force: ForceOption = False,
) -> None:
    """Every fact with its sources, for spreadsheets, jq, sqlite3 and Datasette.

    CSV and TSV have the columns of every command's CSV and TSV (docs/output-contract.md).
    The SQLite database has tables facts, sources and fact_sources (with the quotes), a
    full-text index facts_fts over title, text, aliases, keywords and quotes (stemmed: arrest
    finds arrests), and Datasette metadata beside it (lmc.db: lmc.metadata.json). It replaces
    only a file an earlier export wrote.

    \b
    Examples:
      lmc export --format sqlite --output lmc.db && datasette lmc.db --metadata lmc.metadata.json
      lmc export -o facts.csv --table stats
      lmc export --format jsonl | jq -r .title
    """
    from lmc_cli.api import run_export

    run_export(state(ctx).corpus(), format_.value if format_ else None, output, tuple(table or ()), force=force)
