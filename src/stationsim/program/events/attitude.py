"""``attitude``: the station holds its attitude or tumbles (drag on the mean projected area)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.program.station import advance, orbit_changed

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import AttitudeEvent


def handle(state: SimState, runtime: StationRuntime, event: AttitudeEvent) -> ProcessGenerator:
    advance(state, runtime)
    runtime.tumbling = event.mode == "tumbling"
    runtime.update_ballistics()
    orbit_changed(runtime)
    state.log("attitude", station=runtime.id, detail=f"{event.mode}: Cd*A/m "
              f"{runtime.cd_area_over_mass_m2pkg:.5f} m^2/kg")
    yield from ()
