"""Geodetic conversion: accuracy of the round trip and speed beside ERFA's ``gc2gde`` alone.

Run: ``python bench/geodetic.py`` (a few seconds). 100,000 random points, latitude uniform,
longitude uniform, height log-uniform from 1 m to 400,000 km plus 1,000 points from 10 km
below to 1 km above the ellipsoid. Each point goes through :func:`geodetic_to_itrf` and back;
the error is the distance it moved (latitude error times the radius, height error). Speeds are
for the same 100,000 points, measured in one run and given as a ratio to ERFA alone.
"""

from __future__ import annotations

import erfa
import numpy as np
from timing import best_time_s

from stationsim.astro.constants import R_EARTH_M, WGS84_FLATTENING
from stationsim.astro.frames import geodetic_to_itrf, itrf_to_geodetic

POINTS = 100_000
SEED = 20261207


def random_points(rng: np.random.Generator):
    lat_rad = rng.uniform(-np.pi / 2, np.pi / 2, POINTS)
    lon_rad = rng.uniform(-np.pi, np.pi, POINTS)
    height_m = 10.0 ** rng.uniform(0.0, np.log10(4.0e8), POINTS)
    height_m[:1000] = rng.uniform(-1.0e4, 1.0e3, 1000)
    return lat_rad, lon_rad, height_m


def iterated_to_convergence(r_m: np.ndarray):
    """The fixed-point latitude iteration alone, from Bowring's start, run until it stops
    moving (the alternative to ERFA plus one step; here only to be timed beside it)."""
    e2 = WGS84_FLATTENING * (2.0 - WGS84_FLATTENING)
    p_m, z_m = np.hypot(r_m[..., 0], r_m[..., 1]), r_m[..., 2]
    lat_rad = np.arctan2(z_m, p_m * (1.0 - e2))
    for _ in range(30):
        sin_lat = np.sin(lat_rad)
        new_rad = np.arctan2(z_m + e2 * R_EARTH_M * sin_lat / np.sqrt(1.0 - e2 * sin_lat**2),
                             p_m)
        converged = np.max(np.abs(new_rad - lat_rad)) < 1e-15
        lat_rad = new_rad
        if converged:
            break
    return lat_rad


def main() -> None:
    lat_rad, lon_rad, height_m = random_points(np.random.default_rng(SEED))
    r_m = geodetic_to_itrf(lat_rad, lon_rad, height_m)
    radius_m = R_EARTH_M + np.maximum(height_m, 0.0)
    bands_m = [(-1e4, 1e6), (1e6, 1e7), (1e7, 4e7), (4e7, 1e8), (1e8, 4.0e8 + 1.0)]

    erfa_lon, erfa_lat, erfa_height = erfa.gc2gde(R_EARTH_M, WGS84_FLATTENING, r_m)
    ours_lat, ours_lon, ours_height = itrf_to_geodetic(r_m)
    print(f"{POINTS:,} random points, seed {SEED}; round-trip error (m), worst in each band")
    print(f"{'height band (km)':>22} | {'ERFA gc2gde lat':>16} | {'stationsim lat':>15} | "
          f"{'stationsim height':>17}")
    for low_m, high_m in bands_m:
        band = (height_m >= low_m) & (height_m < high_m)
        erfa_error = np.max(np.abs(erfa_lat[band] - lat_rad[band]) * radius_m[band])
        ours_error = np.max(np.abs(ours_lat[band] - lat_rad[band]) * radius_m[band])
        height_error = np.max(np.abs(ours_height[band] - height_m[band]))
        print(f"{low_m / 1e3:>10,.0f} - {high_m / 1e3:>9,.0f} | {erfa_error:16.2e} | "
              f"{ours_error:15.2e} | {height_error:17.2e}")
    worst_m = np.max(np.abs(ours_lat - lat_rad) * radius_m)
    lon_ok = np.abs(np.cos(lat_rad)) > 1e-6
    worst_lon_m = np.max(np.abs(ours_lon[lon_ok] - lon_rad[lon_ok]) * radius_m[lon_ok])
    print(f"worst over all points: latitude {worst_m:.2e} m, longitude {worst_lon_m:.2e} m, "
          f"height {np.max(np.abs(ours_height - height_m)):.2e} m (requirement: < 1e-3 m)")

    erfa_s = best_time_s(lambda: erfa.gc2gde(R_EARTH_M, WGS84_FLATTENING, r_m))
    ours_s = best_time_s(lambda: itrf_to_geodetic(r_m))
    iterated_s = best_time_s(lambda: iterated_to_convergence(r_m))
    iterated_error_m = np.max(np.abs(iterated_to_convergence(r_m) - lat_rad) * radius_m)
    one = r_m[5]
    erfa_one_s = best_time_s(lambda: [erfa.gc2gde(R_EARTH_M, WGS84_FLATTENING, one)
                                  for _ in range(1000)]) / 1000
    ours_one_s = best_time_s(lambda: [itrf_to_geodetic(one) for _ in range(1000)]) / 1000
    print(f"batch of {POINTS:,}: ERFA alone {erfa_s * 1e3:.1f} ms, stationsim "
          f"{ours_s * 1e3:.1f} ms (ratio {ours_s / erfa_s:.2f}); iteration to convergence "
          f"alone {iterated_s * 1e3:.1f} ms (ratio {iterated_s / erfa_s:.2f}, worst latitude "
          f"{iterated_error_m:.2e} m)")
    print(f"one point: ERFA alone {erfa_one_s * 1e6:.1f} us, stationsim {ours_one_s * 1e6:.1f} us "
          f"(ratio {ours_one_s / erfa_one_s:.2f})")


if __name__ == "__main__":
    main()
