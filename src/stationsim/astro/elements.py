"""Classical orbital elements <-> Cartesian state, and the anomalies of Kepler's equation.

Vectorised: states are (..., 3) arrays (or single 3-vectors), elements and anomalies are arrays
or scalars that broadcast together. SI throughout (m, m/s, rad); the frame is whatever inertial
frame the state is given in (GCRF in stationsim), with the reference plane its x-y plane.

Singular orbits follow Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed.
(2013), Algorithm 9 (RV2COE) special cases, so that every state has one set of elements:

* circular inclined (e < ``ECCENTRICITY_CIRCULAR``): ``argp_rad = 0`` and ``nu_rad`` is the
  argument of latitude u (from the ascending node);
* elliptic equatorial (i or pi - i < ``INCLINATION_EQUATORIAL_RAD``): ``raan_rad = 0`` and
  ``argp_rad`` is the true longitude of periapsis (from +x);
* circular equatorial: ``raan_rad = argp_rad = 0`` and ``nu_rad`` is the true longitude.

With these conventions :func:`elements_to_state` inverts :func:`state_to_elements` for every
ellipse and hyperbola (parabolas, with infinite a_m, are not accepted back).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import GM_EARTH_M3PS2
from stationsim.astro.vectors import all_finite, all_positive, cross3

TWO_PI = 2.0 * np.pi
ECCENTRICITY_CIRCULAR = 1e-11  # below this, periapsis is undefined and argp_rad is set to 0
INCLINATION_EQUATORIAL_RAD = 1e-11  # below this (or within it of pi), the node is undefined
ECCENTRICITY_PARABOLIC = 1e-11  # |e - 1| below this: a_m is infinite
KEPLER_TOLERANCE_RAD = 1e-14  # Newton stops when the anomaly changes by less than this
KEPLER_MAX_ITERATIONS = 60


class Elements(NamedTuple):
    """Classical elements (Vallado 4th ed. Alg. 9), arrays of the state's batch shape.

    ``a_m`` is negative for hyperbolas and infinite for parabolas; ``p_m`` is always finite.
    ``u_rad = argp + nu`` (argument of latitude) and ``true_longitude_rad = raan + argp + nu``
    are given for every orbit under the module's conventions; i_rad is in [0, pi], the other
    angles in [0, 2 pi).
    """

    a_m: np.ndarray
    e: np.ndarray
    i_rad: np.ndarray
    raan_rad: np.ndarray
    argp_rad: np.ndarray
    nu_rad: np.ndarray
    p_m: np.ndarray
    u_rad: np.ndarray
    true_longitude_rad: np.ndarray


def finite_array(name: str, value: ArrayLike) -> np.ndarray:
    """``value`` as a float array, or ValueError naming ``name`` if any entry is NaN or inf."""
    if isinstance(value, float | int):  # fast path for plain scalars
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
        return np.asarray(float(value))
    array = np.asarray(value, dtype=float)
    if not all_finite(array):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return array


def positive_array(name: str, value: ArrayLike) -> np.ndarray:
    """``value`` as a finite float array, or ValueError naming ``name`` unless all are > 0."""
    array = finite_array(name, value)
    if not all_positive(array):
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return array


def vector_array(name: str, value: ArrayLike) -> np.ndarray:
    """``value`` as a finite (..., 3) float array, or ValueError naming ``name``."""
    array = finite_array(name, value)
    if array.shape[-1:] != (3,):
        raise ValueError(f"{name} must have shape (..., 3), got shape {array.shape}")
    return array


def _angle(axis: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Angle in [0, 2 pi) from ``first`` to ``second``, positive about ``axis`` (unit vector)."""
    sine_term = np.sum(axis * cross3(first, second), axis=-1)
    return np.mod(np.arctan2(sine_term, np.sum(first * second, axis=-1)), TWO_PI)


