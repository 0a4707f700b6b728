"""Two-body (Kepler) propagation by universal variables, and J2 secular drift of the elements.

SI throughout (m, m/s, s, rad), any inertial frame. The kernel is a Numba loop over N states
(Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., Algorithm 8, KEPLER; Curtis,
*Orbital Mechanics for Engineering Students*, Algorithm 3.4); it handles ellipses, parabolas and
hyperbolas, forward and backward in time, and agrees with a 1e-13 numerical integration to
better than a millimetre over a day in LEO.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import ArrayLike

from stationsim.astro.constants import GM_EARTH_M3PS2, J2, R_EARTH_M
from stationsim.astro.elements import (
    TWO_PI,
    finite_array,
    mean_motion_radps,
    positive_array,
    state_to_elements,
    vector_array,
)
from stationsim.astro.kernel_cache import drop_stale
from stationsim.errors import PropagationError

KEPLER_CONVERGED = 0  # status codes written by kepler_universal_kernel
KEPLER_NOT_CONVERGED = 1
KEPLER_ZERO_RADIUS = 2
KEPLER_MAX_ITERATIONS = 100
J2_NOT_ELLIPTIC = 3  # written by j2_secular_kernel


@njit(cache=True)
def stumpff_c2_c3(psi: float) -> tuple[float, float]:
    """Stumpff functions c2(psi), c3(psi) (Vallado 4th ed. Alg. 1), full precision.

    Near psi = 0 by their Taylor series (16 terms, error < 1e-17 for |psi| < 0.5); elsewhere
    c2 by the half-angle form, which does not cancel.
    """
    if abs(psi) < 0.5:
        c2 = 0.0
        c3 = 0.0
        term2 = 0.5
        term3 = 1.0 / 6.0
        for k in range(16):
            c2 += term2
            c3 += term3
            term2 *= -psi / ((2 * k + 3) * (2 * k + 4))
            term3 *= -psi / ((2 * k + 4) * (2 * k + 5))
        return c2, c3
    if psi > 0.0:
        root = math.sqrt(psi)
        half_sin = math.sin(0.5 * root)
        return 2.0 * half_sin * half_sin / psi, (root - math.sin(root)) / (psi * root)
    root = math.sqrt(-psi)
    half_sinh = math.sinh(0.5 * root)
    return 2.0 * half_sinh * half_sinh / -psi, (math.sinh(root) - root) / (-psi * root)


@njit(cache=True)
def kepler_step(
    rx: float, ry: float, rz: float, vx: float, vy: float, vz: float, dt: float, mu_m3ps2: float,
) -> tuple[int, float, float, float, float, float, float]:
    """One two-body state (m, m/s) after dt seconds (Vallado 4th ed. Alg. 8).

    Returns (status, x, y, z, vx, vy, vz); status as in :func:`kepler_universal_kernel`.
    """
    sqrt_mu = math.sqrt(mu_m3ps2)
    r0 = math.sqrt(rx * rx + ry * ry + rz * rz)
    if r0 == 0.0:
        return KEPLER_ZERO_RADIUS, rx, ry, rz, vx, vy, vz
    v2 = vx * vx + vy * vy + vz * vz
    rdotv = rx * vx + ry * vy + rz * vz
    alpha = 2.0 / r0 - v2 / mu_m3ps2  # 1 / a
    elliptic = alpha * r0 > 1e-9
    if elliptic:
        # Ellipse: remove whole periods so psi stays small, keeping the sign of dt (a short step
        # back stays -|dt|, not P - |dt|, whose rounding costs metres at e ~ 0.99999); then
        # chi0 = sqrt(mu) dt / a.
        period = 2.0 * math.pi / (sqrt_mu * alpha**1.5)
        chi_span = 2.0 * math.pi / math.sqrt(alpha)
        # chi = sqrt(a) (E - E0) then lies in [0, 2 pi sqrt(a)) (or the mirror for dt < 0):
        # Newton is kept inside that bracket (bisecting when it jumps out), which makes it
        # converge from any start even at high eccentricity.
        if dt >= 0.0:
            dt -= period * math.floor(dt / period)
            chi_low, chi_high = 0.0, chi_span
        else:
            dt -= period * math.ceil(dt / period)
            chi_low, chi_high = -chi_span, 0.0
        chi = sqrt_mu * dt * alpha
    elif alpha * r0 < -1e-9:
        a = 1.0 / alpha
        sign_dt = 1.0 if dt >= 0.0 else -1.0
        chi = sign_dt * math.sqrt(-a) * math.log(
            -2.0 * mu_m3ps2 * alpha * dt
            / (rdotv + sign_dt * math.sqrt(-mu_m3ps2 * a) * (1.0 - r0 * alpha))
        )
        if not math.isfinite(chi) or chi * dt <= 0.0:
            chi = sqrt_mu * dt / r0  # short dt: the asymptotic start has the wrong sign
    elif dt == 0.0:
        chi = 0.0
    else:
        # Parabola: Barker's equation solution for the start (Vallado 4th ed. Alg. 8).
        hx = ry * vz - rz * vy
        hy = rz * vx - rx * vz
        hz = rx * vy - ry * vx
        p = (hx * hx + hy * hy + hz * hz) / mu_m3ps2
        s = 0.5 * math.atan(1.0 / (3.0 * math.sqrt(mu_m3ps2 / p**3) * dt))
        w = math.atan(math.copysign(abs(math.tan(s)) ** (1.0 / 3.0), math.tan(s)))
        chi = math.sqrt(p) * 2.0 / math.tan(2.0 * w)
    if not elliptic:
        # chi has the sign of dt (dt / dchi = r / sqrt(mu) > 0): a bracket open on one side.
        chi_low = 0.0 if dt >= 0.0 else -math.inf
        chi_high = math.inf if dt >= 0.0 else 0.0
    status = KEPLER_NOT_CONVERGED
    r = r0
    c2 = 0.5
    c3 = 1.0 / 6.0
    psi = 0.0
    previous = math.inf
    for _ in range(KEPLER_MAX_ITERATIONS):
        psi = chi * chi * alpha
        c2, c3 = stumpff_c2_c3(psi)
        chi2 = chi * chi
        r = chi2 * c2 + rdotv / sqrt_mu * chi * (1.0 - psi * c3) + r0 * (1.0 - psi * c2)
        residual = (sqrt_mu * dt - chi2 * chi * c3 - rdotv / sqrt_mu * chi2 * c2
                    - r0 * chi * (1.0 - psi * c3))
        if residual > 0.0:
            chi_low = max(chi_low, chi)
        else:
            chi_high = min(chi_high, chi)
        step = residual / r
        bracketed = math.isfinite(chi_low) and math.isfinite(chi_high)
        crawls = bracketed and not elliptic and abs(step) > 0.5 * previous
        if not chi_low < chi + step < chi_high or crawls:
            # Newton left the bracket, or crawls (a near-rectilinear hyperbola, where the time
            # grows exponentially in chi): bisect it, or halve the way to its one finite end
            # (safeguarded Newton, Press et al., *Numerical Recipes*, 3rd ed., sec. 9.4).
            if bracketed:
                step = 0.5 * (chi_low + chi_high) - chi
            else:
                step = 0.5 * ((chi_low if chi + step <= chi_low else chi_high) - chi)
        previous = abs(step)
        chi += step
        if abs(step) <= 1e-13 * max(abs(chi), math.sqrt(r0)):
            status = KEPLER_CONVERGED
            psi = chi * chi * alpha
            c2, c3 = stumpff_c2_c3(psi)
            r = (chi * chi * c2 + rdotv / sqrt_mu * chi * (1.0 - psi * c3)
                 + r0 * (1.0 - psi * c2))
            break
    chi2 = chi * chi
    f = 1.0 - chi2 * c2 / r0
    g = dt - chi2 * chi * c3 / sqrt_mu
    g_dot = 1.0 - chi2 * c2 / r
    f_dot = sqrt_mu * chi * (psi * c3 - 1.0) / (r * r0)
    return (status, f * rx + g * vx, f * ry + g * vy, f * rz + g * vz,
            f_dot * rx + g_dot * vx, f_dot * ry + g_dot * vy, f_dot * rz + g_dot * vz)


@njit(cache=True)
def kepler_universal_kernel(
    r0_m: np.ndarray, v0_mps: np.ndarray, dt_s: np.ndarray, mu_m3ps2: float, r_out_m: np.ndarray,
    v_out_mps: np.ndarray, status: np.ndarray,
) -> int:
    """Propagate N two-body states by dt_s[k] (Vallado 4th ed. Alg. 8), in place.

    r0_m, v0_mps, r_out_m, v_out_mps: (N, 3); dt_s, status: (N,). status[k] is 0
    (KEPLER_CONVERGED), 1 (KEPLER_NOT_CONVERGED: Newton on the universal anomaly chi did not
    settle in KEPLER_MAX_ITERATIONS iterations) or 2 (KEPLER_ZERO_RADIUS); returns how many
    are not 0.
    |alpha r0| < 1e-9 counts as parabolic for the first guess.
    """
    failures = 0
    for k in range(r0_m.shape[0]):
        code, x, y, z, vx, vy, vz = kepler_step(
            r0_m[k, 0], r0_m[k, 1], r0_m[k, 2], v0_mps[k, 0], v0_mps[k, 1], v0_mps[k, 2],
            dt_s[k], mu_m3ps2)
        status[k] = code
        if code != 0:
            failures += 1
        if code == KEPLER_ZERO_RADIUS:
            continue
        r_out_m[k, 0], r_out_m[k, 1], r_out_m[k, 2] = x, y, z
        v_out_mps[k, 0], v_out_mps[k, 1], v_out_mps[k, 2] = vx, vy, vz
    return failures


@njit(cache=True)
def _rotate(x, y, z, ax, ay, az, angle_rad):
    """(x, y, z) turned by ``angle_rad`` about the unit axis (ax, ay, az) (Rodrigues)."""
    cos = math.cos(angle_rad)
    sin = math.sin(angle_rad)
    dot = (ax * x + ay * y + az * z) * (1.0 - cos)
    return (x * cos + (ay * z - az * y) * sin + ax * dot,
            y * cos + (az * x - ax * z) * sin + ay * dot,
            z * cos + (ax * y - ay * x) * sin + az * dot)


@njit(cache=True)
def j2_secular_step(
    rx: float, ry: float, rz: float, vx: float, vy: float, vz: float, dt: float,
    mu_m3ps2: float, j2: float, r_eq_m: float,
) -> tuple[int, float, float, float, float, float, float]:
    """One state (m, m/s) after dt seconds of Kepler motion plus first-order J2 secular drift.

    The state is taken as mean elements with the rates of :func:`j2_secular_rates` (Vallado
    4th ed. eq. 9-41), written as motions: a Kepler step of dt * M_dot / n, then a turn by
    argp_dot * dt about the orbit normal (perigee and satellite advance together) and by
    raan_dot * dt about the pole (the node moves; i and the perigee's angle from the node stay).
    Returns (status, x, y, z, vx, vy, vz): status as in :func:`kepler_universal_kernel`, or 3
    (J2_NOT_ELLIPTIC, the state returned unmoved) for a state that is not an ellipse.
    """
    radius = math.sqrt(rx * rx + ry * ry + rz * rz)
    hx, hy, hz = ry * vz - rz * vy, rz * vx - rx * vz, rx * vy - ry * vx
    h = math.sqrt(hx * hx + hy * hy + hz * hz)
    if radius == 0.0 or h == 0.0:
        return J2_NOT_ELLIPTIC, rx, ry, rz, vx, vy, vz
    alpha = 2.0 / radius - (vx * vx + vy * vy + vz * vz) / mu_m3ps2  # 1 / a
    one_minus_e2 = h * h * alpha / mu_m3ps2
    if not (alpha > 0.0 and one_minus_e2 > 0.0):
        return J2_NOT_ELLIPTIC, rx, ry, rz, vx, vy, vz
    a = 1.0 / alpha
    cos_i = hz / h
    sin2_i = 1.0 - cos_i * cos_i
    n = math.sqrt(mu_m3ps2 / (a * a * a))
    rate = n * j2 * (r_eq_m / (a * one_minus_e2)) ** 2
    raan_dot = -1.5 * rate * cos_i
    argp_dot = 0.75 * rate * (4.0 - 5.0 * sin2_i)
    mean_anomaly_dot = n + 0.75 * rate * math.sqrt(one_minus_e2) * (2.0 - 3.0 * sin2_i)
    code, x, y, z, ux, uy, uz = kepler_step(rx, ry, rz, vx, vy, vz,
                                            dt * mean_anomaly_dot / n, mu_m3ps2)
    turn = argp_dot * dt
    x, y, z = _rotate(x, y, z, hx / h, hy / h, hz / h, turn)
    ux, uy, uz = _rotate(ux, uy, uz, hx / h, hy / h, hz / h, turn)
    turn = raan_dot * dt
    x, y, z = _rotate(x, y, z, 0.0, 0.0, 1.0, turn)
    ux, uy, uz = _rotate(ux, uy, uz, 0.0, 0.0, 1.0, turn)
    return code, x, y, z, ux, uy, uz


@njit(cache=True)
def j2_secular_kernel(
    r0_m: np.ndarray, v0_mps: np.ndarray, dt_s: np.ndarray, mu_m3ps2: float, j2: float,
    r_eq_m: float, r_out_m: np.ndarray, v_out_mps: np.ndarray, status: np.ndarray,
) -> int:
    """:func:`j2_secular_step` for N states, in place.

    Shapes as in :func:`kepler_universal_kernel`; status 3 (J2_NOT_ELLIPTIC) marks a state that
    is not an ellipse (its outputs are not written). Returns how many statuses are not 0.
    """
    failures = 0
    for k in range(r0_m.shape[0]):
        code, x, y, z, ux, uy, uz = j2_secular_step(
            r0_m[k, 0], r0_m[k, 1], r0_m[k, 2], v0_mps[k, 0], v0_mps[k, 1], v0_mps[k, 2],
            dt_s[k], mu_m3ps2, j2, r_eq_m)
        status[k] = code
        if code != 0:
            failures += 1
        if code == J2_NOT_ELLIPTIC:
            continue
        r_out_m[k, 0], r_out_m[k, 1], r_out_m[k, 2] = x, y, z
        v_out_mps[k, 0], v_out_mps[k, 1], v_out_mps[k, 2] = ux, uy, uz
    return failures


def _rows_of(r0_m, v0_mps, dt_s):
    """Validated (N, 3), (N, 3), (N,) rows of broadcast states and times, and the batch shape.

    The rows are C-contiguous and writable, so each kernel compiles for one signature only.
    """
    one = _one_state(r0_m, v0_mps, dt_s)
    if one is not None:
        return np.array([one[:3]]), np.array([one[3:6]]), np.array([one[6]]), ()
    r0 = vector_array("r0_m", r0_m)
    v0 = vector_array("v0_mps", v0_mps)
    dt = finite_array("dt_s", dt_s)
    if r0.shape == v0.shape and r0.shape[:-1] == dt.shape:
        return kernel_rows(r0, 3), kernel_rows(v0, 3), kernel_rows(dt, 0), dt.shape
    try:
        batch = np.broadcast_shapes(r0.shape[:-1], v0.shape[:-1], dt.shape)
    except ValueError:
        raise ValueError(
            f"r0_m {r0.shape}, v0_mps {v0.shape} and dt_s {dt.shape} do not broadcast"
        ) from None
    return (kernel_rows(np.broadcast_to(r0, (*batch, 3)), 3),
            kernel_rows(np.broadcast_to(v0, (*batch, 3)), 3),
            kernel_rows(np.broadcast_to(dt, batch), 0), batch)


def _one_state(r0_m, v0_mps, dt_s) -> list[float] | None:
    """One state at one time, the planners' question, as seven finite Python floats (r0, v0,
    dt), or None for anything else (left to the array path and its checks)."""
    if not isinstance(dt_s, float):
        return None
    r0, v0 = np.asarray(r0_m, dtype=float), np.asarray(v0_mps, dtype=float)
    if r0.shape != (3,) or v0.shape != (3,):
        return None
    values = [*r0.tolist(), *v0.tolist(), float(dt_s)]
    return values if all(map(math.isfinite, values)) else None


def kernel_rows(values: np.ndarray, width: int) -> np.ndarray:
    """``values`` as (N, width) rows (or (N,) for width 0), C-contiguous and writable (copied
    only when needed)."""
    rows = values.reshape(-1, width) if width else values.reshape(-1)
    if rows.flags.c_contiguous and rows.flags.writeable and rows.dtype == np.float64:
        return rows
    return np.array(rows, dtype=float, order="C")


def _raise_kepler_failure(status, r0_rows, v0_rows, dt_rows) -> None:
    k = int(np.flatnonzero(status)[0])
    if status[k] == KEPLER_ZERO_RADIUS:
        raise ValueError(f"r0_m must be non-zero, got {r0_rows[k].tolist()}")
    raise PropagationError(
        f"Kepler propagation did not converge for {np.count_nonzero(status)} state(s), "
        f"first: r0_m={r0_rows[k].tolist()}, v0_mps={v0_rows[k].tolist()}, "
        f"dt_s={dt_rows[k]}"
    )


def propagate_kepler(
    r0_m: ArrayLike,
    v0_mps: ArrayLike,
    dt_s: ArrayLike,
    mu_m3ps2: float = GM_EARTH_M3PS2,
) -> tuple[np.ndarray, np.ndarray]:
    """Two-body state after dt_s seconds (negative: backward), by universal variables.

    ``r0_m``, ``v0_mps``: (..., 3); ``dt_s``: scalar or (...); batch shapes broadcast, so one
    state at M times, N states at one time, or N states at N times all work. Returns
    (r_m, v_mps) of the broadcast shape (..., 3). Raises PropagationError naming the state if
    Newton does not converge (only for degenerate, e.g. rectilinear, states).
    """
    if not (mu_m3ps2 > 0.0 and math.isfinite(mu_m3ps2)):
        raise ValueError(f"mu_m3ps2 must be > 0 and finite, got {mu_m3ps2!r}")
    r0_rows, v0_rows, dt_rows, batch = _rows_of(r0_m, v0_mps, dt_s)
    r_out = np.empty(r0_rows.shape)
    v_out = np.empty(r0_rows.shape)
    status = np.empty(dt_rows.shape, dtype=np.int64)
    if kepler_universal_kernel(r0_rows, v0_rows, dt_rows, float(mu_m3ps2), r_out, v_out, status):
        _raise_kepler_failure(status, r0_rows, v0_rows, dt_rows)
    return r_out.reshape(*batch, 3), v_out.reshape(*batch, 3)


def j2_secular_rates(
    a_m: ArrayLike, e: ArrayLike, i_rad: ArrayLike, mu_m3ps2: float = GM_EARTH_M3PS2,
    j2: float = J2, r_eq_m: float = R_EARTH_M,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First-order J2 secular rates (raan_dot, argp_dot, mean_anomaly_dot), rad/s.

    Vallado 4th ed. eq. 9-41 (Curtis eqs. 4.52-4.53): with n = sqrt(mu/a^3), p = a(1 - e^2),
    k = n J2 (R/p)^2, raan_dot = -1.5 k cos i, argp_dot = 0.75 k (4 - 5 sin^2 i), and the mean
    anomaly rate is n + 0.75 k sqrt(1 - e^2) (2 - 3 sin^2 i). Ellipses only (0 <= e < 1); the
    elements are mean elements (osculating ones differ by O(J2) short-period terms, ~10 km in LEO).
    """
    if isinstance(a_m, float) and isinstance(e, float) and isinstance(i_rad, float):
        return _j2_secular_rates_one(a_m, e, i_rad, mu_m3ps2, j2, r_eq_m)
    a = positive_array("a_m", a_m)
    ecc = finite_array("e", e)
    if np.any((ecc < 0.0) | (ecc >= 1.0)):
        raise ValueError(f"e must be in [0, 1) for J2 secular rates, got {e!r}")
    inclination = finite_array("i_rad", i_rad)
    return _rates(np, mean_motion_radps(a, mu_m3ps2), a, ecc, inclination, j2, r_eq_m)


