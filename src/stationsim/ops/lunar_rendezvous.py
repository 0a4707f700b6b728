"""Lunar-orbit rendezvous of the ascent stage with the command module: CSI, CDH, TPI, the
midcourse corrections, braking, and the approach to docking.

The coelliptic sequence of Apollo 10 and 11 (MSC-00171 sec. 5.7; Young, Alexander & Dunning,
"Apollo lunar rendezvous", J. Spacecraft 8(11), 1971), each burn at its documented time and
targeted by its documented rule:

- CSI (coelliptic sequence initiation), horizontal: set so that, after CDH, the command module
  stands at the documented elevation above the ascent stage's local horizontal (26.6 deg for
  Apollo 11) at the documented TPI time (secant on the burn);
- CDH (constant delta height): make the ascent stage's orbit coelliptic with the command
  module's: its semi-major axis that of the command module less the height difference measured
  along the radius, its radial rate the command module's at the same angle of the orbit scaled
  by (a_CSM / a_LM)^(3/2) (the two orbits' apsides then line up);
- TPI (terminal phase initiation): intercept after the command module has flown the documented
  transfer angle (130 deg), aimed at the start of the approach (:data:`APPROACH`);
- two midcourse corrections at their documented times, re-targeting the same point; braking
  (TPF) at arrival, nulling the relative velocity.

The TPI and midcourse burns are Lambert arcs (:func:`stationsim.astro.lambert.solve_lambert`)
corrected with the model in the loop (Newton on the arrival miss, lunar point mass and J2). The
burns are impulsive (the RCS burns took 23-47 s, 1-2.5 deg of orbit). Docking follows the
project's Apollo approach (:data:`stationsim.ops.proximity.APPROACHES`), flown by
Clohessy-Wiltshire about the command module's mean motion, and the contact is checked against
the probe-drogue capture envelope (:func:`stationsim.ops.proximity.check_contact`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from stationsim.astro.constants import MU_MOON_M3PS2
from stationsim.astro.elements import state_to_elements
from stationsim.astro.frames import lvlh_to_inertial
from stationsim.astro.kepler import propagate_kepler
from stationsim.astro.lambert import solve_lambert
from stationsim.astro.moon_local import MOON
from stationsim.astro.powered_flight import FlightState, fly
from stationsim.astro.time import Epoch
from stationsim.ops.proximity import APPROACHES, check_contact, plan_approach

APPROACH = APPROACHES["apollo"]
AIM_TOLERANCE_M = 1.0  # Newton on the arrival miss stops inside this
CSI_TOLERANCE_MPS = 1e-4  # CSI: bisection on the burn
CSI_SCAN_MPS = np.arange(0.0, 60.5, 1.0)  # CSI burns tried when bracketing the solution


@dataclass(frozen=True)
class RendezvousPlan:
    """The documented burn times and rules of a coelliptic lunar rendezvous."""

    csi: Epoch
    cdh: Epoch
    tpi: Epoch
    midcourse: tuple[Epoch, ...]
    tpi_elevation_rad: float
    transfer_rad: float


@dataclass(frozen=True)
class Burn:
    """One burn: name, epoch, delta-v in the vehicle's LVLH (x along-track, z down), m/s."""

    name: str
    epoch: Epoch
    dv_lvlh_mps: np.ndarray

    @property
    def dv_mps(self) -> float:
        return float(np.linalg.norm(self.dv_lvlh_mps))


@dataclass(frozen=True)
class Rendezvous:
    """The flown sequence: burns, the coelliptic height difference at CDH, the epoch the
    approach starts (TPF), the docking epoch, the approach's delta-v and the closing speed at
    contact (checked against the Apollo probe-drogue capture envelope)."""

    burns: list[Burn]
    coelliptic_dh_m: float
    tpf: Epoch
    docking: Epoch
    approach_dv_mps: float
    contact_speed_mps: float


def _lvlh(r_m, v_mps) -> np.ndarray:
    """Rows of the LVLH axes (x along-track, y = -orbit normal, z toward the centre)."""
    z = -r_m / np.linalg.norm(r_m)
    y = -np.cross(r_m, v_mps)
    y /= np.linalg.norm(y)
    return np.stack([np.cross(y, z), y, z])


