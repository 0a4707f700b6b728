"""Cross-checks of a validated program against itself and the hardware catalog.

The schema checks each value alone; these check how values fit together: names that must exist
(vehicles, modules, ports, sites, people, stations, flights), times in order and inside the span,
TLE checksums, seats, where each person is, and the port timeline of each station. The last
group checks what a run will need, so that a file that validates runs: a name fit for a folder,
seeds the store can hold, a span inside the bundled space weather, and orbits the models fly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import numpy as np
from sgp4.api import SGP4_ERRORS

from stationsim.astro.constants import DAY_S, GM_EARTH_M3PS2, KM, R_EARTH_M
from stationsim.astro.spaceweather import BUNDLED_RESOURCE, SpaceWeather
from stationsim.astro.time import Epoch
from stationsim.astro.tle import Tle
from stationsim.disk_cache import cached
from stationsim.hardware.capsule import capsule_catalog
from stationsim.hardware.catalog import Catalog
from stationsim.ops.rendezvous import PROFILES as RENDEZVOUS_PROFILES
from stationsim.ops.rendezvous import FlightDaySchedule, RevolutionSchedule, timed_profile
from stationsim.scenario.feasibility import check_feasibility
from stationsim.scenario.ports import check_ports
from stationsim.scenario.problems import Path, Problem, did_you_mean, dotted, one_of
from stationsim.scenario.schema import (
    PROFILES,
    DeorbitEvent,
    ElementsOrbit,
    Flight,
    Program,
    ReboostEvent,
    RelocateEvent,
    StateTracking,
    TleOrbit,
    TleTracking,
    tle_rows,
)
from stationsim.scenario.tle_format import tle_problems
from stationsim.scenario.trajectory import LUNAR_REACH_KM, check_trajectories


# --- defaults -----------------------------------------------------------------------------
def resolve_defaults(program: Program) -> tuple[Program, list[Problem]]:
    """Fill each flight's profile, site, port and stay from ``defaults`` and the catalog, and
    the station of flights, events and tracking when the program has only one station."""
    catalog = program.catalog
    problems: list[Problem] = []
    only = program.stations[0].id if len(program.stations) == 1 else None
    flights = [_resolve_flight(program, catalog, index, flight, only, problems)
               for index, flight in enumerate(program.flights)]
    events = [_with_station(program, event, ("events", index), only, problems)
              for index, event in enumerate(program.events)]
    tracking = [_with_station(program, entry, ("tracking", index), only, problems)
                for index, entry in enumerate(program.tracking)]
    resolved = program.model_copy(update={"flights": flights, "events": events,
                                          "tracking": tracking})
    return resolved, problems


def _resolve_flight(program: Program, catalog: Catalog, index: int, flight: Flight,
                    only_station: str | None, problems: list[Problem]) -> Flight:
    path: Path = ("flights", index)
    defaults = program.defaults.get(flight.vehicle or "")
    update: dict[str, object] = {}
    if defaults is not None:
        if flight.site is None and defaults.site is not None:
            update["site"] = defaults.site
        if flight.profile is None and defaults.profile is not None:
            update["profile"] = defaults.profile
        explicit_no_port = "port" in flight.model_fields_set and flight.port is None
        if flight.port is None and not explicit_no_port and defaults.port is not None:
            update["port"] = defaults.port
        if flight.undock_utc is None and flight.stay_days is None and defaults.stay_days:
            update["stay_days"] = defaults.stay_days
    port = update.get("port", flight.port)
    if flight.delivers_module is not None and flight.vehicle is None and port is None:
        update["port"] = port = flight.delivers_module.berth_at
    if not flight.dock:
        update["port"] = port = None
    docks = flight.dock and (port is not None or flight.delivers_module is not None)
    meets = docks or not flight.dock  # docks, or rendezvous only
    if flight.target is None and meets:
        if only_station is None:
            problems.append(Problem(path, f"target is missing (expected the station this flight "
                                          f"meets; {_how_many_stations(program)})"))
        else:
            update["target"] = only_station
    if flight.orbit is not None and (meets or flight.target is not None):
        problems.append(Problem(path + ("orbit",), "only for a flight that meets no station "
                                                   "(expected no target, port or module)"))
    if flight.dock and flight.target is not None and port is None:
        problems.append(Problem(path + ("port",), "required for a flight to a station (expected "
                                                  "'module.port' here or in defaults, or "
                                                  "dock: false for a rendezvous only)"))
    site = update.get("site", flight.site)
    if site is None:
        where = f" nor in defaults.{flight.vehicle}" if flight.vehicle else ""
        problems.append(Problem(path + ("site",), f"required (no launch site here{where})"))
    vehicle = catalog.vehicles.get((flight.vehicle or "").lower())
    if meets and update.get("profile", flight.profile) is None and vehicle is not None:
        if vehicle.default_profile in PROFILES:
            update["profile"] = vehicle.default_profile
        else:
            message = (f"required (expected one of {one_of(PROFILES)} here or in "
                       f"defaults.{flight.vehicle}; the catalog's {vehicle.default_profile!r} "
                       f"is not a rendezvous profile)")
            problems.append(Problem(path + ("profile",), message))
    profile = update.get("profile", flight.profile)
    schedule = RENDEZVOUS_PROFILES[profile].schedule if isinstance(profile, str) else None
    if isinstance(schedule, RevolutionSchedule) and flight.docking_flight_day is not None \
            and flight.docking_flight_day < schedule.day:
        problems.append(Problem(path + ("docking_flight_day",), (
            f"before the {profile!r} profile's own docking day (expected {schedule.day} or "
            f"later, got {flight.docking_flight_day})")))
    if flight.docking_day_wake_utc is not None and isinstance(profile, str) \
            and not isinstance(RENDEZVOUS_PROFILES[profile].schedule, FlightDaySchedule):
        problems.append(Problem(path + ("docking_day_wake_utc",), (
            f"the {profile!r} profile does not dock on crew flight days (expected a profile "
            f"that does, such as 'shuttle', or no wake-up)")))
    elif flight.docking_day_wake_utc is not None and flight.launch_utc is None:
        problems.append(Problem(path + ("docking_day_wake_utc",), (
            "the flight plan's wake-up needs the launch it counts from (expected launch_utc)")))
    elif flight.docking_day_wake_utc is not None \
            and not 0.0 < flight.docking_day_wake.tt_s - flight.launch.tt_s < 10.0 * DAY_S:
        problems.append(Problem(path + ("docking_day_wake_utc",), (
            f"expected a time within 10 days after the launch_utc, got "
            f"{flight.docking_day_wake_utc}")))
    if flight.approach_aborts and flight.docking_flight_day is None and isinstance(profile, str) \
            and isinstance(RENDEZVOUS_PROFILES[profile].schedule, FlightDaySchedule):
        problems.append(Problem(path + ("approach_aborts",), (
            f"the {profile!r} profile docks on a flight day: approach_aborts need "
            f"docking_flight_day (expected the first attempt's day), or a profile that docks on "
            f"a revolution count")))
    if flight.burns_utc:
        problems.extend(_burn_times(flight, profile, meets, path + ("burns_utc",)))
    stays = update.get("stay_days", flight.stay_days) is not None
    ends = stays or flight.undock_utc is not None or flight.landing_utc is not None
    lands = flight.trajectory is not None and flight.trajectory.entry is not None
    if not docks and flight.crew_up and not (ends or lands):
        problems.append(Problem(path, "no landing_utc, stay_days or trajectory entry (expected "
                                      "one for a crewed flight that docks nowhere)"))
    return flight.model_copy(update=update) if update else flight


def _burn_times(flight: Flight, profile: str | None, meets: bool, path: Path) -> list[Problem]:
    """A flight plan's burn times: a rendezvous's, named as its profile names them, in the
    profile's order and after the launch."""
    if not meets or profile is None:
        return [Problem(path, "only for a flight that meets a station (expected a target and "
                              "a rendezvous profile)")]
    if flight.launch_utc is None:
        return [Problem(path, "the flight plan's burn times need its launch time (expected "
                              "launch_utc, not earliest_launch_utc)")]
    burns = {name: Epoch.from_utc_iso(utc) for name, utc in flight.burns_utc.items()}
    try:
        timed_profile(RENDEZVOUS_PROFILES[profile], burns)
    except ValueError as exc:
        return [Problem(path, str(exc))]
    first = min(burns, key=lambda name: burns[name].tt_s)
    if burns[first].tt_s <= flight.launch.tt_s:
        return [Problem(path + (first,), f"before the launch (expected after "
                                         f"{flight.launch_utc}, got {flight.burns_utc[first]})")]
    return []


