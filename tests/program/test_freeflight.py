"""A free flight's published orbit: how its apsides are read, and which radius they are above."""

from __future__ import annotations

import numpy as np
import pytest

from stationsim.astro.constants import GM_EARTH_M3PS2, R_EARTH_M, R_POLAR_M, WGS84_E2
from stationsim.astro.elements import elements_to_state
from stationsim.astro.lifetime import mean_elements
from stationsim.program.freeflight import free_flight_state
from stationsim.scenario import load_program


@pytest.fixture(scope="module")
def sputnik_orbit():
    (flight,) = load_program("sputnik-1").flights
    return flight.orbit


def _apsides_km(epoch, r_m, v_mps):
    mean = mean_elements(epoch, r_m, v_mps)  # smallest and largest radius over a revolution
    return tuple((mean.a_m * (1 + sign * mean.e) - R_EARTH_M) / 1e3 for sign in (-1, 1))


def test_published_apsides_are_the_revolution_s_smallest_and_largest_heights(sputnik_orbit):
    # NSSDC 1957-001B: 215 x 939 km. Read as published, the first revolution spans them; read as
    # osculating elements at perigee, J2's short-period terms lift the far side to ~951 km.
    perigee_km, apogee_km = _apsides_km(*free_flight_state(sputnik_orbit))
    assert perigee_km == pytest.approx(215.0, abs=0.5)
    assert apogee_km == pytest.approx(939.0, abs=0.5)
    o = sputnik_orbit
    r_m, v_mps = elements_to_state(o.semi_major_axis_m, o.eccentricity, o.inclination_rad,
                                   o.raan_rad, o.arg_perigee_rad, o.true_anomaly_rad)
    assert _apsides_km(o.epoch, np.asarray(r_m), np.asarray(v_mps))[1] > 948.0


def test_sputnik_heights_are_above_the_equatorial_radius(sputnik_orbit):
    # Independent checks of the reference radius: with 6378.137 km, a = 6955.137 km gives
    # Kepler's period 2 pi sqrt(a^3 / GM) = 96.21 min (NSSDC: 96.2 min; above the 6371 km mean
    # radius it would be 96.06 min) and e = 724 / 13910.3 = 0.05205 (NSSDC: 0.05201).
    a_m = sputnik_orbit.semi_major_axis_m
    assert a_m == pytest.approx(6955137.0)
    assert 2 * np.pi * np.sqrt(a_m**3 / GM_EARTH_M3PS2) / 60.0 == pytest.approx(96.2, abs=0.05)
    assert sputnik_orbit.eccentricity == pytest.approx(0.05201, abs=1e-4)
    # The perigee (argument of perigee 58 deg at 65.1 deg: geocentric latitude 50.3 N) is then
    # 227.6 km above the WGS-84 ellipsoid, the height accounts quoting the surface below give:
    # 227 km (CelesTrak SATCAT), 230 km (Encyclopaedia Britannica).
    sin_lat = np.sin(sputnik_orbit.inclination_rad) * np.sin(sputnik_orbit.arg_perigee_rad)
    surface_m = R_POLAR_M / np.sqrt(1.0 - WGS84_E2 * (1.0 - sin_lat**2))
    height_km = (R_EARTH_M + 215e3 - surface_m) / 1e3
    assert np.degrees(np.arcsin(sin_lat)) == pytest.approx(50.3, abs=0.05)
    assert 227.0 <= height_km <= 230.0
