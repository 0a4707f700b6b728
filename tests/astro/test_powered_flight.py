"""Powered and coasting flight near the Moon against independent solutions."""

import doctest

import numpy as np
import pytest

import stationsim.astro.moon_local
import stationsim.astro.powered_flight
from stationsim.astro.constants import (
    G0_MPS2,
    J2_MOON,
    MU_MOON_M3PS2,
    R_MOON_GRAVITY_M,
    R_MOON_M,
)
from stationsim.astro.elements import state_to_elements
from stationsim.astro.kepler import j2_secular_rates, propagate_kepler
from stationsim.astro.moon_local import FrozenMoonFrame, state_from_flight_angles
from stationsim.astro.powered_flight import Body, FlightState, fly, fly_until
from stationsim.astro.time import Epoch

POINT_MOON = Body(MU_MOON_M3PS2, R_MOON_GRAVITY_M, 0.0)
J2_ONLY_MOON = Body(MU_MOON_M3PS2, R_MOON_GRAVITY_M, J2_MOON)
# a 110 x 15 km lunar orbit, inclined 20 deg (the kernel must not care about the plane)
R0_M = np.array([R_MOON_M + 15.0e3, 0.0, 0.0])
V0_MPS = np.array([0.0, 1690.0 * np.cos(0.35), 1690.0 * np.sin(0.35)])


def test_doctests():
    for module in (stationsim.astro.powered_flight, stationsim.astro.moon_local):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0


def test_coast_matches_kepler_over_an_orbit():
    # Independent: universal-variable Kepler (astro.kepler, Vallado Alg. 8) over 2 hours.
    # RK4 at 10 s on a 7,000 s orbit: local error ~ (n h)^5 ~ 1e-12 per step, so < 1 cm.
    coasted = fly(FlightState(R0_M, V0_MPS, 1000.0), 7200.0, POINT_MOON)
    r_m, v_mps = propagate_kepler(R0_M, V0_MPS, 7200.0, MU_MOON_M3PS2)
    assert np.linalg.norm(coasted.r_m - r_m) < 0.01
    assert np.linalg.norm(coasted.v_mps - v_mps) < 1e-5
    assert coasted.mass_kg == 1000.0


def test_thrust_in_free_space_follows_the_rocket_equation():
    # Tsiolkovsky: dv = Isp g0 ln(m0 / m1), m1 = m0 - F t / (Isp g0); gravity made negligible
    # (1e-6 m^3/s^2 at 1e9 m: 1e-24 m/s^2).
    far = Body(1e-6, 1.0, 0.0)
    start = FlightState(np.array([1e9, 0.0, 0.0]), np.zeros(3), 5000.0)
    end = fly(start, 300.0, far, thrust_n=15400.0, direction=(0.0, 2.0, 0.0), isp_s=309.0)
    m1 = 5000.0 - 15400.0 * 300.0 / (309.0 * G0_MPS2)
    assert end.mass_kg == pytest.approx(m1, rel=1e-12)
    assert end.v_mps[1] == pytest.approx(309.0 * G0_MPS2 * np.log(5000.0 / m1), rel=1e-10)
    assert abs(end.v_mps[0]) < 1e-9 and abs(end.v_mps[2]) < 1e-9


def test_j2_turns_the_node_at_the_secular_rate():
    # First-order J2 nodal regression (Vallado eq. 9-41) over a day: the osculating node
    # oscillates by O(J2) about the mean, so 3 % of the day's ~1.3 deg drift.
    start = FlightState(R0_M, V0_MPS, 1000.0)
    end = fly(start, 86400.0, J2_ONLY_MOON)
    before = state_to_elements(R0_M, V0_MPS, MU_MOON_M3PS2)
    after = state_to_elements(end.r_m, end.v_mps, MU_MOON_M3PS2)
    raan_dot, _, _ = j2_secular_rates(before.a_m, before.e, before.i_rad, MU_MOON_M3PS2,
                                      J2_MOON, R_MOON_GRAVITY_M)
    drift = float(np.angle(np.exp(1j * (after.raan_rad - before.raan_rad))))
    assert drift == pytest.approx(float(raan_dot) * 86400.0, rel=0.03)