def _with_station(program: Program, item, path: Path, only_station: str | None,
                  problems: list[Problem]):
    if item.station is not None:
        return item
    if only_station is None:
        problems.append(Problem(path, f"station is missing (expected a station id; "
                                      f"{_how_many_stations(program)})"))
        return item
    return item.model_copy(update={"station": only_station})


def _how_many_stations(program: Program) -> str:
    return "the program has several" if program.stations else "the program has no stations"


# --- all checks ---------------------------------------------------------------------------
def check_program(program: Program) -> list[Problem]:
    """Every cross-check's problems (the loader sorts them by position); [] when consistent."""
    catalog = program.catalog
    problems: list[Problem] = []
    problems += _unique_names(program)
    problems += _catalog_names(program, catalog)
    problems += _references(program, catalog)
    problems += _orbits(program)
    problems += _times(program)
    problems += check_feasibility(program)
    problems += _whereabouts(program)
    problems += check_ports(program, catalog)
    problems += _tracking_files(program)
    problems += _one_object(program)
    problems += check_run_needs(program)
    problems += check_trajectories(program, catalog, capsule_catalog())
    return problems


def _tracking_files(program: Program) -> list[Problem]:
    """Each tracking file names a known station and reads as element sets of one object
    (file:line:column of the first bad set, :mod:`stationsim.scenario.tracking`); SGP4 flies
    every set from its epoch, and the sets inside the span are orbits the models hold for."""
    from stationsim.errors import TLEError
    from stationsim.scenario.tracking import located_sets, tracking_path

    problems: list[Problem] = []
    stations = [station.id for station in program.stations]
    span = program.span
    for i, entry in enumerate(program.tracking_files):
        path: Path = ("tracking_files", i, "file")
        if entry.station not in stations:
            problems.append(Problem(("tracking_files", i, "station"), f"unknown station "
                                    f"(expected one of {one_of(stations)}, got {entry.station!r})"
                                    f"{did_you_mean(entry.station, stations)}"))
        try:
            file = tracking_path(entry.file, program.source)
            sets = located_sets(file)
        except TLEError as exc:
            problems.append(Problem(path, f"not a readable tracking file ({exc})"))
            continue
        for line, tle in sets:
            error = tle.satrec.sgp4_tsince(0.0)[0]
            shape = [f"SGP4 fails at its epoch ({SGP4_ERRORS[error]})"] if error else (
                [problem.message for problem in _tle_shape(tle, path)]
                if span.start.tt_s <= tle.epoch.tt_s <= span.end.tt_s else [])
            if shape:
                problems.append(Problem(path, f"{file}:{line}:1: the set of "
                                              f"{tle.epoch.utc_iso(0)}: {shape[0]}"))
                break
    return problems


