"""Accelerations on an Earth satellite in GCRF: point mass, EGM-96 zonal harmonics, drag; and
the pull of third bodies (the Moon, the Sun) on any orbit, from a sampled ephemeris table.

Gravity is the point mass plus the zonal terms J2..Jn of EGM-96 (``constants.J_ZONAL``), from
the gradient of the zonal potential written with the Legendre recurrences of Montenbruck & Gill,
*Satellite Orbits* (2000) sec. 3.2 (also Vallado, *Fundamentals of Astrodynamics* 4th ed.
sec. 8.7). Drag is ``a = -0.5 rho (Cd A / m) |v_rel| v_rel``
with an atmosphere co-rotating with the Earth, ``v_rel = v - omega x r`` (Montenbruck & Gill
sec. 3.5).

Approximations: the Earth's spin axis and the zonal field axis are taken as GCRF z, ignoring
precession-nutation and polar motion (the true pole drifts ~20 arcsec/yr from it, 0.14 deg in
1975); altitude is measured above the WGS-84 ellipsoid along the radius (:func:`altitude_m`).

Density table layout (what ``astro/atmosphere.py`` produces), five plain values::

    (table_t0_tt_s, table_dt_s, table_h0_m, table_dh_m, log_rho)

``log_rho[i, j]`` (float64, shape (nt, nh), C order, nt >= 1, nh >= 2) is the natural log of
the mass density in kg/m^3 at TT time ``table_t0_tt_s + i * table_dt_s`` (seconds since J2000)
and altitude ``table_h0_m + j * table_dh_m`` above the WGS-84 ellipsoid. Lookup is bilinear in
(t, h) on log rho; t is clamped to the table ends; below the first or above the last altitude
column log rho is extrapolated linearly (density exponentially) from the two nearest columns.
:class:`stationsim.astro.atmosphere.DensityTable` is a named tuple of that layout.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numba import njit
from numpy.typing import ArrayLike

from stationsim.astro.constants import (
    GM_EARTH_M3PS2,
    J_ZONAL,
    OMEGA_EARTH_RADPS,
    R_EARTH_M,
    R_POLAR_M,
    WGS84_E2,
)
from stationsim.astro.kernel_cache import drop_stale

if TYPE_CHECKING:
    from stationsim.astro.atmosphere import DensityTable

MAX_ZONAL_DEGREE = len(J_ZONAL) - 1


def zonal_coefficients(zonal_degree: int) -> np.ndarray:
    """EGM-96 J0..Jn as float64 for the kernels (J0 = J1 = 0; degree 0 or 1: point mass)."""
    if not 0 <= zonal_degree <= MAX_ZONAL_DEGREE:
        raise ValueError(f"zonal_degree must be 0..{MAX_ZONAL_DEGREE}, got {zonal_degree!r}")
    return np.array(J_ZONAL[: max(zonal_degree, 1) + 1], dtype=float)


def check_density_table(density_table: DensityTable | tuple | None) -> tuple:
    """Validate a density table (5-sequence of the documented layout); the kernels' 5 arguments.

    ``None`` gives a placeholder for drag-free runs.
    """
    if density_table is None:
        return NO_DENSITY_TABLE
    if len(density_table) != 5:
        raise ValueError(
            "density_table must be (table_t0_tt_s, table_dt_s, table_h0_m, table_dh_m, log_rho), "
            f"got {len(density_table)} items"
        )
    t0_tt_s, dt_s, h0_m, dh_m, log_rho = density_table
    log_rho = np.ascontiguousarray(log_rho, dtype=float)
    if log_rho.ndim != 2 or log_rho.shape[0] < 1 or log_rho.shape[1] < 2:
        raise ValueError(
            f"density_table log_rho must have shape (nt>=1, nh>=2), got {log_rho.shape}"
        )
    if not np.all(np.isfinite(log_rho)):
        raise ValueError("density_table log_rho holds non-finite values")
    if not (float(dt_s) > 0.0 and float(dh_m) > 0.0):
        raise ValueError(f"density_table steps must be > 0, got dt_s={dt_s!r}, dh_m={dh_m!r}")
    return float(t0_tt_s), float(dt_s), float(h0_m), float(dh_m), log_rho


# Placeholder passed to the kernels when drag is off (never read when Cd*A/m = 0).
NO_DENSITY_TABLE = (0.0, 1.0, 0.0, 1.0, np.zeros((1, 2)))


@njit(cache=True, inline="always")
def height_m(x_m: float, y_m: float, z_m: float, r_polar_m: float, e2: float) -> float:
    """Height along the radius above a body's ellipsoid of revolution about z (polar radius
    ``r_polar_m``, eccentricity squared ``e2``; 0 for a sphere), m."""
    rho2 = x_m * x_m + y_m * y_m
    r2 = rho2 + z_m * z_m
    return math.sqrt(r2) - r_polar_m / math.sqrt(1.0 - e2 * rho2 / r2)


@njit(cache=True)
def altitude_m(x_m: float, y_m: float, z_m: float) -> float:
    """Height above the WGS-84 ellipsoid along the geocentric radius, m.

    h = |r| - b / sqrt(1 - e^2 cos^2(geocentric latitude)), exact on the ellipsoid; against the
    geodetic height (ERFA gc2gd) the error is < 0.6 m at 100 km, 2.2 m at 400 km, 5 m at 1000 km.
    """
    return height_m(x_m, y_m, z_m, R_POLAR_M, WGS84_E2)


@njit(cache=True)
def log_density(
    t_tt_s: float, h_m: float, table_t0_tt_s: float, table_dt_s: float, table_h0_m: float,
    table_dh_m: float, log_rho: np.ndarray,
) -> float:
    """ln(density / (kg/m^3)) at TT seconds ``t_tt_s`` and altitude ``h_m`` from the table."""
    nt, nh = log_rho.shape
    ft = (t_tt_s - table_t0_tt_s) / table_dt_s
    ft = min(max(ft, 0.0), nt - 1.0)
    i = min(int(ft), max(nt - 2, 0))
    wt = ft - i
    i1 = min(i + 1, nt - 1)
    fh = (h_m - table_h0_m) / table_dh_m
    j = min(max(int(math.floor(fh)), 0), nh - 2)
    wh = fh - j
    low = log_rho[i, j] + wh * (log_rho[i, j + 1] - log_rho[i, j])
    high = log_rho[i1, j] + wh * (log_rho[i1, j + 1] - log_rho[i1, j])
    return low + wt * (high - low)


@njit(cache=True, inline="always")
def gravity_acceleration(
    x: float, y: float, z: float, gm_m3ps2: float, r_eq_m: float, zonal_j: np.ndarray,
) -> tuple[float, float, float]:
    """GCRF gravity (m/s^2, a 3-tuple) at r (m): point mass and the zonal terms of ``zonal_j``
    about GCRF z (the Earth's, as the module docstring says)."""
    return gravity_about_pole(x, y, z, gm_m3ps2, r_eq_m, zonal_j, 0.0, 0.0, 1.0)


@njit(cache=True, inline="always")
def gravity_about_pole(
    x: float, y: float, z: float, gm_m3ps2: float, r_eq_m: float, zonal_j: np.ndarray,
    pole_x: float, pole_y: float, pole_z: float,
) -> tuple[float, float, float]:
    """Gravity (m/s^2, a 3-tuple) at r (m): point mass and the zonal terms of ``zonal_j`` about
    the unit pole p (the Earth's: GCRF z, (0, 0, 1); the Moon's from ``astro.moon_frame``).

    ``zonal_j`` holds J0..Jn (J0, J1 unused); zonal term n, with u = r_hat.p and Pn Legendre:
    a_n = gm/r^2 Jn (R/r)^n [((n+1) Pn(u) + u Pn'(u)) r_hat - Pn'(u) p].

    Evaluated as q_n = Pn(u) / r^n and dq_n = Pn'(u) / r^(n-1), whose Legendre recurrences
    (Montenbruck & Gill eq. 3.20 times powers of 1/r) need 1/r^2 but no square root; the root,
    for gm/r^3, runs beside them rather than ahead of them. With w = r.p:
    a = -gm/r^3 [(1 - sum Jn R^n ((n+1) q_n + w dq_n / r^2)) r + (sum Jn R^n dq_n) p].
    J2 alone takes the recurrence's n = 2 with its factors written out: the same operations
    without the general step's 1/n division (the benchmark's orbit-day is the same to the bit).
    """
    r2 = x * x + y * y + z * z
    inv_r2 = 1.0 / r2
    w_r2 = (x * pole_x + y * pole_y + z * pole_z) * inv_r2
    radial = 1.0  # coefficient of r, in units of gm/r^3
    polar = 0.0  # coefficient of p, in units of gm/r^3
    q_prev, q_cur = 1.0, w_r2  # q_0, q_1
    dq_cur = 1.0  # dq_1
    r_eq_n = r_eq_m  # R^1
    j2_alone = zonal_j.shape[0] == 3
    if j2_alone:  # the recurrence's n = 2 with its factors as literals: no 1/n, no int to float
        q_cur = 1.5 * w_r2 * q_cur - 0.5 * inv_r2
        dq_cur = 3.0 * w_r2
        coeff = zonal_j[2] * (r_eq_m * r_eq_m)
        radial -= coeff * (3.0 * q_cur + w_r2 * dq_cur)
        polar += coeff * dq_cur
    for n in range(2, 2 if j2_alone else zonal_j.shape[0]):
        inv_n = 1.0 / n  # these factors are off the chain of dependent operations
        q_next = (2 * n - 1) * inv_n * w_r2 * q_cur - (n - 1) * inv_n * inv_r2 * q_prev
        dq_cur = n * q_cur + w_r2 * dq_cur
        q_prev, q_cur = q_cur, q_next
        r_eq_n *= r_eq_m
        coeff = zonal_j[n] * r_eq_n
        radial -= coeff * ((n + 1) * q_cur + w_r2 * dq_cur)
        polar += coeff * dq_cur
    gm_r3 = gm_m3ps2 * inv_r2 * (math.sqrt(r2) * inv_r2)
    g_radial = gm_r3 * radial
    g_polar = gm_r3 * polar
    return (
        -g_radial * x - g_polar * pole_x,
        -g_radial * y - g_polar * pole_y,
        -g_radial * z - g_polar * pole_z,
    )


@njit(cache=True, inline="always")
def drag_acceleration(
    t_tt_s: float, x: float, y: float, z: float, vx: float, vy: float, vz: float,
    cd_area_over_mass_m2pkg: float, omega_radps: float, table_t0_tt_s: float, table_dt_s: float,
    table_h0_m: float, table_dh_m: float, log_rho: np.ndarray,
) -> tuple[float, float, float]:
    """GCRF drag (m/s^2, a 3-tuple) in the co-rotating atmosphere of the density table."""
    h = altitude_m(x, y, z)
    rho = math.exp(
        log_density(t_tt_s, h, table_t0_tt_s, table_dt_s, table_h0_m, table_dh_m, log_rho)
    )
    wx = vx + omega_radps * y
    wy = vy - omega_radps * x
    wz = vz
    k = -0.5 * rho * cd_area_over_mass_m2pkg * math.sqrt(wx * wx + wy * wy + wz * wz)
    return k * wx, k * wy, k * wz


@njit(cache=True, inline="always")
def _hermite(t_tt_s, table_t0_tt_s, table_dt_s, n, r_m, v_mps, b):
    """Cubic Hermite interpolation of body ``b`` of a body table at TT ``t_tt_s`` (clamped to
    the table's span): a 3-tuple, m."""
    s = (t_tt_s - table_t0_tt_s) / table_dt_s
    s = min(max(s, 0.0), n - 1.0)
    i = min(int(s), n - 2)
    u = s - i
    u2, u3 = u * u, u * u * u
    h00, h10 = 2.0 * u3 - 3.0 * u2 + 1.0, (u3 - 2.0 * u2 + u) * table_dt_s
    h01, h11 = 3.0 * u2 - 2.0 * u3, (u3 - u2) * table_dt_s
    return (
        h00 * r_m[b, i, 0] + h10 * v_mps[b, i, 0] + h01 * r_m[b, i + 1, 0]
        + h11 * v_mps[b, i + 1, 0],
        h00 * r_m[b, i, 1] + h10 * v_mps[b, i, 1] + h01 * r_m[b, i + 1, 1]
        + h11 * v_mps[b, i + 1, 1],
        h00 * r_m[b, i, 2] + h10 * v_mps[b, i, 2] + h01 * r_m[b, i + 1, 2]
        + h11 * v_mps[b, i + 1, 2],
    )


@njit(cache=True)
def body_positions(
    t_tt_s: float, table_t0_tt_s: float, table_dt_s: float, gm_m3ps2: np.ndarray, r_m: np.ndarray,
    v_mps: np.ndarray,
) -> np.ndarray:
    """Positions (B, 3), m, of the bodies of a body table (``astro.ephemeris.BodyTable``) at TT
    ``t_tt_s``, relative to the central body."""
    out = np.empty((gm_m3ps2.shape[0], 3))
    for b in range(gm_m3ps2.shape[0]):
        out[b, 0], out[b, 1], out[b, 2] = _hermite(
            t_tt_s, table_t0_tt_s, table_dt_s, r_m.shape[1], r_m, v_mps, b,
        )
    return out


@njit(cache=True, inline="always")
def third_body_acceleration(
    t_tt_s: float, x: float, y: float, z: float, table_t0_tt_s: float, table_dt_s: float,
    gm_m3ps2: np.ndarray, r_m: np.ndarray, v_mps: np.ndarray,
) -> tuple[float, float, float]:
    """Point-mass pull of the table's bodies on a vehicle at r (m) from the central body, less
    their pull on the central body (m/s^2, a 3-tuple; Montenbruck & Gill sec. 3.3, eq. 3.37)."""
    ax = ay = az = 0.0
    for b in range(gm_m3ps2.shape[0]):
        bx, by, bz = _hermite(t_tt_s, table_t0_tt_s, table_dt_s, r_m.shape[1], r_m, v_mps, b)
        dx, dy, dz = bx - x, by - y, bz - z
        d2 = dx * dx + dy * dy + dz * dz
        b2 = bx * bx + by * by + bz * bz
        kd = gm_m3ps2[b] / (d2 * math.sqrt(d2))
        kb = gm_m3ps2[b] / (b2 * math.sqrt(b2))
        ax += kd * dx - kb * bx
        ay += kd * dy - kb * by
        az += kd * dz - kb * bz
    return ax, ay, az


@njit(cache=True, inline="always")
def acceleration(
    t_tt_s: float, x: float, y: float, z: float, vx: float, vy: float, vz: float, gm_m3ps2: float,
    r_eq_m: float, zonal_j: np.ndarray, cd_area_over_mass_m2pkg: float, omega_radps: float,
    table_t0_tt_s: float, table_dt_s: float, table_h0_m: float, table_dh_m: float,
    log_rho: np.ndarray,
) -> tuple[float, float, float]:
    """GCRF acceleration (m/s^2, a 3-tuple) on a satellite at r (m), v (m/s), TT ``t_tt_s``:
    gravity plus drag, which is skipped when ``cd_area_over_mass_m2pkg`` is 0."""
    ax, ay, az = gravity_acceleration(x, y, z, gm_m3ps2, r_eq_m, zonal_j)
    if cd_area_over_mass_m2pkg != 0.0:
        dx, dy, dz = drag_acceleration(
            t_tt_s, x, y, z, vx, vy, vz, cd_area_over_mass_m2pkg, omega_radps, table_t0_tt_s,
            table_dt_s, table_h0_m, table_dh_m, log_rho,
        )
        ax += dx
        ay += dy
        az += dz
    return ax, ay, az


@njit(cache=True)
def _acceleration_rows(
    t_tt_s, r_m, v_mps, gm_m3ps2, r_eq_m, zonal_j, cd_area_over_mass_m2pkg, omega_radps,
    table_t0_tt_s, table_dt_s, table_h0_m, table_dh_m, log_rho,
):
    out = np.empty_like(r_m)
    for i in range(r_m.shape[0]):
        out[i, 0], out[i, 1], out[i, 2] = acceleration(
            t_tt_s[i], r_m[i, 0], r_m[i, 1], r_m[i, 2], v_mps[i, 0], v_mps[i, 1], v_mps[i, 2],
            gm_m3ps2, r_eq_m, zonal_j, cd_area_over_mass_m2pkg[i], omega_radps,
            table_t0_tt_s, table_dt_s, table_h0_m, table_dh_m, log_rho,
        )
    return out


def acceleration_gcrf_mps2(
    t_tt_s: ArrayLike, r_gcrf_m: ArrayLike, v_gcrf_mps: ArrayLike,
    cd_area_over_mass_m2pkg: float = 0.0, density_table: DensityTable | tuple | None = None,
    zonal_degree: int = MAX_ZONAL_DEGREE,
) -> np.ndarray:
    """GCRF acceleration (m/s^2, shape like ``r_gcrf_m``) for (N, 3) or (3,) states.

    ``t_tt_s`` (TT seconds since J2000) and ``cd_area_over_mass_m2pkg`` broadcast to N; drag needs
    ``density_table`` (module docstring) when Cd*A/m > 0.
    """
    r_m = np.asarray(r_gcrf_m, dtype=float)
    v_mps = np.asarray(v_gcrf_mps, dtype=float)
    if r_m.shape != v_mps.shape or r_m.shape[-1:] != (3,) or r_m.ndim > 2:
        raise ValueError(
            "r_gcrf_m and v_gcrf_mps must both be (3,) or (N, 3), "
            f"got {r_m.shape} and {v_mps.shape}"
        )
    rows_r, rows_v = np.atleast_2d(r_m), np.atleast_2d(v_mps)
    n = rows_r.shape[0]
    radius_m = np.linalg.norm(rows_r, axis=1)
    if not np.all(np.isfinite(rows_r)) or not np.all(radius_m > 0.0):
        raise ValueError(f"r_gcrf_m must be finite and non-zero, got {r_gcrf_m!r}")
    cd_am = np.broadcast_to(np.asarray(cd_area_over_mass_m2pkg, dtype=float), (n,))
    if np.any(cd_am < 0.0):
        raise ValueError(f"cd_area_over_mass_m2pkg must be >= 0, got {cd_area_over_mass_m2pkg!r}")
    if np.any(cd_am > 0.0) and density_table is None:
        raise ValueError("drag (cd_area_over_mass_m2pkg > 0) needs a density_table")
    table = check_density_table(density_table)
    out = _acceleration_rows(
        np.ascontiguousarray(np.broadcast_to(np.asarray(t_tt_s, dtype=float), (n,))),
        np.ascontiguousarray(rows_r), np.ascontiguousarray(rows_v),
        GM_EARTH_M3PS2, R_EARTH_M, zonal_coefficients(zonal_degree), np.ascontiguousarray(cd_am),
        OMEGA_EARTH_RADPS, *table,
    )
    return out if r_m.ndim == 2 else out[0]


drop_stale(globals())  # before any kernel here loads from the disk cache (kernel_cache)
