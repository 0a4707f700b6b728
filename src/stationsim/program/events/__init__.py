"""Station events of a program file, one module per kind.

The module of an event kind is named after its ``type`` (``-`` read as ``_``) and holds
``handle(state, runtime, event)``, a SimPy generator run at the event's time on the station it
names (the program's first station when it names none). Adding a kind is its schema class, its
module here and its test.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any

from simpy.events import ProcessGenerator

from stationsim.program.state import SimState

if TYPE_CHECKING:
    from stationsim.program.station import StationRuntime


def handler(kind: str) -> Callable[[SimState, StationRuntime, Any], ProcessGenerator]:
    """The ``handle`` function of event kind ``kind``."""
    return import_module(f"{__name__}.{kind.replace('-', '_')}").handle


def event_process(state: SimState, event: Any) -> ProcessGenerator:
    """One written station event: wait for its time, then let its kind's handler act."""
    station_id = event.station or state.program.stations[0].id
    runtime = state.stations[station_id]
    yield state.wait_until(event.at.tt_s)
    yield from handler(event.type)(state, runtime, event)
