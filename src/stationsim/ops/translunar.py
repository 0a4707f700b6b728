"""Translunar injection planning: from a circular parking orbit to a chosen perilune.

The search follows the classical two steps (Bate, Mueller & White, *Fundamentals of
Astrodynamics*, 1971, ch. 7; Vallado 4th ed. sec. 12.4 on B-plane targeting):

1. Two-body guess: the parking orbit (circular, its plane drifting by the J2 secular rates) is
   sampled each minute over ``search_s`` from ``start``; at each moment a Lambert arc (Izzo
   2015) to the Moon's centre ``time_of_flight_s`` later gives the impulsive TLI; the cheapest
   moment is kept.
2. Full-force shooting: the TLI time (along the parking orbit) and the along-track delta-v
   (the burn stays in the parking plane) are corrected by damped Newton iteration on the
   B-plane of the lunar approach (Moon-centred osculating hyperbola: B.T, B.R with T = S x the
   transfer's normal) and the time of perilune, integrating the coast with the Earth's zonals,
   the Moon and the Sun (:func:`stationsim.astro.cislunar.fly`). B.T is aimed so that |B|
   puts the perilune at ``perilune_altitude_m`` on a retrograde (Apollo) or prograde pass
   ``time_of_flight_s`` after the two-body TLI; B.R, the Moon's offset from the plane, is the
   plane's: a plane that passes too far off is an error that asks for another node.

The plan then flies on past perilune without a burn for up to 10 days: a coast that comes back
to an Earth perigee below 100 km is a free return. A perilune height of minus the Moon's radius
aims at its centre (an impact, as Luna 2's).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from stationsim.astro.cislunar import PERIGEE, PERILUNE, Coast, fly, recentre
from stationsim.astro.constants import (
    DAY_S,
    GM_EARTH_M3PS2,
    MU_MOON_M3PS2,
    R_EARTH_M,
    R_MOON_M,
)
from stationsim.astro.elements import elements_to_state, state_to_elements, true_to_mean
from stationsim.astro.ephemeris import moon_gcrf
from stationsim.astro.kepler import j2_secular_rates, propagate_j2_secular
from stationsim.astro.lambert import solve_lambert
from stationsim.astro.moon_frame import pole_gcrf
from stationsim.astro.propagate import OrbitState
from stationsim.astro.time import Epoch

FREE_RETURN_PERIGEE_M = 100e3  # a return perigee below this altitude reaches the atmosphere
_FD_DV_MPS = 0.05
_MAX_ITERATIONS = 12
_MAX_STEP = 100.0  # Newton steps are cut to 100 units (min of TLI time, m/s of dv), then halved
_STEP_UNITS = np.array([60.0, 1.0])
_SCALE = np.array([1e3, 1.0])  # the miss in km of B.T and s of perilune time


def _damped(shoot, x, step, miss_norm, goal):
    """The Newton step, halved (up to 6 times) while the coast misses the Moon's sphere or the
    miss does not shrink; the last try is kept."""
    for _ in range(6):
        try:
            coast, got = shoot(x + step)
        except ValueError:
            step = 0.5 * step
            continue
        if np.linalg.norm((goal - got[[0, 2]]) / _SCALE) < miss_norm:
            break
        step = 0.5 * step
    else:
        coast, got = shoot(x + step)
    return x + step, coast, got


class TranslunarPlan(NamedTuple):
    """An impulsive TLI and where it goes: the burn (epoch, delta-v, the state after it,
    Earth-centred), the perilune reached (epoch, altitude, inclination to the Moon's equator)
    and, coasting on without a burn, the Earth perigee altitude of the return (None when the
    coast does not come back within 10 days)."""

    tli_epoch: Epoch
    tli_dv_mps: float
    tli_state: OrbitState
    perilune_epoch: Epoch
    perilune_altitude_m: float
    perilune_inclination_rad: float
    return_perigee_altitude_m: float | None
    iterations: int


def parking_states(start: Epoch, altitude_m: float, inclination_rad: float, raan_rad: float,
                   epochs: Epoch) -> tuple[np.ndarray, np.ndarray]:
    """States (r m, v m/s) of a circular parking orbit at ``epochs``: ascending node at
    ``start``, J2 secular drift of the plane."""
    a_m = R_EARTH_M + altitude_m
    r0, v0 = elements_to_state(a_m, 0.0, inclination_rad, raan_rad, 0.0, 0.0)
    return propagate_j2_secular(r0, v0, np.asarray(epochs.tt_s) - start.tt_s)


def ideal_raan_rad(arrival: Epoch, inclination_rad: float) -> float:
    """The node that puts the Moon's antipode at ``arrival`` in a parking plane of
    ``inclination_rad`` (the closest plane when the Moon's declination exceeds the
    inclination)."""
    anti = -moon_gcrf(arrival)[0]
    anti = anti / np.linalg.norm(anti)
    declination = math.asin(anti[2])
    right_ascension = math.atan2(anti[1], anti[0])
    ratio = max(-1.0, min(1.0, math.sin(declination) / math.sin(inclination_rad)))
    latitude_argument = math.asin(ratio)
    return (right_ascension - math.atan2(math.cos(inclination_rad) * math.sin(latitude_argument),
                                         math.cos(latitude_argument))) % (2.0 * math.pi)


def _approach(coast: Coast, normal: np.ndarray) -> np.ndarray:
    """(B.T m, B.R m, time of perilune TT s) of the osculating Moon-centred hyperbola where a
    coast ended (its perilune or its impact); T = S x ``normal`` (the transfer's orbit normal)
    lies in the transfer plane, so B.R is the Moon's offset from that plane."""
    state = coast.state if coast.central == "moon" else recentre(coast.state, "earth", "moon")
    r, v = state.r_m, state.v_mps
    h = np.cross(r, v)
    energy = 0.5 * (v @ v) - MU_MOON_M3PS2 / np.linalg.norm(r)
    if energy <= 0.0:
        raise ValueError("the coast is captured by the Moon without a burn; shorten the flight "
                         "time")
    e_vec = np.cross(v, h) / MU_MOON_M3PS2 - r / np.linalg.norm(r)
    e = float(np.linalg.norm(e_vec))
    e_hat, h_hat = e_vec / e, h / np.linalg.norm(h)
    # incoming asymptote: velocity direction at true anomaly -nu_inf, cos nu_inf = -1/e
    s = math.sqrt(1.0 - 1.0 / e**2) * e_hat + (e - 1.0 / e) * np.cross(h_hat, e_hat)
    s /= np.linalg.norm(s)
    b = np.cross(s, h) / math.sqrt(2.0 * energy)
    t = np.cross(s, normal)
    t /= np.linalg.norm(t)
    elements = state_to_elements(r, v, MU_MOON_M3PS2)
    nu = (float(elements.nu_rad) + math.pi) % (2.0 * math.pi) - math.pi  # inbound: negative
    mean_motion = math.sqrt(MU_MOON_M3PS2 / abs(float(elements.a_m)) ** 3)
    t_p = state.epoch.tt_s - float(true_to_mean(nu, e)) / mean_motion
    return np.array([b @ t, b @ np.cross(s, t), t_p])


def _b_target_m(coast: Coast, approach: np.ndarray, perilune_altitude_m: float,
                retrograde: bool) -> np.ndarray:
    """The (B.T, B.R) to aim for: |B| of a pass at the perilune radius (from the hyperbola's
    energy), B.R as the plane gives it (up to 0.9 |B|), B.T of the sign that makes the pass
    retrograde or prograde."""
    state = coast.state if coast.central == "moon" else recentre(coast.state, "earth", "moon")
    energy = 0.5 * (state.v_mps @ state.v_mps) - MU_MOON_M3PS2 / np.linalg.norm(state.r_m)
    r_p = max(R_MOON_M + perilune_altitude_m, 0.0)  # 0: aimed at the centre
    b = math.sqrt(r_p * r_p + MU_MOON_M3PS2 * r_p / max(energy, 1.0))
    br = min(max(approach[1], -0.9 * b), 0.9 * b)
    bt = math.sqrt(b * b - br * br)
    return np.array([-bt if retrograde else bt, br])


def plan_translunar(
    start: Epoch, parking_altitude_m: float, inclination_rad: float, time_of_flight_s: float,
    perilune_altitude_m: float, raan_rad: float | None = None, retrograde: bool = True,
    search_s: float = DAY_S,
) -> TranslunarPlan:
    """Plan the TLI from a circular parking orbit (ascending node at ``start``; ``raan_rad``
    None: :func:`ideal_raan_rad`) within ``search_s`` after ``start``."""
    grid = Epoch(start.tt_s + np.arange(0.0, search_s, 60.0))
    r_moon = moon_gcrf(grid + time_of_flight_s)[0]
    fixed_plane = raan_rad is not None
    best = len(grid) // 2
    window = np.ones(len(grid), dtype=bool)
    for _pass in range(1 if fixed_plane else 3):  # without a node: the plane of the best TLI
        if not fixed_plane:  # the node at the TLI, carried back to ``start`` by J2
            raan_dot = float(j2_secular_rates(R_EARTH_M + parking_altitude_m, 0.0,
                                              inclination_rad)[0])
            raan_rad = (ideal_raan_rad(grid[best] + time_of_flight_s, inclination_rad)
                        - raan_dot * (grid[best] - start))
        r_park, v_park = parking_states(start, parking_altitude_m, inclination_rad, raan_rad,
                                        grid)
        # the arc turning the parking orbit's way (Izzo's "prograde" is about +z: a retrograde
        # parking orbit, i > 90 deg, needs the other one)
        v1, _v2 = solve_lambert(r_park, r_moon, np.full(len(grid), time_of_flight_s),
                                GM_EARTH_M3PS2, prograde=np.cross(r_park, v_park)[:, 2] >= 0.0)
        cost = np.where(window, np.linalg.norm(v1 - v_park, axis=1), np.inf)
        best = int(np.argmin(cost))
        window = np.abs(grid.tt_s - grid[best].tt_s) < 2700.0  # then keep to this revolution
    r_best, v_best = r_park[best], v_park[best]
    radial = r_best / np.linalg.norm(r_best)
    normal = np.cross(r_best, v_best)
    normal /= np.linalg.norm(normal)
    along = np.cross(normal, radial)
    dv_guess = v1[best] - v_best
    dv_radial = float(dv_guess @ radial)
    until = grid[best] + time_of_flight_s + 2.0 * DAY_S
    target_t = grid[best].tt_s + time_of_flight_s

    def burn(x):
        """The TLI of x = (shift of the TLI time s, along-track dv m/s): in the plane."""
        when = grid[best] + float(x[0])
        r, v = parking_states(start, parking_altitude_m, inclination_rad, raan_rad, when)
        radial_x = r / np.linalg.norm(r)
        normal_x = np.cross(r, v)
        normal_x /= np.linalg.norm(normal_x)
        dv = dv_radial * radial_x + x[1] * np.cross(normal_x, radial_x)
        return OrbitState(when, r, v + dv), float(np.linalg.norm(dv))

    def shoot(x):
        tli_state = burn(x)[0]
        coast = fly(tli_state, "earth", until, stop=(PERILUNE,))
        if coast.central != "moon":
            raise ValueError("the TLI guess misses the Moon's sphere of influence; try another "
                             "flight time or parking orbit")
        normal_x = np.cross(tli_state.r_m, tli_state.v_mps)
        return coast, _approach(coast, normal_x / np.linalg.norm(normal_x))

    # out of the plane the near-180 deg Lambert arc is ill-defined: start in the plane
    x = np.array([0.0, float(dv_guess @ along)])
    coast, got = shoot(x)
    fd_step = np.array([1.0, _FD_DV_MPS])
    iterations = 0
    while True:
        goal = np.array([_b_target_m(coast, got, perilune_altitude_m, retrograde)[0], target_t])
        miss = (goal - got[[0, 2]]) / _SCALE
        if np.abs(miss).max() < 0.1:
            break
        iterations += 1
        if iterations > _MAX_ITERATIONS:
            raise ValueError("the TLI search did not converge; try another flight time or "
                             "perilune height")
        jacobian = np.empty((2, 2))
        for k in range(2):
            step = np.zeros(2)
            step[k] = fd_step[k]
            jacobian[:, k] = (shoot(x + step)[1][[0, 2]] - got[[0, 2]]) / _SCALE / fd_step[k]
        step = np.linalg.solve(jacobian, miss)
        step *= min(1.0, _MAX_STEP / float(np.linalg.norm(step / _STEP_UNITS)))
        x, coast, got = _damped(shoot, x, step, np.linalg.norm(miss), goal)
    tli_state, tli_dv_mps = burn(x)
    perilune = coast.state if coast.central == "moon" else recentre(coast.state, "earth", "moon")
    if coast.stop == PERILUNE and (np.linalg.norm(perilune.r_m) - R_MOON_M
                                   > perilune_altitude_m + 1e3):
        raise ValueError(
            f"the parking plane passes {abs(got[1]) / 1e3:,.0f} km from the Moon's centre out "
            "of plane, above this perilune: give --raan-deg or another inclination")
    h = np.cross(perilune.r_m, perilune.v_mps)
    inclination = math.acos(float(h @ pole_gcrf(perilune.epoch)) / float(np.linalg.norm(h)))
    return_perigee = None
    back = coast if coast.stop == "impact" else fly(
        coast.state, coast.central, coast.state.epoch + 10.0 * DAY_S, stop=(PERIGEE,))
    if back.central == "earth" and back.stop != "until":  # at perigee, or inside the air
        ret = state_to_elements(back.state.r_m, back.state.v_mps)
        return_perigee = float(ret.a_m * (1.0 - ret.e)) - R_EARTH_M
    return TranslunarPlan(
        tli_state.epoch, tli_dv_mps, tli_state,
        perilune.epoch, float(np.linalg.norm(perilune.r_m)) - R_MOON_M, inclination,
        return_perigee, iterations,
    )
