"""Kepler's equation against Curtis's worked examples of time since periapsis.

Curtis, Orbital Mechanics for Engineering Students, 2nd ed. (2010), Examples 3.1 (p. 163) and
3.2 (p. 164), with the book's mu = 398,600 km^3/s^2. Each tolerance is half a unit of the
last printed digit.
"""

from __future__ import annotations

import math

from stationsim.astro.elements import (
    mean_to_eccentric,
    mean_to_true,
    period_s,
    true_to_eccentric,
    true_to_mean,
)

MU_CURTIS_M3PS2 = 398600e9
PERIGEE_M, APOGEE_M = 9600e3, 21000e3  # both examples' orbit
A_M = (PERIGEE_M + APOGEE_M) / 2.0
E = (APOGEE_M - PERIGEE_M) / (APOGEE_M + PERIGEE_M)


def test_curtis_example_3_1_time_from_perigee_to_120_deg():
    # printed: e = 0.37255, T = 18,834 s, E = 1.7281 rad, Me = 1.3601 rad, t = 4077 s
    period = float(period_s(A_M, MU_CURTIS_M3PS2))
    nu_rad = math.radians(120.0)
    mean_rad = float(true_to_mean(nu_rad, E))
    assert abs(E - 0.37255) < 5e-6
    assert abs(period - 18834.0) < 0.5
    assert abs(float(true_to_eccentric(nu_rad, E)) - 1.7281) < 5e-5
    assert abs(mean_rad - 1.3601) < 5e-5
    assert abs(mean_rad / (2.0 * math.pi) * period - 4077.0) < 0.5


def test_curtis_example_3_2_true_anomaly_three_hours_after_perigee():
    # printed: Me = 3.6029 rad, E = 3.4794 rad (Newton from Me), theta = 193.2 deg
    mean_rad = 2.0 * math.pi * 3.0 * 3600.0 / float(period_s(A_M, MU_CURTIS_M3PS2))
    assert abs(mean_rad - 3.6029) < 5e-5
    assert abs(float(mean_to_eccentric(mean_rad, E)) - 3.4794) < 5e-5
    theta_deg = math.degrees(float(mean_to_true(mean_rad, E))) % 360.0
    assert abs(theta_deg - 193.2) < 0.05
