"""``stationsim run NAME|FILE``: simulate a program, store the results, print a summary."""

from __future__ import annotations

from pathlib import Path

import typer

from stationsim.cli.app import MAX_SEED, app


@app.command()
def run(
    program: str = typer.Argument(
        ..., help="a bundled program name (see 'stationsim list') or a path to a YAML program file"
    ),
    out: Path | None = typer.Option(None, "--out", help="run folder (default runs/<name>)"),
    seed: int | None = typer.Option(
        None, "--seed", min=0, max=MAX_SEED, help="seed recorded with the run (default: the "
                                                  "program's)"
    ),
) -> None:
    """Simulate a whole program; write runs/<name>/ (results.duckdb, report.html, manifest.json)."""
    import contextlib
    import datetime as dt
    import time

    from stationsim.cli.process import importing

    live: dict = {}  # the progress bar and its task, once there is one

    def compiling(count: int, kernel: str) -> None:
        if count == 1:
            console.print(FIRST_NOTICE, highlight=False, soft_wrap=True)
        if live:
            live["bar"].update(live["task"], description=f"{live['label']}: compiling kernel "
                                                         f"{count} ({kernel})")

    with contextlib.ExitStack() as notice:
        with importing():
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            from stationsim.astro.compile import compile_kernels_in_background
            from stationsim.cli.kernels import FIRST_NOTICE, compile_notice
            from stationsim.cli.output import console

            notice.enter_context(compile_notice(compiling))
            compile_kernels_in_background()  # while the layers import and the program loads
            from stationsim.cli.summary import print_summary, summary_rows
            from stationsim.program.engine import simulate
            from stationsim.results.run_folder import RunFolderWriter
            from stationsim.scenario import load_program, program_path

        path = program_path(program)
        loaded = load_program(path)
        folder = out or default_folder(loaded.name)
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
                label = f"simulating {loaded.name}"
                live.update(bar=bar, task=bar.add_task(label, total=1.0), label=label)
                result = simulate(loaded, progress=lambda done: bar.update(
                    live["task"], completed=done, description=label))
                live.clear()
            seed = seed if seed is not None else (loaded.seed or 0)
            saved = writer.save(result, path, seed, time.perf_counter() - clock, started,
                                read=summary_rows)
    print_summary(saved.read, result.warnings)
    console.print(f"results: {saved.store}\nreport:  {saved.report}")


def default_folder(name: str) -> Path:
    """``runs/<name>``, refused unless ``name`` is one plain folder name (loaded programs are
    checked already; this holds for a program built or altered in Python too)."""
    from stationsim.scenario.checks import NAME_PATTERN

    if not NAME_PATTERN.fullmatch(name):
        raise ValueError(f"program name {name!r} cannot name a run folder (expected letters, "
                         f"digits, '.', '_' or '-', starting with a letter or digit); give --out")
    return Path("runs") / name
