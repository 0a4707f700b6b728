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
    start_utc: str | None = typer.Option(None, "--from", metavar="UTC",
                                         help="czml: start of the scene, ISO UTC "
                                              "(default: the run's or flight's start)"),
    stop_utc: str | None = typer.Option(None, "--to", metavar="UTC",
                                        help="czml: end of the scene, ISO UTC"),
    step_s: float | None = typer.Option(None, "--step", metavar="SECONDS",
                                        help="czml: seconds between positions (default: 60, "
                                             "coarser for a long run so the file stays small)"),
) -> None:
    """Write a run's trajectories as CCSDS OEM/OPM or CZML, or its tables as Parquet."""
    import math

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from stationsim.cli.plan_windows import parse_utc

    if step_s is not None and not 0.0 < step_s < math.inf:
        raise ValueError(f"--step must be a finite number of seconds above 0, got {step_s:g}")
    start, stop = (None if text is None else parse_utc(text, option)
                   for text, option in ((start_utc, "--from"), (stop_utc, "--to")))
    if start is not None and stop is not None and not stop.tt_s > start.tt_s:
        raise ValueError(f"--to {stop_utc} must be after --from {start_utc}")

    from stationsim.cli.output import console
    from stationsim.results.export import export_run

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                  TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task(f"exporting {fmt.lower()}", total=None)
        written = export_run(
            run, fmt.lower(), flight=flight, out=out, runs_dir=runs_dir, start_utc=start_utc,
            stop_utc=stop_utc, step_s=step_s,
            progress=lambda done, total: bar.update(task, completed=done, total=total))
    for path in written:
        console.print(str(path), highlight=False, soft_wrap=True)
