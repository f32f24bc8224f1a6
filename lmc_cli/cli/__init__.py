"""The command-line interface: Typer only, a thin client of lmc_cli.api and lmc_cli.output.

Importing this package registers every command on `app` (one module per group of commands).
"""

from lmc_cli.cli import plainhelp

# Help in lmc's words wherever the app is used (the console script, CliRunner, completion).
plainhelp.install()

from lmc_cli.cli import browse, data, draft, search  # noqa: E402, F401 - importing registers the commands
from lmc_cli.cli.root import app  # noqa: E402

__all__ = ["app"]
