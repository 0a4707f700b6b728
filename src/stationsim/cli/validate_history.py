"""``stationsim validate-history [NAME]``: run the bundled programs, compare them with history."""

from __future__ import annotations

from pathlib import Path

import typer

from stationsim.cli.app import app


@app.command("validate-history")
def validate_history(
    name: str | None = typer.Argument(
        None, help="one bundled program to run (default: every program with a record)"),
    out: Path | None = typer.Option(
        None, "--out", help="folder for validation.md and validation.json (default: the "
                            "--runs folder; the project's own report: --out docs)"),
    runs: Path = typer.Option(Path("runs"), "--runs", help="folder of the run folders"),
) -> None:
    """Simulate the programs, compare them with the record, write validation.md and the skill
    table as validation.json into --out.

    Programs not run now are compared from their run folder under --runs, if they have one.
    """
    from stationsim.cli.output import console, print_table
    from stationsim.validation.history import validate_history as run_and_compare
    from stationsim.validation.provenance import INPUT, PREDICTED
    from stationsim.validation.report import skill_of

    folder = out if out is not None else runs
    if folder.suffix == ".md" or (folder.exists() and not folder.is_dir()):
        raise ValueError(f"--out {folder}: expected a folder (validation.md and validation.json "
                         "are written into it)")
    out = folder / "validation.md"
    outcomes = run_and_compare(
        [name] if name else None, runs, out,
        on_program=lambda program, state: console.print(f"{program}: {state}"))
    rows = [(o.name, *o.count(PREDICTED), o.count(INPUT)[1], o.failure or "") for o in outcomes]
    print_table("validation", ("program", "predictions within tolerance", "predictions",
                               "inputs (not counted)", "not compared"), rows)
    table, tracked = skill_of(outcomes)
    groups = [*table, *tracked]
    print_table("skill against the naive rival (below 1 beats it)",
                ("group", "n", "unit", "model mean |error|", "rival mean |error|", "skill",
                 "model median |error|"),
                [(g.group, g.n, g.unit, g.model_mean, _or_dash(g.rival_mean), _or_dash(g.skill),
                  g.median) for g in groups])
    console.print(f"report: {out} and {out.with_suffix('.json')}")


def _or_dash(value: float | None) -> float | str:
    return "no rival" if value is None else value
