"""``deorbit``: a retro burn to a target perigee, then the orbit followed down to re-entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from simpy.events import ProcessGenerator

from stationsim.astro.constants import GM_EARTH_M3PS2, R_EARTH_M
from stationsim.astro.maneuvers import vis_viva_speed_mps
from stationsim.astro.time import Epoch
from stationsim.program.propulsion import burn, burner
from stationsim.program.station import advance

if TYPE_CHECKING:
    from stationsim.program.state import SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import DeorbitEvent

DEORBIT_PERIGEE_M = 0.0  # default target perigee of a deorbit burn (entry steep enough)


def handle(state: SimState, runtime: StationRuntime, event: DeorbitEvent) -> ProcessGenerator:
    """Retro burn to the target perigee, then follow the orbit down to re-entry.

    The burner uses its own propellant, then the station's tanks: a deorbit tug carries
    its deorbit propellant as cargo (Progress M1-5: 2,678 kg, Wikipedia infobox).
    """
    name, vehicle = burner(state, runtime, event.by, station_tanks=True)
    orbit_state = advance(state, runtime)
    if vehicle is None:
        state.warnings.append(
            f"{runtime.id} deorbit at {Epoch(state.env.now).utc_iso(0)} skipped: no docked "
            f"{event.by or 'vehicle'} with propellant to burn"
        )
        return
    r_m = float(np.linalg.norm(orbit_state.r_m))
    target_m = R_EARTH_M + (
        event.target_perigee_m if event.target_perigee_m is not None else DEORBIT_PERIGEE_M
    )
    a_m = 1.0 / (2.0 / r_m - float(np.dot(orbit_state.v_mps, orbit_state.v_mps)) / GM_EARTH_M3PS2)
    speed_mps = float(np.linalg.norm(orbit_state.v_mps))
    new_speed_mps = float(vis_viva_speed_mps(r_m, 0.5 * (r_m + target_m)))
    state.log("deorbit", station=runtime.id, detail=f"by {name}, a = {a_m / 1e3:.1f} km")
    burn(state, runtime, name, vehicle, orbit_state, new_speed_mps - speed_mps, "deorbit",
         station_tanks=True)
    while runtime.orbit.reentered is None and state.env.now < state.end_s:
        yield state.env.timeout(min(3600.0, state.end_s - state.env.now))
        advance(state, runtime)
