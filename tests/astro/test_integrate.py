"""DOP853 kernels: dense output, status codes, events and the parallel batch kernel."""

from __future__ import annotations

import numpy as np
import pytest

from stationsim.astro import integrate
from stationsim.astro.constants import GM_EARTH_M3PS2, OMEGA_EARTH_RADPS, R_EARTH_M
from stationsim.astro.ephemeris import NO_BODY_TABLE
from stationsim.astro.forces import NO_DENSITY_TABLE, zonal_coefficients
from stationsim.astro.propagate import _EARTH_CENTRAL as EARTH_CENTRAL

Y0 = np.array([6778137.0, 0.0, 0.0, 0.0, 4782.8, 6034.4])  # ISS-like, 51.6 deg
ZONAL_J = zonal_coefficients(6)
NO_EVENTS = np.empty((0, 3))
NODES_AND_APSIDES = np.array([[integrate.EVENT_NODE, 0.0, 0.0], [integrate.EVENT_APSIS, 0.0, 0.0]])


def _run(y0, tau_out_s, tau_end_s, event_spec=NO_EVENTS, max_steps=100_000, n_events_max=200,
         direction=1.0, rtol=1e-12, reentry_altitude_m=100e3):
    y_out = np.full((len(tau_out_s), 6), np.nan)
    event_tau_s = np.empty(n_events_max)
    event_index = np.empty(n_events_max, dtype=np.int64)
    event_y = np.empty((n_events_max, 6))
    y_stop = np.empty(6)
    status, n_out, n_events, tau_stop_s, n_steps = integrate.propagate_kernel(
        0.0, y0, np.asarray(tau_out_s, dtype=float), tau_end_s, direction, GM_EARTH_M3PS2,
        R_EARTH_M, ZONAL_J, 0.0, OMEGA_EARTH_RADPS, *NO_DENSITY_TABLE, EARTH_CENTRAL,
        *NO_BODY_TABLE, rtol, 1e-6, max_steps,
        reentry_altitude_m, event_spec, y_out, event_tau_s, event_index, event_y, y_stop,
    )
    return {
        "status": status, "n_out": n_out, "y_out": y_out, "tau_stop_s": tau_stop_s,
        "y_stop": y_stop, "n_steps": n_steps, "event_tau_s": event_tau_s[:n_events],
        "event_index": event_index[:n_events], "event_y": event_y[:n_events],
    }


def _sparse_row_sums(start, value):
    return np.array([value[start[s]:start[s + 1]].sum() for s in range(len(start) - 1)])


def test_sparse_tableau_rows_keep_the_runge_kutta_identities():
    # The kernels sum only the nonzero tableau entries. Identities of the DOP853 tableau
    # (Hairer, Norsett & Wanner I, sec. II.1 and II.5) on those sparse rows: each stage row of A
    # sums to its node c (row 12, the weights b, to c = 1); the error weights E5, E3 are
    # differences of two weight vectors (sum 0); the dense-output rows D vanish on a constant
    # derivative (sum 0). Entries reach 530 (ulp 1.1e-13): sums are checked to 1e-12.
    rows_a = _sparse_row_sums(integrate._A_START, integrate._A_VALUE)
    assert np.abs(rows_a - integrate._C).max() < 1e-12
    assert np.abs(_sparse_row_sums(integrate._E_START, integrate._E_VALUE)).max() < 1e-12
    assert np.abs(_sparse_row_sums(integrate._D_START, integrate._D_VALUE)).max() < 1e-12
    assert integrate._A_VALUE.size == np.count_nonzero(integrate._A)  # no entry left out


def test_dense_output_matches_a_step_ending_there():
    # The 7th-order continuous extension (Hairer et al. sec. II.6) against an integration that
    # ends exactly at each time: both carry the tolerance's error (~0.1 mm per day).
    times_s = np.array([0.0, 1234.567, 40000.1, 86399.9])
    dense = _run(Y0, times_s, 86400.0)
    assert dense["status"] == integrate.STATUS_OK and dense["n_out"] == 4
    assert np.array_equal(dense["y_out"][0], Y0)
    for k, t_s in enumerate(times_s[1:], start=1):
        ended = _run(Y0, np.empty(0), t_s)
        assert ended["tau_stop_s"] == t_s
        assert np.abs(dense["y_out"][k, :3] - ended["y_stop"][:3]).max() < 2e-4


