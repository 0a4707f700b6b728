"""A flight's documented aborted approach: logged on its planned day, docking on the retry's."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from stationsim.errors import ProgramError
from stationsim.program.engine import simulate
from stationsim.scenario.loader import load_text

PROGRAM = """
name: abort
description: a 77K module to Mir's forward port, its first approach aborted
span: {start_utc: 1995-11-01T00:00:00Z, end_utc: 1995-11-20T00:00:00Z}
seed: 1
stations:
  - id: mir
    orbit: {epoch_utc: 1995-11-01T00:00:00Z, perigee_km: 392.0, apogee_km: 396.1,
            inclination_deg: 51.644, raan_deg: 192.51, arg_perigee_deg: 278.35,
            true_anomaly_deg: 26.97}
    modules: {root: mir-core}
flights:
  - id: Module
    launch_utc: 1995-11-03T10:00:00Z
    site: baikonur-site-81
    profile: mir-77k
    DAYS
    delivers_module: {module: priroda, via: forward, berth_at: mir-core.forward}
"""
MOSCOW = dt.timezone(dt.timedelta(hours=3))


def _moscow_day(result, t_s):
    """Moscow decree-time day number of ``t_s`` counted from the launch date (day 1)."""
    from stationsim.astro.time import Epoch

    launch = next(f for f in result.flights if f.flight in ("Module", "Progress")).launch_s

    def date(s):
        utc = dt.datetime.fromisoformat(Epoch(s).utc_iso(0).replace("Z", "+00:00"))
        return utc.astimezone(MOSCOW).date()

    return (date(t_s) - date(launch)).days + 1


def test_an_aborted_approach_is_logged_and_the_flight_docks_on_its_retry_day():
    result = simulate(load_text(PROGRAM.replace(
        "DAYS", "docking_flight_day: 4\n    approach_aborts: [{range_m: 20, "
        "retry_flight_day: 7, cause: excess closing rate}]")))
    record = next(f for f in result.flights if f.flight == "Module")
    assert record.outcome == "joined"  # a module that flew itself joins the station
    assert _moscow_day(result, record.dock_s) == 7
    aborts = [e for e in result.events if e.kind == "approach_abort"]
    assert len(aborts) == 1 and _moscow_day(result, aborts[0].t_s) == 4
    assert "20 m" in aborts[0].detail and "flight day 7" in aborts[0].detail
    # the first plan's phasing burn is flown once; each attempt has its own terminal burn
    names = [m.name for m in result.maneuvers if m.flight == "Module"]
    assert names.count("DV1") == 1 and names.count("Kurs-2") == 2
    burns_s = [m.t_s for m in result.maneuvers if m.flight == "Module"]
    assert burns_s == sorted(burns_s)


@pytest.mark.parametrize("days, message", [
    ("approach_aborts: [{range_m: 20, retry_flight_day: 7}]", "need docking_flight_day"),
    ("docking_flight_day: 7\n    approach_aborts: [{range_m: 20, retry_flight_day: 5}]",
     "must come after"),
])
def test_aborts_need_a_first_day_and_later_retries(days, message):
    with pytest.raises(ProgramError, match=message):
        load_text(PROGRAM.replace("DAYS", days))


def test_an_abort_at_an_undocumented_range_is_logged_without_one():
    # Kristall, 1990: the report gives the cause and the retry, not how close it came
    result = simulate(load_text(PROGRAM.replace(
        "DAYS", "docking_flight_day: 4\n    approach_aborts: [{retry_flight_day: 6, "
        "cause: thrusters}]")))
    (abort,) = [e for e in result.events if e.kind == "approach_abort"]
    assert "aborted (thrusters)" in abort.detail and " m " not in abort.detail
    record = next(f for f in result.flights if f.flight == "Module")
    assert _moscow_day(result, record.dock_s) == 6


def test_two_aborts_then_a_manual_docking_as_progress_m24():
    # Progress M-24 (offnominal_events.csv): aborted on 1994-08-27, struck the port on its
    # second attempt of 08-30, docked by TORU on 09-02
    result = simulate(load_text(PROGRAM.replace(
        "DAYS", "docking_flight_day: 4\n    approach_aborts: [{retry_flight_day: 6}, "
        "{range_m: 1, retry_flight_day: 9, retry_docking: manual}]")))
    record = next(f for f in result.flights if f.flight == "Module")
    assert _moscow_day(result, record.dock_s) == 9
    aborts = [e for e in result.events if e.kind == "approach_abort"]
    assert [_moscow_day(result, e.t_s) for e in aborts] == [4, 6]
    assert "manual control (TORU)" in aborts[1].detail
    # no source gives the first abort's range: the log says none
    assert "aborted (cause not given)" in aborts[0].detail and "at 1 m" in aborts[1].detail
    (dock,) = [e for e in result.events if e.kind == "dock" and e.flight == "Module"]
    assert dock.detail == "manual docking (TORU)"


def test_an_abandoned_docking_never_joins():
    result = simulate(load_text(PROGRAM.replace(
        "DAYS", "docking_flight_day: 4\n    approach_aborts: [{range_m: 200}]")))
    record = next(f for f in result.flights if f.flight == "Module")
    assert record.outcome == "no-docking" and record.dock_s is None
    (abort,) = [e for e in result.events if e.kind == "approach_abort"]
    assert _moscow_day(result, abort.t_s) == 4 and "abandoned" in abort.detail
    assert "priroda" not in result.stations["mir"].graph
    # the flight's burns end with the abandoned attempt
    assert max(m.t_s for m in result.maneuvers if m.flight == "Module") < abort.t_s


PROGRESS = PROGRAM.replace(
    "a 77K module to Mir's forward port, its first approach aborted",
    "a Progress to Mir's forward port").replace("id: Module", "id: Progress").replace(
    """    site: baikonur-site-81
    profile: mir-77k
    DAYS
    delivers_module: {module: priroda, via: forward, berth_at: mir-core.forward}""",
    """    vehicle: progress-m
    site: baikonur-site-1
    profile: PROFILE
    port: mir-core.forward
    DAYS""")


def _progress(profile, days):
    return simulate(load_text(PROGRESS.replace("PROFILE", profile).replace("DAYS", days)))


def test_a_two_day_progress_retries_on_its_days_and_docks_in_russian_coverage():
    # Progress M-24's record (offnominal_events.csv): its own two-day docking aborted (Moscow
    # day 3), the retry of day 6 struck the port, TORU docked it on day 9
    from stationsim.astro.propagate import J2Secular
    from stationsim.astro.time import Epoch
    from stationsim.ops.coverage import in_view
    from stationsim.program.station import initial_state

    result = _progress("soyuz-two-day", "approach_aborts: [{retry_flight_day: 6}, "
                       "{retry_flight_day: 9, retry_docking: manual, cause: struck the port}]")
    record = next(f for f in result.flights if f.flight == "Progress")
    assert record.outcome == "docked" and record.profile == "soyuz-two-day"
    aborts = [e for e in result.events if e.kind == "approach_abort"]
    # the first attempt is the profile's revolution 34, two days after launch: day 3
    assert [_moscow_day(result, e.t_s) for e in aborts] == [3, 6]
    assert "approach on flight day 3 aborted" in aborts[0].detail
    assert _moscow_day(result, record.dock_s) == 9
    (dock,) = [e for e in result.events if e.kind == "dock" and e.flight == "Progress"]
    assert dock.detail == "manual docking (TORU)"
    # the retries dock in view of the Russian ground stations, as the profile's own docking:
    # checked on the station's orbit flown independently (J2 only: over nine days the drag's
    # along-track drift at 394 km moves a pass's edges by seconds, well inside a ~10-min pass)
    station = J2Secular(*initial_state(result.program.stations[0].orbit))
    for t_s in [e.t_s for e in aborts[1:]] + [record.dock_s]:
        assert in_view(station, Epoch(np.array([t_s - 60.0, t_s])))[-1]
    # each attempt flies its own Kurs terminal burn; the burns are one timeline
    names = [m.name for m in result.maneuvers if m.flight == "Progress"]
    assert names.count("DV1") == 1 and names.count("Kurs-2") == 3
    burns_s = [m.t_s for m in result.maneuvers if m.flight == "Progress"]
    assert burns_s == sorted(burns_s)


def test_a_retry_before_the_attempt_it_repeats_abandons_the_docking():
    # day 2 comes before the two-day profile's own docking on day 3
    result = _progress("soyuz-two-day", "approach_aborts: [{retry_flight_day: 2}]")
    record = next(f for f in result.flights if f.flight == "Progress")
    assert record.outcome == "no-docking" and record.dock_s is None
    assert any("before the attempt it repeats" in w for w in result.warnings)


def test_a_four_orbit_progress_retries_on_a_later_day():
    result = _progress("soyuz-four-orbit", "approach_aborts: [{retry_flight_day: 3}]")
    record = next(f for f in result.flights if f.flight == "Progress")
    (abort,) = [e for e in result.events if e.kind == "approach_abort"]
    # the fast profile's own docking ~6 h after launch (10:00 UTC, day 1), the retry on day 3
    assert _moscow_day(result, abort.t_s) == 1 and "flight day 1 aborted" in abort.detail
    assert record.outcome == "docked" and _moscow_day(result, record.dock_s) == 3


def test_a_progress_planned_to_dock_on_day_4_docks_then_in_russian_coverage():
    # a three-day rendezvous (Progress M-60, M-62 and others: the record's "three-day
    # rendezvous"): the plan's day is written, the time of day is the profile's coverage rule
    from stationsim.astro.propagate import J2Secular
    from stationsim.astro.time import Epoch
    from stationsim.ops.coverage import in_view
    from stationsim.program.station import initial_state

    two_day = next(f for f in _progress("soyuz-two-day", "").flights if f.flight == "Progress")
    result = _progress("soyuz-two-day", "docking_flight_day: 4")
    record = next(f for f in result.flights if f.flight == "Progress")
    assert record.outcome == "docked" and record.profile == "soyuz-two-day"
    assert _moscow_day(result, two_day.dock_s) == 3
    assert _moscow_day(result, record.dock_s) == 4
    station = J2Secular(*initial_state(result.program.stations[0].orbit))
    assert in_view(station, Epoch(np.array([record.dock_s - 60.0, record.dock_s])))[-1]
