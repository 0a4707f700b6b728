"""The port timeline of each station, replayed on the hardware assembly graph.

Arrivals, relocations and departures are applied in time order to a
:class:`stationsim.hardware.station.Station`; whatever it refuses (a busy port, mechanisms or
roles that do not mate, an unknown module or port) becomes a problem at the entry that asked
for it. A flight holds its port from its earliest docking (launch plus the shortest
launch-to-docking time of its profile, or the start of its docking flight day) to undocking; a
flight with ``earliest_launch_utc`` waits for a busy port to be freed. At one instant
departures come first, then relocations, then arrivals.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch
from stationsim.errors import DockingError
from stationsim.hardware.catalog import Catalog
from stationsim.hardware.mechanisms import compatible, partners
from stationsim.hardware.module import ModuleType
from stationsim.hardware.station import Station as Assembly
from stationsim.hardware.vehicle import VehicleType
from stationsim.scenario.problems import Path, Problem, did_you_mean, one_of
from stationsim.scenario.schema import DeorbitEvent, Flight, Program, RelocateEvent, Station

# Shortest launch-to-docking time of each profile, days (a lower bound for holding a port).
SHORTEST_RENDEZVOUS_DAYS = {
    "soyuz-two-day": 2.0,  # ~34 orbits; Soyuz TM-21 2 d 1 h 34 m (rendezvous_profiles.csv)
    "shuttle": 1.5,  # docking on flight day 3; STS-71 41.5 h (rendezvous_profiles.csv)
    "apollo": 1.5,  # docking on the third day, as the Shuttle
    "coelliptic": 0.5,  # co-elliptic phasing needs at least ~8 orbits (Fehse 2003, ch. 2)
    "soyuz-four-orbit": 4 * 92.0 / 1440.0,  # four ~92-minute orbits
    "soyuz-two-orbit": 2 * 92.0 / 1440.0,  # two ~92-minute orbits
}

DEPART, MOVE, ARRIVE = 0, 1, 2

Change = Callable[[Assembly, float], object]


@dataclass(order=True)
class _Step:
    """One change to a station's assembly at ``tt_s`` (ordered by time, kind, file order).

    ``waits_for`` is the port an arrival may wait for (``earliest_launch_utc`` flights) and
    ``leaves_s`` its undocking, past which it cannot wait.
    """

    tt_s: float
    kind: int
    index: int
    apply: Change = field(compare=False)
    path: Path = field(compare=False)
    what: str = field(compare=False)
    waits_for: str | None = field(default=None, compare=False)
    leaves_s: float | None = field(default=None, compare=False)


def check_ports(program: Program, catalog: Catalog) -> list[Problem]:
    """Replay every station's port timeline; one problem per refused change."""
    problems: list[Problem] = []
    for index, station in enumerate(program.stations):
        problems += _station_timeline(program, index, station, catalog)
    return problems


def earliest_docking_s(flight: Flight) -> float:
    """Earliest docking of a flight, TT seconds: launch + its profile's shortest rendezvous,
    or later when ``docking_flight_day`` says so (flight day N starts ~N - 1.5 days after a
    launch that happens mid-day)."""
    hold_days = SHORTEST_RENDEZVOUS_DAYS.get(flight.profile or "", 0.0)
    if flight.docking_flight_day is not None:
        hold_days = max(hold_days, flight.docking_flight_day - 1.5)
    return flight.launch.tt_s + hold_days * DAY_S


