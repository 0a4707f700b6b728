"""Atmospheric entry of a capsule: 3-DOF flight from the entry interface to touchdown.

Point-mass dynamics in GCRF (Vinh, Busemann & Culp, *Hypersonic and Planetary Entry Flight
Mechanics*, 1980, ch. 2; Regan & Anandakrishnan, *Dynamics of Atmospheric Re-Entry*, AIAA
1993, ch. 5): EGM-96 gravity to J2 (:func:`stationsim.astro.forces.gravity_acceleration`),
drag ``-0.5 rho Cd S / m |w| w`` against the co-rotating air (w = v - omega x r) and lift
``0.5 rho (L/D) Cd S / m |w|^2`` perpendicular to w, rolled by the bank angle sigma about w
(sigma = 0 lift toward the local vertical, +90 deg lift to the right of the motion). Density is
NRLMSIS 2.1 of the day (bundled space weather) along a column at the entry's place
(:func:`density_column`). Parachutes replace the capsule's Cd*S from their deployment altitude
on; touchdown is height zero above the WGS-84 ellipsoid. A fixed-step RK4 kernel (Numba), 0.5 s
steps by default (shortened while a canopy opens): halving the step moves the touchdown by
about 8 m and 0.04 s (tests/astro/test_entry.py holds it under 50 m).

The plain API for any flight that reaches the atmosphere (a capsule after retrofire, an
Apollo command module from its trans-Earth state)::

    result = fly_entry(epoch, r_gcrf_m, v_gcrf_mps, vehicle, bank)
    result.interface.epoch, result.touchdown.epoch, result.touchdown.lat_deg

A :class:`GuidedBank` flies the entry guidance (module section "the entry guidance"): the bank's
magnitude from a numerical predictor-corrector on the range, its sign from the Apollo command
module's lateral logic, re-solved every 2 s inside the kernel.

Limits: no trim dynamics (the capsule holds its trim L/D), no winds, instantaneous bank
reversals, a guidance that sees the true state and the modelled air, and the density column is
that of one place (taken again where the deceleration peaks), so the day/night and latitude
changes along a 2,000 km entry are left out (a few per cent of density).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numba import njit
from numpy.typing import ArrayLike

from stationsim.astro.constants import (
    DEG,
    G0_MPS2,
    GM_EARTH_M3PS2,
    J2,
    OMEGA_EARTH_RADPS,
    R_EARTH_M,
    R_POLAR_M,
    WGS84_E2,
)
from stationsim.astro.forces import altitude_m, gravity_acceleration
from stationsim.astro.frames import subpoint
from stationsim.astro.kernel_cache import drop_stale
from stationsim.astro.time import Epoch

if TYPE_CHECKING:
    from stationsim.astro.spaceweather import SpaceWeather

DEFAULT_STEP_S = 0.5
COLUMN_TOP_M = 200e3  # density column 0..200 km, every 1 km (log-linear in between)
COLUMN_STEP_M = 1e3
MAX_ENTRY_S = 6.0 * 3600.0  # a flight still airborne after this is not an entry
_ZONAL_J2 = np.array([0.0, 0.0, J2])
SENSED_LOAD_G = 0.05  # the entry's start as the capsules sensed it (Mercury, Apollo: 0.05 g)


@dataclass(frozen=True)
class Parachute:
    """A parachute stage: deployed on the way down at ``altitude_m``, with drag area Cd*S."""

    name: str
    altitude_m: float
    cd_area_m2: float


@dataclass(frozen=True)
class EntryVehicle:
    """What the entry needs of a capsule: mass, reference area, hypersonic Cd and trim L/D,
    and its parachutes (deployed in order of falling altitude)."""

    mass_kg: float
    area_m2: float
    cd: float
    lift_to_drag: float = 0.0
    parachutes: tuple[Parachute, ...] = ()

    def __post_init__(self):
        for name in ("mass_kg", "area_m2", "cd"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0.0):
                raise ValueError(f"{name} must be > 0, got {value!r}")
        if not (math.isfinite(self.lift_to_drag) and self.lift_to_drag >= 0.0):
            raise ValueError(f"lift_to_drag must be >= 0, got {self.lift_to_drag!r}")
        ordered = tuple(sorted(self.parachutes, key=lambda p: -p.altitude_m))
        object.__setattr__(self, "parachutes", ordered)

    @property
    def ballistic_coefficient_kgpm2(self) -> float:
        """m / (Cd S), kg/m^2."""
        return self.mass_kg / (self.cd * self.area_m2)


@dataclass(frozen=True)
class ConstantBank:
    """Lift rolled by a fixed bank angle (0: lift up, pi: lift down)."""

    bank_rad: float = 0.0


@dataclass(frozen=True)
class GuidedBank:
    """Steer the lift to a planned landing point (geodetic, radians) with the entry guidance:
    the bank's magnitude for range, its reversals for cross-range (:func:`_bank_command`)."""

    lat_rad: float
    lon_rad: float


