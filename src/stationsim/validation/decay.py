"""Re-entry by drag from a published or tracked orbit, computed beside the programs' runs.

Two kinds of entry:

* ``flight`` (with ``program``): a free flight of a bundled program, Sputnik 1. Its re-entry
  is computed by the very function the engine's run uses
  (:func:`stationsim.program.freeflight.free_flight_decay`, same orbit, vehicle and span), so
  ``stationsim run`` and ``validate-history`` give the same instant.
* ``flight`` with ``tracked_period``: the same free flight predicted from its tracking, as
  re-entries are predicted: Cd A/m scaled so that the averaged decay loses the period the
  tracking measured over its first revolutions
  (:func:`stationsim.astro.lifetime.drag_scale_from_tracking`), then followed to re-entry in
  the averaged mode. The scale says how much drag the documented inputs miss.
* ``tle`` with a ``module``: a tracked element set, Tiangong-1. Mass and area come from the
  hardware catalog: the uncontrolled module's mean projected area of its cylinder over random
  orientations (a quarter of its surface, Cauchy's formula for convex bodies; solar arrays
  left out) with the engine's Cd.
  King-Hele's orbit-averaged decay on NRLMSIS 2.1 with the bundled space weather
  (:func:`stationsim.astro.lifetime.reentry_averaged`, within 5 % of full propagation).

Nothing is fitted.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from stationsim.astro.lifetime import (
    LifetimeResult,
    MeanElements,
    drag_scale_from_tracking,
    mean_elements,
    reentry_averaged,
)
from stationsim.astro.tle import parse_tle_text
from stationsim.hardware.catalog import load_catalog
from stationsim.hardware.module import tumbling_area_m2
from stationsim.program.engine import DEFAULT_CD
from stationsim.program.freeflight import (
    cd_area_over_mass_m2pkg as free_flight_cd_area_over_mass_m2pkg,
)
from stationsim.program.freeflight import free_flight_decay, free_flight_state

if TYPE_CHECKING:
    from stationsim.astro.time import Epoch
    from stationsim.scenario.schema import Flight, Program
    from stationsim.validation.compare import Entry


def decay_reentry_s(entry: Entry) -> float | None:
    """POSIX seconds (UTC label) of the predicted re-entry for a ``decay_reentry_utc`` entry,
    None if the orbit outlives its span (the program's, or 30 years for a tracked set)."""
    result = decay(entry)
    return None if result.reentry is None else result.reentry.to_datetime().timestamp()


def decay(entry: Entry) -> LifetimeResult:
    """The predicted decay of a ``decay_reentry_utc`` entry (module doc)."""
    if "tracked_period" in entry.extra:
        return _free_flight_from_tracking(entry.extra["program"], entry.extra["flight"],
                                          *_tracked_period(entry))
    if "flight" in entry.extra:
        return _free_flight(entry.extra["program"], entry.extra["flight"])
    (tle,) = parse_tle_text(entry.extra["tle"], source=f"record: {entry.subject}")
    r_m, v_mps = tle.initial_state()
    return reentry_averaged(tle.epoch, mean_elements(tle.epoch, r_m, v_mps),
                            cd_area_over_mass_m2pkg(entry))


@cache
def _free_flight(program_name: str, flight_id: str) -> LifetimeResult:
    program, flight = _program_flight(program_name, flight_id)
    return free_flight_decay(flight, load_catalog().vehicle(flight.vehicle),
                             program.span.end.tt_s)


def drag_scale(entry: Entry) -> float:
    """The factor on the catalog's Cd A/m that the entry's ``tracked_period`` measured."""
    return _tracked_scale(entry.extra["program"], entry.extra["flight"], *_tracked_period(entry))


def _tracked_period(entry: Entry) -> tuple[float, float]:
    """(revolutions, period lost in s) of the entry's ``tracked_period`` (minutes in the record)."""
    tracked = entry.extra["tracked_period"]
    return (float(tracked["revolutions"]),
            (float(tracked["first_min"]) - float(tracked["after_min"])) * 60.0)


@cache
def _tracked_scale(program_name: str, flight_id: str, revolutions: float,
                   period_decrease_s: float) -> float:
    epoch, mean, b_m2pkg, _ = _launch_orbit(program_name, flight_id)
    return drag_scale_from_tracking(epoch, mean, b_m2pkg, revolutions, period_decrease_s)


@cache
def _free_flight_from_tracking(program_name: str, flight_id: str, revolutions: float,
                               period_decrease_s: float) -> LifetimeResult:
    epoch, mean, b_m2pkg, end_tt_s = _launch_orbit(program_name, flight_id)
    scale = _tracked_scale(program_name, flight_id, revolutions, period_decrease_s)
    return reentry_averaged(epoch, mean, scale * b_m2pkg, max_duration_s=end_tt_s - epoch.tt_s)


def _launch_orbit(program_name: str, flight_id: str
                  ) -> tuple[Epoch, MeanElements, float, float]:
    """(epoch, mean elements, catalog Cd A/m, the program's end in TT s) of a free flight."""
    program, flight = _program_flight(program_name, flight_id)
    epoch, r_m, v_mps = free_flight_state(flight.orbit)
    return (epoch, mean_elements(epoch, r_m, v_mps),
            free_flight_cd_area_over_mass_m2pkg(load_catalog().vehicle(flight.vehicle)),
            program.span.end.tt_s)


def _program_flight(program_name: str, flight_id: str) -> tuple[Program, Flight]:
    from stationsim.scenario import load_program

    program = load_program(program_name)
    matches = [f for f in program.flights if f.id == flight_id]
    if len(matches) != 1:
        raise ValueError(f"record: program {program_name!r} has no single flight {flight_id!r}")
    return program, matches[0]


def cd_area_over_mass_m2pkg(entry: Entry) -> float:
    """Cd*A/m (m^2/kg) of the entry's tumbling ``module`` from the catalog."""
    module = load_catalog().module(entry.extra["module"])
    return DEFAULT_CD * tumbling_area_m2(module.length_m, module.diameter_m) / module.mass_kg
