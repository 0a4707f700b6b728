"""``undock``: a docked vehicle backs away with its crew aboard it, to redock later."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.program.ports import free_port
from stationsim.program.station import advance, snapshot

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import UndockEvent


def handle(state: SimState, runtime: StationRuntime, event: UndockEvent) -> ProcessGenerator:
    if event.flight not in runtime.graph:
        state.warn(f"{event.flight} is not docked to {runtime.id}: it cannot undock")
        return
    advance(state, runtime)
    attachment = runtime.graph.item(event.flight)
    port = attachment.at
    state.away[event.flight] = (port, attachment.item, attachment.mass_kg)
    runtime.graph.detach(event.flight)
    free_port(state, port)
    snapshot(state, runtime)
    state.log("undock", event.flight, runtime.id, port, detail="to redock")
    yield from ()
