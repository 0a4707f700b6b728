"""Feasibility: what a program or a plan asks of its hardware and orbits, checked before it flies.

Each check names the flight (or orbit) and the fix. Program files are checked when loaded
(``validate`` and ``run``): altitudes that look like radii, station orbits whose perigee is
below :data:`MIN_PERIGEE_KM`, station inclinations a flight's launch site cannot reach, crews
larger than the seats. A rendezvous plan is checked against the propellant its vehicle carries
(:func:`propellant_shortfall`: ``plan rendezvous`` refuses it, ``run`` fails the flight as out
of propellant with a warning), and a planned orbit against the perigee floor
(:func:`perigee_problem`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from stationsim.astro.constants import DEG, KM, R_EARTH_M
from stationsim.errors import TLEError
from stationsim.scenario.problems import Path, Problem
from stationsim.scenario.schema import (
    DeorbitEvent,
    ElementsOrbit,
    Program,
    ReboostEvent,
    TleOrbit,
)

if TYPE_CHECKING:
    from stationsim.hardware.sites import LaunchSite
    from stationsim.hardware.vehicle import VehicleType

MIN_PERIGEE_KM = 100.0
"""Lowest perigee a planned orbit may have: near the Karman line, 100 km, a satellite re-enters
within its first revolution (drag decay below about 120 km takes hours: King-Hele, Satellite
Orbits in an Atmosphere, 1987, ch. 4), so a plan that goes lower does not come back up."""

RADIUS_LIKE_KM = (R_EARTH_M / KM - 100.0, R_EARTH_M / KM + 2000.0)
"""An 'altitude' in this band is almost surely a distance from the Earth's centre: 6,278 to
8,378 km from the centre is 0 to 2,000 km up, where every crewed orbit has flown."""


def check_feasibility(program: Program) -> list[Problem]:
    """Problems of a program that would make its flights impossible, each with its fix."""
    return (_radius_like_altitudes(program) + _low_perigees(program)
            + _unreachable_inclinations(program) + _seats(program))


def _radius_like_altitudes(program: Program) -> list[Problem]:
    found: list[tuple[Path, float]] = []
    for i, station in enumerate(program.stations):
        if isinstance(station.orbit, ElementsOrbit):
            found += [(("stations", i, "orbit", key), getattr(station.orbit, key))
                      for key in ("perigee_km", "apogee_km")]
        if station.reboost is not None:
            found += [(("stations", i, "reboost", key), getattr(station.reboost, key))
                      for key in ("min_mean_altitude_km", "max_mean_altitude_km")]
    for i, flight in enumerate(program.flights):
        if isinstance(flight.orbit, ElementsOrbit):
            found += [(("flights", i, "orbit", key), getattr(flight.orbit, key))
                      for key in ("perigee_km", "apogee_km")]
    for i, event in enumerate(program.events):
        key = ("target_mean_altitude_km" if isinstance(event, ReboostEvent) else
               "target_perigee_km" if isinstance(event, DeorbitEvent) else None)
        if key is not None and getattr(event, key) is not None:
            found.append((("events", i, key), getattr(event, key)))
    return [Problem(path, problem) for path, value in found
            if (problem := radius_problem(value))]


def radius_problem(altitude_km: float) -> str:
    """'' unless ``altitude_km`` looks like a distance from the Earth's centre; then what it
    would mean and the fix."""
    low, high = RADIUS_LIKE_KM
    if not low <= altitude_km <= high:
        return ""
    return (f"looks like a radius, not an altitude ({altitude_km:g} km from the Earth's centre "
            f"is {altitude_km - R_EARTH_M / KM:.0f} km up; write the height above the "
            f"6378.137 km equatorial radius)")


def _low_perigees(program: Program) -> list[Problem]:
    problems = []
    for i, station in enumerate(program.stations):
        orbit = station.orbit
        if isinstance(orbit, ElementsOrbit):
            path: Path = ("stations", i, "orbit", "perigee_km")
            perigee_km = orbit.perigee_km
        elif (record := _record(orbit)) is not None:
            path = ("stations", i, "orbit", "tle")
            perigee_km = record.perigee_altitude_m / KM
        else:
            continue
        problem = perigee_problem(perigee_km, f"station {station.id!r}")
        if problem:
            problems.append(Problem(path, problem))
    return problems


def perigee_problem(perigee_km: float, what: str) -> str:
    """'' if ``perigee_km`` is at or above the floor, else what is wrong and the fix."""
    if perigee_km >= MIN_PERIGEE_KM:
        return ""
    return (f"perigee too low for {what} (expected at least {MIN_PERIGEE_KM:.0f} km, where "
            f"an orbit survives a revolution; got {perigee_km:.0f} km): raise the perigee")


def _unreachable_inclinations(program: Program) -> list[Problem]:
    """A flight to a station must launch into its plane: from a site at latitude phi the
    least inclination reached directly is |phi| (launch due east), and the launch azimuth
    sin(Az) = cos(i) / cos(phi) must be one the range allows (Vallado 4th ed., eq. 6-22)."""
    inclinations = {station.id: _inclination_rad(station.orbit) for station in program.stations}
    catalog = program.catalog
    problems = []
    for i, flight in enumerate(program.flights):
        site = catalog.sites.get((flight.site or "").lower())
        inclination_rad = inclinations.get(flight.target or "")
        if site is None or inclination_rad is None:
            continue
        reason = reach_problem(site, inclination_rad)
        if reason:
            problems.append(Problem(("flights", i, "site"), f"{flight.id}: {reason}"))
    return problems


def reach_problem(site: LaunchSite, inclination_rad: float) -> str:
    """'' if a launch from ``site`` reaches ``inclination_rad`` directly, else why and the fix."""
    latitude_rad = abs(site.latitude_rad)
    name = site.display_name or site.name
    i_deg, phi_deg = inclination_rad / DEG, site.latitude_rad / DEG
    reach_rad = min(inclination_rad, math.pi - inclination_rad)  # highest latitude overflown
    if reach_rad < latitude_rad - 1e-9:
        return (f"{name} at {phi_deg:.2f} deg latitude cannot launch directly into the "
                f"station's {i_deg:.2f} deg orbit (the inclinations from there run from "
                f"{abs(phi_deg):.2f} to {180.0 - abs(phi_deg):.2f} deg): choose a site at or "
                f"below {reach_rad / DEG:.1f} deg latitude")
    sine = min(1.0, math.cos(inclination_rad) / math.cos(latitude_rad))
    azimuths_rad = (math.asin(sine), math.pi - math.asin(sine))  # ascending, descending
    if any(site.allows_azimuth(az) for az in azimuths_rad):
        return ""
    shown = " or ".join(f"{az / DEG:.1f}" for az in azimuths_rad)
    return (f"{name} allows launch azimuths {site.azimuth_min_rad / DEG:.0f} to "
            f"{site.azimuth_max_rad / DEG:.0f} deg, and the station's {i_deg:.2f} deg orbit "
            f"needs {shown} deg from its {phi_deg:.2f} deg latitude: choose another site")


def _inclination_rad(orbit) -> float | None:
    if isinstance(orbit, ElementsOrbit):
        return orbit.inclination_rad
    record = _record(orbit)
    return None if record is None else record.inclination_rad


def _record(orbit):
    """The parsed element set of a TLE orbit; None if it does not parse (checks says why)."""
    if not isinstance(orbit, TleOrbit):
        return None
    try:
        return orbit.record
    except (TLEError, ValueError, IndexError):
        return None


def _seats(program: Program) -> list[Problem]:
    catalog = program.catalog
    problems: list[Problem] = []
    for i, flight in enumerate(program.flights):
        vehicle = catalog.vehicles.get((flight.vehicle or "").lower())
        if vehicle is None and flight.vehicle is not None:
            continue
        seats = vehicle.seats if vehicle is not None else 0
        for key in ("crew_up", "crew_down"):
            count = len(getattr(flight, key))
            if count > seats:
                problems.append(Problem(("flights", i, key), _seats_text(
                    flight.id, flight.vehicle or "a module flying itself", seats, count)))
    for i, station in enumerate(program.stations):
        for j, docked in enumerate(station.docked):
            vehicle = catalog.vehicles.get(docked.vehicle.lower())
            if vehicle is not None and len(docked.crew_down) > vehicle.seats:
                problems.append(Problem(("stations", i, "docked", j, "crew_down"), _seats_text(
                    docked.id, docked.vehicle, vehicle.seats, len(docked.crew_down))))
    return problems


def _seats_text(flight_id: str, vehicle: str, seats: int, count: int) -> str:
    return (f"more crew than seats on {flight_id} (expected at most {seats} on {vehicle}, got "
            f"{count}): move {count - seats} to another flight or fly a vehicle with more seats")


def propellant_shortfall(flight_id: str, vehicle: VehicleType, needed_kg: float) -> str:
    """'' if ``vehicle`` carries ``needed_kg`` of propellant, else the flight, the figures and
    the fix (Crew Dragon's 2,560 kg against a plan of 7,474 kg)."""
    carried_kg = vehicle.propellant_mass_kg
    if needed_kg <= carried_kg:
        return ""
    return (f"{flight_id}: out of propellant: the plan needs {needed_kg:,.0f} kg and "
            f"{vehicle.name} carries {carried_kg:,.0f} kg ({needed_kg / carried_kg:.1f} times "
            f"its load): launch nearer the station's plane and phase, choose another profile, "
            f"or give the vehicle more propellant" if carried_kg > 0 else
            f"{flight_id}: out of propellant: the plan needs {needed_kg:,.0f} kg and "
            f"{vehicle.name} carries none: fly a vehicle with propulsion")
