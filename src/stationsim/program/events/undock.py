"""``undock``: a docked vehicle backs away with its crew aboard it, to redock later."""

from __future__ import annotations

from stationsim.program.ports import free_port
from stationsim.program.station import advance, snapshot


def handle(state, runtime, event):
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
