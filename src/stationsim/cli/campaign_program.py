"""``stationsim campaign PROGRAM --program``: the whole program flown with launch failures
drawn at their historical rates (:mod:`stationsim.campaign.program`)."""

from __future__ import annotations

from pathlib import Path


def fly_whole_program(program: str, samples: int | None, seed: int | None,
                      workers: int | None, scheduler: str | None, out: Path | None) -> None:
    """Run the campaign with a progress bar and print its summary."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from stationsim.campaign.program import ProgramCampaign, run_program_campaign
    from stationsim.cli.output import console, print_table

    if samples is None:
        raise ValueError("give --samples with --program")
    if workers is not None and workers < 0:
        raise ValueError(f"--workers must be >= 0, got {workers}")
    spec = ProgramCampaign(program, samples, seed or 0)
    folder = out or Path("runs") / f"{Path(program).stem}-program-campaign"
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("samples", total=samples)
        summary = run_program_campaign(spec, folder, workers, scheduler,
                                       progress=lambda done: bar.advance(task, done))
    console.print(
        f"continuously crewed in {summary['continuously_crewed']:.3f} of {samples} samples "
        f"(95 % Wilson interval {summary['continuously_crewed_low']:.3f} to "
        f"{summary['continuously_crewed_high']:.3f}); {summary['samples_with_a_failure']} "
        "samples with a launch failure", highlight=False, markup=False, soft_wrap=True)
    names = {"crew_days": "crew-days", "nasa_days": "NASA days aboard",
             "uncrewed_days": "days uncrewed", "shortages": "shortages",
             "reboost_propellant_kg": "reboost propellant (kg)",
             "reentry_days": "days to re-entry"}
    print_table(f"whole-program campaign {summary['program']} (seed {spec.seed})",
                ["figure", "5th percentile", "median", "95th percentile"],
                [[label, *(f"{summary[key][p]:.1f}" for p in ("p5", "p50", "p95"))]
                 for key, label in names.items() if summary[key] is not None])
    for rate in summary["rates"]:
        console.print(f"rate: {rate}", highlight=False, markup=False, soft_wrap=True)
    console.print(f"summary: {folder / 'summary.json'}", highlight=False, markup=False)
