"""The Moon's orientation: Moon-centred inertial (GCRF axes) <-> Moon-fixed, selenographic.

The Moon-fixed frame is the mean-Earth/polar-axis frame of selenographic coordinates, from the
IAU WGCCRE 2009 rotation model (Archinal et al. 2011, Celest. Mech. Dyn. Astron. 109, 101-135,
Table 2): pole right ascension and declination and prime-meridian angle W with their 13
periodic terms E1..E13, of TDB days d and centuries T from J2000. The report says the model
holds the mean-Earth frame of the lunar ephemeris to about 150 m at the surface; against DE421's
own libration angles turned into the mean-Earth frame (Williams et al. 2008, JPL IOM
335-JW,DB,WF-20080314-001) it agrees within 135 m (16 arcsec) over 1959-1969 (the test).
Latitude and longitude are planetocentric on a sphere of the IAU mean radius (east longitude in
(-180, 180] deg).

>>> t = Epoch.from_utc(1969, 7, 20, 20, 17, 40)
>>> lat_rad, lon_rad, height_m = selenographic(inertial_to_moon_fixed(
...     moon_fixed_to_inertial(selenographic_to_moon_fixed(0.01, 0.41, 0.0), t), t))
>>> round(float(lat_rad), 6), round(float(lon_rad), 6), abs(round(float(height_m), 3))
(0.01, 0.41, 0.0)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import DAY_S, DEG, R_MOON_M
from stationsim.astro.time import Epoch

# Archinal et al. (2011) Table 2, the Moon: E_k = phase + rate * d (deg, deg/day).
_E_PHASE_DEG = np.array([
    125.045, 250.089, 260.008, 176.625, 357.529, 311.589, 134.963, 276.617, 34.226, 15.134,
    119.743, 239.961, 25.053,
])
_E_RATE_DEGPD = np.array([
    -0.0529921, -0.1059842, 13.0120009, 13.3407154, 0.9856003, 26.4057084, 13.0649930,
    0.3287146, 1.7484877, -0.1589763, 0.0036096, 0.1643573, 12.9590088,
])
# Coefficients of sin E_k in alpha0 and W, and of cos E_k in delta0 (deg).
_ALPHA_SIN_DEG = np.array([
    -3.8787, -0.1204, 0.0700, -0.0172, 0.0, 0.0072, 0.0, 0.0, 0.0, -0.0052, 0.0, 0.0, 0.0043,
])
_DELTA_COS_DEG = np.array([
    1.5419, 0.0239, -0.0278, 0.0068, 0.0, -0.0029, 0.0009, 0.0, 0.0, 0.0008, 0.0, 0.0, -0.0009,
])
_W_SIN_DEG = np.array([
    3.5610, 0.1208, -0.0642, 0.0158, 0.0252, -0.0066, -0.0047, -0.0046, 0.0028, 0.0052, 0.0040,
    0.0019, -0.0044,
])


def _tdb_days(epochs: Epoch) -> np.ndarray:
    """Days of TDB since J2000 (TT is used: TDB - TT < 2 ms moves the surface < 1 cm)."""
    return np.asarray(epochs.tt_s, dtype=float) / DAY_S


def pole_and_meridian_rad(epochs: Epoch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """IAU 2009 (alpha0, delta0, W) of the Moon at ``epochs``, radians."""
    d = _tdb_days(epochs)
    t = d / 36525.0
    e_rad = (_E_PHASE_DEG + np.multiply.outer(d, _E_RATE_DEGPD)) * DEG
    sin_e, cos_e = np.sin(e_rad), np.cos(e_rad)
    alpha_deg = 269.9949 + 0.0031 * t + sin_e @ _ALPHA_SIN_DEG
    delta_deg = 66.5392 + 0.0130 * t + cos_e @ _DELTA_COS_DEG
    w_deg = 38.3213 + 13.17635815 * d - 1.4e-12 * d * d + sin_e @ _W_SIN_DEG
    return alpha_deg * DEG, delta_deg * DEG, np.mod(w_deg, 360.0) * DEG


def inertial_to_fixed_matrix(epochs: Epoch) -> np.ndarray:
    """Rotation (..., 3, 3) taking Moon-centred GCRF-axis vectors to the Moon-fixed frame:
    R3(W) R1(90 deg - delta0) R3(90 deg + alpha0)."""
    alpha, delta, w = pole_and_meridian_rad(epochs)
    return _r3(w) @ _r1(0.5 * np.pi - delta) @ _r3(0.5 * np.pi + alpha)


def pole_gcrf(epochs: Epoch) -> np.ndarray:
    """Unit vector of the Moon's north pole in GCRF axes, shape (*epochs.shape, 3)."""
    alpha, delta, _ = pole_and_meridian_rad(epochs)
    return np.stack([np.cos(delta) * np.cos(alpha), np.cos(delta) * np.sin(alpha),
                     np.sin(delta)], axis=-1)


def _r1(angle):
    c, s = np.cos(angle), np.sin(angle)
    one, zero = np.ones_like(c), np.zeros_like(c)
    return np.stack([np.stack([one, zero, zero], -1), np.stack([zero, c, s], -1),
                     np.stack([zero, -s, c], -1)], -2)


def _r3(angle):
    c, s = np.cos(angle), np.sin(angle)
    one, zero = np.ones_like(c), np.zeros_like(c)
    return np.stack([np.stack([c, s, zero], -1), np.stack([-s, c, zero], -1),
                     np.stack([zero, zero, one], -1)], -2)


def inertial_to_moon_fixed(r_mci_m: ArrayLike, epochs: Epoch) -> np.ndarray:
    """Moon-centred GCRF-axis positions (..., 3) m -> Moon-fixed (mean-Earth) positions, m."""
    r = np.asarray(r_mci_m, dtype=float)
    return np.einsum("...ij,...j->...i", inertial_to_fixed_matrix(epochs), r)


def moon_fixed_to_inertial(r_fixed_m: ArrayLike, epochs: Epoch) -> np.ndarray:
    """Moon-fixed positions (..., 3) m -> Moon-centred GCRF-axis positions, m."""
    r = np.asarray(r_fixed_m, dtype=float)
    return np.einsum("...ji,...j->...i", inertial_to_fixed_matrix(epochs), r)


def selenographic(r_fixed_m: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Moon-fixed positions -> (latitude rad, east longitude rad, height above R_MOON_M m)."""
    r = np.asarray(r_fixed_m, dtype=float)
    radius_m = np.linalg.norm(r, axis=-1)
    lat = np.arcsin(r[..., 2] / radius_m)
    lon = np.arctan2(r[..., 1], r[..., 0])
    return lat, lon, radius_m - R_MOON_M


def selenographic_to_moon_fixed(
    lat_rad: ArrayLike,
    lon_rad: ArrayLike,
    height_m: ArrayLike,
) -> np.ndarray:
    """(latitude rad, east longitude rad, height above R_MOON_M m) -> Moon-fixed position, m."""
    lat, lon, height = np.broadcast_arrays(
        np.asarray(lat_rad, dtype=float), np.asarray(lon_rad, dtype=float),
        np.asarray(height_m, dtype=float),
    )
    radius_m = R_MOON_M + height
    return np.stack([radius_m * np.cos(lat) * np.cos(lon), radius_m * np.cos(lat) * np.sin(lon),
                     radius_m * np.sin(lat)], axis=-1)