@dataclass(frozen=True)
class Point:
    """An instant of the entry: epoch, geodetic latitude and longitude (deg), height (m)."""

    name: str
    epoch: Epoch
    lat_deg: float
    lon_deg: float
    altitude_m: float


@dataclass(frozen=True)
class EntryResult:
    """The flight from the start state to touchdown.

    ``t_tt_s``, ``r_gcrf_m``, ``v_gcrf_mps``, ``altitude_m`` and ``load_g`` (aerodynamic
    deceleration in g) along the path; ``interface`` (where the path crosses the entry
    interface, or the start when below it), ``events`` (interface, 0.05 g, peak load, each
    parachute, touchdown) and ``touchdown``; ``bank_rad`` the constant bank (of the coast,
    when guided) and ``bank_path_rad`` the bank flown along the path.
    """

    t_tt_s: np.ndarray
    r_gcrf_m: np.ndarray
    v_gcrf_mps: np.ndarray
    altitude_m: np.ndarray
    load_g: np.ndarray
    interface: Point
    touchdown: Point
    events: list[Point] = field(default_factory=list)
    bank_rad: float = 0.0
    bank_path_rad: np.ndarray | None = None

    @property
    def peak_load_g(self) -> float:
        """Peak aerodynamic deceleration before the parachutes, in g."""
        peak = next(e for e in self.events if e.name == "peak deceleration")
        return float(self.load_g[np.searchsorted(self.t_tt_s, peak.epoch.tt_s)])


# --- the kernel ---------------------------------------------------------------------------
@njit(cache=True, inline="always")
def _derivative(y, cd_area_over_mass, lift_to_drag, cos_bank, sin_bank, col_h0_m, col_dh_m,
                log_rho, gm_m3ps2, zonal_j, out):
    x, yy, z, vx, vy, vz = y[0], y[1], y[2], y[3], y[4], y[5]
    gx, gy, gz = gravity_acceleration(x, yy, z, gm_m3ps2, R_EARTH_M, zonal_j)
    h = altitude_m(x, yy, z)
    f = (h - col_h0_m) / col_dh_m
    n = log_rho.shape[0]
    j = min(max(int(math.floor(f)), 0), n - 2)
    rho = math.exp(log_rho[j] + (f - j) * (log_rho[j + 1] - log_rho[j]))
    wx = vx + OMEGA_EARTH_RADPS * yy
    wy = vy - OMEGA_EARTH_RADPS * x
    wz = vz
    w = math.sqrt(wx * wx + wy * wy + wz * wz)
    k = 0.5 * rho * cd_area_over_mass * w  # drag per unit velocity
    ax, ay, az = -k * wx, -k * wy, -k * wz
    if lift_to_drag > 0.0 and w > 0.0:
        # up: the component of r_hat normal to w; side: w_hat x up (to the right of motion)
        r = math.sqrt(x * x + yy * yy + z * z)
        ux, uy, uz = x / r, yy / r, z / r
        ex, ey, ez = wx / w, wy / w, wz / w
        d = ux * ex + uy * ey + uz * ez
        px, py, pz = ux - d * ex, uy - d * ey, uz - d * ez
        p = math.sqrt(px * px + py * py + pz * pz)
        if p > 0.0:
            px, py, pz = px / p, py / p, pz / p
            sx, sy, sz = ey * pz - ez * py, ez * px - ex * pz, ex * py - ey * px
            lift = lift_to_drag * k * w
            ax += lift * (cos_bank * px + sin_bank * sx)
            ay += lift * (cos_bank * py + sin_bank * sy)
            az += lift * (cos_bank * pz + sin_bank * sz)
    out[0], out[1], out[2] = vx, vy, vz
    out[3], out[4], out[5] = gx + ax, gy + ay, gz + az
    return math.sqrt(ax * ax + ay * ay + az * az)


