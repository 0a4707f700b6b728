"""Whole-program Monte Carlo: the program flown again and again, each flight's launch failing
at its vehicle family's historical rate, each sample a full run of the engine.

What follows a failure is the engine's own rules: a lost cargo ship's manifest never reaches
the stocks (a tracked stock may then run out, and the shortage rule sends the crew home); a
lost crew launch leaves its crew on the ground, and the crew it was to relieve stay on until
the next crew can dock, within their Soyuz's docked life (:mod:`stationsim.program.relief`).
Sample k draws from stream k (``SeedSequence(seed, spawn_key=(k,))``, the k-th of
``SeedSequence(seed).spawn``), so results depend neither on the number of workers nor on the
order samples finish. Each sample is an independent Dask task; each finished sample is
written atomically as ``samples/sample-NNNNN.json``, and a run started again in the same
folder skips those.

The density of the atmosphere is scaled per sample when the program's ``campaign:`` section
varies ``density_scale`` (shuttle-mir: lognormal, sigma 0.15, Marcos et al. 2010). Limits: no
launch slips, docking failures or burn errors yet, and no larger next cargo after a lost one.
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
from stationsim.campaign.dispersions import Dispersions, sample_generator
from stationsim.campaign.run import _local_client, wilson_interval
from stationsim.results.atomic import folder_lock, storage_errors, write_text_atomic

if TYPE_CHECKING:
    from stationsim.hardware.catalog import Catalog
    from stationsim.hardware.vehicle import VehicleType
    from stationsim.program.state import ProgramResult
    from stationsim.scenario.schema import Program

# Launch failures and launches by launcher family (launch_record.csv, with its sources).
LAUNCH_RECORD: dict[str, tuple[int, int, str]] = {
    "Soyuz": (2, 126, "Soyuz-2.1a/b, 2006-10 to 2023-01 (github ctanas/parsec-jupyter "
                      "soyuz21.md, commit a3006f5); the Soyuz-U of the 1990s is not counted"),
    "Space Shuttle": (1, 135, "135 Shuttle flights, one lost at launch (STS-51-L; Columbia was "
                              "lost at re-entry); from memory, unverified in the record"),
    "Antares": (1, 17, "Antares 110 to 230+, 2013-04 to 2023-01 (parsec-jupyter antares.md)"),
    "Falcon 9": (1, 195, "Falcon 9, 2010-06 to 2023-01 (parsec-jupyter falcon9.md)"),
}


def failure_rate(vehicle: VehicleType) -> tuple[float, str] | None:
    """The launch failure rate of the vehicle's launcher family (failures / launches) and its
    source; None when the record has no count for it."""
    for family, (failures, launches, source) in LAUNCH_RECORD.items():
        if (vehicle.launch_vehicle or "").startswith(family):
            return failures / launches, f"{family}: {failures} of {launches} ({source})"
    return None


@dataclass(frozen=True)
class ProgramCampaign:
    """A whole-program campaign: the program (bundled name or path), samples and seed."""

    program: str
    samples: int
    seed: int = 0

    def __post_init__(self):
        if self.samples < 1:
            raise ValueError(f"samples must be >= 1, got {self.samples}")
        if self.seed < 0:
            raise ValueError(f"seed must be >= 0, got {self.seed}")


def draw_sample(program: Program, catalog: Catalog, seed: int, k: int) -> tuple[list[str], float]:
    """Sample ``k``'s draws from stream k: the flights whose launch fails (one uniform draw per
    flight, in the program's order), then the density scale when the program's campaign
    section varies ``density_scale`` (else 1)."""
    rng = sample_generator(seed, k)
    draws = rng.random(len(program.flights))
    failed = []
    for flight, u in zip(program.flights, draws, strict=True):
        rate = failure_rate(catalog.vehicle(flight.vehicle)) if flight.vehicle else None
        if rate is not None and u < rate[0]:
            failed.append(flight.id)
    density = _density_distribution(program)
    return failed, float(density.draw(rng, 1)[0]) if density is not None else 1.0


def _density_distribution(program):
    """The program campaign section's ``density_scale`` distribution, if it varies it."""
    section = getattr(program, "campaign", None)
    if section is None:
        return None
    return Dispersions.from_specs(list(section.vary)).varied.get("density_scale")


def fly_sample(program: Program, seed: int, k: int) -> dict:
    """Fly sample ``k``: the program with its drawn launch failures and density; its figures."""
    from stationsim.program.engine import simulate
    from stationsim.scenario.schema import LaunchFailure

    failed, density_scale = draw_sample(program, program.catalog, seed, k)
    flights = [f.model_copy(update={"launch_failure": LaunchFailure(cause="drawn")})
               if f.id in failed else f for f in program.flights]
    result = simulate(program.model_copy(update={"flights": flights}),
                      density_scale=density_scale)
    return {"sample": k, "failed": sorted(failed), "density_scale": density_scale,
            **sample_figures(result)}


def sample_figures(result: ProgramResult) -> dict:
    """Crew-days (all and NASA's), days without crew after the first crew, shortages,
    reboost propellant and the first station re-entry of one run."""
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
        "reboost_propellant_kg": float(sum(m.propellant_kg for m in result.maneuvers
                                           if m.name.startswith("reboost"))),
        "reentry_days": ((min(reentries) - result.start_s) / DAY_S) if reentries else None,
    }


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
        if inputs_path.exists() and json.loads(inputs_path.read_text()) != inputs:
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
        samples = [json.loads(_sample_path(folder, k).read_text()) for k in range(spec.samples)]
        summary = summarise(samples, program)
        write_text_atomic(folder / "summary.json", json.dumps(summary, indent=2) + "\n")
    return summary


def _sample_path(folder: Path, k: int) -> Path:
    return folder / "samples" / f"sample-{k:05d}.json"


def _fly_on_dask(program, seed, pending, workers, scheduler, finished) -> None:
    from dask.distributed import Client, as_completed

    with contextlib.ExitStack() as stack:
        client = (stack.enter_context(Client(scheduler)) if scheduler is not None
                  else _local_client(workers or os.cpu_count() or 1))
        shared = client.scatter(program, broadcast=True)
        futures = [client.submit(fly_sample, shared, seed, k, pure=False) for k in pending]
        for future in as_completed(futures):
            finished(future.result())


def summarise(samples: list[dict], program: Program) -> dict:
    """Probability of continuous presence (Wilson 95 % interval) and the 5th, 50th and 95th
    percentiles of each figure over the samples."""
    catalog = program.catalog
    crewed = sum(1 for s in samples if s["continuously_crewed"])
    low, high = wilson_interval(crewed, len(samples))
    summary = {"program": program.name, "samples": len(samples),
               "continuously_crewed": crewed / len(samples),
               "continuously_crewed_low": low, "continuously_crewed_high": high,
               "samples_with_a_failure": sum(1 for s in samples if s["failed"])}
    for name in ("crew_days", "nasa_days", "uncrewed_days", "shortages",
                 "reboost_propellant_kg", "reentry_days"):
        values = np.array([s[name] for s in samples if s[name] is not None], dtype=float)
        summary[name] = ({f"p{q}": float(np.percentile(values, q)) for q in (5, 50, 95)}
                         if values.size else None)
    density = _density_distribution(program)
    summary["density_scale"] = (f"density_scale={density.text()}" if density is not None
                                else "not varied")
    rates = {}
    for flight in program.flights:
        rate = failure_rate(catalog.vehicle(flight.vehicle)) if flight.vehicle else None
        rates[rate[1] if rate else "no launch record (never fails)"] = True
    summary["rates"] = sorted(rates)
    return summary
