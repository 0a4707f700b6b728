"""Frames: GCRF/ITRF/TEME against Vallado's published examples, geodetic, subpoint, LVLH."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stationsim.astro.constants import (
    DEG,
    GM_EARTH_M3PS2,
    KM,
    OMEGA_EARTH_RADPS,
    R_EARTH_M,
    WGS84_E2,
)
from stationsim.astro.frames import (
    gcrf_to_itrf,
    geodetic_to_itrf,
    inertial_to_lvlh,
    itrf_to_gcrf,
    itrf_to_geodetic,
    lvlh_matrix,
    lvlh_to_inertial,
    subpoint,
    teme_to_gcrf,
)
from stationsim.astro.time import Epoch

ARCSEC_RAD = DEG / 3600.0

# Vallado, Fundamentals of Astrodynamics and Applications, 4th ed., Example 3-15 (and
# Vallado et al. 2006, AIAA 2006-6753): 2004-04-06 07:51:28.386009 UTC with IERS EOP.
VALLADO_EPOCH = Epoch.from_utc(2004, 4, 6, 7, 51, 28.386009)
VALLADO_DUT1_S = -0.4399619
VALLADO_XP_RAD = -0.140682 * ARCSEC_RAD
VALLADO_YP_RAD = 0.333309 * ARCSEC_RAD
R_ITRF_M = np.array([-1033.4793830, 7901.2952754, 6380.3565958]) * KM
V_ITRF_MPS = np.array([-3.225636520, -2.872451450, 5.531924446]) * KM
R_GCRF_M = np.array([5102.508958, 6123.011401, 6378.136928]) * KM  # IAU-2006/2000 CIO based
V_GCRF_MPS = np.array([-4.743220156, 0.790536497, 5.533755728]) * KM
# AIAA 2006-6753 TEME example and its reduction to J2000 with EOP corrections
R_TEME_M = np.array([5094.18016210, 6127.64465950, 6380.34453270]) * KM
V_TEME_MPS = np.array([-4.746131487, 0.785818041, 5.531931288]) * KM
R_TEME_TO_J2000_M = np.array([5102.50895290, 6123.01139910, 6378.13693380]) * KM
V_TEME_TO_J2000_MPS = np.array([-4.743220161, 0.790536495, 5.533755724]) * KM

# We ignore dX, dY (-0.205, -0.136 mas here: 7.6 mm at |r| = 10 200 km) and the printed
# values carry 0.5 mm: 1.5 cm. Vallado's Earth rate includes LOD = 1.5563 ms: omega differs by
# 1.3e-12 rad/s, 1.3e-5 m/s at 10 200 km.
POSITION_TOLERANCE_M = 0.015
VELOCITY_TOLERANCE_MPS = 2e-5


def _norm(vector) -> float:
    return float(np.linalg.norm(vector))


# --- GCRF <-> ITRF -----------------------------------------------------------------------
def test_itrf_to_gcrf_vallado_example_3_15_with_polar_motion():
    r_m, v_mps = itrf_to_gcrf(R_ITRF_M, V_ITRF_MPS, VALLADO_EPOCH, VALLADO_DUT1_S,
                              VALLADO_XP_RAD, VALLADO_YP_RAD)
    assert _norm(r_m - R_GCRF_M) < POSITION_TOLERANCE_M
    assert _norm(v_mps - V_GCRF_MPS) < VELOCITY_TOLERANCE_MPS


def test_gcrf_to_itrf_vallado_example_3_15_with_polar_motion():
    r_m, v_mps = gcrf_to_itrf(R_GCRF_M, V_GCRF_MPS, VALLADO_EPOCH, VALLADO_DUT1_S,
                              VALLADO_XP_RAD, VALLADO_YP_RAD)
    assert _norm(r_m - R_ITRF_M) < POSITION_TOLERANCE_M
    assert _norm(v_mps - V_ITRF_MPS) < VELOCITY_TOLERANCE_MPS


def test_zero_polar_motion_costs_what_the_pole_offset_predicts():
    # Dropping W tilts the frame by at most |(xp, yp)| = 0.362 arcsec: 17.9 m at 10 200 km
    # and the same angle times |v| (1.3 cm/s) in velocity.
    r_m, v_mps = itrf_to_gcrf(R_ITRF_M, V_ITRF_MPS, VALLADO_EPOCH, VALLADO_DUT1_S)
    pole_rad = math.hypot(VALLADO_XP_RAD, VALLADO_YP_RAD)
    assert _norm(r_m - R_GCRF_M) < pole_rad * _norm(R_ITRF_M) + POSITION_TOLERANCE_M
    assert _norm(r_m - R_GCRF_M) > 5.0  # and polar motion is not negligible
    assert _norm(v_mps - V_GCRF_MPS) < pole_rad * _norm(V_GCRF_MPS) + VELOCITY_TOLERANCE_MPS


_EPOCHS_S = st.floats(-1.2e9, 1.5e9)  # 1962 to 2047
_COMPONENTS_M = st.floats(-4.5e7, 4.5e7)
_COMPONENTS_MPS = st.floats(-1.1e4, 1.1e4)


@given(st.tuples(_COMPONENTS_M, _COMPONENTS_M, _COMPONENTS_M),
       st.tuples(_COMPONENTS_MPS, _COMPONENTS_MPS, _COMPONENTS_MPS),
       _EPOCHS_S, st.floats(-0.9, 0.9))
def test_gcrf_itrf_round_trip(r_gcrf_m, v_gcrf_mps, tt_s, dut1_s):
    epoch = Epoch(tt_s)
    r_itrf_m, v_itrf_mps = gcrf_to_itrf(r_gcrf_m, v_gcrf_mps, epoch, dut1_s)
    r_back_m, v_back_mps = itrf_to_gcrf(r_itrf_m, v_itrf_mps, epoch, dut1_s)
    assert _norm(r_back_m - np.array(r_gcrf_m)) < 1e-3  # 1 mm
    assert _norm(v_back_mps - np.array(v_gcrf_mps)) < 1e-6  # 1 um/s


def test_gcrf_to_itrf_vectorised_rows_match_single_calls():
    epochs = VALLADO_EPOCH + np.array([0.0, 3600.0, 86400.0 * 30])
    r_m = np.array([R_GCRF_M, 1.1 * R_GCRF_M, -R_GCRF_M])
    v_mps = np.array([V_GCRF_MPS, 0.9 * V_GCRF_MPS, V_GCRF_MPS])
    r_all_m, v_all_mps = gcrf_to_itrf(r_m, v_mps, epochs, VALLADO_DUT1_S)
    for row in range(3):
        r_one_m, v_one_mps = gcrf_to_itrf(r_m[row], v_mps[row], epochs[row], VALLADO_DUT1_S)
        np.testing.assert_allclose(r_all_m[row], r_one_m, rtol=0, atol=1e-6)
        np.testing.assert_allclose(v_all_mps[row], v_one_mps, rtol=0, atol=1e-9)


def test_ground_site_in_gcrf_moves_at_earth_rate():
    # a site on the equator at zero height moves at omega * a in GCRF
    r_site_m = geodetic_to_itrf(0.0, 0.0, 0.0)
    _, v_gcrf_mps = itrf_to_gcrf(r_site_m, np.zeros(3), VALLADO_EPOCH)
    assert _norm(v_gcrf_mps) == pytest.approx(OMEGA_EARTH_RADPS * R_EARTH_M, abs=1e-3)


# --- TEME -> GCRF ------------------------------------------------------------------------
def test_teme_to_gcrf_vallado_2006_example():
    # AIAA 2006-6753 (Vallado, Crawford, Hujsak, Kelso), TEME example, reduced to J2000
    r_m, v_mps = teme_to_gcrf(R_TEME_M, V_TEME_MPS, VALLADO_EPOCH, VALLADO_DUT1_S)
    assert _norm(r_m - R_TEME_TO_J2000_M) < POSITION_TOLERANCE_M
    assert _norm(v_mps - V_TEME_TO_J2000_MPS) < VELOCITY_TOLERANCE_MPS


def test_teme_to_gcrf_then_itrf_matches_gmst_rotation_and_vallado_itrf():
    # Consistency route: TEME -> PEF is a rotation by GMST82 (AIAA 2006-6753 eq. 1); with
    # zero polar motion PEF = ITRF, so GCRF -> ITRF must give the same vector.
    import erfa

    r_gcrf_m, v_gcrf_mps = teme_to_gcrf(R_TEME_M, V_TEME_MPS, VALLADO_EPOCH, VALLADO_DUT1_S)
    r_itrf_m, _ = gcrf_to_itrf(r_gcrf_m, v_gcrf_mps, VALLADO_EPOCH, VALLADO_DUT1_S)
    gmst_rad = erfa.gmst82(*VALLADO_EPOCH.ut1_jd(VALLADO_DUT1_S))
    c, s = math.cos(gmst_rad), math.sin(gmst_rad)
    r_pef_m = np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]]) @ R_TEME_M
    assert _norm(r_itrf_m - r_pef_m) < 1e-3
    # and with Vallado's pole it lands on the example's ITRF position
    r_itrf_pole_m, _ = gcrf_to_itrf(r_gcrf_m, v_gcrf_mps, VALLADO_EPOCH, VALLADO_DUT1_S,
                                    VALLADO_XP_RAD, VALLADO_YP_RAD)
    assert _norm(r_itrf_pole_m - R_ITRF_M) < POSITION_TOLERANCE_M


# --- geodetic ----------------------------------------------------------------------------
def test_itrf_to_geodetic_vallado_example_3_3():
    # Vallado 4th ed. Example 3-3: r = (6524.834, 6862.875, 6448.296) km ->
    # phi_gd = 34.352496 deg, lambda = 46.4464 deg, h_ellp = 5085.22 km (printed precision;
    # the latitude comes from an iteration, 1e-5 deg is 1 m on the ground)
    lat_rad, lon_rad, height_m = itrf_to_geodetic(np.array([6524.834, 6862.875, 6448.296]) * KM)
    assert lat_rad / DEG == pytest.approx(34.352496, abs=1e-5)
    assert lon_rad / DEG == pytest.approx(46.4464, abs=5e-5)
    assert height_m == pytest.approx(5085.22 * KM, abs=5.0)


_LATITUDES_RAD = st.floats(-math.pi / 2, math.pi / 2)
_LONGITUDES_RAD = st.floats(-math.pi, math.pi)
_HEIGHTS_M = st.floats(-1.0e4, 4.0e8)  # from below sea level to the Moon's distance


@given(_LATITUDES_RAD, _LONGITUDES_RAD, _HEIGHTS_M)
def test_geodetic_to_itrf_matches_closed_form(lat_rad, lon_rad, height_m):
    # NIMA TR8350.2 eq. 4-14, written out independently here
    n_m = R_EARTH_M / math.sqrt(1.0 - WGS84_E2 * math.sin(lat_rad) ** 2)
    expected_m = np.array([
        (n_m + height_m) * math.cos(lat_rad) * math.cos(lon_rad),
        (n_m + height_m) * math.cos(lat_rad) * math.sin(lon_rad),
        (n_m * (1.0 - WGS84_E2) + height_m) * math.sin(lat_rad),
    ])
    assert _norm(geodetic_to_itrf(lat_rad, lon_rad, height_m) - expected_m) < 1e-6


@given(_LATITUDES_RAD, st.floats(-math.pi * 0.999, math.pi * 0.999), _HEIGHTS_M)
# ERFA's gc2gde alone came back 2.2e-11 rad (1.0 mm) off at this point above geostationary height
@example(0.9375, 0.0, 38_687_829.0)
def test_geodetic_round_trip(lat_rad, lon_rad, height_m):
    lat_back_rad, lon_back_rad, height_back_m = itrf_to_geodetic(
        geodetic_to_itrf(lat_rad, lon_rad, height_m)
    )
    # 10 micrometres at the point: two orders inside the millimetre the simulator needs, and
    # well above the ~1e-16 relative rounding of float64 at the Moon's distance (40 nm)
    ten_micrometres_rad = 1e-5 / (R_EARTH_M + max(height_m, 0.0))
    assert lat_back_rad == pytest.approx(lat_rad, abs=ten_micrometres_rad)
    if abs(lat_rad) < math.pi / 2 - 1e-6:  # longitude is undefined at the poles
        assert lon_back_rad == pytest.approx(lon_rad, abs=ten_micrometres_rad)
    assert height_back_m == pytest.approx(height_m, abs=1e-5)


def test_geodetic_vectorised():
    lat_rad = np.array([0.0, 45.0, -89.0]) * DEG
    lon_rad = np.array([10.0, -120.0, 179.0]) * DEG
    r_m = geodetic_to_itrf(lat_rad, lon_rad, 400e3)
    assert r_m.shape == (3, 3)
    lat_back_rad, lon_back_rad, height_back_m = itrf_to_geodetic(r_m)
    np.testing.assert_allclose(lat_back_rad, lat_rad, atol=1e-12)
    np.testing.assert_allclose(lon_back_rad, lon_rad, atol=1e-12)
    np.testing.assert_allclose(height_back_m, 400e3, atol=1e-6)


# --- subpoint / ground track ---------------------------------------------------------------
def test_subpoint_of_a_ground_site_stays_put_over_a_day():
    epochs = Epoch.linspace(VALLADO_EPOCH, VALLADO_EPOCH + 86400.0, 25)
    r_site_itrf_m = geodetic_to_itrf(28.5 * DEG, -80.6 * DEG, 10.0)
    r_site_gcrf_m, _ = itrf_to_gcrf(r_site_itrf_m, np.zeros(3), epochs, VALLADO_DUT1_S)
    assert r_site_gcrf_m.shape == (25, 3)
    lat_rad, lon_rad, height_m = subpoint(r_site_gcrf_m, epochs, VALLADO_DUT1_S)
    np.testing.assert_allclose(lat_rad, 28.5 * DEG, atol=1e-12)
    np.testing.assert_allclose(lon_rad, -80.6 * DEG, atol=1e-12)
    np.testing.assert_allclose(height_m, 10.0, atol=1e-6)


def test_ground_track_reaches_the_inclination():
    # circular orbit, 400 km, i = 51.64 deg: geocentric latitude peaks at i; geodetic
    # latitude exceeds geocentric by at most ~0.19 deg (WGS-84 flattening, at 45 deg)
    inclination_rad = 51.64 * DEG
    radius_m = R_EARTH_M + 400e3
    period_s = 2 * math.pi * math.sqrt(radius_m**3 / GM_EARTH_M3PS2)
    elapsed_s = np.linspace(0.0, period_s, 2001)
    u_rad = 2 * math.pi * elapsed_s / period_s
    r_gcrf_m = radius_m * np.stack([
        np.cos(u_rad),
        np.sin(u_rad) * math.cos(inclination_rad),
        np.sin(u_rad) * math.sin(inclination_rad),
    ], axis=-1)
    lat_rad, _, altitude_m = subpoint(r_gcrf_m, VALLADO_EPOCH + elapsed_s)
    assert inclination_rad < lat_rad.max() < inclination_rad + 0.19 * DEG
    assert altitude_m.min() == pytest.approx(400e3, abs=100.0)
    # the ellipsoid's radius drops by ~21.4 km * sin^2(lat) toward the poles
    polar_drop_m = 21.4e3 * math.sin(inclination_rad) ** 2
    assert altitude_m.max() == pytest.approx(400e3 + polar_drop_m, abs=1e3)


# --- argument checking ---------------------------------------------------------------------
def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="r_gcrf_m"):
        gcrf_to_itrf([1.0, np.nan, 0.0], V_GCRF_MPS, VALLADO_EPOCH)
    with pytest.raises(ValueError, match="v_gcrf_mps"):
        gcrf_to_itrf(R_GCRF_M, [1.0, 2.0], VALLADO_EPOCH)
    with pytest.raises(ValueError, match="same shape"):
        gcrf_to_itrf(np.ones((2, 3)), np.ones((3, 3)), VALLADO_EPOCH)
    with pytest.raises(ValueError, match="epoch of shape"):
        gcrf_to_itrf(np.ones((2, 3)), np.ones((2, 3)), VALLADO_EPOCH + np.zeros(3))
    with pytest.raises(ValueError, match="epoch must be an Epoch"):
        teme_to_gcrf(R_TEME_M, V_TEME_MPS, 0.0)
    with pytest.raises(ValueError, match="dut1_s"):
        itrf_to_gcrf(R_ITRF_M, V_ITRF_MPS, VALLADO_EPOCH, dut1_s=-439.9)  # milliseconds
    with pytest.raises(ValueError, match="xp_rad"):
        itrf_to_gcrf(R_ITRF_M, V_ITRF_MPS, VALLADO_EPOCH, xp_rad=-0.140682)  # arcseconds
    with pytest.raises(ValueError, match="lat_rad"):
        geodetic_to_itrf(91.0 * DEG, 0.0, 0.0)
    with pytest.raises(ValueError, match="height_m"):
        geodetic_to_itrf(0.0, 0.0, np.inf)
    with pytest.raises(ValueError, match="r_itrf_m"):
        itrf_to_geodetic(np.zeros(3))


# --- LVLH ----------------------------------------------------------------------------------
def _circular_state(radius_m: float, inclination_rad: float, u_rad: float):
    speed_mps = math.sqrt(GM_EARTH_M3PS2 / radius_m)
    ci, si = math.cos(inclination_rad), math.sin(inclination_rad)
    r_m = radius_m * np.array([math.cos(u_rad), math.sin(u_rad) * ci, math.sin(u_rad) * si])
    v_mps = speed_mps * np.array([-math.sin(u_rad), math.cos(u_rad) * ci, math.cos(u_rad) * si])
    return r_m, v_mps


_VECTORS_M = st.tuples(*[st.floats(-1e7, 1e7)] * 3).filter(lambda r: np.linalg.norm(r) > 1e5)
_VECTORS_MPS = st.tuples(*[st.floats(-1e4, 1e4)] * 3)


@given(_VECTORS_M, _VECTORS_MPS)
def test_lvlh_matrix_is_a_proper_rotation(r_m, v_mps):
    r = np.array(r_m)
    v = np.array(v_mps)
    h = np.cross(r, v)
    if np.linalg.norm(h) < 1e-3 * np.linalg.norm(r) * max(np.linalg.norm(v), 1.0):
        return  # radial motion: the orbit plane is undefined
    matrix = lvlh_matrix(r, v)
    np.testing.assert_allclose(matrix @ matrix.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(matrix) == pytest.approx(1.0, abs=1e-12)
    # +z points to the Earth's centre, +y against the angular momentum
    np.testing.assert_allclose(matrix[2], -r / np.linalg.norm(r), atol=1e-12)
    np.testing.assert_allclose(matrix[1], -h / np.linalg.norm(h), atol=1e-12)


@given(_VECTORS_M, _VECTORS_MPS, st.tuples(*[st.floats(-1e4, 1e4)] * 3),
       st.tuples(*[st.floats(-10.0, 10.0)] * 3))
def test_inertial_lvlh_round_trip(r_m, v_mps, rho_m, rho_dot_mps):
    if np.linalg.norm(np.cross(r_m, v_mps)) < 1e-3 * np.linalg.norm(r_m) * max(
        np.linalg.norm(v_mps), 1.0
    ):
        return
    r_c_m, v_c_mps = lvlh_to_inertial(r_m, v_mps, rho_m, rho_dot_mps)
    rho_back_m, rho_dot_back_mps = inertial_to_lvlh(r_m, v_mps, r_c_m, v_c_mps)
    np.testing.assert_allclose(rho_back_m, rho_m, atol=1e-6)
    np.testing.assert_allclose(rho_dot_back_mps, rho_dot_mps, atol=1e-9)


def test_chaser_ahead_on_the_same_orbit_is_at_plus_x_and_at_rest():
    radius_m = R_EARTH_M + 400e3
    r_t_m, v_t_mps = _circular_state(radius_m, 51.6 * DEG, 0.3)
    r_c_m, v_c_mps = _circular_state(radius_m, 51.6 * DEG, 0.3 + 100.0 / radius_m)
    rho_m, rho_dot_mps = inertial_to_lvlh(r_t_m, v_t_mps, r_c_m, v_c_mps)
    # chord of a 100 m arc: x = r sin(theta) ~ 100 m, z = r (1 - cos theta) ~ +0.74 mm (down)
    assert rho_m[0] == pytest.approx(100.0, abs=1e-6)
    assert abs(rho_m[1]) < 1e-6
    assert rho_m[2] == pytest.approx(100.0**2 / (2 * radius_m), abs=1e-6)
    np.testing.assert_allclose(rho_dot_mps, 0.0, atol=1e-9)  # co-orbiting: at rest in LVLH


def test_lvlh_refuses_radial_motion():
    with pytest.raises(ValueError, match="parallel"):
        lvlh_matrix([7e6, 0.0, 0.0], [100.0, 0.0, 0.0])


def test_lvlh_vectorised():
    states = [_circular_state(R_EARTH_M + 400e3, 51.6 * DEG, u) for u in (0.0, 1.0, 2.0)]
    r_t_m = np.array([s[0] for s in states])
    v_t_mps = np.array([s[1] for s in states])
    matrices = lvlh_matrix(r_t_m, v_t_mps)
    assert matrices.shape == (3, 3, 3)
    np.testing.assert_allclose(matrices[1], lvlh_matrix(r_t_m[1], v_t_mps[1]))


def test_fast_site_rotation_agrees_with_the_precise_one():
    # itrf_to_gcrf_fast (IAU 2000B every 6 h, interpolated) against itrf_to_gcrf (IAU 2006/2000A)
    # for a point on the equator over two days across the 2016-12-31 leap second: its docstring
    # promises 1.5 mas, 5 cm at the surface.
    from stationsim.astro.frames import itrf_to_gcrf, itrf_to_gcrf_fast

    epochs = Epoch.from_utc(2016, 12, 30) + np.linspace(0.0, 2 * 86400.0, 97)
    site = np.broadcast_to([6378137.0, 0.0, 0.0], (97, 3))
    precise, _ = itrf_to_gcrf(site, np.zeros_like(site), epochs)
    fast = itrf_to_gcrf_fast(site, epochs)
    assert np.max(np.linalg.norm(fast - precise, axis=-1)) < 0.05


def test_fast_earth_fixed_positions_agree_with_the_precise_ones():
    # gcrf_to_itrf_fast inverts itrf_to_gcrf_fast; against gcrf_to_itrf (IAU 2006/2000A) a LEO
    # position over two days across the 2016-12-31 leap second: 1.5 mas, 5 cm at 6800 km.
    from stationsim.astro.frames import gcrf_to_itrf, gcrf_to_itrf_fast

    epochs = Epoch.from_utc(2016, 12, 30) + np.linspace(0.0, 2 * 86400.0, 97)
    r_gcrf_m = np.broadcast_to([4000e3, -3000e3, 4600e3], (97, 3))
    precise, _ = gcrf_to_itrf(r_gcrf_m, np.zeros_like(r_gcrf_m), epochs)
    fast = gcrf_to_itrf_fast(r_gcrf_m, epochs)
    assert np.max(np.linalg.norm(fast - precise, axis=-1)) < 0.05
