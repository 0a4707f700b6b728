"""Third-body forces and the Moon-centred mode against an independent integration.

The reference is scipy's DOP853 at rtol 1e-13 on forces written here: the central point mass,
its J2, and the Moon's and the Sun's pull from DE421 evaluated by jplephem at each call
(TDB from ERFA's dtdb), with the indirect term (Montenbruck & Gill, Satellite Orbits, eq. 3.37).
"""

import de421
import erfa
import numpy as np
from jplephem import Ephemeris
from scipy.integrate import solve_ivp

from stationsim.astro.cislunar import PERILUNE, SOI_MOON_M, fly, recentre
from stationsim.astro.constants import (
    GM_EARTH_M3PS2,
    J2,
    J2_MOON,
    MU_MOON_M3PS2,
    MU_SUN_M3PS2,
    R_EARTH_M,
    R_MOON_GRAVITY_M,
)
from stationsim.astro.moon_frame import pole_gcrf
from stationsim.astro.propagate import Numerical, OrbitState
from stationsim.astro.time import Epoch

EPH = Ephemeris(de421)
T0 = Epoch.from_utc(1968, 12, 21, 15, 47, 5.51)
DAY_S = 86400.0


def _bodies_m(t_tt_s):
    """Geocentric Moon and Sun, m, straight from jplephem."""
    tt1, tt2 = 2451545.0, t_tt_s / DAY_S
    tdb2 = tt2 + erfa.dtdb(tt1, tt2, 0.0, 0.0, 0.0, 0.0) / DAY_S
    moon = EPH.position("moon", tt1, tdb2)
    earth = EPH.position("earthmoon", tt1, tdb2) - moon / (1.0 + EPH.EMRAT)
    return moon.ravel() * 1e3, (EPH.position("sun", tt1, tdb2) - earth).ravel() * 1e3


def _pull(gm, body_m, r_m):
    d = body_m - r_m
    return gm * (d / np.linalg.norm(d) ** 3 - body_m / np.linalg.norm(body_m) ** 3)


def _j2(gm, j2, radius_m, pole, r_m):
    r = np.linalg.norm(r_m)
    u = r_m @ pole / r
    k = -1.5 * gm * j2 * radius_m**2 / r**4
    return k * ((1.0 - 5.0 * u * u) * r_m / r + 2.0 * u * pole)


def _reference(central, r0_m, v0_mps, duration_s):
    pole = pole_gcrf(T0) if central == "moon" else np.array([0.0, 0.0, 1.0])

    def rhs(t_s, y):
        moon_m, sun_m = _bodies_m(T0.tt_s + t_s)
        r = y[:3]
        if central == "earth":
            a = -GM_EARTH_M3PS2 * r / np.linalg.norm(r) ** 3
            a += _j2(GM_EARTH_M3PS2, J2, R_EARTH_M, pole, r)
            a += _pull(MU_MOON_M3PS2, moon_m, r) + _pull(MU_SUN_M3PS2, sun_m, r)
        else:
            a = -MU_MOON_M3PS2 * r / np.linalg.norm(r) ** 3
            a += _j2(MU_MOON_M3PS2, J2_MOON, R_MOON_GRAVITY_M, pole, r)
            a += _pull(GM_EARTH_M3PS2, -moon_m, r) + _pull(MU_SUN_M3PS2, sun_m - moon_m, r)
        return np.concatenate([y[3:], a])

    solution = solve_ivp(rhs, (0.0, duration_s), np.concatenate([r0_m, v0_mps]),
                         method="DOP853", rtol=1e-13, atol=1e-9)
    return solution.y[:3, -1]


def test_translunar_coast_with_moon_and_sun_matches_an_independent_integration_to_a_metre():
    # a high ellipse out of a parking orbit, toward the Moon's distance
    r0_m = np.array([-4.65e6, -4.21e6, 2.45e6])
    v0_mps = np.array([5.21e3, -8.36e3, 3.72e3])
    ours = Numerical(T0, r0_m, v0_mps, zonal_degree=2, third_bodies=("moon", "sun"))
    r_m = ours.propagate_to(T0 + DAY_S).r_m
    assert np.linalg.norm(r_m) > 80e6  # far out, where the Moon and the Sun pull
    assert np.linalg.norm(r_m - _reference("earth", r0_m, v0_mps, DAY_S)) < 1.0


def test_lunar_orbit_with_j2_earth_and_sun_matches_an_independent_integration_to_a_metre():
    # a 110 km circular lunar orbit, inclined, Moon-centred in GCRF axes
    radius_m = 1737.4e3 + 110e3
    speed = np.sqrt(MU_MOON_M3PS2 / radius_m)
    r0_m = np.array([radius_m, 0.0, 0.0])
    v0_mps = speed * np.array([0.0, np.cos(0.3), np.sin(0.3)])
    ours = Numerical(T0, r0_m, v0_mps, central_body="moon", third_bodies=("earth", "sun"))
    r_m = ours.propagate_to(T0 + DAY_S).r_m
    assert np.linalg.norm(r_m - _reference("moon", r0_m, v0_mps, DAY_S)) < 1.0


def test_moon_centred_and_earth_centred_coasts_agree_inside_the_sphere_of_influence():
    # the same physics about either centre: a state 30,000 km from the Moon, a 6 h coast
    start_moon = OrbitState(T0, [3.0e7, 0.0, 0.0], [0.0, -300.0, 200.0])
    start_earth = recentre(start_moon, "moon", "earth")
    about_moon = Numerical(T0, start_moon.r_m, start_moon.v_mps, central_body="moon",
                           zonal_degree=0, third_bodies=("earth", "sun"))
    about_earth = Numerical(T0, start_earth.r_m, start_earth.v_mps, zonal_degree=0,
                            third_bodies=("moon", "sun"))
    end_moon = recentre(about_moon.propagate_to(T0 + 6 * 3600.0), "moon", "earth")
    end_earth = about_earth.propagate_to(T0 + 6 * 3600.0)
    assert np.linalg.norm(end_moon.r_m - end_earth.r_m) < 1.0


def test_a_coast_switches_centre_at_the_sphere_of_influence_and_stops_at_perilune():
    # 80,000 km from the Moon closing at 500 m/s with 100 m/s across: the coast starts about
    # the Earth, switches at the sphere of influence and stops at perilune, where a coast
    # about the Moon from the start (no switch) puts it too
    start_moon = OrbitState(T0, [8.0e7, 0.0, 0.0], [-500.0, 100.0, 0.0])
    coast = fly(recentre(start_moon, "moon", "earth"), "earth", T0 + 4.0 * DAY_S,
                stop=(PERILUNE,))
    direct = fly(start_moon, "moon", T0 + 4.0 * DAY_S, stop=(PERILUNE,))
    assert coast.central == "moon" and coast.stop == PERILUNE and direct.stop == PERILUNE
    assert np.linalg.norm(coast.state.r_m) < 0.5 * SOI_MOON_M
    assert abs(coast.state.epoch - direct.state.epoch) < 1.0
    assert np.linalg.norm(coast.state.r_m - direct.state.r_m) < 100.0
    assert np.all(np.diff(coast.track_epochs.tt_s) >= 0.0)
