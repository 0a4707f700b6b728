"""Burns aimed at a target, as the Apollo burns were: their size or attitude follows from where
the burn must put the craft, not from a written attitude.

Three targets (docs/programs.md, "Trajectories"), each solved by the secant method on the
flown (finite-burn, full-force) trajectory:

- ``apoapsis_km``: the burn lasts until the orbit about the central body has this apoapsis,
  as the SPS was cut off when its guidance had gained the velocity that put the craft in the
  flight plan's orbit (lunar-orbit insertion into 60 x 170 n mi). The delta-v is the model's.
- ``cutoff``: the burn lasts until the craft's energy about the central body is that of the
  recorded cut-off state (height and space-fixed speed): the energy sets the way home's time.
- ``entry_angle_deg``: the thrust is pitched in the orbit plane so that the way home, with the
  later burns as written, reaches the entry interface at this flight-path angle, the entry
  corridor's centre the trans-Earth injection aimed at (-6.5 deg for Apollo). The angle is
  reached through the vacuum perigee radius of the osculating geocentric conic on arrival
  (:func:`perigee_radius_for_entry_m`), smooth whether a trial comes down or passes above the
  air; the interface is taken on a sphere of the equatorial radius (the ellipsoid lies up to
  21 km lower: 0.2 deg of angle at most).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from stationsim.astro.cislunar import PERIGEE, fly
from stationsim.astro.constants import GM_EARTH_M3PS2, R_EARTH_M
from stationsim.astro.elements import state_to_elements
from stationsim.astro.propagate import OrbitState
from stationsim.astro.time import Epoch

MAX_ITERATIONS = 12
SEARCH_RTOL = 1e-10  # the trial coasts' integration tolerance (the flown one keeps 1e-12)
SEARCH_STEP_S = 60.0  # the trial burns' impulses
FINITE_STEP_S = 10.0  # the flown burns' impulses: a burn is at most this much burning each


def secant(f: Callable[[float], float], x0: float, x1: float, tolerance: float) -> float:
    """The root of ``f`` near ``x0``, ``x1`` by the secant method, to ``tolerance`` in f;
    ValueError when it does not converge."""
    return secant_slope(f, x0, x1, tolerance)[0]


def secant_slope(f: Callable[[float], float], x0: float, x1: float,
                 tolerance: float) -> tuple[float, float]:
    """:func:`secant`, with the last secant slope of f there."""
    f0, f1 = f(x0), f(x1)
    slope = math.nan
    for _ in range(MAX_ITERATIONS):
        if f1 == f0:
            break
        slope = (f1 - f0) / (x1 - x0)
        if abs(f1) < tolerance:
            return x1, slope
        x0, x1, f0 = x1, x1 - f1 / slope, f1
        f1 = f(x1)
    if abs(f1) < tolerance:
        return x1, slope
    raise ValueError(f"the targeting did not converge (miss {f1:.3g} after {MAX_ITERATIONS} "
                     "tries)")


def coarse_then_fine(miss: Callable[[float, float], float], x0: float, x1: float,
                     tolerance: float) -> float:
    """The root of ``miss(x, step_s)``: searched with the trial burns' coarse steps
    (``SEARCH_STEP_S``), then moved by one Newton step, on the search's slope, from the miss
    with the flown steps (``FINITE_STEP_S``): the two differ by a nearly constant offset."""
    coarse, slope = secant_slope(lambda x: miss(x, SEARCH_STEP_S), x0, x1, tolerance)
    if not math.isfinite(slope) or slope == 0.0:
        return coarse
    return coarse - miss(coarse, FINITE_STEP_S) / slope


def perigee_radius_for_entry_m(state: OrbitState, entry_angle_rad: float,
                               interface_m: float) -> float:
    """The vacuum perigee radius of a geocentric conic with ``state``'s energy that crosses
    the interface (its height above the equatorial radius) at ``entry_angle_rad``."""
    r_ei = R_EARTH_M + interface_m
    energy = 0.5 * float(state.v_mps @ state.v_mps) - GM_EARTH_M3PS2 / float(
        np.linalg.norm(state.r_m))
    v_ei = math.sqrt(2.0 * (energy + GM_EARTH_M3PS2 / r_ei))
    h = r_ei * v_ei * math.cos(entry_angle_rad)
    e = math.sqrt(1.0 + 2.0 * energy * h * h / GM_EARTH_M3PS2**2)
    return h * h / GM_EARTH_M3PS2 / (1.0 + e)


def arrival(state: OrbitState, central: str, end: Epoch, interface_m: float,
            rtol: float = SEARCH_RTOL) -> OrbitState:
    """The geocentric state where a coast home stops: its first Earth perigee, or the entry
    interface when it comes down; ValueError when it does neither by ``end``."""
    leg = fly(state, central, end, stop=(PERIGEE,), entry_altitude_m=interface_m, rtol=rtol)
    if leg.central != "earth" or leg.stop not in (PERIGEE, "entry"):
        raise ValueError(f"the trial does not come home (it stopped at {leg.stop} about the "
                         f"{leg.central})")
    return leg.state


def vacuum_perigee_m(state: OrbitState) -> float:
    """Perigee radius of the osculating geocentric conic through ``state``."""
    elements = state_to_elements(state.r_m, state.v_mps, GM_EARTH_M3PS2)
    return float(elements.a_m) * (1.0 - float(elements.e))
