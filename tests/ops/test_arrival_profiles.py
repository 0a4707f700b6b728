"""The module and later-vehicle profiles: Moscow calendar days, elapsed-time windows, holds."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from stationsim.astro.time import Epoch
from stationsim.ops.insertion import insertion_spec
from stationsim.ops.launch import nearest_launch_window
from stationsim.ops.rendezvous import PROFILES, fly_plan, get_profile, plan_rendezvous
from stationsim.ops.schedules import (
    MOSCOW_DECREE_UTC_OFFSET_S,
    ElapsedSchedule,
    calendar_day_left_s,
)

MOSCOW = dt.timezone(dt.timedelta(hours=3))


def test_calendar_day_left_counts_to_moscow_midnight():
    # Kvant-1's lift-off, 1987-03-31T00:06:16Z (mir_modules.csv) = 03:06:16 Moscow decree time:
    # 20 h 53 min 44 s of that day are left
    launch_s = Epoch.from_utc_iso("1987-03-31T00:06:16Z").tt_s
    assert calendar_day_left_s(launch_s, MOSCOW_DECREE_UTC_OFFSET_S) == pytest.approx(
        20 * 3600 + 53 * 60 + 44, abs=1e-3)
    # across the leap second at the end of 1997-06-30 UTC (IERS Bulletin C 13): Moscow's day
    # 1997-07-01 runs from 06-30T21:00Z to 07-01T21:00Z, one SI second longer than 24 h
    t_s = Epoch.from_utc_iso("1997-06-30T21:30:00Z").tt_s
    assert calendar_day_left_s(t_s, MOSCOW_DECREE_UTC_OFFSET_S) == pytest.approx(
        23.5 * 3600 + 1.0, abs=1e-3)


def test_elapsed_schedule_rejects_an_empty_window():
    with pytest.raises(ValueError, match="first_s < last_s"):
        ElapsedSchedule(10.0, 5.0)


def test_elapsed_schedule_tries_later_windows_of_its_own_length_in_order():
    # Crew Dragon's 19-27 h class and the next day (rendezvous_rules.csv; CBS News, CRS-27):
    # 27-35, 35-43 and 43-51 h after insertion, each tried only where the one before has no plan
    hour = 3600.0
    windows = list(ElapsedSchedule(19 * hour, 27 * hour, longer_s=24 * hour)
                   .windows(1000.0, 5500.0, None))
    assert [(round((o - 1000.0) / hour, 6), round((c - 1000.0) / hour, 6))
            for _, o, _, c in windows] == [(19, 27), (27, 35), (35, 43), (43, 51)]
    # a longer span that is not a whole number of windows ends where it says
    last = list(ElapsedSchedule(0.0, 10.0, longer_s=25.0).windows(0.0, 1.0, None))[-1]
    assert last[1:] == (30.0, 35.0, 35.0)


def _in_plane(station, site, utc, profile):
    spec = insertion_spec(get_profile(profile).insertion)
    return nearest_launch_window(station, site, Epoch.from_utc_iso(utc), spec).in_plane


@pytest.mark.parametrize("day", [4, 7, 13])
def test_a_77k_module_docks_on_its_planned_moscow_day(mir, catalog, numerical, day):
    site = catalog.site("baikonur-site-81")
    launch = _in_plane(mir, site, "1995-11-12T06:00:00Z", "mir-77k")
    plan = plan_rendezvous(mir, catalog.vehicle("progress-m"), site, launch,
                           profile="mir-77k", docking_flight_day=day)
    # the day computed independently: Moscow decree time (UTC+3) dates, the launch date day 1
    launch_utc = dt.datetime.fromisoformat(launch.utc_iso(0).replace("Z", "+00:00"))
    opens = dt.datetime.combine(launch_utc.astimezone(MOSCOW).date(), dt.time(),
                                MOSCOW) + dt.timedelta(days=day - 1)
    docked = dt.datetime.fromisoformat(plan.docking_epoch.utc_iso(0).replace("Z", "+00:00"))
    assert opens <= docked < opens + dt.timedelta(days=1)  # within the day, to 1 s (no leap)
    assert plan.docking_flight_day == day
    assert [b.name for b in plan.burns][:2] == ["DV1", "DV2"]
    if day == 4:  # re-flown in DOP853 with J2..J6, the rules reach the aim point (< 1 m)
        miss_m, _ = fly_plan(plan, mir, numerical)
        assert float(np.linalg.norm(miss_m)) < 1.0


# A plan's written docking day on a flight-day profile of 24 h days from launch: ATV-1's day 26
# (launch 2008-03-09, docking planned for 3 April: its three weeks in a parking orbit, past the
# atv profile's latest day 9) and HTV-2's day 6 (launch 2011-01-22, berthing planned for 27
# January: before the htv profile's nominal day 8, HTV-1's plan). Mir's 1995 orbit stands in for
# the station.
@pytest.mark.parametrize(("profile", "site", "day"), [("atv", "kourou-ela-3", 26),
                                                      ("htv", "tanegashima-yoshinobu", 6)])
def test_a_flight_day_profile_docks_on_the_written_day(mir, catalog, numerical, profile, site,
                                                        day):
    from stationsim.astro.constants import DAY_S

    launch_site = catalog.site(site)
    launch = _in_plane(mir, launch_site, "1995-11-12T06:00:00Z", profile)
    plan = plan_rendezvous(mir, catalog.vehicle(profile), launch_site, launch,
                           profile=profile, docking_flight_day=day)
    elapsed_days = (plan.docking_epoch.tt_s - launch.tt_s) / DAY_S
    assert day - 1 <= elapsed_days < day  # day N: from N - 1 to N days after launch
    assert plan.docking_flight_day == day
    if day > PROFILES[profile].schedule.latest_day:  # the long phasing, re-flown in DOP853
        miss_m, _ = fly_plan(plan, mir, numerical)
        assert float(np.linalg.norm(miss_m)) < 1.0


def test_crew_dragon_docks_in_its_one_day_class_through_its_hold_points(mir, catalog, ksc,
                                                                       numerical):
    # Mir's 1995 orbit stands in for the station: the window and the holds are the profile's
    launch = _in_plane(mir, ksc, "1995-11-12T06:00:00Z", "crew-dragon")
    plan = plan_rendezvous(mir, catalog.vehicle("crew-dragon"), ksc, launch)
    elapsed_h = (plan.docking_epoch.tt_s - plan.insertion_epoch.tt_s) / 3600.0
    assert 19.0 <= elapsed_h <= 27.0  # rendezvous_rules.csv: 19-27 h one-day class
    holds_m = sorted(round(float(abs(leg.from_lvlh_m).max()))
                     for leg in plan.approach.legs if leg.kind == "hold")
    assert holds_m == [20, 220]  # WP1 and the 20 m go/no-go (the approach starts at WP0)
    assert "AI" in [b.name for b in plan.burns]  # approach initiation ~7 km behind
    miss_m, _ = fly_plan(plan, mir, numerical)
    assert float(np.linalg.norm(miss_m)) < 1.0


def test_every_profile_names_its_source_and_known_approach():
    from stationsim.ops.proximity import APPROACHES

    for name in ("mir-77k", "crew-dragon", "starliner", "shenzhou", "dragon-1", "htv",
                 "cygnus"):
        profile = PROFILES[name]
        assert "rendezvous_rules.csv" in profile.source
        assert profile.approach in APPROACHES


# The ISS (Zarya-Unity) as tracked on 2000-07-11T22:42Z, the last set before Zvezda's launch
# (tle_iss_1998_2001.txt)
ISS_2000_07_11 = (
    "1 25544U 98067A   00193.94590524  .00036660  00000-0  34484-3 0  8335",
    "2 25544  51.5808  13.3871 0005962 164.2561 350.3006 15.66728588 93813",
)


def test_zvezda_burns_from_rb1_and_meets_the_stack_on_the_planned_day(catalog):
    from stationsim.astro.propagate import Sgp4Propagator
    from stationsim.astro.tle import parse_tle_lines

    iss = Sgp4Propagator(parse_tle_lines(*ISS_2000_07_11, name="ISS"))
    site = catalog.site("baikonur-site-81")
    launch = _in_plane(iss, site, "2000-07-12T04:56:36Z", "zvezda")  # iss_modules.csv
    plan = plan_rendezvous(iss, catalog.vehicle("progress-m"), site, launch, profile="zvezda",
                           docking_flight_day=15)
    burns = {b.name: b for b in plan.burns}
    # RB-1 fired 2000-07-14T05:09Z (NASA ISS status report 00-29); the profile's first
    # apogee 48 h after lift-off lies within one revolution of it
    rb1_s = Epoch.from_utc_iso("2000-07-14T05:09:00Z").tt_s
    assert abs(burns["RB-1"].epoch.tt_s - rb1_s) < 92.0 * 60.0
    docked = dt.datetime.fromisoformat(plan.docking_epoch.utc_iso(0).replace("Z", "+00:00"))
    assert docked.astimezone(MOSCOW).date() == dt.date(2000, 7, 26)  # the plan's day 15
    assert {"Zarya-1", "Zarya-2"} <= set(burns)  # the stack's terminal phase
    assert [leg.duration_s for leg in plan.approach.legs if leg.kind == "hold"] == [600.0]
    # 'within the coverage area of ground communication stations' (ISS status report 00-32):
    # from the 30 m hold to contact in view, and on the first such pass of the day from which
    # the stack's terminal transfer and approach can be flown
    from stationsim.ops.coverage import coverage_intervals
    from stationsim.ops.rendezvous import _final_leg_s

    docking_s = float(plan.docking_epoch.tt_s)
    final_s = _final_leg_s(plan.approach)
    day_start_s = Epoch.from_utc_iso("2000-07-25T21:00:00Z").tt_s  # 26 July, Moscow
    passes = coverage_intervals(iss, day_start_s, docking_s + 60.0)
    (inside,) = [k for k, (a, b) in enumerate(passes)
                 if a <= docking_s - final_s + 11.0 and docking_s <= b + 11.0]
    flown_s = float(plan.docking_epoch.tt_s) - float(burns["Zarya-2"].epoch.tt_s)
    earlier = [b for a, b in passes[:inside] if b - max(a, day_start_s + flown_s - final_s)
               >= final_s]
    assert not earlier


def test_a_berthing_approach_ends_with_the_capture_point_hold():
    import math

    from stationsim.ops.proximity import APPROACHES, FINAL_RANGE_M, plan_approach

    spec = APPROACHES["htv"]
    n_radps = 2.0 * math.pi / 5520.0  # a 92-min orbit
    approach = plan_approach(spec, n_radps)
    holds = [(round(float(abs(leg.from_lvlh_m).max())), leg.duration_s)
             for leg in approach.legs if leg.kind == "hold"]
    # rendezvous_rules.csv: hold 300 m (~35 min, HTV-4), parking 30 m, capture box ~10 m
    assert holds == [(300, 35 * 60.0), (30, 600.0), (10, 1800.0)]
    # independently: the glideslope from 500 m to the capture point takes tau ln(500/10)
    # whatever the legs (the logarithms telescope), then the holds and the arm's last 10 m
    expected_s = (spec.time_constant_s * math.log(500.0 / FINAL_RANGE_M)
                  + sum(s for _, s in spec.holds) + FINAL_RANGE_M / spec.contact_speed_mps)
    assert approach.duration_s == pytest.approx(expected_s, rel=1e-12)
    assert all(leg.to_lvlh_m[2] >= 0.0 for leg in approach.legs)  # from below, on R-bar