@njit(cache=True, inline="always")
def _rk4_advance(y, h, k1, cd_area_over_mass, lift_to_drag, cos_b, sin_b, col_h0_m, col_dh_m,
                 log_rho, gm_m3ps2, zonal_j, k2, k3, k4, tmp):
    """One RK4 step of ``h`` from ``y`` (in place), its first slope ``k1`` given."""
    for i in range(6):
        tmp[i] = y[i] + 0.5 * h * k1[i]
    _derivative(tmp, cd_area_over_mass, lift_to_drag, cos_b, sin_b, col_h0_m, col_dh_m,
                log_rho, gm_m3ps2, zonal_j, k2)
    for i in range(6):
        tmp[i] = y[i] + 0.5 * h * k2[i]
    _derivative(tmp, cd_area_over_mass, lift_to_drag, cos_b, sin_b, col_h0_m, col_dh_m,
                log_rho, gm_m3ps2, zonal_j, k3)
    for i in range(6):
        tmp[i] = y[i] + h * k3[i]
    _derivative(tmp, cd_area_over_mass, lift_to_drag, cos_b, sin_b, col_h0_m, col_dh_m,
                log_rho, gm_m3ps2, zonal_j, k4)
    for i in range(6):
        y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])


@njit(cache=True, inline="always")
def _step_s(dt_s, load, k1):
    """``dt_s``, shortened to a quarter of the drag time constant m / (0.5 rho Cd S |w|) where
    that is shorter (a parachute opening: RK4 is stable below ~2.8 time constants)."""
    speed = math.sqrt(k1[0] * k1[0] + k1[1] * k1[1] + k1[2] * k1[2])
    if load > 0.0 and speed > 0.0:
        return min(dt_s, 0.25 * speed / load)  # |w| / |a_aero| ~ the drag time constant
    return dt_s


@njit(cache=True)
def entry_kernel(
    t0_s: float, y0: np.ndarray, dt_s: float, max_steps: int, stop_altitude_m: float,
    cd_area_over_mass: float, lift_to_drag: float, bank_rad: float, col_h0_m: float,
    col_dh_m: float, log_rho: np.ndarray, gm_m3ps2: float, zonal_j: np.ndarray,
    guidance: np.ndarray, out_t: np.ndarray, out_y: np.ndarray, out_load: np.ndarray,
    out_bank: np.ndarray,
) -> int:
    """RK4 from ``y0`` (GCRF r, v) at ``t0_s`` until the height falls below
    ``stop_altitude_m`` or ``max_steps``; fills ``out_t``, ``out_y`` (rows of states),
    ``out_load`` (aerodynamic acceleration, m/s^2) and ``out_bank`` (the bank flown, rad);
    returns the number of rows (the last one below the stop altitude when it was reached).
    Steps are ``dt_s`` (see :func:`_step_s`). ``guidance`` empty: the constant ``bank_rad``;
    otherwise the entry guidance's parameters (:func:`_guidance_row`), re-solved every
    ``GUIDANCE_CYCLE_S`` (:func:`_bank_command`)."""
    guided = guidance.shape[0] > 0
    bank = bank_rad
    cos_b, sin_b = math.cos(bank), math.sin(bank)
    y = y0.copy()
    t = t0_s
    k1, k2, k3, k4 = np.empty(6), np.empty(6), np.empty(6), np.empty(6)
    tmp = np.empty(6)
    state = np.array([math.cos(bank), 0.0, 0.0])  # guidance: cos(bank), sign, next cycle
    if guided:
        state[2] = t0_s
    out_t[0] = t
    out_y[0] = y
    out_load[0] = _derivative(y, cd_area_over_mass, lift_to_drag, cos_b, sin_b, col_h0_m,
                              col_dh_m, log_rho, gm_m3ps2, zonal_j, k1)
    out_bank[0] = bank
    for step in range(1, max_steps):
        if guided and t >= state[2]:
            bank = _bank_command(t, y, state, guidance, stop_altitude_m, cd_area_over_mass,
                                 lift_to_drag, col_h0_m, col_dh_m, log_rho, gm_m3ps2, zonal_j)
            cos_b, sin_b = math.cos(bank), math.sin(bank)
            state[2] = t + GUIDANCE_CYCLE_S
        load = _derivative(y, cd_area_over_mass, lift_to_drag, cos_b, sin_b, col_h0_m,
                           col_dh_m, log_rho, gm_m3ps2, zonal_j, k1)
        h = _step_s(dt_s, load, k1)
        _rk4_advance(y, h, k1, cd_area_over_mass, lift_to_drag, cos_b, sin_b, col_h0_m,
                     col_dh_m, log_rho, gm_m3ps2, zonal_j, k2, k3, k4, tmp)
        t += h
        out_t[step] = t
        out_y[step] = y
        out_load[step] = _derivative(y, cd_area_over_mass, lift_to_drag, cos_b, sin_b,
                                     col_h0_m, col_dh_m, log_rho, gm_m3ps2, zonal_j, tmp)
        out_bank[step] = bank
        if altitude_m(y[0], y[1], y[2]) < stop_altitude_m:
            return step + 1
    return max_steps