def test_fly_until_stops_on_the_surface():
    # A free fall from 1 km at rest: t = sqrt(2 h / g) to first order, g = mu / R^2.
    start = FlightState(np.array([R_MOON_M + 1000.0, 0.0, 0.0]), np.zeros(3), 1.0)
    end, flown_s = fly_until(start, 100.0, POINT_MOON,
                             lambda s: float(np.linalg.norm(s.r_m)) - R_MOON_M)
    g = MU_MOON_M3PS2 / R_MOON_M**2
    assert flown_s == pytest.approx(np.sqrt(2000.0 / g), abs=0.05)  # 1 km of 1,737 km: 0.1 %
    assert abs(np.linalg.norm(end.r_m) - R_MOON_M) < 0.1


def test_fly_refuses_bad_arguments():
    start = FlightState(R0_M, V0_MPS, 1000.0)
    with pytest.raises(ValueError, match="duration_s"):
        fly(start, -1.0, POINT_MOON)
    with pytest.raises(ValueError, match="direction"):
        fly(start, 1.0, POINT_MOON, thrust_n=10.0, direction=(0.0, 0.0, 0.0), isp_s=300.0)
    with pytest.raises(ValueError, match="no mass"):
        fly(start, 1000.0, POINT_MOON, thrust_n=1e5, direction=(1.0, 0.0, 0.0), isp_s=10.0)


def test_flight_angles_reproduce_the_tabulated_state():
    # A state built from (lat, lon, radius, speed, flight-path angle, heading) has that radius,
    # speed and flight-path angle whatever the heading convention.
    t = Epoch.from_utc(1969, 7, 20, 20, 5, 5.1)
    frame = FrozenMoonFrame(t)
    r, v = state_from_flight_angles(frame, t, 1.02, 39.39, 1747.5e3, 1696.2, 0.03, -104.23)
    assert np.linalg.norm(r) == pytest.approx(1747.5e3, abs=1e-6)
    assert np.linalg.norm(v) == pytest.approx(1696.2, abs=1e-9)
    flight_path_deg = np.degrees(np.arcsin(r @ v / (np.linalg.norm(r) * np.linalg.norm(v))))
    assert flight_path_deg == pytest.approx(0.03, abs=1e-9)
    lat, lon, radius = frame.selenographic(r, t)
    assert (np.degrees(lat), np.degrees(lon)) == pytest.approx((1.02, 39.39), abs=1e-9)


def test_the_moon_turns_at_its_sidereal_rate():
    # IAU 2009 (Archinal et al. 2011): W advances 13.17635815 deg/day, 2.6617e-6 rad/s.
    t = Epoch.from_utc(1969, 7, 20, 20, 0, 0)
    spin = FrozenMoonFrame(t).spin_radps(t)
    assert np.linalg.norm(spin) == pytest.approx(np.radians(13.17635815) / 86400.0, rel=0.002)
    assert spin[2] / np.linalg.norm(spin) > 0.9999  # about the pole, the frame's z


@pytest.mark.parametrize("utc, lat_deg, lon_deg, heading_deg", [
    # MSC-00171 Table 7-II (GitHub anipatke/Astraeus anchors.json rows,
    # CSM separation, DOI, PDI, ascent cut-off, CSI, TPI
    ("1969-07-20T18:11:52.9Z", 0.99, 31.86, -106.99),
    ("1969-07-20T19:08:14Z", -1.12, -140.20, -75.70),
    ("1969-07-20T20:05:05.1Z", 1.02, 39.39, -104.23),
    ("1969-07-21T18:01:15.7Z", 0.73, 12.00, -108.15),
    ("1969-07-21T18:51:35.5Z", -0.94, -147.12, -77.98),
    ("1969-07-21T20:35:51.8Z", -1.17, -110.28, -93.16),
])
def test_report_headings_are_from_the_inertial_north(utc, lat_deg, lon_deg, heading_deg):
    # Apollo 11 orbited the Moon near its equator, retrograde (spacefacts.de: 178.75 deg): read
    # from the Earth's mean pole, the report's headings at six longitudes all give such planes
    # (within 0.5 deg); read from the lunar meridian they would give 161.8 to 176.6 deg
    t = Epoch.from_utc_iso(utc)
    frame = FrozenMoonFrame(t)
    r, v = state_from_flight_angles(frame, t, lat_deg, lon_deg, 1.8e6, 1600.0, 0.0, heading_deg)
    normal = np.cross(r, v)
    inclination_deg = np.degrees(np.arccos(normal[2] / np.linalg.norm(normal)))
    assert inclination_deg == pytest.approx(178.75, abs=0.5)
