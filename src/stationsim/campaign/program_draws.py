"""What a whole-program campaign draws for each sample, at rates with their sources, and the
program the sample flies: the written one with its draws applied.

Per flight, in the program's order, from the sample's own stream: launch slips (scrubs, each
costing its family's recycle time), a launch failure, and for a Progress an automatic docking
that fails; per sample, the density scale (when the program's ``campaign:`` section varies
it) and the execution error of each reboost burn. The rules that follow are the operators':

- a slipped flight moves whole (launch, undocking, landing, relocations); a crew whose relief
  slipped waits for it, their own undocking moved by the slip (the handover kept);
- a Progress whose automatic docking fails is docked by TORU six days later (Progress M-24,
  1994: abort on flight day 3, TORU docking on day 9; RP-1357 p. 61): it arrives six days
  late and leaves as written (flown as a launch six days later, so the days of free flight
  and the second rendezvous's propellant are not counted);
- a cargo ship lost at launch has its manifest carried by the next cargo ships of the same
  type to the same station, each filled up to its capacity (in 1994 Progress M-24 carried the
  cargo of a cancelled second Progress, RP-1357 p. 61);
- a crew launch lost leaves the crew aboard on, within their Soyuz's docked life
  (:mod:`stationsim.program.relief`, in the engine).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch
from stationsim.campaign.dispersions import Dispersions, sample_generator
from stationsim.program.relief import RELIEF_RENDEZVOUS_S

if TYPE_CHECKING:
    from stationsim.campaign.dispersions import Distribution
    from stationsim.hardware.catalog import Catalog
    from stationsim.hardware.vehicle import VehicleType
    from stationsim.scenario.schema import Flight, Program

# Launch failures and launches by launcher family (launch_record.csv, with its sources).
LAUNCH_RECORD: dict[str, tuple[int, int, str]] = {
    "Soyuz": (2, 126, "Soyuz-2.1a/b, 2006-10 to 2023-01 (github ctanas/parsec-jupyter "
                      "soyuz21.md, commit a3006f5); the Soyuz-U of the 1990s is not counted"),
    "Space Shuttle": (1, 135, "135 Shuttle launches (Space shuttle launch probability "
                              "analysis, IEEE Aerospace Conf. 2014), one lost at launch: STS-51-L "
                              "(Rogers Commission report, 1986); Columbia was lost at re-entry "
                              "(CAIB report, 2003)"),
    "Antares": (1, 17, "Antares 110 to 230+, 2013-04 to 2023-01 (parsec-jupyter antares.md)"),
    "Falcon 9": (1, 195, "Falcon 9, 2010-06 to 2023-01 (parsec-jupyter falcon9.md)"),
}

# Launches and launch attempts by launcher family, and what a scrub costs (days).
SLIP_RECORD: dict[str, tuple[int, int, float, str]] = {
    "Soyuz": (34, 35, 2.0, "34 Soyuz MS and Progress MS launches 2019-2024, one scrubbed "
                           "once (Soyuz MS-25: 2024-03-21, launched 03-23) "
                           "(iss_traffic_2019_2024.csv, many rows from memory)"),
    "Space Shuttle": (135, 255, 1.0, "135 launches in 255 countdowns (Space shuttle launch "
                                     "probability analysis, IEEE Aerospace Conf. 2014, "
                                     "doi:10.1109/AERO.2014.6836415); a scrub costs the "
                                     "24-hour recycle, longer stand-downs not modelled"),
}

# Progress automatic (Kurs) dockings that failed, of those flown in 1994-1998: Progress M-24
# of M-22 ... M-39 (RP-1357 p. 61; offnominal_events.csv). Crewed Soyuz dock by hand on the
# same approach when Kurs fails (Soyuz TM-8, TM-25): no change to the schedule, not drawn.
DOCKING_RECORD = (1, 18, "Progress M-24 of the 18 Progress M of 1994-1998 (M-22 to M-39; "
                         "RP-1357 p. 61, offnominal_events.csv)")
TORU_RETRY_DAYS = 6  # Progress M-24: automatic abort flight day 3, TORU docking day 9

# Proportional error of each reboost burn, 1 sigma: an estimate (2 %, as friendship-7.yaml's
# retro impulse); no published statistics of Progress or Mir reboost burns were found. Three
# ISS shortfalls are documented (Progress 15P 2004-11-17, M-54 2005-10-19, M-58 2006-11-30;
# docs/campaign.md) but no count of that period's reboosts to make them a rate.
REBOOST_ERROR_SIGMA = 0.02
MAX_REBOOSTS = 64  # errors drawn per sample; a run with more reuses the last


def _family(vehicle: VehicleType, record: dict) -> str | None:
    for family in record:
        if (vehicle.launch_vehicle or "").startswith(family):
            return family
    return None


def failure_rate(vehicle: VehicleType) -> tuple[float, str] | None:
    """The launch failure rate of the vehicle's launcher family (failures / launches) and its
    source; None when the record has no count for it."""
    family = _family(vehicle, LAUNCH_RECORD)
    if family is None:
        return None
    failures, launches, source = LAUNCH_RECORD[family]
    return failures / launches, f"{family}: {failures} of {launches} ({source})"


def scrub_rate(vehicle: VehicleType) -> tuple[float, float, str] | None:
    """The probability that a countdown of the vehicle's launcher family is scrubbed, the days
    a scrub costs, and the source; None when the record has no count."""
    family = _family(vehicle, SLIP_RECORD)
    if family is None:
        return None
    launches, attempts, days, source = SLIP_RECORD[family]
    return 1.0 - launches / attempts, days, f"{family}: {launches} launches in {attempts} " \
                                            f"countdowns, {days:g} d a scrub ({source})"


def docks_by_kurs_uncrewed(vehicle: VehicleType) -> bool:
    """Whether the vehicle is a Progress, whose automatic docking may fail (DOCKING_RECORD)."""
    return vehicle.name.startswith("progress") and vehicle.seats == 0


@dataclass(frozen=True)
class SampleDraws:
    """One sample's draws: flights lost at launch, launch slips (s) and failed automatic
    dockings by flight, the density scale and the reboost burns' proportional errors."""

    failed: tuple[str, ...]
    slips_s: dict[str, float]
    docking_failed: tuple[str, ...]
    density_scale: float
    reboost_errors_frac: tuple[float, ...]