def _station_timeline(program: Program, index: int, station: Station,
                      catalog: Catalog) -> list[Problem]:
    root = catalog.modules.get(station.modules.root.lower())
    if root is None:
        return []  # reported with the catalog names
    assembly = Assembly(root, has_arm=station.has_arm, root_name=station.modules.root)
    problems: list[Problem] = []
    start_s = program.span.start.tt_s
    base: Path = ("stations", index)
    for j, attachment in enumerate(station.modules.attach):
        module = catalog.modules.get(attachment.module.lower())
        if module is not None:
            _apply(assembly, problems, base + ("modules", "attach", j, "at"), "attach",
                   _attacher(attachment.instance, module, attachment.at, attachment.via, None),
                   start_s)
    steps: list[_Step] = []
    for j, docked in enumerate(station.docked):
        vehicle = catalog.vehicles.get(docked.vehicle.lower())
        until_s = None if docked.undock is None else docked.undock.tt_s
        if vehicle is None or (until_s is not None and until_s <= start_s):
            continue  # reported with the names and times
        _apply(assembly, problems, base + ("docked", j, "port"), "dock",
               _attacher(docked.id, vehicle, docked.port, None, until_s), start_s)
        if until_s is not None:
            steps.append(_Step(until_s, DEPART, len(steps), _detacher(docked.id),
                               base + ("docked", j, "undock_utc"), "undock"))
    steps += _flight_steps(program, station, catalog, len(steps), problems)
    steps += _event_steps(program, station, len(steps), problems)
    heapq.heapify(steps)
    deorbit_s = None
    while steps:
        step = heapq.heappop(steps)
        if deorbit_s is not None and step.kind == ARRIVE:
            problems.append(Problem(step.path, f"{station.id} is deorbited (expected an arrival "
                                               f"before {Epoch(deorbit_s).utc_iso(0)}, got "
                                               f"{Epoch(step.tt_s).utc_iso(0)})"))
        elif step.what == "deorbit":
            deorbit_s = step.tt_s
        elif (free_s := _port_frees_s(assembly, step)) is not None:
            heapq.heappush(steps, replace(step, tt_s=free_s))
        else:
            _apply(assembly, problems, step.path, step.what, step.apply, step.tt_s)
    return problems


def _port_frees_s(assembly: Assembly, step: _Step) -> float | None:
    """When the port a waiting arrival wants is freed, if it is busy now and freed in time."""
    if step.waits_for is None or step.waits_for.partition(".")[0] not in assembly.modules():
        return None
    occupant = assembly.occupant(step.waits_for)
    until_s = None if occupant is None else assembly.item(occupant).until_s
    if until_s is None or until_s <= step.tt_s:
        return None
    return until_s if step.leaves_s is None or until_s < step.leaves_s else None


def _apply(assembly: Assembly, problems: list[Problem], path: Path, what: str, change: Change,
           tt_s: float) -> None:
    try:
        change(assembly, tt_s)
    except (DockingError, ValueError) as exc:
        problems.append(Problem(path, f"cannot {what} at {Epoch(tt_s).utc_iso(0)}: {exc}"))


def _attacher(name: str, item: ModuleType | VehicleType, at: str, via: str | None,
              until_s: float | None) -> Change:
    def attach(assembly: Assembly, tt_s: float) -> None:
        why = _port_problem(assembly, at, item, via)
        if why is not None:
            raise DockingError(why)
        assembly.attach(name, item, at=at, via_port=via, t_s=tt_s, until_s=until_s)
    return attach


def _detacher(name: str) -> Change:
    def detach(assembly: Assembly, tt_s: float) -> None:
        if name in assembly:  # an arrival refused earlier has already been reported
            assembly.detach(name)
    return detach


def _no_change(assembly: Assembly, tt_s: float) -> None:
    """A deorbit leaves the assembly as it is; only arrivals after it are refused."""


def _mover(name: str, to: str, via: str | None, is_flight: bool) -> Change:
    def move(assembly: Assembly, tt_s: float) -> None:
        if name not in assembly:
            if is_flight:  # a refused arrival has already been reported
                return
            names = assembly.modules()
            raise DockingError(f"not on the station (expected one of {one_of(names)}, got "
                               f"{name!r}){did_you_mean(name, names)}")
        current = assembly.item(name)
        own_port = via or (current.via_port if isinstance(current.item, ModuleType) else None)
        why = _port_problem(assembly, to, current.item, own_port)
        if why is not None:
            raise DockingError(why)
        assembly.relocate(name, to, via_port=via, t_s=tt_s)
    return move


def _port_problem(assembly: Assembly, at: str, item: ModuleType | VehicleType,
                  via: str | None) -> str | None:
    """Why ``item`` cannot take port ``at`` now, in the program's words; None if it can as far
    as names, occupancy and mechanisms go (the assembly graph then checks roles and arm)."""
    module, _, port = at.partition(".")
    modules = assembly.modules()
    if module not in modules:
        return (f"no such module on the station (expected one of {one_of(modules)}, got "
                f"{module!r}){did_you_mean(module, modules)}")
    ports = assembly.item(module).item.ports
    if port not in ports:
        return (f"no such port on {module} (expected one of {one_of(list(ports))}, got "
                f"{port!r}){did_you_mean(port, ports)}")
    if isinstance(item, ModuleType):
        if via is not None and via not in item.ports:
            return (f"{item.name} has no port {via!r} (expected one of "
                    f"{one_of(list(item.ports))}){did_you_mean(via, item.ports)}")
        own = [item.ports[via].mechanism] if via is not None else [
            spec.mechanism for spec in item.ports.values()]
    else:
        own = list(item.mechanisms)
    fits = f"; free ports that fit: {one_of(assembly.ports_that_fit(item), 12)}"
    occupant = assembly.occupant(at)
    if occupant is not None:
        until_s = assembly.item(occupant).until_s
        until = "" if until_s is None else f" until {Epoch(until_s).utc_iso(0)}"
        return f"port {at} is busy (expected a free port, got {occupant!r}{until}){fits}"
    mechanism = ports[port].mechanism
    if not any(compatible(mechanism, other) for other in own):
        return (f"mechanisms do not mate (expected {one_of(partners(mechanism))} for {at}, "
                f"got {' or '.join(own) or 'no docking mechanism'} on {item.name}){fits}")
    return None


