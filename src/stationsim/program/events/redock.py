"""``redock``: a vehicle that undocked (``undock``) docks again, at its port or another."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.errors import DockingError
from stationsim.program.ports import take_port
from stationsim.program.station import advance, snapshot

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import RedockEvent


def handle(state: SimState, runtime: StationRuntime, event: RedockEvent) -> ProcessGenerator:
    if event.flight not in state.away:
        state.warn(f"{event.flight} has not undocked from {runtime.id}: no redocking")
        return
    port, vehicle, mass_kg = state.away.pop(event.flight)
    port = event.port or port
    try:
        yield from take_port(state, runtime, state.flights[event.flight], port, vehicle)
        advance(state, runtime)
        runtime.graph.attach(event.flight, vehicle, at=port, t_s=state.env.now, mass_kg=mass_kg)
    except DockingError as exc:
        state.warn(f"{event.flight} could not redock at {port} ({exc})")
        return
    snapshot(state, runtime)
    state.log("dock", event.flight, runtime.id, port, detail="redocked")
