"""The Typer app: root options, the run's state, the option types commands share, Tab completion of values."""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from lmc_cli import __version__
from lmc_cli.cli.exits import exit_code
from lmc_cli.errors import LmcError, NoMatch
from lmc_cli.output.streams import emit, message

F = TypeVar("F", bound=Callable[..., Any])


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


def _completion_source(ctx: typer.Context) -> tuple[list[Path], bool, bool]:
    params = ctx.find_root().params
    return list(params.get("facts") or []), not params.get("no_bundled"), bool(params.get("drafts"))


def _complete(ctx: typer.Context, incomplete: str, kind: str) -> list[str]:
    """Values for Tab: never an error, never Rich (see lmc_cli/cli/completion.py)."""
    try:
        from lmc_cli.cli import completion as complete

        source = _completion_source(ctx)
        if kind in ("id", "table"):
            named = complete.cached_names(*source)
            if named is not None:
                return (complete.complete_ids if kind == "id" else complete.complete_tables)(named, incomplete)
        facts = complete.load_facts(*source)
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


def handle_errors(command: F) -> F:
    """A command's LmcError as its message and exit code (cli/exits.py); on no match a JSON or CSV
    caller still gets a valid empty document."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except NoMatch as exc:
            code = exit_code(exc)
            if kwargs.get("format_") in (OutputFormat.json,):
                emit("[]\n")
            elif kwargs.get("format_") in (OutputFormat.csv,):
                from lmc_cli.output.formats import TSV_COLUMNS, to_csv

                emit(to_csv([], TSV_COLUMNS))
            raise typer.Exit(code) from None
        except LmcError as exc:
            raise typer.Exit(exit_code(exc)) from None

    return wrapper  # type: ignore[return-value]


class State:
    """Options given before the command: which fact packs to load."""

    def __init__(self) -> None:
        self.fact_dirs: list[Path] = []
        self.bundled = True
        self.drafts = False  # --drafts: answer from draft facts too
        self._corpus: Any = None
        self._cached: Any = None
        self._reported = False

    def corpus(self) -> Any:
        if self._corpus is None:
            from lmc_cli.load.packs import env_fact_dirs, load_corpus

            corpus = load_corpus([*env_fact_dirs(), *self.fact_dirs], bundled=self.bundled, drafts=self.drafts)
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

    def cached(self) -> Any:
        """With user packs, the packs' cache (lmc_cli.match.indexdb), so a warm run reads only what
        it shows; None without user packs (the bundled facts are small), or if it cannot be used."""
        from lmc_cli.load.packs import env_fact_dirs

        extra = [*env_fact_dirs(), *self.fact_dirs]
        # The cache holds what is answered without --drafts (its key does not know the option),
        # so --drafts reads the loaded corpus in memory.
        if not extra or self._corpus is not None or self.drafts:
            return None
        if self._cached is None:
            from lmc_cli.match.indexdb import corpus_index

            self._cached = corpus_index(extra, self.bundled) or False
            if self._cached:
                self.report(self._cached.problems, empty=self._cached.size == 0)
        return self._cached or None

    def search_index(self, tables: tuple[str, ...] | None) -> tuple[Any, Any]:
        """What meeting, stat and ask search, and the documents: the packs' cache if there is one."""
        cached = self.cached()
        if cached is not None:
            return cached.index(tables), cached.documents.values()
        return self.memory_index(tables), self.corpus().documents.values()

    def browse(self, run: Any, fallback: Any) -> None:
        """run(cache) over the packs' cache if there is one, else (or if it fails first) fallback(corpus)."""
        cached = self.cached()
        if cached is not None:
            from lmc_cli.match.indexbase import IndexUnreadable

            try:
                run(cached)
                return
            except IndexUnreadable:
                pass
        fallback(self.corpus())

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
    drafts: Annotated[
        bool, typer.Option("--drafts", help="Also answer from draft facts (draft = true: lmc draft's stubs, "
                                            "not yet checked by a curator).")
    ] = False,
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
    current.drafts = drafts
    no_pager(no_pager_)
    if ctx.invoked_subcommand is None:
        handle_errors(show_overview)(current)


def show_overview(current: State) -> None:
    from lmc_cli.api import overview_text

    emit(overview_text(current.corpus()))
