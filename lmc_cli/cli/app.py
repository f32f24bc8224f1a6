"""The Typer layer: parse arguments, call the core, hand results to the renderer.

Errors become messages and exit codes in one place: `handle_errors` for commands and
`main` for what happens outside them (interrupts, closed pipes, internal errors).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from lmc_cli import __version__
from lmc_cli.errors import DataError, ExitCode, LmcError, NoMatch, UsageError
from lmc_cli.output.streams import PipeClosed, emit, message

F = TypeVar("F", bound=Callable[..., Any])

from lmc_cli.cli import plainhelp  # noqa: E402 - help in lmc's words, before any command is built

plainhelp.install()

EPILOG = """\b
Examples:
  lmc meeting sanya
  lmc stat arrests --format json
  lmc timeline --from 2014 --to 2017
  lmc ask "which meeting launched the mechanism"
  lmc export --format sqlite --output lmc.db

Exit codes: 0 results, 1 no match, 2 usage error, 3 invalid fact data, 70 internal error, 130 interrupted
(lmc help exit-codes). Each command's --help has examples."""

app = typer.Typer(
    name="lmc",
    help="Cited facts about Lancang-Mekong Cooperation and the fight against cross-border crime.",
    epilog=EPILOG,
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    md = "md"


def _completion_source(ctx: typer.Context) -> tuple[list[Path], bool]:
    params = ctx.find_root().params
    return list(params.get("facts") or []), not params.get("no_bundled")


def _complete(ctx: typer.Context, incomplete: str, kind: str) -> list[str]:
    """Values for Tab: never an error, never Rich (see lmc_cli/cli/completion.py)."""
    try:
        from lmc_cli.cli import completion as complete

        facts = complete.load_facts(*_completion_source(ctx))
        if kind == "id":
            return complete.complete_ids(facts, incomplete)
        if kind == "table":
            return complete.complete_tables(facts, incomplete)
        table, extra = {"meeting": ("meetings", ("place",)), "stat": ("stats", ("measure", "keywords"))}[kind]
        previous = [str(w) for w in ctx.params.get("query") or ()]
        return complete.complete_words(complete.names(facts, table, extra), previous, incomplete)
    except Exception:  # noqa: BLE001 - a failing Tab must stay silent
        return []


def complete_meeting(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "meeting")


def complete_stat(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "stat")


def complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "id")


def complete_table(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, "table")


FormatOption = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", metavar="FORMAT",
                 help="table, json, jsonl, csv, tsv or md (Markdown) [default: table on a terminal, tsv in a pipe]",
                 case_sensitive=False, show_default=False),
]
LimitOption = Annotated[int, typer.Option("--limit", "-n", min=1, metavar="N",
                                          help="Show at most N results (1 or more).")]
TableOption = Annotated[
    list[str] | None,
    typer.Option("--table", "-t", metavar="TABLE", help="Only this table (repeatable).",
                 autocompletion=complete_table),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace --output even if it is a link, a loaded fact file or a database "
                                       "lmc did not write (never a device or FIFO).")
]
ExplainOption = Annotated[bool, typer.Option("--explain", help="Show on stderr how the answer was chosen.")]
ListLimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, metavar="N", show_default=False,
                             help="Show at most N facts (1 or more) [default: all].")
]
LongOption = Annotated[bool, typer.Option("--long", "-l", help="Full cards with every quote, not one line per fact.")]
NoPagerOption = Annotated[
    bool, typer.Option("--no-pager", help="Never page long output (on a terminal it goes through "
                                         "$LMC_PAGER, $PAGER or less -FRX).")
]


def no_pager(value: bool) -> None:
    if value:
        from lmc_cli.output import pager

        pager.set_enabled(False)


def suggestion_lines(suggestions: tuple[str, ...]) -> list[str]:
    """"did you mean: ..." as one line in a pipe; on a terminal, wrapped to its width, each
    continuation indented (a suggestion is never split inside its id)."""
    if not suggestions:
        return []
    text = "did you mean: " + "; ".join(suggestions)
    try:
        terminal = sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if not terminal:
        return [text]
    import shutil
    import textwrap

    width = max(shutil.get_terminal_size((80, 24)).columns, 40)
    return textwrap.wrap(text, width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False)


