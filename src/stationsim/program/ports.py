"""Ports while the program runs: waiting for a port to come free, freeing it, and moving a
docked vehicle or module to another port (a relocation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simpy.events import ProcessGenerator

from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch
from stationsim.errors import DockingError
from stationsim.program.state import ProgramFailure, SimState
from stationsim.program.station import StationRuntime, advance, snapshot

if TYPE_CHECKING:
    from stationsim.hardware.vehicle import VehicleType

RELOCATION_WAIT_S = 2.0 * DAY_S  # how long a relocation may wait for its port
ARRIVAL_WAIT_S = 30.0 * DAY_S  # how long a planned move waits for its item to arrive


@dataclass(frozen=True)
class _Named:
    id: str


def take_port(
    state: SimState, runtime: StationRuntime, flight: Any, port: str,
    vehicle: VehicleType | None = None, elsewhere: bool = False,
) -> ProcessGenerator:
    """Wait for ``port`` to be free, as long as the vehicle can loiter; returns the port
    taken. With ``elsewhere``, a vehicle whose port is held by a crew vehicle kept past its
    written undocking (:mod:`.relief`), or still taken when its loiter time is up, docks at
    another free port that fits it when there is one (the operators' choice), with a
    warning; else it fails."""
    loiter_s = vehicle.autonomous_s if vehicle is not None else RELOCATION_WAIT_S
    deadline = state.env.now + loiter_s
    while runtime.graph.occupant(port) is not None:
        occupant = runtime.graph.occupant(port)
        held = occupant in state.undock_held
        if held or state.env.now >= deadline:
            other = runtime.graph.ports_that_fit(vehicle) if elsewhere and vehicle else []
            if other:
                state.warn(f"{flight.id} docks at {other[0]}: {port} is taken by {occupant}")
                return other[0]
        if state.env.now >= deadline:
            raise ProgramFailure(
                f"{flight.id} cannot dock at {runtime.id} {port}: still occupied by "
                f"{occupant} at {Epoch(state.env.now).utc_iso(0)} after waiting "
                f"{loiter_s / 3600:.0f} h; change the port or the dates"
            )
        freed = state.port_freed.setdefault(port, state.env.event())
        yield freed | state.wait_until(deadline)
    return port


def free_port(state: SimState, port: str | None) -> None:
    """Wake whoever waits for ``port``."""
    if port is not None and port in state.port_freed:
        state.port_freed.pop(port).succeed()


def relocate(
    state: SimState, runtime: StationRuntime, name: str, to: str, flight: str | None = None,
    via: str | None = None,
) -> ProcessGenerator:
    """Move ``name`` to port ``to``; if it has not arrived yet (its docking came later than
    history's), the move waits up to ARRIVAL_WAIT_S for it."""
    deadline = state.env.now + ARRIVAL_WAIT_S
    while name not in runtime.graph and state.env.now < deadline:
        yield state.env.timeout(min(3600.0, deadline - state.env.now))
    if name not in runtime.graph:
        state.warn(f"{name} is not on {runtime.id}; its move to {to} is skipped")
        return
    advance(state, runtime)
    before = runtime.graph.item(name).at
    try:
        yield from take_port(state, runtime, _Named(flight or name), to)
        runtime.graph.relocate(name, to, via_port=via)
    except DockingError as exc:  # history diverged: the port is not there or busy
        state.warn(f"{name} not moved ({exc})")
        return
    free_port(state, before)
    snapshot(state, runtime)
    state.log("relocate", flight, runtime.id, to, detail=f"{name} from {before}")
