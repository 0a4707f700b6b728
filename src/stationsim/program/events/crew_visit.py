"""``crew_visit``: people of a docked vehicle spend a while aboard the station (the ASTP
crews' transfers), counted aboard and using its stocks for that time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import CrewVisitEvent


def handle(state: SimState, runtime: StationRuntime, event: CrewVisitEvent) -> ProcessGenerator:
    if event.flight not in runtime.graph:
        state.warn(f"{event.flight} is not docked to {runtime.id}: no visit")
        return
    visitors = []
    for person in event.crew:
        try:
            state.roster.board(person, runtime.id, state.env.now, event.flight)
        except ValueError as exc:
            state.warn(str(exc))
        else:
            visitors.append(person)
    runtime.ledger.set_crew(state.env.now, state.roster.count(runtime.id))
    state.log("crew_transfer", event.flight, runtime.id, detail="visiting: " + ", ".join(visitors))
    yield state.wait_until(event.until.tt_s)
    for person in visitors:
        try:
            state.roster.leave(person, state.env.now, event.flight)
        except ValueError as exc:  # gone already (the crew sent home by a shortage)
            state.warn(str(exc))
    runtime.ledger.set_crew(state.env.now, state.roster.count(runtime.id))
    state.log("crew_transfer", event.flight, runtime.id,
              detail="back from the visit: " + ", ".join(visitors))