def state_to_elements(
    r_m: ArrayLike,
    v_mps: ArrayLike,
    mu_m3ps2: float = GM_EARTH_M3PS2,
) -> Elements:
    """Classical elements of inertial states (Vallado 4th ed. Algorithm 9, RV2COE).

    ``r_m``, ``v_mps``: (..., 3). Angles come from atan2 of dot and cross products rather than
    arccos, so they stay accurate near 0 and pi. Singular orbits: see the module docstring.
    """
    r = vector_array("r_m", r_m)
    v = vector_array("v_mps", v_mps)
    mu = float(positive_array("mu_m3ps2", mu_m3ps2))
    if r.shape != v.shape:
        raise ValueError(f"r_m and v_mps must have the same shape, got {r.shape} and {v.shape}")
    r_norm = np.linalg.norm(r, axis=-1)
    if not np.all(r_norm > 0.0):
        raise ValueError(f"r_m must be non-zero, got {r_m!r}")
    h = cross3(r, v)
    h_norm = np.linalg.norm(h, axis=-1)
    if not np.all(h_norm > 0.0):
        raise ValueError("r_m and v_mps must not be parallel (rectilinear orbits have no elements)")
    h_hat = h / h_norm[..., None]
    node = np.stack([-h[..., 1], h[..., 0], np.zeros_like(h[..., 0])], axis=-1)
    rv = np.sum(r * v, axis=-1)
    v2 = np.sum(v * v, axis=-1)
    e_vec = ((v2 - mu / r_norm)[..., None] * r - rv[..., None] * v) / mu
    e = np.linalg.norm(e_vec, axis=-1)
    p_m = h_norm**2 / mu
    energy = 0.5 * v2 - mu / r_norm
    with np.errstate(divide="ignore"):
        a_m = np.where(np.abs(e - 1.0) < ECCENTRICITY_PARABOLIC, np.inf, -mu / (2.0 * energy))
    i_rad = np.arctan2(np.hypot(h[..., 0], h[..., 1]), h[..., 2])

    circular = e < ECCENTRICITY_CIRCULAR
    equatorial = (i_rad < INCLINATION_EQUATORIAL_RAD) | (
        np.pi - i_rad < INCLINATION_EQUATORIAL_RAD
    )
    retrograde = i_rad > 0.5 * np.pi
    x_axis = np.broadcast_to(np.array([1.0, 0.0, 0.0]), r.shape)
    z_axis = np.broadcast_to(np.array([0.0, 0.0, 1.0]), r.shape)
    # The node line, or +x when there is none (the equatorial conventions measure from +x).
    node_or_x = np.where(equatorial[..., None], x_axis, node)
    # Equatorial angles from +x: about +z for prograde, about -z for retrograde (Vallado 2.6).
    plane_axis = np.where(equatorial[..., None], np.where(retrograde[..., None], -z_axis, z_axis),
                          h_hat)
    raan_rad = np.where(equatorial, 0.0, np.mod(np.arctan2(node[..., 1], node[..., 0]), TWO_PI))
    argp_rad = np.where(circular, 0.0, _angle(plane_axis, node_or_x, e_vec))
    u_rad = _angle(plane_axis, node_or_x, r)
    nu_rad = np.where(circular, u_rad, _angle(h_hat, e_vec, r))
    return Elements(
        a_m=a_m,
        e=e,
        i_rad=i_rad,
        raan_rad=raan_rad,
        argp_rad=argp_rad,
        nu_rad=nu_rad,
        p_m=p_m,
        u_rad=u_rad,
        true_longitude_rad=np.mod(raan_rad + u_rad, TWO_PI),
    )


