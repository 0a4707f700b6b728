"""The single-state paths give the bits of the NumPy paths they stand in for."""

import erfa
import numpy as np
import pytest

from stationsim.astro import frames, kepler
from stationsim.astro import time as time_module
from stationsim.astro.elements import TWO_PI, finite_array, positive_array
from stationsim.astro.time import Epoch
from stationsim.astro.vectors import all_finite, all_positive, cross3, dot3, norm3
from stationsim.ops.insertion import phase_angle_rad

RNG = np.random.default_rng(20261207)


def test_cross3_is_numpy_cross_to_the_bit():
    a, b = RNG.normal(size=(2, 500, 3)) * 7e6
    for u, v in zip(a, b, strict=True):
        assert np.array_equal(cross3(u, v), np.cross(u, v))
    assert np.array_equal(cross3(a, b), np.cross(a, b))


def test_norm3_and_dot3_are_numpy_s_to_the_bit():
    # positions, velocities and small delta-v, as the planner's rules meet them
    for scale in (6.8e6, 7.7e3, 1e-2):
        a, b = RNG.normal(size=(2, 2000, 3)) * scale
        for u, v in zip(a, b, strict=True):
            assert norm3(u) == np.linalg.norm(u)
            assert dot3(u, v) == np.dot(u, v)


def test_small_array_checks_agree_with_numpy():
    for value in ([1.0, 2.0, 3.0], [1.0, np.nan, 3.0], [np.inf, 0.0, 1.0], [0.0, 1.0, 2.0],
                  np.ones(40), np.r_[np.ones(39), np.nan], 5.0, -1.0):
        array = np.asarray(value, dtype=float)
        assert all_finite(array) == bool(np.isfinite(array).all())
        assert all_positive(array) == bool((array > 0.0).all())
    with pytest.raises(ValueError, match="x must be finite"):
        finite_array("x", [1.0, np.nan, 0.0])
    with pytest.raises(ValueError, match="x must be > 0"):
        positive_array("x", [1.0, 0.0, 2.0])


def test_j2_rates_of_one_orbit_are_the_array_path_bits():
    for _ in range(2000):
        a_m, e, i_rad = RNG.uniform(6.5e6, 4.3e7), RNG.uniform(0.0, 0.9), RNG.uniform(0.0, 3.1)
        one = kepler.j2_secular_rates(float(a_m), float(e), float(i_rad))
        array = kepler.j2_secular_rates(np.asarray(a_m), np.asarray(e), np.asarray(i_rad))
        assert one == array
    with pytest.raises(ValueError, match="e must be in"):
        kepler.j2_secular_rates(7e6, 1.0, 0.9)


def test_one_state_coast_is_the_batch_bits():
    r = RNG.normal(size=(200, 3)) * 1e5 + [6.8e6, 0.0, 0.0]
    v = RNG.normal(size=(200, 3)) * 10.0 + [0.0, 5.0e3, 5.5e3]
    dt = RNG.uniform(-9e4, 9e4, 200)
    r_batch, v_batch = kepler.propagate_j2_secular(r, v, dt)
    for k in range(200):
        r_one, v_one = kepler.propagate_j2_secular(r[k], v[k], float(dt[k]))
        assert r_one.shape == (3,)
        assert np.array_equal(r_one, r_batch[k]) and np.array_equal(v_one, v_batch[k])


def test_tt_minus_utc_from_the_table_is_erfa_s_even_at_leap_seconds():
    steps, _ = time_module._leap_steps_tt_s()
    near = [s + d for s in steps for d in (-2.5, -2.0, -0.5, 0.0, 0.5, 1.99, 2.0, 3.0)]
    for tt_s in [*RNG.uniform(-9e8, 1.2e9, 2000), *near]:
        epoch = Epoch(float(tt_s))
        year, month, day, fraction = erfa.jd2cal(*epoch.utc_jd())
        with time_module._dubious_years_accepted():
            expected = time_module.TT_MINUS_TAI_S + float(erfa.dat(year, month, day, fraction))
        assert epoch.tt_minus_utc_s() == expected
    span = Epoch(-1.4e8 + np.arange(0.0, 86400.0, 600.0))
    assert np.all(span.tt_minus_utc_s() == span[0].tt_minus_utc_s())


def test_a_pad_at_one_instant_is_the_batch_rotation_bits():
    pad_m = frames.geodetic_to_itrf(np.radians(45.92), np.radians(63.34), 100.0)
    tt_s = RNG.uniform(-2e8, 6e8, 300)
    batch = frames.itrf_to_gcrf_fast(np.broadcast_to(pad_m, (300, 3)), Epoch(tt_s))
    for k in range(300):
        assert np.array_equal(frames.itrf_to_gcrf_fast(pad_m, Epoch(float(tt_s[k]))), batch[k])


def test_lvlh_matrix_of_one_state_is_the_batch_bits():
    r = RNG.normal(size=(300, 3)) * 1e5 + [6.8e6, 0.0, 0.0]
    v = RNG.normal(size=(300, 3)) * 10.0 + [0.0, 5.0e3, 5.5e3]
    batch = frames.lvlh_matrix(r, v)
    for k in range(300):
        assert np.array_equal(frames.lvlh_matrix(r[k], v[k]), batch[k])
    with pytest.raises(ValueError, match="must not be parallel"):
        frames.lvlh_matrix([7e6, 0.0, 0.0], [1.0, 0.0, 0.0])


def test_phase_angle_of_one_pair_is_the_batch_bits():
    chaser, target = RNG.normal(size=(2, 300, 3)) * 7e6
    h = cross3(target, RNG.normal(size=(300, 3)))
    h /= np.linalg.norm(h, axis=-1, keepdims=True)
    batch = phase_angle_rad(chaser, target, h)
    assert np.all((batch >= 0.0) & (batch < TWO_PI))
    for k in range(300):
        assert phase_angle_rad(chaser[k], target[k], h[k]) == batch[k]


def test_utc_dates_read_once_are_the_same_epochs():
    text = "1995-06-29T13:00:00Z"
    assert Epoch.from_utc_iso(text).tt_s == Epoch.from_utc(1995, 6, 29, 13, 0, 0.0).tt_s
    assert Epoch.from_utc_iso(text).tt_s == Epoch.from_utc_iso(text).tt_s
    with pytest.raises(ValueError):
        Epoch.from_utc_iso("1995-13-29T13:00:00Z")
