"""``early_return``: a docked vehicle leaves before its written undocking, with its crew."""

from __future__ import annotations

from stationsim.program.flight import undock_now


def handle(state, runtime, event):
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