# --- the entry guidance -------------------------------------------------------------------
# A numerical predictor-corrector on the bank's magnitude and the Apollo lateral logic.
# Longitudinal: every guidance cycle the rest of the flight is predicted at a constant
# vertical lift L/D cos(sigma) to the end of the capsule's own flight, and cos(sigma) is
# corrected by the secant method until the predicted landing falls on the target's range
# (the predictor-corrector of Morth, "Reentry guidance for Apollo", MIT IL R-532, 1966, flown
# by Apollo as the analytic HUNTEST/UPCONTRL predictor; here numerical, as in Lu, "Entry
# guidance: a unified method", J. Guid. Control Dyn. 37(3), 2014, with a constant bank).
# Lateral: the bank's sign is reversed when the target's cross-range angle on the other side
# exceeds Y = (L/D / 24)(V / V_sat)^2 + 0.5 n mi (V inertial, relative below V_sat / 2),
# halved while the lift is nearly vertical and pointing away, and the bank held at least
# 15 deg off vertical while it points toward the target; steering stops below 1,000 ft/s;
# the load limiter rolls lift up when the deceleration, past GMAX/2, would otherwise climb
# through GMAX = 8 g (Apollo 11's command-module program, Comanche 055, REENTRY CONTROL:
# LATBIAS, KLAT = LAD/24, L/DCMINR = LAD cos 15 deg, VQUIT, GLIMITER, RELVELSW).
GUIDANCE_CYCLE_S = 2.0  # the Apollo entry guidance's cycle (Comanche 055, SERVICER)
PREDICTOR_STEP_S = 2.0
PREDICTOR_HORIZON_S = 3600.0  # a predicted flight still up after this counts as a skip-out
CORRECTOR_ITERATIONS = 4
CORRECTOR_TOLERANCE_M = 500.0
V_SATELLITE_MPS = 25766.1973 * 0.3048  # VSAT of Comanche 055
LATERAL_BIAS_RAD = 0.5 * 1852.0 / R_EARTH_M  # LATBIAS, 0.5 n mi
STEER_STOP_MPS = 1000.0 * 0.3048  # VQUIT
COS_MIN_BANK = math.cos(math.radians(15.0))  # L/DCMINR = LAD cos 15 deg
G_MAX = 8.0  # GMAX, g: the load the guidance holds the entry under (GLIMITER)
G_LIMIT_SCALE_HEIGHT_M = 28500.0 * 0.3048  # HS of GLIMITER


def _guidance_row(target_gcrf: np.ndarray, pole_gcrf: np.ndarray) -> np.ndarray:
    """The kernel's guidance parameters: the target's GCRF unit vector at the kernel's time 0
    and the Earth's rotation axis in GCRF (the target turns about it at the Earth's rate)."""
    return np.concatenate([target_gcrf / np.linalg.norm(target_gcrf),
                           pole_gcrf / np.linalg.norm(pole_gcrf)])


@njit(cache=True, inline="always")
def _target_at(guidance, t_s, out):
    """The target's GCRF unit vector at kernel time ``t_s`` (Rodrigues about the pole)."""
    a = OMEGA_EARTH_RADPS * t_s
    c, s = math.cos(a), math.sin(a)
    tx, ty, tz = guidance[0], guidance[1], guidance[2]
    kx, ky, kz = guidance[3], guidance[4], guidance[5]
    d = kx * tx + ky * ty + kz * tz
    out[0] = tx * c + (ky * tz - kz * ty) * s + kx * d * (1.0 - c)
    out[1] = ty * c + (kz * tx - kx * tz) * s + ky * d * (1.0 - c)
    out[2] = tz * c + (kx * ty - ky * tx) * s + kz * d * (1.0 - c)


