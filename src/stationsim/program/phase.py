"""The station's phase at a launch: whether the flight's profile reaches it, and, where no
tracking told the model where the station was, the phase the operators' launch plan implies.

A launch at a written time was planned by flight control for the station's real position along
its orbit. With a tracking set from the last days before the launch the model knows that
position (SGP4 sets are good to a few km, 1-3 km more a day in LEO: Vallado et al. 2006); without
one, the model's along-track position after weeks of drag (NRLMSIS 10-20 % off) is off by tens
of degrees and says nothing about the real one. There, and only there, the station's position
along its orbit is taken from the launch plan: the nearest lead the profile can reach, a degree
inside its range. The shift keeps the orbit (energy, plane and apsides): the state is the same
two-body orbit's a time shift/n later, at the same epoch.
"""

from __future__ import annotations

import math

import numpy as np

from stationsim.astro.constants import DAY_S, GM_EARTH_M3PS2
from stationsim.astro.propagate import OrbitState, TwoBody
from stationsim.astro.time import Epoch

TWO_PI = 2.0 * math.pi
TRACKED_WITHIN_S = 2.0 * DAY_S  # a set this recent says where the station is along its orbit
LEAD_EDGE_RAD = math.radians(1.0)  # the intervals come from the planner's 401-point grid
# an assumed phase is put this far inside the reach: the planner's insertion (biased for the
# node's drift) and the numerical model differ from the probe's by a few degrees (5 deg left
# STS-84 in shuttle-mir a revolution outside its flight-day-3 window)
ASSUMED_MARGIN_RAD = math.radians(10.0)


def lead_inside(lead_rad: float, intervals_rad: np.ndarray) -> bool:
    """True when ``lead_rad`` lies in one of the circular intervals (K, 2) (start in
    [0, 2 pi), end >= start, an end past 2 pi wraps)."""
    return bool(np.any((lead_rad - intervals_rad[:, 0]) % TWO_PI
                       <= intervals_rad[:, 1] - intervals_rad[:, 0]))


def narrowed(intervals_rad: np.ndarray, edge_rad: float = LEAD_EDGE_RAD) -> np.ndarray:
    """The intervals ``edge_rad`` inside either end; those narrower than that dropped."""
    inner = np.asarray(intervals_rad, dtype=float).reshape(-1, 2) + np.array([edge_rad,
                                                                              -edge_rad])
    return inner[inner[:, 1] >= inner[:, 0]]


def merged_intervals(intervals_rad: np.ndarray) -> np.ndarray:
    """Union of circular intervals (K, 2), start in [0, 2 pi), end >= start: sorted, disjoint."""
    if not len(intervals_rad):
        return np.empty((0, 2))
    ordered = intervals_rad[np.argsort(intervals_rad[:, 0])]
    merged = [list(ordered[0])]
    for start, end in ordered[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    # an interval running past 2 pi may swallow the first ones
    while len(merged) > 1 and merged[-1][1] >= merged[0][0] + TWO_PI:
        merged[-1][1] = max(merged[-1][1], merged.pop(0)[1] + TWO_PI)
    return np.array(merged)


def candidate_shifts_rad(lead_rad: float, intervals_rad: np.ndarray,
                         margin_rad: float = ASSUMED_MARGIN_RAD) -> np.ndarray:
    """Signed changes of ``lead_rad`` (rad, in [-pi, pi]) that put it ``margin_rad`` inside an
    end of one of the intervals, or at the middle of one, nearest first; empty when there is
    no interval. The engine takes the first its planner can fly (the reach is the probe's, a
    few degrees off the plan's)."""
    if not len(intervals_rad):
        return np.empty(0)
    merged = merged_intervals(np.asarray(intervals_rad, dtype=float))
    margins = np.minimum(margin_rad, 0.5 * (merged[:, 1] - merged[:, 0]))
    targets = np.concatenate([merged[:, 0] + margins, merged[:, 1] - margins,
                              0.5 * (merged[:, 0] + merged[:, 1])])
    shifts = (targets - lead_rad + math.pi) % TWO_PI - math.pi
    return shifts[np.argsort(np.abs(shifts), kind="stable")]


def reach_text(intervals_rad: np.ndarray) -> str:
    """The reachable leads in degrees, merged, e.g. '12.0-31.5, 200.0-230.0 deg'."""
    if not len(intervals_rad):
        return "none"
    parts = [f"{math.degrees(a):.1f}-{math.degrees(b):.1f}"
             for a, b in merged_intervals(np.asarray(intervals_rad, dtype=float))]
    return ", ".join(parts) + " deg"


def shifted_along_track(state: OrbitState, shift_rad: float) -> OrbitState:
    """The station ``shift_rad`` further along its orbit at the same epoch: the two-body
    orbit's state a time shift/n later (n the mean motion), so energy, plane and apsides keep
    their values and only the mean anomaly moves."""
    r_m, v_mps = np.asarray(state.r_m, dtype=float), np.asarray(state.v_mps, dtype=float)
    a_m = 1.0 / (2.0 / np.linalg.norm(r_m) - float(v_mps @ v_mps) / GM_EARTH_M3PS2)
    dt_s = shift_rad / math.sqrt(GM_EARTH_M3PS2 / a_m**3)
    r2_m, v2_mps = TwoBody(Epoch(0.0), r_m, v_mps).states(Epoch(dt_s))
    return OrbitState(state.epoch, np.asarray(r2_m, dtype=float), np.asarray(v2_mps,
                                                                           dtype=float))