def _one_object(program: Program) -> list[Problem]:
    """A station's element sets (its orbit's, pasted, and its tracking files') are of one
    object: another catalog number is another satellite's orbit adopted as the station's."""
    from stationsim.errors import TLEError
    from stationsim.scenario.tracking import read_tracking_file, tracking_path

    sets: dict[str, list[tuple[Path, int]]] = {}
    for i, station in enumerate(program.stations):
        if isinstance(station.orbit, TleOrbit) and not _tle(station.orbit.tle, ()):
            sets.setdefault(station.id, []).append((("stations", i, "orbit", "tle"),
                                                    station.orbit.record.norad_id))
    for i, entry in enumerate(program.tracking):
        if isinstance(entry, TleTracking) and not _tle(entry.tle, ()):
            sets.setdefault(entry.station, []).append((("tracking", i, "tle"),
                                                       entry.record.norad_id))
    for i, entry in enumerate(program.tracking_files):
        try:
            first = read_tracking_file(tracking_path(entry.file, program.source))[0]
        except TLEError:
            continue  # _tracking_files reports it
        sets.setdefault(entry.station, []).append((("tracking_files", i, "file"),
                                                   first.norad_id))
    problems = []
    for station, found in sets.items():
        first_path, norad_id = found[0]
        problems += [Problem(path, f"catalog number {other} differs from {norad_id} of "
                                   f"{dotted(first_path)} (expected the element sets of one "
                                   f"object, the station {station})")
                     for path, other in found[1:] if other != norad_id]
    return problems


def _unique_names(program: Program) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, Path] = {}

    def once(kind: str, value: str, path: Path, scope: str = "") -> None:
        key = f"{kind}:{scope}:{value}"
        if key in seen:
            problems.append(Problem(path, f"duplicate {kind} {value!r} (first at "
                                          f"{dotted(seen[key])})"))
        else:
            seen[key] = path

    for i, station in enumerate(program.stations):
        once("station id", station.id, ("stations", i, "id"))
        once("module name", station.modules.root, ("stations", i, "modules", "root"), station.id)
        for j, attachment in enumerate(station.modules.attach):
            name_key = "name" if attachment.name else "module"
            once("module name", attachment.instance,
                 ("stations", i, "modules", "attach", j, name_key), station.id)
        for j, docked in enumerate(station.docked):
            once("flight id", docked.id, ("stations", i, "docked", j, "id"))
    for i, flight in enumerate(program.flights):
        once("flight id", flight.id, ("flights", i, "id"))
        delivered = flight.delivers_module
        if delivered is not None and flight.target is not None:
            key = "name" if delivered.name else "module"
            once("module name", delivered.instance, ("flights", i, "delivers_module", key),
                 flight.target)
    for i, person in enumerate(program.crew):
        once("person", person.name, ("crew", i, "name"))
    return problems