@njit(cache=True)
def _predicted_miss(t_s, y0, cos_b, guidance, stop_altitude_m, cd_area_over_mass,
                    lift_to_drag, col_h0_m, col_dh_m, log_rho, gm_m3ps2, zonal_j, target):
    """Fly the rest of the flight at the vertical lift ``cos_b`` (no side force) to
    ``stop_altitude_m``; returns the landing's range past the target (m, negative short),
    measured along the great circle from the present place through the target, and leaves
    the target at the landing time in ``target``."""
    y = y0.copy()
    k1, k2, k3, k4, tmp = np.empty(6), np.empty(6), np.empty(6), np.empty(6), np.empty(6)
    t = t_s
    while altitude_m(y[0], y[1], y[2]) >= stop_altitude_m and t < t_s + PREDICTOR_HORIZON_S:
        load = _derivative(y, cd_area_over_mass, lift_to_drag, cos_b, 0.0, col_h0_m, col_dh_m,
                           log_rho, gm_m3ps2, zonal_j, k1)
        h = _step_s(PREDICTOR_STEP_S, load, k1)
        _rk4_advance(y, h, k1, cd_area_over_mass, lift_to_drag, cos_b, 0.0, col_h0_m,
                     col_dh_m, log_rho, gm_m3ps2, zonal_j, k2, k3, k4, tmp)
        t += h
    _target_at(guidance, t, target)
    if t >= t_s + PREDICTOR_HORIZON_S:
        return 2.0 * math.pi * R_EARTH_M  # skipped out: far beyond any target
    rl = math.sqrt(y[0] ** 2 + y[1] ** 2 + y[2] ** 2)
    # n = r0 x T (the plane through the present place and the target), a = n x T (onward)
    nx = y0[1] * target[2] - y0[2] * target[1]
    ny = y0[2] * target[0] - y0[0] * target[2]
    nz = y0[0] * target[1] - y0[1] * target[0]
    ax = ny * target[2] - nz * target[1]
    ay = nz * target[0] - nx * target[2]
    az = nx * target[1] - ny * target[0]
    an = math.sqrt(ax * ax + ay * ay + az * az) * rl
    along = (y[0] * ax + y[1] * ay + y[2] * az) / an if an > 0.0 else 0.0
    toward = (y[0] * target[0] + y[1] * target[1] + y[2] * target[2]) / rl
    return R_EARTH_M * math.atan2(along, toward)


@njit(cache=True, inline="always")
def _over_load(y, speed_mps, load_mps2, lift_to_drag) -> bool:
    """GLIMITER: past GMAX/2, lift up unless the sink rate is below the one that peaks at
    GMAX, XLIM = sqrt(2 HS (GMAX - D)(LEQ/GMAX + L/D) + (2 HS GMAX / V)^2), LEQ = V^2/VS^2 - 1
    (g)."""
    g_max = G_MAX * G0_MPS2
    if load_mps2 <= 0.5 * g_max:
        return False
    if load_mps2 >= g_max:
        return True
    leq_g = (speed_mps / V_SATELLITE_MPS) ** 2 - 1.0
    hs = G_LIMIT_SCALE_HEIGHT_M
    xlim = math.sqrt(max(0.0, 2.0 * hs * (g_max - load_mps2) * (leq_g / G_MAX + lift_to_drag)
                         + (2.0 * hs * g_max / speed_mps) ** 2))
    r = math.sqrt(y[0] * y[0] + y[1] * y[1] + y[2] * y[2])
    rdot = (y[0] * y[3] + y[1] * y[4] + y[2] * y[5]) / r
    return rdot + xlim < 0.0


