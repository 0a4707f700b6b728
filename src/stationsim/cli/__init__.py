"""Command-line entry point: registers the command modules and turns errors into exit code 2.

Each command lives in its own module and imports the heavy layers inside its function, so that
``stationsim --help`` stays fast.
"""

from __future__ import annotations

import sys

import click
import typer

from stationsim.cli.app import app

# Command modules register themselves on ``app`` / ``plan_app`` when imported.
from stationsim.cli import plan_transfer  # noqa: E402,F401  isort: skip

EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; any StationsimError or ValueError becomes one line on stderr and exit 2."""
    from stationsim.cli.output import fail
    from stationsim.errors import StationsimError

    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="stationsim", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        fail("aborted")
        return 130
    except (StationsimError, ValueError, OSError) as exc:
        fail(str(exc))
        return EXIT_BAD_INPUT
    return 0


if __name__ == "__main__":
    sys.exit(main())
