"""Burns aimed at a target, as the Apollo guidance flew them: the size or the attitude follows
from where the burn must put the craft, not from a written attitude.

Two targets (docs/programs.md, "Trajectories"):

- ``apoapsis_km``: the burn lasts until the orbit about the central body has this apoapsis
  height, as the SPS burns were cut off when the guidance's velocity-to-be-gained was met
  (lunar-orbit insertion into the flight plan's 60 x 170 n mi; *Apollo 11 Mission Report*,
  MSC-00171, sec. 7.5). The delta-v is then the model's; the written one is the first guess.
- ``entry_angle_deg``: the burn keeps its written delta-v and time, and its thrust is pitched
  in the orbit plane so that the way home, with the later burns as written, reaches the entry
  interface at this flight-path angle: the trans-Earth injection was targeted to the entry
  corridor's centre, -6.5 deg at 400,000 ft (Graves and Harpold, *Apollo Experience Report:
  Mission Planning for Apollo Entry*, NASA TN D-6725, 1972). The angle is reached through the
  vacuum perigee radius of the osculating conic on arrival, which is smooth whether the
  trial comes down or passes above the air.

Both are solved by the secant method on the flown (finite-burn, full-force) trajectory.
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


def secant(f: Callable[[float], float], x0: float, x1: float, tolerance: float) -> float:
    """The root of ``f`` near ``x0``, ``x1`` by the secant method, to ``tolerance`` in f;
    ValueError when it does not converge."""
    f0, f1 = f(x0), f(x1)
    for _ in range(MAX_ITERATIONS):
        if abs(f1) < tolerance:
            return x1
        if f1 == f0:
            break
        x0, x1, f0 = x1, x1 - f1 * (x1 - x0) / (f1 - f0), f1
        f1 = f(x1)
    if abs(f1) < tolerance:
        return x1
    raise ValueError(f"the targeting did not converge (miss {f1:.3g} after {MAX_ITERATIONS} "
                     "tries)")


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