@njit(cache=True)
def _bank_command(t_s, y, state, guidance, stop_altitude_m, cd_area_over_mass, lift_to_drag,
                  col_h0_m, col_dh_m, log_rho, gm_m3ps2, zonal_j):
    """One guidance cycle: correct cos(bank) (``state[0]``) on the predicted miss, then the
    lateral logic on the bank's sign (``state[1]``, 0 before the first cycle); returns the
    bank (rad, positive: lift to the right of the motion)."""
    target = np.empty(3)
    wx = y[3] + OMEGA_EARTH_RADPS * y[1]
    wy = y[4] - OMEGA_EARTH_RADPS * y[0]
    if math.sqrt(wx * wx + wy * wy + y[5] * y[5]) > STEER_STOP_MPS or state[1] == 0.0:
        c0 = state[0]
        f0 = _predicted_miss(t_s, y, c0, guidance, stop_altitude_m, cd_area_over_mass,
                             lift_to_drag, col_h0_m, col_dh_m, log_rho, gm_m3ps2, zonal_j,
                             target)
        c1 = c0 - 0.1 if c0 > 0.0 else c0 + 0.1
        for _ in range(CORRECTOR_ITERATIONS):
            if abs(f0) < CORRECTOR_TOLERANCE_M:
                break
            f1 = _predicted_miss(t_s, y, c1, guidance, stop_altitude_m, cd_area_over_mass,
                                 lift_to_drag, col_h0_m, col_dh_m, log_rho, gm_m3ps2,
                                 zonal_j, target)
            if f1 == f0:
                break
            c2 = min(1.0, max(-1.0, c1 - f1 * (c1 - c0) / (f1 - f0)))
            c0, f0, c1 = c1, f1, c2
            if c2 == c0:  # pinned at full lift up or down: the target is out of reach
                break
        state[0] = c0 if abs(f0) < CORRECTOR_TOLERANCE_M else c1
    else:
        _target_at(guidance, t_s, target)
    cos_b = state[0]
    speed = math.sqrt(y[3] * y[3] + y[4] * y[4] + y[5] * y[5])
    load = _derivative(y, cd_area_over_mass, lift_to_drag, 1.0, 0.0, col_h0_m, col_dh_m,
                       log_rho, gm_m3ps2, zonal_j, np.empty(6))
    if _over_load(y, speed, load, lift_to_drag):
        cos_b = 1.0
    # lateral: LATANG, the sine of the target's angle to the right of the orbital plane, of
    # the inertial motion and the target at the landing, below VS/2 of the motion through
    # the air and the target now (RELVELSW)
    vx, vy, vz = y[3], y[4], y[5]
    if speed < 0.5 * V_SATELLITE_MPS:
        vx, vy, vz = wx, wy, y[5]
        _target_at(guidance, t_s, target)
    hx = vy * y[2] - vz * y[1]
    hy = vz * y[0] - vx * y[2]
    hz = vx * y[1] - vy * y[0]
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    right = (hx * target[0] + hy * target[1] + hz * target[2]) / hn
    if state[1] == 0.0:
        state[1] = 1.0 if right >= 0.0 else -1.0  # first roll toward the target
    corridor = lift_to_drag / 24.0 * (speed / V_SATELLITE_MPS) ** 2 + LATERAL_BIAS_RAD
    toward = state[1] * right > 0.0
    if abs(cos_b) >= COS_MIN_BANK:
        if toward:
            cos_b = COS_MIN_BANK if cos_b > 0.0 else -COS_MIN_BANK
        else:
            corridor *= 0.5
    if -state[1] * right > corridor:  # the target lies beyond the corridor on the other side
        state[1] = -state[1]
    return state[1] * math.acos(min(1.0, max(-1.0, cos_b)))


# --- the atmosphere of the day ------------------------------------------------------------
def density_column(
    epoch: Epoch,
    lat_rad: float,
    lon_rad: float,
    space_weather: SpaceWeather | None = None,
) -> tuple[float, float, np.ndarray]:
    """(h0_m, dh_m, log_rho) of NRLMSIS 2.1 over one place at ``epoch``, 0 to 200 km every
    1 km, on the bundled space weather (:func:`stationsim.astro.atmosphere.msis_density_kgpm3`)."""
    from stationsim.astro.atmosphere import msis_density_kgpm3

    heights_m = np.arange(0.0, COLUMN_TOP_M + COLUMN_STEP_M / 2, COLUMN_STEP_M)
    rho = msis_density_kgpm3(epoch, lat_rad, lon_rad, heights_m, space_weather)
    return 0.0, COLUMN_STEP_M, np.ascontiguousarray(np.log(rho), dtype=float)


# --- flying -------------------------------------------------------------------------------
@dataclass
class _Path:
    t_tt_s: list = field(default_factory=list)
    y: list = field(default_factory=list)
    load: list = field(default_factory=list)
    bank: list = field(default_factory=list)

    def add(self, t_s, y, load, bank) -> None:
        """A stage's rows, its last one (below the stage's end) left out."""
        self.t_tt_s.append(t_s[:-1]), self.y.append(y[:-1]), self.load.append(load[:-1])
        self.bank.append(bank[:-1])


_CONSTANT = np.empty(0)  # no guidance: the kernel flies the constant bank


def _fly_stage(t0_tt_s, y0, cd_area_over_mass, lift_to_drag, bank_rad, column, stop_m, dt_s,
               gm_m3ps2, guidance=_CONSTANT):
    max_steps = int(MAX_ENTRY_S / dt_s) + 2
    out_t = np.empty(max_steps)
    out_y = np.empty((max_steps, 6))
    out_load = np.empty(max_steps)
    out_bank = np.empty(max_steps)
    n = entry_kernel(0.0, np.asarray(y0, dtype=float), dt_s, max_steps, stop_m,
                     cd_area_over_mass, lift_to_drag, bank_rad, *column, gm_m3ps2, _ZONAL_J2,
                     guidance, out_t, out_y, out_load, out_bank)
    if n >= max_steps or out_t[n - 1] > MAX_ENTRY_S:
        raise ValueError(f"the capsule is still above {stop_m / 1e3:.1f} km "
                         f"{out_t[n - 1] / 3600:.1f} h after the start: not an entry")
    return t0_tt_s + out_t[:n], out_y[:n], out_load[:n], out_bank[:n]


