"""Reference frames: GCRF (inertial), ITRF (Earth-fixed), TEME (SGP4), geodetic, LVLH.

GCRF <-> ITRF follows the IERS Conventions (2010), ch. 5, CIO-based: IAU 2006/2000A
precession-nutation (ERFA ``c2i06a``), Earth rotation angle from UT1 (``era00``) and polar
motion (``pom00``). Polar motion defaults to zero: it stays below 0.6 arcsec, so positions are
then off by ~10-20 m in LEO (16 m and 1.2 cm/s in Vallado's Example 3-15). The time derivative
of precession-nutation is ignored (< 1 mm/s) and so are the celestial pole offsets dX, dY
(< 1 mas, < 3 cm); with the pole given, Vallado's Example 3-15 is met to 1 cm.
:func:`itrf_to_gcrf_fast` and :func:`teme_to_gcrf_fast` are cheaper routes for many epochs
(launch sites, SGP4 states): IAU 2000B nutation interpolated over quarter days, within 5 cm of
the full route at the Earth's surface and 10 cm in LEO.

LVLH is the Shuttle/ISS convention (NASA JSC, ISS Flight Rules; Fehse, *Automated Rendezvous
and Docking of Spacecraft*, 2003, sec. 3.1): +x along the velocity (V-bar), +z toward Earth's
centre (R-bar), +y = z x x, opposite the orbit normal (-H-bar).
"""

from __future__ import annotations

import functools
import math

import erfa
import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import (
    DAY_S,
    OMEGA_EARTH_RADPS,
    R_EARTH_M,
    WGS84_E2,
    WGS84_FLATTENING,
)
from stationsim.astro.time import Epoch
from stationsim.astro.vectors import all_finite, cross3

_OMEGA_EARTH_RADPS = np.array([0.0, 0.0, OMEGA_EARTH_RADPS])  # about the TIRS z axis
_MAX_DUT1_S = 1.0  # |UT1 - UTC| is kept below 0.9 s by IERS
_MAX_POLAR_MOTION_RAD = 1e-5  # ~2 arcsec; observed polar motion stays below 0.6 arcsec


def _rows(name: str, value) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if array.shape[-1:] != (3,):
        raise ValueError(f"{name} must have shape (..., 3), got shape {array.shape}")
    if not all_finite(array):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return array


def _state(r_name: str, r_value, v_name: str, v_value) -> tuple[np.ndarray, np.ndarray]:
    r = _rows(r_name, r_value)
    v = _rows(v_name, v_value)
    if r.shape != v.shape:
        raise ValueError(
            f"{r_name} and {v_name} must have the same shape, got {r.shape} and {v.shape}"
        )
    return r, v


def _bounded(name: str, value, limit: float, unit: str) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if not all_finite(array) or np.any(np.abs(array) > limit):
        raise ValueError(f"{name} must be finite with magnitude <= {limit:g} {unit}, got {value!r}")
    return array


def _check_epoch(epoch, rows: np.ndarray, rows_name: str) -> None:
    if not isinstance(epoch, Epoch):
        raise ValueError(f"epoch must be an Epoch, got {type(epoch).__name__} {epoch!r}")
    try:
        np.broadcast_shapes(epoch.shape, rows.shape[:-1])
    except ValueError:
        raise ValueError(
            f"epoch of shape {epoch.shape} does not match {rows_name} of shape {rows.shape}; "
            "give one epoch, or one per row"
        ) from None


