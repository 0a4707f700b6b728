"""Station phasing for an arrival, the reachable leads it aims at, and launches in the plane."""

import math

import numpy as np
import pytest

from stationsim.astro.constants import DAY_S, GM_EARTH_M3PS2, R_EARTH_M
from stationsim.astro.elements import elements_to_state
from stationsim.astro.propagate import J2Secular
from stationsim.astro.time import Epoch
from stationsim.hardware.catalog import load_catalog
from stationsim.ops.insertion import insertion_spec
from stationsim.ops.launch import find_site, launch_windows, nearest_launch_window
from stationsim.ops.phasing import lead_inside, merged_intervals, plan_station_phasing
from stationsim.ops.rendezvous import (
    RendezvousError,
    get_profile,
    plan_rendezvous,
    reachable_leads,
)

T0 = Epoch.from_utc(1988, 6, 1)
ALTITUDE_M = 360e3


def _station(lead_deg: float) -> J2Secular:
    """A Mir-like 360 km, 51.6 deg station, its argument of latitude set by ``lead_deg``."""
    r_m, v_mps = elements_to_state(R_EARTH_M + ALTITUDE_M, 0.0005, math.radians(51.6), 1.0, 0.3,
                                   math.radians(lead_deg))
    return J2Secular(T0, r_m, v_mps)


def _first_window(station, site, profile, after: Epoch):
    return launch_windows(station, site, after, DAY_S,
                          insertion_spec(get_profile(profile).insertion))[0].in_plane


@pytest.mark.parametrize(("vehicle", "site", "profile", "day"), [
    ("soyuz-tm", "baikonur-site-1", "soyuz-two-day", None),
    ("atlantis", "ksc-lc-39a", "shuttle", 3),
])
def test_reachable_leads_predict_which_launches_the_planner_can_plan(vehicle, site, profile,
                                                                     day):
    # Independent check: the planner itself. For 24 station phases the lead at insertion is
    # inside the reachable intervals exactly when plan_rendezvous finds a plan (a lead within a
    # degree of an interval's end may go either way: the intervals come from a 401-point grid).
    catalog = load_catalog()
    site_, vehicle_ = find_site(site), catalog.vehicle(vehicle)
    outcomes = set()
    for k in range(24):
        station = _station(15.0 * k)
        launch = _first_window(station, site_, profile, T0)
        lead_rad, intervals_rad = reachable_leads(station, vehicle_, site_, launch, profile, day)
        edge_rad = np.min(np.abs(((lead_rad - intervals_rad + math.pi) % (2 * math.pi))
                                 - math.pi))
        try:
            plan_rendezvous(station, vehicle_, site_, launch, profile, day)
            planned = True
        except RendezvousError:
            planned = False
        if edge_rad > math.radians(1.0):
            assert lead_inside(lead_rad, intervals_rad) == planned, (k, math.degrees(lead_rad))
        outcomes.add(planned)
    assert outcomes == {True, False}  # the sweep meets both cases


def test_merged_intervals_join_overlaps_and_the_wrap():
    two_pi = 2 * math.pi
    merged = merged_intervals(np.array([[1.0, 2.0], [0.5, 1.5], [3.0, 4.0],
                                        [5.5, two_pi + 0.7]]))
    # [0.5, 2] and [3, 4] stand; [5.5, 2 pi + 0.7] swallows [0.5, 2] through the wrap
    np.testing.assert_allclose(merged, [[3.0, 4.0], [5.5, two_pi + 2.0]])
    assert merged_intervals(np.empty((0, 2))).shape == (0, 2)


def test_station_phasing_moves_an_unplannable_lead_into_the_schedule():
    # Ten days before a Soyuz launch whose lead the two-day profile cannot fly, the planned
    # Hohmann pair changes the station's altitude by the amount the linear phasing relation
    # gives (dn = -(3/2)(n/a) da, Vallado 4th ed. sec. 6.6) and the launch then docks on the
    # profile's 34th revolution.
    catalog = load_catalog()
    site, soyuz = find_site("baikonur-site-1"), catalog.vehicle("soyuz-tm")
    found = 0
    for lead_deg in range(0, 360, 10):
        station = _station(lead_deg)
        launch = _first_window(station, site, "soyuz-two-day", T0 + 10 * DAY_S)
        try:
            plan_rendezvous(station, soyuz, site, launch)
            continue
        except RendezvousError:
            pass
        phasing = plan_station_phasing(station, J2Secular, T0, soyuz, site, launch, None, None,
                                       ALTITUDE_M, (330e3, 390e3))
        assert phasing is not None
        r_m, v_mps = station.states(T0)
        v_mps = v_mps + phasing.dv1_mps * v_mps / np.linalg.norm(v_mps)
        second = T0 + phasing.transfer_s
        r_m, v_mps = J2Secular(T0, r_m, v_mps).states(second)
        v_mps = v_mps + phasing.dv2_mps * v_mps / np.linalg.norm(v_mps)
        plan = plan_rendezvous(J2Secular(second, r_m, v_mps), soyuz, site, launch)
        revolutions = float(plan.docking_epoch - plan.insertion_epoch) / 5400.0
        assert 32.0 < revolutions < 35.0
        shift_rad = (phasing.lead_after_rad - phasing.lead_before_rad + math.pi) % (
            2 * math.pi) - math.pi
        a_m = R_EARTH_M + ALTITUDE_M
        n_radps = math.sqrt(GM_EARTH_M3PS2 / a_m**3)
        linear_m = -shift_rad * a_m / (1.5 * n_radps * float(launch - T0))
        assert phasing.altitude_change_m == pytest.approx(linear_m, rel=0.1)
        found += 1
    assert found  # some leads of the sweep needed phasing


def test_station_phasing_refuses_to_leave_the_band():
    catalog = load_catalog()
    site, soyuz = find_site("baikonur-site-1"), catalog.vehicle("soyuz-tm")
    for lead_deg in range(0, 360, 10):
        station = _station(lead_deg)
        launch = _first_window(station, site, "soyuz-two-day", T0 + 10 * DAY_S)
        lead_rad, intervals_rad = reachable_leads(station, soyuz, site, launch)
        if not lead_inside(lead_rad, intervals_rad):
            with pytest.raises(RendezvousError, match="outside its band"):
                plan_station_phasing(station, J2Secular, T0, soyuz, site, launch, None, None,
                                     ALTITUDE_M, (ALTITUDE_M - 1.0, ALTITUDE_M + 1.0))
            return
    pytest.fail("no lead of the sweep needed phasing")


def test_nearest_launch_window_is_in_the_plane_and_nearest():
    # The window found for a time is the in-plane instant of the site closest to it: the one
    # from launch_windows over the surrounding day with the least |time difference|.
    station = _station(0.0)
    site = find_site("baikonur-site-1")
    spec = insertion_spec("soyuz")
    asked = T0 + 3.3 * DAY_S
    window = nearest_launch_window(station, site, asked, spec)
    around = launch_windows(station, site, asked - 0.5 * DAY_S, DAY_S, spec)
    best = min(around, key=lambda w: abs(float(w.in_plane - asked)))
    assert float(window.in_plane - best.in_plane) == pytest.approx(0.0, abs=1e-6)
    assert abs(float(window.in_plane - asked)) <= 0.5 * DAY_S
