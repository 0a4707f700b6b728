"""``stationsim run NAME|FILE``: simulate a program, store the results, print a summary."""

from __future__ import annotations

from pathlib import Path

import typer

from stationsim.cli.app import app


@app.command()
def run(
    program: str = typer.Argument(
        ..., help="a bundled program name (see 'stationsim list') or a path to a YAML program file"
    ),
    out: Path | None = typer.Option(None, "--out", help="run folder (default runs/<name>)"),
    seed: int | None = typer.Option(
        None, "--seed", help="seed recorded with the run (default: the program's)"
    ),
) -> None:
    """Simulate a whole program; write runs/<name>/ (results.duckdb, report.html, manifest.json)."""
    import datetime as dt
    import time

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from stationsim.cli.output import console
    from stationsim.cli.summary import print_summary
    from stationsim.errors import StationsimError
    from stationsim.program.engine import simulate
    from stationsim.results.run_folder import RunFolderWriter
    from stationsim.scenario import load_program, program_path

    path = program_path(program)
    loaded = load_program(path)
    if out is None and (Path(loaded.name).name != loaded.name or loaded.name in ("", ".", "..")):
        raise StationsimError(f"{path}: name {loaded.name!r} is not a plain folder name, so it "
                              "cannot name the run folder; give --out")
    folder = out or Path("runs") / loaded.name
    with RunFolderWriter(folder) as writer:  # a second run into the same folder is refused
        started = dt.datetime.now(dt.UTC)
        clock = time.perf_counter()
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task(f"simulating {loaded.name}", total=1.0)
            result = simulate(loaded, progress=lambda done: bar.update(task, completed=done))
        seed = seed if seed is not None else (loaded.seed or 0)
        saved = writer.save(result, path, seed, time.perf_counter() - clock, started)
    print_summary(saved.store, result.warnings)
    console.print(f"results: {saved.store}\nreport:  {saved.report}")
