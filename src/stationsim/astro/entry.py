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

Limits: no trim dynamics (the capsule holds its trim L/D), no winds, and the density column is
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
from stationsim.astro.time import Epoch

if TYPE_CHECKING:
    from stationsim.astro.spaceweather import SpaceWeather

DEFAULT_STEP_S = 0.5
COLUMN_TOP_M = 200e3  # density column 0..200 km, every 1 km (log-linear in between)
COLUMN_STEP_M = 1e3
MAX_ENTRY_S = 6.0 * 3600.0  # a flight still airborne after this is not an entry
_ZONAL_J2 = np.array([0.0, 0.0, J2])
SENSED_LOAD_G = 0.05  # the entry's start as the capsules sensed it (Mercury, Apollo: 0.05 g)
GUIDANCE_ITERATIONS = 30  # bisection on the bank magnitude
GUIDANCE_TOLERANCE_KM = 0.5


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
    """Steer the lift to a planned landing point (geodetic, radians): the constant bank angle
    whose predicted flight lands nearest the target's downrange distance, rolled toward the
    target's side (module :func:`fly_entry`)."""

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
    parachute, touchdown) and ``touchdown``; ``bank_rad`` the bank flown.
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


@njit(cache=True)
def entry_kernel(
    t0_s: float, y0: np.ndarray, dt_s: float, max_steps: int, stop_altitude_m: float,
    cd_area_over_mass: float, lift_to_drag: float, bank_rad: float, col_h0_m: float,
    col_dh_m: float, log_rho: np.ndarray, gm_m3ps2: float, zonal_j: np.ndarray, out_t: np.ndarray,
    out_y: np.ndarray, out_load: np.ndarray,
) -> int:
    """RK4 from ``y0`` (GCRF r, v) at ``t0_s`` until the height falls below
    ``stop_altitude_m`` or ``max_steps``; fills ``out_t``, ``out_y`` (rows of states) and
    ``out_load`` (aerodynamic acceleration, m/s^2); returns the number of rows (the last one
    below the stop altitude when it was reached). Steps are ``dt_s``, shortened to a quarter
    of the drag time constant m / (0.5 rho Cd S |w|) where that is shorter (a parachute
    opening: RK4 is stable below ~2.8 time constants)."""
    cos_b, sin_b = math.cos(bank_rad), math.sin(bank_rad)
    y = y0.copy()
    t = t0_s
    k1, k2, k3, k4 = np.empty(6), np.empty(6), np.empty(6), np.empty(6)
    tmp = np.empty(6)
    out_t[0] = t
    out_y[0] = y
    out_load[0] = _derivative(y, cd_area_over_mass, lift_to_drag, cos_b, sin_b, col_h0_m,
                              col_dh_m, log_rho, gm_m3ps2, zonal_j, k1)
    for step in range(1, max_steps):
        load = _derivative(y, cd_area_over_mass, lift_to_drag, cos_b, sin_b, col_h0_m,
                           col_dh_m, log_rho, gm_m3ps2, zonal_j, k1)
        speed = math.sqrt(k1[0] * k1[0] + k1[1] * k1[1] + k1[2] * k1[2])
        h = dt_s
        if load > 0.0 and speed > 0.0:
            h = min(dt_s, 0.25 * speed / load)  # |w| / |a_aero| ~ the drag time constant
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
        t += h
        out_t[step] = t
        out_y[step] = y
        out_load[step] = _derivative(y, cd_area_over_mass, lift_to_drag, cos_b, sin_b,
                                     col_h0_m, col_dh_m, log_rho, gm_m3ps2, zonal_j, tmp)
        if altitude_m(y[0], y[1], y[2]) < stop_altitude_m:
            return step + 1
    return max_steps


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


