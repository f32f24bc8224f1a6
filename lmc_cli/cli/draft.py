"""lmc draft: a new document's entry in a pack and its draft fact file (lmc_cli/curate/draft.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lmc_cli.cli.root import app, handle_errors


@app.command()
@handle_errors
def draft(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The document: a UTF-8 text file.", readable=False)],
    doc: Annotated[str, typer.Option("--doc", metavar="ID", help="The new document's id (letters, digits, . _ -).")],
    pack: Annotated[Path, typer.Option("--pack", metavar="DIR", readable=False,
                                       help="The pack to add it to (created if it does not exist).")],
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", show_default=False,
                                              help="The title, if the text has no headline (marked descriptive).")
                     ] = None,
    kind: Annotated[str | None, typer.Option("--kind", metavar="KIND", show_default=False,
                                             help="analysis, commentary, report or news [default: unknown].")
                    ] = None,
    every_sentence: Annotated[bool, typer.Option("--every-sentence",
                                                 help="A stub for every sentence, not only the checkable ones.")
                              ] = False,
) -> None:
    """Register a new document in a pack and write a draft fact file: one stub per checkable sentence.

    Appends the document (id, file, SHA-256, title, byline and outlet as the text states them) to
    DIR/sources.toml, never rewriting what is there, and writes DIR/draft-ID.toml: for each sentence
    with a number, a date, a name or a reporting verb, a stub with the sentence as its verbatim quote,
    the date only as precise as the sentence gives it (relative dates flagged for you), the figure's
    value, unit and qualifier, candidate titles, and draft = true. lmc answers nothing from a draft
    unless --drafts is given, and lmc validate reports each one until you remove the mark
    (docs/curating.md). Refuses an id the pack already has and an existing draft file. Needs the
    curate extra: pip install 'lmc-cli[curate]'.

    \b
    Examples:
      lmc draft article.txt --doc 005 --pack my-pack
      lmc validate my-pack --against DIR-OF-article.txt
      lmc --facts my-pack --drafts list --table stats
    """
    from lmc_cli.curate.draft import draft as run_draft
    from lmc_cli.curate.draft import require_extra, summary

    require_extra()
    for line in summary(run_draft(file, doc, pack, title=title, kind=kind, every=every_sentence)):
        from lmc_cli.output.streams import message

        message(line)
