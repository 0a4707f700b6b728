"""``reboost``: a written reboost, to a mean altitude (Hohmann) or by a delta-v."""

from __future__ import annotations

from stationsim.program.propulsion import reboost


def handle(state, runtime, event):
    yield from reboost(state, runtime, event.target_mean_altitude_m, event.dv_mps, event.by)
