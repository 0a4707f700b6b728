"""What a record row tests: a prediction of the model, or a value the program file already holds.

The rule, applied by code to the program as loaded (:func:`stationsim.scenario.load_program`,
vehicle-type defaults merged in):

- **input**: the program file contains the value, or the value follows from written values
  alone. Launch times written as ``launch_utc``; undocking times (``undock_utc``, or launch +
  ``stay_days``) and landing times; ports the flight names; docking flight days the flight names;
  crew-days whose every arrival and departure is a written time (aboard at the start, an
  undocking, the program's end); station mass and volume, sums of the catalog's masses and
  volumes of what the program attaches; the orbit a burn leaves where the burn is cut off at a
  written apoapsis (``apoapsis_km``: the apoapsis is its target); a landing place within
  ``SAME_PLACE_KM`` of the guided entry's written target (the planned point is the record).
- **predicted**: everything else: dockings (time, launch to docking; a carried module's
  berthing through its carrier's docking, the berthing day being written; after aborted
  approaches, the time of day on the written retry day), launches the engine
  chooses (``earliest_launch_utc``), ports and flight days the engine chooses, crew-days that
  begin at a simulated docking, orbits, re-entries. A flight plan's written rendezvous burn
  times (``burns_utc``) are inputs to the plan; the docking they lead to is predicted.

Two kinds of predicted row are not scored (:func:`classify`): a row that depends on a flight of
the declared calibration set (a constant was fitted on it; record.yaml ``calibration``), and a
row that depends on the docking of a flight whose run logged ``phase-assumed`` (no tracking told
the engine where the station was along its orbit, so it took the station's phase from the
written launch, which holds the answer).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stationsim.ops.stationkeeping import great_circle_m

if TYPE_CHECKING:
    from stationsim.scenario.schema import Program
    from stationsim.validation.compare import Entry

INPUT = "input"
PREDICTED = "predicted"
CALIBRATION = "calibration"
ASSUMED_PHASE = "assumed phase"
PHASE_ASSUMED_EVENT = "phase-assumed"  # the engine's event kind (events table)

STATION_SUMS = {"mass_kg", "pressurized_volume_m3"}
SAME_PLACE_KM = 10.0  # a written target this close to the record's place is that place
DOCKINGS = {"dock_utc", "launch_to_dock_h"}
# a flight's quantity -> the program fields that write it (an undocking: undock_utc, or the
# launch plus stay_days)
WRITTEN = {"launch_utc": ("launch_utc",), "undock_utc": ("undock_utc", "stay_days"),
           "land_utc": ("landing_utc",), "port": ("port",),
           "docking_flight_day": ("docking_flight_day",)}


@dataclass(frozen=True)
class Provenance:
    """``kind`` (one of the four above), why, and the flights whose simulated docking the
    value depends on (their calibration or assumed phase makes it unscored)."""

    kind: str
    why: str
    flights: tuple[str, ...] = ()


def provenance(entry: Entry, program: Program) -> Provenance:
    """``input`` or ``predicted`` for a record entry, from the program file alone (module doc)."""
    q, subject = entry.quantity, entry.subject
    if q in DOCKINGS:
        carrier = getattr(_flight(program, subject), "carried_by", None)
        if carrier is not None:  # berthed at the carrier's docking, or days after it
            return Provenance(PREDICTED, f"the simulated docking of {carrier}", (subject, carrier))
        retries = [a.retry_flight_day for a in getattr(_flight(program, subject),
                                                       "approach_aborts", ()) if a.retry_flight_day]
        if retries:  # the docking's day is written: only its time of day is the model's
            return Provenance(PREDICTED, f"the simulated docking's time of day on the written "
                              f"retry day {retries[-1]} (approach_aborts)", (subject,))
        return Provenance(PREDICTED, "the simulated docking", (subject,))
    if q in STATION_SUMS:
        return Provenance(INPUT, "a sum of the catalog's values for what the program attaches")
    if q in ("crew_days", "agency_days"):
        return _crew_days(entry, program)
    flight = _flight(program, subject)
    written = [name for name in WRITTEN.get(q, ()) if getattr(flight, name, None) is not None]
    if written:
        return Provenance(INPUT, f"written in the program: {written[0]}")
    targeted = _written_target(entry, getattr(flight, "trajectory", None))
    if targeted:
        return Provenance(INPUT, targeted)
    return Provenance(PREDICTED, "computed by the engine")


def _written_target(entry, trajectory) -> str:
    """Why a trajectory's row is its written target (module doc), or ''."""
    if trajectory is None:
        return ""
    if entry.quantity == "apoapsis_after_nmi":
        burn = next((b for b in trajectory.burns if b.name == entry.extra.get("burn")), None)
        if burn is not None and burn.apoapsis_km is not None:
            return f"written in the program: the apoapsis {burn.name} is cut off at"
    target = trajectory.entry.target if trajectory.entry is not None else None
    if entry.quantity == "land_place" and target is not None:
        lat, lon = (math.radians(x) for x in entry.value)
        if great_circle_m(lat, lon, math.radians(target.latitude_deg),
                          math.radians(target.longitude_deg)) <= SAME_PLACE_KM * 1e3:
            return "written in the program: the guided entry's target is the record's place"
    return ""


def classify(
    entry: Entry,
    program: Program,
    calibration_flights: Collection[str] = frozenset(),
    assumed_phase_flights: Collection[str] = frozenset(),
) -> Provenance:
    """:func:`provenance`, with predicted rows that depend on a calibration flight (or whose
    record was derived from one: the entry's ``record_from``) or on a docking of assumed phase
    set apart."""
    found = provenance(entry, program)
    if found.kind == INPUT:
        return found
    used = set(found.flights) | {entry.subject} | set(entry.extra.get("record_from") or ())
    calibrated = sorted(used & set(calibration_flights))
    if calibrated:
        return Provenance(CALIBRATION, f"depends on the calibration set ({', '.join(calibrated)})",
                          found.flights)
    assumed = sorted(set(found.flights) & set(assumed_phase_flights))
    if assumed:
        return Provenance(ASSUMED_PHASE, f"the station's phase was assumed from the written "
                          f"launch of {', '.join(assumed)}", found.flights)
    return found


def _flight(program, flight_id: str):
    found = next((f for f in program.flights if f.id == flight_id), None)
    if found is not None:
        return found
    return next((d for s in program.stations for d in s.docked if d.id == flight_id), None)


def _crew_days(entry, program) -> Provenance:
    """Crew-days begin at each arrival and end at each departure: a departure is an undocking
    (written, or the program's end), an arrival is aboard at the start or a simulated docking."""
    station = entry.extra.get("station", entry.subject)
    if entry.quantity == "agency_days":
        people = [p.name for p in program.crew if p.agency == entry.subject]
    else:
        people = [entry.subject]
    first_station = program.stations[0].id if program.stations else None
    arrivals = sorted({
        f.id for f in program.flights
        if f.dock and (f.target or first_station) == station and set(people) & set(f.crew_up)})
    if arrivals:
        return Provenance(PREDICTED, f"begins at the simulated docking of {', '.join(arrivals)}",
                          tuple(arrivals))
    return Provenance(INPUT, "spans between written times (aboard at the start, undockings)")
