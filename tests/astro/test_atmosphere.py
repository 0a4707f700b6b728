"""Density models: exponential (Vallado Table 8-4), NRLMSIS 2.1 via pymsis, the averaged table."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stationsim.astro import atmosphere
from stationsim.astro.atmosphere import (
    DensityTable,
    exponential_density_kgpm3,
    exponential_table,
    msis_density_kgpm3,
    msis_table,
)
from stationsim.astro.constants import DEG, KM, R_EARTH_M
from stationsim.astro.elements import elements_to_state
from stationsim.astro.forces import check_density_table, log_density
from stationsim.astro.frames import subpoint
from stationsim.astro.propagate import J2Secular
from stationsim.astro.spaceweather import SpaceWeather
from stationsim.astro.time import Epoch

MODERATE = SpaceWeather.constant(f107_sfu=150.0, f107a_sfu=150.0, ap=15.0)


# --- exponential model ------------------------------------------------------------------------
def test_exponential_model_reproduces_vallado_table_8_4():
    # Vallado, Fundamentals of Astrodynamics and Applications 4th ed., Table 8-4, with
    # rho = rho0 exp(-(h - h0) / H); base rows (h0 km, rho0 kg/m^3, H km) typed from the book.
    assert exponential_density_kgpm3(400.0 * KM) == pytest.approx(3.725e-12, rel=1e-12)
    assert exponential_density_kgpm3(180.0 * KM) == pytest.approx(5.464e-10, rel=1e-12)
    assert exponential_density_kgpm3(748.0 * KM) == pytest.approx(
        3.614e-14 * np.exp(-(748.0 - 700.0) / 88.667), rel=1e-12)
    assert exponential_density_kgpm3(0.0) == pytest.approx(1.225, rel=1e-12)
    assert exponential_density_kgpm3(1200.0 * KM) == pytest.approx(
        3.019e-15 * np.exp(-200.0 / 268.0), rel=1e-12)


def test_exponential_table_matches_the_model():
    # the 5 km grid holds every layer boundary: only the model's own steps between layers remain
    table = exponential_table()
    heights_m = np.linspace(0.0, 1000.0 * KM, 4001)
    ratio = table.density_kgpm3(1.0e8, heights_m) / exponential_density_kgpm3(heights_m)
    assert np.max(np.abs(ratio - 1.0)) < 0.01


# --- NRLMSIS 2.1 ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("utc", "lat_deg", "lon_deg", "alt_km", "f107a", "f107", "ap", "rho_gpcm3"), [
    # NRL's NRLMSIS 2.1 reference output (msis2.1_test_ref_dp.txt, distributed with the model):
    # iyd 75112 sec 24270 and iyd 80314 sec 38265.
    ((1975, 4, 22, 6, 44, 30), -17.1, -118.0, 205.5, 70.7, 67.5, 15.0, 0.1131e-12),
    ((1980, 11, 9, 10, 37, 45), -2.3, -94.8, 386.7, 213.6, 271.4, 9.0, 0.8412e-14),
])
def test_msis_matches_the_nrl_reference_output(utc, lat_deg, lon_deg, alt_km, f107a, f107, ap,
                                               rho_gpcm3):
    weather = SpaceWeather.constant(f107_sfu=f107, f107a_sfu=f107a, ap=ap)
    rho_kgpm3 = msis_density_kgpm3(Epoch.from_utc(*utc), lat_deg * DEG, lon_deg * DEG,
                                   alt_km * KM, weather)
    # the reference prints 4 significant digits
    assert rho_kgpm3[0] == pytest.approx(rho_gpcm3 * 1e3, rel=1e-3)


def test_msis_is_within_the_physical_range_of_the_exponential_model():
    # Table 8-4 is one mean atmosphere; NRLMSIS spans it by solar activity: at 400 km a quiet
    # Sun gives less, an active one more (Vallado 4th ed. ch. 8).
    t = Epoch.from_utc(2009, 6, 1, 12)
    quiet = SpaceWeather.constant(f107_sfu=70.0, f107a_sfu=70.0, ap=4.0)
    active = SpaceWeather.constant(f107_sfu=250.0, f107a_sfu=250.0, ap=30.0)
    reference = exponential_density_kgpm3(400.0 * KM)
    assert msis_density_kgpm3(t, 0.0, 0.0, 400.0 * KM, quiet)[0] < reference
    assert msis_density_kgpm3(t, 0.0, 0.0, 400.0 * KM, active)[0] > reference
    ratio = msis_density_kgpm3(t, 0.0, 0.0, 150.0 * KM, MODERATE)[0] / (
        exponential_density_kgpm3(150.0 * KM))
    assert 0.5 < ratio < 2.0  # near 150 km the lower thermosphere varies little with activity


def test_pymsis_never_fetches_its_own_indices(monkeypatch):
    import pymsis.msis

    def refuse(*args, **kwargs):
        raise AssertionError("pymsis tried to look up or download space weather")

    monkeypatch.setattr(pymsis.msis, "get_f107_ap", refuse)
    t = Epoch.from_utc(2003, 10, 29, 12)
    assert msis_density_kgpm3(t, 0.5, 1.0, 400.0 * KM)[0] > 0.0
    assert msis_density_kgpm3(t, 0.5, 1.0, 400.0 * KM, storm_time=True)[0] > 0.0
    assert np.all(np.isfinite(msis_table(t, t + 86400.0, 51.6 * DEG).log_rho))


# --- orbit-averaged table ------------------------------------------------------------------------
def test_table_is_the_orbit_average_of_msis():
    # Brute force, independent of the table's quadrature: a circular orbit at 51.6 deg spends
    # equal time at each argument of latitude u (latitude asin(sin i sin u)); local time is
    # swept uniformly; 96 x 48 points against the table's 6 x 8.
    t = Epoch.from_utc(2012, 3, 1)
    inclination_rad = 51.6 * DEG
    table = msis_table(t, t + 86400.0, inclination_rad, MODERATE)
    u_rad = np.linspace(0.0, 2.0 * np.pi, 96, endpoint=False)
    lon_rad = np.linspace(0.0, 2.0 * np.pi, 48, endpoint=False)
    lat_grid, lon_grid = np.meshgrid(np.arcsin(np.sin(inclination_rad) * np.sin(u_rad)), lon_rad)
    for height_m in (200.0 * KM, 400.0 * KM, 800.0 * KM):
        brute = msis_density_kgpm3(t, lat_grid.ravel(), lon_grid.ravel(), height_m, MODERATE)
        assert table.density_kgpm3(t.tt_s, height_m) == pytest.approx(brute.mean(), rel=0.01)


def test_table_against_msis_along_an_orbit_is_within_the_documented_error():
    # docs/atmosphere.md: at 250 km, 65 deg the table differs from NRLMSIS along the orbit by
    # at most 21 % RMS and 48 % at worst (diurnal bulge averaged out).
    t0 = Epoch.from_utc(2012, 3, 1)
    r_m, v_mps = elements_to_state(R_EARTH_M + 250.0 * KM, 0.0, 65.1 * DEG, 0.3, 1.0, 0.0)
    epochs = t0 + np.arange(0.0, 86400.0, 60.0)
    r_track_m, _ = J2Secular(t0, r_m, v_mps).states(epochs)
    lat_rad, lon_rad, height_m = subpoint(r_track_m, epochs)
    direct = msis_density_kgpm3(epochs, lat_rad, lon_rad, height_m, MODERATE)
    table = msis_table(t0, t0 + 86400.0, 65.1 * DEG, MODERATE)
    ratio = table.density_kgpm3(epochs.tt_s, height_m) / direct
    assert np.sqrt(np.mean((ratio - 1.0) ** 2)) < 0.21
    assert np.max(np.abs(ratio - 1.0)) < 0.48


def test_storm_time_table_follows_the_3_hourly_ap():
    # 2003-10-29: ap rose from 39 to 400 within the day (CelesTrak SW-All); with the 3-hourly
    # history (NRLMSIS switch 9 = -1) the 3-hour rows at 400 km rise through the day
    t = Epoch.from_utc(2003, 10, 29)
    table = msis_table(t, t + 86400.0, 51.6 * DEG, step_s=3 * 3600.0, storm_time=True)
    rho_400 = table.density_kgpm3(table.t0_tt_s + table.dt_s * np.arange(9), 400.0 * KM)
    assert rho_400[-1] > 1.5 * rho_400[0]
    assert np.max(np.diff(np.log(rho_400))) > 0.1  # a jump within hours, not a daily step


def test_table_is_finite_through_a_flare_day():
    # 2005-09-09's flare-contaminated F10.7 (707.6 sfu) makes NRLMSIS 2.1 return NaN unless
    # capped (SpaceWeather.msis_inputs)
    t = Epoch.from_utc(2005, 9, 8)
    assert np.all(np.isfinite(msis_table(t, t + 3 * 86400.0, 51.6 * DEG).log_rho))


def test_table_lookup_is_exact_for_a_plane_and_clamps_time():
    # log rho linear in t and h is reproduced exactly, extrapolated in h, clamped in t
    t_s = 1000.0 + 600.0 * np.arange(4)
    h_m = 80e3 + 5e3 * np.arange(6)
    plane = lambda t, h: -20.0 + 1e-5 * t - 1e-4 * h  # noqa: E731
    table = DensityTable(1000.0, 600.0, 80e3, 5e3, plane(t_s[:, None], h_m[None, :]))
    t_query = np.array([1000.0, 1234.5, 2799.0, 1500.0, 1500.0])
    h_query = np.array([80e3, 91e3, 104e3, 130e3, 60e3])
    np.testing.assert_allclose(table.log_rho_at(t_query, h_query), plane(t_query, h_query),
                               rtol=1e-13)
    assert table.log_rho_at(-5.0e4, 90e3) == pytest.approx(plane(1000.0, 90e3), rel=1e-13)
    assert table.log_rho_at(9.0e9, 90e3) == pytest.approx(plane(2800.0, 90e3), rel=1e-13)


RANDOM_TABLE = DensityTable(0.0, 3600.0, 80e3, 5e3,
                             np.random.default_rng(3).normal(-25.0, 3.0, size=(6, 9)))


@given(st.floats(0.0, 5 * 3600.0), st.floats(80e3, 120e3))
def test_lookup_stays_within_the_surrounding_nodes(t_s, h_m):
    # bilinear interpolation is a convex combination of the four nodes around the point
    i = min(int(t_s // 3600.0), 4)
    j = min(int((h_m - 80e3) // 5e3), 7)
    corners = RANDOM_TABLE.log_rho[i:i + 2, j:j + 2]
    value = RANDOM_TABLE.log_rho_at(t_s, h_m)
    assert corners.min() - 1e-9 <= value <= corners.max() + 1e-9


def test_numpy_lookup_agrees_with_the_force_kernel():
    t = Epoch.from_utc(2003, 10, 28)
    table = msis_table(t, t + 3 * 86400.0, 51.6 * DEG)
    kernel_table = check_density_table(table)  # the layout the integrator takes
    rng = np.random.default_rng(7)
    t_s = t.tt_s + rng.uniform(-1e4, 3.2 * 86400.0, 50)
    h_m = rng.uniform(60e3, 1100e3, 50)
    kernel = [log_density(ti, hi, *kernel_table) for ti, hi in zip(t_s, h_m, strict=True)]
    np.testing.assert_allclose(table.log_rho_at(t_s, h_m), kernel, rtol=1e-12)


def test_bad_table_requests_name_the_argument():
    t = Epoch.from_utc(2003, 10, 28)
    with pytest.raises(ValueError, match="stop"):
        msis_table(t, t - 1.0, 0.9)
    with pytest.raises(ValueError, match="inclination_rad"):
        msis_table(t, t + 1.0, 4.0)
    with pytest.raises(ValueError, match="lat"):
        msis_density_kgpm3(t, np.nan, 0.0, 400e3)
    assert atmosphere.MSIS_VERSION == 2.1
