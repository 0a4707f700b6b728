"""Orbital sunset: when a station passes from sunlight into Earth's shadow.

The Shuttle's ISS rendezvous plans timed the terminal burn (Ti) by the station's lighting
(ironflight.com rendezvous part 4: the closure is chosen "to catch the target with the right
lighting conditions"; JSC-48072 RNDZ checklists print each plan's day/night times on the
timeline): :data:`stationsim.ops.rendezvous.SHUTTLE_TI_BEFORE_SUNSET_S`.

Earth's shadow is a cylinder of the equatorial radius along the Sun's direction (Vallado,
Fundamentals of Astrodynamics and Applications, 4th ed., sec. 5.3, "Sight and light"): at
400 km the penumbra and the flattening move the edge by under 20 s, the atmosphere's
refraction by seconds more.
"""

from __future__ import annotations

import math

import numpy as np

from stationsim.astro.constants import R_EARTH_M
from stationsim.astro.ephemeris import sun_gcrf
from stationsim.astro.propagate import Propagator
from stationsim.astro.time import Epoch

SAMPLE_S = 10.0  # the station moves 77 km in a step; the edge is interpolated within it
# the Sun's direction turns 0.04 deg an hour: read from DE421 every 10 min and interpolated
# linearly between (under 1e-8 rad from the ephemeris, metres at the shadow's edge)
SUN_SAMPLE_S = 600.0


def shadow_depth_m(r_m: np.ndarray, sun_m: np.ndarray) -> np.ndarray:
    """How far inside the shadow cylinder each position is (m; negative outside it, and
    -inf on the day side), for positions and Sun positions of shape (..., 3)."""
    sun_hat = sun_m / np.linalg.norm(sun_m, axis=-1, keepdims=True)
    along_m = np.sum(r_m * sun_hat, axis=-1)
    across_m = np.linalg.norm(r_m - along_m[..., None] * sun_hat, axis=-1)
    return np.where(along_m < 0.0, R_EARTH_M - across_m, -np.inf)


def sunsets(station: Propagator, start_tt_s: float, end_tt_s: float) -> np.ndarray:
    """TT seconds in [start, end] at which the station enters Earth's shadow, each
    interpolated linearly in the shadow depth within its :data:`SAMPLE_S` step."""
    count = max(2, int(math.ceil((end_tt_s - start_tt_s) / SAMPLE_S)) + 1)
    grid_s = np.linspace(start_tt_s, end_tt_s, count)
    r_m, _ = station.states(Epoch(grid_s))
    coarse_s = np.linspace(start_tt_s, end_tt_s,
                           max(2, int(math.ceil((end_tt_s - start_tt_s) / SUN_SAMPLE_S)) + 1))
    sun_coarse_m, _ = sun_gcrf(Epoch(coarse_s))
    sun_m = np.column_stack([np.interp(grid_s, coarse_s, sun_coarse_m[:, k]) for k in range(3)])
    depth_m = shadow_depth_m(r_m, sun_m)
    before, after = depth_m[:-1], depth_m[1:]
    enters = np.flatnonzero((before < 0.0) & (after >= 0.0) & np.isfinite(before))
    # the shadow's edge is crossed on the night side, where the depth is continuous
    fraction = -before[enters] / (after[enters] - before[enters])
    return grid_s[enters] + fraction * (grid_s[enters + 1] - grid_s[enters])
