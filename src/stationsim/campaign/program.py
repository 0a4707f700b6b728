"""Whole-program Monte Carlo: the program flown again and again with launch slips, launch
failures, failed automatic dockings, density and reboost errors drawn per sample
(:mod:`stationsim.campaign.program_draws`, rates with their sources), each sample a full run
of the engine.

What follows a draw is the operators' rules and the engine's own: a lost cargo ship's manifest
rides on the next ones, a lost crew launch leaves the crew aboard on within their Soyuz's
docked life (:mod:`stationsim.program.relief`), a stock that runs out is a shortage and the
shortage rule may send the crew home. Sample k draws from stream k (``SeedSequence(seed,
spawn_key=(k,))``, the k-th of ``SeedSequence(seed).spawn``), so results depend neither on
the number of workers nor on the order samples finish. Samples go to Dask in chunks of
consecutive samples (one task each, few enough that scheduling costs nothing beside a
sample); each finished sample is written atomically as ``samples/sample-NNNNN.json``, and a
run started again in the same folder skips those. A worker process keeps what every sample
of a program shares (the program itself, scattered once; the frontal areas of the station's
configurations) between tasks.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch
from stationsim.campaign.program_draws import (
    DOCKING_RECORD,
    REBOOST_ERROR_SIGMA,
    density_distribution,
    draw_sample,
    drawn_program,
    failure_rate,
    scrub_rate,
)
from stationsim.campaign.run import _local_client, wilson_interval
from stationsim.results.atomic import folder_lock, storage_errors, write_text_atomic
from stationsim.scenario.schema import MAX_CAMPAIGN_SAMPLES
from stationsim.text import json_mapping

if TYPE_CHECKING:
    from stationsim.program.state import ProgramResult
    from stationsim.scenario.schema import Program

CHUNK_SAMPLES = 8  # samples per Dask task at most (a sample is seconds of work)
_FRONTAL_AREAS: dict[str, dict] = {}  # per process: program name -> areas by geometry


@dataclass(frozen=True)
class ProgramCampaign:
    """A whole-program campaign: the program (bundled name or path), samples and seed."""

    program: str
    samples: int
    seed: int = 0

    def __post_init__(self):
        if not 1 <= self.samples <= MAX_CAMPAIGN_SAMPLES:
            raise ValueError(f"samples must be 1 to {MAX_CAMPAIGN_SAMPLES:,}, got {self.samples}")
        if self.seed < 0:
            raise ValueError(f"seed must be >= 0, got {self.seed}")


def fly_sample(program: Program, seed: int, k: int) -> dict:
    """Fly sample ``k``: the program with its draws applied (:func:`drawn_program`); its
    draws and figures."""
    from stationsim.program.engine import simulate
    from stationsim.program.state import ProgramFailure, RunOptions

    draws = draw_sample(program, program.catalog, seed, k)
    options = RunOptions(density_scale=draws.density_scale,
                         burn_errors_frac=draws.reboost_errors_frac, keep_tracks=False,
                         frontal_areas_m2=_FRONTAL_AREAS.setdefault(program.name, {}))
    drawn = {"sample": k, "failed": sorted(draws.failed),
             "docking_failed": sorted(draws.docking_failed),
             "slip_days": {f: s / DAY_S for f, s in sorted(draws.slips_s.items())},
             "density_scale": draws.density_scale}
    try:
        result = simulate(drawn_program(program, draws), options=options)
    except ProgramFailure as exc:  # the rules found no way on: the sample says so
        return {**drawn, "program_failure": str(exc)}
    return {**drawn, "program_failure": None, **sample_figures(result)}


def fly_samples(program: Program, seed: int, ks: list[int]) -> list[dict]:
    """Samples ``ks`` one after the other (one Dask task)."""
    return [fly_sample(program, seed, k) for k in ks]


def sample_figures(result: ProgramResult) -> dict:
    """Crew-days (all and NASA's), days without crew after the first crew, shortages and the
    days a crew lived with a tracked stock at zero, reboost propellant and the first station
    re-entry of one run."""
    agencies = {person.name: person.agency for person in result.program.crew}
    stays = result.roster.all_stays()
    days = [((s.departed_s if s.departed_s is not None else result.end_s) - s.arrived_s) / DAY_S
            for s in stays]
    gap_s, opened = 0.0, {}
    for event in result.events:
        if event.kind == "presence_gap":
            opened[event.station] = event.t_s
        elif event.kind == "presence_resumed" and event.station in opened:
            gap_s += event.t_s - opened.pop(event.station)
    gap_s += sum(result.end_s - t_s for t_s in opened.values())
    reentries = [e.t_s for e in result.events if e.kind == "reentry" and e.flight is None]
    return {
        "crew_days": float(sum(days)),
        "nasa_days": float(sum(d for s, d in zip(stays, days, strict=True)
                               if agencies.get(s.person) == "NASA")),
        "uncrewed_days": gap_s / DAY_S,
        "continuously_crewed": not any(e.kind == "presence_gap" for e in result.events),
        "shortages": sum(1 for e in result.events if e.kind == "shortage"),
        "shortage_days": shortage_days(result),
        "reboost_propellant_kg": float(sum(m.propellant_kg for m in result.maneuvers
                                           if m.name.startswith("reboost"))),
        "reentry_days": ((min(reentries) - result.start_s) / DAY_S) if reentries else None,
    }


def shortage_days(result: ProgramResult) -> float:
    """Days with a crew aboard and a tracked stock (one the program writes) at zero, summed
    over the stations: the ledger's stocks change linearly between its records, so a stock
    at zero at two consecutive records was at zero between them."""
    from stationsim.program.supply import tracked_resources

    total_s = 0.0
    for spec in result.program.stations:
        ledger = result.stations[spec.id].ledger
        tracked = tracked_resources(spec)
        empty = []  # [start, end) intervals with some tracked stock at zero
        for resource in tracked:
            rows = [(t_s, kg) for t_s, name, kg in ledger.history if name == resource]
            for (t0_s, kg0), (t1_s, kg1) in zip(rows, rows[1:], strict=False):
                if kg0 <= 0.0 and kg1 <= 0.0 and t1_s > t0_s:
                    empty.append((t0_s, t1_s))
            if rows and rows[-1][1] <= 0.0 and rows[-1][0] < result.end_s:
                empty.append((rows[-1][0], result.end_s))
        crewed = [(s.arrived_s, s.departed_s if s.departed_s is not None else result.end_s)
                  for s in result.roster.all_stays() if s.station == spec.id]
        total_s += _overlap_s(_union(empty), _union(crewed))
    return total_s / DAY_S


def _union(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlap_s(first: list[tuple[float, float]], second: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(a1, b1) - max(a0, b0)) for a0, a1 in first for b0, b1 in second)


def run_program_campaign(spec: ProgramCampaign, out: str | os.PathLike,
                         workers: int | None = None, scheduler: str | None = None,
                         progress: Callable[[int], None] | None = None) -> dict:
    """Fly the campaign into folder ``out`` (module doc) and return its summary, also written
    as ``summary.json``. ``workers``: local worker processes (default one per core; 0 runs in
    this process without Dask); ``scheduler``: an existing Dask scheduler's address."""
    from stationsim.scenario import load_program

    program = load_program(spec.program)
    folder = Path(out)
    with contextlib.ExitStack() as held:
        with storage_errors(folder):
            folder.mkdir(parents=True, exist_ok=True)
            held.enter_context(folder_lock(folder))
        (folder / "samples").mkdir(exist_ok=True)
        inputs = {"program": spec.program, "samples": spec.samples, "seed": spec.seed}
        inputs_path = folder / "campaign.json"
        if inputs_path.exists() and _recorded(inputs_path, "use another --out") != inputs:
            raise ValueError(f"{folder} holds a whole-program campaign with other inputs; "
                             "use another --out")
        write_text_atomic(inputs_path, json.dumps(inputs) + "\n")
        pending = [k for k in range(spec.samples) if not _sample_path(folder, k).exists()]
        if progress is not None and len(pending) < spec.samples:
            progress(spec.samples - len(pending))

        def finished(figures: dict) -> None:
            write_text_atomic(_sample_path(folder, figures["sample"]), json.dumps(figures))
            if progress is not None:
                progress(1)

        if workers == 0 and scheduler is None:
            for k in pending:
                finished(fly_sample(program, spec.seed, k))
        elif pending:
            _fly_on_dask(program, spec.seed, pending, workers, scheduler, finished)
        samples = [_recorded(_sample_path(folder, k), "delete it and run again to fly the "
                                                      "sample anew") for k in range(spec.samples)]
        summary = summarise(samples, program)
        write_text_atomic(folder / "summary.json", json.dumps(summary, indent=2) + "\n")
    return summary


def _recorded(path: Path, fix: str) -> dict:
    """The JSON mapping a campaign wrote at ``path``; ValueError naming it and ``fix``."""
    try:
        return json_mapping(path)
    except ValueError as exc:
        raise ValueError(f"{path}: damaged (expected the JSON mapping the campaign writes: "
                         f"{exc}); {fix}") from None


def _sample_path(folder: Path, k: int) -> Path:
    return folder / "samples" / f"sample-{k:05d}.json"


def _chunks(pending: list[int], workers: int) -> list[list[int]]:
    """``pending`` cut into runs of consecutive samples, at most CHUNK_SAMPLES each and at
    least four chunks a worker so that the last ones finish together."""
    size = max(1, min(CHUNK_SAMPLES, len(pending) // (4 * max(workers, 1))))
    return [pending[i:i + size] for i in range(0, len(pending), size)]


def _fly_on_dask(program, seed, pending, workers, scheduler, finished) -> None:
    from dask.distributed import Client, as_completed

    with contextlib.ExitStack() as stack:
        client = (stack.enter_context(Client(scheduler)) if scheduler is not None
                  else _local_client(workers or os.cpu_count() or 1))
        count = len(client.scheduler_info()["workers"]) or 1
        # a key of its own (not the content's hash): another client's copy may be going away
        shared = client.scatter(program, broadcast=True, hash=False)
        futures = [client.submit(fly_samples, shared, seed, ks, pure=False)
                   for ks in _chunks(pending, count)]
        for future in as_completed(futures):
            for figures in future.result():
                finished(figures)


FIGURES = ("crew_days", "nasa_days", "uncrewed_days", "shortages", "shortage_days",
           "reboost_propellant_kg", "reentry_days")


def summarise(samples: list[dict], program: Program) -> dict:
    """Probability of continuous presence to the span's end (Wilson 95 % interval), and for
    each figure its mean (95 % normal interval) and 5th, 50th and 95th percentiles, each
    with its distribution-free 95 % interval (:func:`quantile_interval`), over the samples
    the engine flew to the end (those it could not are counted as ``program_failures``)."""
    flown = [s for s in samples if not s.get("program_failure")]
    crewed = sum(1 for s in flown if s["continuously_crewed"])
    low, high = wilson_interval(crewed, len(flown))
    summary = {"program": program.name, "samples": len(samples),
               "program_failures": len(samples) - len(flown),
               "span_end_utc": Epoch(program.span.end.tt_s).utc_iso(0),
               "continuously_crewed": crewed / len(flown) if flown else None,
               "continuously_crewed_low": low, "continuously_crewed_high": high,
               "samples_with_a_failure": sum(1 for s in samples if s["failed"]),
               "samples_with_a_docking_failure": sum(1 for s in samples
                                                     if s.get("docking_failed")),
               "samples_with_a_slip": sum(1 for s in samples if s.get("slip_days"))}
    for name in FIGURES:
        values = np.sort(np.array([s[name] for s in flown if s.get(name) is not None],
                                  dtype=float))
        summary[name] = _distribution(values) if values.size else None
    density = density_distribution(program)
    summary["density_scale"] = (f"density_scale={density.text()}" if density is not None
                                else "not varied")
    rates = {}
    for flight in program.flights:
        if flight.vehicle is None:
            continue  # a module flying itself: no launcher family counted
        vehicle = program.catalog.vehicle(flight.vehicle)
        rate = failure_rate(vehicle)
        rates["launch failure: " + (rate[1] if rate else f"{vehicle.name}: no launch record "
                                    "(never fails)")] = 1
        scrub = scrub_rate(vehicle)
        if scrub is not None:
            rates["slip: " + scrub[2]] = 1
    rates[f"Progress automatic docking failure: {DOCKING_RECORD[0]} of {DOCKING_RECORD[1]} "
          f"({DOCKING_RECORD[2]})"] = 1
    rates[f"reboost burn error: normal(0, {REBOOST_ERROR_SIGMA:g}) (estimate)"] = 1
    summary["rates"] = sorted(rates)
    return summary


def _distribution(values: np.ndarray) -> dict:
    """Mean with its 95 % interval and percentiles with theirs, of sorted ``values``."""
    n = values.size
    half = 1.959963984540054 * values.std(ddof=1) / np.sqrt(n) if n > 1 else None
    mean = float(values.mean())
    out = {"mean": mean, "mean_low": None if half is None else mean - float(half),
           "mean_high": None if half is None else mean + float(half)}
    for q in (5, 50, 95):
        low, high = quantile_interval(values, q / 100.0)
        out |= {f"p{q}": float(np.percentile(values, q)), f"p{q}_low": low, f"p{q}_high": high}
    return out


def quantile_interval(sorted_values: np.ndarray, q: float) -> tuple[float | None, float | None]:
    """Distribution-free 95 % interval of the q-quantile: the order statistics whose ranks
    bound the binomial(n, q) count of values below it (Conover, Practical Nonparametric
    Statistics, 3rd ed., sec. 3.2); None where n is too small to reach 95 %."""
    from scipy.stats import binom

    n = sorted_values.size
    lower_rank = int(binom.ppf(0.025, n, q))  # 1-based rank of the lower bound
    upper_rank = int(binom.ppf(0.975, n, q)) + 1
    if lower_rank < 1 or upper_rank > n:
        return None, None
    return float(sorted_values[lower_rank - 1]), float(sorted_values[upper_rank - 1])
