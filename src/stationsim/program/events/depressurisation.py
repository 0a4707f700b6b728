"""``depressurisation``: a module loses its air and is sealed off (:mod:`..sealing`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.program.sealing import seal_module

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import DepressurisationEvent


def handle(
    state: SimState,
    runtime: StationRuntime,
    event: DepressurisationEvent,
) -> ProcessGenerator:
    seal_module(state, runtime, event.module, event.cause)
    yield from ()
