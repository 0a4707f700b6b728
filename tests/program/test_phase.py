"""The station's phase at a launch: the profile's reach, and the along-track shift assumed
where no tracking told the model where the station was."""

import math

import numpy as np
import pytest

from stationsim.astro.constants import DAY_S, GM_EARTH_M3PS2, R_EARTH_M
from stationsim.astro.elements import elements_to_state, state_to_elements
from stationsim.astro.propagate import J2Secular, OrbitState
from stationsim.astro.time import Epoch
from stationsim.hardware.catalog import load_catalog
from stationsim.ops.insertion import insertion_spec
from stationsim.ops.launch import find_site, launch_windows
from stationsim.ops.rendezvous import (
    RendezvousError,
    get_profile,
    plan_rendezvous,
    reachable_leads,
)
from stationsim.program.phase import (
    candidate_shifts_rad,
    lead_inside,
    merged_intervals,
    shifted_along_track,
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


def test_candidate_shifts_go_the_short_way_a_margin_inside_nearest_first():
    intervals = np.radians([[40.0, 200.0], [250.0, 300.0]])
    margin = math.radians(5.0)

    def shifts(lead_deg):
        return np.degrees(candidate_shifts_rad(math.radians(lead_deg), intervals, margin))

    # 30 deg: the targets 45, 195, 120 (the middle) and 255, 295, 275 are 15, 165, 90 and
    # -135, -95, -115 deg away (the short way round), taken nearest first
    np.testing.assert_allclose(shifts(30.0), [15.0, 90.0, -95.0, -115.0, -135.0, 165.0])
    # 220 deg: 25 deg back to 195, 35 on to 255
    np.testing.assert_allclose(shifts(220.0)[:2], [-25.0, 35.0])
    # through the wrap: 350 deg is 55 short of 45 and 55 past 295, either first
    assert abs(shifts(350.0)[0]) == pytest.approx(55.0)
    assert candidate_shifts_rad(1.0, np.empty((0, 2)), margin).size == 0


def test_along_track_shift_keeps_the_orbit_and_moves_only_the_phase():
    # The shifted state lies on the same osculating ellipse (a, e, i, node, perigee to
    # round-off) with its mean anomaly moved by the shift (Kepler's equation, Vallado 4th ed.
    # Alg. 2), at the same epoch.
    a_m, e = R_EARTH_M + 390e3, 0.0008
    r_m, v_mps = elements_to_state(a_m, e, math.radians(51.6), 2.0, 1.0, 0.4)
    state = OrbitState(T0, np.asarray(r_m), np.asarray(v_mps))
    shift_rad = math.radians(-37.0)
    moved = shifted_along_track(state, shift_rad)
    before = state_to_elements(state.r_m, state.v_mps)
    after = state_to_elements(moved.r_m, moved.v_mps)
    assert moved.epoch.tt_s == T0.tt_s
    assert float(after.a_m) == pytest.approx(float(before.a_m), abs=1e-3)  # 1 mm
    for name in ("e", "i_rad", "raan_rad", "argp_rad"):
        assert float(getattr(after, name)) == pytest.approx(float(getattr(before, name)),
                                                            abs=1e-9)

    def mean_anomaly(nu_rad):
        big_e = 2.0 * math.atan(math.sqrt((1 - e) / (1 + e)) * math.tan(nu_rad / 2.0))
        return big_e - e * math.sin(big_e)

    moved_rad = mean_anomaly(float(after.nu_rad)) - mean_anomaly(float(before.nu_rad))
    assert (moved_rad - shift_rad + math.pi) % (2 * math.pi) - math.pi == pytest.approx(
        0.0, abs=1e-9)
    energy = [float(s.v_mps @ s.v_mps) / 2 - GM_EARTH_M3PS2 / np.linalg.norm(s.r_m)
              for s in (state, moved)]
    assert energy[1] == pytest.approx(energy[0], rel=1e-12)