def test_error_shrinks_with_tolerance():
    # A 7th/8th-order method: 100x tighter rtol gives far more than 10x smaller global error.
    reference = _run(Y0, np.array([43200.0]), 43200.0, rtol=1e-14)["y_out"][0]
    errors_m = [
        np.abs(_run(Y0, np.array([43200.0]), 43200.0, rtol=rtol)["y_out"][0, :3]
               - reference[:3]).max()
        for rtol in (1e-9, 1e-11)
    ]
    assert errors_m[1] < errors_m[0] / 20.0
    assert errors_m[0] < 1.0  # 1 m in half a day at rtol 1e-9


def test_backward_integration_retraces_forward():
    forward = _run(Y0, np.empty(0), 20000.0)
    back = _run(forward["y_stop"], np.empty(0), 20000.0, direction=-1.0)
    assert np.abs(back["y_stop"][:3] - Y0[:3]).max() < 1e-3


def test_status_codes():
    nan_state = Y0.copy()
    nan_state[4] = np.nan
    assert _run(nan_state, np.empty(0), 100.0)["status"] == integrate.STATUS_NAN
    assert _run(Y0, np.empty(0), 86400.0, max_steps=3)["status"] == integrate.STATUS_MAX_STEPS
    overflow = _run(Y0, np.empty(0), 86400.0, NODES_AND_APSIDES, n_events_max=2)
    assert overflow["status"] == integrate.STATUS_EVENT_OVERFLOW
    assert overflow["tau_stop_s"] < 86400.0
    low = Y0.copy()
    low[0] = R_EARTH_M + 50e3  # already below the 100 km re-entry altitude
    stopped = _run(low, np.array([0.0, 10.0]), 100.0)
    assert stopped["status"] == integrate.STATUS_REENTRY and stopped["tau_stop_s"] == 0.0


def test_events_come_in_time_order_with_their_index():
    result = _run(Y0, np.empty(0), 3.25 * 5560.0, NODES_AND_APSIDES)
    assert np.all(np.diff(result["event_tau_s"]) > 0.0)
    nodes = result["event_y"][result["event_index"] == 0]
    assert len(nodes) == 6 and np.abs(nodes[:, 2]).max() < 1e-3  # z = 0 to 1e-7 s x 6 km/s
    apsides = result["event_y"][result["event_index"] == 1]
    assert np.abs(np.sum(apsides[:, :3] * apsides[:, 3:], axis=1)).max() < 10.0  # r.v ~ 0


@pytest.mark.parametrize("sense", [1.0, -1.0])
def test_event_direction_filters_crossings(sense):
    spec = np.array([[integrate.EVENT_NODE, 0.0, sense]])
    result = _run(Y0, np.empty(0), 3.25 * 5560.0, spec)
    assert len(result["event_tau_s"]) == 3
    assert np.all(np.sign(result["event_y"][:, 5]) == sense)  # vz > 0 at ascending nodes


def test_batch_kernel_equals_single_kernel():
    n = 3
    y0 = np.stack([Y0, Y0 * [1.0, 1, 1, 1, 1.001, 1], Y0 * [1.01, 1, 1, 1, 1, 0.99]])
    tau_out_s = np.tile(np.arange(0.0, 20000.0, 500.0), (n, 1))
    y_out = np.full((n, tau_out_s.shape[1], 6), np.nan)
    event_tau_s, event_index = np.empty((n, 50)), np.empty((n, 50), dtype=np.int64)
    event_y, y_stop = np.empty((n, 50, 6)), np.empty((n, 6))
    status, n_out, n_events = (np.empty(n, dtype=np.int64) for _ in range(3))
    tau_stop_s = np.empty(n)
    integrate.propagate_batch_kernel(
        np.zeros(n), y0, tau_out_s, np.full(n, 20000.0), np.ones(n), GM_EARTH_M3PS2, R_EARTH_M,
        ZONAL_J, np.zeros(n), OMEGA_EARTH_RADPS, *NO_DENSITY_TABLE, EARTH_CENTRAL,
        *NO_BODY_TABLE, 1e-12, 1e-6, 100_000, 100e3,
        NODES_AND_APSIDES, y_out, event_tau_s, event_index, event_y, y_stop, status, n_out,
        n_events, tau_stop_s,
    )
    for k in range(n):
        single = _run(y0[k], tau_out_s[k], 20000.0, NODES_AND_APSIDES, n_events_max=50)
        assert status[k] == single["status"] and n_out[k] == single["n_out"]
        assert np.array_equal(y_out[k], single["y_out"])
        assert np.array_equal(event_tau_s[k, : n_events[k]], single["event_tau_s"])
        assert np.array_equal(y_stop[k], single["y_stop"])
