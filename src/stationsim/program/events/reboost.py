"""``reboost``: a written reboost, to a mean altitude (Hohmann) or by a delta-v."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.program.propulsion import reboost

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import ReboostEvent


def handle(state: SimState, runtime: StationRuntime, event: ReboostEvent) -> ProcessGenerator:
    yield from reboost(state, runtime, event.target_mean_altitude_m, event.dv_mps, event.by)
