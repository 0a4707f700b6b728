"""``early_return``: a docked vehicle leaves before its written undocking, with its crew."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.program.flight import undock_now

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import EarlyReturnEvent


def handle(state: SimState, runtime: StationRuntime, event: EarlyReturnEvent) -> ProcessGenerator:
    record = state.flights.get(event.flight)
    if event.flight not in runtime.graph or record is None:
        state.warn(f"{event.flight} is not docked to {runtime.id}: no early return")
        return
    undock_now(state, runtime, event.flight, record, list(event.crew))
    record.outcome = "returned early"
    state.log("early_return", event.flight, runtime.id,
              detail=event.cause or "cause not given")
    state.left_early.add(event.flight)
    if event.landing is not None:
        yield state.wait_until(event.landing.tt_s)
        record.land_s = state.env.now
        state.log("land", event.flight)
