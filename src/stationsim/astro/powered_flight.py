"""Powered and coasting flight near a central body: point mass plus J2, thrust, mass flow.

The state is (r_m, v_mps, mass_kg) in an inertial frame centred on the body whose z axis is the
body's spin axis (the J2 axis). A guidance law is a sampled-data controller, as the Apollo
guidance computer's two-second cycle was (Klumpp, "Apollo lunar descent guidance", Automatica
10, 1974): it picks a thrust direction and magnitude, :func:`fly` holds them for one cycle, and
the law looks again. Integration is classical fourth-order Runge-Kutta at a fixed step (Hairer,
Norsett & Wanner, *Solving ODEs I*, sec. II.1) in a Numba kernel; gravity is the point mass and
zonal J2 of :func:`stationsim.astro.forces.gravity_acceleration`. At the steps used here (1 s
powered, 10 s coasting) a coast of a 2-hour lunar orbit agrees with the universal-variable
Kepler solution to millimetres (the tests). The engine's thrust is constant over a call and
its exhaust speed is ``isp_s * G0``; attitude rates and the time to turn are not modelled.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import ArrayLike

from stationsim.astro.constants import G0_MPS2
from stationsim.astro.elements import finite_array, vector_array
from stationsim.astro.forces import gravity_acceleration
from stationsim.astro.kernel_cache import drop_stale

POWERED_STEP_S = 1.0  # RK4 step under thrust
COAST_STEP_S = 10.0  # RK4 step while coasting


class Body(NamedTuple):
    """A central body for the kernels: GM, the reference radius of J2, and J2 about frame z."""

    mu_m3ps2: float
    r_eq_m: float
    j2: float

    def zonal(self) -> np.ndarray:
        return np.array([0.0, 0.0, self.j2])


class FlightState(NamedTuple):
    """A vehicle at an instant: position and velocity (inertial, body-centred) and mass."""

    r_m: np.ndarray
    v_mps: np.ndarray
    mass_kg: float


@njit(cache=True, inline="always")
def _derivative(y, ux, uy, uz, accel_n, mdot_kgps, mu, r_eq, zonal, out):
    ax, ay, az = gravity_acceleration(y[0], y[1], y[2], mu, r_eq, zonal)
    thrust = accel_n / y[6]
    out[0], out[1], out[2] = y[3], y[4], y[5]
    out[3] = ax + thrust * ux
    out[4] = ay + thrust * uy
    out[5] = az + thrust * uz
    out[6] = -mdot_kgps


@njit(cache=True)
def arc_kernel(
    y0: np.ndarray, ux: float, uy: float, uz: float, thrust_n: float, mdot_kgps: float,
    duration_s: float, step_s: float, mu: float, r_eq: float, zonal: np.ndarray, y_out: np.ndarray,
) -> int:
    """RK4 from ``y0`` = (x, y, z, vx, vy, vz, m) over ``duration_s`` with a constant thrust
    ``thrust_n`` along the unit vector (ux, uy, uz) and mass flow ``mdot_kgps``; into ``y_out``.

    The last step is shortened to land on ``duration_s`` exactly. Returns the number of steps,
    or -1 if the state became non-finite or the mass non-positive.
    """
    n = max(1, int(math.ceil(duration_s / step_s - 1e-9)))
    h = duration_s / n
    y = y0.copy()
    k1, k2, k3, k4 = np.empty(7), np.empty(7), np.empty(7), np.empty(7)
    work = np.empty(7)
    for _ in range(n):
        _derivative(y, ux, uy, uz, thrust_n, mdot_kgps, mu, r_eq, zonal, k1)
        for i in range(7):
            work[i] = y[i] + 0.5 * h * k1[i]
        _derivative(work, ux, uy, uz, thrust_n, mdot_kgps, mu, r_eq, zonal, k2)
        for i in range(7):
            work[i] = y[i] + 0.5 * h * k2[i]
        _derivative(work, ux, uy, uz, thrust_n, mdot_kgps, mu, r_eq, zonal, k3)
        for i in range(7):
            work[i] = y[i] + h * k3[i]
        _derivative(work, ux, uy, uz, thrust_n, mdot_kgps, mu, r_eq, zonal, k4)
        for i in range(7):
            y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])
        if not (y[6] > 0.0 and math.isfinite(y[0] + y[1] + y[2] + y[3] + y[4] + y[5])):
            return -1
    y_out[:] = y
    return n


def fly(
    state: FlightState, duration_s: float, body: Body, thrust_n: float = 0.0,
    direction: ArrayLike = (1.0, 0.0, 0.0), isp_s: float = 1.0,
) -> FlightState:
    """The state after ``duration_s`` of thrust ``thrust_n`` along ``direction`` (inertial; any
    length) at specific impulse ``isp_s``; ``thrust_n = 0`` coasts.

    >>> from stationsim.astro.constants import MU_MOON_M3PS2, R_MOON_M
    >>> moon = Body(MU_MOON_M3PS2, R_MOON_M, 0.0)
    >>> s = FlightState(np.array([1.85e6, 0, 0]), np.array([0, 1628.0, 0]), 15000.0)
    >>> later = fly(s, 10.0, moon, thrust_n=43904.0, direction=(0, -1, 0), isp_s=311.0)
    >>> # rocket equation: 1628 - 311 g0 ln(15000 / 14856.05) = 1598.6 m/s, less the turn
    >>> round(float(later.mass_kg), 2), round(float(later.v_mps[1]), 1)
    (14856.05, 1598.5)
    """
    duration = float(finite_array("duration_s", duration_s))
    if duration < 0.0:
        raise ValueError(f"duration_s must be >= 0, got {duration_s!r}")
    if not (math.isfinite(thrust_n) and thrust_n >= 0.0):
        raise ValueError(f"thrust_n must be >= 0 and finite, got {thrust_n!r}")
    if duration == 0.0:
        return state
    y0 = np.concatenate([vector_array("r_m", state.r_m), vector_array("v_mps", state.v_mps),
                         [float(state.mass_kg)]])
    u = np.asarray(direction, dtype=float)
    norm = float(np.linalg.norm(u))
    if thrust_n > 0.0:
        if not (math.isfinite(norm) and norm > 0.0):
            raise ValueError(f"direction must be a non-zero finite vector, got {direction!r}")
        if not (math.isfinite(isp_s) and isp_s > 0.0):
            raise ValueError(f"isp_s must be > 0, got {isp_s!r}")
        u = u / norm
        mdot = thrust_n / (isp_s * G0_MPS2)
        step = POWERED_STEP_S
    else:
        u, mdot, step = np.array([1.0, 0.0, 0.0]), 0.0, COAST_STEP_S
    y_out = np.empty(7)
    if arc_kernel(y0, u[0], u[1], u[2], float(thrust_n), mdot, duration, step, body.mu_m3ps2,
                  body.r_eq_m, body.zonal(), y_out) < 0:
        raise ValueError(
            f"flight from r_m={state.r_m.tolist()} over {duration} s left no mass or a "
            "non-finite state"
        )
    return FlightState(y_out[:3], y_out[3:6], float(y_out[6]))


def fly_until(
    state: FlightState, duration_s: float, body: Body, stop: Callable[[FlightState], float],
    thrust_n: float = 0.0, direction: ArrayLike = (1.0, 0.0, 0.0), isp_s: float = 1.0,
    tolerance_s: float = 1e-3,
) -> tuple[FlightState, float]:
    """Fly as :func:`fly`, but stop where ``stop(state)`` (a continuous function, positive at
    the start) first falls to zero inside ``duration_s``; returns (state, time flown).

    The crossing is found by bisection on re-flown arcs to ``tolerance_s``.
    """
    end = fly(state, duration_s, body, thrust_n, direction, isp_s)
    if stop(end) > 0.0:
        return end, float(duration_s)
    low, high = 0.0, float(duration_s)
    while high - low > tolerance_s:
        middle = 0.5 * (low + high)
        if stop(fly(state, middle, body, thrust_n, direction, isp_s)) > 0.0:
            low = middle
        else:
            high = middle
    return fly(state, high, body, thrust_n, direction, isp_s), high


drop_stale(globals())  # before any kernel here loads from the disk cache (kernel_cache)
