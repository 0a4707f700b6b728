"""``module_leaves``: a module undocks for good, with whatever hangs on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.errors import DockingError
from stationsim.program.ports import free_port
from stationsim.program.station import advance, snapshot

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import ModuleLeavesEvent


def handle(state: SimState, runtime: StationRuntime, event: ModuleLeavesEvent) -> ProcessGenerator:
    if event.module not in runtime.graph.modules():
        state.warn(f"{event.module} is not on {runtime.id}: it cannot leave")
        return
    advance(state, runtime)
    port = runtime.graph.item(event.module).at
    try:
        runtime.graph.detach(event.module)
    except DockingError as exc:  # something still hangs on it
        state.warn(f"{event.module} cannot leave {runtime.id} ({exc})")
        return
    runtime.sealed.discard(event.module)
    free_port(state, port)
    snapshot(state, runtime)
    state.log("module_detach", station=runtime.id, port=port,
              detail=event.module + (f" ({event.cause})" if event.cause else ""))
    yield from ()
