"""The Typer applications that every command module registers on, and ``--version``."""

from __future__ import annotations

import typer
import typer.core

MAX_SEED = 2**63 - 1
"""Largest seed: the results store keeps it as a signed 64-bit integer (DuckDB BIGINT); the
same bound as :data:`stationsim.scenario.checks.MAX_SEED`, kept here so ``--help`` stays fast."""

app = typer.Typer(
    name="stationsim",
    help="Simulate crewed space-station programs on real orbital mechanics.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
plan_app = typer.Typer(help="One-off planning questions: transfers, windows, rendezvous, lifetime.",
                       no_args_is_help=True)
app.add_typer(plan_app, name="plan")


@plan_app.callback()
def _plan_options() -> None:
    """One-off planning questions: transfers, windows, rendezvous, lifetime, translunar."""
    from stationsim.cli.kernels import announce_first_compile

    announce_first_compile()


def _print_version(asked: bool) -> None:
    if asked:
        from stationsim import __version__

        typer.echo(f"stationsim {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                 help="Print stationsim's version and exit."),
) -> None:
    """Simulate crewed space-station programs on real orbital mechanics."""


_value_type = getattr(typer.core.TyperOption, "display_type_rich", None)


def _switch_shows_no_type(self: typer.core.TyperOption, ctx) -> str | None:
    """A switch (``--json``, ``--resume``, ``--help``) takes no value, so its help shows none;
    Typer (0.2x, which added value types to the help) would print ``<bool>`` as if it wanted
    one."""
    return None if self.is_flag else _value_type(self, ctx)


if _value_type is not None:
    typer.core.TyperOption.display_type_rich = _switch_shows_no_type