def _apply(matrix: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    return np.einsum("...ij,...j->...i", matrix, vectors)


def _apply_transposed(matrix: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    return np.einsum("...ji,...j->...i", matrix, vectors)


def _earth_matrices(epoch: Epoch, dut1_s, xp_rad, yp_rad) -> tuple[np.ndarray, np.ndarray]:
    """(GCRF -> TIRS, TIRS -> ITRF) rotation matrices at ``epoch``; shapes (..., 3, 3).

    IERS Conventions (2010) eq. 5.1: [ITRS] = W(t) R(ERA) Q(t) [GCRS], via ERFA c2i06a, era00,
    sp00 and pom00.
    """
    dut1_s = _bounded("dut1_s", dut1_s, _MAX_DUT1_S, "s")
    xp_rad = _bounded("xp_rad", xp_rad, _MAX_POLAR_MOTION_RAD, "rad")
    yp_rad = _bounded("yp_rad", yp_rad, _MAX_POLAR_MOTION_RAD, "rad")
    tt1, tt2 = epoch.tt_two_part()
    gcrf_to_cirs = erfa.c2i06a(tt1, tt2)
    earth_rotation_angle_rad = erfa.era00(*epoch.ut1_jd(dut1_s))
    gcrf_to_tirs = erfa.c2tcio(gcrf_to_cirs, earth_rotation_angle_rad, np.eye(3))
    tirs_to_itrf = erfa.pom00(xp_rad, yp_rad, erfa.sp00(tt1, tt2))
    return gcrf_to_tirs, tirs_to_itrf


def gcrf_to_itrf(
    r_gcrf_m: ArrayLike, v_gcrf_mps: ArrayLike, epoch: Epoch, dut1_s: ArrayLike = 0.0,
    xp_rad: float = 0.0, yp_rad: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """GCRF state to ITRF (Earth-fixed; the velocity is relative to the rotating Earth).

    ``r_gcrf_m``, ``v_gcrf_mps``: (3,) or (N, 3); ``epoch``: one Epoch or one per row;
    ``dut1_s`` = UT1 - UTC (IERS Bulletin A); ``xp_rad``, ``yp_rad``: pole coordinates (zero by
    default, costing ~10 m). Returns (r_itrf_m, v_itrf_mps). Accuracy as in the module docstring.
    """
    r, v = _state("r_gcrf_m", r_gcrf_m, "v_gcrf_mps", v_gcrf_mps)
    _check_epoch(epoch, r, "r_gcrf_m")
    gcrf_to_tirs, tirs_to_itrf = _earth_matrices(epoch, dut1_s, xp_rad, yp_rad)
    r_tirs = _apply(gcrf_to_tirs, r)
    v_tirs = _apply(gcrf_to_tirs, v) - np.cross(_OMEGA_EARTH_RADPS, r_tirs)
    return _apply(tirs_to_itrf, r_tirs), _apply(tirs_to_itrf, v_tirs)


def itrf_to_gcrf(
    r_itrf_m: ArrayLike, v_itrf_mps: ArrayLike, epoch: Epoch, dut1_s: ArrayLike = 0.0,
    xp_rad: float = 0.0, yp_rad: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """ITRF state (velocity relative to the Earth) to GCRF; inverse of :func:`gcrf_to_itrf`.

    A ground site is ``itrf_to_gcrf(r_site_m, np.zeros(3), epoch)``. Returns
    (r_gcrf_m, v_gcrf_mps).
    """
    r, v = _state("r_itrf_m", r_itrf_m, "v_itrf_mps", v_itrf_mps)
    _check_epoch(epoch, r, "r_itrf_m")
    gcrf_to_tirs, tirs_to_itrf = _earth_matrices(epoch, dut1_s, xp_rad, yp_rad)
    r_tirs = _apply_transposed(tirs_to_itrf, r)
    v_tirs = _apply_transposed(tirs_to_itrf, v) + np.cross(_OMEGA_EARTH_RADPS, r_tirs)
    return _apply_transposed(gcrf_to_tirs, r_tirs), _apply_transposed(gcrf_to_tirs, v_tirs)


PRECESSION_NUTATION_STEP_S = 21600.0  # nodes of the fast path's interpolated c2i matrix


def _gcrf_to_cirs_interpolated(tt_s: np.ndarray) -> np.ndarray:
    """GCRS -> CIRS matrices (..., 3, 3) at TT seconds ``tt_s``: IAU 2006/2000B (ERFA
    ``c2i00b``; McCarthy & Luzum 2003, within 1 mas of 2000A over 1995-2050) evaluated every
    6 h of TT and interpolated linearly between (< 0.3 mas: the fastest nutation term has a
    13.7-day period and 0.2 arcsec amplitude)."""
    if not tt_s.ndim:  # one epoch: its two nodes, no search
        node_at = math.floor(float(tt_s) / PRECESSION_NUTATION_STEP_S)
        before, after = _c2i_at_node(node_at), _c2i_at_node(node_at + 1)
        return before + (tt_s / PRECESSION_NUTATION_STEP_S - node_at) * (after - before)
    node = np.floor(tt_s / PRECESSION_NUTATION_STEP_S)
    needed = np.unique(np.concatenate([np.ravel(node), np.ravel(node) + 1.0]))  # sparse epochs
    matrices = np.stack([_c2i_at_node(int(at)) for at in needed.tolist()])
    k = np.searchsorted(needed, node)
    weight = (tt_s / PRECESSION_NUTATION_STEP_S - node)[..., None, None]
    return matrices[k] + weight * (matrices[k + 1] - matrices[k])


@functools.lru_cache(maxsize=8192)
def _c2i_at_node(node: int) -> np.ndarray:
    """ERFA ``c2i00b`` at the interpolation node ``node`` (TT of node x the step), kept: a
    program asks for the same few nodes thousands of times (read-only, so shared safely)."""
    matrix = erfa.c2i00b(*Epoch(PRECESSION_NUTATION_STEP_S * float(node)).tt_two_part())
    matrix.flags.writeable = False
    return matrix


def _ut1_two_part_fast(epoch: Epoch, dut1_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Two-part UT1 Julian date with TT - UTC looked up once per call unless a leap second
    falls inside the span of ``epoch`` (then per epoch): the fast paths' Earth rotation."""
    tt_s = np.asarray(epoch.tt_s, dtype=float)
    if tt_s.ndim:
        ends = np.asarray(Epoch(np.array([tt_s.min(), tt_s.max()])).tt_minus_utc_s())
        tt_minus_utc_s = ends[0] if ends[0] == ends[1] else epoch.tt_minus_utc_s()
    else:
        tt_minus_utc_s = epoch.tt_minus_utc_s()
    tt1, tt2 = epoch.tt_two_part()
    return tt1, tt2 - (tt_minus_utc_s - dut1_s) / DAY_S


def _rotate_z(angle_rad, r: np.ndarray) -> np.ndarray:
    """Vectors ``r`` (..., 3) in a frame turned by ``angle_rad`` about z (ERFA ``rz``)."""
    cos, sin = np.cos(angle_rad), np.sin(angle_rad)
    x, y = r[..., 0], r[..., 1]
    x_new, y_new = cos * x + sin * y, cos * y - sin * x
    return np.stack([x_new, y_new, np.broadcast_to(r[..., 2], x_new.shape)], axis=-1)


def itrf_to_gcrf_fast(r_itrf_m: ArrayLike, epoch: Epoch, dut1_s: float = 0.0) -> np.ndarray:
    """GCRF positions (..., 3) of Earth-fixed ITRF positions ``r_itrf_m`` (..., 3), fast path.

    For launch-site geometry over many epochs: GCRS -> CIRS interpolated over quarter days
    (IAU 2006/2000B, see :func:`_gcrf_to_cirs_interpolated`); Earth rotation angle from UT1
    (``era00``), with TT - UTC taken once per leap-second interval; polar motion and the TIO
    locator s' ignored (as :func:`itrf_to_gcrf` with the pole at zero). Against
    :func:`itrf_to_gcrf` the result is within ~1.5 mas (5 cm at the Earth's surface). The
    velocity is not computed.
    """
    r = _rows("r_itrf_m", r_itrf_m)
    _check_epoch(epoch, r, "r_itrf_m")
    dut1_s = float(_bounded("dut1_s", dut1_s, _MAX_DUT1_S, "s"))
    gcrf_to_cirs = _gcrf_to_cirs_interpolated(np.asarray(epoch.tt_s, dtype=float))
    angle_rad = erfa.era00(*_ut1_two_part_fast(epoch, dut1_s))
    if r.shape == (3,) and not epoch.shape:  # a pad at one instant: the same sums in floats
        cos, sin = math.cos(-angle_rad), math.sin(-angle_rad)
        x, y, z = r.tolist()
        x, y = cos * x + sin * y, cos * y - sin * x
        (a, b, c), (d, e, f), (g, h, i) = gcrf_to_cirs.tolist()
        return np.array([a * x + d * y + g * z, b * x + e * y + h * z, c * x + f * y + i * z])
    return _apply_transposed(gcrf_to_cirs, _rotate_z(-angle_rad, r))


def gcrf_to_itrf_fast(r_gcrf_m: ArrayLike, epoch: Epoch, dut1_s: float = 0.0) -> np.ndarray:
    """ITRF positions (..., 3) of GCRF positions ``r_gcrf_m`` (..., 3): the inverse of
    :func:`itrf_to_gcrf_fast`, with its accuracy (5 cm at the Earth's surface against
    :func:`gcrf_to_itrf`), for long ephemerides turned Earth-fixed (the CZML export)."""
    r = _rows("r_gcrf_m", r_gcrf_m)
    _check_epoch(epoch, r, "r_gcrf_m")
    dut1_s = float(_bounded("dut1_s", dut1_s, _MAX_DUT1_S, "s"))
    gcrf_to_cirs = _gcrf_to_cirs_interpolated(np.asarray(epoch.tt_s, dtype=float))
    angle_rad = erfa.era00(*_ut1_two_part_fast(epoch, dut1_s))
    return _rotate_z(angle_rad, _apply(gcrf_to_cirs, r))


def teme_to_gcrf(
    r_teme_m: ArrayLike,
    v_teme_mps: ArrayLike,
    epoch: Epoch,
    dut1_s: ArrayLike = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """SGP4 output (TEME of date) to GCRF.

    Route of Vallado et al. 2006 (AIAA 2006-6753, sec. VI): TEME -> PEF by GMST (IAU 1982,
    ``erfa.gmst82`` from UT1), PEF taken as TIRS, then TIRS -> GCRF as in :func:`itrf_to_gcrf`.
    Polar motion cancels on this route and the Earth-rotation velocity terms cancel too, so
    the state is rotated by one matrix. Agrees with the paper's example (its GCRF values) to
    1.2 cm and 0.01 mm/s.
    """
    r, v = _state("r_teme_m", r_teme_m, "v_teme_mps", v_teme_mps)
    _check_epoch(epoch, r, "r_teme_m")
    gcrf_to_tirs, _ = _earth_matrices(epoch, dut1_s, 0.0, 0.0)
    gmst_rad = erfa.gmst82(*epoch.ut1_jd(dut1_s))
    teme_to_tirs = erfa.rz(gmst_rad, np.eye(3))
    teme_to_gcrf_matrix = np.einsum("...ji,...jk->...ik", gcrf_to_tirs, teme_to_tirs)
    return _apply(teme_to_gcrf_matrix, r), _apply(teme_to_gcrf_matrix, v)


def teme_to_gcrf_fast(
    r_teme_m: ArrayLike,
    v_teme_mps: ArrayLike,
    epoch: Epoch,
    dut1_s: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """SGP4 output (TEME of date) to GCRF on the fast path, for many states at once.

    The route of :func:`teme_to_gcrf` written as ``GCRF = C^T R3(GMST82 - ERA) TEME``, with the
    GCRS -> CIRS matrix ``C`` interpolated over quarter days (IAU 2006/2000B,
    :func:`_gcrf_to_cirs_interpolated`) and TT - UTC looked up once per leap-second interval.
    Within 2 mas of :func:`teme_to_gcrf` (under 10 cm in LEO, 1 m out to 100,000 km; tested),
    far below SGP4's own kilometre. ``r_teme_m``, ``v_teme_mps``: (..., 3) with the epochs'
    shape as their leading shape, or a trailing satellite axis broadcast against it:
    ``epoch`` (M,) and states (N, M, 3) rotate N satellites at M epochs with M matrices.
    """
    r = np.asarray(r_teme_m, dtype=float)
    v = np.asarray(v_teme_mps, dtype=float)
    if r.shape != v.shape or r.shape[-1:] != (3,):
        raise ValueError(f"r_teme_m and v_teme_mps must have one shape (..., 3), got {r.shape} "
                         f"and {v.shape}")
    dut1_s = float(_bounded("dut1_s", dut1_s, _MAX_DUT1_S, "s"))
    ut1 = _ut1_two_part_fast(epoch, dut1_s)
    angle_rad = erfa.gmst82(*ut1) - erfa.era00(*ut1)
    gcrf_to_cirs = _gcrf_to_cirs_interpolated(np.asarray(epoch.tt_s, dtype=float))
    return (_apply_transposed(gcrf_to_cirs, _rotate_z(angle_rad, r)),
            _apply_transposed(gcrf_to_cirs, _rotate_z(angle_rad, v)))


def geodetic_to_itrf(lat_rad: ArrayLike, lon_rad: ArrayLike, height_m: ArrayLike) -> np.ndarray:
    """ITRF position (..., 3) in metres of geodetic latitude, longitude and height on WGS-84.

    Exact closed form (ERFA ``gd2gce``; NIMA TR8350.2 eq. 4-14). Arguments broadcast.
    """
    lat = np.asarray(lat_rad, dtype=float)
    lon = np.asarray(lon_rad, dtype=float)
    height = np.asarray(height_m, dtype=float)
    if not np.all(np.isfinite(lat)) or np.any(np.abs(lat) > np.pi / 2):
        raise ValueError(f"lat_rad must be finite and within [-pi/2, pi/2], got {lat_rad!r}")
    if not np.all(np.isfinite(lon)):
        raise ValueError(f"lon_rad must be finite, got {lon_rad!r}")
    if not np.all(np.isfinite(height)) or np.any(height <= -R_EARTH_M / 2):
        raise ValueError(f"height_m must be finite and above -R_EARTH_M/2, got {height_m!r}")
    try:
        lat, lon, height = np.broadcast_arrays(lat, lon, height)
    except ValueError:
        raise ValueError(
            f"lat_rad, lon_rad and height_m shapes {lat.shape}, {lon.shape}, {height.shape} "
            "do not broadcast"
        ) from None
    return erfa.gd2gce(R_EARTH_M, WGS84_FLATTENING, lon, lat, height)


def itrf_to_geodetic(r_itrf_m: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Geodetic (lat_rad, lon_rad, height_m) on WGS-84 of ITRF positions (..., 3) in metres.

    ERFA ``gc2gde`` (Fukushima 2006, J. Geodesy 79, 689) followed by one step of the fixed-point
    latitude iteration ``tan(lat) = (z + e2 N sin(lat)) / p`` (Bowring 1976, Survey Review 23,
    323), whose contraction factor is at most e2 = 0.0067. Alone, ``gc2gde`` is off by up to
    2e-11 rad far from the Earth (1 mm at 38,700 km, 1.5 mm at the Moon's distance); after the
    step the round trip with :func:`geodetic_to_itrf` closes to under a micrometre from the
    ground to 400,000 km (bench/geodetic.py). Height is ``p cos(lat) + z sin(lat) - a W``,
    well conditioned at every latitude. Longitude in [-pi, pi].
    """
    r = _rows("r_itrf_m", r_itrf_m)
    if np.any(np.linalg.norm(r, axis=-1) < R_EARTH_M / 2):
        raise ValueError(f"r_itrf_m must be at least R_EARTH_M/2 from the centre, got {r_itrf_m!r}")
    lon, lat, _ = erfa.gc2gde(R_EARTH_M, WGS84_FLATTENING, r)
    p_m = np.hypot(r[..., 0], r[..., 1])
    z_m = r[..., 2]
    sin_lat = np.sin(lat)
    lat = np.arctan2(z_m + WGS84_E2 * R_EARTH_M * sin_lat / np.sqrt(1.0 - WGS84_E2 * sin_lat**2),
                     p_m)
    sin_lat = np.sin(lat)
    height = p_m * np.cos(lat) + z_m * sin_lat - R_EARTH_M * np.sqrt(1.0 - WGS84_E2 * sin_lat**2)
    return lat, lon, height


def subpoint(
    r_gcrf_m: ArrayLike,
    epoch: Epoch,
    dut1_s: ArrayLike = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sub-satellite point (lat_rad, lon_rad, altitude_m) on WGS-84 of GCRF positions.

    With an Epoch array and (N, 3) positions this is the ground track. Polar motion is
    ignored (see the module docstring).
    """
    r = _rows("r_gcrf_m", r_gcrf_m)
    _check_epoch(epoch, r, "r_gcrf_m")
    gcrf_to_tirs, tirs_to_itrf = _earth_matrices(epoch, dut1_s, 0.0, 0.0)
    return itrf_to_geodetic(_apply(tirs_to_itrf, _apply(gcrf_to_tirs, r)))


def lvlh_matrix(r_m: ArrayLike, v_mps: ArrayLike) -> np.ndarray:
    """Rotation from inertial to LVLH of the target at (r, v): ``x_lvlh = M @ x_inertial``.

    Rows of M are the LVLH unit vectors in inertial axes; shape (..., 3, 3).
    """
    r = _rows("r_m", r_m)
    v = _rows("v_mps", v_mps)
    if r.shape == v.shape == (3,):
        return _lvlh_matrix_one(r, v)
    h = cross3(r, v)
    h_norm = np.linalg.norm(h, axis=-1, keepdims=True)
    r_norm = np.linalg.norm(r, axis=-1, keepdims=True)
    if np.any(h_norm <= 1e-12 * r_norm * np.linalg.norm(v, axis=-1, keepdims=True)):
        raise ValueError(
            f"v_mps must not be parallel to r_m (the orbit plane is undefined), got r_m={r_m!r}, "
            f"v_mps={v_mps!r}"
        )
    z = -r / r_norm
    y = -h / h_norm
    x = cross3(y, z)
    return np.stack([x, y, z], axis=-2)


def _lvlh_matrix_one(r: np.ndarray, v: np.ndarray) -> np.ndarray:
    """:func:`lvlh_matrix` of one state in Python floats (the same operations, so the same
    bits; a fifth of the time of the broadcasting version)."""
    (rx, ry, rz), (vx, vy, vz) = r.tolist(), v.tolist()
    hx, hy, hz = ry * vz - rz * vy, rz * vx - rx * vz, rx * vy - ry * vx
    h_norm = math.sqrt(hx * hx + hy * hy + hz * hz)
    r_norm = math.sqrt(rx * rx + ry * ry + rz * rz)
    if h_norm <= 1e-12 * r_norm * math.sqrt(vx * vx + vy * vy + vz * vz):
        raise ValueError(
            f"v_mps must not be parallel to r_m (the orbit plane is undefined), got r_m={r!r}, "
            f"v_mps={v!r}"
        )
    zx, zy, zz = -rx / r_norm, -ry / r_norm, -rz / r_norm
    yx, yy, yz = -hx / h_norm, -hy / h_norm, -hz / h_norm
    return np.array([[yy * zz - yz * zy, yz * zx - yx * zz, yx * zy - yy * zx],
                     [yx, yy, yz], [zx, zy, zz]])


def _lvlh_frame(r_target_m, v_target_mps):
    """Target state, its LVLH matrix and the frame's angular velocity h / r^2 (inertial axes)."""
    r_t = _rows("r_target_m", r_target_m)
    v_t = _rows("v_target_mps", v_target_mps)
    omega = cross3(r_t, v_t) / np.sum(r_t * r_t, axis=-1, keepdims=True)
    return r_t, v_t, lvlh_matrix(r_t, v_t), omega


def inertial_to_lvlh(
    r_target_m: ArrayLike,
    v_target_mps: ArrayLike,
    r_chaser_m: ArrayLike,
    v_chaser_mps: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """Chaser state relative to the target, in the target's rotating LVLH frame.

    The relative velocity is taken in the rotating frame (the transport term omega x rho is
    removed, omega = h / r^2 along -y), as Clohessy-Wiltshire expects.
    Returns (rho_lvlh_m, rho_dot_lvlh_mps), shape (..., 3).
    """
    r_t, v_t, matrix, omega = _lvlh_frame(r_target_m, v_target_mps)
    dr = _rows("r_chaser_m", r_chaser_m) - r_t
    dv = _rows("v_chaser_mps", v_chaser_mps) - v_t - cross3(omega, dr)
    return _apply(matrix, dr), _apply(matrix, dv)


def lvlh_to_inertial(
    r_target_m: ArrayLike,
    v_target_mps: ArrayLike,
    rho_lvlh_m: ArrayLike,
    rho_dot_lvlh_mps: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`inertial_to_lvlh`: the chaser's inertial (r_m, v_mps)."""
    r_t, v_t, matrix, omega = _lvlh_frame(r_target_m, v_target_mps)
    dr = _apply_transposed(matrix, _rows("rho_lvlh_m", rho_lvlh_m))
    dv = _apply_transposed(matrix, _rows("rho_dot_lvlh_mps", rho_dot_lvlh_mps))
    return r_t + dr, v_t + dv + cross3(omega, dr)