def _rates(ops, n, a, e, i_rad, j2: float, r_eq_m: float):
    """(raan_dot, argp_dot, mean_anomaly_dot) from the mean motion, with ``ops`` (``numpy`` or
    ``math``) for the sine, cosine and square root."""
    one_minus_e2 = 1.0 - e * e
    k = n * j2 * (r_eq_m / (a * one_minus_e2)) ** 2
    sin2_i = ops.sin(i_rad) ** 2
    return (-1.5 * k * ops.cos(i_rad), 0.75 * k * (4.0 - 5.0 * sin2_i),
            n + 0.75 * k * ops.sqrt(one_minus_e2) * (2.0 - 3.0 * sin2_i))


def _j2_secular_rates_one(a_m: float, e: float, i_rad: float, mu_m3ps2: float, j2: float,
                          r_eq_m: float) -> tuple[np.float64, np.float64, np.float64]:
    """:func:`j2_secular_rates` of one orbit in Python floats, with the same checks and the same
    operations (so the same bits), without NumPy's overhead on 0-d arrays (~40 us a call)."""
    if not (math.isfinite(a_m) and a_m > 0.0):
        raise ValueError(f"a_m must be finite and > 0, got {a_m!r}")
    if not (math.isfinite(e) and 0.0 <= e < 1.0):
        raise ValueError(f"e must be in [0, 1) for J2 secular rates, got {e!r}")
    if not math.isfinite(i_rad):
        raise ValueError(f"i_rad must be finite, got {i_rad!r}")
    if not (math.isfinite(mu_m3ps2) and mu_m3ps2 > 0.0):
        raise ValueError(f"mu_m3ps2 must be finite and > 0, got {mu_m3ps2!r}")
    n = math.sqrt(mu_m3ps2 / abs(a_m) ** 3)
    raan_dot, argp_dot, mean_anomaly_dot = _rates(math, n, a_m, e, i_rad, j2, r_eq_m)
    return np.float64(raan_dot), np.float64(argp_dot), np.float64(mean_anomaly_dot)


