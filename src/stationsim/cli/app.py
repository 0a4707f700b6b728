"""The Typer applications that every command module registers on."""

from __future__ import annotations

import typer

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
