"""Stored samples carried to a dense grid: the same states as the engine's propagator.

The reference is ``Numerical`` (point mass + EGM-96 J2..J6, no drag), the engine's field, run
once through every epoch from the first sample; ``densify`` carries each stored sample from its
own epoch in one batch, and the first one back to the piece's start.
"""

from __future__ import annotations

import numpy as np

from stationsim.astro.propagate import Numerical
from stationsim.astro.time import Epoch
from stationsim.results.export.dense import STEP_S, cut, densify
from stationsim.results.export.source import Trajectory

T0 = Epoch.from_utc_iso("1996-01-10T00:00:00Z")
R0_M = np.array([6778e3, 0.0, 0.0])
V0_MPS = np.array([0.0, 7668.6 * np.cos(0.9014), 7668.6 * np.sin(0.9014)])  # 51.6 deg
ONE_METRE = 1.0


def hourly(count: int) -> tuple[Trajectory, Numerical]:
    orbit = Numerical(T0, R0_M, V0_MPS)
    t_tt_s = T0.tt_s + 3840.0 * np.arange(count)
    r_m, v_mps = orbit.states(Epoch(t_tt_s))
    t_utc = np.array([e.rstrip("Z") for e in Epoch(t_tt_s).utc_iso(6)], dtype="datetime64[us]")
    return Trajectory("mir", t_utc, t_tt_s, r_m, v_mps), orbit


def test_densify_carries_samples_forward_and_back_on_the_engines_field():
    piece, orbit = hourly(4)
    start_s, stop_s = piece.t_tt_s[0] - 1800.0, piece.t_tt_s[-1] + 1000.0
    dense = densify(piece._take(slice(None)), stop_s, start_s)
    assert dense.t_tt_s[0] == start_s and dense.t_tt_s[-1] == stop_s
    assert np.all(np.diff(dense.t_tt_s) > 0.0) and np.max(np.diff(dense.t_tt_s)) <= STEP_S
    assert set(piece.t_tt_s) <= set(dense.t_tt_s)  # the stored samples stay
    truth_r_m, truth_v_mps = orbit.states(Epoch(dense.t_tt_s))
    assert np.max(np.linalg.norm(dense.r_m - truth_r_m, axis=1)) < ONE_METRE
    assert np.max(np.linalg.norm(dense.v_mps - truth_v_mps, axis=1)) < 1e-3
    # UTC labels follow TT (no leap second here): 8 min apart exactly
    assert np.all(np.diff(dense.t_utc[1:-1]) == np.timedelta64(480, "s"))


def test_cut_splits_where_a_break_lies_between_samples():
    piece, _ = hourly(5)
    breaks = np.array([piece.t_tt_s[1] + 100.0, piece.t_tt_s[3]])
    assert [len(p) for p in cut(piece, breaks)] == [2, 1, 2]


def test_states_far_out_or_below_the_entry_interface_stay_as_stored():
    # beyond NEAR_EARTH_M the Moon's pull matters, below 120 km the air: nothing is added there
    piece, _ = hourly(3)
    far = Trajectory("lunar", piece.t_utc, piece.t_tt_s, piece.r_m * 40.0, piece.v_mps / 6.3)
    dense = densify(far, far.t_tt_s[-1] + 3600.0)
    np.testing.assert_array_equal(dense.t_tt_s, far.t_tt_s)
    low = Trajectory("entry", piece.t_utc, piece.t_tt_s, piece.r_m * 6428e3 / 6778e3,
                     piece.v_mps)  # 50 km up
    np.testing.assert_array_equal(densify(low, low.t_tt_s[-1] + 600.0).r_m, low.r_m)
    # a piece that starts in orbit and ends below: only the orbit part is carried
    mixed = Trajectory("decay", piece.t_utc, piece.t_tt_s,
                       np.vstack([piece.r_m[:2], low.r_m[2:]]), piece.v_mps)
    carried = densify(mixed)
    assert carried.t_tt_s.size == 2 * 8 + 1 and np.all(np.isfinite(carried.r_m))
