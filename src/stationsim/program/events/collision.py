"""``collision``: a vehicle strikes a module; a holed module is sealed (:mod:`..sealing`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.program.sealing import seal_module
from stationsim.program.station import advance

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import CollisionEvent


def handle(state: SimState, runtime: StationRuntime, event: CollisionEvent) -> ProcessGenerator:
    advance(state, runtime)
    by = f"{event.flight} struck {event.module}" if event.flight else f"{event.module} struck"
    state.log("collision", event.flight, runtime.id, detail=(
        f"{by}: {'hull breached' if event.holed else 'no breach'}"
        + (f" ({event.cause})" if event.cause else "")))
    if event.holed:
        seal_module(state, runtime, event.module, f"holed by {event.flight or 'a collision'}")
    yield from ()
