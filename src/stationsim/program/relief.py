"""What a lost crew launch does to the crew it was to relieve: they stay aboard, their
lifeboat's undocking held until the next crew can arrive, within the lifeboat's docked life
(Soyuz MS-10 in 2018: the Expedition 57 crew stayed on until Soyuz MS-11 came).

A lifeboat is a crew vehicle whose written stay is longer than its free-flight endurance (a
visiting Shuttle is not one). Its undocking moves to the next crewed launch to the station
plus RELIEF_RENDEZVOUS_S, at most SOYUZ_DOCKED_LIFE_S after its docking; it then lands
:data:`~stationsim.program.supply.SOYUZ_DESCENT_S` after undocking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stationsim.astro.constants import DAY_S
from stationsim.hardware.vehicle import VehicleType
from stationsim.program.state import SimState
from stationsim.program.station import StationRuntime

if TYPE_CHECKING:
    from stationsim.scenario.schema import Flight

# "Docked life up to 6 months" (vehicles.yaml soyuz-tm notes, NASA RP-1357 era sources).
SOYUZ_DOCKED_LIFE_S = 180.0 * DAY_S
# The soyuz-two-day profile's launch to docking (ops/rendezvous.py; docs/programs.md).
RELIEF_RENDEZVOUS_S = 2.0 * DAY_S


def hold_lifeboats(state: SimState, runtime: StationRuntime, lost: Flight) -> None:
    """After the crewed flight ``lost`` failed at launch, hold the undocking of the station's
    lifeboats that were to leave before a relief can arrive (an event for each)."""
    now_s = state.env.now
    relief_s = min((f.launch.tt_s for f in state.program.flights
                    if f.target == runtime.id and f.crew_up and f.launch.tt_s > now_s
                    and f.launch_failure is None), default=None)
    for name in runtime.graph.docked_vehicles():
        vehicle = runtime.graph.item(name).item
        record = state.flights.get(name)
        written = _written_undock_s(state, name)
        if not isinstance(vehicle, VehicleType) or vehicle.seats == 0:
            continue  # a module, or a vehicle with no crew to hold
        if record is None or record.dock_s is None or written is None:
            continue
        if written <= now_s or written - record.dock_s <= vehicle.autonomous_s:
            continue  # gone already, or a visitor
        limit_s = record.dock_s + SOYUZ_DOCKED_LIFE_S
        held_s = min(limit_s if relief_s is None else relief_s + RELIEF_RENDEZVOUS_S, limit_s)
        if held_s > max(written, state.undock_held.get(name, written)):
            state.undock_held[name] = held_s
            state.log("stay_extended", name, runtime.id, detail=(
                f"{lost.id} lost: undocking held {(held_s - written) / DAY_S:.1f} days"))


def held_undock_s(state: SimState, flight_id: str) -> float | None:
    """The undocking a lost relief moved ``flight_id`` to, if any."""
    return state.undock_held.get(flight_id)


def _written_undock_s(state: SimState, name: str) -> float | None:
    for flight in state.program.flights:
        if flight.id == name:
            return None if flight.undock is None else flight.undock.tt_s
    for spec in state.program.stations:
        for docked in spec.docked:
            if docked.id == name:
                return None if docked.undock is None else docked.undock.tt_s
    return None