def draw_sample(program: Program, catalog: Catalog, seed: int, k: int) -> SampleDraws:
    """Sample ``k``'s draws from stream k: per flight in the program's order a uniform for its
    launch, one for its docking and a geometric count of scrubs; then the density scale
    (when the campaign section varies it) and :data:`MAX_REBOOSTS` reboost errors."""
    rng = sample_generator(seed, k)
    n = len(program.flights)
    launch_u, docking_u = rng.random(n), rng.random(n)
    scrub_u = rng.random(n)
    failed, docking_failed, slips_s = [], [], {}
    for i, flight in enumerate(program.flights):
        if flight.vehicle is None:
            continue
        vehicle = catalog.vehicle(flight.vehicle)
        rate = failure_rate(vehicle)
        if rate is not None and launch_u[i] < rate[0]:
            failed.append(flight.id)
        scrub = scrub_rate(vehicle)
        if scrub is not None and scrub_u[i] < scrub[0]:
            # P(at least n scrubs) = q^n: the count by inversion of the same uniform
            scrubs = int(np.floor(np.log(max(scrub_u[i], 1e-300)) / np.log(scrub[0])))
            slips_s[flight.id] = scrubs * scrub[1] * DAY_S
        if (flight.target is not None and docks_by_kurs_uncrewed(vehicle)
                and docking_u[i] < DOCKING_RECORD[0] / DOCKING_RECORD[1]):
            docking_failed.append(flight.id)
    density = density_distribution(program)
    scale = float(density.draw(rng, 1)[0]) if density is not None else 1.0
    errors = rng.normal(0.0, REBOOST_ERROR_SIGMA, MAX_REBOOSTS)
    return SampleDraws(tuple(failed), slips_s, tuple(f for f in docking_failed
                                                      if f not in failed),
                       scale, tuple(float(e) for e in errors))


def density_distribution(program: Program) -> Distribution | None:
    """The program campaign section's ``density_scale`` distribution, if it varies it."""
    section = getattr(program, "campaign", None)
    if section is None:
        return None
    return Dispersions.from_specs(list(section.vary)).varied.get("density_scale")


def drawn_program(program: Program, draws: SampleDraws) -> Program:
    """The program as sample ``draws`` flies it (module doc: the rules applied)."""
    from stationsim.scenario.schema import LaunchFailure

    flights = {f.id: f for f in program.flights}
    docked = {d.id: d for s in program.stations for d in s.docked}
    for flight_id, slip_s in draws.slips_s.items():
        flight = flights[flight_id]
        flights[flight_id] = _shifted(flight, slip_s)
        if flight.crew_up and flight.target is not None:
            _hold_relieved(program, flights, docked, flight, slip_s)
    for flight_id in draws.failed:
        flights[flight_id] = flights[flight_id].model_copy(
            update={"launch_failure": LaunchFailure(cause="drawn")})
    for flight_id in draws.failed:
        _carry_lost_cargo(program, flights, flights[flight_id])
    for flight_id in draws.docking_failed:
        flight = flights[flight_id]
        flights[flight_id] = _shifted(flight, TORU_RETRY_DAYS * DAY_S, keep_departure=True)
    stations = [s.model_copy(update={"docked": [docked[d.id] for d in s.docked]})
                for s in program.stations]
    return program.model_copy(update={"flights": [flights[f.id] for f in program.flights],
                                      "stations": stations})


