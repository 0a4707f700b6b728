"""MeanJ2 against the element-based J2 secular propagator it re-expresses."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from stationsim.astro.constants import DEG, R_EARTH_M
from stationsim.astro.elements import elements_to_state
from stationsim.astro.propagate import J2Secular
from stationsim.astro.time import Epoch
from stationsim.ops.models import MeanJ2

T0 = Epoch.from_utc(1995, 11, 12)


@given(
    altitude_km=st.floats(150.0, 2000.0),
    e=st.floats(0.0, 0.05),
    inclination_deg=st.floats(1.0, 179.0),
    angles=st.tuples(*(st.floats(0.0, 6.28) for _ in range(3))),
)
def test_mean_j2_agrees_with_j2_secular(altitude_km, e, inclination_deg, angles):
    # Same model (Vallado 4th ed. eq. 9-41 rates on the state taken as mean elements), two
    # formulations: element conversion (astro.J2Secular) vs Kepler step + rotations (MeanJ2).
    r, v = elements_to_state(R_EARTH_M + altitude_km * 1e3, e, inclination_deg * DEG, *angles)
    epochs = T0 + np.linspace(-86400.0, 3 * 86400.0, 9)
    r_ref, v_ref = J2Secular(T0, r, v).states(epochs)
    r_new, v_new = MeanJ2(T0, r, v).states(epochs)
    assert np.max(np.linalg.norm(r_new - r_ref, axis=-1)) < 1e-3  # 1 mm over 3 days
    assert np.max(np.linalg.norm(v_new - v_ref, axis=-1)) < 1e-6


def test_mean_j2_shapes_and_bad_orbit():
    r, v = elements_to_state(R_EARTH_M + 400e3, 0.001, 51.6 * DEG, 1.0, 2.0, 3.0)
    assert MeanJ2(T0, r, v).states(T0 + 60.0)[0].shape == (3,)
    assert MeanJ2(T0, r, v).states(T0 + np.zeros((2, 4)))[1].shape == (2, 4, 3)
    try:
        MeanJ2(T0, r, 2.0 * v)
    except ValueError as exc:
        assert "elliptic" in str(exc)
    else:
        raise AssertionError("a hyperbolic state must be refused")
