"""Propagators against an independent tight integration (scipy DOP853) of the same forces."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import simpson, solve_ivp

from stationsim.astro import integrate
from stationsim.astro.atmosphere import exponential_table
from stationsim.astro.constants import GM_EARTH_M3PS2, J_ZONAL, KM, R_EARTH_M
from stationsim.astro.forces import acceleration_gcrf_mps2, altitude_m
from stationsim.astro.kepler import propagate_j2_secular, propagate_kepler
from stationsim.astro.propagate import (
    APOGEE,
    ASCENDING_NODE,
    DESCENDING_NODE,
    PERIGEE,
    EventSpec,
    J2Secular,
    Numerical,
    OrbitState,
    Sgp4Propagator,
    TwoBody,
    propagate_batch,
)
from stationsim.astro.time import Epoch
from stationsim.astro.tle import parse_tle_lines
from stationsim.errors import PropagationError

T0 = Epoch.from_utc(1998, 12, 6, 0, 0)
# ISS-like: 400 km, 51.6 deg, slightly eccentric (e ~ 0.004).
R0_M = np.array([6778137.0, 0.0, 0.0])
V0_MPS = np.array([0.0, 7700.0 * np.cos(np.radians(51.6)), 7700.0 * np.sin(np.radians(51.6))])
DAY_GRID_S = np.arange(0.0, 86400.0 + 1.0, 60.0)

# Legendre P2..P6 and their derivatives as rows of power-series coefficients (u^0..u^6).
_P_ROWS = np.array([np.pad(np.polynomial.legendre.leg2poly([0] * n + [1]), (0, 6 - n))
                    for n in range(2, 7)])
_DP_ROWS = np.array([np.pad(np.polynomial.polynomial.polyder(row), (0, 1)) for row in _P_ROWS])
_N = np.arange(2, 7)


def _zonal_rhs(degree):
    """d(r, v)/dt for point mass + J2..J_degree: a = grad of GM/r (1 - sum Jn (R/r)^n Pn(z/r))
    (Montenbruck & Gill 2000 sec. 3.2), differentiated by hand here in NumPy."""
    j_n = np.array(J_ZONAL[2:]) * (_N <= degree)

    def rhs(_t, y):
        r_vec = y[:3]
        r = np.sqrt(r_vec @ r_vec)
        u = r_vec[2] / r
        powers = u ** np.arange(7)
        p, dp = _P_ROWS @ powers, _DP_ROWS @ powers
        c = j_n * (R_EARTH_M / r) ** _N
        radial = -1.0 + c @ ((_N + 1) * p + u * dp)  # a = GM/r^2 (radial r_hat + polar z_hat)
        polar = -(c @ dp)
        accel = GM_EARTH_M3PS2 / r**2 * (radial * r_vec / r + polar * np.array([0.0, 0.0, 1.0]))
        return np.concatenate([y[3:], accel])

    return rhs


def _reference(degree, t_eval_s, y0=None, **options):
    y0 = np.concatenate([R0_M, V0_MPS]) if y0 is None else y0
    return solve_ivp(_zonal_rhs(degree), (0.0, t_eval_s[-1]), y0, method="DOP853", rtol=1e-13,
                     atol=1e-9, t_eval=t_eval_s, **options)


@pytest.mark.parametrize("degree", [2, 6])
def test_one_day_matches_tight_scipy_reference(degree):
    # Reference: scipy DOP853 at rtol 1e-13 on the NumPy field above (independent code).
    reference = _reference(degree, DAY_GRID_S)
    r_m, v_mps = Numerical(T0, R0_M, V0_MPS, zonal_degree=degree).states(T0 + DAY_GRID_S)
    assert np.abs(r_m - reference.y[:3].T).max() < 1e-3  # 1 mm over a day (16 revolutions)
    assert np.abs(v_mps - reference.y[3:].T).max() < 1e-6  # 1 micrometre/s


def _specific_energy(r_m, v_mps, degree):
    """v^2/2 - U with the zonal potential: conserved by an axisymmetric static field."""
    r = np.linalg.norm(r_m, axis=-1)
    u = r_m[..., 2] / r
    powers = u[..., None] ** np.arange(7)
    series = sum(J_ZONAL[n] * (R_EARTH_M / r) ** n * (powers @ _P_ROWS[n - 2])
                 for n in range(2, degree + 1))
    return 0.5 * np.sum(v_mps**2, axis=-1) - GM_EARTH_M3PS2 / r * (1.0 - series)


@pytest.mark.parametrize("degree", [0, 6])
def test_energy_is_conserved_without_drag(degree):
    r_m, v_mps = Numerical(T0, R0_M, V0_MPS, zonal_degree=degree).states(T0 + DAY_GRID_S)
    energy = _specific_energy(r_m, v_mps, degree)
    # |E| = 2.9e7 J/kg; 1e-11 relative is ~0.1 mm of semi-major axis.
    assert np.abs(energy / energy[0] - 1.0).max() < 1e-11


def _brute_force_roots(g, sol, t_end_s, sense):
    """Times where g(y(t)) crosses zero in ``sense``: 1 s scan, then 0.1 ms scan and a chord."""
    coarse_s = np.arange(0.0, t_end_s, 1.0)
    values = g(sol.sol(coarse_s))
    roots = []
    for k in np.flatnonzero(values[:-1] * values[1:] < 0.0):
        if sense * (values[k + 1] - values[k]) < 0:
            continue
        fine_s = coarse_s[k] + np.arange(0.0, 1.0 + 1e-9, 1e-4)
        fine = g(sol.sol(fine_s))
        j = np.flatnonzero(fine[:-1] * fine[1:] <= 0.0)[0]
        roots.append(fine_s[j] - fine[j] * (fine_s[j + 1] - fine_s[j]) / (fine[j + 1] - fine[j]))
    return np.array(roots)


def test_event_times_match_brute_force_sampling():
    # Reference: the scipy solution sampled every 1 s, then every 0.1 ms around each sign change.
    t_end_s = 3.5 * 5560.0
    reference = _reference(6, np.array([t_end_s]), dense_output=True)
    propagator = Numerical(T0, R0_M, V0_MPS)
    events = propagator.events(T0 + t_end_s, [ASCENDING_NODE, DESCENDING_NODE, PERIGEE, APOGEE])
    node = lambda y: y[2]  # noqa: E731
    apsis = lambda y: np.sum(y[:3] * y[3:], axis=0)  # noqa: E731
    for spec, g, sense in [(ASCENDING_NODE, node, 1), (DESCENDING_NODE, node, -1),
                           (PERIGEE, apsis, 1), (APOGEE, apsis, -1)]:
        ours_s = np.array([e.epoch - T0 for e in events if e.spec == spec])
        expected_s = _brute_force_roots(g, reference, t_end_s, sense)
        assert len(ours_s) == len(expected_s) >= 3
        assert np.abs(ours_s - expected_s).max() < 1e-3  # 1 ms
    for event in events:  # the reported state is the state at the event epoch (to the float
        r_m, _ = propagator.states(event.epoch)  # TT-seconds rounding, ~2e-8 s x 8 km/s)
        assert np.abs(r_m - event.r_m).max() < 1e-4


def test_altitude_event_state_is_on_the_altitude():
    events = Numerical(T0, R0_M, V0_MPS).events(T0 + 6000.0, [EventSpec("altitude", 420e3, 0)])
    assert len(events) >= 2
    for event in events:
        assert abs(altitude_m(*event.r_m) - 420e3) < 1e-3  # root tolerance 1e-7 s x < 30 m/s


# Vallado 4th ed. Table 8-4 exponential atmosphere, in the kernels' table layout.
DRAG_TABLE = exponential_table()


def test_drag_energy_loss_matches_drag_power():
    # dE/dt = v . a_drag (inertial energy; the zonal field is conservative): integrate the drag
    # power along the trajectory with Simpson's rule and compare to the energy change.
    cd_am = 0.02
    grid_s = np.arange(0.0, 5600.0 + 1.0, 10.0)
    r_m, v_mps = Numerical(T0, R0_M - [50e3, 0, 0], V0_MPS * 1.004, cd_am, DRAG_TABLE).states(
        T0 + grid_s)
    energy = _specific_energy(r_m, v_mps, 6)
    epochs_tt_s = (T0 + grid_s).tt_s
    a_drag = (acceleration_gcrf_mps2(epochs_tt_s, r_m, v_mps, cd_am, DRAG_TABLE)
              - acceleration_gcrf_mps2(epochs_tt_s, r_m, v_mps))
    power = np.sum(v_mps * a_drag, axis=1)
    work = simpson(power, x=grid_s)
    assert energy[-1] < energy[0]
    assert abs((energy[-1] - energy[0]) - work) < 1e-6 * abs(work)  # Simpson at 10 s: ~1e-8


def test_into_the_ground_stops_at_reentry_with_time_and_state():
    # A suborbital arc (2 km/s up-and-over from 200 km) hits the ground; reference: scipy's
    # terminal event on the same field, with WGS-84 height from the same radial formula.
    y0 = np.array([R_EARTH_M + 200e3, 0.0, 0.0, 500.0, 2000.0, 0.0])
    propagator = Numerical(T0, y0[:3], y0[3:], reentry_altitude_m=0.0)
    result = propagator.run(T0 + np.array([0.0, 60.0, 3000.0]), until=T0 + 3000.0)
    assert result.reentry is not None and result.reentry.spec is None
    assert result.stop.epoch.tt_s == result.reentry.epoch.tt_s
    assert abs(altitude_m(*result.stop.r_m)) < 1e-3
    assert np.isnan(result.r_gcrf_m[2]).all() and np.isfinite(result.r_gcrf_m[1]).all()

    def ground(_t, y):
        return altitude_m(y[0], y[1], y[2])

    ground.terminal, ground.direction = True, -1
    reference = solve_ivp(_zonal_rhs(6), (0.0, 3000.0), y0, method="DOP853", rtol=1e-13,
                          atol=1e-9, events=ground)
    assert abs((result.stop.epoch - T0) - reference.t_events[0][0]) < 1e-3  # 1 ms
    with pytest.raises(PropagationError, match="re-enters"):
        propagator.states(T0 + 3000.0)


def test_states_refuse_epochs_past_a_reentry_either_way_in_time():
    # The suborbital arc above with its velocity reversed reaches the ground backward in time:
    # states before that crossing (whichever leg flies them) are refused, not returned as NaN.
    y0 = np.array([R_EARTH_M + 200e3, 0.0, 0.0, -500.0, -2000.0, 0.0])
    propagator = Numerical(T0, y0[:3], y0[3:], reentry_altitude_m=0.0)
    result = propagator.run(T0 + np.array([60.0, -3000.0, -60.0]))
    assert np.isnan(result.r_gcrf_m[1]).all() and np.isfinite(result.r_gcrf_m[[0, 2]]).all()
    assert result.reentry is None  # the forward leg's, the one run reports
    r_m, _ = propagator.states(T0 + np.array([60.0, -60.0]))
    assert np.abs(r_m - result.r_gcrf_m[[0, 2]]).max() < 1e-6  # other last steps: 1 um
    with pytest.raises(PropagationError, match="re-enters"):
        propagator.states(T0 + np.array([60.0, -3000.0, -60.0]))


def test_drag_decay_stops_at_reentry_altitude():
    propagator = Numerical(T0, [R_EARTH_M + 160e3, 0.0, 0.0], [0.0, 7810.0, 0.0], 0.05,
                           DRAG_TABLE, reentry_altitude_m=120e3)
    stop = propagator.propagate_to(T0 + 5 * 86400.0)
    assert stop.epoch - T0 < 5 * 86400.0
    assert abs(altitude_m(*stop.r_m) - 120e3) < 1e-2


@pytest.mark.parametrize(
    ("r_m", "fragment"),
    [([np.nan, 0.0, 0.0], "non-finite"), ([R_EARTH_M - 10e3, 0.0, 0.0], "below the WGS-84")],
)
def test_bad_initial_state_raises_naming_epoch_and_state(r_m, fragment):
    with pytest.raises(PropagationError, match=fragment) as info:
        Numerical(T0, r_m, V0_MPS)
    assert "1998-12-06T00:00:00.000Z" in str(info.value)
    assert repr(float(V0_MPS[2])) in str(info.value)  # the velocity is printed


def test_backward_then_forward_returns_to_start():
    back = Numerical(T0, R0_M, V0_MPS).propagate_to(T0 - 43200.0)
    again = back.propagate(T0)
    assert abs(back.epoch - (T0 - 43200.0)) < 1e-9
    assert np.abs(again.r_m - R0_M).max() < 1e-3


def test_mixed_epochs_before_and_after_start():
    propagator = Numerical(T0, R0_M, V0_MPS)
    epochs = T0 + np.array([600.0, -600.0, 0.0])
    r_m, _ = propagator.states(epochs)
    assert np.array_equal(r_m[2], R0_M)
    assert np.abs(r_m[1] - propagator.states(T0 - 600.0)[0]).max() == 0.0


def test_batch_equals_single():
    epoch0 = Epoch(T0.tt_s + np.array([0.0, 30.0, 120.0]))
    r0_m = np.stack([R0_M - [50e3, 0, 0], R0_M, R0_M + [0, 0, 1e3]])
    v0_mps = np.stack([V0_MPS * 1.004, V0_MPS, V0_MPS])
    cd_am = np.array([0.02, 0.005, 0.0])
    epochs = T0 + np.arange(600.0, 86400.0, 600.0)
    batch = propagate_batch(epoch0, r0_m, v0_mps, epochs, cd_am, DRAG_TABLE)
    for k in range(3):
        single = Numerical(epoch0[k], r0_m[k], v0_mps[k], cd_am[k], DRAG_TABLE)
        r_m, v_mps = single.states(epochs)
        assert np.array_equal(batch.r_gcrf_m[k], r_m)
        assert np.array_equal(batch.v_gcrf_mps[k], v_mps)
    assert (batch.status == 0).all()


def test_two_body_matches_point_mass_numerical():
    # Universal-variable Kepler vs DOP853 on the point mass: independent algorithms.
    epochs = T0 + DAY_GRID_S[::10]
    r_kepler_m, v_kepler_mps = TwoBody(T0, R0_M, V0_MPS).states(epochs)
    r_m, v_mps = Numerical(T0, R0_M, V0_MPS, zonal_degree=0).states(epochs)
    assert np.abs(r_kepler_m - r_m).max() < 1e-2  # 1 cm over a day
    expected = propagate_kepler(R0_M, V0_MPS, DAY_GRID_S[::10])
    assert np.array_equal(r_kepler_m, expected[0]) and np.array_equal(v_kepler_mps, expected[1])


def test_j2_secular_wraps_kepler_module():
    epochs = T0 + np.array([0.0, 3600.0])
    r_m, v_mps = J2Secular(T0, R0_M, V0_MPS).states(epochs)
    expected = propagate_j2_secular(R0_M, V0_MPS, np.array([0.0, 3600.0]))
    assert np.array_equal(r_m, expected[0]) and np.array_equal(v_mps, expected[1])
    state = J2Secular(T0, R0_M, V0_MPS).state_at(T0 + 3600.0)
    assert np.array_equal(state.r_m, expected[0][1])


def test_sgp4_propagator_wraps_tle():
    # ISS TLE of 2008-09-20 (the sgp4 package's documentation example).
    tle = parse_tle_lines(
        "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927",
        "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537",
    )
    epochs = tle.epoch + np.array([0.0, 600.0])
    r_m, v_mps = Sgp4Propagator(tle).states(epochs)
    expected = tle.state_at(epochs)
    assert np.array_equal(r_m, expected[0]) and np.array_equal(v_mps, expected[1])
    assert 6600 * KM < np.linalg.norm(r_m[0]) < 6800 * KM


def test_orbit_state_propagate_returns_a_new_state():
    start = OrbitState(T0, R0_M, V0_MPS)
    later = start.propagate(5400.0, zonal_degree=2)
    assert later is not start and later.epoch - T0 == pytest.approx(5400.0)
    assert np.array_equal(start.r_m, R0_M)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="density_table"):
        Numerical(T0, R0_M, V0_MPS, cd_area_over_mass_m2pkg=0.01)
    with pytest.raises(ValueError, match="cd_area_over_mass_m2pkg"):
        Numerical(T0, R0_M, V0_MPS, cd_area_over_mass_m2pkg=-1.0, density_table=DRAG_TABLE)
    with pytest.raises(ValueError, match="event kind"):
        Numerical(T0, R0_M, V0_MPS).events(T0 + 60.0, [EventSpec("sunset")])
    with pytest.raises(ValueError, match="forward"):
        propagate_batch(T0, [R0_M], [V0_MPS], T0 - 60.0)
    with pytest.raises(ValueError, match="epochs must be an Epoch"):
        TwoBody(T0, R0_M, V0_MPS).states(60.0)


def test_batch_compiles_one_signature_for_one_orbit_and_per_orbit_arrays():
    # a read-only argument (N = 1 broadcasts, (N,) views) would compile the kernel once more
    epochs = T0 + np.array([600.0])
    propagate_batch(T0, [R0_M, R0_M], [V0_MPS, V0_MPS], epochs)
    propagate_batch(T0, [R0_M], [V0_MPS], epochs)
    frozen = Epoch(np.full(2, T0.tt_s))
    frozen.tt_s.flags.writeable = False
    propagate_batch(frozen, [R0_M, R0_M], [V0_MPS, V0_MPS], epochs, np.zeros(2), DRAG_TABLE)
    assert len(integrate.propagate_batch_kernel.signatures) == 1


def test_batch_reports_reentry_per_orbit_and_refuses_bad_states():
    r0_m = np.stack([R0_M, [R_EARTH_M + 160e3, 0.0, 0.0]])
    v0_mps = np.stack([V0_MPS, [0.0, 7810.0, 0.0]])
    epochs = T0 + np.array([3600.0, 5 * 86400.0])
    batch = propagate_batch(T0, r0_m, v0_mps, epochs, [0.0, 0.05], DRAG_TABLE,
                            reentry_altitude_m=120e3)
    assert list(batch.status) == [0, 1]  # integrate.STATUS_OK, integrate.STATUS_REENTRY
    assert np.isnan(batch.r_gcrf_m[1, 1]).all() and np.isfinite(batch.r_gcrf_m[0]).all()
    assert batch.stop_epoch[1].tt_s < epochs[1].tt_s
    with pytest.raises(PropagationError, match="non-finite"):
        propagate_batch(T0, [R0_M, [np.nan, 0.0, 0.0]], [V0_MPS, V0_MPS], epochs)
    with pytest.raises(PropagationError, match="below the WGS-84"):
        propagate_batch(T0, [R0_M, [6e6, 0.0, 0.0]], [V0_MPS, V0_MPS], epochs)
