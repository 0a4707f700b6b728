"""A flight's documented aborted approach: logged on its planned day, docking on the retry's."""

from __future__ import annotations

import datetime as dt

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

    launch = next(f for f in result.flights if f.flight == "Module").launch_s

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
