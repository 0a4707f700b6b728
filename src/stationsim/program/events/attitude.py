"""``attitude``: the station holds its attitude or tumbles (drag on the mean projected area)."""

from __future__ import annotations

from stationsim.program.station import advance, orbit_changed


def handle(state, runtime, event):
    advance(state, runtime)
    runtime.tumbling = event.mode == "tumbling"
    runtime.update_ballistics()
    orbit_changed(runtime)
    state.log("attitude", station=runtime.id, detail=f"{event.mode}: Cd*A/m "
              f"{runtime.cd_area_over_mass_m2pkg:.5f} m^2/kg")
    yield from ()
