"""Ground-station coverage: the visibility geometry against an independent horizon formula."""

import math

import numpy as np
import pytest

from stationsim.astro.constants import DAY_S, DEG, GM_EARTH_M3PS2, R_EARTH_M
from stationsim.astro.frames import gcrf_to_itrf_fast, geodetic_to_itrf
from stationsim.astro.propagate import TwoBody
from stationsim.astro.time import Epoch
from stationsim.ops.coverage import (
    MIN_ELEVATION_RAD,
    RUSSIAN_GROUND_STATIONS,
    coverage_intervals,
    covered_instants,
    in_view,
    last_covered_instants,
)

ALTITUDE_M = 400e3


def _above(site, epoch, central_angle_rad):
    """A circular orbit that passes ``central_angle_rad`` (great circle, toward the pole) from
    ``site`` at ``epoch``: its state there."""
    up = site.position_gcrf_m(epoch)
    radius_m = float(np.linalg.norm(up))
    up = up / radius_m
    north = np.array([0.0, 0.0, 1.0]) - up[2] * up
    north /= np.linalg.norm(north)
    r_hat = math.cos(central_angle_rad) * up + math.sin(central_angle_rad) * north
    r_m = r_hat * (radius_m + ALTITUDE_M)
    along = np.cross(r_hat, np.cross(up, north))
    v_mps = along / np.linalg.norm(along) * math.sqrt(GM_EARTH_M3PS2 / (radius_m + ALTITUDE_M))
    return TwoBody(epoch, r_m, v_mps)


@pytest.mark.parametrize("site", RUSSIAN_GROUND_STATIONS[:3], ids=lambda s: s.name)
def test_the_edge_of_view_is_the_horizon_circle(site):
    # the largest central angle seen above elevation e from a site at radius R of an orbit at
    # radius R + h: lambda = acos(R cos e / (R + h)) - e (Vallado 4th ed. sec. 11.4 / eq. 11-7
    # geometry, here on the site's own radius)
    epoch = Epoch.from_utc_iso("1995-11-15T06:00:00Z")
    radius_m = float(np.linalg.norm(site.position_gcrf_m(epoch)))
    edge_rad = math.acos(radius_m * math.cos(MIN_ELEVATION_RAD) / (radius_m + ALTITUDE_M)) \
        - MIN_ELEVATION_RAD
    inside = _above(site, epoch, edge_rad - 0.05 * DEG)
    outside = _above(site, epoch, edge_rad + 0.05 * DEG)
    assert in_view(inside, Epoch(np.array([epoch.tt_s])), (site,))[0]
    assert not in_view(outside, Epoch(np.array([epoch.tt_s])), (site,))[0]


def test_a_pass_overhead_lasts_as_the_horizon_circle_says():
    # an orbit straight over the site stays in view for 2 lambda / n (two-body)
    site = RUSSIAN_GROUND_STATIONS[0]
    epoch = Epoch.from_utc_iso("1995-11-15T06:00:00Z")
    station = _above(site, epoch, 0.0)
    intervals = coverage_intervals(station, epoch.tt_s - 900.0, epoch.tt_s + 900.0, (site,))
    assert intervals.shape == (1, 2)
    radius_m = float(np.linalg.norm(site.position_gcrf_m(epoch)))
    edge_rad = math.acos(radius_m * math.cos(MIN_ELEVATION_RAD) / (radius_m + ALTITUDE_M)) \
        - MIN_ELEVATION_RAD
    n_radps = math.sqrt(GM_EARTH_M3PS2 / (radius_m + ALTITUDE_M) ** 3)
    # the Earth turns under the pass: the site moves ~0.3 deg across the track in 5 min,
    # a second order change of the chord; 30 s covers it and the 10-s sampling
    assert intervals[0, 1] - intervals[0, 0] == pytest.approx(2 * edge_rad / n_radps, abs=30.0)


def test_covered_instants_keep_the_final_leg_in_view():
    intervals = np.array([[100.0, 400.0], [1000.0, 1600.0]])
    assert list(covered_instants(intervals, 0.0, 5000.0, 60.0)) == [160.0, 1060.0]  # AOS + leg
    assert list(covered_instants(intervals, 300.0, 5000.0, 60.0)) == [300.0, 1060.0]
    assert list(covered_instants(intervals, 380.0, 5000.0, 60.0)) == [380.0, 1060.0]
    assert list(covered_instants(intervals, 401.0, 5000.0, 60.0)) == [1060.0]  # the next pass
    assert list(covered_instants(intervals, 401.0, 1050.0, 60.0)) == []


def test_last_covered_instants_leave_the_hard_mate_in_view():
    # passes [100, 400] and [1000, 1600]: the last t with [t - 60, t + 120] inside each
    intervals = np.array([[100.0, 400.0], [1000.0, 1600.0]])
    found = last_covered_instants(intervals, np.array([0.0, 0.0, 1300.0, 0.0]),
                                  np.array([5000.0, 250.0, 1400.0, 150.0]), 60.0, 120.0)
    assert found[0].tolist() == [280.0, 1480.0]  # LOS - 120 s
    assert found[1, 0] == 250.0 and np.isnan(found[1, 1])  # the window closes first
    assert np.isnan(found[2, 0]) and found[2, 1] == 1400.0
    assert np.isnan(found[3]).all()  # 150 s: before AOS + 60 s of the first pass
    # a pass too short for the final leg and the hard mate together has none
    assert np.isnan(last_covered_instants(np.array([[0.0, 150.0]]), np.array([0.0]),
                                          np.array([1e4]), 60.0, 120.0)).all()


@pytest.mark.parametrize(("altitude_m", "years_from_j2000"), [(400e3, -4.1), (2000e3, 290.0)])
def test_the_screens_drop_only_epochs_out_of_view(altitude_m, years_from_j2000):
    # in_view tests only the epochs within the sites' band of latitude and above a site's
    # horizontal plane; the elevation's definition tested at every epoch and every site must
    # give the same answer: a LEO day in 1995, and a 2,000 km orbit (a horizon 40 deg wide)
    # three centuries on, where precession has moved the pole 1.6 deg from GCRF's z axis
    epoch = Epoch(years_from_j2000 * 365.25 * DAY_S)
    radius_m = R_EARTH_M + altitude_m
    speed_mps = math.sqrt(GM_EARTH_M3PS2 / radius_m)
    inclination_rad = 51.6 * DEG
    station = TwoBody(epoch, [radius_m, 0.0, 0.0], [0.0, speed_mps * math.cos(inclination_rad),
                                                   speed_mps * math.sin(inclination_rad)])
    epochs = Epoch(epoch.tt_s + np.arange(0.0, DAY_S, 10.0))
    r_itrf_m = gcrf_to_itrf_fast(station.states(epochs)[0], epochs)
    sites_m = np.array([geodetic_to_itrf(site.latitude_rad, site.longitude_rad, 0.0)
                        for site in RUSSIAN_GROUND_STATIONS])[:, None, :]
    line_m = r_itrf_m[None, :, :] - sites_m
    sine = np.sum(line_m * sites_m, axis=-1) / (
        np.linalg.norm(line_m, axis=-1) * np.linalg.norm(sites_m, axis=-1))
    expected = np.any(sine >= math.sin(MIN_ELEVATION_RAD), axis=0)
    assert 0 < expected.sum() < expected.size
    assert np.array_equal(in_view(station, epochs), expected)