def _burn(name: str, epoch: Epoch, state: FlightState, v_new_mps) -> tuple[Burn, FlightState]:
    dv = np.asarray(v_new_mps) - state.v_mps
    burn = Burn(name, epoch, _lvlh(state.r_m, state.v_mps) @ dv)
    return burn, FlightState(state.r_m, np.asarray(v_new_mps, float), state.mass_kg)


def _coast(state: FlightState, start: Epoch, end: Epoch) -> FlightState:
    return fly(state, float(end - start), MOON)


def elevation_rad(chaser: FlightState, target: FlightState) -> float:
    """Angle of the target above the chaser's local horizontal."""
    line = target.r_m - chaser.r_m
    return math.asin(float(line @ chaser.r_m) / (np.linalg.norm(line) *
                                                 np.linalg.norm(chaser.r_m)))


def lead_rad(chaser: FlightState, target: FlightState) -> float:
    """Angle by which the target leads the chaser along the target's orbit."""
    normal = np.cross(target.r_m, target.v_mps)
    return math.atan2(float(np.cross(chaser.r_m, target.r_m) @ normal) /
                      float(np.linalg.norm(normal)), float(chaser.r_m @ target.r_m))


def _first_root(function, scan) -> float:
    """The first sign change of ``function`` (NaN where undefined) along ``scan``, bisected."""
    values = [function(x) for x in scan]
    brackets = [k for k in range(len(scan) - 1) if math.isfinite(values[k])
                and math.isfinite(values[k + 1]) and values[k] * values[k + 1] <= 0.0]
    if not brackets:
        raise ValueError(f"CSI targeting found no burn in {scan[0]:g}..{scan[-1]:g} m/s that "
                         "puts the command module at the planned elevation at TPI")
    x0, x1, f0 = scan[brackets[0]], scan[brackets[0] + 1], values[brackets[0]]
    while x1 - x0 > CSI_TOLERANCE_MPS:
        middle = 0.5 * (x0 + x1)
        f_middle = function(middle)
        if f0 * f_middle <= 0.0:
            x1 = middle
        else:
            x0, f0 = middle, f_middle
    return 0.5 * (x0 + x1)


def _coelliptic_velocity(chaser: FlightState, target: FlightState) -> tuple[np.ndarray, float]:
    """CDH: the chaser's velocity that makes its orbit coelliptic with the target's, and the
    height difference (two-body projection of the target to the chaser's radius line)."""
    mu = MU_MOON_M3PS2
    r_c = chaser.r_m
    up = r_c / np.linalg.norm(r_c)
    r_t, v_t = target.r_m, target.v_mps
    for _ in range(5):  # bring the target to the chaser's radius line
        normal = np.cross(r_t, v_t)
        normal /= np.linalg.norm(normal)
        angle = math.atan2(float(np.cross(r_t, up) @ normal), float(r_t @ up))
        rate = float(np.linalg.norm(np.cross(r_t, v_t))) / float(r_t @ r_t)
        r_t, v_t = propagate_kepler(r_t, v_t, angle / rate, mu)
    a_t = float(state_to_elements(r_t, v_t, mu).a_m)
    dh_m = float(np.linalg.norm(r_t) - np.linalg.norm(r_c))
    a_c = a_t - dh_m
    radius = float(np.linalg.norm(r_c))
    radial = float(v_t @ r_t) / float(np.linalg.norm(r_t)) * (a_t / a_c) ** 1.5
    horizontal = math.sqrt(mu * (2.0 / radius - 1.0 / a_c) - radial**2)
    along = chaser.v_mps - (chaser.v_mps @ up) * up
    along /= np.linalg.norm(along)
    return radial * up + horizontal * along, dh_m


