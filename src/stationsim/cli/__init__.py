"""Command-line entry point: registers the command modules and turns errors into exit code 2.

Each command lives in its own module and imports the heavy layers inside its function, so that
``stationsim --help`` stays fast.
"""

from __future__ import annotations

import sys

from stationsim.cli.app import app

# Command modules register themselves on ``app`` / ``plan_app`` when imported.
from stationsim.cli import (  # noqa: E402,F401  isort: skip
    campaign,
    catalog,
    export,
    list_programs,
    plan_lifetime,
    plan_rendezvous,
    plan_transfer,
    plan_translunar,
    plan_windows,
    run,
    schema,
    serve,
    validate,
    validate_history,
)

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; any StationsimError or ValueError becomes one line on stderr and exit 2.

    Usage errors are Typer's (exit 2 with its message); the exit code is returned, not raised.
    Without ``argv`` the command line is the process's own (``sys.argv``), and the process is
    run as one command's (:mod:`stationsim.cli.process`).
    """
    if argv is None:
        from stationsim.cli.process import finished, one_command

        one_command()
        return finished(_main(argv))
    return _main(argv)


def _main(argv: list[str] | None) -> int:
    from stationsim.cli.output import fail
    from stationsim.errors import StationsimError

    try:
        app(args=argv, prog_name="stationsim")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except (StationsimError, ValueError, OSError) as exc:
        fail(str(exc))
        return EXIT_BAD_INPUT
    except Exception as exc:  # a fault of stationsim's own: one line, not a traceback
        fail(f"internal error, please report it: {type(exc).__name__}: {exc}")
        return EXIT_INTERNAL
    return 0


if __name__ == "__main__":
    sys.exit(main())