def _fly_stage(t0_tt_s, y0, cd_area_over_mass, lift_to_drag, bank_rad, column, stop_m, dt_s,
               gm_m3ps2):
    max_steps = int(MAX_ENTRY_S / dt_s) + 2
    out_t = np.empty(max_steps)
    out_y = np.empty((max_steps, 6))
    out_load = np.empty(max_steps)
    n = entry_kernel(0.0, np.asarray(y0, dtype=float), dt_s, max_steps, stop_m,
                     cd_area_over_mass, lift_to_drag, bank_rad, *column, gm_m3ps2, _ZONAL_J2, out_t,
                     out_y, out_load)
    if n >= max_steps or out_t[n - 1] > MAX_ENTRY_S:
        raise ValueError(f"the capsule is still above {stop_m / 1e3:.1f} km "
                         f"{out_t[n - 1] / 3600:.1f} h after the start: not an entry")
    return t0_tt_s + out_t[:n], out_y[:n], out_load[:n]


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
         dt_s: float, gm_m3ps2: float = GM_EARTH_M3PS2, floor_m: float = 0.0) -> EntryResult:
    """One flight at a constant bank, start to touchdown, stage by stage."""
    t_s, y = epoch.tt_s, np.asarray(y0, dtype=float)
    path = _Path()
    events: list[Point] = []
    stages = [(vehicle.cd * vehicle.area_m2 / vehicle.mass_kg, vehicle.lift_to_drag, None)]
    stages += [(p.cd_area_m2 / vehicle.mass_kg, 0.0, p) for p in vehicle.parachutes]
    interface = None
    if _height(y) <= interface_m:
        interface = _point("entry interface", t_s, y)
    else:  # coast (the same dynamics, thin air) down to the interface
        ts, ys, loads = _fly_stage(t_s, y, stages[0][0], stages[0][1], bank_rad, column,
                                   interface_m, dt_s, gm_m3ps2)
        t_s, y = _crossing(ts, ys, _height, interface_m)
        path.t_tt_s.append(ts[:-1]), path.y.append(ys[:-1]), path.load.append(loads[:-1])
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
        ts, ys, loads = _fly_stage(t_s, y, cd_am, lod, bank_rad, column, stop_m, dt_s,
                                   gm_m3ps2)
        t_s, y = _crossing(ts, ys, _height, stop_m)
        path.t_tt_s.append(ts[:-1]), path.y.append(ys[:-1]), path.load.append(loads[:-1])
        if following is not None:
            events.append(_point(following.name, t_s, y))
    touchdown = _point("touchdown", t_s, y)
    t_all = np.concatenate(path.t_tt_s + [np.array([t_s])])
    y_all = np.vstack(path.y + [y[np.newaxis, :]])
    load_all = np.concatenate(path.load + [np.array([0.0])]) / G0_MPS2
    free_fall = int(sum(len(part) for part in path.t_tt_s[:hypersonic_parts]))
    peak = int(np.argmax(load_all[:max(free_fall, 1)]))
    events.insert(1, _point("peak deceleration", t_all[peak], y_all[peak]))
    sensed = int(np.argmax(load_all >= SENSED_LOAD_G))
    if load_all[sensed] >= SENSED_LOAD_G and sensed <= peak:
        events.insert(1, _point("0.05 g", t_all[sensed], y_all[sensed]))
    events.append(touchdown)
    altitudes = altitude_m_rows(y_all[:, :3])
    return EntryResult(t_all, y_all[:, :3], y_all[:, 3:], altitudes, load_all, interface,
                       touchdown, events, bank_rad)


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
    if isinstance(bank, GuidedBank):
        return _guided(epoch, y0, vehicle, bank, column, interface_altitude_m, dt_s)
    result = _fly(epoch, y0, vehicle, bank.bank_rad, column, interface_altitude_m, dt_s,
                  gm_m3ps2, floor_m)
    if density is not None:
        return result
    peak = next(e for e in result.events if e.name == "peak deceleration")  # the air there
    column = scaled(density_column(peak.epoch, peak.lat_deg * DEG, peak.lon_deg * DEG,
                                   space_weather))
    return _fly(epoch, y0, vehicle, bank.bank_rad, column, interface_altitude_m, dt_s,
                gm_m3ps2, floor_m)


def _guided(epoch, y0, vehicle, bank: GuidedBank, column, interface_m, dt_s) -> EntryResult:
    """The simplified guidance: one constant bank magnitude, found by bisection, whose flight
    lands at the target's great-circle distance from the start (lift up flies farthest, lift
    down shortest; outside that reach the nearer end is flown), rolled toward the target's side
    of the track. A stand-in for the Apollo entry guidance's range control (Moseley, "The
    Apollo entry guidance: a review of the mathematical development and its operational
    characteristics", TRW 69-FMT-791, 1969): the real guidance re-plans every 2 s, flies a
    constant-drag phase and reverses the bank to hold cross-range; this one holds one bank."""
    start = _point("start", epoch.tt_s, y0)
    target_km = _great_circle_km(start.lat_deg, start.lon_deg, np.degrees(bank.lat_rad),
                                 np.degrees(bank.lon_rad))
    target_unit = np.array([math.cos(bank.lat_rad) * math.cos(bank.lon_rad),
                            math.cos(bank.lat_rad) * math.sin(bank.lon_rad),
                            math.sin(bank.lat_rad)])
    from stationsim.astro.frames import itrf_to_gcrf_fast

    target_gcrf = itrf_to_gcrf_fast(target_unit * R_EARTH_M, epoch)
    side = -1.0 if float(np.dot(np.cross(y0[:3], y0[3:]), target_gcrf)) > 0.0 else 1.0

    def miss_km(magnitude_rad: float) -> tuple[float, EntryResult]:
        flown = _fly(epoch, y0, vehicle, side * magnitude_rad, column, interface_m, dt_s)
        land = flown.touchdown
        return _great_circle_km(start.lat_deg, start.lon_deg, land.lat_deg,
                                land.lon_deg) - target_km, flown

    low, high = 0.0, math.pi
    miss_low, flown = miss_km(low)
    if miss_low <= 0.0:
        return flown  # short even with full lift up
    miss_high, flown = miss_km(high)
    if miss_high >= 0.0:
        return flown  # long even with full lift down
    for _ in range(GUIDANCE_ITERATIONS):
        middle = 0.5 * (low + high)
        miss, flown = miss_km(middle)
        if abs(miss) < GUIDANCE_TOLERANCE_KM:
            break
        low, high = (middle, high) if miss > 0.0 else (low, middle)
    return flown


def _great_circle_km(lat1_deg, lon1_deg, lat2_deg, lon2_deg) -> float:
    """Central angle (haversine) on a sphere of the equatorial radius, km."""
    lat1, lon1, lat2, lon2 = np.radians([lat1_deg, lon1_deg, lat2_deg, lon2_deg])
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2.0 * R_EARTH_M * math.asin(min(1.0, math.sqrt(h))) / 1e3
