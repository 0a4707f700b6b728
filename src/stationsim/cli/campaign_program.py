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
        f"stayed crewed to {summary['span_end_utc'][:10]} in "
        f"{summary['continuously_crewed']:.3f} of the samples (95 % Wilson interval "
        f"{summary['continuously_crewed_low']:.3f} to {summary['continuously_crewed_high']:.3f}); "
        f"{summary['samples_with_a_failure']} with a launch failure, "
        f"{summary['samples_with_a_docking_failure']} with a failed automatic docking, "
        f"{summary['samples_with_a_slip']} with a launch slip",
        highlight=False, markup=False, soft_wrap=True)
    if summary["program_failures"]:
        console.print(f"{summary['program_failures']} samples the engine could not fly to the "
                      "end (samples/*.json say why) are left out of the figures",
                      highlight=False, markup=False, soft_wrap=True)
    names = {"crew_days": "crew-days", "nasa_days": "NASA days aboard",
             "uncrewed_days": "days uncrewed", "shortages": "shortages",
             "shortage_days": "shortage days",
             "reboost_propellant_kg": "reboost propellant (kg)",
             "reentry_days": "days to re-entry"}
    print_table(f"whole-program campaign {summary['program']} (seed {spec.seed})",
                ["figure", "mean [95 %]", "median [95 %]", "5th-95th percentile"],
                [[label, _with_interval(summary[key], "mean"), _with_interval(summary[key], "p50"),
                  f"{summary[key]['p5']:.1f} to {summary[key]['p95']:.1f}"]
                 for key, label in names.items() if summary[key] is not None])
    for rate in summary["rates"]:
        console.print(f"rate: {rate}", highlight=False, markup=False, soft_wrap=True)
    console.print(f"summary: {folder / 'summary.json'}", highlight=False, markup=False)


def _with_interval(figure: dict, name: str) -> str:
    """``12.3 [11.0, 13.9]``: a figure and its 95 % interval (none when too few samples)."""
    low, high = figure[f"{name}_low"], figure[f"{name}_high"]
    interval = "" if low is None or high is None else f" [{low:.1f}, {high:.1f}]"
    return f"{figure[name]:.1f}{interval}"