def _flight_steps(program: Program, station: Station, catalog: Catalog, first: int,
                  problems: list[Problem]) -> list[_Step]:
    steps: list[_Step] = []
    seen: set[str] = set()
    for i, flight in enumerate(program.flights):
        if flight.target != station.id or flight.id in seen or flight.launch_failure:
            continue  # a duplicate id is reported with the names; a lost flight never docks
        seen.add(flight.id)
        path: Path = ("flights", i)
        undock = flight.undock
        until_s = None if undock is None else undock.tt_s
        if until_s is not None and until_s <= flight.launch.tt_s:
            continue  # times out of order are reported on their own
        arrival_s = earliest_docking_s(flight)
        if until_s is not None and until_s <= arrival_s:
            key = "undock_utc" if flight.undock_utc is not None else "stay_days"
            problems.append(Problem(path + (key,), f"undocks before it can dock (expected after "
                                                   f"{Epoch(arrival_s).utc_iso(0)}, the earliest "
                                                   f"docking, got {undock.utc_iso(0)})"))
            continue
        waits = flight.earliest_launch_utc is not None
        delivered = flight.delivers_module
        module = None if delivered is None else catalog.modules.get(delivered.module.lower())
        if module is not None:
            steps.append(_Step(arrival_s, ARRIVE, first + len(steps),
                               _attacher(delivered.instance, module, delivered.berth_at,
                                         delivered.via, None),
                               path + ("delivers_module", "berth_at"), "berth",
                               delivered.berth_at if waits else None, until_s))
        vehicle = catalog.vehicles.get((flight.vehicle or "").lower())
        if vehicle is None or flight.port is None:
            continue
        steps.append(_Step(arrival_s, ARRIVE, first + len(steps),
                           _attacher(flight.id, vehicle, flight.port, None, until_s),
                           path + ("port",), "dock", flight.port if waits else None, until_s))
        for k, move in enumerate(flight.relocations):
            move_path = path + ("relocations", k, "at_utc")
            if move.at.tt_s <= arrival_s:
                problems.append(Problem(move_path, f"out of order (expected after "
                                                   f"{Epoch(arrival_s).utc_iso(0)}, the earliest "
                                                   f"docking, got {move.at.utc_iso(0)})"))
                continue
            steps.append(_Step(move.at.tt_s, MOVE, first + len(steps),
                               _mover(flight.id, move.to, None, True),
                               path + ("relocations", k, "to"), "relocate"))
        if until_s is not None:
            steps.append(_Step(until_s, DEPART, first + len(steps), _detacher(flight.id),
                               path + ("undock_utc",), "undock"))
    return steps


def _event_steps(program: Program, station: Station, first: int,
                 problems: list[Problem]) -> list[_Step]:
    arrivals_s = {flight.id: earliest_docking_s(flight) for flight in program.flights}
    steps: list[_Step] = []
    for i, event in enumerate(program.events):
        if event.station != station.id:
            continue
        path: Path = ("events", i)
        if isinstance(event, RelocateEvent):
            arrival_s = arrivals_s.get(event.flight or "")
            if arrival_s is not None and event.at.tt_s <= arrival_s:
                problems.append(Problem(path + ("at_utc",), f"out of order (expected after "
                                                            f"{Epoch(arrival_s).utc_iso(0)}, "
                                                            f"the earliest docking of "
                                                            f"{event.flight}, got "
                                                            f"{event.at.utc_iso(0)})"))
                continue
            name = event.module or event.flight
            steps.append(_Step(event.at.tt_s, MOVE, first + len(steps),
                               _mover(name, event.to, event.via, event.flight is not None),
                               path + ("to",), "relocate"))
        elif isinstance(event, DeorbitEvent):
            steps.append(_Step(event.at.tt_s, DEPART, first + len(steps), _no_change,
                               path, "deorbit"))
    return steps
