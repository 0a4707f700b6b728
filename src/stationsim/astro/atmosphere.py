"""Thermospheric density: NRLMSIS 2.1 (reference), its orbit-averaged table, exponential model.

* :func:`msis_density_kgpm3` runs NRLMSIS 2.1 (Emmert et al. 2021, Earth Space Sci. 8,
  e2020EA001321) through pymsis, fed from our :class:`SpaceWeather` (pymsis never fetches data).
* :func:`msis_table` samples NRLMSIS on a regular (time, altitude) grid, averaged over the
  latitudes an orbit of the given inclination visits and over local time. The integrator
  interpolates it bilinearly in (TT seconds, natural log of kg/m^3). Averaging over local time
  leaves out the diurnal bulge: along a real orbit the table differs from NRLMSIS itself by
  10-20 % RMS at 250 km and 25-50 % at 400 km (docs/atmosphere.md).
* :func:`exponential_table` is Vallado's piecewise-exponential model (Fundamentals of
  Astrodynamics and Applications, 4th ed., 2013, Table 8-4), static, for textbook checks.

Altitudes are heights above the WGS-84 ellipsoid, in metres.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import DAY_S, KM
from stationsim.astro.spaceweather import SpaceWeather, utc_datetime64
from stationsim.astro.time import Epoch

MSIS_VERSION = 2.1
TABLE_ALTITUDE_MIN_M = 80.0 * KM
TABLE_ALTITUDE_MAX_M = 1000.0 * KM
TABLE_ALTITUDE_STEP_M = 5.0 * KM
_DAYS_PER_MSIS_CALL = 16  # bounds the memory of one pymsis grid call (~ 40 MB)

# Vallado 4th ed. Table 8-4: base altitude h0 (km), density at h0 (kg/m^3), scale height H (km).
VALLADO_TABLE_8_4 = np.array([
    (0.0, 1.225, 7.249), (25.0, 3.899e-2, 6.349), (30.0, 1.774e-2, 6.682),
    (40.0, 3.972e-3, 7.554), (50.0, 1.057e-3, 8.382), (60.0, 3.206e-4, 7.714),
    (70.0, 8.770e-5, 6.549), (80.0, 1.905e-5, 5.799), (90.0, 3.396e-6, 5.382),
    (100.0, 5.297e-7, 5.877), (110.0, 9.661e-8, 7.263), (120.0, 2.438e-8, 9.473),
    (130.0, 8.484e-9, 12.636), (140.0, 3.845e-9, 16.149), (150.0, 2.070e-9, 22.523),
    (180.0, 5.464e-10, 29.740), (200.0, 2.789e-10, 37.105), (250.0, 7.248e-11, 45.546),
    (300.0, 2.418e-11, 53.628), (350.0, 9.518e-12, 53.298), (400.0, 3.725e-12, 58.515),
    (450.0, 1.585e-12, 60.828), (500.0, 6.967e-13, 63.822), (600.0, 1.454e-13, 71.835),
    (700.0, 3.614e-14, 88.667), (800.0, 1.170e-14, 124.64), (900.0, 5.245e-15, 181.05),
    (1000.0, 3.019e-15, 268.00),
])


class DensityTable(NamedTuple):
    """Natural log of density (kg/m^3) on a regular grid of TT seconds since J2000 and altitude.

    Row ``i`` is TT time ``t0_tt_s + i * dt_s``, column ``j`` altitude ``h0_m + j * dh_m`` above
    WGS-84; ``log_rho`` has shape (nt >= 1, nh >= 2). As a 5-tuple it is the layout the Numba
    force kernels take (``stationsim.astro.forces``). Lookups interpolate bilinearly in
    (t, log rho); times outside the table take the first or last row, altitudes outside it
    extrapolate log rho linearly from the two end columns.
    """

    t0_tt_s: float
    dt_s: float
    h0_m: float
    dh_m: float
    log_rho: np.ndarray

    def log_rho_at(self, t_s: ArrayLike, h_m: ArrayLike) -> np.ndarray:
        """ln(density / (kg/m^3)) at TT seconds ``t_s`` and altitude ``h_m`` (broadcast)."""
        t_s, h_m = np.broadcast_arrays(np.asarray(t_s, dtype=float), np.asarray(h_m, dtype=float))
        nt, nh = self.log_rho.shape
        t_index = np.clip((t_s - self.t0_tt_s) / self.dt_s, 0.0, nt - 1.0)
        i = np.minimum(np.floor(t_index).astype(np.int64), max(nt - 2, 0))
        u = t_index - i
        i_next = np.minimum(i + 1, nt - 1)
        h_index = (h_m - self.h0_m) / self.dh_m
        j = np.clip(np.floor(h_index).astype(np.int64), 0, nh - 2)
        w = h_index - j
        row_i = self.log_rho[i, j] * (1.0 - w) + self.log_rho[i, j + 1] * w
        row_next = self.log_rho[i_next, j] * (1.0 - w) + self.log_rho[i_next, j + 1] * w
        return row_i * (1.0 - u) + row_next * u

    def density_kgpm3(self, t_s: ArrayLike, h_m: ArrayLike) -> np.ndarray:
        """Density in kg/m^3 at TT seconds ``t_s`` and altitude ``h_m`` (broadcast)."""
        return np.exp(self.log_rho_at(t_s, h_m))


def exponential_density_kgpm3(altitude_m: ArrayLike) -> np.ndarray:
    """Vallado 4th ed. Table 8-4 exponential model (static; valid 0-1000 km, extrapolated above).

    Below 0 m the sea-level layer is used.
    """
    altitude_km = np.asarray(altitude_m, dtype=float) / KM
    base_km, rho0_kgpm3, scale_km = VALLADO_TABLE_8_4.T
    layer = np.clip(np.searchsorted(base_km, altitude_km, side="right") - 1, 0, base_km.size - 1)
    return rho0_kgpm3[layer] * np.exp(-(altitude_km - base_km[layer]) / scale_km[layer])


def exponential_table(altitude_max_m: float = TABLE_ALTITUDE_MAX_M) -> DensityTable:
    """The exponential model as a time-independent :class:`DensityTable` from 0 m.

    The 5 km grid holds every layer boundary of Table 8-4, so bilinear interpolation in log rho
    reproduces the model to the small steps between its layers (< 1 %).
    """
    altitudes_m = np.arange(0.0, altitude_max_m + TABLE_ALTITUDE_STEP_M / 2, TABLE_ALTITUDE_STEP_M)
    log_rho = np.log(exponential_density_kgpm3(altitudes_m))[np.newaxis, :]
    return DensityTable(0.0, DAY_S, 0.0, TABLE_ALTITUDE_STEP_M, log_rho)


def msis_density_kgpm3(
    epochs: Epoch,
    latitude_rad: ArrayLike,
    longitude_rad: ArrayLike,
    altitude_m: ArrayLike,
    space_weather: SpaceWeather | None = None,
    *,
    storm_time: bool = False,
) -> np.ndarray:
    """NRLMSIS 2.1 total mass density (kg/m^3) along a track (all arguments broadcast to (N,)).

    Geodetic latitude and longitude in radians, height above WGS-84 in metres; indices from
    ``space_weather`` (default: the bundled file). ``storm_time`` uses the 3-hourly ap history
    (NRLMSIS switch 9 = -1) instead of the daily Ap. Empirical models of this kind are
    typically good to 10-20 % (1 sigma) against measured densities, worse in storms.
    """
    import pymsis

    weather = space_weather or SpaceWeather.bundled()
    tt_s = np.atleast_1d(np.asarray(epochs.tt_s, dtype=float))
    tt_s, lat, lon, alt = np.broadcast_arrays(
        tt_s, np.asarray(latitude_rad, float), np.asarray(longitude_rad, float),
        np.asarray(altitude_m, float))
    _check_finite(lat=lat, lon=lon, alt=alt)
    flat_epochs = Epoch(tt_s.ravel())
    indices = weather.msis_inputs(flat_epochs)
    output = pymsis.calculate(
        utc_datetime64(flat_epochs), np.degrees(lon.ravel()), np.degrees(lat.ravel()),
        alt.ravel() / KM, indices.f107_sfu, indices.f107a_sfu, indices.ap,
        version=MSIS_VERSION, geomagnetic_activity=-1 if storm_time else 1)
    return output[..., 0].reshape(tt_s.shape)


def msis_table(
    start: Epoch,
    stop: Epoch,
    inclination_rad: float,
    space_weather: SpaceWeather | None = None,
    *,
    step_s: float = DAY_S,
    altitude_min_m: float = TABLE_ALTITUDE_MIN_M,
    altitude_max_m: float = TABLE_ALTITUDE_MAX_M,
    altitude_step_m: float = TABLE_ALTITUDE_STEP_M,
    n_latitudes: int = 4,
    n_local_times: int = 6,
    storm_time: bool = False,
) -> DensityTable:
    """Orbit-averaged NRLMSIS 2.1 density table from ``start`` to ``stop`` (inclusive).

    Each row is the mean density over ``n_local_times`` evenly spaced local times and over
    ``n_latitudes`` latitudes ``asin(sin i sin u)`` with the argument of latitude u evenly
    spaced, i.e. weighted by the time a circular orbit of inclination i spends there.
    Rows every ``step_s`` seconds (daily by default: F10.7 and Ap are daily; use 3 hours with
    ``storm_time``). The default 4 x 6 points stay within 0.6 % of a 16 x 24 average. The
    diurnal bulge and the perigee's latitude are averaged out.
    """
    import pymsis

    duration_s = stop - start
    if not duration_s >= 0.0:
        raise ValueError(f"stop must not precede start, got {start!r} -> {stop!r}")
    if not 0.0 <= inclination_rad <= np.pi:
        raise ValueError(f"inclination_rad must be in [0, pi], got {inclination_rad!r}")
    if not (0.0 < step_s and 0.0 < altitude_step_m and altitude_min_m < altitude_max_m):
        raise ValueError(
            f"need step_s > 0, altitude_step_m > 0 and altitude_min_m < altitude_max_m, got "
            f"{step_s!r}, {altitude_step_m!r}, {altitude_min_m!r}, {altitude_max_m!r}")
    if n_latitudes < 1 or n_local_times < 1:
        raise ValueError(
            f"n_latitudes and n_local_times must be >= 1, got {n_latitudes}, {n_local_times}")
    weather = space_weather or SpaceWeather.bundled()
    n_rows = max(int(np.ceil(duration_s / step_s)), 1) + 1
    row_tt_s = start.tt_s + step_s * np.arange(n_rows)
    altitudes_km = (altitude_min_m + altitude_step_m * np.arange(
        int(np.ceil((altitude_max_m - altitude_min_m) / altitude_step_m)) + 1)) / KM
    u_rad = (np.arange(n_latitudes) + 0.5) * np.pi / n_latitudes - np.pi / 2.0
    latitudes_deg = np.degrees(np.arcsin(np.sin(inclination_rad) * np.sin(u_rad)))
    longitudes_deg = np.arange(n_local_times) * 360.0 / n_local_times
    if n_rows == n_local_times == n_latitudes == altitudes_km.size:
        raise ValueError("grid sizes must not all be equal (pymsis would read them as a track)")

    log_rho = np.empty((n_rows, altitudes_km.size))
    for first in range(0, n_rows, _DAYS_PER_MSIS_CALL):
        rows = slice(first, min(first + _DAYS_PER_MSIS_CALL, n_rows))
        epochs = Epoch(row_tt_s[rows])
        indices = weather.msis_inputs(epochs)
        grid = pymsis.calculate(
            utc_datetime64(epochs), longitudes_deg, latitudes_deg, altitudes_km,
            indices.f107_sfu, indices.f107a_sfu, indices.ap,
            version=MSIS_VERSION, geomagnetic_activity=-1 if storm_time else 1)
        log_rho[rows] = np.log(grid[..., 0].reshape(
            len(epochs), -1, altitudes_km.size).mean(axis=1))
    bad_rows = np.flatnonzero(~np.all(np.isfinite(log_rho), axis=1))
    if bad_rows.size:
        when = Epoch(row_tt_s[bad_rows[0]]).utc_iso()
        raise ValueError(f"NRLMSIS gave no finite density on {when} "
                         "(space-weather indices outside the model's range)")
    return DensityTable(float(row_tt_s[0]), float(step_s), float(altitudes_km[0] * KM),
                        float(altitude_step_m), log_rho)


def _check_finite(**arrays: np.ndarray) -> None:
    for name, values in arrays.items():
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{name} must be finite, got {values[~np.isfinite(values)][:3]}")
