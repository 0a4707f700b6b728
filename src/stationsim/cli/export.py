"""``stationsim export RUN --format oem|opm|czml|parquet``: the standard exports of a run."""

from __future__ import annotations

from pathlib import Path

import typer

from stationsim.cli.app import app


@app.command()
def export(
    run: str = typer.Argument(..., help="a run folder, or a program name under --runs"),
    fmt: str = typer.Option(..., "--format", help="oem, opm (CCSDS, KVN and XML), czml or "
                                                  "parquet (every table)"),
    flight: str | None = typer.Option(None, "--flight",
                                      help="only this flight's vehicle (oem, opm, czml)"),
    out: Path | None = typer.Option(None, "--out",
                                    help="folder for the files (default RUN/exports)"),
    runs_dir: Path = typer.Option(Path("runs"), "--runs", help="folder of the run folders"),
) -> None:
    """Write a run's trajectories as CCSDS OEM/OPM or CZML, or its tables as Parquet."""
    from stationsim.cli.output import console
    from stationsim.results.export import export_run

    written = export_run(run, fmt.lower(), flight=flight, out=out, runs_dir=runs_dir)
    for path in written:
        console.print(str(path), highlight=False, soft_wrap=True)
