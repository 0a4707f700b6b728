"""Force model: zonal gravity against an independent potential gradient, drag, density lookup."""

from __future__ import annotations

import erfa
import numpy as np
import pytest

from stationsim.astro.constants import (
    GM_EARTH_M3PS2,
    J2,
    J_ZONAL,
    KM,
    OMEGA_EARTH_RADPS,
    R_EARTH_M,
    WGS84_FLATTENING,
)
from stationsim.astro.forces import (
    acceleration_gcrf_mps2,
    altitude_m,
    check_density_table,
    log_density,
    zonal_coefficients,
)

# Legendre polynomials P2..P6 written out (Abramowitz & Stegun, Table 22.9).
LEGENDRE = {
    2: lambda u: (3 * u**2 - 1) / 2,
    3: lambda u: (5 * u**3 - 3 * u) / 2,
    4: lambda u: (35 * u**4 - 30 * u**2 + 3) / 8,
    5: lambda u: (63 * u**5 - 70 * u**3 + 15 * u) / 8,
    6: lambda u: (231 * u**6 - 315 * u**4 + 105 * u**2 - 5) / 16,
}


def _zonal_potential(r_m, degree):
    """U = GM/r (1 - sum Jn (R/r)^n Pn(z/r)) (Montenbruck & Gill 2000 sec. 3.2); complex-safe."""
    x, y, z = r_m
    r = np.sqrt(x * x + y * y + z * z)
    series = sum(
        J_ZONAL[n] * (R_EARTH_M / r) ** n * LEGENDRE[n](z / r) for n in range(2, degree + 1)
    )
    return GM_EARTH_M3PS2 / r * (1.0 - series)


def _gradient_complex_step(r_m, degree):
    """grad U by complex-step differentiation (Squire & Trapp 1998), exact to rounding."""
    step = 1e-20
    grad = np.empty(3)
    for i in range(3):
        probe = np.asarray(r_m, dtype=complex)
        probe[i] += 1j * step
        grad[i] = _zonal_potential(probe, degree).imag / step
    return grad


@pytest.fixture(scope="module")
def leo_points_m():
    rng = np.random.default_rng(20261125)
    directions = rng.normal(size=(200, 3))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    radii_m = R_EARTH_M + rng.uniform(150.0, 2000.0, 200) * KM
    return directions * radii_m[:, None]


@pytest.mark.parametrize("degree", [0, 2, 4, 6])
def test_zonal_acceleration_matches_potential_gradient(leo_points_m, degree):
    # Independent reference: complex-step gradient of the zonal potential with explicit Pn.
    ours = acceleration_gcrf_mps2(0.0, leo_points_m, np.zeros_like(leo_points_m),
                                  zonal_degree=degree)
    reference = np.array([_gradient_complex_step(p, max(degree, 1)) for p in leo_points_m])
    # 1e-12 m/s^2 is ~1e-13 of the acceleration; J6 alone is ~5e-6 m/s^2 in LEO.
    assert np.abs(ours - reference).max() < 1e-12


def test_j2_acceleration_closed_form(leo_points_m):
    # The Cartesian J2 acceleration (Montenbruck & Gill 2000 sec. 3.2), written out here.
    x, y, z = leo_points_m.T
    r = np.linalg.norm(leo_points_m, axis=1)
    k = -1.5 * J2 * GM_EARTH_M3PS2 * R_EARTH_M**2 / r**5
    s2 = z**2 / r**2
    expected = np.stack([x * k * (1 - 5 * s2), y * k * (1 - 5 * s2), z * k * (3 - 5 * s2)], axis=1)
    expected -= GM_EARTH_M3PS2 * leo_points_m / r[:, None] ** 3
    ours = acceleration_gcrf_mps2(0.0, leo_points_m, np.zeros_like(leo_points_m), zonal_degree=2)
    assert np.abs(ours - expected).max() < 1e-12


def _exponential_table(rho0_kgpm3, h0_m, scale_height_m):
    """Time-independent exponential atmosphere in the kernels' table layout, 0-1000 km."""
    heights_m = np.arange(0.0, 1000e3 + 1.0, 10e3)
    log_rho = np.log(rho0_kgpm3) - (heights_m - h0_m) / scale_height_m
    return (0.0, 86400.0, 0.0, 10e3, log_rho[np.newaxis, :])