def _later(utc: str | None, shift_s: float) -> str | None:
    return None if utc is None else (Epoch.from_utc_iso(utc) + shift_s).utc_iso()


def _shifted(flight: Flight, shift_s: float, keep_departure: bool = False) -> Flight:
    """The flight ``shift_s`` later: launch and relocations, and unless ``keep_departure``
    its undocking and landing too."""
    update = {
        "launch_utc": _later(flight.launch_utc, shift_s),
        "earliest_launch_utc": _later(flight.earliest_launch_utc, shift_s),
        "relocations": [r.model_copy(update={"at_utc": _later(r.at_utc, shift_s)})
                        for r in flight.relocations]}
    if keep_departure and flight.undock is not None:
        update |= {"undock_utc": flight.undock.utc_iso(), "stay_days": None}
    elif not keep_departure:
        update |= {"undock_utc": _later(flight.undock_utc, shift_s),
                   "landing_utc": _later(flight.landing_utc, shift_s)}
    return flight.model_copy(update=update)


def _hold_relieved(program: Program, flights: dict, docked: dict, relief: Flight,
                   slip_s: float) -> None:
    """The crew's lifeboats that were to leave before the slipped relief can dock leave the
    slip later (their undocking and landing moved, the handover kept)."""
    written_s = relief.launch.tt_s
    arrives_s = written_s + slip_s + RELIEF_RENDEZVOUS_S
    for other in list(flights.values()):
        if (other.id != relief.id and other.target == relief.target and other.crew_down
                and other.undock is not None and written_s <= other.undock.tt_s < arrives_s
                and other.launch.tt_s < written_s and _lifeboat(program, other)):
            flights[other.id] = other.model_copy(update={
                "undock_utc": _later(other.undock.utc_iso(), slip_s),
                "stay_days": None, "landing_utc": _later(other.landing_utc, slip_s)})
    station = next((s for s in program.stations if s.id == relief.target), None)
    for item in station.docked if station is not None else ():
        item = docked[item.id]
        if item.crew_down and item.undock is not None and (
                written_s <= item.undock.tt_s < arrives_s):
            docked[item.id] = item.model_copy(update={
                "undock_utc": _later(item.undock_utc, slip_s),
                "landing_utc": _later(item.landing_utc, slip_s)})


def _lifeboat(program: Program, flight: Flight) -> bool:
    """A crew vehicle staying longer than its free-flight endurance (not a visiting Shuttle),
    as :mod:`stationsim.program.relief` counts them."""
    vehicle = program.catalog.vehicle(flight.vehicle) if flight.vehicle else None
    return (vehicle is not None and vehicle.seats > 0 and flight.undock is not None
            and flight.undock.tt_s - flight.launch.tt_s > vehicle.autonomous_s)


def _carry_lost_cargo(program: Program, flights: dict, lost: Flight) -> None:
    """The lost cargo on the next cargo ships of the same type to the same station, each
    filled to its capacity, in launch order."""
    if lost.crew_up or lost.target is None or lost.vehicle is None:
        return
    fields = ("o2_kg", "water_kg", "food_kg", "propellant_kg", "dry_kg")
    left = {name: getattr(lost.cargo, name) for name in fields}
    capacity_kg = program.catalog.vehicle(lost.vehicle).cargo_capacity_kg
    later = sorted((f for f in flights.values()
                    if f.vehicle == lost.vehicle and f.target == lost.target
                    and f.launch.tt_s > lost.launch.tt_s and f.launch_failure is None),
                   key=lambda f: f.launch.tt_s)
    for flight in later:
        total_kg = sum(left.values())
        room_kg = max(capacity_kg - flight.cargo.total_kg, 0.0)
        if total_kg <= 0.0:
            return
        if room_kg <= 0.0:
            continue
        share = min(room_kg / total_kg, 1.0)
        added = {name: kg * share for name, kg in left.items()}
        flights[flight.id] = flight.model_copy(update={"cargo": flight.cargo.model_copy(
            update={name: getattr(flight.cargo, name) + added[name] for name in fields})})
        left = {name: left[name] - added[name] for name in fields}
