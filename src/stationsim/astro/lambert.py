"""Lambert's problem: the two-body arc joining two positions in a given time.

Izzo's algorithm (D. Izzo, "Revisiting Lambert's problem", Celest. Mech. Dyn. Astr. 121, 1-15,
2015): Lancaster's non-dimensional time of flight T(x) solved for x by Householder iterations,
zero and multiple revolutions (left and right branches), prograde or retrograde about +z.
Kernels are Numba-compiled pure functions of floats in SI; batch kernels return status codes and
:func:`solve_lambert` raises ``ValueError`` naming the first failed problem.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import GM_EARTH_M3PS2
from stationsim.astro.kernel_cache import drop_stale

LAMBERT_OK = 0
LAMBERT_BAD_INPUT = 1  # non-finite or non-positive radius, time of flight or GM; negative revs
LAMBERT_COLLINEAR = 2  # r1 and r2 parallel (0 or 180 deg): the transfer plane is undefined
LAMBERT_NO_SOLUTION = 3  # time of flight below the minimum for the requested revolutions
LAMBERT_NOT_CONVERGED = 4  # Householder/Halley iterations did not converge

LAMBERT_STATUS_MESSAGES = {
    LAMBERT_OK: "solved",
    LAMBERT_BAD_INPUT: "non-finite or non-positive radius, time of flight or GM, or revs < 0",
    LAMBERT_COLLINEAR: "r1 and r2 are parallel, so the transfer plane is undefined",
    LAMBERT_NO_SOLUTION: "time of flight is shorter than the minimum for that many revolutions",
    LAMBERT_NOT_CONVERGED: "iterations did not converge",
}

_MAX_ITERATIONS = 60  # 3-5 Householder steps suffice but where the safeguard bisects
_X_TOL = 1e-13  # on Izzo's x, of order 1; the last Householder step then sits at round-off
_BATTIN_BAND = 0.01  # |x - 1| below which T(x) uses Battin's series (as Izzo 2015 advises)
_PARALLEL_SIN = 1e-12  # |sin(transfer angle)| below which the plane is undefined
_SCALAR_TYPES = (int, float, np.integer, np.floating, np.bool_)


@numba.njit(cache=True)
def _hyp2f1_3_1_5half(z):
    """Gauss hypergeometric 2F1(3, 1; 5/2; z) by its series, |z| < 1 (Battin 1999; Izzo 2015)."""
    total = 1.0
    term = 1.0
    k = 0
    while True:
        term *= (3.0 + k) * (1.0 + k) / (2.5 + k) * z / (k + 1.0)
        updated = total + term
        if updated == total:
            return total
        total = updated
        k += 1


@numba.njit(cache=True)
def _time_of_flight(x, lam, revs):
    """Non-dimensional time of flight T(x) (Izzo 2015; Battin's series near x = 1)."""
    one_minus_x2 = 1.0 - x * x
    y = math.sqrt(1.0 - lam * lam * one_minus_x2)
    if abs(x - 1.0) < _BATTIN_BAND:
        eta = y - lam * x
        s1 = 0.5 * (1.0 - lam - x * eta)
        q = 4.0 / 3.0 * _hyp2f1_3_1_5half(s1)
        tof = 0.5 * (eta**3 * q + 4.0 * lam * eta)
        if revs > 0:
            tof += revs * math.pi / abs(one_minus_x2) ** 1.5
        return tof
    root = math.sqrt(abs(one_minus_x2))
    if one_minus_x2 > 0.0:
        psi = math.acos(min(1.0, max(-1.0, x * y + lam * one_minus_x2)))
    else:
        psi = math.asinh((y - x * lam) * root)
    return ((psi + revs * math.pi) / root - x + lam * y) / one_minus_x2


@numba.njit(cache=True)
def _tof_derivatives(x, tof, lam):
    """dT/dx, d2T/dx2, d3T/dx3 in closed form (Izzo 2015); y = sqrt(1 - lam^2 (1 - x^2))."""
    one_minus_x2 = 1.0 - x * x
    y = math.sqrt(1.0 - lam * lam * one_minus_x2)
    lam3 = lam**3
    d1 = (3.0 * tof * x - 2.0 + 2.0 * lam3 * x / y) / one_minus_x2
    d2 = (3.0 * tof + 5.0 * x * d1 + 2.0 * (1.0 - lam * lam) * lam3 / y**3) / one_minus_x2
    d3 = (7.0 * x * d2 + 8.0 * d1 - 6.0 * (1.0 - lam * lam) * lam3 * lam * lam * x / y**5) / (
        one_minus_x2
    )
    return d1, d2, d3


@numba.njit(cache=True)
def _householder(x, target_tof, lam, revs, low, high, increasing):
    """Solve T(x) = target_tof by 4th-order Householder steps; returns (x, converged).

    T(x) is monotonic on (low, high) (rising there if ``increasing``) and runs to infinity at
    the finite ends: (-1, inf) for revs = 0, either side of the minimum-time x for revs >= 1.
    Each iterate narrows a bracket of the root; a step that leaves it (a start near -1 for a
    transfer angle near 0, where T_0 -> 0 and T bends sharply at x = 0) is replaced by a Newton
    step, and that if need be by bisection (safeguarded Newton: Press et al., *Numerical
    Recipes*, 3rd ed., sec. 9.4).
    """
    if not low < x < high:
        x = 0.5 * (low + high) if math.isfinite(high) else low + 1.0
    for _ in range(_MAX_ITERATIONS):
        if abs(1.0 - x * x) < 1e-9:
            # The derivatives are 0/0 at the parabola x = 1: a Newton step with the limit
            # dT/dx = -2 (1 - lam^5) / 5.
            f = _time_of_flight(x, lam, revs) - target_tof
            x_new = x - f / (-0.4 * (1.0 - lam**5))
        else:
            tof = _time_of_flight(x, lam, revs)
            f = tof - target_tof
            d1, d2, d3 = _tof_derivatives(x, tof, lam)
            x_new = x - f * (d1 * d1 - 0.5 * f * d2) / (
                d1 * (d1 * d1 - f * d2) + d3 * f * f / 6.0
            )
        if abs(x_new - x) < _X_TOL * max(1.0, abs(x)):
            return x_new, True
        if (f > 0.0) != increasing:  # the root lies above x
            low = x
        else:
            high = x
        if not low < x_new < high:
            x_new = x - f / d1 if abs(1.0 - x * x) >= 1e-9 else x_new
        if not low < x_new < high:
            x_new = 0.5 * (low + high) if math.isfinite(high) else 2.0 * x - low
        if not math.isfinite(x_new):
            return x, False
        if abs(x_new - x) < _X_TOL * max(1.0, abs(x)):  # the bracket is closed to round-off
            return x_new, True
        x = x_new
    return x, False


@numba.njit(cache=True)
def _minimum_tof(lam, revs):
    """(x, T) at the minimum of T(x) for revs >= 1, by Halley steps on dT/dx = 0 (Izzo 2015).

    T falls then rises on (-1, 1); the sign of dT/dx narrows a bracket of the minimum, and a
    Halley step that leaves it (|lam| near 1, a transfer angle near 0 or 360 deg, where T
    bends sharply at x = 0) is replaced by a Newton step on dT/dx, then by bisection.
    """
    low, high = -1.0, 1.0
    x = 0.0
    for _ in range(_MAX_ITERATIONS):
        tof = _time_of_flight(x, lam, revs)
        d1, d2, d3 = _tof_derivatives(x, tof, lam)
        x_new = x - 2.0 * d1 * d2 / (2.0 * d2 * d2 - d1 * d3)
        if abs(x_new - x) < _X_TOL:
            return x_new, _time_of_flight(x_new, lam, revs), True
        if d1 < 0.0:
            low = x
        else:
            high = x
        if not low < x_new < high:
            x_new = x - d1 / d2
        if not low < x_new < high:
            x_new = 0.5 * (low + high)
        if not math.isfinite(x_new):
            return x, tof, False
        if abs(x_new - x) < _X_TOL:
            return x_new, _time_of_flight(x_new, lam, revs), True
        x = x_new
    return x, _time_of_flight(x, lam, revs), False


@numba.njit(cache=True)
def _initial_x(target_tof, lam, revs, right_branch):
    """Starting x (Izzo 2015; the middle single-revolution case as corrected so that it
    returns x = 0 at T = T_0 and x = 1 at T = T_1)."""
    if revs == 0:
        tof_x0 = math.acos(lam) + lam * math.sqrt(1.0 - lam * lam)
        tof_parabolic = 2.0 / 3.0 * (1.0 - lam**3)
        if target_tof >= tof_x0:
            return (tof_x0 / target_tof) ** (2.0 / 3.0) - 1.0
        if target_tof < tof_parabolic:
            return (
                2.5 * tof_parabolic * (tof_parabolic - target_tof)
                / (target_tof * (1.0 - lam**5))
                + 1.0
            )
        exponent = math.log(target_tof / tof_x0) / math.log(tof_parabolic / tof_x0)
        return 2.0**exponent - 1.0
    if right_branch:
        ratio = (8.0 * target_tof / (revs * math.pi)) ** (2.0 / 3.0)
    else:
        ratio = ((revs + 1.0) * math.pi / (8.0 * target_tof)) ** (2.0 / 3.0)
    return (ratio - 1.0) / (ratio + 1.0)


@numba.njit(cache=True)
def lambert_izzo(
    mu: float, r1x: float, r1y: float, r1z: float, r2x: float, r2y: float, r2z: float, tof: float,
    revs: int, prograde: bool, right_branch: bool,
) -> tuple[float, float, float, float, float, float, int]:
    """One Lambert problem (Izzo 2015). SI in and out, inertial axes; prograde is about +z.

    right_branch picks, for revs >= 1, Izzo's right branch (x above the minimum-time x);
    ignored for revs = 0. Returns (v1x, v1y, v1z, v2x, v2y, v2z, status); the velocities are
    NaN unless status == LAMBERT_OK.
    """
    nan = math.nan
    r1 = math.sqrt(r1x * r1x + r1y * r1y + r1z * r1z)
    r2 = math.sqrt(r2x * r2x + r2y * r2y + r2z * r2z)
    if not (r1 > 0.0 and r2 > 0.0 and tof > 0.0 and mu > 0.0 and revs >= 0) or not (
        math.isfinite(r1) and math.isfinite(r2) and math.isfinite(tof) and math.isfinite(mu)
    ):
        return nan, nan, nan, nan, nan, nan, LAMBERT_BAD_INPUT
    chord = math.sqrt((r2x - r1x) ** 2 + (r2y - r1y) ** 2 + (r2z - r1z) ** 2)
    semiperimeter = 0.5 * (r1 + r2 + chord)
    u1x, u1y, u1z = r1x / r1, r1y / r1, r1z / r1
    u2x, u2y, u2z = r2x / r2, r2y / r2, r2z / r2
    hx = u1y * u2z - u1z * u2y
    hy = u1z * u2x - u1x * u2z
    hz = u1x * u2y - u1y * u2x
    h = math.sqrt(hx * hx + hy * hy + hz * hz)
    if h < _PARALLEL_SIN:
        return nan, nan, nan, nan, nan, nan, LAMBERT_COLLINEAR
    hx, hy, hz = hx / h, hy / h, hz / h
    lam = math.sqrt(max(0.0, 1.0 - chord / semiperimeter))
    # Tangential unit vectors along the motion (Izzo 2015 Algorithm 1).
    sign = 1.0
    if hz < 0.0:
        lam = -lam
        sign = -1.0
    if not prograde:
        lam = -lam
        sign = -sign
    t1x = sign * (hy * u1z - hz * u1y)
    t1y = sign * (hz * u1x - hx * u1z)
    t1z = sign * (hx * u1y - hy * u1x)
    t2x = sign * (hy * u2z - hz * u2y)
    t2y = sign * (hz * u2x - hx * u2z)
    t2z = sign * (hx * u2y - hy * u2x)

    target_tof = math.sqrt(2.0 * mu / semiperimeter**3) * tof
    if revs > 0:
        x_min, tof_min, ok = _minimum_tof(lam, revs)
        if not ok:
            return nan, nan, nan, nan, nan, nan, LAMBERT_NOT_CONVERGED
        if target_tof < tof_min:
            return nan, nan, nan, nan, nan, nan, LAMBERT_NO_SOLUTION
    if revs == 0:
        low, high, increasing = -1.0, math.inf, False
    elif right_branch:
        low, high, increasing = x_min, 1.0, True
    else:
        low, high, increasing = -1.0, x_min, False
    x, ok = _householder(_initial_x(target_tof, lam, revs, right_branch), target_tof, lam, revs,
                         low, high, increasing)
    if not ok or (revs > 0 and (x > x_min) != right_branch):
        return nan, nan, nan, nan, nan, nan, LAMBERT_NOT_CONVERGED

    # Velocity components (Izzo 2015 Algorithm 1, last step).
    y = math.sqrt(1.0 - lam * lam * (1.0 - x * x))
    gamma = math.sqrt(0.5 * mu * semiperimeter)
    rho = (r1 - r2) / chord
    sigma = math.sqrt(max(0.0, 1.0 - rho * rho))
    vr1 = gamma * ((lam * y - x) - rho * (lam * y + x)) / r1
    vr2 = -gamma * ((lam * y - x) + rho * (lam * y + x)) / r2
    vt = gamma * sigma * (y + lam * x)
    vt1 = vt / r1
    vt2 = vt / r2
    return (
        vr1 * u1x + vt1 * t1x,
        vr1 * u1y + vt1 * t1y,
        vr1 * u1z + vt1 * t1z,
        vr2 * u2x + vt2 * t2x,
        vr2 * u2y + vt2 * t2y,
        vr2 * u2z + vt2 * t2z,
        LAMBERT_OK,
    )


@numba.njit(cache=True, parallel=True)
def lambert_izzo_batch(
    mu: float, r1_m: np.ndarray, r2_m: np.ndarray, tof_s: np.ndarray, revs: np.ndarray,
    prograde: np.ndarray, right_branch: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """N Lambert problems in parallel: r1_m, r2_m (N, 3); tof_s, revs, prograde, right_branch (N,).

    Returns (v1_mps (N, 3), v2_mps (N, 3), status (N,) int8); see :func:`lambert_izzo`.
    """
    n = tof_s.shape[0]
    v1 = np.empty((n, 3))
    v2 = np.empty((n, 3))
    status = np.empty(n, dtype=np.int8)
    for i in numba.prange(n):
        a, b, c, d, e, f, code = lambert_izzo(
            mu,
            r1_m[i, 0], r1_m[i, 1], r1_m[i, 2],
            r2_m[i, 0], r2_m[i, 1], r2_m[i, 2],
            tof_s[i], revs[i], prograde[i], right_branch[i],
        )  # fmt: skip
        v1[i, 0], v1[i, 1], v1[i, 2] = a, b, c
        v2[i, 0], v2[i, 1], v2[i, 2] = d, e, f
        status[i] = code
    return v1, v2, status


def _failure(index: int | None, code: int, tof_s: float, revs: int) -> ValueError:
    where = "" if index is None else f"problem {index}: "
    return ValueError(
        f"Lambert {where}{LAMBERT_STATUS_MESSAGES[int(code)]} "
        f"(tof_s={tof_s!r}, revs={revs!r}, status={int(code)})"
    )


def solve_lambert(
    r1_m: ArrayLike,
    r2_m: ArrayLike,
    tof_s: ArrayLike,
    mu_m3ps2: float = GM_EARTH_M3PS2,
    revs: int = 0,
    prograde: bool = True,
    low_path: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Velocities (v1_mps, v2_mps) of the two-body arc from r1_m to r2_m in tof_s seconds.

    Izzo (2015). Inertial axes, SI. r1_m, r2_m: (3,) or (N, 3); tof_s, revs, prograde,
    low_path: scalars or (N,), broadcast together. Prograde means angular momentum along +z
    (for an orbit plane containing the z axis the choice is arbitrary). For revs >= 1 there are
    two arcs: low_path=True takes Izzo's right branch (the "low path" of poliastro and
    lamberthub), False the left one. Velocities are good to ~1e-13 relative: re-propagated,
    a three-orbit LEO arc lands within a micrometre of r2.
    Raises ValueError naming the first problem with no solution; call
    :func:`lambert_izzo_batch` directly for status codes instead.

    Vallado 4th ed. Example 7-5 (76 min):

    >>> v1, v2 = solve_lambert([15945.34e3, 0, 0], [12214.83899e3, 10249.46731e3, 0], 4560.0)
    >>> np.round(v1 / 1e3, 5)
    array([2.05891, 2.91596, 0.     ])
    """
    r1 = np.asarray(r1_m, dtype=float)
    r2 = np.asarray(r2_m, dtype=float)
    for name, array in (("r1_m", r1), ("r2_m", r2)):
        if array.ndim not in (1, 2) or array.shape[-1] != 3:
            raise ValueError(f"{name} must have shape (3,) or (N, 3), got shape {array.shape}")
    mu = float(mu_m3ps2)
    if not (mu > 0.0 and math.isfinite(mu)):
        raise ValueError(f"mu_m3ps2 must be positive and finite, got {mu_m3ps2!r}")
    scalars = all(isinstance(value, _SCALAR_TYPES) for value in (tof_s, revs, prograde, low_path))
    if r1.ndim == 1 and r2.ndim == 1 and scalars:
        if int(revs) != revs:
            raise ValueError(f"revs must be integers, got {revs!r}")
        *velocities, code = lambert_izzo(
            mu, *r1.tolist(), *r2.tolist(), float(tof_s), int(revs), bool(prograde),
            bool(low_path),
        )  # fmt: skip
        if code != LAMBERT_OK:
            raise _failure(None, code, tof_s, revs)
        return np.array(velocities[:3]), np.array(velocities[3:])
    try:
        r1b, r2b = np.broadcast_arrays(np.atleast_2d(r1), np.atleast_2d(r2))
        n = np.broadcast_shapes(
            r1b.shape[:1], np.shape(tof_s), np.shape(revs), np.shape(prograde), np.shape(low_path)
        )[0]
    except ValueError as error:
        raise ValueError(
            f"shapes do not broadcast: r1_m {r1.shape}, r2_m {r2.shape}, tof_s "
            f"{np.shape(tof_s)}, revs {np.shape(revs)}, prograde {np.shape(prograde)}, "
            f"low_path {np.shape(low_path)}"
        ) from error
    revs_n = np.broadcast_to(np.asarray(revs), (n,))
    if not np.issubdtype(revs_n.dtype, np.integer):
        raise ValueError(f"revs must be integers, got {revs!r}")
    # fresh writable copies, whatever the caller's arrays: one kernel signature
    tof_n = np.array(np.broadcast_to(np.asarray(tof_s, dtype=float), (n,)))
    v1, v2, status = lambert_izzo_batch(
        mu,
        np.array(np.broadcast_to(r1b, (n, 3)), dtype=float, order="C"),
        np.array(np.broadcast_to(r2b, (n, 3)), dtype=float, order="C"),
        tof_n,
        revs_n.astype(np.int64),
        np.broadcast_to(np.asarray(prograde, dtype=bool), (n,)).copy(),
        np.broadcast_to(np.asarray(low_path, dtype=bool), (n,)).copy(),
    )
    failed = np.flatnonzero(status)
    if failed.size:
        first = int(failed[0])
        raise _failure(first, status[first], float(tof_n[first]), int(revs_n[first]))
    return v1, v2


drop_stale(globals())  # before any kernel here loads from the disk cache (kernel_cache)