def handle_errors(command: F) -> F:
    """Turn an LmcError from a command into its message on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except NoMatch as exc:
            message(f"lmc: {exc.message}")
            for line in suggestion_lines(exc.suggestions):
                message(line)
            if kwargs.get("format_") in (OutputFormat.json,):
                emit("[]\n")
            elif kwargs.get("format_") in (OutputFormat.csv,):
                from lmc_cli.output.formats import TSV_COLUMNS, to_csv

                emit(to_csv([], TSV_COLUMNS))
            raise typer.Exit(exc.code) from None
        except LmcError as exc:
            message(f"lmc: {exc.message}")
            raise typer.Exit(exc.code) from None

    return wrapper  # type: ignore[return-value]


class State:
    """Options given before the command: which fact packs to load."""

    def __init__(self) -> None:
        self.fact_dirs: list[Path] = []
        self.bundled = True
        self._corpus: Any = None
        self._reported = False

    def corpus(self) -> Any:
        if self._corpus is None:
            from lmc_cli.load.packs import env_fact_dirs, load_corpus

            corpus = load_corpus([*env_fact_dirs(), *self.fact_dirs], bundled=self.bundled)
            self.report(corpus.problems, empty=not corpus.facts)
            self._corpus = corpus
        return self._corpus

    def report(self, problems: list[Any], *, empty: bool) -> None:
        """Warn of broken packs once; if every pack asked for is broken, that is invalid data
        (exit 3), not "no match"."""
        if self._reported:
            return
        self._reported = True
        if problems and empty:
            for problem in problems[:-1]:
                message(f"lmc: {problem.message}")
            raise problems[-1]
        for problem in problems:
            message(f"lmc: warning: {problem.message}")

    def search_index(self, tables: tuple[str, ...] | None) -> tuple[Any, Any]:
        """What meeting, stat and ask search, and the documents: with user packs, the packs'
        index file (lmc_cli.match.indexdb), so a warm run reads only what the query needs."""
        from lmc_cli.load.packs import env_fact_dirs

        extra = [*env_fact_dirs(), *self.fact_dirs]
        if extra and self._corpus is None:
            from lmc_cli.match.indexdb import corpus_index

            cached = corpus_index(extra, self.bundled, self.corpus)
            if cached is not None:
                self.report(cached.problems, empty=cached.size == 0)
                return cached.index(tables), cached.documents.values()
        return self.memory_index(tables), self.corpus().documents.values()

    def memory_index(self, tables: tuple[str, ...] | None) -> Any:
        from lmc_cli.api import memory_index

        return memory_index(self.corpus(), tables)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def resolve_format(format_: OutputFormat | None) -> str:
    from lmc_cli.output.streams import default_format

    return format_.value if format_ is not None else default_format()


def version_callback(value: bool) -> None:
    if value:
        emit(f"lmc {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    facts: Annotated[
        list[Path] | None,
        typer.Option("--facts", help="Also load the fact pack in this directory (repeatable).", metavar="DIR",
                     readable=False),  # an unreadable pack is a broken pack (a warning), not a usage error
    ] = None,
    no_bundled: Annotated[bool, typer.Option("--no-bundled", help="Do not load the bundled facts.")] = False,
    no_pager_: NoPagerOption = False,
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Cited facts about Lancang-Mekong Cooperation and the fight against cross-border crime.

    Every answer is cited to the sentence of the source document it came from.
    """
    current = state(ctx)
    current.fact_dirs = list(facts or [])
    current.bundled = not no_bundled
    no_pager(no_pager_)
    if ctx.invoked_subcommand is None:
        handle_errors(show_overview)(current)


def show_overview(current: State) -> None:
    from lmc_cli.api import overview_text

    emit(overview_text(current.corpus()))


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
    run_timeline(state(ctx).corpus(), from_, to, tuple(table or ()), chosen, output, force=force, limit=limit)


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
    from lmc_cli.api import run_show

    no_pager(no_pager_)
    run_show(state(ctx).corpus(), fact_ids, resolve_format(format_))


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
    from lmc_cli.api import run_list

    no_pager(no_pager_)
    run_list(state(ctx).corpus(), tuple(table or ()), resolve_format(format_), detailed=long, sort=sort.value,
             limit=limit)


