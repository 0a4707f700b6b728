"""``fire``: a fire in a module, fought by the crew aboard; the oxygen it took is lost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.program.station import advance

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import FireEvent


def handle(state: SimState, runtime: StationRuntime, event: FireEvent) -> ProcessGenerator:
    advance(state, runtime)
    if event.module not in runtime.graph.modules() or event.module in runtime.sealed:
        state.warn(f"fire in {event.module}, which is not an open module of {runtime.id}")
    aboard = state.roster.count(runtime.id)
    lost = runtime.ledger.remove(state.env.now, {"o2": event.o2_lost_kg})["o2"]
    state.log("fire", station=runtime.id, detail=(
        f"in {event.module} for {event.duration_min:g} min"
        + (f" ({event.cause})" if event.cause else "")
        + f": {aboard} aboard fought it, {aboard * event.duration_min / 60.0:.1f} crew-hours; "
        f"oxygen lost {lost:.1f} kg"))
    yield from ()