def elements_to_state(
    a_m: ArrayLike, e: ArrayLike, i_rad: ArrayLike, raan_rad: ArrayLike, argp_rad: ArrayLike,
    nu_rad: ArrayLike, mu_m3ps2: float = GM_EARTH_M3PS2,
) -> tuple[np.ndarray, np.ndarray]:
    """Inertial (r_m, v_mps), shape (..., 3), from classical elements (Vallado 4th ed. Alg. 10).

    Ellipses (0 <= e < 1, a_m > 0) and hyperbolas (e > 1, a_m < 0, nu inside the asymptotes);
    parabolas need p and are not accepted here. Arguments broadcast together. For singular
    orbits pass the conventional angles of the module docstring (e.g. argp_rad = 0 and
    nu_rad = u for a circular orbit).
    """
    a = finite_array("a_m", a_m)
    ecc = finite_array("e", e)
    inclination = finite_array("i_rad", i_rad)
    raan = finite_array("raan_rad", raan_rad)
    argp = finite_array("argp_rad", argp_rad)
    nu = finite_array("nu_rad", nu_rad)
    mu = float(positive_array("mu_m3ps2", mu_m3ps2))
    try:
        np.broadcast_shapes(a.shape, ecc.shape, inclination.shape, raan.shape, argp.shape,
                            nu.shape)
    except ValueError:
        raise ValueError(
            f"elements do not broadcast: a_m {a.shape}, e {ecc.shape}, i_rad "
            f"{inclination.shape}, raan_rad {raan.shape}, argp_rad {argp.shape}, nu_rad {nu.shape}"
        ) from None
    if np.any(ecc < 0.0) or np.any(np.abs(ecc - 1.0) < ECCENTRICITY_PARABOLIC):
        raise ValueError(f"e must be >= 0 and not 1 (parabolas need p), got {e!r}")
    if np.any(np.where(ecc < 1.0, a <= 0.0, a >= 0.0)):
        raise ValueError(f"a_m must be > 0 for e < 1 and < 0 for e > 1, got a_m={a_m!r}, e={e!r}")
    one_plus_e_cos = 1.0 + ecc * np.cos(nu)
    if np.any(one_plus_e_cos <= 0.0):
        raise ValueError(f"nu_rad lies beyond the hyperbola's asymptotes, got {nu_rad!r}")
    p = a * (1.0 - ecc * ecc)
    radius = p / one_plus_e_cos
    speed_scale = np.sqrt(mu / p)
    # Perifocal (PQW) position and velocity, then rotate by R3(-raan) R1(-i) R3(-argp).
    r_pqw = np.stack([radius * np.cos(nu), radius * np.sin(nu)], axis=-1)
    v_pqw = np.stack([-speed_scale * np.sin(nu), speed_scale * (ecc + np.cos(nu))], axis=-1)
    cos_o, sin_o = np.cos(raan), np.sin(raan)
    cos_w, sin_w = np.cos(argp), np.sin(argp)
    cos_i, sin_i = np.cos(inclination), np.sin(inclination)
    p_hat = np.stack(
        np.broadcast_arrays(
            cos_o * cos_w - sin_o * sin_w * cos_i,
            sin_o * cos_w + cos_o * sin_w * cos_i,
            sin_w * sin_i,
        ),
        axis=-1,
    )
    q_hat = np.stack(
        np.broadcast_arrays(
            -cos_o * sin_w - sin_o * cos_w * cos_i,
            -sin_o * sin_w + cos_o * cos_w * cos_i,
            cos_w * sin_i,
        ),
        axis=-1,
    )
    r_out = r_pqw[..., :1] * p_hat + r_pqw[..., 1:] * q_hat
    v_out = v_pqw[..., :1] * p_hat + v_pqw[..., 1:] * q_hat
    return r_out, v_out


def _eccentricity_not_parabolic(e) -> np.ndarray:
    ecc = finite_array("e", e)
    if np.any(ecc < 0.0) or np.any(np.abs(ecc - 1.0) < ECCENTRICITY_PARABOLIC):
        raise ValueError(f"e must be >= 0 and not 1, got {e!r}")
    return ecc


def _elliptic_eccentricity(e) -> np.ndarray:
    ecc = finite_array("e", e)
    if np.any((ecc < 0.0) | (ecc >= 1.0)):
        raise ValueError(f"e must be in [0, 1) for an ellipse, got {e!r}")
    return ecc


def _wrap_pi(angle_rad: np.ndarray) -> np.ndarray:
    """Angle reduced to [-pi, pi)."""
    return np.mod(angle_rad + np.pi, TWO_PI) - np.pi