def _guidance_at(target: GuidedBank, t_tt_s: float) -> np.ndarray:
    """The kernel's guidance row for a stage starting at ``t_tt_s``: the target on the
    WGS-84 ellipsoid and the Earth's axis, both in GCRF then."""
    from stationsim.astro.frames import geodetic_to_itrf, itrf_to_gcrf_fast

    epoch = Epoch(float(t_tt_s))
    place = geodetic_to_itrf(target.lat_rad, target.lon_rad, 0.0)
    return _guidance_row(itrf_to_gcrf_fast(place, epoch),
                         itrf_to_gcrf_fast(np.array([0.0, 0.0, R_EARTH_M]), epoch))


def _crossing(t_s, y, altitude_of, level_m):
    """Time and state where the last step crosses ``level_m`` (linear in height)."""
    h0, h1 = altitude_of(y[-2]), altitude_of(y[-1])
    w = (h0 - level_m) / (h0 - h1) if h0 != h1 else 1.0
    return t_s[-2] + w * (t_s[-1] - t_s[-2]), y[-2] + w * (y[-1] - y[-2])


def _height(y) -> float:
    return float(altitude_m(y[0], y[1], y[2]))


def _point(name: str, t_tt_s: float, y) -> Point:
    epoch = Epoch(float(t_tt_s))
    lat, lon, h = subpoint(np.asarray(y[:3], dtype=float), epoch)
    return Point(name, epoch, float(np.degrees(lat)), float(np.degrees(lon)), float(h))


def _fly(epoch: Epoch, y0, vehicle: EntryVehicle, bank_rad: float, column, interface_m: float,
         dt_s: float, gm_m3ps2: float = GM_EARTH_M3PS2, floor_m: float = 0.0,
         target: GuidedBank | None = None) -> EntryResult:
    """One flight, start to touchdown, stage by stage: at the constant ``bank_rad``, or with
    the capsule's own lifting flight guided to ``target`` (the coast above the interface at
    ``bank_rad``)."""
    t_s, y = epoch.tt_s, np.asarray(y0, dtype=float)
    path = _Path()
    events: list[Point] = []
    stages = [(vehicle.cd * vehicle.area_m2 / vehicle.mass_kg, vehicle.lift_to_drag, None)]
    stages += [(p.cd_area_m2 / vehicle.mass_kg, 0.0, p) for p in vehicle.parachutes]
    interface = None
    if _height(y) <= interface_m:
        interface = _point("entry interface", t_s, y)
    else:  # coast (the same dynamics, thin air) down to the interface
        ts, ys, loads, banks = _fly_stage(t_s, y, stages[0][0], stages[0][1], bank_rad,
                                          column, interface_m, dt_s, gm_m3ps2)
        t_s, y = _crossing(ts, ys, _height, interface_m)
        path.add(ts, ys, loads, banks)
        interface = _point("entry interface", t_s, y)
    events.append(interface)
    hypersonic_parts = len(path.t_tt_s) + 1  # the coast and the capsule's own flight
    for k, (cd_am, lod, _chute) in enumerate(stages):
        following = stages[k + 1][2] if k + 1 < len(stages) else None
        stop_m = following.altitude_m if following is not None else floor_m
        if _height(y) <= stop_m:  # already below this stage's end: deploy at once
            if following is None:
                break
            events.append(_point(following.name, t_s, y))
            continue
        guidance = (_guidance_at(target, t_s) if target is not None and k == 0 and lod > 0.0
                    else _CONSTANT)
        ts, ys, loads, banks = _fly_stage(t_s, y, cd_am, lod, bank_rad, column, stop_m, dt_s,
                                          gm_m3ps2, guidance)
        t_s, y = _crossing(ts, ys, _height, stop_m)
        path.add(ts, ys, loads, banks)
        if following is not None:
            events.append(_point(following.name, t_s, y))
    touchdown = _point("touchdown", t_s, y)
    t_all = np.concatenate(path.t_tt_s + [np.array([t_s])])
    y_all = np.vstack(path.y + [y[np.newaxis, :]])
    load_all = np.concatenate(path.load + [np.array([0.0])]) / G0_MPS2
    bank_all = np.concatenate(path.bank + [np.array([path.bank[-1][-1] if path.bank
                                                     and len(path.bank[-1]) else bank_rad])])
    free_fall = int(sum(len(part) for part in path.t_tt_s[:hypersonic_parts]))
    peak = int(np.argmax(load_all[:max(free_fall, 1)]))
    events.insert(1, _point("peak deceleration", t_all[peak], y_all[peak]))
    sensed = int(np.argmax(load_all >= SENSED_LOAD_G))
    if load_all[sensed] >= SENSED_LOAD_G and sensed <= peak:
        events.insert(1, _point("0.05 g", t_all[sensed], y_all[sensed]))
    events.append(touchdown)
    altitudes = altitude_m_rows(y_all[:, :3])
    return EntryResult(t_all, y_all[:, :3], y_all[:, 3:], altitudes, load_all, interface,
                       touchdown, events, bank_rad, bank_all)


