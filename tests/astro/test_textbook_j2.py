"""J2 secular rates against Curtis's worked examples: nodal regression, apsidal rotation and
the sun-synchronous inclination.

Curtis, Orbital Mechanics for Engineering Students, 2nd ed. (2010), sec. 4.7: its worked
example of a Shuttle orbit (280 x 400 km at 51.43 deg) and Example 4.9 (p. 229), with the
book's constants: mu = 398,600 km^3/s^2, R = 6378 km, J2 = 0.00108263. Tolerances are half
a unit of the last printed digit.
"""

from __future__ import annotations

import math

from stationsim.astro.elements import period_s
from stationsim.astro.kepler import j2_secular_rates

MU_M3PS2, R_M, J2 = 398600e9, 6378e3, 0.00108263
DEG_PER_DAY = 86400.0 * 180.0 / math.pi  # rad/s -> deg/day


def _rates_deg_per_day(perigee_alt_m: float, apogee_alt_m: float, inclination_deg: float):
    rp, ra = R_M + perigee_alt_m, R_M + apogee_alt_m
    raan_dot, argp_dot, _ = j2_secular_rates((rp + ra) / 2.0, (ra - rp) / (ra + rp),
                                             math.radians(inclination_deg), MU_M3PS2, J2, R_M)
    return float(raan_dot) * DEG_PER_DAY, float(argp_dot) * DEG_PER_DAY


def test_curtis_shuttle_orbit_node_and_perigee_rates():
    # 280 km by 400 km at 51.43 deg: the node regresses 5.181 deg/day, the perigee advances
    # 3.920 deg/day
    raan_dot, argp_dot = _rates_deg_per_day(280e3, 400e3, 51.43)
    assert abs(raan_dot - (-5.181)) < 5e-4
    assert abs(argp_dot - 3.920) < 5e-4


def test_curtis_example_4_9_sun_synchronous_orbit_of_100_minutes():
    # A circular orbit of 100 min is 758.63 km high; sun-synchronous (the node turning east
    # 0.9856 deg/day, once a year) at i = 98.43 deg.
    radius_m = R_M + 758.63e3
    # the height printed to 0.005 km moves the period by dT/da = 1.5 T / a: 0.0063 s
    assert abs(float(period_s(radius_m, MU_M3PS2)) - 6000.0) < 0.007
    raan_dot, _ = _rates_deg_per_day(758.63e3, 758.63e3, 98.43)
    # i printed to 0.01 deg: half of it moves the rate by 1.5 k sin(i) * 0.005 deg = 5.8e-4
    # deg/day (k = n J2 (R/a)^2 = 4.48 deg/day here)
    assert abs(raan_dot - 0.9856) < 6e-4