def _intercept_velocity(chaser: FlightState, start: Epoch, aim_m, arrival: Epoch,
                        prograde: bool) -> np.ndarray:
    """Velocity at ``start`` that brings the chaser (lunar point mass + J2) to ``aim_m`` at
    ``arrival``: Lambert, then Newton on the miss with a finite-difference Jacobian."""
    tof_s = float(arrival - start)
    v, _ = solve_lambert(chaser.r_m, aim_m, tof_s, MU_MOON_M3PS2, prograde=prograde)

    def miss(velocity):
        return fly(FlightState(chaser.r_m, velocity, chaser.mass_kg), tof_s, MOON).r_m - aim_m

    for _ in range(8):
        error = miss(v)
        if np.linalg.norm(error) < AIM_TOLERANCE_M:
            return v
        jacobian = np.empty((3, 3))
        for k in range(3):
            dv = np.zeros(3)
            dv[k] = 0.01
            jacobian[:, k] = (miss(v + dv) - error) / 0.01
        v = v - np.linalg.solve(jacobian, error)
    raise ValueError(f"the intercept from {start.utc_iso()} misses by "
                     f"{np.linalg.norm(miss(v)):.0f} m after 8 corrections")


def _after_csi(dv_mps: float, chaser: FlightState, target: FlightState, plan: RendezvousPlan):
    """Fly CSI (horizontal ``dv_mps``) and CDH; return the burns, states at TPI and the dh."""
    along = _lvlh(chaser.r_m, chaser.v_mps)[0]
    csi, lm = _burn("CSI", plan.csi, chaser, chaser.v_mps + dv_mps * along)
    lm, csm = _coast(lm, plan.csi, plan.cdh), _coast(target, plan.csi, plan.cdh)
    velocity, dh_m = _coelliptic_velocity(lm, csm)
    cdh, lm = _burn("CDH", plan.cdh, lm, velocity)
    return [csi, cdh], _coast(lm, plan.cdh, plan.tpi), _coast(csm, plan.cdh, plan.tpi), dh_m


def rendezvous(chaser: FlightState, target: FlightState, epoch: Epoch,
               plan: RendezvousPlan) -> Rendezvous:
    """Fly the sequence from ``epoch`` (both states there, in one Moon-centred inertial frame
    with the Moon's pole as z) to docking; ``chaser`` is the ascent stage after insertion."""
    lm, csm = _coast(chaser, epoch, plan.csi), _coast(target, epoch, plan.csi)

    def elevation_error(dv_mps: float) -> float:
        """Elevation at TPI less the planned one; NaN where the command module is behind."""
        _, lm_tpi, csm_tpi, _ = _after_csi(dv_mps, lm, csm, plan)
        if lead_rad(lm_tpi, csm_tpi) <= 0.0:
            return math.nan
        return elevation_rad(lm_tpi, csm_tpi) - plan.tpi_elevation_rad

    dv_mps = _first_root(elevation_error, CSI_SCAN_MPS)
    burns, lm, csm, dh_m = _after_csi(dv_mps, lm, csm, plan)
    elements = state_to_elements(csm.r_m, csm.v_mps, MU_MOON_M3PS2)
    mean_motion = math.sqrt(MU_MOON_M3PS2 / float(elements.a_m) ** 3)
    arrival = plan.tpi + plan.transfer_rad / mean_motion
    prograde = float(np.cross(lm.r_m, lm.v_mps)[2]) > 0.0
    csm_arrival = _coast(csm, plan.tpi, arrival)
    aim = lvlh_to_inertial(csm_arrival.r_m, csm_arrival.v_mps, APPROACH.start_lvlh_m(),
                           np.zeros(3))[0]
    now = plan.tpi
    for name, when in (("TPI", plan.tpi), *((f"MCC{k + 1}", t)
                                           for k, t in enumerate(plan.midcourse))):
        lm = _coast(lm, now, when)
        burn, lm = _burn(name, when, lm, _intercept_velocity(lm, when, aim, arrival, prograde))
        burns.append(burn)
        now = when
    lm = _coast(lm, now, arrival)
    target_velocity = lvlh_to_inertial(csm_arrival.r_m, csm_arrival.v_mps,
                                       APPROACH.start_lvlh_m(), np.zeros(3))[1]
    braking, lm = _burn("TPF", arrival, lm, target_velocity)
    burns.append(braking)
    approach = plan_approach(APPROACH, mean_motion)
    contact_mps = float(np.linalg.norm(approach.contact_velocity_lvlh_mps))
    check_contact("Apollo-probe", contact_mps, 0.0, 0.0)  # raises DockingError outside
    return Rendezvous(burns, dh_m, arrival, arrival + approach.duration_s,
                      approach.dv_total_mps, contact_mps)
