"""Valid timelines that a careless checker would refuse: ports freed and reused, relocations."""

from __future__ import annotations

import pytest

from stationsim.errors import ProgramError
from stationsim.scenario import load_text

STATION = """\
name: timeline
span: {start_utc: 1995-01-01T00:00:00Z, end_utc: 1995-12-31T00:00:00Z}
stations:
  - id: mir
    orbit: {epoch_utc: 1995-01-01, perigee_km: 390, apogee_km: 395, inclination_deg: 51.6,
            raan_deg: 10, arg_perigee_deg: 0, true_anomaly_deg: 0}
    modules:
      root: mir-core
      attach:
        - {module: kvant-1, at: mir-core.aft, via: forward}
        - {module: kristall, at: mir-core.minus-z, via: forward}
crew:
  - {name: A, agency: RKA, nationality: Russia}
  - {name: B, agency: NASA, nationality: United States}
defaults:
  progress-m: {profile: soyuz-two-day, site: baikonur-site-1, port: kvant-1.aft}
  soyuz-tm: {profile: soyuz-two-day, site: baikonur-site-1}
"""


def test_a_port_freed_at_an_instant_can_be_taken_at_that_instant():
    load_text(STATION + """\
flights:
  - {id: P1, vehicle: progress-m, launch_utc: 1995-02-01T00:00:00Z,
     undock_utc: 1995-03-01T00:00:00Z}
  - {id: P2, vehicle: progress-m, launch_utc: 1995-03-01T00:00:00Z, stay_days: 20}
""")


def test_a_relocated_vehicle_frees_its_port():
    load_text(STATION + """\
flights:
  - {id: TM, vehicle: soyuz-tm, launch_utc: 1995-02-01T00:00:00Z, port: kvant-1.aft,
     stay_days: 100, relocations: [{at_utc: 1995-02-10T00:00:00Z, to: mir-core.forward}]}
  - {id: P1, vehicle: progress-m, launch_utc: 1995-02-11T00:00:00Z, stay_days: 20}
""")


def test_a_relocated_module_takes_its_docked_vehicle_along():
    # Kristall moved to the forward port with a Soyuz on its lateral APAS-89 port would be
    # refused (Soyuz has a probe); the shuttle's APAS-89 on Kristall's axial port goes along.
    text = STATION + """\
flights:
  - {id: STS, vehicle: atlantis, site: ksc-lc-39a, profile: shuttle,
     launch_utc: 1995-06-27T19:32:19Z, port: kristall.axial, undock_utc: 1995-07-04T11:09:42Z,
     crew_up: [B], crew_down: [B]}
events:
  - {type: relocate, at_utc: 1995-06-30T00:00:00Z, module: kristall, to: mir-core.forward}
  - {type: relocate, at_utc: 1995-07-01T00:00:00Z, module: kristall, to: mir-core.minus-z}
  - {type: relocate, at_utc: 1995-07-02T00:00:00Z, flight: STS, to: kristall.lateral}
"""
    program = load_text(text)
    assert [event.type for event in program.events] == ["relocate"] * 3


def test_the_old_port_is_free_after_a_module_relocation():
    with pytest.raises(ProgramError) as caught:
        load_text(STATION + """\
flights:
  - {id: P1, vehicle: progress-m, launch_utc: 1995-02-11T00:00:00Z, port: mir-core.forward,
     stay_days: 20}
events:
  - {type: relocate, at_utc: 1995-02-10T00:00:00Z, module: kristall, to: mir-core.forward}
""", "t.yaml")
    assert caught.value.errors == [
        "t.yaml:19:75: flights[0].port: cannot dock at 1995-02-13T00:00:00Z: port "
        "mir-core.forward is busy (expected a free port, got 'kristall'); free ports that fit: "
        "mir-core.plus-y, mir-core.minus-y, mir-core.plus-z, mir-core.minus-z or kvant-1.aft"]


def test_crew_handover_between_vehicles_is_one_place_at_a_time():
    load_text(STATION + """\
flights:
  - {id: TM-1, vehicle: soyuz-tm, launch_utc: 1995-02-01T00:00:00Z, port: mir-core.forward,
     undock_utc: 1995-05-01T00:00:00Z, crew_up: [A, B]}
  - {id: TM-2, vehicle: soyuz-tm, launch_utc: 1995-04-25T00:00:00Z, port: kvant-1.aft,
     undock_utc: 1995-09-01T00:00:00Z, crew_down: [A, B]}
""")


def test_earliest_launch_waits_for_a_busy_port():
    load_text(STATION + """\
flights:
  - {id: P1, vehicle: progress-m, launch_utc: 1995-02-01T00:00:00Z,
     undock_utc: 1995-03-01T00:00:00Z}
  - {id: P2, vehicle: progress-m, earliest_launch_utc: 1995-02-10T00:00:00Z, stay_days: 40}
""")


def test_a_fixed_launch_does_not_wait():
    with pytest.raises(ProgramError, match=r"flights\[1\].port: cannot dock at 1995-02-12"):
        load_text(STATION + """\
flights:
  - {id: P1, vehicle: progress-m, launch_utc: 1995-02-01T00:00:00Z,
     undock_utc: 1995-03-01T00:00:00Z}
  - {id: P2, vehicle: progress-m, launch_utc: 1995-02-10T00:00:00Z, stay_days: 40}
""")


def test_the_port_is_held_from_the_earliest_docking_not_from_launch():
    # Progress M-37 left Kvant-1 aft a day after Soyuz TM-27 launched (rendezvous_profiles.csv,
    # soyuz_tm_1995_1998.csv); the two-day profile docks no sooner than two days after launch.
    load_text(STATION.replace("1995-12-31", "1998-12-31") + """\
flights:
  - {id: M-37, vehicle: progress-m, launch_utc: 1997-12-20T08:45:02Z,
     undock_utc: 1998-01-30T00:00:00Z}
  - {id: TM-27, vehicle: soyuz-tm, launch_utc: 1998-01-29T16:33:42Z, port: kvant-1.aft,
     stay_days: 100}
""")