def test_drag_is_corotating_quadratic_drag(leo_points_m):
    # a_drag = -0.5 rho Cd A/m |v - w x r| (v - w x r) (Montenbruck & Gill sec. 3.5), here
    # at 200-600 km where drag stands well above the rounding of gravity (1e-15 m/s^2).
    table = _exponential_table(3.725e-12, 400e3, 58.515e3)
    rng = np.random.default_rng(7)
    directions = leo_points_m / np.linalg.norm(leo_points_m, axis=1, keepdims=True)
    points_m = directions * (R_EARTH_M + rng.uniform(200e3, 600e3, len(directions)))[:, None]
    v_mps = rng.normal(scale=5000.0, size=points_m.shape)
    cd_am = 0.02
    with_drag = acceleration_gcrf_mps2(1e8, points_m, v_mps, cd_am, table)
    without = acceleration_gcrf_mps2(1e8, points_m, v_mps, 0.0, table)
    height_m = np.array([erfa.gc2gd(1, p)[2] for p in points_m])
    rho = 3.725e-12 * np.exp(-(height_m - 400e3) / 58.515e3)
    v_rel = v_mps - np.cross([0.0, 0.0, OMEGA_EARTH_RADPS], points_m)
    expected = -0.5 * rho[:, None] * cd_am * np.linalg.norm(v_rel, axis=1)[:, None] * v_rel
    # The kernel's radial altitude is within 3 m of geodetic below 600 km: rho within
    # 3 m / 58.5 km = 5e-5 relative.
    assert np.allclose(with_drag - without, expected, rtol=1e-4, atol=1e-14)


@pytest.mark.parametrize(("height_km", "bound_m"), [(0.0, 1e-3), (100.0, 0.6), (400.0, 2.2),
                                                    (1000.0, 5.0)])
def test_altitude_against_erfa_geodetic(height_km, bound_m):
    # ERFA gd2gc (WGS-84) is the exact geodetic reference; the stated bounds are the docstring's.
    latitudes_rad = np.radians(np.linspace(-90.0, 90.0, 721))
    points_m = erfa.gd2gc(1, 0.3, latitudes_rad, np.full_like(latitudes_rad, height_km * KM))
    ours = np.array([altitude_m(*p) for p in points_m])
    assert np.abs(ours - height_km * KM).max() < bound_m


def test_altitude_is_not_spherical():
    # Over the pole the ellipsoid is 21.4 km below the equatorial radius (WGS-84 a f).
    assert abs(altitude_m(0.0, 0.0, R_EARTH_M) - R_EARTH_M * WGS84_FLATTENING) < 1e-6


def test_log_density_bilinear_clamped_and_extrapolated():
    # log rho = 1e-7 t - h / 50 km is bilinear, so interpolation and altitude extrapolation are
    # exact; times outside the table clamp to the end rows.
    times_s = 1000.0 + 600.0 * np.arange(4)
    heights_m = 100e3 + 20e3 * np.arange(5)
    log_rho = 1e-7 * times_s[:, None] - heights_m[None, :] / 50e3
    table = check_density_table((1000.0, 600.0, 100e3, 20e3, log_rho))
    for t_s, h_m in [(1300.0, 130e3), (2800.0, 180e3), (1000.0, 60e3), (2000.0, 400e3)]:
        assert log_density(t_s, h_m, *table) == pytest.approx(1e-7 * t_s - h_m / 50e3, abs=1e-12)
    assert log_density(-5e8, 150e3, *table) == pytest.approx(1e-7 * 1000.0 - 3.0, abs=1e-12)
    assert log_density(5e8, 150e3, *table) == pytest.approx(1e-7 * 2800.0 - 3.0, abs=1e-12)


def test_single_row_table_is_static():
    table = check_density_table((0.0, 1.0, 0.0, 10e3, np.array([[-1.0, -2.0, -4.0]])))
    assert log_density(1e9, 15e3, *table) == pytest.approx(-3.0, abs=1e-12)


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ((0.0, 1.0, 0.0, 1.0), "must be"),
        ((0.0, 1.0, 0.0, 1.0, np.zeros((2, 1))), "shape"),
        ((0.0, 0.0, 0.0, 1.0, np.zeros((2, 2))), "steps"),
        ((0.0, 1.0, 0.0, 1.0, np.full((2, 2), np.nan)), "non-finite"),
    ],
)
def test_bad_density_tables_are_refused(table, fragment):
    with pytest.raises(ValueError, match=fragment):
        check_density_table(table)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="zonal_degree"):
        zonal_coefficients(7)
    with pytest.raises(ValueError, match="density_table"):
        acceleration_gcrf_mps2(0.0, [7e6, 0.0, 0.0], [0.0, 7.5e3, 0.0], 0.01)
    with pytest.raises(ValueError, match="r_gcrf_m"):
        acceleration_gcrf_mps2(0.0, [0.0, 0.0, 0.0], [0.0, 7.5e3, 0.0])
    with pytest.raises(ValueError, match="shape|must both"):
        acceleration_gcrf_mps2(0.0, np.zeros((2, 3)) + 7e6, np.zeros((3, 3)))
