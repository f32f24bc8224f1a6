"""The command-line interface: Typer only, a thin client of lmc_cli.api and lmc_cli.output.

Importing this package registers every command on `app` (one module per group of commands).
"""

from lmc_cli.cli import browse, data, search  # noqa: F401 - importing registers the commands
from lmc_cli.cli.root import app

__all__ = ["app"]
