"""The yardstick for start-up time: a minimal Typer application that prints one Rich table.

Run it as `python benchmarks/hello_typer.py`; bench_startup.py times lmc against it.
"""

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    """Print a one-row table."""
    table = Table("greeting", "name")
    table.add_row("hello", name)
    Console().print(table)


if __name__ == "__main__":
    app()
