"""``stationsim campaign NAME|FILE --samples N``: Monte Carlo over dispersions, on Dask."""

from __future__ import annotations

from pathlib import Path

import typer

from stationsim.cli.app import MAX_SEED, app


@app.command()
def campaign(
    program: str = typer.Argument(..., help="a bundled program name or a path to a YAML "
                                            "program file"),
    samples: int | None = typer.Option(
        None, "--samples", help="number of dispersed samples (default: the program's campaign)"),
    seed: int | None = typer.Option(None, "--seed", min=0, max=MAX_SEED,
                                    help="seed of the sample streams (default: the "
                                         "campaign's, else 0)"),
    flight: str | None = typer.Option(None, "--flight",
                                      help="flight to fly (default: the first to a station)"),
    workers: int | None = typer.Option(
        None, "--workers", help="local worker processes (default: this process up to 20,000 "
                                "samples, else one per core; 0: no Dask)"),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="an existing Dask scheduler, e.g. tcp://host:8786"),
    out: Path | None = typer.Option(None, "--out",
                                    help="campaign folder (default runs/<name>-campaign)"),
    vary: list[str] = typer.Option(
        [], "--vary", help="a dispersion NAME=KIND(A, B), e.g. 'launch_slip_s=normal(0, 600)' "
                           "(repeatable; see docs/campaign.md)"),
    propellant_kg: float | None = typer.Option(
        None, "--propellant-kg", help="propellant loaded, kg (default: the vehicle's full load)"),
    batch_size: int = typer.Option(500, "--batch-size", help="samples per Dask task"),
    resume: bool = typer.Option(False, "--resume",
                                help="finish a campaign killed part-way in the same --out"),
    whole_program: bool = typer.Option(
        False, "--program", help="fly the whole program, launches failing at their "
                                 "historical rates (docs/campaign.md)"),
) -> None:
    """Fly dispersed copies of one flight's rendezvous; write Parquet, DuckDB and a report.

    Options left out come from the program's campaign: section when it has one.
    """
    from stationsim.cli.kernels import announce_first_compile
    from stationsim.scenario.schema import MAX_CAMPAIGN_SAMPLES

    if samples is not None and not 1 <= samples <= MAX_CAMPAIGN_SAMPLES:
        raise ValueError(f"--samples must be 1 to {MAX_CAMPAIGN_SAMPLES:,}, got {samples}")
    if out is not None and out.exists() and not out.is_dir():
        raise ValueError(f"--out {out}: a file (expected a campaign folder)")
    announce_first_compile()  # in-process samples compile here; Dask workers compile quietly
    if whole_program:
        from stationsim.cli.campaign_program import fly_whole_program

        return fly_whole_program(program, samples, seed, workers, scheduler, out)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from stationsim.campaign import CampaignSpec, Dispersions, run_campaign
    from stationsim.cli.output import console, print_table
    from stationsim.scenario import load_program

    loaded = load_program(program)
    section = getattr(loaded, "campaign", None)
    if samples is None and section is None:
        raise ValueError(f"give --samples: {program} has no campaign: section")
    covariance, written = None, False
    if section is not None:
        samples = samples if samples is not None else section.samples
        seed = seed if seed is not None else section.seed
        flight = flight or section.flight
        if not vary:
            vary, covariance = list(section.vary), section.insertion_covariance_lvlh
            written = True
        propellant_kg = propellant_kg if propellant_kg is not None else section.propellant_kg
    try:
        dispersions = Dispersions(Dispersions.from_specs(vary).varied, covariance)
    except ValueError as exc:
        raise _located(loaded, exc) if written else exc from None
    if _lands(loaded, flight):  # a trajectory's landing (campaign/landing.py)
        from stationsim.campaign.landing import describe, run_landing_campaign

        folder = out or Path("runs") / f"{Path(program).stem}-campaign"
        result = run_landing_campaign(loaded, flight, samples, seed or 0,
                                      dispersions, folder)
        print_table(f"landing campaign {flight} ({samples} samples, seed {seed or 0})",
                    ["quantity", "value"], describe(result.summary))
        console.print(f"samples: {folder / 'landings.csv'}\nsummary: {folder / 'summary.json'}")
        return
    spec = CampaignSpec(program, samples, seed or 0, flight, dispersions, propellant_kg,
                        batch_size)
    if workers is not None and workers < 0:
        raise ValueError(f"--workers must be >= 0, got {workers}")
    folder = out or Path("runs") / f"{Path(program).stem}-campaign"
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("samples", total=samples)
        result = run_campaign(spec, folder, workers, scheduler, resume,
                              progress=lambda done: bar.advance(task, done), program=loaded)
    summary = result.summary
    if summary.get("launch_note"):
        console.print(f"{summary['flight']}: {summary['launch_note']}", highlight=False,
                      soft_wrap=True, markup=False)
    print_table(
        f"campaign {summary['flight']} ({summary['samples']} samples, seed {spec.seed})",
        ["outcome", "samples"], sorted(summary["outcomes"].items()))
    console.print(
        f"success rate {summary['success_rate']:.4f} (95 % Wilson interval "
        f"{summary['success_low']:.4f} to {summary['success_high']:.4f}); "
        f"delta-v median {summary['dv_mps_p50']:.2f} m/s, 99th percentile "
        f"{summary['dv_mps_p99']:.2f} m/s")
    console.print(f"samples: {result.samples_path}\nsummary: {result.store_path}\n"
                  f"report:  {result.report_path}")


def _located(program, exc: ValueError) -> Exception:
    """A ProgramError at the program file's ``campaign.insertion_covariance_lvlh``, the one part
    of a ``campaign:`` section that ``validate`` leaves to the dispersions (its ``vary`` specs
    are checked on loading)."""
    from pathlib import Path as FilePath

    from stationsim.errors import ProgramError
    from stationsim.scenario.loader import located_messages
    from stationsim.scenario.problems import Problem

    problem = Problem(("campaign", "insertion_covariance_lvlh"), str(exc))
    data = FilePath(program.source).read_bytes()
    return ProgramError(located_messages(program.source, data, [problem]))


def _lands(program, flight: str | None) -> bool:
    """True when ``flight`` of the loaded ``program`` flies a trajectory to a landing."""
    if flight is None:
        return False
    found = [f for f in program.flights if f.id == flight]
    return bool(found) and found[0].trajectory is not None and found[0].trajectory.entry is not None