def mean_to_eccentric(m_rad: ArrayLike, e: ArrayLike) -> np.ndarray:
    """Eccentric anomaly E (rad) solving M = E - e sin E, by Newton (Vallado 4th ed. Alg. 2).

    Elliptic only (0 <= e < 1); M and e broadcast; E keeps the revolution count of M.
    Converges to 1e-14 rad for every e < 1 from Vallado's start E0 = M +/- e.
    """
    mean = finite_array("m_rad", m_rad)
    ecc = _elliptic_eccentricity(e)
    reduced = _wrap_pi(mean)
    anomaly = reduced + ecc * np.sign(reduced)
    for _ in range(KEPLER_MAX_ITERATIONS):
        step = (anomaly - ecc * np.sin(anomaly) - reduced) / (1.0 - ecc * np.cos(anomaly))
        anomaly = anomaly - step
        if np.all(np.abs(step) < KEPLER_TOLERANCE_RAD):
            break
    return anomaly + (mean - reduced)


def mean_to_hyperbolic(m_rad: ArrayLike, e: ArrayLike) -> np.ndarray:
    """Hyperbolic anomaly H solving M = e sinh H - H, by Newton (Vallado 4th ed. Alg. 4), e > 1.

    Newton starts from the smallest of M/(e-1), (6M/e)^(1/3) and asinh(2M/e) that lies beyond
    the root, so that it converges monotonically (f is convex for H > 0; H is odd in M).
    """
    mean = finite_array("m_rad", m_rad)
    ecc = finite_array("e", e)
    if np.any(ecc <= 1.0):
        raise ValueError(f"e must be > 1 for a hyperbola, got {e!r}")
    mean, ecc = np.broadcast_arrays(mean, ecc)
    size = np.abs(mean)
    candidates = np.stack([size / (ecc - 1.0), np.cbrt(6.0 * size / ecc),
                           np.arcsinh(2.0 * size / ecc)])
    with np.errstate(over="ignore"):  # a far-off candidate overflows to inf: still beyond
        beyond_root = ecc * np.sinh(candidates) - candidates - size >= 0.0
    anomaly = np.min(np.where(beyond_root, candidates, np.inf), axis=0)
    for _ in range(KEPLER_MAX_ITERATIONS):
        step = (ecc * np.sinh(anomaly) - anomaly - size) / (ecc * np.cosh(anomaly) - 1.0)
        anomaly = anomaly - step
        if np.all(np.abs(step) <= KEPLER_TOLERANCE_RAD * np.maximum(1.0, anomaly)):
            break
    return np.sign(mean) * anomaly


def eccentric_to_true(ecc_anomaly_rad: ArrayLike, e: ArrayLike) -> np.ndarray:
    """True anomaly (rad) from eccentric anomaly, elliptic (Vallado 4th ed. Alg. 6, eq. 2-9)."""
    anomaly = finite_array("ecc_anomaly_rad", ecc_anomaly_rad)
    ecc = _elliptic_eccentricity(e)
    half = np.arctan2(np.sqrt(1.0 + ecc) * np.sin(anomaly / 2.0),
                      np.sqrt(1.0 - ecc) * np.cos(anomaly / 2.0))
    return 2.0 * half


def true_to_eccentric(nu_rad: ArrayLike, e: ArrayLike) -> np.ndarray:
    """Eccentric anomaly (rad) from true anomaly, elliptic (Vallado 4th ed. Alg. 5)."""
    nu = finite_array("nu_rad", nu_rad)
    ecc = _elliptic_eccentricity(e)
    half = np.arctan2(np.sqrt(1.0 - ecc) * np.sin(nu / 2.0), np.sqrt(1.0 + ecc) * np.cos(nu / 2.0))
    return 2.0 * half


def hyperbolic_to_true(hyp_anomaly_rad: ArrayLike, e: ArrayLike) -> np.ndarray:
    """True anomaly (rad) from hyperbolic anomaly H, e > 1 (Vallado 4th ed. Alg. 6)."""
    anomaly = finite_array("hyp_anomaly_rad", hyp_anomaly_rad)
    ecc = _eccentricity_not_parabolic(e)
    return 2.0 * np.arctan(np.sqrt((ecc + 1.0) / (ecc - 1.0)) * np.tanh(anomaly / 2.0))


