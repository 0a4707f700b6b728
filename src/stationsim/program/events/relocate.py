"""``relocate``: a docked vehicle or a module moves to another port."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.program.ports import relocate

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import RelocateEvent


def handle(state: SimState, runtime: StationRuntime, event: RelocateEvent) -> ProcessGenerator:
    name = event.module or event.flight
    yield from relocate(state, runtime, name, event.to, flight=event.flight, via=event.via)
