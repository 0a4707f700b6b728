"""``eva``: a spacewalk from an airlock module by people aboard (or aboard a docked
vehicle, a Shuttle crew's): their crew-hours."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.program.station import advance

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import EvaEvent


def handle(state: SimState, runtime: StationRuntime, event: EvaEvent) -> ProcessGenerator:
    advance(state, runtime)
    aboard = set(state.roster.aboard(runtime.id)) | _visiting(state, runtime)
    absent = [person for person in event.crew if person not in aboard]
    if event.airlock not in runtime.graph.modules() or event.airlock in runtime.sealed:
        state.warn(f"EVA from {event.airlock}, which is not an open module of {runtime.id}: "
                   "not made")
        return
    if absent:
        state.warn(f"EVA on {runtime.id} not made: {', '.join(absent)} not aboard")
        return
    crew_hours = len(event.crew) * event.duration_h
    runtime.eva_crew_hours += crew_hours
    state.log("eva", station=runtime.id, detail=(
        f"{'internal ' if event.internal else ''}EVA from {event.airlock}: "
        f"{', '.join(event.crew)}, {event.duration_h:g} h, {crew_hours:g} crew-hours"))
    yield from ()


def _visiting(state, runtime) -> set[str]:
    """People who came up on a vehicle docked to the station now."""
    docked = set(runtime.graph.docked_vehicles())
    return {person for flight in state.program.flights if flight.id in docked
            for person in flight.crew_up}
