"""Modules carried in a Shuttle's bay: berthed at its docking or on the plan's later day."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationsim.astro.constants import DAY_S
from stationsim.errors import ProgramError
from stationsim.program.engine import simulate
from stationsim.scenario.loader import load_text

ISS_AFTER_STS88 = Path(__file__).with_name("iss_after_sts88.yaml").read_text()
PROGRAM = """
name: carried
description: a Shuttle carrying two modules, one berthed at its docking, two on a later day
span: {start_utc: 2000-01-01T00:00:00Z, end_utc: 2000-01-12T00:00:00Z}
seed: 1
stations:
""" + ISS_AFTER_STS88 + """flights:
  - {id: PMA-3 (STS-X), launch_utc: 2000-01-02T12:00:00Z, site: ksc-lc-39a,
     carried_by: STS-X, delivers_module: {module: pma-3, via: cbm, berth_at: unity.nadir}}
  - {id: Tranquility (STS-X), launch_utc: 2000-01-02T12:00:00Z, site: ksc-lc-39a,
     carried_by: STS-X, BERTH
     delivers_module: {module: tranquility, via: starboard, berth_at: unity.port}}
  - {id: Cupola (STS-X), launch_utc: 2000-01-02T12:00:00Z, site: ksc-lc-39a,
     carried_by: STS-X, BERTH
     delivers_module: {module: cupola, via: cbm, berth_at: tranquility.port}}
  - {id: STS-X, vehicle: endeavour, launch_utc: 2000-01-02T12:00:00Z, site: ksc-lc-39a,
     profile: shuttle, docking_flight_day: 3, port: pma-2.apas, stay_days: 6,
     landing_utc: 2000-01-10T12:00:00Z}
"""


def _records(result):
    return {f.flight: f for f in result.flights}


def test_carried_modules_join_at_the_docking_or_on_their_berthing_day():
    result = simulate(load_text(PROGRAM.replace("BERTH", "berth_flight_day: 5,")))
    records = _records(result)
    carrier = records["STS-X"]
    assert carrier.outcome == "landed" and carrier.dock_s is not None
    # no day: with the docking; day 5 of a flight-day-3 docking: two 24 h crew days later
    assert records["PMA-3 (STS-X)"].dock_s == carrier.dock_s
    for name in ("Tranquility (STS-X)", "Cupola (STS-X)"):
        assert records[name].dock_s == pytest.approx(carrier.dock_s + 2 * DAY_S, abs=1e-6)
        assert records[name].outcome == "joined" and records[name].launch_s == carrier.launch_s
    graph = result.stations["iss"].graph
    assert all(name in graph for name in ("pma-3", "tranquility", "cupola"))
    # in the program's order: the Cupola goes on Tranquility, which came first
    attaches = [e.detail for e in result.events if e.kind == "module_attach"]
    assert attaches.index("tranquility") < attaches.index("cupola")
    # the carried modules fly no rendezvous and log no launch of their own
    assert not [m for m in result.maneuvers if m.flight != "STS-X"]
    assert {e.flight for e in result.events if e.kind == "launch"} == {"STS-X"}


@pytest.mark.parametrize("berth, message", [
    ("berth_flight_day: 2,", "berth_flight_day"),
    ("vehicle: soyuz-tm,", "carried_by is for a module without a vehicle"),
    ("docking_flight_day: 4,", "flies no rendezvous of its own"),
])
def test_carried_modules_are_checked(berth, message):
    with pytest.raises(ProgramError, match=message):
        load_text(PROGRAM.replace("BERTH", berth))


def test_the_carrier_must_launch_with_the_module():
    text = PROGRAM.replace("BERTH", "").replace(
        "{id: PMA-3 (STS-X), launch_utc: 2000-01-02T12:00:00Z",
        "{id: PMA-3 (STS-X), launch_utc: 2000-01-02T13:00:00Z")
    with pytest.raises(ProgramError, match="launches with its carrier"):
        load_text(text)
