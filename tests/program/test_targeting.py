"""Targeted burns (program/targeting.py): the entry angle's perigee, the secant search, and
the trajectory keys that ask for them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from stationsim.astro.constants import GM_EARTH_M3PS2, R_EARTH_M
from stationsim.astro.elements import state_to_elements
from stationsim.astro.propagate import OrbitState
from stationsim.astro.time import Epoch
from stationsim.program.targeting import perigee_radius_for_entry_m, secant, vacuum_perigee_m
from stationsim.scenario.trajectory import Burn, Tracked

T0 = Epoch.from_utc(1969, 7, 24, 16, 0)


@pytest.mark.parametrize("angle_deg", [-5.5, -6.5, -7.5])
def test_the_entry_angles_perigee_is_that_of_the_conic_through_the_interface(angle_deg):
    # a return from the Moon's distance (11.0 km/s at 400,000 ft): put the state on the
    # interface at the angle, and the conic's own perigee (Vallado's RV2COE) is the target;
    # the far state of the same conic (its energy) gives it too, to a millimetre
    r_ei = R_EARTH_M + 121.92e3
    speed = 11.0e3
    gamma = math.radians(angle_deg)
    at_ei = OrbitState(T0, [r_ei, 0.0, 0.0], [speed * math.sin(gamma), speed * math.cos(gamma),
                                               0.0])
    expected = float(state_to_elements(at_ei.r_m, at_ei.v_mps).a_m) * (
        1.0 - float(state_to_elements(at_ei.r_m, at_ei.v_mps).e))
    assert vacuum_perigee_m(at_ei) == pytest.approx(expected, abs=1e-3)
    far_r = 300_000e3
    far_v = math.sqrt(speed**2 + 2.0 * GM_EARTH_M3PS2 * (1.0 / far_r - 1.0 / r_ei))
    far = OrbitState(T0, [far_r, 0.0, 0.0], [far_v, 0.0, 0.0])
    assert perigee_radius_for_entry_m(far, gamma, 121.92e3) == pytest.approx(expected, abs=1e-3)
    # steeper is lower: -6.5 deg lies some 30 km of perigee below -5.5 deg at lunar speed
    assert R_EARTH_M - 200e3 < expected < r_ei


def test_secant_finds_a_root_and_says_when_it_cannot():
    assert secant(lambda x: x * x - 2.0, 1.0, 2.0, 1e-12) == pytest.approx(math.sqrt(2.0))
    with pytest.raises(ValueError, match="did not converge"):
        secant(lambda x: x * x + 1.0, 1.0, 2.0, 1e-12)


def test_a_targeted_burn_is_prograde_or_retrograde_with_its_delta_v_and_one_size_target():
    Burn(name="TEI", get="089:19:16.6", dv_mps=1072.6, direction="prograde",
         entry_angle_deg=-6.5, cutoff={"altitude_km": 122.4, "velocity_kmps": 2.695})
    with pytest.raises(ValidationError, match="apoapsis_km sizes the burn alone"):
        Burn(name="LOI", at="perilune", dv_mps=900.0, direction="retrograde",
             apoapsis_km=314.8, entry_angle_deg=-6.5)
    with pytest.raises(ValidationError, match="targeted burn"):
        Burn(name="LOI", at="perilune", duration_s=300.0, direction="retrograde",
             apoapsis_km=314.8)
    with pytest.raises(ValidationError, match="targeted burn"):
        Burn(name="TEI", get="089:19:16.6", dv_mps=1072.6, direction="radial-out",
             entry_angle_deg=-6.5)
    with pytest.raises(ValidationError, match="targeted burn"):
        Burn(name="TEI", get="089:19:16.6", dv_mps=1072.6, direction="prograde", pitch_deg=2.0,
             entry_angle_deg=-6.5)
    with pytest.raises(ValidationError):
        Tracked(get="135:23:42.28", at_utc="1969-07-22T04:55:42Z", latitude_deg=0.0,
                longitude_deg=0.0, altitude_km=100.0, velocity_kmps=1.6,
                flight_path_angle_deg=0.0)
    assert np.isclose(Tracked(get="1:00:00", latitude_deg=0.0, longitude_deg=0.0,
                              altitude_km=100.0, velocity_kmps=1.6,
                              flight_path_angle_deg=0.0).velocity_kmps, 1.6)


def test_an_external_delta_v_points_its_burn_alone_with_its_sign_as_direction():
    Burn(name="LOI-1", at="perilune", dv_mps=913.5, direction="retrograde",
         external_dv_mps=(-909.5, 72.8, 32.1))
    for bad in ({"direction": "prograde"}, {"pitch_deg": 1.0}, {"apoapsis_km": 314.8},
                {"dv_mps": None, "duration_s": 246.9}):
        fields = {"name": "LOI-1", "at": "perilune", "dv_mps": 913.5, "direction": "retrograde",
                  "external_dv_mps": (-909.5, 72.8, 32.1)} | bad
        with pytest.raises(ValidationError, match="external_dv_mps points the burn alone"):
            Burn(**fields)
