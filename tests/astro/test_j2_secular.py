"""The J2-secular propagator (one Numba kernel behind J2Secular and propagate_j2_secular)
against an independent element-by-element construction of the same model."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from stationsim.astro.constants import DEG, R_EARTH_M
from stationsim.astro.elements import (
    elements_to_state,
    mean_to_true,
    state_to_elements,
    true_to_mean,
)
from stationsim.astro.kepler import j2_secular_rates
from stationsim.astro.propagate import J2Secular
from stationsim.astro.time import Epoch

T0 = Epoch.from_utc(1995, 11, 12)


def _by_elements(r_m, v_mps, dt_s):
    """The model written out: the state as mean elements, node, perigee and mean anomaly
    advanced at the rates of Vallado 4th ed. eq. 9-41, back to a state."""
    el = state_to_elements(r_m, v_mps)
    raan_dot, argp_dot, m_dot = j2_secular_rates(el.a_m, el.e, el.i_rad)
    m0 = true_to_mean(el.nu_rad, el.e)
    nu = mean_to_true(m0 + m_dot * dt_s, el.e)
    return elements_to_state(el.a_m, el.e, el.i_rad, el.raan_rad + raan_dot * dt_s,
                             el.argp_rad + argp_dot * dt_s, nu)


@given(
    altitude_km=st.floats(150.0, 2000.0),
    e=st.floats(0.001, 0.05),
    inclination_deg=st.floats(1.0, 179.0),
    angles=st.tuples(*(st.floats(0.0, 6.28) for _ in range(3))),
)
def test_kernel_agrees_with_the_element_construction(altitude_km, e, inclination_deg, angles):
    r, v = elements_to_state(R_EARTH_M + altitude_km * 1e3, e, inclination_deg * DEG, *angles)
    offsets_s = np.linspace(-86400.0, 3 * 86400.0, 9)
    r_new, v_new = J2Secular(T0, r, v).states(T0 + offsets_s)
    for k, dt_s in enumerate(offsets_s):
        r_ref, v_ref = _by_elements(np.asarray(r), np.asarray(v), dt_s)
        assert np.linalg.norm(r_new[k] - r_ref) < 1e-3  # 1 mm over 3 days
        assert np.linalg.norm(v_new[k] - v_ref) < 1e-6


def test_shapes_and_bad_orbit():
    r, v = elements_to_state(R_EARTH_M + 400e3, 0.001, 51.6 * DEG, 1.0, 2.0, 3.0)
    assert J2Secular(T0, r, v).states(T0 + 60.0)[0].shape == (3,)
    assert J2Secular(T0, r, v).states(T0 + np.zeros((2, 4)))[1].shape == (2, 4, 3)
    try:
        J2Secular(T0, r, 2.0 * np.asarray(v))
    except ValueError as exc:
        assert "elliptic" in str(exc)
    else:
        raise AssertionError("a hyperbolic state must be refused")
