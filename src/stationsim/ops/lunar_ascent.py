"""Powered ascent of the Apollo lunar module's ascent stage from the surface to orbit insertion.

Guidance follows the Apollo ascent guidance of Luminary 1A (P12; Bennett, "Apollo lunar descent
and ascent trajectories", NASA TM X-58040, 1970): a vertical rise, then, every 2 s, a thrust
acceleration whose radial and cross-range parts are linear in time,

    a_r(t) = A + B t,    a_y(t) = C + D t,

chosen so that altitude and radial rate, and the distance from and rate across the target's
orbit plane, reach their targets when the velocity still to be gained is used up; what is left
of the engine's acceleration goes downrange. The time to go comes from the rocket equation,
tgo = tau (1 - exp(-VG / ve)), with tau = m / mdot and the velocity to be gained VG corrected for
the gravity still to be fought (gravity less the centrifugal term, held constant over tgo).
In the last 10 s the position terms are dropped (B = D = 0, rates only), and the engine is cut
off when tgo runs out. The ascent engine does not throttle.

Targets (MSC-00171 Table 5-V, as transcribed in the constants file cited by
space_race_inputs.csv): 60,000 ft above the landing site, climbing at 32 ft/s, 5,534.9 ft/s
horizontal, in the command module's orbit plane; the vertical rise lasts 10 s (Apollo 11 press
kit, the same transcription). Gravity: lunar point mass and J2 (astro.powered_flight).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from stationsim.astro.constants import G0_MPS2, MU_MOON_M3PS2
from stationsim.astro.elements import state_to_elements
from stationsim.astro.moon_local import MOON, FrozenMoonFrame
from stationsim.astro.powered_flight import FlightState, fly
from stationsim.astro.time import Epoch

FT = 0.3048
LBF_N = 4.4482216152605

GUIDANCE_CYCLE_S = 2.0
VERTICAL_RISE_S = 10.0
POSITION_TERMS_END_S = 10.0  # below this tgo only the rates are steered
INSERTION_HEIGHT_M = 60000.0 * FT
INSERTION_RADIAL_RATE_MPS = 32.0 * FT
INSERTION_HORIZONTAL_MPS = 5534.9 * FT


@dataclass(frozen=True)
class AscentEngine:
    """A fixed-thrust engine whose thrust and Isp drift linearly over the burn between two
    operating points (seconds from ignition)."""

    points_s: tuple[float, float]
    thrust_n: tuple[float, float]
    isp_s: tuple[float, float]
    source: str

    def at(self, t_s: float) -> tuple[float, float]:
        (t0, t1), (f0, f1), (i0, i1) = self.points_s, self.thrust_n, self.isp_s
        w = min(max((t_s - t0) / (t1 - t0), 0.0), 1.0)
        return f0 + w * (f1 - f0), i0 + w * (i1 - i0)


APS = AscentEngine(
    points_s=(10.0, 400.0),
    thrust_n=(3464.0 * LBF_N, 3439.0 * LBF_N),
    isp_s=(309.4, 308.8),
    source="MSC-00171 Table 9.9-I: predicted steady-state thrust and Isp 10 s and 400 s into "
    "the Apollo 11 ascent (the measured pressures matched them), as transcribed in the "
    "constants file cited by space_race_inputs.csv",
)


@dataclass(frozen=True)
class Insertion:
    """The end of a powered ascent: epoch, state (frame of the flight), burn time, and the
    orbit's apolune and perilune heights above the landing site's radius."""

    epoch: Epoch
    state: FlightState
    burn_s: float
    apolune_m: float
    perilune_m: float


def _linear_steering(error_m: float, rate_error_mps: float, tgo_s: float) -> float:
    """The acceleration now, a(0) of a(t) = a0 + b t, that closes a position ``error_m`` (beyond
    what the current rate covers) and a rate ``rate_error_mps`` in ``tgo_s``."""
    if tgo_s < POSITION_TERMS_END_S:
        return rate_error_mps / tgo_s
    b = (6.0 * rate_error_mps * tgo_s - 12.0 * error_m) / tgo_s**3
    return rate_error_mps / tgo_s - 0.5 * b * tgo_s


def ascend(
    epoch0: Epoch, site_r_m: np.ndarray, mass_kg: float, target_r_m: np.ndarray,
    target_v_mps: np.ndarray, site_radius_m: float, frame: FrozenMoonFrame,
    engine: AscentEngine = APS,
) -> Insertion:
    """Fly the ascent from lift-off at ``epoch0`` from ``site_r_m`` (in ``frame`` at that epoch)
    into the plane of the orbit whose state at lift-off is (``target_r_m``, ``target_v_mps``)."""
    spin = frame.spin_radps(epoch0)
    r0 = np.asarray(site_r_m, float)
    state = FlightState(r0, np.cross(spin, r0), float(mass_kg))
    normal = np.cross(target_r_m, target_v_mps)
    normal /= np.linalg.norm(normal)
    target_radius_m = site_radius_m + INSERTION_HEIGHT_M
    t_s, tgo_s = 0.0, 450.0
    while True:
        thrust_n, isp_s = engine.at(t_s)
        exhaust_mps = isp_s * G0_MPS2
        r, v = state.r_m, state.v_mps
        radius = float(np.linalg.norm(r))
        up = r / radius
        downrange = np.cross(normal, up)
        downrange /= np.linalg.norm(downrange)
        across = np.cross(up, downrange)
        rdot, ydot, zdot = float(v @ up), float(v @ across), float(v @ downrange)
        y_m = radius * math.asin(float(up @ normal))
        tau_s = state.mass_kg * exhaust_mps / thrust_n
        accel = thrust_n / state.mass_kg
        g_eff = MU_MOON_M3PS2 / radius**2 - float(np.linalg.norm(np.cross(r, v))) ** 2 / radius**3
        gain = np.array([INSERTION_RADIAL_RATE_MPS - rdot + 0.5 * g_eff * tgo_s, -ydot,
                         INSERTION_HORIZONTAL_MPS - zdot])
        tgo_s = tau_s * (1.0 - math.exp(-float(np.linalg.norm(gain)) / exhaust_mps))
        if t_s < VERTICAL_RISE_S:
            direction, step_s = up, min(GUIDANCE_CYCLE_S, VERTICAL_RISE_S - t_s)
        else:
            a_r = g_eff + _linear_steering(target_radius_m - radius - rdot * tgo_s,
                                           INSERTION_RADIAL_RATE_MPS - rdot, tgo_s)
            a_y = _linear_steering(-y_m - ydot * tgo_s, -ydot, tgo_s)
            a_z = math.sqrt(max(accel**2 - a_r**2 - a_y**2, 0.0))
            direction = a_r * up + a_y * across + a_z * downrange
            step_s = min(GUIDANCE_CYCLE_S, tgo_s)
        state = fly(state, step_s, MOON, thrust_n, direction, isp_s)
        t_s += step_s
        if t_s >= VERTICAL_RISE_S and tgo_s <= GUIDANCE_CYCLE_S:
            break
        if t_s > 1200.0:
            raise ValueError("the ascent guidance did not reach orbit in 20 minutes")
    elements = state_to_elements(state.r_m, state.v_mps, MU_MOON_M3PS2)
    a_m, e = float(elements.a_m), float(elements.e)
    return Insertion(epoch0 + t_s, state, t_s, a_m * (1.0 + e) - site_radius_m,
                     a_m * (1.0 - e) - site_radius_m)