def _catalog_names(program: Program, catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []

    def known(kind: str, value: str | None, path: Path, on_key: bool = False) -> None:
        table = {"vehicle": catalog.vehicles, "module": catalog.modules, "site": catalog.sites}
        if value is None or value.lower() in table[kind]:
            return
        close = catalog.suggest(kind, value, n=2)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        problems.append(Problem(path, f"unknown {kind} (expected a catalog {kind} id, got "
                                      f"{value!r}){hint}", on_key=on_key))

    for key in program.defaults:
        known("vehicle", key, ("defaults", key), on_key=True)
    for i, station in enumerate(program.stations):
        base: Path = ("stations", i)
        known("module", station.modules.root, base + ("modules", "root"))
        for j, attachment in enumerate(station.modules.attach):
            known("module", attachment.module, base + ("modules", "attach", j, "module"))
        for j, docked in enumerate(station.docked):
            known("vehicle", docked.vehicle, base + ("docked", j, "vehicle"))
    for i, flight in enumerate(program.flights):
        known("vehicle", flight.vehicle, ("flights", i, "vehicle"))
        known("site", flight.site, ("flights", i, "site"))
        if flight.delivers_module is not None:
            known("module", flight.delivers_module.module,
                  ("flights", i, "delivers_module", "module"))
    return problems


def _references(program: Program, catalog: Catalog) -> list[Problem]:
    """Station ids, flight ids, people and burners (reboost, deorbit) named must exist."""
    problems: list[Problem] = []
    people = [person.name for person in program.crew]
    stations = [station.id for station in program.stations]
    flights = [flight.id for flight in program.flights]

    def exists(kind: str, value: str | None, choices: list[str], path: Path) -> None:
        if value is not None and value not in choices:
            problems.append(Problem(path, f"unknown {kind} (expected one of "
                                          f"{one_of(choices)}, got {value!r})"
                                          f"{did_you_mean(value, choices)}"))

    def crew(names: Iterable[str], path: Path) -> None:
        for k, name in enumerate(names):
            exists("person", name, people, path + (k,))

    for i, station in enumerate(program.stations):
        crew(station.crew_aboard, ("stations", i, "crew_aboard"))
        for j, docked in enumerate(station.docked):
            crew(docked.crew_down, ("stations", i, "docked", j, "crew_down"))
    for i, flight in enumerate(program.flights):
        exists("station", flight.target, stations, ("flights", i, "target"))
        crew(flight.crew_up, ("flights", i, "crew_up"))
        crew(flight.crew_down, ("flights", i, "crew_down"))
        problems += _carrier(program, i, flight)
    for i, event in enumerate(program.events):
        exists("station", event.station, stations, ("events", i, "station"))
        if isinstance(event, RelocateEvent):
            exists("flight", event.flight, flights + _docked_ids(program), ("events", i, "flight"))
        else:  # the modules (on the event's station), flights and people it names
            modules = _module_names(program, event.station) if event.station in stations else []
            for key in ("module", "airlock") if modules else ():
                exists("module", getattr(event, key, None), modules, ("events", i, key))
            exists("flight", getattr(event, "flight", None), flights + _docked_ids(program),
                   ("events", i, "flight"))
            crew(getattr(event, "crew", ()), ("events", i, "crew"))
    for i, entry in enumerate(program.tracking):
        exists("station", entry.station, stations, ("tracking", i, "station"))
    for i, station in enumerate(program.stations):
        if station.reboost is not None:
            burners = sorted(catalog.vehicles) + _module_names(program, station.id)
            for k, name in enumerate(station.reboost.by):
                exists("vehicle or module", name, burners, ("stations", i, "reboost", "by", k))
    for i, event in enumerate(program.events):
        if isinstance(event, ReboostEvent | DeorbitEvent) and event.station in stations:
            burners = (flights + _docked_ids(program) + sorted(catalog.vehicles)
                       + _module_names(program, event.station))
            exists("flight, vehicle or module", event.by, burners, ("events", i, "by"))
    return problems


def _carrier(program: Program, index: int, flight: Flight) -> list[Problem]:
    """A carried module names a flight with a vehicle, launched with it, to the same station;
    its berthing day is one of the carrier's written flight days from its docking on."""
    if flight.carried_by is None:
        return []
    path: Path = ("flights", index, "carried_by")
    carriers = [f for f in program.flights if f.vehicle is not None and f.id != flight.id]
    carrier = next((f for f in carriers if f.id == flight.carried_by), None)
    if carrier is None:
        names = [f.id for f in carriers]
        return [Problem(path, f"unknown flight with a vehicle (expected one of "
                              f"{one_of(names)}, got {flight.carried_by!r})"
                              f"{did_you_mean(flight.carried_by, names)}")]
    if carrier.launch_utc != flight.launch_utc or carrier.target != flight.target:
        return [Problem(path, f"a carried module launches with its carrier to its station: "
                              f"expected launch_utc {carrier.launch_utc} and target "
                              f"{carrier.target}, got {flight.launch_utc} and {flight.target}")]
    day = flight.berth_flight_day
    if day is not None and (carrier.docking_flight_day is None
                            or day < carrier.docking_flight_day):
        return [Problem(("flights", index, "berth_flight_day"),
                        f"the berthing day counts the carrier's flight days from its written "
                        f"docking_flight_day on (expected a day >= "
                        f"{carrier.docking_flight_day or 'the carrier writing one'}, got {day})")]
    return []


def _module_names(program: Program, station_id: str) -> list[str]:
    """Instance names of every module the station starts with or receives."""
    station = program.station(station_id)
    names = [station.modules.root] + [a.instance for a in station.modules.attach]
    return names + [flight.delivers_module.instance for flight in program.flights
                    if flight.delivers_module is not None and flight.target == station_id]


def _docked_ids(program: Program) -> list[str]:
    return [docked.id for station in program.stations for docked in station.docked]


def _orbits(program: Program) -> list[Problem]:
    problems: list[Problem] = []
    for i, station in enumerate(program.stations):
        path: Path = ("stations", i, "orbit")
        orbit = station.orbit
        if isinstance(orbit, TleOrbit):
            problems += _tle(orbit.tle, path + ("tle",))
        elif orbit.apogee_km < orbit.perigee_km:
            problems.append(Problem(path + ("apogee_km",), f"below perigee (expected >= "
                                                           f"perigee_km {orbit.perigee_km:g}, got "
                                                           f"{orbit.apogee_km:g})"))
        reboost = station.reboost
        band: Path = ("stations", i, "reboost", "max_mean_altitude_km")
        if reboost is not None and reboost.max_mean_altitude_km <= reboost.min_mean_altitude_km:
            problems.append(Problem(band, f"not above the minimum (expected > "
                                          f"{reboost.min_mean_altitude_km:g}, got "
                                          f"{reboost.max_mean_altitude_km:g})"))
        elif reboost is not None:
            problems += _apogee(reboost.max_mean_altitude_km, band)
    for i, entry in enumerate(program.tracking):
        if isinstance(entry, TleTracking):
            problems += _tle(entry.tle, ("tracking", i, "tle"))
    for i, event in enumerate(program.events):
        if isinstance(event, ReboostEvent) and event.target_mean_altitude_km is not None:
            problems += _apogee(event.target_mean_altitude_km,
                                ("events", i, "target_mean_altitude_km"))
    return problems


def _tle(tle: str | list[str], path: Path) -> list[Problem]:
    rows = tle_rows(tle)
    if len(rows) not in (2, 3):
        return [Problem(path, f"wrong number of lines (expected 2 element lines, optionally "
                              f"after a name line, got {len(rows)})")]
    problems = []
    first = len(rows) - 2
    for number, column, message in tle_problems(rows[first], rows[first + 1]):
        if isinstance(tle, str):
            problems.append(Problem(path, f"line {number} column {column}: {message}",
                                    row=first + number, column=column))
        else:
            problems.append(Problem(path + (first + number - 1,),
                                    f"column {column}: {message}"))
    return problems


# --- times --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Clock:
    start: Epoch
    end: Epoch

    def inside(self, when: Epoch, what: str, path: Path) -> list[Problem]:
        if self.start.tt_s <= when.tt_s <= self.end.tt_s:
            return []
        return [Problem(path, f"{what} outside the program span (expected "
                              f"{self.start.utc_iso(0)} to {self.end.utc_iso(0)}, got "
                              f"{when.utc_iso(0)})")]


def _after(later: Epoch | None, earlier: Epoch, what: str, path: Path) -> list[Problem]:
    if later is None or later.tt_s > earlier.tt_s:
        return []
    return [Problem(path, f"out of order (expected after {what} {earlier.utc_iso(0)}, got "
                          f"{later.utc_iso(0)})")]


def _times(program: Program) -> list[Problem]:
    span = program.span
    if span.end.tt_s <= span.start.tt_s:
        return _after(span.end, span.start, "start_utc", ("span", "end_utc"))
    clock = _Clock(span.start, span.end)
    problems: list[Problem] = []
    for i, station in enumerate(program.stations):
        problems += _orbit_epoch(program, i)
        for j, docked in enumerate(station.docked):
            path: Path = ("stations", i, "docked", j)
            undock_path = path + ("undock_utc",)
            problems += _after(docked.undock, span.start, "span start", undock_path)
            if docked.landing is not None and docked.undock is not None:
                problems += _after(docked.landing, docked.undock, "undocking",
                                   path + ("landing_utc",))
    for i, flight in enumerate(program.flights):
        path = ("flights", i)
        launch_key = "launch_utc" if flight.launch_utc is not None else "earliest_launch_utc"
        problems += clock.inside(flight.launch, "launch", path + (launch_key,))
        undock = flight.undock
        if flight.undock_utc is not None:
            problems += _after(undock, flight.launch, "launch", path + ("undock_utc",))
        if flight.landing is not None:
            before, what = ((flight.launch, "launch") if undock is None or flight.launch_failure
                            else (undock, "undocking"))
            problems += _after(flight.landing, before, what, path + ("landing_utc",))
        for k, move in enumerate(flight.relocations):  # after docking: checked with the ports
            move_path = path + ("relocations", k, "at_utc")
            if undock is not None and move.at.tt_s >= undock.tt_s:
                problems.append(Problem(move_path, f"out of order (expected before undocking "
                                                   f"{undock.utc_iso(0)}, got "
                                                   f"{move.at.utc_iso(0)})"))
    for i, event in enumerate(program.events):
        problems += clock.inside(event.at, f"{event.type} event", ("events", i, "at_utc"))
        if hasattr(event, "until"):
            problems += clock.inside(event.until, f"{event.type} event", ("events", i,
                                                                          "until_utc"))
        if getattr(event, "landing", None) is not None:  # an early return lands after it
            problems += _after(event.landing, event.at, "at_utc", ("events", i, "landing_utc"))
    for i, entry in enumerate(program.tracking):
        key = "tle" if isinstance(entry, TleTracking) else "epoch_utc"
        if key == "tle" and _tle(entry.tle, ()):
            continue  # a malformed TLE has no epoch; _orbits reports it
        problems += clock.inside(entry.epoch, "tracking epoch", ("tracking", i, key))
    return problems


MAX_ORBIT_EPOCH_DAYS = 366.0
"""Farthest a station's orbit epoch may be from the span's start: the engine carries the
station from it to the start (the bundled programs' are 45 days before to 33 after; one
written ten years early cost a 4-month program 30 s of propagation)."""


def _orbit_epoch(program: Program, index: int) -> list[Problem]:
    orbit = program.stations[index].orbit
    if isinstance(orbit, TleOrbit) and _tle(orbit.tle, ()):
        return []  # a malformed TLE has no epoch; _orbits reports it
    days = (orbit.epoch.tt_s - program.span.start.tt_s) / DAY_S
    if abs(days) <= MAX_ORBIT_EPOCH_DAYS:
        return []
    key = "epoch_utc" if isinstance(orbit, ElementsOrbit) else "tle"
    when = "before" if days < 0 else "after"
    return [Problem(("stations", index, "orbit", key), (
        f"{abs(days):,.0f} days {when} the span's start (expected an orbit within "
        f"{MAX_ORBIT_EPOCH_DAYS:.0f} days of {program.span.start_utc}: the station is carried "
        f"from it to the start)"))]


# --- crew ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Move:
    """A person boards (``up``) or leaves (``down``) a flight at a time; path for the message."""

    tt_s: float
    order: int  # departures (0) before arrivals (1) at the same instant
    person: str
    flight: str
    station: str | None
    up: bool
    path: Path


def _whereabouts(program: Program) -> list[Problem]:
    """Each person is in one place at a time: on the ground, on one flight or one station."""
    moves: list[_Move] = []
    start_s = program.span.start.tt_s
    for i, station in enumerate(program.stations):
        for k, name in enumerate(station.crew_aboard):
            moves.append(_Move(start_s, 1, name, "the initial crew", station.id, True,
                               ("stations", i, "crew_aboard", k)))
    for i, station in enumerate(program.stations):
        for j, docked in enumerate(station.docked):
            when = docked.undock.tt_s if docked.undock is not None else None
            for k, name in enumerate(docked.crew_down):
                path: Path = ("stations", i, "docked", j, "crew_down", k)
                if when is not None:
                    moves.append(_Move(when, 0, name, docked.id, station.id, False, path))
    for i, flight in enumerate(program.flights):
        if flight.launch_failure is not None:
            continue  # its crew never leaves the ground
        launch_s = flight.launch.tt_s
        for k, name in enumerate(flight.crew_up):
            moves.append(_Move(launch_s, 1, name, flight.id, flight.target, True,
                               ("flights", i, "crew_up", k)))
        end = _return_time(flight)
        down = flight.crew_down if flight.target is not None else flight.crew_up
        key = "crew_down" if flight.target is not None else "crew_up"
        for k, name in enumerate(down if end is not None else ()):
            moves.append(_Move(end, 0, name, flight.id, flight.target, False,
                               ("flights", i, key, k)))
    moves.sort(key=lambda move: (move.tt_s, move.order))
    where: dict[str, tuple[str | None, str, float]] = {}  # person -> (station, flight, since)
    problems: list[Problem] = []
    for move in moves:
        here = where.get(move.person)
        if move.up:
            if here is not None:
                station, flight, since = here
                place = f"aboard {station}" if station else f"on {flight}"
                doing = ("named twice in crew_aboard" if "crew_aboard" in move.path
                         else f"launching on {move.flight}")
                problems.append(Problem(move.path, f"{move.person!r} is in two places at once "
                                                   f"(already {place} since "
                                                   f"{Epoch(since).utc_iso(0)}, {doing})"))
                continue
            where[move.person] = (move.station, move.flight, move.tt_s)
        else:
            aboard = here is not None and (here[0] == move.station if move.station
                                           else here[1] == move.flight)
            if not aboard:
                place = "on the ground" if here is None else (
                    f"aboard {here[0]}" if here[0] else f"on {here[1]}")
                problems.append(Problem(move.path, f"{move.person!r} cannot leave on "
                                                   f"{move.flight} at {Epoch(move.tt_s).utc_iso(0)}"
                                                   f" (expected aboard "
                                                   f"{move.station or move.flight}, got {place})"))
                continue
            del where[move.person]
    return problems


def _return_time(flight: Flight) -> float | None:
    """When a flight's crew leaves space (undocking, else landing); None if never given."""
    for when in (flight.undock, flight.landing):
        if when is not None:
            return when.tt_s
    return None


# --- what a run needs ---------------------------------------------------------------------
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
"""A program name: it names the run folder ``runs/<name>``, so a plain file name and no path."""
_DEVICE_NAMES = re.compile(r"(con|prn|aux|nul|com\d|lpt\d)(\..*)?", re.IGNORECASE)  # Windows

MAX_SEED = 2**63 - 1
"""Seeds are kept in the results store as signed 64-bit integers (DuckDB BIGINT)."""

MAX_APOGEE_KM = 20_000.0
"""Highest apogee the orbit models hold for: they have the Earth's zonal gravity and drag but
not the Moon and the Sun, whose pull drives the perigee of high, eccentric orbits (GTO,
Molniya) more than drag does (King-Hele, "Lifetime prediction for satellites in low-inclination
transfer orbits", RAE report, 1981; Skoulidou et al., "Dynamical lifetime survey of geostationary
transfer orbits", Celest. Mech. Dyn. Astron., 2019, arXiv:1904.05639)."""

SPACE_WEATHER_MARGIN_DAYS = 3
"""Days kept inside the ends of the bundled space weather: a station's density table reaches a
day beyond the span and NRLMSIS reads the day before each of its rows."""


def check_run_needs(program: Program) -> list[Problem]:
    """What ``run`` (and ``campaign``) need beyond a consistent file: a safe name, seeds, space
    weather, orbits, a campaign flight that meets a station and dispersions it can draw."""
    return (_program_name(program.name) + _seeds(program) + _space_weather(program)
            + _orbit_shapes(program) + _campaign_flight(program) + _campaign_vary(program))


def _program_name(name: str) -> list[Problem]:
    if NAME_PATTERN.fullmatch(name) and not _DEVICE_NAMES.fullmatch(name):
        return []
    return [Problem(("name",), f"not a plain name (expected 1 to 64 letters, digits, '.', '_' "
                               f"or '-', starting with a letter or digit: it names the run "
                               f"folder runs/<name>; got {name!r})")]


def _seeds(program: Program) -> list[Problem]:
    seeds = [(("seed",), program.seed)]
    if program.campaign is not None:
        seeds.append((("campaign", "seed"), program.campaign.seed))
    return [Problem(path, f"out of range (expected <= {MAX_SEED}, a 64-bit integer, got {seed})")
            for path, seed in seeds if seed is not None and seed > MAX_SEED]


def space_weather_limits() -> tuple[Epoch, Epoch, str]:
    """First and last instants a simulation may reach with the bundled space weather, and a
    phrase saying so for messages."""
    first_utc, last_utc = _bundled_weather_dates()
    margin_s = SPACE_WEATHER_MARGIN_DAYS * DAY_S
    first = Epoch.from_utc_iso(f"{first_utc}T00:00:00Z") + margin_s
    last = Epoch.from_utc_iso(f"{last_utc}T00:00:00Z") + DAY_S - margin_s
    covers = (f"{first.utc_iso(0)[:10]} to {last.utc_iso(0)[:10]}, {SPACE_WEATHER_MARGIN_DAYS} "
              f"days inside the bundled space weather, {first_utc} to {last_utc}")
    return first, last, covers


def _bundled_weather_dates() -> tuple[str, str]:
    """First and last dates of the bundled space weather, kept in the disk cache: parsing the
    whole file for them cost a warm run a fifth of a second."""
    data = resources.files("stationsim").joinpath(BUNDLED_RESOURCE).read_bytes()

    def read() -> tuple[str, str]:
        weather = SpaceWeather.bundled()
        return weather.first_utc, weather.last_utc

    first_utc, last_utc = cached("space-weather", "first and last dates", data, read)
    return first_utc, last_utc


def _space_weather(program: Program) -> list[Problem]:
    """The span (and the epochs the stations start from) inside the bundled space weather."""
    first, last, covers = space_weather_limits()
    times: list[tuple[Path, Epoch]] = [(("span", "start_utc"), program.span.start),
                                       (("span", "end_utc"), program.span.end)]
    for i, station in enumerate(program.stations):
        if isinstance(station.orbit, ElementsOrbit):
            times.append((("stations", i, "orbit", "epoch_utc"), station.orbit.epoch))
        elif not _tle(station.orbit.tle, ()):
            times.append((("stations", i, "orbit", "tle"), station.orbit.epoch))
    return [Problem(path, f"outside the bundled space weather (expected {covers}, got "
                          f"{when.utc_iso(0)})")
            for path, when in times if not first.tt_s <= when.tt_s <= last.tt_s]


def _orbit_shapes(program: Program) -> list[Problem]:
    """Closed orbits above the surface, with apogees the models hold for."""
    problems: list[Problem] = []
    orbits: list[tuple[Path, object]] = [(("stations", i, "orbit"), station.orbit)
                                         for i, station in enumerate(program.stations)]
    orbits += [(("flights", i, "orbit"), flight.orbit) for i, flight in enumerate(program.flights)
               if flight.orbit is not None]
    orbits += [(("tracking", i), entry) for i, entry in enumerate(program.tracking)]
    for path, orbit in orbits:
        if isinstance(orbit, ElementsOrbit):
            problems += _apogee(orbit.apogee_km, path + ("apogee_km",))
        elif isinstance(orbit, StateTracking):
            problems += _state_shape(orbit, path)
        elif not _tle(orbit.tle, ()):
            problems += _tle_shape(orbit.record, path + ("tle",))
    return problems


def _tle_shape(record: Tle, path: Path) -> list[Problem]:
    """An element set's perigee above the surface and apogee within the models' reach."""
    a_m, e = record.semi_major_axis_m, record.eccentricity
    return _perigee(a_m * (1.0 - e), path) + _apogee((a_m * (1.0 + e) - R_EARTH_M) / KM, path)


def _perigee(perigee_radius_m: float, path: Path) -> list[Problem]:
    if perigee_radius_m > R_EARTH_M:
        return []
    return [Problem(path, f"perigee below the surface (expected a perigee above 0 km, got "
                          f"{(perigee_radius_m - R_EARTH_M) / KM:.0f} km)")]


def _apogee(apogee_km: float, path: Path) -> list[Problem]:
    if apogee_km <= MAX_APOGEE_KM:
        return []
    if apogee_km >= LUNAR_REACH_KM:
        return [Problem(path, f"an Earth orbit that reaches the Moon's distance (expected an "
                              f"apogee of at most {MAX_APOGEE_KM:.0f} km for the orbit models, "
                              f"got {apogee_km:.0f} km); a flight to the Moon is a trajectory "
                              f"with third_bodies: [moon, sun], a lunar orbit one with "
                              f"central_body: moon (docs/programs.md, 'Trajectories')")]
    return [Problem(path, f"apogee too high for the orbit models (expected at most "
                          f"{MAX_APOGEE_KM:.0f} km: above it the Moon's and Sun's pull, not "
                          f"modelled, drives the orbit; got {apogee_km:.0f} km)")]


def _state_shape(state: StateTracking, path: Path) -> list[Problem]:
    r_m, v_mps = float(np.linalg.norm(state.r_gcrf_m)), float(np.linalg.norm(state.v_gcrf_mps))
    if not r_m > R_EARTH_M:
        return [Problem(path + ("r_km",), f"inside the Earth (expected a distance above "
                                          f"{R_EARTH_M / KM:.3f} km, got {r_m / KM:.3f} km)")]
    escape_mps = float(np.sqrt(2.0 * GM_EARTH_M3PS2 / r_m))
    if not v_mps < escape_mps:
        return [Problem(path + ("v_kmps",), f"not a closed orbit (expected a speed below the "
                                            f"escape speed {escape_mps / KM:.3f} km/s at that "
                                            f"distance, got {v_mps / KM:.3f} km/s)")]
    a_m = 1.0 / (2.0 / r_m - v_mps**2 / GM_EARTH_M3PS2)  # vis-viva
    h_mps = float(np.linalg.norm(np.cross(state.r_gcrf_m, state.v_gcrf_mps)))
    e = float(np.sqrt(max(0.0, 1.0 - h_mps**2 / (GM_EARTH_M3PS2 * a_m))))
    return (_perigee(a_m * (1.0 - e), path + ("v_kmps",))
            or _apogee((a_m * (1.0 + e) - R_EARTH_M) / KM, path + ("v_kmps",)))


def _campaign_vary(program: Program) -> list[Problem]:
    """Each of the campaign's ``vary`` specs as ``stationsim campaign`` will read it."""
    from stationsim.scenario.dispersion_spec import read_spec

    problems, seen = [], set()
    for index, text in enumerate(program.campaign.vary if program.campaign else []):
        try:
            name, _ = read_spec(text)
        except ValueError as exc:
            problems.append(Problem(("campaign", "vary", index), str(exc)))
            continue
        if name in seen:
            problems.append(Problem(("campaign", "vary", index), f"varies {name} a second "
                                                                 "time (expected each once)"))
        seen.add(name)
    return problems


def _campaign_flight(program: Program) -> list[Problem]:
    if program.campaign is None:
        return []
    wanted = program.campaign.flight
    flights = {flight.id: flight for flight in program.flights}
    path: Path = ("campaign", "flight")
    if wanted not in flights:
        return [Problem(path, f"unknown flight (expected one of {one_of(list(flights))}, got "
                              f"{wanted!r}){did_you_mean(wanted, flights)}")]
    lands = flights[wanted].trajectory is not None and flights[wanted].trajectory.entry
    if flights[wanted].target is None and not lands:
        return [Problem(path, f"{wanted!r} meets no station (expected a flight to a station, "
                              f"whose rendezvous a campaign flies, or a trajectory with an "
                              f"entry, whose landing it flies)")]
    return []
