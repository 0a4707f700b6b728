"""Stations as built: a program's final module configuration from the hardware catalog.

The program's modules are assembled in time order (initial attachments, then the delivered
modules by launch time and the module relocations by date; a relocation at the same instant
as a launch goes first, as it made room for it), without simulating anything else. Mass and
volumes are the catalog's, modules only: docked vehicles, trusses and arrays are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from stationsim.hardware.catalog import load_catalog
from stationsim.hardware.station import Station

if TYPE_CHECKING:
    from stationsim.scenario.schema import Program


@dataclass(frozen=True)
class AsBuilt:
    """A station's final configuration: modules and adapters (docking modules, PMAs), mass
    (kg) and volumes (m^3) of both, and the seats of its lifeboats."""

    station: str
    program: str
    modules: tuple[str, ...]
    adapters: tuple[str, ...]
    mass_kg: float
    pressurized_volume_m3: float
    habitable_volume_m3: float
    crew_seats: int
    lifeboats_source: str


def assembled_station(program: Program, station_id: str | None = None) -> Station:
    """The station ``station_id`` (default: the program's first) with every module attached."""
    catalog = load_catalog()
    spec = next((s for s in program.stations if station_id in (None, s.id)), None)
    if spec is None:
        raise ValueError(f"program {program.name!r} has no station {station_id!r}; stations: "
                         f"{', '.join(s.id for s in program.stations)}")
    station = Station(catalog.module(spec.modules.root), has_arm=spec.has_arm)
    for item in spec.modules.attach:
        station.attach(item.instance, catalog.module(item.module), at=item.at, via_port=item.via)
    steps = []
    for flight in program.flights:
        delivered = flight.delivers_module
        if delivered is not None and flight.target in (None, spec.id):
            steps.append((flight.launch.tt_s, 1, "attach", delivered))
    for event in program.events:
        if event.type == "relocate" and event.module and event.station in (None, spec.id):
            steps.append((event.at.tt_s, 0, "relocate", event))
    for _, _, action, step in sorted(steps, key=lambda s: (s[0], s[1])):
        if action == "attach":
            station.attach(step.instance, catalog.module(step.module), at=step.berth_at,
                           via_port=step.via)
        else:
            station.relocate(step.module, step.to, via_port=step.via)
    return station


def as_built(
    station_name: str,
    program: Program,
    lifeboats: list[str],
    lifeboats_source: str,
) -> AsBuilt:
    """The as-built summary of ``program``'s station, with the crew its lifeboats seat."""
    catalog = load_catalog()
    station = assembled_station(program)
    return AsBuilt(
        station_name,
        program.name,
        tuple(name for name in station.modules() if not station.item(name).item.adapter),
        tuple(name for name in station.modules() if station.item(name).item.adapter),
        station.mass_kg(),
        station.pressurized_volume_m3(),
        station.habitable_volume_m3(),
        sum(catalog.vehicle(name).seats for name in lifeboats),
        " ".join(lifeboats_source.split()),
    )
