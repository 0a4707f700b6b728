"""The per-sample kernel: fly a rendezvous plan's rules for many dispersed samples at once.

A :class:`Nominal` holds what one flight's plan needs (from
:func:`stationsim.ops.rendezvous.plan_rendezvous`): its steps (the burn rules), insertion,
aim point and approach, the vehicle's propulsion and the density table. :func:`fly_batch`
flies N samples together, every array (N, ...): the ground rules (apsis, height, co-elliptic,
plane, trim) and the onboard CW targeting are re-evaluated on each sample's state, as the
planner's own re-flight does (``fly_plan(retarget=True)``), so each burn answers the
dispersions met so far. Launch slips shift the whole timeline; execution errors follow the
Gates model (proportional magnitude and pointing; Gates, JPL TR 32-504, 1963); relative
navigation errors corrupt the state the onboard targeting starts from.

The orbit model is the planner's (Kepler + first-order J2 secular, taking the state as mean
elements, Vallado 4th ed. eq. 9-41) plus orbit-averaged drag on a circular orbit
(:func:`drag_decay_mps`, King-Hele 1987; the mean anomaly gains -3/4 n (da/dt / a) dt^2 as in
Vallado's PKEPLER, 4th ed. Alg. 65), for chaser and station alike with the density scaled per
sample. The decay rate is taken at mid-coast (midpoint rule). Taking the osculating state as
mean elements puts the orbit a few km off its true mean height (J2 short-period terms): over
a day at 250 km the decay comes out 10-25 % below a numerical integration of the same forces
(tests/campaign/test_sample.py), less than a typical density-scale dispersion.

The approach keeps the plan's legs; its first impulse is re-computed for the arrival met
(:func:`first_approach_impulse`). Undispersed and without drag the kernel reproduces the
planner's burns and total delta-v to 1 mm/s (tests/campaign/test_sample.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from stationsim.astro.atmosphere import DensityTable
from stationsim.astro.constants import (
    G0_MPS2,
    GM_EARTH_M3PS2,
    J2,
    OMEGA_EARTH_RADPS,
    R_EARTH_M,
    WGS84_E2,
    WGS84_FLATTENING,
)
from stationsim.astro.elements import (
    state_to_elements,
)
from stationsim.astro.frames import inertial_to_lvlh, lvlh_matrix, lvlh_to_inertial
from stationsim.astro.kepler import j2_secular_kernel, kernel_rows
from stationsim.astro.relative import cw_stm, cw_two_impulse
from stationsim.campaign.dispersions import Draws
from stationsim.ops.insertion import phase_angle_rad

TWO_PI = 2.0 * math.pi
TARGET_TOLERANCE_M = 0.5  # as the planner's differential correction
TARGET_MAX_ITERATIONS = 25
SECANT_MAX_ITERATIONS = 20
PHASE_TOLERANCE_RAD = 1e-7
HEIGHT_TOLERANCE_M = 1.0
AIM_CORRIDOR_FRACTION = 0.5  # a miss at the aim point beyond this fraction of the start range
# is outside the approach corridor: the proximity sensors have not acquired the station
REENTRY_ALTITUDE_M = 120.0e3  # as stationsim.astro.lifetime
_R_POLAR_M = R_EARTH_M * (1.0 - WGS84_FLATTENING)
_SIN_U = np.sin(np.arange(16) * TWO_PI / 16)  # argument of latitude nodes for the mean height

# Outcome codes, in the order they are checked (the first that applies is reported).
DOCKED = 0
INVALID_ORBIT = 1  # a state left the ellipse (escape) or fell below the re-entry altitude
NOT_CONVERGED = 2  # a ground or onboard targeting did not converge
OUTSIDE_CORRIDOR = 3
OUT_OF_PROPELLANT = 4
OUT_OF_CONSUMABLES = 5
FAILED = 6  # the kernel raised for this sample (the campaign records why and goes on)
OUTCOMES = {DOCKED: "docked", INVALID_ORBIT: "invalid orbit", NOT_CONVERGED: "not converged",
            OUTSIDE_CORRIDOR: "outside corridor", OUT_OF_PROPELLANT: "out of propellant",
            OUT_OF_CONSUMABLES: "out of consumables", FAILED: "failed"}


@dataclass(frozen=True)
class Nominal:
    """One flight's plan and vehicle, as the kernel needs them (SI, TT seconds).

    ``steps``: the plan's burn rules (``stationsim.ops.rendezvous.Step``); ``insertions``: a
    callable giving the (r, v) at insertion for a launch slip (s), nominal at 0.
    ``b_vehicle_m2pkg``/``b_station_m2pkg``: Cd A / m. ``lifetime_s_per_b``: (altitude grid m,
    cumulative King-Hele decay time x B) for re-entry times.
    """

    launch_tt_s: float
    insertion_tt_s: float
    insertion_r_m: np.ndarray
    insertion_v_mps: np.ndarray
    station_tt_s: float
    station_r_m: np.ndarray
    station_v_mps: np.ndarray
    steps: tuple
    aim_tt_s: float
    aim_lvlh_m: np.ndarray
    approach_dv_mps: float  # the planned approach after its first impulse
    approach_first_dv_lvlh_mps: np.ndarray  # the planned first impulse (brakes the arrival)
    approach_first_to_lvlh_m: np.ndarray  # the first leg's end point
    approach_first_s: float  # the first leg's duration
    approach_n_radps: float  # the station's rate the approach was planned with
    arrival_lvlh_mps: np.ndarray  # planned relative velocity on reaching the aim point
    approach_duration_s: float  # aim point to contact, the hold at the hold point included
    approach_start_range_m: float
    insertion_burn_dv_mps: float
    isp_s: float
    propellant_kg: float
    mass_kg: float
    autonomous_s: float
    b_vehicle_m2pkg: float
    b_station_m2pkg: float
    density: DensityTable
    lifetime_altitude_m: np.ndarray
    lifetime_s_times_b: np.ndarray
    insertions: object  # callable: slip_s -> (r_m, v_mps)

    @property
    def n_burns(self) -> int:
        return len(self.steps)

    @property
    def n_targets(self) -> int:
        return sum(step.kind == "target" for step in self.steps)


class Outcomes(NamedTuple):
    """Per-sample results of :func:`fly_batch`, arrays (N,) in SI / TT seconds."""

    @classmethod
    def failed(cls, index: int) -> Outcomes:
        """The row of a sample the kernel could not fly (FAILED, quantities NaN)."""
        nan = np.full(1, np.nan)
        return cls(np.array([index]), np.array([FAILED]), nan, nan, nan, nan, nan, nan)

    index: np.ndarray
    outcome: np.ndarray  # int codes of OUTCOMES
    docking_tt_s: np.ndarray  # NaN unless docked
    dv_mps: np.ndarray  # burns and approach
    propellant_margin_kg: np.ndarray
    consumables_margin_s: np.ndarray  # free-flight endurance left at docking
    aim_miss_m: np.ndarray
    reentry_tt_s: np.ndarray  # of the orbit the vehicle is in at the aim point, if left there

    @property
    def docked(self) -> np.ndarray:
        return self.outcome == DOCKED


def _norm(x: np.ndarray) -> np.ndarray:
    return np.linalg.norm(x, axis=-1)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / _norm(x)[..., None]


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=-1)


def _wrap_pi(angle_rad):
    return (angle_rad + math.pi) % TWO_PI - math.pi


def coast(
    r_m: np.ndarray, v_mps: np.ndarray, dt_s: np.ndarray, tt_s: np.ndarray, b_m2pkg: np.ndarray,
    density: DensityTable,
) -> tuple[np.ndarray, np.ndarray]:
    """States (N, 3) after dt_s (N,): J2 secular + circular-orbit drag (module doc).

    ``tt_s`` (N,): TT seconds at the start (density lookup); ``b_m2pkg`` (N,): Cd A / m times
    the density scale. The J2 secular step is :func:`stationsim.astro.kepler.j2_secular_kernel`
    run for dt plus the drag's along-track gain (Delta M / n); the semi-major axis change then
    scales the orbit (r by a'/a, v by sqrt(a/a'): same shape and angles). With b = 0 this is
    :func:`stationsim.astro.kepler.propagate_j2_secular` exactly. Non-ellipses come back NaN.
    """
    r = kernel_rows(np.asarray(r_m, dtype=float), 3)  # writable rows: one kernel signature
    v = kernel_rows(np.asarray(v_mps, dtype=float), 3)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = 2.0 / _norm(r) - _dot(v, v) / GM_EARTH_M3PS2  # 1 / a
        a_m = 1.0 / alpha
        h = np.cross(r, v)
        i_rad = np.arccos(np.clip(h[:, 2] / _norm(h), -1.0, 1.0))
        surface_m = mean_surface_radius_m(i_rad)
        a_dot_mps = drag_decay_mps(a_m, i_rad, tt_s, b_m2pkg, density, surface_m)
        a_dot_mps = drag_decay_mps(a_m + 0.5 * a_dot_mps * dt_s, i_rad, tt_s + 0.5 * dt_s,
                                   b_m2pkg, density, surface_m)  # the rate at mid-coast
        kepler_s = np.ascontiguousarray(dt_s - 0.75 * a_dot_mps / a_m * dt_s * dt_s,
                                        dtype=float)
        r_out, v_out = np.empty_like(r), np.empty_like(v)
        status = np.empty(r.shape[0], dtype=np.int64)
        j2_secular_kernel(r, v, np.nan_to_num(kepler_s), GM_EARTH_M3PS2, J2, R_EARTH_M, r_out,
                          v_out, status)
        scale = 1.0 + a_dot_mps * dt_s / a_m
        r_out *= scale[:, None]
        v_out /= np.sqrt(scale)[:, None]
    bad = (status != 0) | ~(alpha > 0.0) | ~np.isfinite(kepler_s)
    r_out[bad] = np.nan
    v_out[bad] = np.nan
    return r_out, v_out


def mean_surface_radius_m(i_rad: np.ndarray) -> np.ndarray:
    """Mean WGS-84 surface radius under an orbit of inclination ``i_rad``, over the latitudes
    asin(sin i sin u) it flies through: R_polar / sqrt(1 - e^2 cos^2 latitude), computed in
    place (a coast's largest temporary, (N, 16))."""
    x = np.multiply(np.sin(np.asarray(i_rad))[..., None], _SIN_U)  # sin latitude
    np.square(x, out=x)
    np.subtract(1.0, x, out=x)
    np.multiply(WGS84_E2, x, out=x)
    np.subtract(1.0, x, out=x)
    np.sqrt(x, out=x)
    np.divide(_R_POLAR_M, x, out=x)
    return np.mean(x, axis=-1)


def drag_decay_mps(
    a_m: np.ndarray, i_rad: np.ndarray, tt_s: np.ndarray, b_m2pkg: np.ndarray,
    density: DensityTable, surface_m: np.ndarray,
) -> np.ndarray:
    """Orbit-averaged da/dt of a circular orbit, m/s (King-Hele 1987).

    da/dt = -B rho sqrt(mu a) F, F = (1 - a w_E cos i / v)^2 for the co-rotating atmosphere (as
    :func:`stationsim.astro.lifetime.averaged_rates`); rho is taken at the orbit's mean height
    above the WGS-84 ellipsoid, ``surface_m`` being :func:`mean_surface_radius_m` of ``i_rad``.
    """
    speed_mps = np.sqrt(GM_EARTH_M3PS2 / a_m)
    rotation = (1.0 - a_m * OMEGA_EARTH_RADPS * np.cos(i_rad) / speed_mps) ** 2
    rho = density.density_kgpm3(tt_s, a_m - surface_m)
    return -b_m2pkg * rho * np.sqrt(GM_EARTH_M3PS2 * a_m) * rotation


class _Batch:
    """Chaser and station states of N samples at per-sample epochs, flown step by step."""

    def __init__(self, nominal: Nominal, draws: Draws):
        self.nominal = nominal
        self.draws = draws
        self.slip_s = draws.launch_slip_s
        self.b_chaser = nominal.b_vehicle_m2pkg * draws.density_scale
        self.b_station = nominal.b_station_m2pkg * draws.density_scale
        self.failed = np.zeros(draws.index.size, dtype=bool)

    def station_at(self, r_s, v_s, from_tt_s, to_tt_s):
        return coast(r_s, v_s, to_tt_s - from_tt_s, from_tt_s, self.b_station, self.nominal.density)

    def chaser_coast(self, r_c, v_c, from_tt_s, to_tt_s):
        return coast(r_c, v_c, to_tt_s - from_tt_s, from_tt_s, self.b_chaser, self.nominal.density)

    def fly(self, state, steps, until_tt_s, errors: bool, first_burn: int = 0):
        """Apply ``steps`` from ``state`` = (tt, r_c, v_c, r_s, v_s) and coast to ``until_tt_s``
        (N,); steps after it are skipped per sample. With ``errors``, burn ``first_burn + k``
        takes its execution and navigation errors. Returns the final state and the burns."""
        tt, r_c, v_c, r_s, v_s = state
        burns = []
        target_index = sum(s.kind == "target" for s in self.nominal.steps[:first_burn])
        for k, step in enumerate(steps):
            step_tt = step.tt_s + self.slip_s
            active = step_tt <= until_tt_s
            if not active.any():
                break
            to_tt = np.where(active, step_tt, tt)
            r_c, v_c = self.chaser_coast(r_c, v_c, tt, to_tt)
            r_s, v_s = self.station_at(r_s, v_s, tt, to_tt)
            nav = target_index if step.kind == "target" else None
            dv = self.impulse(step, (to_tt, r_c, v_c, r_s, v_s), steps[k + 1:],
                              nav if errors else None)
            dv = np.where(active[:, None], dv, 0.0)
            if errors:
                dv = self.executed(dv, r_c, v_c, first_burn + k)
            burns.append(dv)
            v_c = v_c + dv
            tt = to_tt
            target_index += step.kind == "target"
        r_c, v_c = self.chaser_coast(r_c, v_c, tt, until_tt_s)
        r_s, v_s = self.station_at(r_s, v_s, tt, until_tt_s)
        return (until_tt_s, r_c, v_c, r_s, v_s), burns

    def executed(self, dv, r_c, v_c, burn: int) -> np.ndarray:
        """The burn as executed: magnitude (1 + eps) and two small pointing rotations."""
        magnitude = 1.0 + self.draws.burn_magnitude_frac[:, burn]
        angles = self.draws.burn_pointing_rad[:, burn, :]
        size = _norm(dv)
        along = np.where(size[:, None] > 0.0, dv / np.where(size > 0.0, size, 1.0)[:, None], 0.0)
        h = _unit(np.cross(r_c, v_c))
        first = np.cross(h, along)
        first = np.where(_norm(first)[:, None] > 1e-12, first, np.cross(_unit(r_c), along))
        first = _unit(np.where(_norm(first)[:, None] > 0.0, first, h))
        second = np.cross(along, first)
        pointed = along + angles[:, :1] * first + angles[:, 1:] * second
        return magnitude[:, None] * size[:, None] * _unit(pointed) * (size[:, None] > 0.0)

    # --- the rules (stationsim.ops.rendezvous, evaluated on arrays) ---------------------
    def impulse(self, step, state, later, nav_index):
        tt, r_c, v_c, r_s, v_s = state
        if step.kind == "apsis":
            return apsis_dv(r_c, v_c, step.radius_m)
        if step.kind == "height":
            return self.height_dv(step, state)
        if step.kind == "coelliptic":
            return coelliptic_dv(r_c, v_c, r_s, v_s)
        if step.kind == "plane":
            h = _unit(np.cross(r_s, v_s))
            return -_dot(v_c, h)[:, None] * h
        if step.kind == "trim":
            return self.trim_dv(step, state, later)
        if step.kind == "target":
            return self.target_dv(step, state, nav_index)
        raise ValueError(f"step kind {step.kind!r} is not supported by the campaign kernel")

    def secant(self, miss, x0, x1, tolerance):
        """Per-sample secant iterations on ``miss(x)`` (N,); flags samples that do not settle."""
        f0, f1 = miss(x0), miss(x1)
        for _ in range(SECANT_MAX_ITERATIONS):
            moving = (np.abs(f1) >= tolerance) & (f1 != f0) & np.isfinite(f1)
            if not moving.any():
                break
            slope = np.where(moving, (f1 - f0) / np.where(moving, x1 - x0, 1.0), 1.0)
            x_next = np.where(moving, x1 - f1 / np.where(slope != 0.0, slope, 1.0), x1)
            x0, f0 = np.where(moving, x1, x0), np.where(moving, f1, f0)
            x1, f1 = x_next, np.where(moving, miss(x_next), f1)
        self.failed |= ~(np.abs(f1) < tolerance)
        return x1

    def height_dv(self, step, state):
        tt, r_c, v_c, r_s, v_s = state
        check_tt = step.check_tt_s + self.slip_s
        r_check, v_check = self.station_at(r_s, v_s, tt, check_tt)
        rate_radps = _norm(np.cross(r_check, v_check)) / _dot(r_check, r_check)
        r_then, _ = self.station_at(r_s, v_s, tt, check_tt - step.phase_rad / rate_radps)
        wanted_m = _norm(r_then) - step.radius_m
        guess = apsis_dv(r_c, v_c, wanted_m)
        along = _unit(guess)

        def miss_m(dv_mps):
            r_end, _ = self.chaser_coast(r_c, v_c + dv_mps[:, None] * along, tt, check_tt)
            return _norm(r_end) - wanted_m

        size = _norm(guess)
        return self.secant(miss_m, size, size + 0.1, HEIGHT_TOLERANCE_M)[:, None] * along

    def trim_dv(self, step, state, later):
        tt, r_c, v_c, r_s, v_s = state
        along = _unit(v_c)
        check_tt = step.check_tt_s + self.slip_s
        first = self.nominal.steps.index(step) + 1

        def miss(dv_mps):
            start = (tt, r_c, v_c + dv_mps[:, None] * along, r_s, v_s)
            (_, r_end, _, r_st, v_st), _ = self.fly(start, later, check_tt, False, first)
            h = _unit(np.cross(r_st, v_st))
            return _wrap_pi(phase_angle_rad(r_end, r_st, h) - step.phase_rad)

        zero = np.zeros(tt.shape)
        return self.secant(miss, zero, zero + 0.05, PHASE_TOLERANCE_RAD)[:, None] * along

    def target_dv(self, step, state, nav_index):
        """CW differential correction to the aim point, from the onboard estimate of the
        relative state (true + navigation error when ``nav_index`` is given)."""
        tt, r_c, v_c, r_s, v_s = state
        aim_tt = step.aim_tt_s + self.slip_s
        r_aim_s, v_aim_s = self.station_at(r_s, v_s, tt, aim_tt)
        transfer_s = aim_tt - tt
        n_radps = np.sqrt(GM_EARTH_M3PS2 / _norm(r_s) ** 3)
        stm = cw_stm(n_radps, transfer_s)
        jacobian = stm[:, :3, 3:]
        to_inertial = np.swapaxes(lvlh_matrix(r_s, v_s), -1, -2)
        rho, rho_dot = inertial_to_lvlh(r_s, v_s, r_c, v_c)
        if nav_index is not None:
            rho = rho + self.draws.nav_position_m[:, nav_index]
            rho_dot = rho_dot + self.draws.nav_velocity_mps[:, nav_index]
        r_est, v_est = lvlh_to_inertial(r_s, v_s, rho, rho_dot)
        aim = np.asarray(step.aim_lvlh_m, dtype=float)
        wanted = np.linalg.solve(jacobian, (aim - np.einsum("nij,nj->ni", stm[:, :3, :3], rho))
                                 [..., None])[..., 0]
        dv_lvlh = wanted - rho_dot
        settled = np.zeros(tt.shape, dtype=bool)
        for _ in range(TARGET_MAX_ITERATIONS):
            dv = np.einsum("nij,nj->ni", to_inertial, dv_lvlh)
            r_end, v_end = self.chaser_coast(r_est, v_est + dv, tt, aim_tt)
            error = aim - inertial_to_lvlh(r_aim_s, v_aim_s, r_end, v_end)[0]
            settled = _norm(error) < TARGET_TOLERANCE_M
            if settled.all():
                break
            step_lvlh = np.linalg.solve(jacobian, error[..., None])[..., 0]
            dv_lvlh = dv_lvlh + np.where(settled[:, None] | ~np.isfinite(step_lvlh), 0.0, step_lvlh)
        self.failed |= ~settled
        return np.einsum("nij,nj->ni", to_inertial, dv_lvlh)


def apsis_dv(r_m: np.ndarray, v_mps: np.ndarray, far_radius_m: np.ndarray) -> np.ndarray:
    """Horizontal dv giving semi-major axis (|r| + far)/2 (the planner's apsis rule), (N, 3)."""
    radius_m = _norm(r_m)
    r_hat = r_m / radius_m[:, None]
    radial_mps = _dot(v_mps, r_hat)
    horizontal = v_mps - radial_mps[:, None] * r_hat
    a_m = 0.5 * (radius_m + far_radius_m)
    speed2 = GM_EARTH_M3PS2 * (2.0 / radius_m - 1.0 / a_m)
    speed = np.sqrt(np.maximum(speed2 - radial_mps**2, 0.0))
    return _unit(horizontal) * speed[:, None] - horizontal


def coelliptic_dv(r_c: np.ndarray, v_c: np.ndarray, r_s: np.ndarray, v_s: np.ndarray) -> np.ndarray:
    """dv onto the station's orbit shape scaled to the chaser's radius (the planner's rule)."""
    h = _unit(np.cross(r_s, v_s))
    angle = -phase_angle_rad(r_c, r_s, h)
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    v_turned = v_s * cos + np.cross(h, v_s) * sin + h * _dot(h, v_s)[:, None] * (1.0 - cos)
    return v_turned * np.sqrt(_norm(r_s) / _norm(r_c))[:, None] - v_c


def first_approach_impulse(
    nominal: Nominal,
    rho_m: np.ndarray,
    rho_dot_mps: np.ndarray,
) -> np.ndarray:
    """The approach's first impulse (N, 3) for the arrival actually met: the planned one, less
    the change of arrival velocity, plus the change of the first CW leg's departure velocity
    from where the chaser is (Fehse 2003 sec. 3.3)."""
    finite = np.all(np.isfinite(rho_m), axis=-1) & np.all(np.isfinite(rho_dot_mps), axis=-1)
    rho = np.where(finite[:, None], rho_m, nominal.aim_lvlh_m)
    starts = np.concatenate([nominal.aim_lvlh_m[None], rho])
    departures, _ = cw_two_impulse(nominal.approach_n_radps, starts, np.zeros(3),
                                   nominal.approach_first_to_lvlh_m, nominal.approach_first_s)
    impulse = (nominal.approach_first_dv_lvlh_mps + nominal.arrival_lvlh_mps - rho_dot_mps
               + departures[1:] - departures[0])
    return np.where(finite[:, None], impulse, np.nan)


def _propellant_kg(dv_mps, mass_kg, isp_s):
    """Tsiolkovsky: m0 (1 - exp(-dv / (Isp g0))), arrays."""
    return mass_kg * -np.expm1(-dv_mps / (isp_s * G0_MPS2))


def _fly_to_aim(nominal: Nominal, draws: Draws):
    """Insertion (dispersed) to the end of the terminal transfer: (batch, aim epochs, chaser
    and station states there, the burns as executed)."""
    n = draws.index.size
    slip = draws.launch_slip_s
    r0, v0 = nominal.insertions(slip)
    insertion_tt = nominal.insertion_tt_s + slip
    to_inertial = np.swapaxes(lvlh_matrix(r0, v0), -1, -2)
    r0 = r0 + np.einsum("nij,nj->ni", to_inertial, draws.insertion_lvlh[:, :3])
    v0 = v0 + np.einsum("nij,nj->ni", to_inertial, draws.insertion_lvlh[:, 3:])
    batch = _Batch(nominal, draws)
    r_s0 = np.broadcast_to(nominal.station_r_m, (n, 3))
    v_s0 = np.broadcast_to(nominal.station_v_mps, (n, 3))
    r_s, v_s = batch.station_at(r_s0, v_s0, np.full(n, nominal.station_tt_s), insertion_tt)
    aim_tt = nominal.aim_tt_s + slip
    (_, r_c, v_c, r_st, v_st), burns = batch.fly(
        (insertion_tt, r0, v0, r_s, v_s), list(nominal.steps), aim_tt, True)
    return batch, aim_tt, (r_c, v_c, r_st, v_st), burns


def planned_arrival_lvlh_mps(nominal: Nominal, draws: Draws) -> np.ndarray:
    """Relative velocity on reaching the aim point in the planner's model (no drag), (3,);
    ``draws``: one undispersed sample with zero density scale."""
    _, _, (r_c, v_c, r_st, v_st), _ = _fly_to_aim(nominal, draws)
    return inertial_to_lvlh(r_st, v_st, r_c, v_c)[1][0]


def fly_batch(nominal: Nominal, draws: Draws) -> Outcomes:
    """Fly N dispersed samples of ``nominal`` from insertion to docking (module doc)."""
    n = draws.index.size
    slip = draws.launch_slip_s
    with np.errstate(invalid="ignore", divide="ignore"):
        batch, aim_tt, (r_c, v_c, r_st, v_st), burns = _fly_to_aim(nominal, draws)
        rho, rho_dot = inertial_to_lvlh(r_st, v_st, r_c, v_c)
        miss_m = _norm(rho - nominal.aim_lvlh_m)
        first_mps = _norm(first_approach_impulse(nominal, rho, rho_dot))
        mass = np.full(n, nominal.mass_kg)
        used = np.zeros(n)
        sizes = [np.full(n, nominal.insertion_burn_dv_mps)] + [_norm(dv) for dv in burns]
        sizes.append(first_mps + nominal.approach_dv_mps)
        for size in sizes:
            spent = _propellant_kg(size, mass, nominal.isp_s)
            used, mass = used + spent, mass - spent
        dv_total = np.sum(sizes, axis=0)
        docking_tt = aim_tt + nominal.approach_duration_s
        margin_kg = nominal.propellant_kg - used
        consumables_s = nominal.autonomous_s - (docking_tt - (nominal.launch_tt_s + slip))
        altitude_m = state_to_elements(r_c, v_c).a_m - R_EARTH_M
        lifetime_s = np.interp(altitude_m, nominal.lifetime_altitude_m,
                               nominal.lifetime_s_times_b, left=0.0, right=np.nan)
        reentry_tt = aim_tt + lifetime_s / batch.b_chaser
    invalid = ~(np.isfinite(miss_m) & np.isfinite(dv_total)) | (altitude_m < REENTRY_ALTITUDE_M)
    outcome = np.select(
        [invalid, batch.failed, miss_m > AIM_CORRIDOR_FRACTION * nominal.approach_start_range_m,
         margin_kg < 0.0, consumables_s < 0.0],
        [INVALID_ORBIT, NOT_CONVERGED, OUTSIDE_CORRIDOR, OUT_OF_PROPELLANT, OUT_OF_CONSUMABLES],
        DOCKED,
    )
    return Outcomes(draws.index, outcome, np.where(outcome == DOCKED, docking_tt, np.nan),
                    dv_total, margin_kg, consumables_s, miss_m, reentry_tt)