def altitude_m_rows(r_m: np.ndarray) -> np.ndarray:
    """Heights above WGS-84 (m) of GCRF positions (N, 3), as the kernel measures them
    (:func:`stationsim.astro.forces.altitude_m`, vectorised)."""
    r = np.asarray(r_m, dtype=float)
    rho2 = r[:, 0] ** 2 + r[:, 1] ** 2
    r2 = rho2 + r[:, 2] ** 2
    return np.sqrt(r2) - R_POLAR_M / np.sqrt(1.0 - WGS84_E2 * rho2 / r2)


def fly_entry(
    epoch: Epoch, r_gcrf_m: ArrayLike, v_gcrf_mps: ArrayLike, vehicle: EntryVehicle,
    bank: ConstantBank | GuidedBank = ConstantBank(), interface_altitude_m: float = 121.92e3,
    dt_s: float = DEFAULT_STEP_S, space_weather: SpaceWeather | None = None,
    density: tuple[float, float, np.ndarray] | None = None, gm_m3ps2: float = GM_EARTH_M3PS2,
    floor_m: float = 0.0, density_scale: float = 1.0,
) -> EntryResult:
    """Fly a capsule from a GCRF state at ``epoch`` (above or below the entry interface) to
    touchdown on the ellipsoid, through the NRLMSIS atmosphere of the day.

    ``bank``: :class:`ConstantBank` (a ballistic capsule has L/D 0 and ignores it) or
    :class:`GuidedBank` to a planned landing point. ``interface_altitude_m`` only names the
    event (default 400,000 ft). ``density``: a column (h0_m, dh_m, log_rho) to fly instead of
    the NRLMSIS one (as :func:`density_column` returns); ``gm_m3ps2`` 0 switches gravity off
    (the straight-line entry of Allen & Eggers, for tests); ``floor_m`` is the height of the
    ground (touchdown) above the ellipsoid; ``density_scale`` multiplies the air's density (a
    campaign's dispersion). Raises ValueError for a state that
    does not come down within 6 hours (an orbit, not an entry).
    """
    r = np.asarray(r_gcrf_m, dtype=float)
    v = np.asarray(v_gcrf_mps, dtype=float)
    if r.shape != (3,) or v.shape != (3,) or not (np.all(np.isfinite(r))
                                                 and np.all(np.isfinite(v))):
        raise ValueError(f"r_gcrf_m and v_gcrf_mps must be finite 3-vectors, got {r}, {v}")
    if not dt_s > 0.0:
        raise ValueError(f"dt_s must be > 0, got {dt_s!r}")
    y0 = np.concatenate([r, v])
    if not (math.isfinite(density_scale) and density_scale > 0.0):
        raise ValueError(f"density_scale must be > 0, got {density_scale!r}")
    first = _point("start", epoch.tt_s, y0)

    def scaled(column):
        h0_m, dh_m, log_rho = column
        return h0_m, dh_m, log_rho + math.log(density_scale)

    column = density
    if column is None:
        column = density_column(epoch, first.lat_deg * DEG, first.lon_deg * DEG, space_weather)
    column = scaled(column)
    target = bank if isinstance(bank, GuidedBank) else None
    bank_rad = 0.0 if target is not None else bank.bank_rad
    result = _fly(epoch, y0, vehicle, bank_rad, column, interface_altitude_m, dt_s,
                  gm_m3ps2, floor_m, target)
    if density is not None:
        return result
    peak = next(e for e in result.events if e.name == "peak deceleration")  # the air there
    column = scaled(density_column(peak.epoch, peak.lat_deg * DEG, peak.lon_deg * DEG,
                                   space_weather))
    return _fly(epoch, y0, vehicle, bank_rad, column, interface_altitude_m, dt_s,
                gm_m3ps2, floor_m, target)


drop_stale(globals())  # before any kernel here loads from the disk cache (kernel_cache)