def nodal_period_s(
    a_m: ArrayLike, e: ArrayLike, i_rad: ArrayLike, mu_m3ps2: float = GM_EARTH_M3PS2,
    j2: float = J2, r_eq_m: float = R_EARTH_M,
) -> np.ndarray:
    """Nodal (draconitic) period, node to node, s: 2 pi / (argp_dot + mean_anomaly_dot).

    First-order J2 (Vallado 4th ed. ch. 9; the argument of latitude advances at the sum of the
    two secular rates). Mean elements; ellipses only.
    """
    _, argp_dot, mean_anomaly_dot = j2_secular_rates(a_m, e, i_rad, mu_m3ps2, j2, r_eq_m)
    return TWO_PI / (argp_dot + mean_anomaly_dot)


def propagate_j2_secular(
    r_m: ArrayLike, v_mps: ArrayLike, dt_s: ArrayLike, mu_m3ps2: float = GM_EARTH_M3PS2,
    j2: float = J2, r_eq_m: float = R_EARTH_M,
) -> tuple[np.ndarray, np.ndarray]:
    """State after dt_s with Kepler motion plus J2 secular drift of node, perigee and anomaly.

    The given (osculating) state is taken as mean elements, advanced at the rates of
    :func:`j2_secular_rates` (as Vallado's PKEPLER, 4th ed. ch. 9, without drag) by
    :func:`j2_secular_kernel` (no element conversion, so circular and equatorial orbits are
    regular). Short-period J2 terms are ignored: expect ~10 km along-track scatter in LEO but no
    secular error in the node. Elliptic orbits only. Shapes broadcast as in propagate_kepler.
    """
    if not (mu_m3ps2 > 0.0 and math.isfinite(mu_m3ps2)):
        raise ValueError(f"mu_m3ps2 must be > 0 and finite, got {mu_m3ps2!r}")
    if not (math.isfinite(j2) and r_eq_m > 0.0 and math.isfinite(r_eq_m)):
        raise ValueError(f"j2 and r_eq_m must be finite (r_eq_m > 0), got {j2!r}, {r_eq_m!r}")
    one = _one_state(r_m, v_mps, dt_s)
    if one is not None:  # the step itself, without the kernel's arrays (a failure: see below)
        rx, ry, rz, vx0, vy0, vz0, dt = one
        code, x, y, z, vx, vy, vz = j2_secular_step(rx, ry, rz, vx0, vy0, vz0, dt,
                                                    float(mu_m3ps2), float(j2), float(r_eq_m))
        if code == 0:
            return np.array([x, y, z]), np.array([vx, vy, vz])
    r0_rows, v0_rows, dt_rows, batch = _rows_of(r_m, v_mps, dt_s)
    r_out = np.empty(r0_rows.shape)
    v_out = np.empty(r0_rows.shape)
    status = np.empty(dt_rows.shape, dtype=np.int64)
    if j2_secular_kernel(r0_rows, v0_rows, dt_rows, float(mu_m3ps2), float(j2), float(r_eq_m),
                         r_out, v_out, status):
        bad = status == J2_NOT_ELLIPTIC
        if bad.any():
            elements = state_to_elements(r0_rows[bad][:1], v0_rows[bad][:1], mu_m3ps2)
            raise ValueError(
                f"propagate_j2_secular needs elliptic orbits, got a_m={elements.a_m[0]!r}, "
                f"e={elements.e[0]!r}"
            )
        _raise_kepler_failure(status, r0_rows, v0_rows, dt_rows)
    return r_out.reshape(*batch, 3), v_out.reshape(*batch, 3)


drop_stale(globals())  # before any kernel here loads from the disk cache (kernel_cache)