def true_to_hyperbolic(nu_rad: ArrayLike, e: ArrayLike) -> np.ndarray:
    """Hyperbolic anomaly H from true anomaly, e > 1, |nu| inside the asymptotes (Alg. 5)."""
    nu = finite_array("nu_rad", nu_rad)
    ecc = _eccentricity_not_parabolic(e)
    reduced = _wrap_pi(nu)
    if np.any(1.0 + ecc * np.cos(reduced) <= 0.0):
        raise ValueError(f"nu_rad lies beyond the hyperbola's asymptotes, got {nu_rad!r}")
    return 2.0 * np.arctanh(np.sqrt((ecc - 1.0) / (ecc + 1.0)) * np.tan(reduced / 2.0))


def mean_to_true(m_rad: ArrayLike, e: ArrayLike) -> np.ndarray:
    """True anomaly (rad) from mean anomaly, elementwise for ellipses (e < 1) and hyperbolas.

    Elliptic results keep the revolution count of M; hyperbolic ones lie in (-pi, pi).
    """
    mean = finite_array("m_rad", m_rad)
    ecc = _eccentricity_not_parabolic(e)
    mean, ecc = np.broadcast_arrays(mean, ecc)
    elliptic = ecc < 1.0
    nu = np.empty_like(mean, dtype=float)
    if np.any(elliptic):
        reduced = _wrap_pi(mean[elliptic])
        anomaly = mean_to_eccentric(reduced, ecc[elliptic])
        nu[elliptic] = eccentric_to_true(anomaly, ecc[elliptic]) + (mean[elliptic] - reduced)
    if not np.all(elliptic):
        hyperbolic = ~elliptic
        nu[hyperbolic] = hyperbolic_to_true(
            mean_to_hyperbolic(mean[hyperbolic], ecc[hyperbolic]), ecc[hyperbolic]
        )
    return nu


def true_to_mean(nu_rad: ArrayLike, e: ArrayLike) -> np.ndarray:
    """Mean anomaly (rad) from true anomaly (Kepler's equation), ellipses and hyperbolas.

    Elliptic: M in [-pi, pi) for nu in [-pi, pi), revolutions of nu carried over.
    """
    nu = finite_array("nu_rad", nu_rad)
    ecc = _eccentricity_not_parabolic(e)
    nu, ecc = np.broadcast_arrays(nu, ecc)
    elliptic = ecc < 1.0
    mean = np.empty_like(nu, dtype=float)
    if np.any(elliptic):
        reduced = _wrap_pi(nu[elliptic])
        anomaly = true_to_eccentric(reduced, ecc[elliptic])
        mean[elliptic] = anomaly - ecc[elliptic] * np.sin(anomaly) + (nu[elliptic] - reduced)
    if not np.all(elliptic):
        hyperbolic = ~elliptic
        anomaly = true_to_hyperbolic(nu[hyperbolic], ecc[hyperbolic])
        mean[hyperbolic] = ecc[hyperbolic] * np.sinh(anomaly) - anomaly
    return mean


def mean_motion_radps(a_m: ArrayLike, mu_m3ps2: float = GM_EARTH_M3PS2) -> np.ndarray:
    """Keplerian mean motion n = sqrt(mu / |a|^3), rad/s (ellipse: a > 0; hyperbola: a < 0)."""
    a = finite_array("a_m", a_m)
    if np.any(a == 0.0):
        raise ValueError(f"a_m must be non-zero, got {a_m!r}")
    return np.sqrt(float(positive_array("mu_m3ps2", mu_m3ps2)) / np.abs(a) ** 3)


def period_s(a_m: ArrayLike, mu_m3ps2: float = GM_EARTH_M3PS2) -> np.ndarray:
    """Keplerian period 2 pi sqrt(a^3 / mu), s, of an ellipse (a_m > 0)."""
    return TWO_PI / mean_motion_radps(positive_array("a_m", a_m), mu_m3ps2)