@app.command()
@handle_errors
def sources(ctx: typer.Context, format_: FormatOption = None, limit: ListLimitOption = None) -> None:
    """The source documents: id, kind, title, author or outlet, and how many facts cite each.

    \b
    Examples:
      lmc sources
      lmc sources --format json
    """
    from lmc_cli.api import run_sources

    run_sources(state(ctx).corpus(), resolve_format(format_), limit=limit)


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
    from lmc_cli.api import run_list

    no_pager(no_pager_)
    run_list(state(ctx).corpus(), ("conflicts",), resolve_format(format_), detailed=long, limit=limit)


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


def run_app() -> int:
    """Run the app as `app()` does, with Pydantic-free coercion of arguments (see fastparse).

    Click's own errors (unknown option, bad value) come back as exceptions, so that `main`
    prints them with control characters made visible like every other message.
    """
    from lmc_cli.cli.fastparse import install

    command = typer.main.get_command(app)
    install(command)
    code = command(prog_name="lmc", standalone_mode=False)
    return code if isinstance(code, int) and not isinstance(code, bool) else ExitCode.OK


def guard_streams() -> None:
    """Make closed standard streams and non-UTF-8 terminals harmless before anything runs.

    A closed fd 0/1/2 is reopened on /dev/null so that no file lmc opens can take its number
    (sys.stdout stays None: `emit` treats that as a closed pipe). Text that a non-UTF-8
    stdout cannot encode is written as \\uXXXX escapes instead of raising UnicodeEncodeError.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                if os.open(os.devnull, os.O_RDWR) != fd:
                    break
            except OSError:
                break
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if stream is not None and not encoding.startswith("utf"):
            with contextlib.suppress(AttributeError, ValueError, OSError):
                stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


try:  # Typer 0.2x vendors Click as typer._click; older Typer uses Click itself
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - depends on the Typer version installed
    from click.exceptions import ClickException  # type: ignore[no-redef]


def show_click_error(exc: ClickException) -> None:
    """Click's usage error as one line in lmc's words (lmc_cli/cli/usage.py), control characters made visible."""
    from lmc_cli.cli.usage import usage_line

    message(usage_line(exc))


def plain_completion_help() -> None:
    """Typer passes completion help (zsh, fish) through Rich to strip [markup]; lmc's help is
    plain text (rich_markup_mode=None), so skip Rich and keep Tab fast."""
    try:
        from typer import _completion_classes

        _completion_classes._sanitize_help_text = str  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        pass


def main() -> None:
    """The console entry point: everything that escapes a command ends here, in one line."""
    if "_LMC_COMPLETE" in os.environ:
        plain_completion_help()
    guard_streams()
    try:
        code = run_app()
    except typer.Abort:  # Click's own abort (EOF at a prompt): as an interrupt, without the signal
        message("lmc: interrupted")
        sys.exit(ExitCode.INTERRUPTED)
    except ClickException as exc:
        show_click_error(exc)
        sys.exit(exc.exit_code)
    except PipeClosed:
        sys.exit(ExitCode.OK)
    except BrokenPipeError:
        sys.exit(ExitCode.OK)
    except DataError as exc:
        message(f"lmc: {exc.message}")
        sys.exit(exc.code)
    except LmcError as exc:  # UsageError, OutputFailed (74) and the rest
        message(f"lmc: {exc.message}")
        sys.exit(exc.code)
    except OSError as exc:  # a file lmc or Typer writes (--install-completion): I/O, not a bug
        where = f": {exc.filename}" if exc.filename else ""
        message(f"lmc: cannot write output: {exc.strerror or exc}{where}")
        sys.exit(ExitCode.IO_ERROR)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        from lmc_cli.app import signal_received

        if signal_received():  # an exception a signal caused: the console entry ends it as an interrupt
            raise
        message(f"lmc: internal error: {type(exc).__name__}: {exc}")
        message("lmc: this is a bug; please report it with the command you ran")
        sys.exit(ExitCode.INTERNAL)
    sys.exit(code)
