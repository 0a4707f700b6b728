"""A station's tracking updates as a SimPy process: each adopted at its epoch, with the
model's drift from it kept."""

from __future__ import annotations

import numpy as np
from simpy.events import ProcessGenerator

from stationsim.astro.propagate import OrbitState
from stationsim.astro.time import Epoch
from stationsim.program.state import SimState
from stationsim.program.station import advance, orbit_changed
from stationsim.program.tracking import TrackingUpdates


def tracking_process(
    state: SimState,
    station_id: str,
    updates: TrackingUpdates,
) -> ProcessGenerator:
    """Adopt each tracking update of one station at its epoch, in time order, and keep
    model minus tracking just before it.

    A flight's rendezvous is planned at its launch from the orbit as it then stands, so
    from the last update before the launch; a later update corrects the station's orbit
    from its epoch on, never a plan already made (the vehicle flies the burns planned at
    launch, as flight control's targeting was fixed then).
    """
    runtime = state.stations[station_id]
    for t_s, r_m, v_mps in zip(updates.t_s, updates.r_m, updates.v_mps, strict=True):
        yield state.wait_until(t_s)
        advance(state, runtime)
        drift = runtime.orbit.adopt(OrbitState(Epoch(float(t_s)), r_m, v_mps))
        orbit_changed(runtime)
        state.drifts.setdefault(station_id, []).append(drift)
        state.log(
            "tracking",
            station=station_id,
            detail=f"model minus tracking: {drift.d_altitude_m / 1e3:+.2f} km altitude, "
            f"{np.degrees(drift.d_phase_rad):+.2f} deg phase",
        )
