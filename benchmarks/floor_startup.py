"""The start-up floor: the least a warm `lmc show ID --format json` can do, as one process.

    python benchmarks/floor_startup.py DB ID [--typer]

Opens an index (a database written by `lmc export --format sqlite`), reads one fact by its
id and prints it as JSON. With --typer, the same behind a Typer app of one command (Typer
imported, the command built from its signature, arguments parsed by Click, coerced without
Pydantic by lmc_cli.fastparse as lmc does): the floor of a command of a Typer CLI.
bench_startup.py times both against hello_typer.py in the same run.
"""

from __future__ import annotations

import sys


def show(db: str, fact_id: str) -> int:
    import json
    import sqlite3

    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    row = connection.execute("SELECT * FROM facts WHERE id = ?", (fact_id,)).fetchone()
    if row is None:
        sys.stderr.write(f"no fact {fact_id}\n")
        return 1
    sys.stdout.write(json.dumps([dict(row)], ensure_ascii=False, indent=2) + "\n")
    return 0


def main() -> None:
    if "--typer" not in sys.argv:
        sys.exit(show(sys.argv[1], sys.argv[2]))
    import typer

    app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)

    @app.command()
    def run(db: str, fact_id: str, typer_: bool = typer.Option(False, "--typer")) -> None:
        raise typer.Exit(show(db, fact_id))

    from lmc_cli.cli.fastparse import install

    command = typer.main.get_command(app)
    install(command)
    sys.exit(command(standalone_mode=False))


if __name__ == "__main__":
    main()
