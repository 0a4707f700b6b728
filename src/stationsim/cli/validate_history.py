"""``stationsim validate-history [NAME]``: run the bundled programs, compare them with history."""

from __future__ import annotations

from pathlib import Path

import typer

from stationsim.cli.app import app


@app.command("validate-history")
def validate_history(
    name: str | None = typer.Argument(
        None, help="one bundled program to run (default: every program with a record)"),
    out: Path = typer.Option(Path("docs/validation.md"), "--out", help="report to write"),
    runs: Path = typer.Option(Path("runs"), "--runs", help="folder of the run folders"),
) -> None:
    """Simulate the programs, compare them with the record, write docs/validation.md.

    Programs not run now are compared from their run folder under --runs, if they have one.
    """
    from stationsim.cli.output import console, print_table
    from stationsim.validation.history import validate_history as run_and_compare

    outcomes = run_and_compare(
        [name] if name else None, runs, out,
        on_program=lambda program, state: console.print(f"{program}: {state}"))
    rows = []
    for outcome in outcomes:
        judged = [c for c in outcome.comparisons if c.within is not None]
        rows.append((outcome.name, sum(c.within for c in judged), len(judged),
                     outcome.failure or ""))
    print_table("validation", ("program", "within tolerance", "compared", "not compared"), rows)
    console.print(f"report: {out}")
